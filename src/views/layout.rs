//! The frame every reader page shares (`base.html`) and the small view types the
//! templates display, built from the core's types.

use std::sync::Arc;

use super::assets::{AssetUrls, asset_urls};
use super::share;
use crate::core::ArticleId;
use crate::core::article::{ArticleSummary, PublicArticle};
use crate::core::font_size::FontSize;
use crate::core::section::Section;
use crate::core::site::Site;
use crate::core::time::timestamp_to_utc;

/// The frame around every page: head, header with the sections, footer.
pub struct Layout<'a> {
    pub site: &'a Site,
    pub assets: &'static AssetUrls,
    pub sections: Arc<Vec<Section>>,
    /// The whole `<title>`.
    pub title: String,
    pub description: String,
    pub canonical: Option<String>,
    pub current_section: Option<crate::core::SectionId>,
    pub is_home: bool,
    pub font_size: FontSize,
    /// Tells search engines to leave the page out (error pages).
    pub noindex: bool,
    /// What the header's search box shows: the query, on a results page.
    pub search_query: String,
    /// A feed of this page (a section's), advertised besides the site's feed.
    pub feed: Option<share::FeedLink>,
    /// OpenGraph and Twitter card tags.
    pub share: Option<share::ShareCard>,
    /// JSON-LD, already made safe for a `<script>` element by `share::script_safe_json`.
    pub json_ld: Option<String>,
}

impl<'a> Layout<'a> {
    pub fn new(
        site: &'a Site,
        sections: Arc<Vec<Section>>,
        font_size: FontSize,
        title: Option<&str>,
    ) -> Self {
        Layout {
            site,
            assets: asset_urls(),
            sections,
            title: match title {
                Some(title) => format!("{title} — {}", site.name),
                None => site.name.clone(),
            },
            description: String::new(),
            canonical: None,
            current_section: None,
            is_home: false,
            font_size,
            noindex: false,
            search_query: String::new(),
            feed: None,
            share: None,
            json_ld: None,
        }
    }

    /// The site's RSS feed, advertised on every page.
    pub fn site_feed_url(&self) -> String {
        format!("{}/feed.xml", self.site.base_url)
    }

    pub fn is_current(&self, section: &Section) -> bool {
        self.current_section == Some(section.id)
    }

    /// A number as readers see it, in the configured digits.
    pub fn number(&self, n: impl std::borrow::Borrow<i64>) -> String {
        crate::core::arabic::dates::localize_digits(&n.borrow().to_string(), self.site.dates.digits)
    }
}

/// A link to a section, for lists and the article header.
#[derive(Debug, Clone)]
pub struct SectionLink {
    pub slug: String,
    pub name: String,
}

impl From<&Section> for SectionLink {
    fn from(section: &Section) -> Self {
        SectionLink {
            slug: section.slug.clone(),
            name: section.name.clone(),
        }
    }
}

/// One article in a list.
#[derive(Debug, Clone)]
pub struct ListItem {
    pub id: ArticleId,
    pub title: String,
    pub summary: String,
    pub section: Option<SectionLink>,
    /// "6 كانون الثاني 2017 - 11:32"
    pub when: String,
    /// RFC 3339, for `<time datetime>`.
    pub datetime: String,
}

impl ListItem {
    pub fn new(summary: ArticleSummary, sections: &[Section], site: &Site) -> Self {
        let instant = timestamp_to_utc(summary.published_at);
        ListItem {
            id: summary.id,
            title: summary.title,
            summary: summary.summary,
            section: section_link(sections, summary.section_id),
            when: format!(
                "{} - {}",
                site.dates.date(instant),
                site.dates.time(instant)
            ),
            datetime: site.dates.machine(instant),
        }
    }

    pub fn list(summaries: Vec<ArticleSummary>, sections: &[Section], site: &Site) -> Vec<Self> {
        summaries
            .into_iter()
            .map(|summary| ListItem::new(summary, sections, site))
            .collect()
    }
}

/// The article as its page shows it.
#[derive(Debug, Clone)]
pub struct ArticleView {
    pub id: ArticleId,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub author: String,
    pub section: Option<SectionLink>,
    /// "الجمعة 6 كانون الثاني 2017 - 11:32"
    pub published: String,
    pub published_datetime: String,
    pub hijri: Option<String>,
    pub permalink: String,
}

impl ArticleView {
    pub fn new(article: PublicArticle, sections: &[Section], site: &Site) -> Self {
        let instant = timestamp_to_utc(article.published_at);
        ArticleView {
            id: article.id,
            permalink: site.permalink(article.id),
            title: article.title,
            summary: article.summary,
            body_html: article.body_html,
            author: article.author,
            section: section_link(sections, article.section_id),
            published: site.dates.date_time(instant),
            published_datetime: site.dates.machine(instant),
            hijri: site.dates.hijri_date(instant),
        }
    }
}

/// Previous/next links of a paginated list.
#[derive(Debug, Clone)]
pub struct Pager {
    /// Path the `?page=` is added to, e.g. "/" or "/section/economy".
    pub base: String,
    pub page: i64,
    pub has_next: bool,
}

impl Pager {
    pub fn has_previous(&self) -> bool {
        self.page > 1
    }

    pub fn previous_url(&self) -> String {
        self.url(self.page - 1)
    }

    pub fn next_url(&self) -> String {
        self.url(self.page + 1)
    }

    fn url(&self, page: i64) -> String {
        if page <= 1 {
            self.base.clone()
        } else {
            let separator = if self.base.contains('?') { '&' } else { '?' };
            format!("{}{separator}page={page}", self.base)
        }
    }
}

/// The section an article or list item is filed in, as a link.
pub fn section_link(sections: &[Section], id: crate::core::SectionId) -> Option<SectionLink> {
    sections.iter().find(|s| s.id == id).map(SectionLink::from)
}
