//! How reader pages are answered: as HTML, reused from a list-page cache when fresh.

use actix_web::{HttpRequest, HttpResponse};

use crate::runtime::AppState;
use crate::runtime::list_pages::ListPageCache;
use crate::web::error::WebError;
use crate::web::preferences::display_of;

pub fn html(body: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

/// The longest cache key kept: a longer one (a query of hundreds of words) is rendered
/// for its request alone.
const MAX_KEY_BYTES: usize = 512;

/// The page from `cache` if a fresh copy is there, else rendered by `render` (and kept);
/// 503 with `Retry-After` if the cache refuses to render more at once. A rendered list
/// page depends on its path, the query parameters it reads (`uses`) and the reader's text
/// size: any other parameter (`?x=…`, added by a link tracker or an attacker) is ignored,
/// never a new cache entry.
pub async fn reused_page<F, Fut>(
    req: &HttpRequest,
    state: &AppState,
    cache: &ListPageCache,
    uses: &[&str],
    render: F,
) -> Result<HttpResponse, WebError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<String, WebError>>,
{
    let key = cache_key(req, uses);
    if key.len() > MAX_KEY_BYTES {
        return Ok(html(render().await?));
    }
    let page = cache
        .get_or_render(key, state.article_pages.generation(), render)
        .await?
        .ok_or(WebError::Busy {
            retry_after_seconds: 1,
        })?;
    Ok(html(page))
}

/// The path, the first value of each parameter in `uses` (in that order), and the text size.
fn cache_key(req: &HttpRequest, uses: &[&str]) -> String {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let mut key = req.path().to_owned();
    for name in uses {
        if let Some((_, value)) = pairs.iter().find(|(n, _)| n == name) {
            key.push_str(&format!("&{name}={value}"));
        }
    }
    key.push_str(&format!("#{}", display_of(req).html_class()));
    key
}

/// `?page=N`: absent means 1; anything else but a plain positive number is a page that
/// does not exist.
pub fn page_number(raw: Option<&str>) -> Result<i64, WebError> {
    crate::core::paging::parse_page(raw).ok_or(WebError::NotFound)
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    fn key(uri: &str) -> String {
        cache_key(
            &TestRequest::with_uri(uri).to_http_request(),
            &["q", "page", "sort"],
        )
    }

    #[test]
    fn parameters_a_page_does_not_read_make_no_new_cache_entry() {
        let plain = key("/search?q=%D8%AE%D8%A8%D8%B1&page=2");
        assert_eq!(
            plain,
            key("/search?x=1&page=2&q=%D8%AE%D8%A8%D8%B1&utm_source=z")
        );
        assert_eq!(
            plain,
            key("/search?page=2&q=%D8%AE%D8%A8%D8%B1&fbclid=abc&page=9")
        );
        assert_ne!(plain, key("/search?q=%D8%AE%D8%A8%D8%B1&page=3"));
        assert_ne!(
            plain,
            key("/search?q=%D8%AE%D8%A8%D8%B1&page=2&sort=newest")
        );
        assert_eq!(key("/"), key("/?x="));
        assert_eq!(key("/?page=2"), key("/?page=2&x=yyyyyyyyyyyyyyyyyyyy"));
    }
}
