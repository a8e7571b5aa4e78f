//! Sections of the site ("سياسة", "اقتصاد"…): what a section is and what its name and slug
//! may be.

use super::ids::SectionId;
use super::text::has_forbidden_inline_chars;

const NAME_MAX_CHARS: usize = 50;
const SLUG_MAX_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub id: SectionId,
    /// The URL part: `/section/{slug}`.
    pub slug: String,
    pub name: String,
    /// Place in the menu, smallest first.
    pub position: i64,
}

/// A section with the number of articles filed in it (the newsroom's sections page).
#[derive(Debug, Clone)]
pub struct SectionWithCount {
    pub section: Section,
    pub articles: i64,
}

/// Lower-case Latin letters and digits in words joined by single hyphens: `local-news`.
pub fn valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= SLUG_MAX_CHARS
        && slug.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// Why a section name cannot be used, in Arabic for the editor; `Ok` if it can.
pub fn check_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        Err("اسم القسم مطلوب.")
    } else if name.chars().count() > NAME_MAX_CHARS || has_forbidden_inline_chars(name) {
        Err("اسم القسم طويل أو يحتوي على محارف غير مسموح بها (50 حرفًا على الأكثر).")
    } else {
        Ok(())
    }
}

/// Why a slug cannot be used, in Arabic for the editor; `Ok` if it can.
pub fn check_slug(slug: &str) -> Result<(), &'static str> {
    if valid_slug(slug) {
        Ok(())
    } else {
        Err("المعرّف غير صالح: حروف لاتينية صغيرة وأرقام، تفصل بينها شرطات (مثل local-news).")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_simple_latin_words() {
        for good in ["sports", "local-news", "world2"] {
            assert!(valid_slug(good), "{good}");
        }
        for bad in [
            "",
            "Sports",
            "local news",
            "-x",
            "x-",
            "a--b",
            "رياضة",
            "a_b",
            &"a".repeat(41),
        ] {
            assert!(!valid_slug(bad), "{bad}");
        }
    }

    #[test]
    fn names_are_short_plain_text() {
        assert!(check_name("رياضة").is_ok());
        assert!(check_name("").is_err());
        assert!(check_name(&"ب".repeat(51)).is_err());
        assert!(check_name("قسم\u{202E}").is_err());
    }
}
