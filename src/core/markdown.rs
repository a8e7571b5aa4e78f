//! Article bodies: Markdown as typed by the editor, rendered once at save time to sanitised
//! HTML that reader pages include as it is. The reader site, the admin preview and the demo
//! content all go through `body_to_html`, so what an editor previews is what readers get.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, html};

use crate::core::picture::{Format, Picture, PictureId};
use crate::core::text::escape_html;

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

/// A picture from the library placed in a body: a line of its own reading `[صورة:12]`
/// (12 being the picture's number on the library page).
const PICTURE_PREFIX: &str = "[صورة:";

/// The picture number a body line places, if it is a picture line.
fn picture_line(line: &str) -> Option<PictureId> {
    let inner = line
        .trim()
        .strip_prefix(PICTURE_PREFIX)?
        .strip_suffix(']')?;
    PictureId::parse(inner)
}

/// The pictures a body places, in order, each once.
pub fn picture_references(markdown: &str) -> Vec<PictureId> {
    let mut ids = Vec::new();
    for id in markdown.lines().filter_map(picture_line) {
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    ids
}

/// Renders a Markdown body to HTML that is safe to embed in a page, with each picture line
/// as a `<figure>` of that picture from `pictures` (a line naming a picture not given is
/// left as text: the form refuses such a body before it is saved).
///
/// The figures are made after sanitising: the body is rendered with a placeholder paragraph
/// in each picture line's place, and the placeholder replaced by markup built here, every
/// text in it escaped.
pub fn body_to_html_with(markdown: &str, pictures: &[Picture]) -> String {
    if pictures.is_empty() {
        return body_to_html(markdown);
    }
    let placeholder = |id: PictureId| format!("SAHIFAPICTURE{id}");
    let marked: String = markdown
        .replace("\r\n", "\n")
        .lines()
        .map(|line| match picture_line(line) {
            Some(id) if pictures.iter().any(|p| p.id == id) => format!("\n{}\n", placeholder(id)),
            _ => line.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut html = body_to_html(&marked);
    for picture in pictures {
        let paragraph = format!("<p>{}</p>", placeholder(picture.id));
        html = html.replace(&paragraph, &figure_html(picture));
    }
    html
}

/// A library picture as a figure of a body: WebP and JPEG sizes, its shape reserved, loaded
/// when the reader scrolls near it.
fn figure_html(picture: &Picture) -> String {
    let sizes = "(min-width: 50rem) 46rem, 100vw";
    let mut html = format!(
        "<figure class=\"body-picture\"><picture><source type=\"image/webp\" srcset=\"{}\" sizes=\"{sizes}\"><img src=\"{}\" srcset=\"{}\" sizes=\"{sizes}\" width=\"{}\" height=\"{}\" alt=\"{}\" loading=\"lazy\"></picture>",
        escape_html(&picture.srcset(Format::WebP)),
        escape_html(&picture.fallback_url()),
        escape_html(&picture.srcset(Format::Jpeg)),
        picture.width,
        picture.height,
        escape_html(&picture.text.alt),
    );
    let text = &picture.text;
    if !text.caption.is_empty() || !text.credit.is_empty() {
        html.push_str("<figcaption>");
        html.push_str(&escape_html(&text.caption));
        if !text.credit.is_empty() {
            html.push_str(&format!(
                " <span class=\"credit\">تصوير: <bdi>{}</bdi></span>",
                escape_html(&text.credit)
            ));
        }
        html.push_str("</figcaption>");
    }
    html.push_str("</figure>");
    html
}

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

    fn picture(id: i64, alt: &str) -> Picture {
        Picture {
            id: PictureId::from_db(id),
            hash: "abc123".into(),
            width: 1000,
            height: 500,
            text: crate::core::picture::PictureText {
                alt: alt.into(),
                caption: "تعليق <b>".into(),
                credit: "مصور".into(),
            },
            placeholder: "#777777".into(),
            created_at: 0,
        }
    }

    #[test]
    fn picture_lines_become_figures_of_our_files_with_text_escaped() {
        let body = "فقرة أولى.\n[صورة:7]\nفقرة ثانية.\n\n[صورة:8]\n\n[صورة:7]";
        assert_eq!(
            picture_references(body),
            vec![PictureId::from_db(7), PictureId::from_db(8)]
        );
        let html = body_to_html_with(body, &[picture(7, "جسر \"قديم\" <script>")]);
        assert_eq!(html.matches("<figure class=\"body-picture\">").count(), 2);
        assert!(html.contains("srcset=\"/media/abc123/320.webp 320w, /media/abc123/640.webp 640w, /media/abc123/960.webp 960w\""));
        assert!(html.contains("alt=\"جسر &quot;قديم&quot; &lt;script&gt;\""));
        assert!(html.contains("<figcaption>تعليق &lt;b&gt; <span class=\"credit\">تصوير: <bdi>مصور</bdi></span></figcaption>"));
        assert!(html.contains("<p>فقرة أولى.</p>") && html.contains("<p>فقرة ثانية.</p>"));
        // Not given: left as the text typed.
        assert!(html.contains("[صورة:8]"));
        // Typed inside a paragraph, it is text, not a picture.
        assert!(picture_references("انظر [صورة:7] هنا").is_empty());
        // Markup typed in the body cannot pass for a figure.
        let forged = body_to_html_with(
            "SAHIFAPICTURE7 <img src=x onerror=alert(1)>",
            &[picture(7, "x")],
        );
        assert!(!forged.contains("onerror"));
    }

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
