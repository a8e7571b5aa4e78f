//! Documents for programs rather than readers: the RSS 2.0 feeds, the sitemaps (split into
//! a sitemap index beyond [`SITEMAP_MAX_URLS`]), the Google News sitemap and robots.txt.
//! The XML comes from askama templates (`templates/*.xml`, escaped like HTML, which is
//! valid XML escaping); every link is absolute, from the configured base URL.

use askama::Template;

use super::items::{author_path, section_link, tag_path};
use crate::core::article::{ArticleSummary, SitemapEntry};
use crate::core::picture::{Picture, PictureId};
use crate::core::section::Section;
use crate::core::site::Site;
use crate::core::tags::Tag;
use crate::core::text::escape_html;
use crate::core::time::timestamp_to_utc;

/// Articles in a feed.
pub const FEED_ITEMS: i64 = 30;
/// The sitemap protocol's limit of URLs per sitemap file.
pub const SITEMAP_MAX_URLS: i64 = 50_000;
/// Articles read and sent per step of a sitemap: ~250 KB of XML, against 6 MB for a whole
/// sitemap of 50,000 URLs.
pub const SITEMAP_BATCH: i64 = 2_000;
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
    /// The lead picture's share card (absolute URL), as `media:content`.
    pub image: Option<String>,
}

/// The absolute URL of the share card of `id` among `pictures`.
fn card_of(id: Option<PictureId>, pictures: &[Picture], site: &Site) -> Option<String> {
    let picture = pictures.iter().find(|p| Some(p.id) == id)?;
    Some(format!("{}{}", site.base_url, picture.card_url()))
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

/// What a feed's items are made from besides the articles.
pub struct FeedContext<'a> {
    /// The lead pictures of the articles (others are ignored).
    pub pictures: &'a [Picture],
    pub sections: &'a [Section],
    pub site: &'a Site,
}

impl RssFeed {
    /// The site's feed: `/feed.xml`.
    pub fn for_site(articles: Vec<ArticleSummary>, context: &FeedContext<'_>) -> Self {
        let site = context.site;
        let mut feed = RssFeed::new(articles, context);
        feed.title = site.name.clone();
        feed.description = format!("{} — آخر الأخبار.", site.name);
        feed.link = format!("{}/", site.base_url);
        feed.self_url = format!("{}/feed.xml", site.base_url);
        feed
    }

    /// A section's feed: `/section/{slug}/feed.xml`.
    pub fn for_section(
        section: &Section,
        articles: Vec<ArticleSummary>,
        context: &FeedContext<'_>,
    ) -> Self {
        let site = context.site;
        let url = format!("{}/section/{}", site.base_url, section.slug);
        let mut feed = RssFeed::new(articles, context);
        feed.title = format!("{} — {}", section.name, site.name);
        feed.description = format!("آخر أخبار {} في {}.", section.name, site.name);
        feed.self_url = format!("{url}/feed.xml");
        feed.link = url;
        feed
    }

    /// The feed of one tag: `/tag/{slug}/feed.xml`.
    pub fn for_tag(tag: &Tag, articles: Vec<ArticleSummary>, context: &FeedContext<'_>) -> Self {
        let site = context.site;
        let url = format!("{}{}", site.base_url, tag_path(&tag.slug));
        let mut feed = RssFeed::new(articles, context);
        feed.title = format!("{} — {}", tag.name, site.name);
        feed.description = format!("أخبار «{}» في {}.", tag.name, site.name);
        feed.self_url = format!("{url}/feed.xml");
        feed.link = url;
        feed
    }

    /// The feed of one author: `/author/{slug}/feed.xml`.
    pub fn for_author(
        name: &str,
        slug: &str,
        articles: Vec<ArticleSummary>,
        context: &FeedContext<'_>,
    ) -> Self {
        let site = context.site;
        let url = format!("{}{}", site.base_url, author_path(slug));
        let mut feed = RssFeed::new(articles, context);
        feed.title = format!("{name} — {}", site.name);
        feed.description = format!("أخبار {name} في {}.", site.name);
        feed.self_url = format!("{url}/feed.xml");
        feed.link = url;
        feed
    }

    /// The items of `articles` (newest first); the caller names the feed.
    fn new(articles: Vec<ArticleSummary>, context: &FeedContext<'_>) -> Self {
        let FeedContext {
            pictures,
            sections,
            site,
        } = *context;
        RssFeed {
            title: String::new(),
            link: String::new(),
            self_url: String::new(),
            description: String::new(),
            last_build: articles.first().map(|a| rfc822(a.published_at)),
            items: articles
                .into_iter()
                .map(|article| RssItem {
                    link: site.permalink(article.id),
                    pub_date: rfc822(article.published_at),
                    category: section_link(sections, article.section_id).map(|s| s.name),
                    image: card_of(article.lead_picture, pictures, site),
                    title: article.title,
                    // An RSS <description> holds HTML: feed readers decode the XML and
                    // render what is left as HTML. So the summary is escaped for HTML here
                    // and for XML by the template, or a summary typed as <img onerror=…>
                    // would run in subscribers' readers.
                    description: escape_html(&article.summary),
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

/// What opens a sitemap. Its `<url>` lines ([`write_url_lines`]) follow, and
/// [`URLSET_CLOSE`] ends it: a long sitemap is written and sent a batch of lines at a time.
pub const URLSET_OPEN: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
    <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">";
pub const URLSET_CLOSE: &str = "\n</urlset>\n";

#[derive(Template)]
#[template(path = "sitemap_urls.xml")]
struct UrlLines<'a> {
    urls: &'a [SitemapUrl],
}

#[derive(Template)]
#[template(path = "sitemap_index.xml")]
struct SitemapIndex {
    sitemaps: Vec<SitemapUrl>,
}

/// The site's pages other than articles: the home page (changed when its newest article
/// was published, `newest`) and each section (`newest_in_section`, in `sections`' order).
pub fn page_urls(
    site: &Site,
    sections: &[Section],
    newest: Option<i64>,
    newest_in_section: &[Option<i64>],
) -> Vec<SitemapUrl> {
    let mut urls = vec![SitemapUrl {
        loc: format!("{}/", site.base_url),
        lastmod: newest.map(w3c_datetime),
    }];
    urls.extend(
        sections
            .iter()
            .zip(newest_in_section)
            .map(|(section, newest)| SitemapUrl {
                loc: format!("{}/section/{}", site.base_url, section.slug),
                lastmod: newest.map(w3c_datetime),
            }),
    );
    urls
}

/// When an article last changed: its publication, or a later edit.
fn changed(entry: &SitemapEntry) -> i64 {
    entry.updated_at.max(entry.published_at)
}

/// When the last of `entries` changed.
pub fn latest_change(entries: &[SitemapEntry]) -> Option<i64> {
    entries.iter().map(changed).max()
}

/// The articles' URLs, with when each last changed.
pub fn article_urls(entries: &[SitemapEntry], site: &Site) -> Vec<SitemapUrl> {
    entries
        .iter()
        .map(|entry| SitemapUrl {
            loc: site.permalink(entry.id),
            lastmod: Some(w3c_datetime(changed(entry))),
        })
        .collect()
}

/// The `<sitemap>` line of part `n` in the sitemap index: changed when the latest of its
/// articles (`articles_changed`) or, for part 1, of `pages` changed.
pub fn part_url(
    base_url: &str,
    n: i64,
    articles_changed: Option<i64>,
    pages: &[SitemapUrl],
) -> SitemapUrl {
    let articles = articles_changed.map(w3c_datetime);
    // UTC times in one format compare as text.
    let lastmod = pages
        .iter()
        .filter_map(|p| p.lastmod.clone())
        .chain(articles)
        .max();
    SitemapUrl {
        loc: sitemap_part_url(base_url, n),
        lastmod,
    }
}

/// URL of part `n` (from 1) of a split sitemap.
pub fn sitemap_part_url(base_url: &str, n: i64) -> String {
    format!("{base_url}/sitemap-{n}.xml")
}

/// Appends the `<url>` lines of `urls` to `out`.
pub fn write_url_lines(urls: &[SitemapUrl], out: &mut String) -> Result<(), askama::Error> {
    UrlLines { urls }.render_into(out)
}

/// A sitemap of `urls`, whole (one short enough to hold: the tags' sitemap, tests).
pub fn urlset(urls: &[SitemapUrl]) -> Result<String, askama::Error> {
    let mut out = String::from(URLSET_OPEN);
    write_url_lines(urls, &mut out)?;
    out.push_str(URLSET_CLOSE);
    Ok(out)
}

/// A sitemap index of `parts`.
pub fn sitemap_index(parts: Vec<SitemapUrl>) -> Result<String, askama::Error> {
    SitemapIndex { sitemaps: parts }.render()
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
    /// The lead picture's share card (absolute URL).
    pub image: Option<String>,
}

impl NewsSitemap {
    pub fn new(articles: Vec<ArticleSummary>, pictures: &[Picture], site: &Site) -> Self {
        NewsSitemap {
            publication: site.name.clone(),
            items: articles
                .into_iter()
                .map(|article| NewsItem {
                    loc: site.permalink(article.id),
                    published: w3c_datetime(article.published_at),
                    image: card_of(article.lead_picture, pictures, site),
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
         Sitemap: {base_url}/sitemap.xml\nSitemap: {base_url}/news-sitemap.xml\n\
         Sitemap: {base_url}/tags-sitemap.xml\n"
    )
}

/// The tag pages, each with the time of its newest article.
pub fn tag_urls(site: &Site, tags: &[(Tag, i64)]) -> Vec<SitemapUrl> {
    tags.iter()
        .map(|(tag, newest)| SitemapUrl {
            loc: format!("{}{}", site.base_url, tag_path(&tag.slug)),
            lastmod: Some(w3c_datetime(*newest)),
        })
        .collect()
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
    fn a_urlset_lists_its_urls_with_their_times() {
        let all = urls(3);
        let xml = urlset(&all).unwrap();
        assert_eq!(locs(&xml, "url").len(), 3);
        assert!(xml.contains("<lastmod>2026-11-03T10:00:00Z</lastmod>"));
    }

    #[test]
    fn a_urlset_written_in_batches_is_the_urlset_written_whole() {
        let all = urls(10);
        let mut batched = String::from(URLSET_OPEN);
        for batch in all.chunks(3) {
            write_url_lines(batch, &mut batched).unwrap();
        }
        batched.push_str(URLSET_CLOSE);
        assert_eq!(batched, urlset(&all).unwrap());
        assert_eq!(locs(&batched, "url").len(), 10);
    }

    #[test]
    fn a_url_is_escaped_for_xml() {
        let xml = urlset(&[SitemapUrl {
            loc: "https://news.example/search?q=a&page=2".into(),
            lastmod: None,
        }])
        .unwrap();
        assert_eq!(
            locs(&xml, "url"),
            ["https://news.example/search?q=a&page=2"]
        );
    }

    #[test]
    fn an_index_lists_the_parts_each_changed_when_its_newest_did() {
        let base = "https://news.example";
        let entries = [
            SitemapEntry {
                id: crate::core::ArticleId::from_db(1),
                section_id: crate::core::SectionId::from_db(1),
                published_at: 1_800_000_000,
                updated_at: 1_800_000_500,
            },
            SitemapEntry {
                id: crate::core::ArticleId::from_db(2),
                section_id: crate::core::SectionId::from_db(1),
                published_at: 1_700_000_000,
                updated_at: 1_700_000_000,
            },
        ];
        let part = part_url(base, 2, latest_change(&entries), &[]);
        assert_eq!(part.loc, "https://news.example/sitemap-2.xml");
        assert_eq!(part.lastmod.as_deref(), Some("2027-01-15T08:08:20Z"));
        let index = sitemap_index(vec![part]).unwrap();
        let doc = roxmltree::Document::parse(&index).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
        assert_eq!(
            locs(&index, "sitemap"),
            ["https://news.example/sitemap-2.xml"]
        );
        assert_eq!(SITEMAP_MAX_URLS, 50_000, "the protocol's limit");
    }

    #[test]
    fn robots_names_the_sitemaps_and_keeps_crawlers_out_of_the_admin() {
        let robots = robots_txt("https://news.example");
        assert!(robots.contains("Disallow: /admin\n"));
        assert!(robots.contains("Sitemap: https://news.example/sitemap.xml\n"));
        assert!(robots.contains("Sitemap: https://news.example/news-sitemap.xml\n"));
    }
}
