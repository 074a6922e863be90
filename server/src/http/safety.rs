//! Web safety: where a state-changing request came from, where a redirect may go, and the
//! headers every answer carries.

use axum::http::header::{HeaderName, HeaderValue};
use axum::http::{HeaderMap, Method, header};
use url::Url;

/// Whether a browser request that changes something comes from hoego's own pages.
///
/// Browsers say where a request comes from: `Sec-Fetch-Site` (every current browser) or, for
/// older ones, `Origin` on every POST. A request carrying neither is not a browser acting for
/// someone; it can only ride on a session if it brings the cookie itself, so it is refused when
/// it does. Requests with a bearer token are not checked: a browser never adds that header on
/// its own.
pub fn same_origin(method: &Method, headers: &HeaderMap, has_cookie: bool) -> bool {
    if method.is_safe() {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    match headers.get(header::ORIGIN).and_then(|o| o.to_str().ok()) {
        Some(origin) => {
            let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
            Url::parse(origin)
                .ok()
                .filter(|u| matches!(u.scheme(), "http" | "https"))
                .and_then(|u| {
                    let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
                    Some(format!("{}{port}", u.host_str()?))
                })
                .is_some_and(|o| Some(o.as_str()) == host)
        }
        None => !has_cookie,
    }
}

/// A redirect target if it stays on this site: a path (with query and fragment), resolved the
/// way a browser would resolve it. `//evil.example`, `/\evil.example` and `/\t/evil.example`
/// (which browsers read as `//evil.example`) resolve to another host and are refused.
pub fn local_path(target: &str) -> Option<String> {
    let base = Url::parse("http://hoego.invalid/").expect("a valid base");
    if !target.starts_with('/') {
        return None;
    }
    let resolved = base.join(target).ok()?;
    if resolved.origin() != base.origin() {
        return None;
    }
    let mut path = resolved.path().to_owned();
    if let Some(q) = resolved.query() {
        path.push('?');
        path.push_str(q);
    }
    if let Some(f) = resolved.fragment() {
        path.push('#');
        path.push_str(f);
    }
    Some(path)
}

/// For answers that are not pages (JSON, files): nothing may run or frame them.
pub const DEFAULT_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Headers every answer carries (the policy only where a page has not set its own).
pub fn security_headers() -> [(HeaderName, HeaderValue); 4] {
    [
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::REFERRER_POLICY,
            // Same-origin: forms return to the page they were on (its Referer); other sites
            // learn nothing of hoego's URLs.
            HeaderValue::from_static("same-origin"),
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn only_same_origin_browser_posts_pass() {
        let post = Method::POST;
        let ours = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert!(same_origin(&post, &ours, true));
        let theirs = headers(&[
            ("host", "127.0.0.1:3000"),
            ("origin", "http://evil.example"),
        ]);
        assert!(!same_origin(&post, &theirs, true));
        let null = headers(&[("host", "127.0.0.1:3000"), ("origin", "null")]);
        assert!(!same_origin(&post, &null, true));
        let fetch = headers(&[
            ("sec-fetch-site", "cross-site"),
            ("origin", "http://127.0.0.1:3000"),
        ]);
        assert!(!same_origin(&post, &fetch, true));
        assert!(same_origin(
            &post,
            &headers(&[("sec-fetch-site", "same-origin")]),
            true
        ));
        assert!(
            !same_origin(&post, &headers(&[]), true),
            "cookie without provenance"
        );
        assert!(
            same_origin(&post, &headers(&[]), false),
            "nothing to ride on"
        );
        assert!(same_origin(&Method::GET, &theirs, true));
    }

    #[test]
    fn redirects_stay_on_site() {
        assert_eq!(
            local_path("/incidents?page=2#x").as_deref(),
            Some("/incidents?page=2#x")
        );
        for evil in [
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "https://evil.example/",
            "evil.example",
            "/\\/evil.example",
        ] {
            assert_eq!(local_path(evil), None, "{evil:?}");
        }
        // Percent-encoded, a tab is just part of the path.
        assert_eq!(local_path("/%09/x").as_deref(), Some("/%09/x"));
    }
}
