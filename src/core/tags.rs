//! Tags: free words an editor attaches to an article ("حلب", "الانتخابات البلدية"). Two
//! spellings that differ only where Arabic typing varies (hamza seats, final ya, ta
//! marbuta, tashkeel: «الأسد» and «الاسد») are one tag: its slug is the search
//! normaliser's tokens, joined by hyphens, and it keeps the first spelling used as its name.

use super::arabic::search_text::folded_words;
use super::text::has_forbidden_inline_chars;

/// At most this many tags per article.
pub const MAX_TAGS: usize = 10;
pub const TAG_MAX_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// As first typed, spaces collapsed.
    pub name: String,
    /// The folded form: `/tag/{slug}`, and what makes two spellings one tag.
    pub slug: String,
}

/// The slug two spellings of one tag share.
pub fn slug_of(name: &str) -> String {
    folded_words(name).join("-")
}

impl Tag {
    /// One tag as typed; `Ok(None)` for nothing but spaces.
    pub fn parse(raw: &str) -> Result<Option<Tag>, &'static str> {
        let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Ok(None);
        }
        if has_forbidden_inline_chars(&name) {
            return Err("في الوسوم رموز غير مسموح بها.");
        }
        if name.chars().count() > TAG_MAX_CHARS {
            return Err("الوسم الواحد 40 حرفًا على الأكثر.");
        }
        let slug = slug_of(&name);
        if slug.is_empty() {
            return Err("الوسم يحتاج حرفًا أو رقمًا على الأقل.");
        }
        Ok(Some(Tag { name, slug }))
    }
}

/// The tags of the form's field: separated by commas (Arabic «،» or Latin) or lines,
/// each once (by slug, the first spelling kept), at most [`MAX_TAGS`].
pub fn parse_tags(raw: &str) -> Result<Vec<Tag>, &'static str> {
    let mut tags: Vec<Tag> = Vec::new();
    for part in raw.split([',', '،', '\n', ';', '؛']) {
        if let Some(tag) = Tag::parse(part)?
            && !tags.iter().any(|t| t.slug == tag.slug)
        {
            tags.push(tag);
        }
    }
    if tags.len() > MAX_TAGS {
        return Err("عشرة وسوم على الأكثر لكل خبر.");
    }
    Ok(tags)
}

/// The field's text for `tags`: names joined by the Arabic comma.
pub fn field_text(tags: &[Tag]) -> String {
    tags.iter()
        .map(|t| t.name.as_str())
        .collect::<Vec<_>>()
        .join("، ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_that_arabic_typing_varies_are_one_tag() {
        let tags = parse_tags("الأسد، الاسد ,  حلب الشهباء\nمدرسة، مدرسه، حلب").unwrap();
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["الأسد", "حلب الشهباء", "مدرسة", "حلب"]);
        assert_eq!(tags[0].slug, "الاسد");
        assert_eq!(tags[1].slug, "حلب-الشهباء");
        assert_eq!(slug_of("الأسدُ"), slug_of("الاسد"));
    }

    #[test]
    fn bad_tags_are_refused() {
        assert_eq!(parse_tags(" ، ,"), Ok(vec![]));
        assert!(parse_tags(&"ك".repeat(41)).is_err());
        assert!(parse_tags("...").is_err());
        assert!(parse_tags("وسم\u{202E}مقلوب").is_err());
        let eleven: Vec<String> = (1..=11).map(|n| format!("وسم{n}")).collect();
        assert!(parse_tags(&eleven.join("،")).is_err());
        assert_eq!(field_text(&parse_tags("أ، ب").unwrap()), "أ، ب");
    }
}
