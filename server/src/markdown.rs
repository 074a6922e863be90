//! Markdown → safe HTML for summaries and narratives.
//!
//! pulldown-cmark renders (raw HTML in the source passes through), then ammonia removes
//! everything not on its allowlist: `<script>`, event handlers like `onerror=`, `javascript:`
//! URLs, styles. Links get `rel="noopener noreferrer"`.
//!
//! [`plain_text`] is what the search index reads: the words without the markup, so snippets
//! show `Redis 연결 풀` rather than `**Redis** 연결 풀`.

use pulldown_cmark::{Event, Options, Parser, TagEnd, html};

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS);

pub fn render(source: &str) -> String {
    if source.trim().is_empty() {
        return String::new();
    }
    let mut raw = String::with_capacity(source.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(source, OPTIONS));
    ammonia::clean(&raw)
}

/// The text of a Markdown document, one line per block; raw HTML is dropped.
pub fn plain_text(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for event in Parser::new_ext(source, OPTIONS) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell,
            ) => out.push('\n'),
            _ => {}
        }
    }
    out.truncate(out.trim_end().len());
    out
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
    fn plain_text_keeps_words_and_drops_markup() {
        assert_eq!(
            super::plain_text(
                "# 원인\n\n**Redis** 연결 풀 `maxActive`\n\n- 고갈\n- <b>x</b> [링크](https://e.com)"
            ),
            "원인\nRedis 연결 풀 maxActive\n고갈\nx 링크"
        );
    }

    #[test]
    fn blank_is_empty() {
        assert_eq!(render("  \n"), "");
    }
}
