//! Extractors for the REST API that answer bad input with the API's JSON errors: a body that
//! is not JSON is a 400, JSON of the wrong shape a 422 naming the field, a query parameter that
//! cannot be read a 422 naming it, an id that is not a number a 404 (the URL names nothing).

use std::collections::HashMap;

use app::error::AppError;
use app::queries::FromParams;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::{StatusCode, header, request::Parts};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// The version an `If-Match` header names (`None` without one, or for `*`); one that is not a
/// version hoego gave out is a 400 naming the header.
pub struct IfMatch(pub Option<i64>);

impl<S: Send + Sync> FromRequestParts<S> for IfMatch {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, ApiError> {
        let Some(value) = parts.headers.get(header::IF_MATCH) else {
            return Ok(IfMatch(None));
        };
        value
            .to_str()
            .ok()
            .and_then(app::domain::parse_if_match)
            .map(|m| IfMatch(m.version()))
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "If-Match must be one version as its ETag gives it, e.g. \"3\"",
                    Some("If-Match".into()),
                )
            })
    }
}

/// A JSON body of type `T`.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .is_some_and(|v| is_json(v.as_bytes()));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "expected Content-Type: application/json",
                None,
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            ApiError::new(
                StatusCode::BAD_REQUEST,
                format!("could not read body: {e}"),
                None,
            )
        })?;
        parse(&bytes).map(ApiJson)
    }
}

/// An optional JSON body: none at all is `None`; anything sent must be JSON of type `T`.
pub struct OptionalJson<T>(pub Option<T>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let empty = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() == b"0")
            || (req.headers().get(header::CONTENT_LENGTH).is_none()
                && req.headers().get(header::TRANSFER_ENCODING).is_none());
        if empty {
            return Ok(OptionalJson(None));
        }
        ApiJson::from_request(req, state)
            .await
            .map(|ApiJson(v)| OptionalJson(Some(v)))
    }
}

/// A JSON body of any shape, with the text as sent (load-test summaries are kept whole).
pub struct RawJson {
    pub value: serde_json::Value,
    pub text: String,
}

impl<S: Send + Sync> FromRequest<S> for RawJson {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let ApiJson(value) = ApiJson::<serde_json::Value>::from_request(req, state).await?;
        let text = value.to_string();
        Ok(RawJson { value, text })
    }
}

/// Whether a Content-Type is JSON: `application/json` or `application/…+json`, parameters
/// allowed, as a media-type parser reads it. A cross-site form can send `text/plain;x=+json`
/// without asking first; that is text, not JSON.
pub fn is_json(content_type: &[u8]) -> bool {
    std::str::from_utf8(content_type)
        .ok()
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| {
            m.type_() == mime::APPLICATION
                && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
        })
}

/// Parses a JSON body: syntax errors are 400, shape errors 422 with the field's path.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            format!("malformed JSON: {e}"),
            None,
        )
    })?;
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.inner().to_string();
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            message.clone(),
            Some(field_of(&path, &message)),
        )
    })
}

/// The field a serde error is about. For a missing field serde reports the path of the object
/// that lacks it, so the name is taken from the message.
fn field_of(path: &str, message: &str) -> String {
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    let path = if path == "." { "" } else { path };
    match (missing, path) {
        (Some(name), "") => name.to_owned(),
        (Some(name), p) => format!("{p}.{name}"),
        (None, p) => p.to_owned(),
    }
}

/// Ids from the path, by name: `ApiPath<EventPath>` for `/incidents/{id}/timeline/{event}`.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(t)| ApiPath(t))
            .map_err(|e| ApiError::new(StatusCode::NOT_FOUND, format!("not found: {e}"), None))
    }
}

/// A query string read by the app's one query-string reader ([`FromParams`]).
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: FromParams> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(map) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::new(StatusCode::BAD_REQUEST, e.body_text(), None))?;
        T::from_map(&map)
            .map(ApiQuery)
            .map_err(|e| AppError::from(e).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::IncidentFields;

    fn err(body: &str) -> ApiError {
        parse::<IncidentFields>(body.as_bytes()).unwrap_err()
    }

    #[test]
    fn only_json_media_types_are_json() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "application/problem+json",
        ] {
            assert!(is_json(ok.as_bytes()), "{ok}");
        }
        for not in [
            "text/plain;x=+json",
            "text/plain",
            "application/x-www-form-urlencoded",
            "application/jsonx",
            "",
        ] {
            assert!(!is_json(not.as_bytes()), "{not}");
        }
    }

    #[test]
    fn syntax_errors_are_400() {
        assert_eq!(err("{\"title\": ").status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn shape_errors_name_the_field() {
        let e = err(r#"{"title": "x", "severity": "P9"}"#);
        assert_eq!(
            (e.status, e.body.field.as_deref()),
            (StatusCode::UNPROCESSABLE_ENTITY, Some("severity"))
        );
        assert_eq!(
            err(r#"{"severity": "P1"}"#).body.field.as_deref(),
            Some("title")
        );
        let e = err(r#"{"title": "x", "severity": "P1", "started_at": "yesterday"}"#);
        assert_eq!(e.body.field.as_deref(), Some("started_at"));
    }
}
