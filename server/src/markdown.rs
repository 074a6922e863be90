//! Markdown → safe HTML for summaries and narratives.
//!
//! pulldown-cmark renders (raw HTML in the source passes through), then ammonia removes
//! everything not on its allowlist: `<script>`, event handlers like `onerror=`, `javascript:`
//! URLs, styles. Links get `rel="noopener noreferrer"`.

use pulldown_cmark::{Options, Parser, html};

pub fn render(source: &str) -> String {
    if source.trim().is_empty() {
        return String::new();
    }
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut raw = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(source, options));
    ammonia::clean(&raw)
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn formats_markdown() {
        assert_eq!(
            render("**Redis** 연결 풀 `maxActive`"),
            "<p><strong>Redis</strong> 연결 풀 <code>maxActive</code></p>\n"
        );
        assert!(render("| a | b |\n|---|---|\n| 1 | 2 |").contains("<table>"));
    }

    #[test]
    fn scripts_handlers_and_javascript_links_are_removed() {
        let out = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=\"alert(2)\">\n\n[click](javascript:alert(3)) <a href=\"javascript:alert(4)\">x</a>",
        );
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("onerror"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(out.contains("<img src=\"x\">"), "{out}");
    }

    #[test]
    fn links_do_not_leak_the_opener() {
        assert!(render("[doc](https://example.com)").contains("rel=\"noopener noreferrer\""));
    }

    #[test]
    fn blank_is_empty() {
        assert_eq!(render("  \n"), "");
    }
}
