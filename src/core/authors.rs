//! Authors as readers meet them: the byline of an article, and a page for each byline
//! (`/author/{slug}`) with the author's articles and, when the newsroom wrote one, a short
//! biography and a picture. Bylines are typed per article ("مراسل صحيفة في حلب"), so two
//! spellings Arabic typing varies are one author, as with tags.

use super::PictureId;
use super::article::ArticleSummary;
use super::picture::Picture;
use super::tags::slug_of;
use super::text::has_forbidden_block_chars;

pub const BIO_MAX_CHARS: usize = 600;

/// The slug of a byline: its page is `/author/{slug}`.
pub fn author_slug(byline: &str) -> String {
    slug_of(byline)
}

/// What the newsroom wrote about an author.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorProfile {
    pub bio: String,
    pub picture: Option<PictureId>,
}

/// A biography as typed: trimmed; refused when too long or carrying control characters.
pub fn check_bio(raw: &str) -> Result<String, &'static str> {
    let bio = raw.trim();
    if bio.chars().count() > BIO_MAX_CHARS {
        return Err("النبذة 600 حرف على الأكثر.");
    }
    if has_forbidden_block_chars(bio) {
        return Err("في النبذة رموز غير مسموح بها.");
    }
    Ok(bio.to_owned())
}

/// One page of an author's page.
#[derive(Debug, Clone)]
pub struct AuthorPageData {
    /// The byline as typed (the first spelling, in the bylines' order, if there are several).
    pub name: String,
    pub profile: AuthorProfile,
    pub picture: Option<Picture>,
    /// Up to the limit asked for (the caller asks one more, to know of a next page).
    pub articles: Vec<ArticleSummary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bylines_fold_like_tags_and_bios_are_checked() {
        assert_eq!(author_slug("رامي الحلبي"), "رامي-الحلبي");
        assert_eq!(author_slug("رامي  الحلبيّ"), author_slug("رامي الحلبي"));
        assert_eq!(check_bio("  صحفي من حلب.  "), Ok("صحفي من حلب.".into()));
        assert!(check_bio(&"ن".repeat(601)).is_err());
        assert!(check_bio("نبذة\u{0007}").is_err());
    }
}
