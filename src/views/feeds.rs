//! Documents for programs rather than readers: the RSS 2.0 feeds, the sitemaps (split into
//! a sitemap index beyond [`SITEMAP_MAX_URLS`]), the Google News sitemap and robots.txt.
//! The XML comes from askama templates (`templates/*.xml`, escaped like HTML, which is
//! valid XML escaping); every link is absolute, from the configured base URL.

use askama::Template;

use super::items::section_link;
use crate::core::article::{ArticleSummary, SitemapEntry};
use crate::core::section::Section;
use crate::core::site::Site;
use crate::core::time::timestamp_to_utc;

/// Articles in a feed.
pub const FEED_ITEMS: i64 = 30;
/// The sitemap protocol's limit of URLs per sitemap file.
pub const SITEMAP_MAX_URLS: usize = 50_000;
/// Google News takes articles of the last two days, at most 1,000 of them.
pub const NEWS_SITEMAP_SECONDS: i64 = 2 * 86_400;
pub const NEWS_SITEMAP_MAX_URLS: i64 = 1_000;

pub const RSS_CONTENT_TYPE: &str = "application/rss+xml; charset=utf-8";
pub const XML_CONTENT_TYPE: &str = "application/xml; charset=utf-8";

#[derive(Template)]
#[template(path = "feed.xml")]
pub struct RssFeed {
    pub title: String,
    /// The page the feed belongs to.
    pub link: String,
    /// The feed's own URL.
    pub self_url: String,
    pub description: String,
    /// RFC 822 time of the newest item.
    pub last_build: Option<String>,
    pub items: Vec<RssItem>,
}

#[derive(Debug, Clone)]
pub struct RssItem {
    pub title: String,
    /// The permalink, also the guid.
    pub link: String,
    /// RFC 822.
    pub pub_date: String,
    pub description: String,
    pub category: Option<String>,
}

/// RFC 822 (as RSS 2.0 wants), in UTC: "Fri, 06 Jan 2017 09:32:00 +0000".
fn rfc822(unix_seconds: i64) -> String {
    timestamp_to_utc(unix_seconds).to_rfc2822()
}

/// W3C datetime (RFC 3339) in UTC, as sitemaps want: "2017-01-06T09:32:00Z". All in one
/// zone, so they also compare correctly as text.
fn w3c_datetime(unix_seconds: i64) -> String {
    timestamp_to_utc(unix_seconds).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

impl RssFeed {
    /// The site's feed: `/feed.xml`.
    pub fn for_site(articles: Vec<ArticleSummary>, sections: &[Section], site: &Site) -> Self {
        RssFeed::new(
            site.name.clone(),
            format!("{} — آخر الأخبار.", site.name),
            format!("{}/", site.base_url),
            format!("{}/feed.xml", site.base_url),
            articles,
            sections,
            site,
        )
    }

    /// A section's feed: `/section/{slug}/feed.xml`.
    pub fn for_section(
        section: &Section,
        articles: Vec<ArticleSummary>,
        sections: &[Section],
        site: &Site,
    ) -> Self {
        let url = format!("{}/section/{}", site.base_url, section.slug);
        RssFeed::new(
            format!("{} — {}", section.name, site.name),
            format!("آخر أخبار {} في {}.", section.name, site.name),
            url.clone(),
            format!("{url}/feed.xml"),
            articles,
            sections,
            site,
        )
    }

    /// A feed of `articles` (newest first) for the page at `link`.
    fn new(
        title: String,
        description: String,
        link: String,
        self_url: String,
        articles: Vec<ArticleSummary>,
        sections: &[Section],
        site: &Site,
    ) -> Self {
        RssFeed {
            title,
            link,
            self_url,
            description,
            last_build: articles.first().map(|a| rfc822(a.published_at)),
            items: articles
                .into_iter()
                .map(|article| RssItem {
                    link: site.permalink(article.id),
                    pub_date: rfc822(article.published_at),
                    category: section_link(sections, article.section_id).map(|s| s.name),
                    title: article.title,
                    description: article.summary,
                })
                .collect(),
        }
    }
}

/// One `<url>` of a sitemap, or one `<sitemap>` of a sitemap index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SitemapUrl {
    pub loc: String,
    /// W3C datetime (RFC 3339).
    pub lastmod: Option<String>,
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
struct UrlSet<'a> {
    urls: &'a [SitemapUrl],
}

#[derive(Template)]
#[template(path = "sitemap_index.xml")]
struct SitemapIndex {
    sitemaps: Vec<SitemapUrl>,
}

/// Every URL of the site a search engine should know: the home page, each section and
/// each visible article (`entries`, newest first), with when it last changed.
pub fn site_urls(entries: &[SitemapEntry], sections: &[Section], site: &Site) -> Vec<SitemapUrl> {
    let lastmod = |unix_seconds: i64| Some(w3c_datetime(unix_seconds));
    let changed = |entry: &SitemapEntry| entry.updated_at.max(entry.published_at);
    let mut urls = Vec::with_capacity(entries.len() + sections.len() + 1);
    urls.push(SitemapUrl {
        loc: format!("{}/", site.base_url),
        lastmod: entries
            .iter()
            .map(|e| e.published_at)
            .max()
            .and_then(lastmod),
    });
    for section in sections {
        urls.push(SitemapUrl {
            loc: format!("{}/section/{}", site.base_url, section.slug),
            lastmod: entries
                .iter()
                .filter(|e| e.section_id == section.id)
                .map(|e| e.published_at)
                .max()
                .and_then(lastmod),
        });
    }
    urls.extend(entries.iter().map(|entry| SitemapUrl {
        loc: site.permalink(entry.id),
        lastmod: lastmod(changed(entry)),
    }));
    urls
}

/// URL of part `n` (from 1) of a split sitemap.
pub fn sitemap_part_url(base_url: &str, n: usize) -> String {
    format!("{base_url}/sitemap-{n}.xml")
}

/// The document at `/sitemap.xml` (`part` None) or `/sitemap-{n}.xml` (`part` Some(n)):
/// with at most `max_urls` URLs, `/sitemap.xml` lists them all and there are no parts;
/// with more, it is a sitemap index of parts of `max_urls` URLs each. None: no such part.
pub fn sitemap_document(
    urls: &[SitemapUrl],
    part: Option<usize>,
    max_urls: usize,
    base_url: &str,
) -> Result<Option<String>, askama::Error> {
    let max_urls = max_urls.max(1);
    let split = urls.len() > max_urls;
    match (part, split) {
        (None, false) => UrlSet { urls }.render().map(Some),
        (None, true) => SitemapIndex {
            sitemaps: urls
                .chunks(max_urls)
                .enumerate()
                .map(|(index, chunk)| SitemapUrl {
                    loc: sitemap_part_url(base_url, index + 1),
                    // UTC times in one format compare as text.
                    lastmod: chunk.iter().filter_map(|u| u.lastmod.clone()).max(),
                })
                .collect(),
        }
        .render()
        .map(Some),
        (Some(n), true) => match urls.chunks(max_urls).nth(n.wrapping_sub(1)) {
            Some(chunk) => UrlSet { urls: chunk }.render().map(Some),
            None => Ok(None),
        },
        (Some(_), false) => Ok(None),
    }
}

#[derive(Template)]
#[template(path = "news_sitemap.xml")]
pub struct NewsSitemap {
    pub publication: String,
    pub items: Vec<NewsItem>,
}

#[derive(Debug, Clone)]
pub struct NewsItem {
    pub loc: String,
    /// RFC 3339.
    pub published: String,
    pub title: String,
}

impl NewsSitemap {
    pub fn new(articles: Vec<ArticleSummary>, site: &Site) -> Self {
        NewsSitemap {
            publication: site.name.clone(),
            items: articles
                .into_iter()
                .map(|article| NewsItem {
                    loc: site.permalink(article.id),
                    published: w3c_datetime(article.published_at),
                    title: article.title,
                })
                .collect(),
        }
    }
}

/// robots.txt: the sitemaps, and no crawling of the newsroom or of search results.
pub fn robots_txt(base_url: &str) -> String {
    format!(
        "User-agent: *\nDisallow: /admin\nDisallow: /search\n\n\
         Sitemap: {base_url}/sitemap.xml\nSitemap: {base_url}/news-sitemap.xml\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(n: usize) -> Vec<SitemapUrl> {
        (0..n)
            .map(|i| SitemapUrl {
                loc: format!("https://news.example/a/{i}"),
                lastmod: Some(format!("2026-11-{:02}T10:00:00Z", i + 1)),
            })
            .collect()
    }

    fn locs(xml: &str, element: &str) -> Vec<String> {
        let doc = roxmltree::Document::parse(xml).expect("well-formed XML");
        doc.descendants()
            .filter(|n| n.has_tag_name(element))
            .filter_map(|n| {
                n.children()
                    .find(|c| c.has_tag_name("loc"))
                    .and_then(|c| c.text())
                    .map(str::to_owned)
            })
            .collect()
    }

    #[test]
    fn small_sitemaps_are_one_urlset_without_parts() {
        let all = urls(3);
        let xml = sitemap_document(&all, None, 3, "https://news.example")
            .unwrap()
            .unwrap();
        assert_eq!(locs(&xml, "url").len(), 3);
        assert!(xml.contains("<lastmod>2026-11-03T10:00:00Z</lastmod>"));
        assert_eq!(
            sitemap_document(&all, Some(1), 3, "https://news.example").unwrap(),
            None
        );
    }

    #[test]
    fn large_sitemaps_become_an_index_of_parts() {
        let all = urls(7);
        let base = "https://news.example";
        let index = sitemap_document(&all, None, 3, base).unwrap().unwrap();
        let doc = roxmltree::Document::parse(&index).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
        assert_eq!(
            locs(&index, "sitemap"),
            [
                "https://news.example/sitemap-1.xml",
                "https://news.example/sitemap-2.xml",
                "https://news.example/sitemap-3.xml"
            ]
        );
        assert!(index.contains("<lastmod>2026-11-06T10:00:00Z</lastmod>"));
        let mut seen = Vec::new();
        for n in 1..=3 {
            let part = sitemap_document(&all, Some(n), 3, base).unwrap().unwrap();
            seen.extend(locs(&part, "url"));
        }
        let expected: Vec<String> = all.iter().map(|u| u.loc.clone()).collect();
        assert_eq!(seen, expected, "every URL in exactly one part, in order");
        assert_eq!(sitemap_document(&all, Some(4), 3, base).unwrap(), None);
        assert_eq!(sitemap_document(&all, Some(0), 3, base).unwrap(), None);
    }

    #[test]
    fn the_limit_is_the_protocols() {
        assert_eq!(SITEMAP_MAX_URLS, 50_000);
        let all = urls(5);
        let xml = sitemap_document(&all, None, SITEMAP_MAX_URLS, "https://news.example")
            .unwrap()
            .unwrap();
        assert!(xml.contains("<urlset"));
    }

    #[test]
    fn robots_names_the_sitemaps_and_keeps_crawlers_out_of_the_admin() {
        let robots = robots_txt("https://news.example");
        assert!(robots.contains("Disallow: /admin\n"));
        assert!(robots.contains("Sitemap: https://news.example/sitemap.xml\n"));
        assert!(robots.contains("Sitemap: https://news.example/news-sitemap.xml\n"));
    }
}
