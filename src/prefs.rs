//! A reader's display preferences, kept in a cookie that the server reads, so that pages are
//! rendered at the chosen size from the first byte (no flash of the default size).

use actix_web::HttpRequest;

pub const FONT_SIZE_COOKIE: &str = "font_size";

/// Body text size, a step from 1 (smallest) to 5 (largest).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FontSize(u8);

impl FontSize {
    pub const SMALLEST: FontSize = FontSize(1);
    pub const DEFAULT: FontSize = FontSize(2);
    pub const LARGEST: FontSize = FontSize(5);

    pub fn parse(raw: &str) -> Option<FontSize> {
        match raw.trim().parse::<u8>() {
            Ok(step) if (Self::SMALLEST.0..=Self::LARGEST.0).contains(&step) => {
                Some(FontSize(step))
            }
            _ => None,
        }
    }

    /// From the request's cookie; a missing or tampered cookie means the default.
    pub fn from_request(req: &HttpRequest) -> FontSize {
        req.cookie(FONT_SIZE_COOKIE)
            .and_then(|cookie| FontSize::parse(cookie.value()))
            .unwrap_or(Self::DEFAULT)
    }

    pub fn larger(self) -> FontSize {
        FontSize((self.0 + 1).min(Self::LARGEST.0))
    }

    pub fn smaller(self) -> FontSize {
        FontSize((self.0 - 1).max(Self::SMALLEST.0))
    }

    pub fn step(self) -> u8 {
        self.0
    }

    /// The class on `<html>` that the stylesheet sizes the body text by.
    pub fn class(self) -> String {
        format!("fs-{}", self.0)
    }
}

impl Default for FontSize {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// A `next=` target that stays on this site: a local absolute path, nothing that a browser
/// could read as another host (`//evil.example`, `/\evil.example`).
pub fn local_path(next: &str) -> Option<&str> {
    let safe = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    safe.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn font_size_stays_within_its_steps() {
        assert_eq!(FontSize::LARGEST.larger(), FontSize::LARGEST);
        assert_eq!(FontSize::SMALLEST.smaller(), FontSize::SMALLEST);
        assert_eq!(FontSize::DEFAULT.larger().step(), 3);
        assert_eq!(FontSize::parse("9"), None);
        assert_eq!(FontSize::parse("x"), None);
        assert_eq!(FontSize::parse("4"), Some(FontSize(4)));
    }

    #[test]
    fn next_must_be_a_local_path() {
        assert_eq!(local_path("/a/123"), Some("/a/123"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "/a\n",
        ] {
            assert_eq!(local_path(bad), None, "{bad:?}");
        }
    }
}
