//! The reader's display preferences, kept in a cookie that the server reads, so that pages
//! are rendered at the chosen size from the first byte (no flash of the default size).

use actix_web::HttpRequest;

use crate::core::font_size::FontSize;

pub const FONT_SIZE_COOKIE: &str = "font_size";

/// The text size from the request's cookie; a missing or tampered cookie means the default.
pub fn font_size_of(req: &HttpRequest) -> FontSize {
    req.cookie(FONT_SIZE_COOKIE)
        .and_then(|cookie| FontSize::parse(cookie.value()))
        .unwrap_or_default()
}
