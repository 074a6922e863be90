//! The service under drill, over HTTP: its fault endpoints (`/admin/faults*`, which need the
//! service's `--enable-faults` and its admin token), and a warm-up of its cache.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use reqwest::Method;
use serde_json::Value;

use super::scenario::Fault;

pub struct Service {
    /// Base URL, `http://HOST:PORT`.
    pub url: String,
    pub admin_token: String,
    http: reqwest::Client,
}

impl Service {
    pub fn new(url: &str, admin_token: &str) -> Result<Service> {
        Ok(Service {
            url: url.trim_end_matches('/').to_owned(),
            admin_token: admin_token.to_owned(),
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()?,
        })
    }

    async fn admin(&self, method: Method, path: &str, body: Option<&Value>) -> Result<Value> {
        let mut request = self
            .http
            .request(method.clone(), format!("{}{path}", self.url))
            .bearer_auth(&self.admin_token);
        if let Some(body) = body {
            request = request
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        let answer = request
            .send()
            .await
            .with_context(|| format!("reaching the coupon service at {}", self.url))?;
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        let hint = match status.as_u16() {
            404 => " (is it running with --enable-faults?)",
            401 | 403 => " (pass its admin token with --admin-token or COUPON_ADMIN_TOKEN)",
            _ => "",
        };
        if !status.is_success() {
            bail!("the coupon service answered {status} to {method} {path}{hint}: {text}");
        }
        serde_json::from_str(&text).with_context(|| format!("reading {method} {path}: {text}"))
    }

    /// Checks that the fault endpoints are there and take the token, and that no fault is on.
    pub async fn check(&self) -> Result<()> {
        let state = self.admin(Method::GET, "/admin/faults", None).await?;
        let on: Vec<String> = state
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(_, s)| {
                s["latency_ms"].as_u64().unwrap_or(0) > 0
                    || s["unreachable"] == true
                    || !s["pool_size"].is_null()
            })
            .map(|(target, s)| format!("{target} {s}"))
            .collect();
        if !on.is_empty() {
            bail!(
                "faults are already injected ({}); lift them first: DELETE {}/admin/faults",
                on.join(", "),
                self.url
            );
        }
        Ok(())
    }

    pub async fn inject(&self, fault: &Fault) -> Result<()> {
        self.admin(
            Method::PUT,
            &format!("/admin/faults/{}", fault.target),
            Some(&fault.body),
        )
        .await?;
        Ok(())
    }

    pub async fn lift(&self, fault: &Fault) -> Result<()> {
        self.admin(
            Method::DELETE,
            &format!("/admin/faults/{}", fault.target),
            None,
        )
        .await?;
        Ok(())
    }

    /// Lifts every fault (after a drill that failed half-way).
    pub async fn lift_all(&self) -> Result<()> {
        self.admin(Method::DELETE, "/admin/faults", None).await?;
        Ok(())
    }

    /// Fills the top-products cache, so the load starts on a warm cache as a live service would.
    pub async fn warm(&self) -> Result<()> {
        let answer = self
            .http
            .get(format!("{}/api/products/top", self.url))
            .send()
            .await
            .with_context(|| format!("reaching the coupon service at {}", self.url))?;
        if !answer.status().is_success() {
            bail!(
                "the coupon service answered {} to GET /api/products/top",
                answer.status()
            );
        }
        Ok(())
    }
}
