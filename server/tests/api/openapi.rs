//! The OpenAPI document at `/api/v1/openapi.json` describes the routes that exist.

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

/// `(METHOD, path)` of every documented operation.
async fn documented(app: &TestApp) -> (Value, BTreeSet<(String, String)>) {
    let (status, doc) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK, "{doc}");
    let ops = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| !matches!(k.as_str(), "parameters" | "summary" | "description"))
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    (doc, ops)
}

#[tokio::test]
async fn the_document_lists_every_route() {
    let app = spawn_app().await;
    let (doc, ops) = documented(&app).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."), "{doc}");
    let expected: BTreeSet<(String, String)> = [
        ("GET", "/incidents"),
        ("POST", "/incidents"),
        ("GET", "/incidents/{id}"),
        ("PATCH", "/incidents/{id}"),
        ("DELETE", "/incidents/{id}"),
        ("POST", "/incidents/{id}/timeline"),
        ("PATCH", "/incidents/{id}/timeline/{event}"),
        ("DELETE", "/incidents/{id}/timeline/{event}"),
        ("POST", "/incidents/{id}/five-whys"),
        ("PATCH", "/incidents/{id}/five-whys/{chain}"),
        ("DELETE", "/incidents/{id}/five-whys/{chain}"),
        ("POST", "/incidents/{id}/action-items"),
        ("PATCH", "/incidents/{id}/action-items/{item}"),
        ("DELETE", "/incidents/{id}/action-items/{item}"),
        ("GET", "/action-items"),
        ("GET", "/search"),
        ("GET", "/incidents/{id}/similar"),
        ("GET", "/root-causes"),
        ("POST", "/alerts/alertmanager"),
        ("POST", "/alerts/grafana"),
        ("GET", "/alerts"),
        ("GET", "/alerts/{id}"),
        ("POST", "/alerts/{id}/link"),
        ("DELETE", "/alerts/{id}/link"),
        ("POST", "/load-tests"),
        ("GET", "/load-tests"),
        ("GET", "/load-tests/compare"),
        ("GET", "/load-tests/{id}"),
        ("GET", "/load-tests/{id}/raw"),
        ("POST", "/load-tests/{id}/links"),
        ("DELETE", "/load-tests/{id}/links/{incident}"),
        ("GET", "/scenarios"),
        ("POST", "/scenarios"),
        ("GET", "/scenarios/{id}"),
        ("PUT", "/scenarios/{id}"),
        ("DELETE", "/scenarios/{id}"),
        ("POST", "/imports"),
        ("GET", "/incidents/{id}/scenarios"),
        ("POST", "/incidents/{id}/scenarios"),
        ("DELETE", "/incidents/{id}/scenarios/{scenario}"),
        ("POST", "/incidents/{id}/scenarios/{scenario}/steps/{step}"),
        (
            "DELETE",
            "/incidents/{id}/scenarios/{scenario}/steps/{step}",
        ),
        ("GET", "/insights"),
        ("GET", "/insights/incidents"),
        ("GET", "/insights.csv"),
        ("GET", "/me"),
    ]
    .iter()
    .map(|(m, p)| (m.to_string(), p.to_string()))
    .collect();
    assert_eq!(ops, expected);
    // Bodies and answers are described by schemas, with the enums' spellings.
    let schemas = &doc["components"]["schemas"];
    assert_eq!(
        schemas["Severity"]["enum"],
        json!(["P0", "P1", "P2", "P3"]),
        "{schemas}"
    );
    let fields = schemas["IncidentFields"].to_string();
    assert!(
        fields.contains(r#""required":["title","severity"]"#),
        "{fields}"
    );
}

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let app = spawn_app().await;
    let (_, ops) = documented(&app).await;
    for (method, path) in ops {
        // An id no row has: a routed operation answers 404 "… not found" (or 4xx for the
        // empty body), never the router's own "no such endpoint" or 405.
        let url = app.url(&format!("/api/v1{path}")).replace(['{', '}'], "");
        let url = ["id", "event", "chain", "item"]
            .iter()
            .fold(url, |u, name| u.replace(&format!("/{name}"), "/999999"));
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let response = app
            .client
            .request(method.clone(), &url)
            .json(&json!({}))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {url}");
        assert_ne!(body["error"], "no such endpoint", "{method} {url}");
    }
}
