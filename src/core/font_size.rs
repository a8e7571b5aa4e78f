//! The reader's chosen text size. It is kept in a cookie that the server reads (see
//! `web::extractors`), so that pages are rendered at that size from the first byte.

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
}
