//! Documents for programs: RSS feeds, sitemaps and robots.txt.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use flate2::Compression;

use crate::app::authors;
use crate::app::reading;
use crate::core::authors::author_slug;
use crate::core::paging;
use crate::core::tags::slug_of;
use crate::core::time::now_timestamp;
use crate::runtime::AppState;
use crate::runtime::front_pages::SitemapBatches;
use crate::runtime::gzip::GzipStream;
use crate::views::feeds::{self, FeedContext, NewsSitemap, RssFeed, SitemapUrl};
use crate::web::compression::accepts_gzip;
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
    let found = reading::tagged(&state.db, slug, feeds::FEED_ITEMS, now_timestamp()).await?;
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
    let bylines = state.bylines.of(&state.db, &slug).await?;
    let name = bylines.first().cloned().ok_or(WebError::NotFound)?;
    let latest =
        authors::articles_by(&state.db, bylines, 0, feeds::FEED_ITEMS, now_timestamp()).await?;
    rss(&state, latest, |latest, context| {
        RssFeed::for_author(&name, &slug, latest, context)
    })
    .await
}

/// `/tags-sitemap.xml`: every tag page with an article readers may see.
pub async fn tags_sitemap(state: web::Data<AppState>) -> Result<HttpResponse, WebError> {
    let tags = reading::visible_tags(&state.db, now_timestamp()).await?;
    let urls = feeds::tag_urls(&state.site, &tags);
    Ok(xml(feeds::XML_CONTENT_TYPE, feeds::urlset(&urls)?))
}

/// `/sitemap.xml`, and `/sitemap-{n}.xml` when the site has outgrown one sitemap.
async fn sitemap_part(
    req: &HttpRequest,
    state: web::Data<AppState>,
    part: Option<i64>,
) -> Result<HttpResponse, WebError> {
    let now = now_timestamp();
    let fixed = 1 + state.sections.all().len() as i64;
    let max = state.sitemap_max_urls;
    let articles = state.front_pages.visible_count(&state.db, now).await?;
    let parts = paging::sitemap_parts(fixed, articles, max);
    let (with_pages, range) = match (part, parts) {
        // Everything fits one sitemap: it is the sitemap, and there are no parts.
        (None, 1) => (true, 0..articles),
        (Some(_), 1) => return Err(WebError::NotFound),
        (None, _) => return sitemap_index(&state, parts, fixed, articles, now).await,
        (Some(n), _) => {
            let range = paging::sitemap_part(n, fixed, articles, max).ok_or(WebError::NotFound)?;
            (range.with_fixed, range.articles)
        }
    };
    let pages = match with_pages {
        true => fixed_pages(&state, now).await?,
        false => Vec::new(),
    };
    let batches = SitemapBatches::new(range, state.sitemap_batch, now);
    let gzip = accepts_gzip(req).then(|| GzipStream::new(Compression::fast()));
    let mut response = HttpResponse::Ok();
    response
        .content_type(feeds::XML_CONTENT_TYPE)
        .insert_header((header::VARY, "Accept-Encoding"));
    if gzip.is_some() {
        response.insert_header((header::CONTENT_ENCODING, "gzip"));
    }
    let sending = UrlSetStream {
        state,
        pages: Some(pages),
        batches,
        gzip,
        finished: false,
    };
    Ok(response.streaming(futures_util::stream::unfold(
        sending,
        |mut sending| async move {
            match sending.next_chunk().await {
                Ok(Some(bytes)) => Some((Ok(bytes), sending)),
                Ok(None) => None,
                // The status is sent: all that is left is to cut the response short.
                Err(e) => {
                    tracing::error!(cause = %e, "a sitemap stopped halfway");
                    sending.finished = true;
                    Some((Err(e), sending))
                }
            }
        },
    )))
}

/// The site's pages other than articles, each with when it last changed.
async fn fixed_pages(state: &AppState, now: i64) -> Result<Vec<SitemapUrl>, WebError> {
    let sections = state.sections.all();
    let newest = reading::latest(&state.db, None, 1, now).await?;
    let mut newest_in_section = Vec::with_capacity(sections.len());
    for section in sections.iter() {
        let latest = reading::latest(&state.db, Some(section.id), 1, now).await?;
        newest_in_section.push(latest.first().map(|a| a.published_at));
    }
    let newest = newest.first().map(|a| a.published_at);
    Ok(feeds::page_urls(
        &state.site,
        &sections,
        newest,
        &newest_in_section,
    ))
}

/// The index of a split sitemap: each part, changed when the last of its URLs did (read a
/// batch at a time, like the parts themselves).
async fn sitemap_index(
    state: &AppState,
    parts: i64,
    fixed: i64,
    articles: i64,
    now: i64,
) -> Result<HttpResponse, WebError> {
    let pages = fixed_pages(state, now).await?;
    let mut index = Vec::with_capacity(parts as usize);
    for n in 1..=parts {
        let Some(range) = paging::sitemap_part(n, fixed, articles, state.sitemap_max_urls) else {
            continue;
        };
        let mut batches = SitemapBatches::new(range.articles, state.sitemap_batch, now);
        let mut changed = None;
        while let Some(entries) = batches.next(&state.front_pages, &state.db).await? {
            changed = changed.max(feeds::latest_change(&entries));
        }
        let fixed_changes: &[_] = if range.with_fixed { &pages } else { &[] };
        index.push(feeds::part_url(
            &state.site.base_url,
            n,
            changed,
            fixed_changes,
        ));
    }
    Ok(xml(feeds::XML_CONTENT_TYPE, feeds::sitemap_index(index)?))
}

/// A sitemap on its way out: its fixed pages, then its articles a batch at a time, each
/// written as XML (and gzip-compressed, when the client accepts it) and sent before the
/// next is read. So a part of 50,000 URLs holds a batch, never the whole document.
struct UrlSetStream {
    state: web::Data<AppState>,
    pages: Option<Vec<SitemapUrl>>,
    batches: SitemapBatches,
    gzip: Option<GzipStream>,
    finished: bool,
}

impl UrlSetStream {
    async fn next_chunk(&mut self) -> Result<Option<Bytes>, WebError> {
        while !self.finished {
            let mut text = String::new();
            if let Some(pages) = self.pages.take() {
                text.push_str(feeds::URLSET_OPEN);
                feeds::write_url_lines(&pages, &mut text)?;
            } else {
                let state = &self.state;
                match self.batches.next(&state.front_pages, &state.db).await? {
                    Some(entries) => {
                        let urls = feeds::article_urls(&entries, &state.site);
                        // A line is ~90 bytes: one allocation per batch.
                        text.reserve(urls.len() * 90);
                        feeds::write_url_lines(&urls, &mut text)?;
                    }
                    None => {
                        text.push_str(feeds::URLSET_CLOSE);
                        self.finished = true;
                    }
                }
            }
            let bytes = match (self.finished, &mut self.gzip) {
                (_, None) => Bytes::from(text),
                (false, Some(gzip)) => gzip.push(text.as_bytes()).map_err(gzip_failed)?,
                (true, gzip) => match gzip.take() {
                    Some(gzip) => gzip.finish(text.as_bytes()).map_err(gzip_failed)?,
                    None => Bytes::from(text),
                },
            };
            // gzip holds back what it has not made a block of yet.
            if !bytes.is_empty() {
                return Ok(Some(bytes));
            }
        }
        Ok(None)
    }
}

fn gzip_failed(e: std::io::Error) -> WebError {
    WebError::Internal(format!("gzip: {e}"))
}

pub async fn sitemap(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    sitemap_part(&req, state, None).await
}

pub async fn sitemap_numbered(
    req: HttpRequest,
    path: web::Path<String>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let part = path.parse::<i64>().map_err(|_| WebError::NotFound)?;
    sitemap_part(&req, state, Some(part)).await
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
