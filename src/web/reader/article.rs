//! Article pages: served from the page cache (see `runtime::article_pages`), counting each
//! visit on the way out.

use std::sync::Arc;

use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder, web};
use askama::Template;

use crate::app::reading;
use crate::core::ArticleId;
use crate::core::article::{ArticleSummary, PublicArticle};
use crate::core::display::Display;
use crate::core::front_page::Breaking;
use crate::core::time::now_timestamp;
use crate::runtime::AppState;
use crate::runtime::article_pages::{CachedArticle, Lookup};
use crate::views::reader::{ArticleContext, ArticlePage};
use crate::web::compression::accepts_gzip;
use crate::web::error::WebError;
use crate::web::preferences::{display_of, is_display_reload, reload_mark_removal};

/// A browser fetching a page speculatively, before (or without) the reader opening it.
fn is_prefetch(req: &HttpRequest) -> bool {
    let says_prefetch = |name: &str| {
        req.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("prefetch"))
    };
    says_prefetch("sec-purpose") || says_prefetch("purpose") || says_prefetch("x-moz")
}

pub async fn article(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let id = ArticleId::parse(&path).ok_or(WebError::NotFound)?;
    // The rendered page comes from the page cache; the database is read only to render
    // it, once per article every few seconds. Drafts and unknown ids are never cached:
    // they are looked up, and 404, every time.
    let page = match state.article_pages.lookup(id) {
        Lookup::Fresh(page) => page,
        Lookup::Refresh(stale) => match load_article_page(&req, &state, id).await {
            Ok(Loaded::Cached(page)) => page,
            Ok(Loaded::Rendered(response)) => return Ok(response),
            Err(WebError::NotFound) => {
                state.article_pages.remove(id);
                return Err(WebError::NotFound);
            }
            Err(e) => {
                tracing::warn!(error = %e, "article page not rendered again; serving the last one");
                stale
            }
        },
        Lookup::Miss => match load_article_page(&req, &state, id).await? {
            Loaded::Cached(page) => page,
            Loaded::Rendered(response) => return Ok(response),
        },
    };
    let views = count_visit(&req, &state, id, page.stored_views);
    let mut response = respond(&req, &page, views, &state);
    forget_resize(&req, id, &mut response);
    Ok(response)
}

/// After the reload a size or theme change asked for, the mark is cleared: the next visit counts.
fn forget_resize(req: &HttpRequest, id: ArticleId, response: &mut HttpResponse) {
    if is_display_reload(req, id) {
        // Only fails for a cookie that is not a valid header value; ours always is.
        let _ = response.add_cookie(&reload_mark_removal(id));
    }
}

/// Counts the visit (a GET that is not a prefetch, nor the reload after a size or
/// theme change) and returns the count to show.
fn count_visit(req: &HttpRequest, state: &AppState, id: ArticleId, stored_views: i64) -> i64 {
    let counts_as_visit =
        req.method() == Method::GET && !is_prefetch(req) && !is_display_reload(req, id);
    if counts_as_visit {
        state.views.record_visit(id, stored_views)
    } else {
        state.views.current(id, stored_views)
    }
}

enum Loaded {
    Cached(Arc<CachedArticle>),
    /// A page that could not be cut for the cache, rendered for this request alone.
    Rendered(HttpResponse),
}

/// Reads the article and its lists, renders its page and keeps it in the page cache.
/// `NotFound` if readers may not see it (or no longer).
async fn load_article_page(
    req: &HttpRequest,
    state: &AppState,
    id: ArticleId,
) -> Result<Loaded, WebError> {
    let generation = state.article_pages.generation();
    let now = now_timestamp();
    let (article, tag_ids) = reading::article(&state.db, id, now).await?;
    let related = state.related.of(&state.db, id, &tag_ids, now).await?;
    let more = state.latest.more_for(&state.db, &article).await?;
    let most_read = state.most_read.current(&state.db).await?;
    let breaking = breaking_now(state).await?;
    let render = |views: i64, display: Display| {
        let lists = Lists {
            more: &more,
            most_read: &most_read,
            related: &related,
            breaking: breaking.clone(),
        };
        render_article_page(state, &article, lists, views, display)
    };
    match state.article_pages.split(render, state.site.dates.digits)? {
        Some(page) => Ok(Loaded::Cached(state.article_pages.store(
            id,
            generation,
            article.views,
            page,
        ))),
        None => {
            tracing::warn!(%id, "article page cannot be cached; rendered per request");
            let views = count_visit(req, state, id, article.views);
            let html = render(views, display_of(req))?;
            let mut response = article_response().body(html);
            forget_resize(req, id, &mut response);
            Ok(Loaded::Rendered(response))
        }
    }
}

/// What an article page shows around the article.
struct Lists<'a> {
    more: &'a [ArticleSummary],
    most_read: &'a [ArticleSummary],
    related: &'a [ArticleSummary],
    breaking: Option<Breaking>,
}

/// The breaking-news bar in force now, if one is up.
pub(super) async fn breaking_now(state: &AppState) -> Result<Option<Breaking>, WebError> {
    let curation = state.curation.current(&state.db).await?;
    Ok(curation
        .breaking
        .clone()
        .filter(|b| now_timestamp() < b.until))
}

/// The article page with `views` shown, as the reader chose to see it.
fn render_article_page(
    state: &AppState,
    article: &PublicArticle,
    lists: Lists<'_>,
    views: i64,
    display: Display,
) -> Result<String, WebError> {
    let context = ArticleContext {
        site: &state.site,
        sections: state.sections.all(),
        more: lists.more,
        most_read: lists.most_read,
        related: lists.related,
        display,
        breaking: lists.breaking,
        footer_pages: state.site_pages.links(),
        logo: state.site_pages.logo(),
    };
    // Sized for the body and the page around it (~20 KB), so the text is not copied as it grows.
    let mut html = String::with_capacity(article.body_html.len() + 24 * 1024);
    ArticlePage::new(article, views, context).render_into(&mut html)?;
    Ok(html)
}

/// The cached page with this request's view count and text size: gzip when the client
/// accepts it (assembled from the precompressed pieces), else identity.
fn respond(req: &HttpRequest, page: &CachedArticle, views: i64, state: &AppState) -> HttpResponse {
    let (display, digits) = (display_of(req), state.site.dates.digits);
    let mut response = article_response();
    if accepts_gzip(req)
        && let Some(gzipped) = page.gzipped(views, display, digits)
    {
        return response
            .insert_header((header::CONTENT_ENCODING, "gzip"))
            .body(gzipped);
    }
    response.body(page.identity(views, display, digits))
}

/// The headers of every article page, cached or not.
fn article_response() -> HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .content_type("text/html; charset=utf-8")
        // The view count changes with every visit: never serve this page from a cache.
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        // The font size comes from a cookie; the encoding from Accept-Encoding.
        .insert_header((header::VARY, "Cookie, Accept-Encoding"));
    response
}
