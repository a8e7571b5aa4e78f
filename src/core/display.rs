//! How a reader has chosen to see pages: the text size and the colour theme. Both are
//! kept in cookies the server reads, so a page is rendered that way from its first byte
//! (no flash of the default size, no flash of white before the dark theme).

use super::font_size::FontSize;

/// Light or dark colours. `Auto` follows the device (`prefers-color-scheme`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Theme {
    pub fn parse(raw: &str) -> Option<Theme> {
        match raw.trim() {
            "auto" => Some(Theme::Auto),
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Theme::Auto => "auto",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
}

/// A reader's display choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Display {
    pub font_size: FontSize,
    pub theme: Theme,
}

impl Display {
    /// The classes on `<html>` the stylesheet reads: `fs-N`, and `theme-light` or
    /// `theme-dark` when the reader chose one over the device's.
    pub fn html_class(self) -> String {
        match self.theme {
            Theme::Auto => self.font_size.class(),
            theme => format!("{} theme-{}", self.font_size.class(), theme.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_html_class_names_size_and_chosen_theme() {
        assert_eq!(Display::default().html_class(), "fs-2");
        let dark = Display {
            font_size: FontSize::LARGEST,
            theme: Theme::Dark,
        };
        assert_eq!(dark.html_class(), "fs-5 theme-dark");
        assert_eq!(Theme::parse("light"), Some(Theme::Light));
        assert_eq!(Theme::parse("purple"), None);
    }
}
