//! One template struct per page, each with a `Layout` for the shared frame (`base.html`),
//! and the small view types the templates display. Everything a template prints is escaped
//! by askama, except `body_html`, which was sanitised when it was saved.

pub mod discovery;
pub mod share;

use std::sync::Arc;

use askama::Template;

use crate::db::articles::{ArticleSummary, PublicArticle};
use crate::db::sections::Section;
use crate::prefs::FontSize;
use crate::state::{AppState, Site};

/// The frame around every page: head, header with the sections, footer.
pub struct Layout<'a> {
    pub site: &'a Site,
    pub sections: Arc<Vec<Section>>,
    /// The whole `<title>`.
    pub title: String,
    pub description: String,
    pub canonical: Option<String>,
    pub current_section: Option<i64>,
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
    pub fn new(state: &'a AppState, font_size: FontSize, title: Option<&str>) -> Self {
        let site = &state.site;
        Layout {
            site,
            sections: state.sections.all(),
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
        crate::arabic::dates::localize_digits(&n.borrow().to_string(), self.site.dates.digits)
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
    pub id: i64,
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
            section: sections
                .iter()
                .find(|s| s.id == summary.section_id)
                .map(SectionLink::from),
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
    pub id: i64,
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
            section: sections
                .iter()
                .find(|s| s.id == article.section_id)
                .map(SectionLink::from),
            published: site.dates.date_time(instant),
            published_datetime: site.dates.machine(instant),
            hijri: site.dates.hijri_date(instant),
        }
    }
}

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage<'a> {
    pub layout: Layout<'a>,
    pub article: ArticleView,
    pub views: i64,
    pub more: Vec<ListItem>,
    /// "الأكثر قراءة", without this article (empty in a preview).
    pub most_read: Vec<ListItem>,
    /// Set when an editor previews unsaved text: the page says so and offers the way back.
    pub preview: Option<Preview>,
}

/// What the preview page needs to send the editor back to the form with everything typed.
pub struct Preview {
    pub form: crate::domain::article_input::ArticleForm,
    pub csrf_token: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage<'a> {
    pub layout: Layout<'a>,
    pub lead: Option<ListItem>,
    pub items: Vec<ListItem>,
    pub pager: Pager,
    /// "الأكثر قراءة".
    pub most_read: Vec<ListItem>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub layout: Layout<'a>,
    pub heading: &'static str,
    pub message: &'static str,
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

pub fn timestamp_to_utc(unix_seconds: i64) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(unix_seconds, 0).unwrap_or_default()
}
