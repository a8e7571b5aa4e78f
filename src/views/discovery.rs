//! Pages for finding articles: a section's front page and search results.

use askama::Template;

use super::items::{ListItem, SectionLink, TagLink, Thumbnail, author_path, section_link};
use super::layout::{Layout, Pager};
use crate::core::ArticleId;
use crate::core::arabic::plural::RESULTS;
use crate::core::article::{ArticleSummary, FrontPage, SearchHit};
use crate::core::authors::AuthorPageData;
use crate::core::picture::Picture;
use crate::core::section::Section;
use crate::core::site::Site;
use crate::core::snippets::{self, QueryTerms, Segment};
use crate::core::tags::Tag;
use crate::core::time::timestamp_to_utc;

/// Characters of the query repeated in headings and the title; the search box always
/// shows all of it.
const QUERY_SHOWN_CHARS: usize = 80;

#[derive(Template)]
#[template(path = "section.html")]
pub struct SectionPage<'a> {
    pub layout: Layout<'a>,
    pub section: SectionLink,
    /// The newest article, on the first page only.
    pub lead: Option<ListItem>,
    pub items: Vec<ListItem>,
    pub pager: Pager,
}

impl<'a> SectionPage<'a> {
    pub fn new(
        mut layout: Layout<'a>,
        section: &Section,
        front: FrontPage,
        pictures: &[Picture],
        page: i64,
    ) -> Self {
        let site = layout.site;
        let sections = layout.sections.clone();
        layout.current_section = Some(section.id);
        layout.description = format!("آخر أخبار {} في {}.", section.name, site.name);
        let url = format!("{}/section/{}", site.base_url, section.slug);
        layout.list_of(&url, page, &section.name);
        SectionPage {
            section: SectionLink::from(section),
            lead: front.lead.map(|a| {
                let picture = pictures.iter().find(|p| Some(p.id) == a.lead_picture);
                ListItem::new(a, &sections, site).with_picture(picture, site)
            }),
            items: ListItem::list_with_thumbnails(front.items, &sections, site, pictures),
            pager: Pager {
                base: format!("/section/{}", section.slug),
                page,
                has_next: front.has_next,
            },
            layout,
        }
    }
}

/// A tag's page: its articles, newest first, by pages.
#[derive(Template)]
#[template(path = "tag.html")]
pub struct TagPage<'a> {
    pub layout: Layout<'a>,
    pub tag: TagLink,
    pub items: Vec<ListItem>,
    pub pager: Pager,
}

impl<'a> TagPage<'a> {
    pub fn new(
        mut layout: Layout<'a>,
        tag: &Tag,
        articles: Vec<ArticleSummary>,
        has_next: bool,
        pictures: &[Picture],
        page: i64,
    ) -> Self {
        let site = layout.site;
        let sections = layout.sections.clone();
        let link = TagLink::from(tag);
        layout.description = format!("أخبار «{}» في {}.", tag.name, site.name);
        layout.list_of(&format!("{}{}", site.base_url, link.href), page, &tag.name);
        TagPage {
            items: ListItem::list_with_thumbnails(articles, &sections, site, pictures),
            pager: Pager {
                base: link.href.clone(),
                page,
                has_next,
            },
            tag: link,
            layout,
        }
    }
}

/// An author's page: who they are (when the newsroom wrote it) and their articles.
#[derive(Template)]
#[template(path = "author.html")]
pub struct AuthorPage<'a> {
    pub layout: Layout<'a>,
    pub name: String,
    pub bio: String,
    /// The author's picture, small.
    pub picture: Option<Thumbnail>,
    pub items: Vec<ListItem>,
    pub pager: Pager,
}

impl<'a> AuthorPage<'a> {
    pub fn new(
        mut layout: Layout<'a>,
        slug: &str,
        data: AuthorPageData,
        has_next: bool,
        pictures: &[Picture],
        page: i64,
    ) -> Self {
        let site = layout.site;
        let sections = layout.sections.clone();
        let path = author_path(slug);
        layout.description = if data.profile.bio.is_empty() {
            format!("أخبار {} في {}.", data.name, site.name)
        } else {
            data.profile.bio.chars().take(160).collect()
        };
        layout.list_of(&format!("{}{path}", site.base_url), page, &data.name);
        let picture = data
            .picture
            .as_ref()
            .and_then(|p| Thumbnail::of(Some(p.id), std::slice::from_ref(p)));
        AuthorPage {
            name: data.name,
            bio: data.profile.bio,
            picture,
            items: ListItem::list_with_thumbnails(data.articles, &sections, site, pictures),
            pager: Pager {
                base: path,
                page,
                has_next,
            },
            layout,
        }
    }
}

/// One search result.
#[derive(Debug, Clone)]
pub struct SearchResult {
    pub id: ArticleId,
    /// The title with the matched words marked.
    pub title: Vec<Segment>,
    pub section: Option<SectionLink>,
    pub when: String,
    pub datetime: String,
    /// Words around the first match in the summary and body, matched words marked.
    pub snippet: Vec<Segment>,
    pub thumbnail: Option<Thumbnail>,
}

/// A page of search results: its hits, how many there are in all, and the lead
/// pictures of the hits.
pub struct Found {
    pub hits: Vec<SearchHit>,
    pub total: i64,
    pub pictures: Vec<Picture>,
}

impl SearchResult {
    pub fn new(hit: SearchHit, terms: &QueryTerms, sections: &[Section], site: &Site) -> Self {
        let instant = timestamp_to_utc(hit.published_at);
        let text = format!("{} {}", hit.summary, snippets::plain_text(&hit.body_html));
        SearchResult {
            id: hit.id,
            title: snippets::highlight(&hit.title, terms),
            section: section_link(sections, hit.section_id),
            when: site.dates.date(instant),
            datetime: site.dates.machine(instant),
            snippet: snippets::snippet(&text, terms),
            thumbnail: None,
        }
    }
}

/// What the results page says above the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchOutcome {
    /// Nothing was typed (or only punctuation).
    NoQuery,
    NoResults,
    Found(i64),
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage<'a> {
    pub layout: Layout<'a>,
    /// The query as typed, shortened for headings.
    pub shown_query: String,
    pub outcome: SearchOutcome,
    pub results: Vec<SearchResult>,
    pub pager: Pager,
    /// Newest first, rather than the best matches first.
    pub newest: bool,
    /// The query as typed.
    query: String,
}

impl<'a> SearchPage<'a> {
    /// The results of `query` (as typed), newest first or best first: page `page` of
    /// `found`.
    pub fn new(
        mut layout: Layout<'a>,
        query: &str,
        newest: bool,
        found: Found,
        page: i64,
        page_size: i64,
    ) -> Self {
        let Found {
            hits,
            total,
            pictures,
        } = found;
        let outcome = match (query.trim().is_empty(), total) {
            (true, _) => SearchOutcome::NoQuery,
            (false, 0) => SearchOutcome::NoResults,
            (false, n) => SearchOutcome::Found(n),
        };
        let shown_query = shorten_query(query);
        let site = layout.site;
        let sections = layout.sections.clone();
        let terms = QueryTerms::new(query);
        // Results change all the time and repeat the articles: not for search engines.
        layout.noindex = true;
        layout.search_query = query.to_owned();
        SearchPage {
            shown_query,
            outcome,
            results: hits
                .into_iter()
                .map(|hit| {
                    let thumbnail = Thumbnail::of(hit.lead_picture, &pictures);
                    SearchResult {
                        thumbnail,
                        ..SearchResult::new(hit, &terms, &sections, site)
                    }
                })
                .collect(),
            pager: Pager {
                base: sorted_search_url(query, newest),
                page,
                has_next: (page - 1) * page_size + page_size < total,
            },
            layout,
            newest,
            query: query.to_owned(),
        }
    }

    /// This search's first page, newest first or best first.
    pub fn sorted_url(&self, newest: bool) -> String {
        sorted_search_url(&self.query, newest)
    }

    /// The page's heading (and title): what was searched for.
    pub fn heading(query: &str) -> String {
        if query.trim().is_empty() {
            "البحث".to_owned()
        } else {
            format!("البحث عن «{}»", shorten_query(query))
        }
    }

    /// "3 نتائج", "103 نتائج", "25 نتيجة": with the Arabic number agreement.
    pub fn count_text(&self) -> String {
        let SearchOutcome::Found(n) = self.outcome else {
            return String::new();
        };
        self.layout.count(n, RESULTS).to_string()
    }
}

/// `query` cut to [`QUERY_SHOWN_CHARS`] characters, with "…" if it was longer.
pub fn shorten_query(query: &str) -> String {
    let query = query.trim();
    match query.char_indices().nth(QUERY_SHOWN_CHARS) {
        Some((at, _)) => format!("{}…", &query[..at]),
        None => query.to_owned(),
    }
}

/// `/search?q=…` in the given order.
fn sorted_search_url(query: &str, newest: bool) -> String {
    match newest {
        true => format!("{}&sort=newest", search_url(query)),
        false => search_url(query),
    }
}

/// `/search?q=…` with the query percent-encoded.
pub fn search_url(query: &str) -> String {
    let mut url = String::from("/search?q=");
    for byte in query.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            url.push(char::from(byte));
        } else {
            url.push_str(&format!("%{byte:02X}"));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_urls_encode_the_query() {
        assert_eq!(search_url("a b&c"), "/search?q=a%20b%26c");
        assert_eq!(search_url("سد"), "/search?q=%D8%B3%D8%AF");
    }

    #[test]
    fn long_queries_are_shortened_for_headings() {
        assert_eq!(shorten_query("  قصير "), "قصير");
        let long = "ب".repeat(QUERY_SHOWN_CHARS + 5);
        let shown = shorten_query(&long);
        assert_eq!(shown.chars().count(), QUERY_SHOWN_CHARS + 1);
        assert!(shown.ends_with('…'));
    }
}
