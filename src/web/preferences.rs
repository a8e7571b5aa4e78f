//! The reader's display preferences, kept in a cookie that the server reads, so that pages
//! are rendered at the chosen size from the first byte (no flash of the default size).

use actix_web::HttpRequest;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};

use crate::core::ArticleId;
use crate::core::font_size::FontSize;

pub const FONT_SIZE_COOKIE: &str = "font_size";

/// Set by the font-size control without JavaScript when it sends the reader back to an
/// article: the reload that follows shows the article at its new size without counting
/// the reader a second time.
const RESIZED_COOKIE: &str = "resized";

/// The article a `next` path leads to, if it is one (`/a/{id}`, with or without a query).
pub fn article_of(path: &str) -> Option<ArticleId> {
    let rest = path.strip_prefix("/a/")?;
    let id = rest.split(['?', '#']).next()?;
    ArticleId::parse(id)
}

/// Marks the reload of article `id` after a font-size step (valid a minute, sent to that
/// article's page only).
pub fn resized_cookie(id: ArticleId) -> Cookie<'static> {
    Cookie::build(RESIZED_COOKIE, id.to_string())
        .path(format!("/a/{id}"))
        .max_age(CookieDuration::seconds(60))
        .http_only(true)
        .same_site(SameSite::Lax)
        .finish()
}

/// Whether this request is the reload of article `id` after a font-size step; the
/// response then clears the mark with [`resized_cookie_removal`].
pub fn is_resized_reload(req: &HttpRequest, id: ArticleId) -> bool {
    req.cookie(RESIZED_COOKIE)
        .is_some_and(|cookie| cookie.value() == id.to_string())
}

pub fn resized_cookie_removal(id: ArticleId) -> Cookie<'static> {
    let mut cookie = resized_cookie(id);
    cookie.make_removal();
    cookie
}

/// The text size from the request's cookie; a missing or tampered cookie means the default.
pub fn font_size_of(req: &HttpRequest) -> FontSize {
    req.cookie(FONT_SIZE_COOKIE)
        .and_then(|cookie| FontSize::parse(cookie.value()))
        .unwrap_or_default()
}
