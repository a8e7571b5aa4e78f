//! Documents for programs: RSS feeds, sitemaps and robots.txt.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::app::authors;
use crate::app::reading;
use crate::core::authors::author_slug;
use crate::core::paging;
use crate::core::tags::slug_of;
use crate::core::time::now_timestamp;
use crate::runtime::AppState;
use crate::views::feeds::{self, FeedContext, NewsSitemap, RssFeed};
use crate::web::error::WebError;

/// The lead pictures of `articles` (one query for all of them).
async fn lead_pictures(
    state: &AppState,
    articles: &[crate::core::article::ArticleSummary],
) -> Result<Vec<crate::core::picture::Picture>, WebError> {
    super::pictures_of(state, articles.iter().filter_map(|a| a.lead_picture)).await
}

/// An RSS feed of `latest` (newest first), named by `feed`, with their lead pictures.
async fn rss(
    state: &AppState,
    latest: Vec<crate::core::article::ArticleSummary>,
    feed: impl FnOnce(Vec<crate::core::article::ArticleSummary>, &FeedContext<'_>) -> RssFeed,
) -> Result<HttpResponse, WebError> {
    let pictures = lead_pictures(state, &latest).await?;
    let sections = state.sections.all();
    let context = FeedContext {
        pictures: &pictures,
        sections: &sections,
        site: &state.site,
    };
    Ok(xml(
        feeds::RSS_CONTENT_TYPE,
        feed(latest, &context).render()?,
    ))
}

fn xml(content_type: &'static str, body: String) -> HttpResponse {
    HttpResponse::Ok().content_type(content_type).body(body)
}

/// `/feed.xml`: the latest articles of the whole site.
pub async fn feed(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let latest = reading::latest(&state.db, None, feeds::FEED_ITEMS, now_timestamp()).await?;
    rss(&state, latest, RssFeed::for_site).await
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
    rss(&state, latest, |latest, context| {
        RssFeed::for_section(&section, latest, context)
    })
    .await
}

/// `/tag/{slug}/feed.xml`: the latest articles of one tag.
pub async fn tag_feed(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let slug = slug_of(&path);
    let found = reading::tagged(&state.db, slug, 0, feeds::FEED_ITEMS, now_timestamp()).await?;
    let (tag, latest) = found.ok_or(WebError::NotFound)?;
    rss(&state, latest, |latest, context| {
        RssFeed::for_tag(&tag, latest, context)
    })
    .await
}

/// `/author/{slug}/feed.xml`: the latest articles of one author.
pub async fn author_feed(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let slug = author_slug(&path);
    let found = authors::page(
        &state.db,
        slug.clone(),
        0,
        feeds::FEED_ITEMS,
        now_timestamp(),
    )
    .await?;
    let data = found.ok_or(WebError::NotFound)?;
    rss(&state, data.articles, |latest, context| {
        RssFeed::for_author(&data.name, &slug, latest, context)
    })
    .await
}

/// `/tags-sitemap.xml`: every tag page with an article readers may see.
pub async fn tags_sitemap(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let tags = reading::visible_tags(&state.db, now_timestamp()).await?;
    let urls = feeds::tag_urls(&state.site, &tags);
    Ok(xml(feeds::XML_CONTENT_TYPE, feeds::urlset(&urls)?))
}

/// `/sitemap.xml`, and `/sitemap-{n}.xml` when the site has outgrown one sitemap: each
/// document reads only the articles it lists (from the nearest page anchor), so a site of
/// a million articles never has them all in memory at once.
async fn sitemap_part(state: &AppState, part: Option<i64>) -> Result<HttpResponse, WebError> {
    let now = now_timestamp();
    let site = &state.site;
    let sections = state.sections.all();
    let fixed = 1 + sections.len() as i64;
    let max = state.sitemap_max_urls;
    let articles = state.front_pages.visible_count(&state.db, now).await?;
    let parts = paging::sitemap_parts(fixed, articles, max);
    let fixed_pages = || async {
        let newest = reading::latest(&state.db, None, 1, now).await?;
        let mut newest_in_section = Vec::with_capacity(sections.len());
        for section in sections.iter() {
            let latest = reading::latest(&state.db, Some(section.id), 1, now).await?;
            newest_in_section.push(latest.first().map(|a| a.published_at));
        }
        let newest = newest.first().map(|a| a.published_at);
        Ok::<_, WebError>(feeds::page_urls(
            site,
            &sections,
            newest,
            &newest_in_section,
        ))
    };
    let document = match (part, parts) {
        // Everything fits one sitemap: it is the sitemap, and there are no parts.
        (None, 1) => {
            let mut urls = fixed_pages().await?;
            let entries = state
                .front_pages
                .sitemap_entries(&state.db, 0..articles, now)
                .await?;
            urls.extend(feeds::article_urls(&entries, site));
            feeds::urlset(&urls)?
        }
        (Some(_), 1) => return Err(WebError::NotFound),
        (None, _) => {
            let pages = fixed_pages().await?;
            let mut index = Vec::with_capacity(parts as usize);
            for n in 1..=parts {
                let Some(range) = paging::sitemap_part(n, fixed, articles, max) else {
                    continue;
                };
                let entries = state
                    .front_pages
                    .sitemap_entries(&state.db, range.articles, now)
                    .await?;
                let fixed_changes: &[_] = if range.with_fixed { &pages } else { &[] };
                index.push(feeds::part_url(&site.base_url, n, &entries, fixed_changes));
            }
            feeds::sitemap_index(index)?
        }
        (Some(n), _) => {
            let range = paging::sitemap_part(n, fixed, articles, max).ok_or(WebError::NotFound)?;
            let mut urls = match range.with_fixed {
                true => fixed_pages().await?,
                false => Vec::new(),
            };
            let entries = state
                .front_pages
                .sitemap_entries(&state.db, range.articles, now)
                .await?;
            urls.extend(feeds::article_urls(&entries, site));
            feeds::urlset(&urls)?
        }
    };
    Ok(xml(feeds::XML_CONTENT_TYPE, document))
}

pub async fn sitemap(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    sitemap_part(&state, None).await
}

pub async fn sitemap_numbered(
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let part = path.parse::<i64>().map_err(|_| WebError::NotFound)?;
    sitemap_part(&state, Some(part)).await
}

/// `/news-sitemap.xml`: the articles of the last two days, in Google News' format.
pub async fn news_sitemap(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let now = now_timestamp();
    let since = now - feeds::NEWS_SITEMAP_SECONDS;
    let recent =
        reading::published_since(&state.db, since, feeds::NEWS_SITEMAP_MAX_URLS, now).await?;
    let pictures = lead_pictures(&state, &recent).await?;
    let sitemap = NewsSitemap::new(recent, &pictures, &state.site);
    Ok(xml(feeds::XML_CONTENT_TYPE, sitemap.render()?))
}

pub async fn robots(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(feeds::robots_txt(&state.site.base_url))
}
