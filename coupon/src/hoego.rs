//! hoego, as the coupon tools know it: its REST API under `/api/v1` with a bearer token. What
//! `coupon drill` and `coupon loadtest --report-to` share: the client, hoego's refusals in its
//! own words (status, `error`, `field`), and filing a load-test run. The drill's own calls
//! (alerts, incidents, timeline) are in `drill::hoego`.
//!
//! Errors: [`HoegoError`] says whether hoego was unreachable, refused, or answered something
//! unreadable; [`Hoego::new`] checks settings and returns `anyhow` errors for the command line.

use std::time::Duration;

use anyhow::{Result, bail};
use chrono::{DateTime, SecondsFormat, Utc};
use clap::ValueEnum;
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The service label every coupon rule carries (coupon/monitoring/alerts.yml), and the service
/// a coupon load-test run is filed under unless told otherwise.
pub const SERVICE: &str = "coupon-api";

/// A client of one hoego with one token.
pub struct Hoego {
    base: String,
    token: String,
    http: reqwest::Client,
}

/// What went wrong talking to hoego.
#[derive(Debug, thiserror::Error)]
pub enum HoegoError {
    #[error("could not reach hoego at {base} ({method} /api/v1{path})")]
    Unreachable {
        base: String,
        method: Method,
        path: String,
        #[source]
        source: reqwest::Error,
    },
    #[error(transparent)]
    Refused(#[from] Refused),
    #[error("hoego's answer to {method} {path} is not what was expected: {body}")]
    Unreadable {
        method: Method,
        path: String,
        body: String,
        #[source]
        source: serde_json::Error,
    },
}

/// hoego answered with an error status: what it said, as its `ErrorBody` (`error`, `field`).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.describe())]
pub struct Refused {
    pub status: StatusCode,
    pub method: Method,
    /// Under `/api/v1`, without the query.
    pub path: String,
    /// hoego's message, when the body was its JSON error.
    pub error: Option<String>,
    /// The field or parameter it is about.
    pub field: Option<String>,
    /// The body as it came, when it was not.
    pub body: String,
}

impl Refused {
    fn new(method: Method, path: &str, status: StatusCode, body: String) -> Refused {
        let json = serde_json::from_str::<Value>(&body).ok();
        let text = |key: &str| {
            json.as_ref()
                .and_then(|v| v[key].as_str())
                .map(str::to_owned)
        };
        Refused {
            status,
            method,
            path: path.to_owned(),
            error: text("error"),
            field: text("field"),
            body,
        }
    }

    fn describe(&self) -> String {
        let hint = match self.status.as_u16() {
            401 => " (the token is missing, unknown or revoked)",
            403 => {
                " (the token lacks the scope: filing a load test needs ingest, a drill \
                 ingest,write)"
            }
            _ => "",
        };
        let said = match (&self.error, &self.field) {
            (Some(error), Some(field)) => format!("{error} (field `{field}`)"),
            (Some(error), None) => error.clone(),
            _ => self.body.clone(),
        };
        format!(
            "hoego answered {} to {} /api/v1{}{hint}: {said}",
            self.status, self.method, self.path
        )
    }
}

/// How a load-test run relates to an incident (hoego's `RunRelation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Relation {
    /// The run foresaw the incident.
    PredictedBy,
    /// The run made it happen again (a drill, a reproduction).
    ReproducedBy,
    /// The run showed the fix holds.
    VerifiedFix,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::PredictedBy => "predicted_by",
            Relation::ReproducedBy => "reproduced_by",
            Relation::VerifiedFix => "verified_fix",
        }
    }
}

/// What hoego is told about a load-test run besides its document: the query of
/// `POST /api/v1/load-tests`. Empty texts are left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunMeta {
    pub scenario: String,
    pub services: Vec<String>,
    pub name: String,
    pub environment: String,
    /// A version or git ref of what was tested.
    pub version: String,
    pub notes: String,
    pub started_at: Option<DateTime<Utc>>,
    /// The incident to link the run to, and how.
    pub link: Option<(i64, Relation)>,
}

impl RunMeta {
    /// The query's pairs, in hoego's names, for a serializer to encode.
    pub fn query(&self) -> Vec<(&'static str, String)> {
        let mut q: Vec<(&'static str, String)> = [
            ("scenario", self.scenario.clone()),
            ("services", self.services.join(",")),
            ("name", self.name.clone()),
            ("environment", self.environment.clone()),
            ("version", self.version.clone()),
            ("notes", self.notes.clone()),
        ]
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect();
        if let Some(at) = self.started_at {
            q.push((
                "started_at",
                at.to_rfc3339_opts(SecondsFormat::Millis, true),
            ));
        }
        if let Some((incident, relation)) = self.link {
            q.push(("incident", incident.to_string()));
            q.push(("relation", relation.as_str().to_owned()));
        }
        q
    }
}

/// A run hoego stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Filed {
    pub id: i64,
    /// Its page: `{hoego}/load-tests/{id}`.
    pub page: String,
}

impl Hoego {
    /// A client of the hoego at `base` (`http://` or `https://`), with `token`.
    pub fn new(base: &str, token: &str) -> Result<Hoego> {
        let base = base.trim_end_matches('/').to_owned();
        if !base.starts_with("http://") && !base.starts_with("https://") {
            bail!("the hoego URL must start with http:// or https://, not {base:?}");
        }
        if let Err(e) = reqwest::Url::parse(&base) {
            bail!("the hoego URL {base:?} is not a URL: {e}");
        }
        if token.trim().is_empty() {
            bail!(
                "no hoego token: pass --token or COUPON_HOEGO_TOKEN (create one with `hoego \
                 token create --name coupon --scope ingest,write`)"
            );
        }
        Ok(Hoego {
            base,
            token: token.trim().to_owned(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()?,
        })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// The base URL, without a trailing slash.
    pub fn url(&self) -> &str {
        &self.base
    }

    /// `method {base}/api/v1{path}?{query}` with the token and, if given, a JSON body (sent as
    /// is); the status and the body's text. The query is encoded by reqwest's serializer.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<String>,
    ) -> Result<(StatusCode, String), HoegoError> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}/api/v1{path}", self.base))
            .query(query)
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body);
        }
        let unreachable = |source| HoegoError::Unreachable {
            base: self.base.clone(),
            method: method.clone(),
            path: path.to_owned(),
            source,
        };
        let answer = request.send().await.map_err(unreachable)?;
        let status = answer.status();
        let text = answer.text().await.map_err(unreachable)?;
        Ok((status, text))
    }

    /// [`Hoego::send`], a success status required, its JSON answer read as `T`.
    pub(crate) async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        path: &str,
        query: &[(&str, String)],
        body: Option<String>,
    ) -> Result<T, HoegoError> {
        let (status, text) = self.send(method.clone(), path, query, body).await?;
        if !status.is_success() {
            return Err(Refused::new(method, path, status, text).into());
        }
        serde_json::from_str(&text).map_err(|source| HoegoError::Unreadable {
            method,
            path: path.to_owned(),
            body: text,
            source,
        })
    }

    /// Files a load-test run: `document` is its summary JSON exactly as written (k6's or
    /// `coupon loadtest`'s), `meta` what goes beside it.
    pub async fn file_load_test(
        &self,
        meta: &RunMeta,
        document: String,
    ) -> Result<Filed, HoegoError> {
        #[derive(serde::Deserialize)]
        struct Run {
            id: i64,
        }
        let run: Run = self
            .call(Method::POST, "/load-tests", &meta.query(), Some(document))
            .await?;
        Ok(Filed {
            id: run.id,
            page: format!("{}/load-tests/{}", self.base, run.id),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_meta_is_encoded_by_the_serializer_and_empty_texts_left_out() {
        let meta = RunMeta {
            scenario: "issue".into(),
            services: vec!["coupon-api".into(), "redis".into()],
            name: "쿠폰 drop: 1,000 users & more".into(),
            notes: "a+b=c?".into(),
            started_at: Some("2026-11-25T10:00:00.5+09:00".parse().unwrap()),
            link: Some((12, Relation::VerifiedFix)),
            ..RunMeta::default()
        };
        let request = reqwest::Client::new()
            .post("http://hoego.test/api/v1/load-tests")
            .query(&meta.query())
            .build()
            .unwrap();
        assert_eq!(
            request.url().query(),
            Some(
                "scenario=issue&services=coupon-api%2Credis\
                 &name=%EC%BF%A0%ED%8F%B0+drop%3A+1%2C000+users+%26+more&notes=a%2Bb%3Dc%3F\
                 &started_at=2026-11-25T01%3A00%3A00.500Z&incident=12&relation=verified_fix"
            )
        );
    }

    #[test]
    fn a_refusal_says_what_hoego_said() {
        let r = Refused::new(
            Method::POST,
            "/load-tests",
            StatusCode::UNPROCESSABLE_ENTITY,
            r#"{"error":"must be one of predicted_by, reproduced_by, verified_fix","field":"relation"}"#
                .into(),
        );
        assert_eq!(r.field.as_deref(), Some("relation"));
        assert_eq!(
            r.to_string(),
            "hoego answered 422 Unprocessable Entity to POST /api/v1/load-tests: must be one of \
             predicted_by, reproduced_by, verified_fix (field `relation`)"
        );
        let r = Refused::new(
            Method::GET,
            "/alerts",
            StatusCode::BAD_GATEWAY,
            "upstream down".into(),
        );
        assert_eq!(r.error, None);
        assert_eq!(
            r.to_string(),
            "hoego answered 502 Bad Gateway to GET /api/v1/alerts: upstream down"
        );
    }
}
