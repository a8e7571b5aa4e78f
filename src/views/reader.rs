//! The reader's pages: an article (also as an editor's preview), the home page and the
//! error page, each built from the core's types.

use std::sync::Arc;

use askama::Template;

// The templates name the nouns they count (`plural::MINUTES`).
use crate::core::arabic::plural;

use super::items::{ArticleView, ListItem};
use super::layout::{Layout, Pager};
use super::share::{self, ShareCard};
use crate::core::article::{ArticleDraft, ArticleSummary, FrontPage, PublicArticle};
use crate::core::display::Display;
use crate::core::front_page::Breaking;
use crate::core::picture::Picture;
use crate::core::section::Section;
use crate::core::site::Site;

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage<'a> {
    pub layout: Layout<'a>,
    pub article: ArticleView,
    pub views: i64,
    pub more: Vec<ListItem>,
    /// "أخبار ذات صلة": sharing the most tags with it.
    pub related: Vec<ListItem>,
    /// "الأكثر قراءة", without this article (empty in a preview).
    pub most_read: Vec<ListItem>,
    pub most_read_heading: &'static str,
    /// Set when an editor previews unsaved text: the page says so and offers the way back.
    pub preview: Option<Preview>,
}

/// What the preview page needs to send the editor back to the form with everything typed,
/// or to put it before readers at once.
pub struct Preview {
    pub draft: ArticleDraft,
    pub version: String,
    /// The article being edited; empty for a new one.
    pub article_id: String,
    /// A new article's permalink id, shown on the page and kept when it is saved.
    pub planned_id: String,
    pub csrf_token: String,
    /// Whether what is shown is saved already (a saved article's preview) or only typed.
    pub saved: bool,
    /// The button that saves it for readers; `None` when readers already see exactly this.
    pub publish: Option<PublishOffer>,
}

/// "نشر" on a preview: the form it sends (the article's own save), and what it says.
pub struct PublishOffer {
    /// Where the form goes: the new-article or the article's save address.
    pub action: String,
    pub label: &'static str,
    /// The publication time it saves: empty for "now", or the scheduled time kept.
    pub published_at: String,
}

/// What an article page shows besides the article.
pub struct ArticleContext<'a> {
    pub site: &'a Site,
    pub sections: Arc<Vec<Section>>,
    pub more: &'a [ArticleSummary],
    pub most_read: &'a [ArticleSummary],
    /// Sharing tags with the article.
    pub related: &'a [ArticleSummary],
    pub display: Display,
    pub breaking: Option<Breaking>,
    /// The site's own pages, for the footer.
    pub footer_pages: Vec<(String, String)>,
    pub logo: Option<crate::core::picture::Picture>,
}

impl<'a> ArticlePage<'a> {
    /// The reader's page of `article` showing `views`: with its share card and JSON-LD,
    /// "المزيد", and "الأكثر قراءة" without the article itself.
    pub fn new(article: &PublicArticle, views: i64, context: ArticleContext<'a>) -> Self {
        let ArticleContext {
            site,
            sections,
            more,
            most_read,
            display,
            breaking,
            related,
            footer_pages,
            logo,
        } = context;
        let (id, section_id) = (article.id, article.section_id);
        let (published_at, updated_at) = (article.published_at, article.updated_at);
        let article = ArticleView::new(article.clone(), &sections, site);
        let mut layout = Layout::new(site, sections.clone(), display, Some(&article.title));
        layout.description = article.summary.clone();
        layout.breaking = breaking;
        layout.footer_pages = footer_pages;
        layout.set_logo(logo.as_ref());
        layout.canonical = Some(article.permalink.clone());
        layout.current_section = article.section.is_some().then_some(section_id);
        let (card, json_ld) = share::article_card(&article, published_at, updated_at, views, site);
        layout.share = Some(card);
        layout.json_ld = Some(json_ld);
        let most_read = most_read.iter().filter(|a| a.id != id).cloned().collect();
        ArticlePage {
            most_read: ListItem::list(most_read, &sections, site),
            more: ListItem::list(more.to_vec(), &sections, site),
            related: ListItem::list(related.to_vec(), &sections, site),
            most_read_heading: MOST_READ,
            layout,
            views,
            article,
            preview: None,
        }
    }

    /// Unsaved text as readers will see it, marked as a preview and kept out of search
    /// engines.
    pub fn preview(
        article: &PublicArticle,
        views: i64,
        context: ArticleContext<'a>,
        preview: Preview,
    ) -> Self {
        let mut page = ArticlePage::new(article, views, context);
        page.layout.noindex = true;
        page.layout.canonical = None;
        page.layout.share = None;
        page.layout.json_ld = None;
        page.layout.description = String::new();
        page.layout.current_section = None;
        page.preview = Some(preview);
        page
    }
}

const MOST_READ: &str = "الأكثر قراءة";
const NEWEST: &str = "الأحدث";
/// As many as "الأكثر قراءة" lists.
const SIDE_LIST_LENGTH: usize = 6;

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage<'a> {
    pub layout: Layout<'a>,
    pub lead: Option<ListItem>,
    /// The stories the newsroom features under the lead (first page only).
    pub featured: Vec<ListItem>,
    pub items: Vec<ListItem>,
    pub pager: Pager,
    /// "الأكثر قراءة"; on a site nobody has read yet, the newest stories instead, so the
    /// column beside the list is never empty.
    pub most_read: Vec<ListItem>,
    pub most_read_heading: &'static str,
}

impl<'a> HomePage<'a> {
    pub fn new(
        mut layout: Layout<'a>,
        front: FrontPage,
        featured: Vec<ArticleSummary>,
        pictures: &[Picture],
        page: i64,
        most_read: &[ArticleSummary],
    ) -> Self {
        let site = layout.site;
        let sections = layout.sections.clone();
        layout.is_home = true;
        layout.description = format!("{} — آخر الأخبار العربية لحظة بلحظة.", site.name);
        let canonical = match page {
            1 => format!("{}/", site.base_url),
            n => format!("{}/?page={n}", site.base_url),
        };
        layout.share = Some(ShareCard::website(
            &site.name,
            &layout.description,
            canonical.clone(),
        ));
        layout.canonical = Some(canonical);
        let (most_read, most_read_heading) = if most_read.is_empty() {
            let newest = front.items.iter().take(SIDE_LIST_LENGTH).cloned().collect();
            (newest, NEWEST)
        } else {
            (most_read.to_vec(), MOST_READ)
        };
        HomePage {
            most_read: ListItem::list(most_read, &sections, site),
            most_read_heading,
            lead: front.lead.map(|a| {
                let picture = pictures.iter().find(|p| Some(p.id) == a.lead_picture);
                ListItem::new(a, &sections, site).with_picture(picture, site)
            }),
            featured: ListItem::list_with_thumbnails(featured, &sections, site, pictures),
            items: ListItem::list_with_thumbnails(front.items, &sections, site, pictures),
            pager: Pager {
                base: "/".to_owned(),
                page,
                has_next: front.has_next,
            },
            layout,
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub layout: Layout<'a>,
    pub heading: &'static str,
    pub message: &'static str,
}

/// One of the site's own pages: "من نحن", "اتصل بنا".
#[derive(Template)]
#[template(path = "site_page.html")]
pub struct SitePageView<'a> {
    pub layout: Layout<'a>,
    pub title: String,
    /// Sanitised when saved.
    pub body_html: String,
}
