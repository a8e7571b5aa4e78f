//! The small things around the pages: static files, the no-JavaScript font-size control,
//! and the health check.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use crate::app::reading;
use crate::core::display::Theme;
use crate::runtime::AppState;
use crate::views::assets;
use crate::web::compression;
use crate::web::error::WebError;
use crate::web::preferences::{
    FONT_SIZE_COOKIE, THEME_COOKIE, article_of, font_size_of, preference_cookie, reload_mark,
};
use crate::web::redirect::local_redirect_target;

#[derive(Deserialize)]
pub struct FontSizeQuery {
    step: Option<String>,
    next: Option<String>,
}

/// The font-size control without JavaScript: set the cookie, go back to the page.
/// (With JavaScript the script writes the same cookie itself and no request is made.)
pub async fn set_font_size(
    req: HttpRequest,
    query: web::Query<FontSizeQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let current = font_size_of(&req);
    let chosen = match query.step.as_deref() {
        Some("up") => current.larger(),
        Some("down") => current.smaller(),
        _ => current,
    };
    let back = query
        .next
        .as_deref()
        .and_then(local_redirect_target)
        .unwrap_or("/");
    let cookie = preference_cookie(
        FONT_SIZE_COOKIE,
        chosen.step().to_string(),
        state.auth.secure_cookies,
    );
    let mut response = HttpResponse::SeeOther();
    response
        .insert_header((header::LOCATION, back.to_owned()))
        .cookie(cookie);
    if let Some(id) = article_of(back) {
        response.cookie(reload_mark(id));
    }
    response.finish()
}

#[derive(Deserialize)]
pub struct ThemeQuery {
    set: Option<String>,
}

/// The theme control without JavaScript: remember the choice in the cookie the server
/// reads, and go back to the page the reader was on (the `Referer`, when it is this
/// site's), which is then rendered in that theme from its first byte.
pub async fn set_theme(
    req: HttpRequest,
    query: web::Query<ThemeQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let chosen = query
        .set
        .as_deref()
        .and_then(Theme::parse)
        .unwrap_or_default();
    let back = same_site_referer(&req, &state.site.base_url).unwrap_or_else(|| "/".to_owned());
    let cookie = preference_cookie(
        THEME_COOKIE,
        chosen.as_str().to_owned(),
        state.auth.secure_cookies,
    );
    let mut response = HttpResponse::SeeOther();
    response.cookie(cookie);
    if let Some(id) = article_of(&back) {
        response.cookie(reload_mark(id));
    }
    response.insert_header((header::LOCATION, back)).finish()
}

/// The local path (with its query) of the page that linked here, if it is a page of this
/// site: as configured (`--base-url`) or as this request reached the server.
fn same_site_referer(req: &HttpRequest, base_url: &str) -> Option<String> {
    let referer = req.headers().get(header::REFERER)?.to_str().ok()?;
    let info = req.connection_info();
    let reached = format!("{}://{}", info.scheme(), info.host());
    let path = [base_url.trim_end_matches('/'), reached.as_str()]
        .into_iter()
        .find_map(|origin| referer.strip_prefix(origin))?;
    local_redirect_target(path).map(str::to_owned)
}

pub async fn static_asset(
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    let asset = assets::find(&path).ok_or(WebError::NotFound)?;
    // The URL carries a hash of the content (see views/assets.rs), so it may be kept for a
    // year. Text files are gzip-compressed once; fonts are served as they are.
    Ok(compression::static_file(
        &req,
        asset,
        "public, max-age=31536000, immutable",
    ))
}

/// A served picture file (`/media/{hash}/{name}`): named by a hash of its pixels, so it
/// never changes and may be kept for a year.
pub async fn media_file(
    path: web::Path<(String, String)>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let (hash, name) = path.into_inner();
    let plausible = hash.len() <= 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    if !plausible || name.len() > 16 {
        return Err(WebError::NotFound);
    }
    let key = format!("{hash}/{name}");
    let (bytes, format) = match state.picture_files.get(&key) {
        Some(kept) => kept,
        None => {
            let (bytes, format) = crate::app::pictures::served_file(&state.db, hash, name)
                .await?
                .ok_or(WebError::NotFound)?;
            let bytes = bytes::Bytes::from(bytes);
            state.picture_files.put(key, bytes.clone(), format);
            (bytes, format)
        }
    };
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((
            actix_web::http::header::CACHE_CONTROL,
            "public, max-age=31536000, immutable",
        ))
        .body(bytes))
}

/// Readiness, for a load balancer or an operator: 200 when the database takes writes and
/// the view counts are being written, 503 otherwise; the body says what stands (JSON).
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let writable = reading::database_writable(&state.db).await;
    let flush = state.views.health();
    let now = crate::core::time::now_timestamp();
    let feed = state.change_feed.health();
    let ready = writable.is_ok() && flush.failing_since.is_none() && feed.failing_since.is_none();
    let report = serde_json::json!({
        "ready": ready,
        "database": match &writable {
            Ok(()) => "writable".to_owned(),
            Err(e) => e.to_string(),
        },
        "pending_views": state.views.unflushed(),
        "seconds_since_views_saved": flush.last_success_at.map(|at| now - at),
        "views_failing_for_seconds": flush.failing_since.map(|since| now - since),
        "views_error": flush.last_error,
        "change_feed": {
            "applied": feed.applied,
            "listening": feed.listening,
            "seconds_since_read": feed.last_success_at.map(|at| now - at),
            "failing_for_seconds": feed.failing_since.map(|since| now - since),
            "error": feed.last_error,
        },
    });
    let mut response = match ready {
        true => HttpResponse::Ok(),
        false => HttpResponse::ServiceUnavailable(),
    };
    response
        .content_type("application/json")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(report.to_string())
}

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    match reading::database_answers(&state.db).await {
        Ok(()) => HttpResponse::Ok()
            .content_type("text/plain; charset=utf-8")
            .body("ok"),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .content_type("text/plain; charset=utf-8")
                .body("database unavailable")
        }
    }
}
