//! Finding the news: section pages, search, feeds, sitemaps and robots.txt.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::reader::{PAGE_SIZE, parse_page, reused_page};
use crate::arabic::search_text;
use crate::db::{self, articles, search};
use crate::domain::SectionId;
use crate::error::AppError;
use crate::feeds::{self, NewsSitemap, RssFeed};
use crate::pages::discovery::{
    SearchOutcome, SearchPage, SearchResult, SectionPage, search_url, shorten_query,
};
use crate::pages::share::{FeedLink, ShareCard};
use crate::pages::{Layout, ListItem, Pager, SectionLink};
use crate::prefs::FontSize;
use crate::search::QueryTerms;
use crate::state::AppState;

/// Results per page of a search.
const SEARCH_PAGE_SIZE: i64 = 10;

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    page: Option<String>,
}

fn xml(content_type: &'static str, body: String) -> HttpResponse {
    HttpResponse::Ok().content_type(content_type).body(body)
}

pub async fn section(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let cache = &state.list_pages;
    reused_page(&req, &state, cache, || {
        render_section(req.clone(), path, query, state.clone())
    })
    .await
}

async fn render_section(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<String, AppError> {
    let section = state.sections.by_slug(&path).ok_or(AppError::NotFound)?;
    let page = parse_page(query.page.as_deref())?;
    let now = db::now_timestamp();
    let section_id = SectionId::from_db(section.id);
    // As on the home page: the newest article leads, the list pages go on after it.
    let offset = 1 + (page - 1) * PAGE_SIZE;
    // One article more than the page shows tells whether there is a next page (cheaper
    // than counting the section's articles: see the home page).
    let (lead, mut items) = state
        .db(move |conn| {
            let lead = articles::latest_visible_in_section(conn, section_id, now, &[], 0, 1)?;
            let items = articles::latest_visible_in_section(
                conn,
                section_id,
                now,
                &[],
                offset,
                PAGE_SIZE + 1,
            )?;
            Ok((lead.into_iter().next(), items))
        })
        .await?;
    let has_next = items.len() as i64 > PAGE_SIZE;
    items.truncate(PAGE_SIZE as usize);
    if page > 1 && items.is_empty() {
        return Err(AppError::NotFound);
    }
    let sections = state.sections.all();
    let site = &state.site;
    let mut layout = Layout::new(&state, FontSize::from_request(&req), Some(&section.name));
    layout.current_section = Some(section.id);
    layout.description = format!("آخر أخبار {} في {}.", section.name, site.name);
    let url = format!("{}/section/{}", site.base_url, section.slug);
    layout.canonical = Some(match page {
        1 => url.clone(),
        n => format!("{url}?page={n}"),
    });
    layout.share = Some(ShareCard::website(
        &layout.title,
        &layout.description,
        url.clone(),
    ));
    layout.feed = Some(FeedLink {
        title: format!("{} — {}", section.name, site.name),
        url: format!("{url}/feed.xml"),
    });
    let page_view = SectionPage {
        section: SectionLink::from(&section),
        lead: (page == 1)
            .then(|| lead.map(|a| ListItem::new(a, &sections, site)))
            .flatten(),
        items: ListItem::list(items, &sections, site),
        pager: Pager {
            base: format!("/section/{}", section.slug),
            page,
            has_next,
        },
        layout,
    };
    Ok(page_view.render()?)
}

pub async fn search(
    req: HttpRequest,
    query: web::Query<SearchQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let cache = &state.search_pages;
    reused_page(&req, &state, cache, || {
        render_search(req.clone(), query, state.clone())
    })
    .await
}

async fn render_search(
    req: HttpRequest,
    query: web::Query<SearchQuery>,
    state: web::Data<AppState>,
) -> Result<String, AppError> {
    let query = query.into_inner();
    let text = query.q.unwrap_or_default();
    let page = parse_page(query.page.as_deref())?;
    let now = db::now_timestamp();
    let offset = (page - 1) * SEARCH_PAGE_SIZE;
    let (hits, total) = match search_text::match_expression(&text) {
        None => (Vec::new(), 0),
        Some(expression) => {
            state
                .db(move |conn| {
                    let hits = search::search(conn, &expression, now, offset, SEARCH_PAGE_SIZE)?;
                    let total = search::count(conn, &expression, now)?;
                    Ok((hits, total))
                })
                .await?
        }
    };
    if page > 1 && hits.is_empty() {
        return Err(AppError::NotFound);
    }
    let outcome = match (text.trim().is_empty(), total) {
        (true, _) => SearchOutcome::NoQuery,
        (false, 0) => SearchOutcome::NoResults,
        (false, n) => SearchOutcome::Found(n),
    };
    let shown_query = shorten_query(&text);
    let heading = match outcome {
        SearchOutcome::NoQuery => "البحث".to_owned(),
        _ => format!("البحث عن «{shown_query}»"),
    };
    let sections = state.sections.all();
    let terms = QueryTerms::new(&text);
    let mut layout = Layout::new(&state, FontSize::from_request(&req), Some(&heading));
    // Results change all the time and repeat the articles: not for search engines.
    layout.noindex = true;
    layout.search_query = text.clone();
    let page_view = SearchPage {
        shown_query,
        outcome,
        results: hits
            .into_iter()
            .map(|hit| SearchResult::new(hit, &terms, &sections, &state.site))
            .collect(),
        pager: Pager {
            base: search_url(&text),
            page,
            has_next: offset + SEARCH_PAGE_SIZE < total,
        },
        layout,
    };
    Ok(page_view.render()?)
}

/// `/feed.xml`: the latest articles of the whole site.
pub async fn feed(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let now = db::now_timestamp();
    let latest = state
        .db(move |conn| articles::latest_visible(conn, now, 0, feeds::FEED_ITEMS))
        .await?;
    let site = &state.site;
    let feed = RssFeed::new(
        site.name.clone(),
        format!("{} — آخر الأخبار.", site.name),
        format!("{}/", site.base_url),
        format!("{}/feed.xml", site.base_url),
        latest,
        &state.sections.all(),
        site,
    );
    Ok(xml(feeds::RSS_CONTENT_TYPE, feed.render()?))
}

/// `/section/{slug}/feed.xml`: the latest articles of one section.
pub async fn section_feed(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let section = state.sections.by_slug(&path).ok_or(AppError::NotFound)?;
    let now = db::now_timestamp();
    let section_id = SectionId::from_db(section.id);
    let latest = state
        .db(move |conn| {
            articles::latest_visible_in_section(conn, section_id, now, &[], 0, feeds::FEED_ITEMS)
        })
        .await?;
    let site = &state.site;
    let url = format!("{}/section/{}", site.base_url, section.slug);
    let feed = RssFeed::new(
        format!("{} — {}", section.name, site.name),
        format!("آخر أخبار {} في {}.", section.name, site.name),
        url.clone(),
        format!("{url}/feed.xml"),
        latest,
        &state.sections.all(),
        site,
    );
    Ok(xml(feeds::RSS_CONTENT_TYPE, feed.render()?))
}

/// `/sitemap.xml`, and `/sitemap-{n}.xml` when the site has outgrown one sitemap.
async fn sitemap_part(state: &AppState, part: Option<usize>) -> Result<HttpResponse, AppError> {
    let now = db::now_timestamp();
    let entries = state
        .db(move |conn| articles::sitemap_entries(conn, now))
        .await?;
    let urls = feeds::site_urls(&entries, &state.sections.all(), &state.site);
    let document =
        feeds::sitemap_document(&urls, part, feeds::SITEMAP_MAX_URLS, &state.site.base_url)?
            .ok_or(AppError::NotFound)?;
    Ok(xml(feeds::XML_CONTENT_TYPE, document))
}

pub async fn sitemap(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    sitemap_part(&state, None).await
}

pub async fn sitemap_numbered(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let part = path.parse::<usize>().map_err(|_| AppError::NotFound)?;
    sitemap_part(&state, Some(part)).await
}

/// `/news-sitemap.xml`: the articles of the last two days, in Google News' format.
pub async fn news_sitemap(state: web::Data<AppState>) -> Result<HttpResponse, AppError> {
    let now = db::now_timestamp();
    let since = now - feeds::NEWS_SITEMAP_SECONDS;
    let recent = state
        .db(move |conn| articles::visible_since(conn, now, since, feeds::NEWS_SITEMAP_MAX_URLS))
        .await?;
    let sitemap = NewsSitemap::new(recent, &state.site);
    Ok(xml(feeds::XML_CONTENT_TYPE, sitemap.render()?))
}

pub async fn robots(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(feeds::robots_txt(&state.site.base_url))
}
