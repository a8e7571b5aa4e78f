//! What readers see: the home page, article pages, and their small helpers.

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::http::{Method, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::assets;
use crate::db::{self, articles};
use crate::domain::{ArticleId, SectionId};
use crate::error::AppError;
use crate::most_read;
use crate::page_cache::{self, Lookup};
use crate::pages::share::{self, ShareCard};
use crate::pages::{ArticlePage, ArticleView, HomePage, Layout, ListItem, Pager};
use crate::prefs::{self, FONT_SIZE_COOKIE, FontSize};
use crate::rendered_pages::RenderedPages;
use crate::state::AppState;

/// Articles per page of a list.
pub(super) const PAGE_SIZE: i64 = 20;
/// Headlines in the article page's "المزيد".
const MORE_COUNT: i64 = 8;

pub fn html(body: impl actix_web::body::MessageBody + 'static) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body)
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

/// `?page=N`: absent means 1; anything but a plain positive number is a page that doesn't exist.
pub(super) fn parse_page(raw: Option<&str>) -> Result<i64, AppError> {
    match raw {
        None => Ok(1),
        Some(raw) => match raw.parse::<i64>() {
            Ok(page) if (1..=1_000_000).contains(&page) => Ok(page),
            _ => Err(AppError::NotFound),
        },
    }
}

pub async fn home(
    req: HttpRequest,
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let cache = &state.list_pages;
    reused_page(&req, &state, cache, || {
        render_home(req.clone(), query, state.clone())
    })
    .await
}

/// The page from `cache` if a fresh copy is there, else rendered by `render` (and kept).
/// A rendered list page depends on its path and query, and the reader's text size.
pub(super) async fn reused_page<F, Fut>(
    req: &HttpRequest,
    state: &AppState,
    cache: &RenderedPages,
    render: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = Result<String, AppError>>,
{
    let key = format!(
        "{}?{}#{}",
        req.path(),
        req.query_string(),
        FontSize::from_request(req).step()
    );
    let page = cache
        .get_or_render(key, state.article_pages.generation(), render)
        .await?;
    Ok(html(page))
}

async fn render_home(
    req: HttpRequest,
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<String, AppError> {
    let page = parse_page(query.page.as_deref())?;
    let now = db::now_timestamp();
    // The lead is the newest article; the list pages go on after it.
    let offset = 1 + (page - 1) * PAGE_SIZE;
    // One article more than the page shows tells whether there is a next page: counting
    // every visible article took 40 ms per request with 100,000 of them.
    let (lead, mut items) = state
        .db(move |conn| {
            let lead = articles::latest_visible(conn, now, 0, 1)?;
            let items = articles::latest_visible(conn, now, offset, PAGE_SIZE + 1)?;
            Ok((lead.into_iter().next(), items))
        })
        .await?;
    let has_next = items.len() as i64 > PAGE_SIZE;
    items.truncate(PAGE_SIZE as usize);
    if page > 1 && items.is_empty() {
        return Err(AppError::NotFound);
    }
    let sections = state.sections.all();
    let mut layout = Layout::new(&state, FontSize::from_request(&req), None);
    layout.is_home = true;
    layout.description = format!("{} — آخر الأخبار العربية لحظة بلحظة.", state.site.name);
    layout.canonical = Some(match page {
        1 => format!("{}/", state.site.base_url),
        n => format!("{}/?page={n}", state.site.base_url),
    });
    layout.share = layout
        .canonical
        .clone()
        .map(|url| ShareCard::website(&state.site.name, &layout.description, url));
    let most_read = most_read::current(&state).await?;
    let page_view = HomePage {
        most_read: ListItem::list(most_read.to_vec(), &sections, &state.site),
        lead: (page == 1)
            .then(|| lead.map(|a| ListItem::new(a, &sections, &state.site)))
            .flatten(),
        items: ListItem::list(items, &sections, &state.site),
        pager: Pager {
            base: "/".to_owned(),
            page,
            has_next,
        },
        layout,
    };
    Ok(page_view.render()?)
}

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
) -> Result<HttpResponse, AppError> {
    let id = ArticleId::parse(&path).ok_or(AppError::NotFound)?;
    // The rendered page comes from the page cache (see page_cache.rs); the database is read
    // only to render it, once per article every few seconds. Drafts and unknown ids are
    // never cached: they are looked up, and 404, every time.
    let page = match state.article_pages.lookup(id) {
        Lookup::Fresh(page) => page,
        Lookup::Refresh(stale) => match load_article_page(&req, &state, id).await {
            Ok(Loaded::Cached(page)) => page,
            Ok(Loaded::Gone) => {
                state.article_pages.remove(id);
                return Err(AppError::NotFound);
            }
            Ok(Loaded::Rendered(response)) => return Ok(response),
            Err(e) => {
                tracing::warn!(error = %e, "article page not rendered again; serving the last one");
                stale
            }
        },
        Lookup::Miss => match load_article_page(&req, &state, id).await? {
            Loaded::Cached(page) => page,
            Loaded::Gone => return Err(AppError::NotFound),
            Loaded::Rendered(response) => return Ok(response),
        },
    };
    let views = count_visit(&req, &state, id, page.stored_views);
    Ok(page_cache::respond(
        &req,
        &page,
        views,
        FontSize::from_request(&req),
        state.site.dates.digits,
    ))
}

/// Counts the visit (a GET that is not a prefetch) and returns the count to show.
fn count_visit(req: &HttpRequest, state: &AppState, id: ArticleId, stored_views: i64) -> i64 {
    let counts_as_visit = req.method() == Method::GET && !is_prefetch(req);
    if counts_as_visit {
        state.views.record_visit(id, stored_views)
    } else {
        state.views.current(id, stored_views)
    }
}

enum Loaded {
    Cached(std::sync::Arc<page_cache::CachedArticle>),
    /// Not (or no longer) visible.
    Gone,
    /// A page that could not be cut for the cache, rendered for this request alone.
    Rendered(HttpResponse),
}

/// Reads the article and its lists, renders its page and keeps it in the page cache.
async fn load_article_page(
    req: &HttpRequest,
    state: &AppState,
    id: ArticleId,
) -> Result<Loaded, AppError> {
    let generation = state.article_pages.generation();
    let now = db::now_timestamp();
    let Some((article, more)) = state
        .db(move |conn| {
            let Some(article) = articles::find_visible(conn, id, now)? else {
                return Ok(None);
            };
            let more = more_headlines(conn, &article, now)?;
            Ok(Some((article, more)))
        })
        .await?
    else {
        return Ok(Loaded::Gone);
    };
    let most_read = most_read::current(state).await?;
    let render = |views: i64, font_size: FontSize| {
        render_article_page(state, &article, &more, &most_read, views, font_size)
    };
    match page_cache::split_article_page(render, state.site.dates.digits)? {
        Some(page) => Ok(Loaded::Cached(state.article_pages.store(
            id,
            generation,
            article.views,
            page,
        ))),
        None => {
            tracing::warn!(%id, "article page cannot be cached; rendered per request");
            let views = count_visit(req, state, id, article.views);
            let html = render(views, FontSize::from_request(req))?;
            Ok(Loaded::Rendered(page_cache::article_response().body(html)))
        }
    }
}

/// The article page with `views` shown and at `font_size`.
fn render_article_page(
    state: &AppState,
    article: &articles::PublicArticle,
    more: &[articles::ArticleSummary],
    most_read: &[articles::ArticleSummary],
    views: i64,
    font_size: FontSize,
) -> Result<String, AppError> {
    let sections = state.sections.all();
    let (published_at, updated_at) = (article.published_at, article.updated_at);
    let id = article.id;
    let article = ArticleView::new(article.clone(), &sections, &state.site);
    let mut layout = Layout::new(state, font_size, Some(&article.title));
    layout.description = article.summary.clone();
    layout.canonical = Some(article.permalink.clone());
    layout.current_section = sections
        .iter()
        .find(|s| Some(&s.slug) == article.section.as_ref().map(|l| &l.slug))
        .map(|s| s.id);
    let (card, json_ld) =
        share::article_card(&article, published_at, updated_at, views, &state.site);
    layout.share = Some(card);
    layout.json_ld = Some(json_ld);
    let most_read = most_read.iter().filter(|a| a.id != id).cloned().collect();
    let page = ArticlePage {
        most_read: ListItem::list(most_read, &sections, &state.site),
        layout,
        views,
        more: ListItem::list(more.to_vec(), &sections, &state.site),
        article,
        preview: None,
    };
    Ok(page.render()?)
}

/// "المزيد": the newest other articles of the same section, filled up with the newest
/// of the others.
fn more_headlines(
    conn: &mut diesel::SqliteConnection,
    article: &articles::PublicArticle,
    now: i64,
) -> diesel::QueryResult<Vec<articles::ArticleSummary>> {
    let mut excluded = vec![article.id];
    let mut more = articles::latest_visible_in_section(
        conn,
        SectionId::from_db(article.section_id),
        now,
        &excluded,
        0,
        MORE_COUNT,
    )?;
    let missing = MORE_COUNT - more.len() as i64;
    if missing > 0 {
        excluded.extend(more.iter().map(|a| a.id));
        more.extend(articles::latest_visible_excluding(
            conn, now, &excluded, missing,
        )?);
    }
    Ok(more)
}

#[derive(Deserialize)]
pub struct FontSizeQuery {
    step: Option<String>,
    next: Option<String>,
}

/// The font-size control without JavaScript: set the cookie, go back to the page.
/// (With JavaScript the script writes the same cookie itself and no request is made.)
pub async fn set_font_size(req: HttpRequest, query: web::Query<FontSizeQuery>) -> HttpResponse {
    let current = FontSize::from_request(&req);
    let chosen = match query.step.as_deref() {
        Some("up") => current.larger(),
        Some("down") => current.smaller(),
        _ => current,
    };
    let back = query
        .next
        .as_deref()
        .and_then(prefs::local_path)
        .unwrap_or("/");
    let cookie = Cookie::build(FONT_SIZE_COOKIE, chosen.step().to_string())
        .path("/")
        .max_age(CookieDuration::days(365))
        .same_site(SameSite::Lax)
        .finish();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back.to_owned()))
        .cookie(cookie)
        .finish()
}

pub async fn static_asset(
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let asset = assets::find(&path).ok_or(AppError::NotFound)?;
    // The URL carries a hash of the content (see assets.rs), so it may be kept for a year.
    // Text files are gzip-compressed once (compression.rs); fonts are served as they are.
    Ok(crate::compression::static_file(
        &req,
        asset,
        "public, max-age=31536000, immutable",
    ))
}

pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let answer = state
        .db(|conn| {
            use diesel::RunQueryDsl;
            diesel::sql_query("SELECT 1").execute(conn)
        })
        .await;
    match answer {
        Ok(_) => HttpResponse::Ok()
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
