//! How reader pages are answered: as HTML, reused from a list-page cache when fresh.

use actix_web::{HttpRequest, HttpResponse};

use crate::runtime::AppState;
use crate::runtime::list_pages::ListPageCache;
use crate::web::error::WebError;
use crate::web::preferences::font_size_of;

pub fn html(body: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// The page from `cache` if a fresh copy is there, else rendered by `render` (and kept);
/// 503 with `Retry-After` if the cache refuses to render more at once. A rendered list
/// page depends on its path and query, and the reader's text size.
pub async fn reused_page<F, Fut>(
    req: &HttpRequest,
    state: &AppState,
    cache: &ListPageCache,
    render: F,
) -> Result<HttpResponse, WebError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<String, WebError>>,
{
    let key = format!(
        "{}?{}#{}",
        req.path(),
        req.query_string(),
        font_size_of(req).step()
    );
    let page = cache
        .get_or_render(key, state.article_pages.generation(), render)
        .await?
        .ok_or(WebError::Busy {
            retry_after_seconds: 1,
        })?;
    Ok(html(page))
}

/// `?page=N`: absent means 1; anything else but a plain positive number is a page that
/// does not exist.
pub fn page_number(raw: Option<&str>) -> Result<i64, WebError> {
    crate::core::paging::parse_page(raw).ok_or(WebError::NotFound)
}
