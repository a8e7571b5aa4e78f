//! The frame every reader page shares (`base.html`), and the pager of long lists.

use std::sync::Arc;

use super::assets::{AssetUrls, asset_urls};
use super::share;
use crate::core::arabic::plural::{self, Counted, Noun};
use crate::core::display::Display;
use crate::core::front_page::Breaking;
use crate::core::section::Section;
use crate::core::site::Site;

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
    /// The reader's text size and theme, as classes of `<html>`.
    pub display: Display,
    /// Tells search engines to leave the page out (error pages).
    pub noindex: bool,
    /// What the header's search box shows: the query, on a results page.
    pub search_query: String,
    /// A feed of this page (a section's), advertised besides the site's feed.
    pub feed: Option<share::FeedLink>,
    /// OpenGraph and Twitter card tags.
    pub share: Option<share::ShareCard>,
    /// The picture the header shows instead of the site's name, if one was chosen.
    pub logo: Option<super::items::Thumbnail>,
    /// The site's own pages linked from the footer: (path, title).
    pub footer_pages: Vec<(String, String)>,
    /// Today in the newsroom's zone and date style, for the header.
    pub today: String,
    /// The breaking-news bar, while one is up.
    pub breaking: Option<Breaking>,
    /// JSON-LD, already made safe for a `<script>` element by `share::script_safe_json`.
    pub json_ld: Option<String>,
}

impl<'a> Layout<'a> {
    pub fn new(
        site: &'a Site,
        sections: Arc<Vec<Section>>,
        display: Display,
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
            display,
            noindex: false,
            search_query: String::new(),
            feed: None,
            share: None,
            json_ld: None,
            breaking: None,
            footer_pages: Vec::new(),
            logo: None,
            today: site.dates.day_line(chrono::Utc::now()),
        }
    }

    /// The site's RSS feed, advertised on every page.
    pub fn site_feed_url(&self) -> String {
        format!("{}/feed.xml", self.site.base_url)
    }

    pub fn is_current(&self, section: &Section) -> bool {
        self.current_section == Some(section.id)
    }

    /// A count with the noun that agrees with it, in the configured digits: "3 مشاهدات".
    pub fn count(&self, n: impl std::borrow::Borrow<i64>, noun: Noun) -> Counted {
        Counted::new(*n.borrow(), &noun, self.site.dates.digits)
    }

    /// The view count as the article page shows it (markup: the number in `<bdi>`).
    pub fn views_html(&self, n: impl std::borrow::Borrow<i64>) -> String {
        self.count(n, plural::VIEWS).html()
    }

    /// The frame of page `page` of a list of articles at `url` (a section's, a tag's, an
    /// author's) named `name`: its canonical address, its share card, and its feed
    /// (`{url}/feed.xml`). Set the description first: the card shows it.
    pub fn list_of(&mut self, url: &str, page: i64, name: &str) {
        self.canonical = Some(match page {
            1 => url.to_owned(),
            n => format!("{url}?page={n}"),
        });
        self.share = Some(share::ShareCard::website(
            &self.title,
            &self.description,
            url.to_owned(),
        ));
        self.feed = Some(share::FeedLink {
            title: format!("{name} — {}", self.site.name),
            url: format!("{url}/feed.xml"),
        });
    }

    /// Shows `picture` (its smallest served width) as the site's logo.
    pub fn set_logo(&mut self, picture: Option<&crate::core::picture::Picture>) {
        self.logo =
            picture.and_then(|p| super::items::Thumbnail::of(Some(p.id), std::slice::from_ref(p)));
    }

    /// A number as readers see it, in the configured digits.
    pub fn number(&self, n: impl std::borrow::Borrow<i64>) -> String {
        crate::core::arabic::dates::localize_digits(&n.borrow().to_string(), self.site.dates.digits)
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
