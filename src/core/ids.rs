//! Identifiers. An `ArticleId` is the number in the short permalink `/a/{id}`.

use std::fmt;

use rand::Rng;

/// Permalink ids have 15 digits, like the site sahifa grew from: short enough to copy,
/// random so that they reveal nothing about how many articles there are.
const ARTICLE_ID_MIN: i64 = 100_000_000_000_000;
const ARTICLE_ID_MAX: i64 = 999_999_999_999_999;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ArticleId(i64);

impl ArticleId {
    /// Parses the id part of a URL: ASCII digits only, no sign, no leading zero, within i64.
    /// Anything else is simply not an article (a 404), never an error.
    pub fn parse(raw: &str) -> Option<Self> {
        let plausible = !raw.is_empty()
            && raw.len() <= 18
            && raw.bytes().all(|b| b.is_ascii_digit())
            && !raw.starts_with('0');
        if !plausible {
            return None;
        }
        raw.parse::<i64>().ok().map(ArticleId)
    }

    /// A fresh random permalink id (the caller checks it is not taken).
    pub fn random() -> Self {
        Self::random_from(&mut rand::rng())
    }

    /// A random permalink id drawn from `rng` (a seeded one gives the same ids again).
    pub fn random_from(rng: &mut impl Rng) -> Self {
        ArticleId(rng.random_range(ARTICLE_ID_MIN..=ARTICLE_ID_MAX))
    }

    /// Wraps an id read from the database.
    pub fn from_db(id: i64) -> Self {
        ArticleId(id)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A database-assigned id: wraps what the database handed out, shown as its number.
macro_rules! row_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(i64);

        impl $name {
            /// Wraps an id read from the database (or typed in a URL and then looked up).
            pub fn from_db(id: i64) -> Self {
                $name(id)
            }

            pub fn get(self) -> i64 {
                self.0
            }

            /// A positive number, as ids in URLs and forms are; anything else is no id.
            pub fn parse(raw: &str) -> Option<Self> {
                raw.trim().parse::<i64>().ok().filter(|id| *id > 0).map($name)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

row_id!(
    /// A section's id (sections are few and named by slug in URLs).
    SectionId
);
row_id!(
    /// A newsroom account's id.
    UserId
);
row_id!(
    /// A picture of the media library.
    PictureId
);
row_id!(
    /// One saved state of an article.
    RevisionId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_permalink_ids() {
        assert_eq!(
            ArticleId::parse("184471000889956").map(ArticleId::get),
            Some(184471000889956)
        );
        assert_eq!(ArticleId::parse("7").map(ArticleId::get), Some(7));
    }

    #[test]
    fn rejects_what_is_not_an_id() {
        for raw in [
            "",
            "abc",
            "-1",
            "+1",
            "0",
            "012",
            "1.5",
            " 1",
            "١٢٣",
            "123456789012345678901234567890",
            "9999999999999999999",
        ] {
            assert_eq!(ArticleId::parse(raw), None, "{raw:?}");
        }
    }

    #[test]
    fn random_ids_have_fifteen_digits() {
        for _ in 0..100 {
            assert_eq!(ArticleId::random().to_string().len(), 15);
        }
    }
}
