//! Documents for programs: RSS feeds, sitemaps and robots.txt.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::app::reading;
use crate::core::time::now_timestamp;
use crate::runtime::AppState;
use crate::views::feeds::{self, NewsSitemap, RssFeed};
use crate::web::error::WebError;

fn xml(content_type: &'static str, body: String) -> HttpResponse {
    HttpResponse::Ok().content_type(content_type).body(body)
}

/// `/feed.xml`: the latest articles of the whole site.
pub async fn feed(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let latest = reading::latest(&state.db, None, feeds::FEED_ITEMS, now_timestamp()).await?;
    let feed = RssFeed::for_site(latest, &state.sections.all(), &state.site);
    Ok(xml(feeds::RSS_CONTENT_TYPE, feed.render()?))
}

/// `/section/{slug}/feed.xml`: the latest articles of one section.
pub async fn section_feed(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let section = state.sections.by_slug(&path).ok_or(WebError::NotFound)?;
    let latest = reading::latest(
        &state.db,
        Some(section.id),
        feeds::FEED_ITEMS,
        now_timestamp(),
    )
    .await?;
    let feed = RssFeed::for_section(&section, latest, &state.sections.all(), &state.site);
    Ok(xml(feeds::RSS_CONTENT_TYPE, feed.render()?))
}

/// `/sitemap.xml`, and `/sitemap-{n}.xml` when the site has outgrown one sitemap.
async fn sitemap_part(state: &AppState, part: Option<usize>) -> Result<HttpResponse, WebError> {
    let entries = reading::sitemap_entries(&state.db, now_timestamp()).await?;
    let urls = feeds::site_urls(&entries, &state.sections.all(), &state.site);
    let document =
        feeds::sitemap_document(&urls, part, feeds::SITEMAP_MAX_URLS, &state.site.base_url)?
            .ok_or(WebError::NotFound)?;
    Ok(xml(feeds::XML_CONTENT_TYPE, document))
}

pub async fn sitemap(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    sitemap_part(&state, None).await
}

pub async fn sitemap_numbered(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let part = path.parse::<usize>().map_err(|_| WebError::NotFound)?;
    sitemap_part(&state, Some(part)).await
}

/// `/news-sitemap.xml`: the articles of the last two days, in Google News' format.
pub async fn news_sitemap(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let now = now_timestamp();
    let since = now - feeds::NEWS_SITEMAP_SECONDS;
    let recent =
        reading::published_since(&state.db, since, feeds::NEWS_SITEMAP_MAX_URLS, now).await?;
    let sitemap = NewsSitemap::new(recent, &state.site);
    Ok(xml(feeds::XML_CONTENT_TYPE, sitemap.render()?))
}

pub async fn robots(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(feeds::robots_txt(&state.site.base_url))
}
