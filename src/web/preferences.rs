//! The reader's display preferences, kept in a cookie that the server reads, so that pages
//! are rendered at the chosen size from the first byte (no flash of the default size).

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};

use crate::core::ArticleId;
use crate::core::display::{Display, Theme};
use crate::core::font_size::FontSize;

pub const FONT_SIZE_COOKIE: &str = "font_size";
pub const THEME_COOKIE: &str = "theme";

/// Set by the font-size and theme controls without JavaScript when they send the reader
/// back to an article: the reload that follows shows the article as newly chosen without
/// counting the reader a second time.
const RELOAD_COOKIE: &str = "display_reload";

/// A display preference's cookie, kept a year. Not HttpOnly on purpose: the page's script
/// writes the same cookie when the reader changes size or theme without a reload (it holds
/// a choice of display, nothing secret). Secure on an https site.
pub fn preference_cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .max_age(CookieDuration::days(365))
        .same_site(SameSite::Lax)
        .secure(secure)
        .finish()
}

/// The article a `next` path leads to, if it is one (`/a/{id}`, with or without a query).
pub fn article_of(path: &str) -> Option<ArticleId> {
    let rest = path.strip_prefix("/a/")?;
    let id = rest.split(['?', '#']).next()?;
    ArticleId::parse(id)
}

/// Marks the reload of article `id` after a change of size or theme (valid a minute, sent to that
/// article's page only).
pub fn reload_mark(id: ArticleId) -> Cookie<'static> {
    Cookie::build(RELOAD_COOKIE, id.to_string())
        .path(format!("/a/{id}"))
        .max_age(CookieDuration::seconds(60))
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish()
}

/// Whether this request is the reload of article `id` after a change of display; the
/// response then clears the mark with [`reload_mark_removal`].
pub fn is_display_reload(req: &HttpRequest, id: ArticleId) -> bool {
    req.cookie(RELOAD_COOKIE)
        .is_some_and(|cookie| cookie.value() == id.to_string())
}

pub fn reload_mark_removal(id: ArticleId) -> Cookie<'static> {
    let mut cookie = reload_mark(id);
    cookie.make_removal();
    cookie
}

/// The text size from the request's cookie; a missing or tampered cookie means the default.
pub fn font_size_of(req: &HttpRequest) -> FontSize {
    req.cookie(FONT_SIZE_COOKIE)
        .and_then(|cookie| FontSize::parse(cookie.value()))
        .unwrap_or_default()
}

/// The reader's theme from its cookie; missing or tampered means following the device.
pub fn theme_of(req: &HttpRequest) -> Theme {
    req.cookie(THEME_COOKIE)
        .and_then(|cookie| Theme::parse(cookie.value()))
        .unwrap_or_default()
}

/// Text size and theme, as the reader chose them.
pub fn display_of(req: &HttpRequest) -> Display {
    Display {
        font_size: font_size_of(req),
        theme: theme_of(req),
    }
}
