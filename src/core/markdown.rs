//! Article bodies: Markdown as typed by the editor, rendered once at save time to sanitised
//! HTML that reader pages include as it is. The reader site, the admin preview and the demo
//! content all go through `body_to_html`, so what an editor previews is what readers get.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, html};

/// The sanitiser, built once: ammonia's defaults already drop script, style, iframe, event
/// attributes and javascript: URLs; links additionally get `rel="noopener noreferrer"`.
static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .link_rel(Some("noopener noreferrer"))
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .add_generic_attributes(["dir"]);
    builder
});

/// Renders a Markdown body to HTML that is safe to embed in a page.
pub fn body_to_html(markdown: &str) -> String {
    let markdown = markdown.replace("\r\n", "\n");
    let options = Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES;
    // A single line break typed in the textarea is meant as a line break, not a space.
    let events = Parser::new_ext(&markdown, options).map(|event| match event {
        Event::SoftBreak => Event::HardBreak,
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 5 / 4);
    html::push_html(&mut unsafe_html, events);
    SANITIZER.clean(&unsafe_html).to_string()
}

/// Joins plain paragraphs into a Markdown body (blank line between paragraphs).
pub fn paragraphs_to_markdown(paragraphs: &[&str]) -> String {
    paragraphs.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_make_paragraphs() {
        let html = body_to_html("الفقرة الأولى.\n\nالفقرة الثانية.");
        assert_eq!(html.matches("<p>").count(), 2, "{html}");
    }

    #[test]
    fn windows_line_endings_make_paragraphs_too() {
        let html = body_to_html("الأولى\r\n\r\nالثانية");
        assert_eq!(html.matches("<p>").count(), 2, "{html}");
    }

    #[test]
    fn dangerous_markup_is_removed() {
        let html = body_to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[رابط](javascript:alert(1))\n\n<iframe src=\"https://evil.example\"></iframe>\n\n<p style=\"color:red\" onclick=\"x()\">نص</p>",
        );
        for bad in [
            "<script",
            "onerror",
            "javascript:",
            "<iframe",
            "onclick",
            "style=",
        ] {
            assert!(!html.contains(bad), "{bad} survived in {html}");
        }
        assert!(html.contains("نص"));
    }

    #[test]
    fn links_open_safely() {
        let html = body_to_html("[موقع](https://example.org)");
        assert!(html.contains("rel=\"noopener noreferrer\""), "{html}");
    }

    #[test]
    fn text_is_escaped() {
        let html = body_to_html("5 < 6 & \"اقتباس\"");
        assert!(html.contains("5 &lt; 6 &amp;"), "{html}");
    }
}
