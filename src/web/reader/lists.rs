//! The lists readers page through: the home page, section pages and search results, each
//! reused for a moment (see `runtime::list_pages`).

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::article::breaking_now;
use super::respond::{page_number, reused_page};
use crate::app::authors;
use crate::app::front_page;
use crate::app::reading::{self, SEARCH_PAGE_SIZE};
use crate::core::article::{ArticleSummary, FrontPage};
use crate::core::authors::author_slug;
use crate::core::site_pages::SitePageKind;
use crate::core::tags::slug_of;
use crate::core::time::now_timestamp;
use crate::db::articles::Listing;
use crate::db::search::SearchOrder;
use crate::runtime::AppState;
use crate::views::discovery::{AuthorPage, Found, SearchPage, SectionPage, TagPage};
use crate::views::items::{author_path, tag_path};
use crate::views::layout::Layout;
use crate::views::reader::{HomePage, SitePageView};
use crate::web::error::WebError;
use crate::web::preferences::display_of;

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
    page: Option<String>,
    /// `newest`: newest first; anything else: best match first.
    sort: Option<String>,
}

/// The frame of a reader page titled `title` (the site's name alone for `None`).
pub(super) fn layout<'a>(
    req: &HttpRequest,
    state: &'a AppState,
    title: Option<&str>,
) -> Layout<'a> {
    let mut layout = Layout::new(&state.site, state.sections.all(), display_of(req), title);
    layout.footer_pages = state.site_pages.links();
    layout.set_logo(state.site_pages.logo().as_ref());
    layout
}

/// The lead pictures of a front page's stories: the lead story's shown large, the
/// others' as thumbnails.
async fn front_pictures(
    state: &AppState,
    front: &FrontPage,
    featured: &[ArticleSummary],
) -> Result<Vec<crate::core::picture::Picture>, WebError> {
    let stories = front.lead.iter().chain(&front.items).chain(featured);
    super::pictures_of(state, stories.filter_map(|story| story.lead_picture)).await
}

/// The first page as the newsroom shaped it: a pinned lead takes the newest story's place
/// (which then opens the list), and neither it nor the featured stories repeat in the list.
async fn with_picks(
    state: &AppState,
    mut front: FrontPage,
) -> Result<(FrontPage, Vec<ArticleSummary>), WebError> {
    let now = now_timestamp();
    let curation = state.curation.current(&state.db).await?.at(now);
    if curation.lead.is_none() && curation.featured.is_empty() {
        return Ok((front, Vec::new()));
    }
    let (pinned, featured) = front_page::picked_stories(&state.db, curation, now).await?;
    if let Some(pinned) = pinned
        && front.lead.as_ref().is_none_or(|lead| lead.id != pinned.id)
        && let Some(newest) = front.lead.replace(pinned)
    {
        front.items.insert(0, newest);
    }
    let lead = front.lead.as_ref().map(|a| a.id);
    let featured: Vec<ArticleSummary> = featured
        .into_iter()
        .filter(|a| Some(a.id) != lead)
        .collect();
    front
        .items
        .retain(|a| Some(a.id) != lead && !featured.iter().any(|f| f.id == a.id));
    Ok((front, featured))
}

pub async fn home(
    req: HttpRequest,
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    reused_page(&req, &state, &state.list_pages, &["page"], || async {
        let page = page_number(query.page.as_deref())?;
        let front = state
            .front_pages
            .page(&state.db, None, page, now_timestamp())
            .await?
            .ok_or(WebError::NotFound)?;
        let most_read = state.most_read.current(&state.db).await?;
        let (front, featured) = match page {
            1 => with_picks(&state, front).await?,
            _ => (front, Vec::new()),
        };
        let pictures = front_pictures(&state, &front, &featured).await?;
        let mut layout = layout(&req, &state, None);
        layout.breaking = breaking_now(&state).await?;
        let home = HomePage::new(layout, front, featured, &pictures, page, &most_read);
        Ok(home.render()?)
    })
    .await
}

pub async fn section(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    reused_page(&req, &state, &state.list_pages, &["page"], || async {
        let section = state.sections.by_slug(&path).ok_or(WebError::NotFound)?;
        let page = page_number(query.page.as_deref())?;
        let front = state
            .front_pages
            .page(&state.db, Some(section.id), page, now_timestamp())
            .await?
            .ok_or(WebError::NotFound)?;
        let mut layout = layout(&req, &state, Some(&section.name));
        layout.breaking = breaking_now(&state).await?;
        let pictures = front_pictures(&state, &front, &[]).await?;
        Ok(SectionPage::new(layout, &section, front, &pictures, page).render()?)
    })
    .await
}

/// How many articles a tag's page lists.
const TAG_PAGE_SIZE: i64 = 20;

/// `/tag/{slug}`: the articles of a tag. Any spelling of the tag finds it; a spelling that
/// is not the tag's slug is sent there (301), so each tag has one address.
pub async fn tag(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let slug = slug_of(&path);
    if slug.is_empty() {
        return Err(WebError::NotFound);
    }
    if slug != *path {
        return Ok(moved_to(tag_path(&slug), query.page.as_deref()));
    }
    reused_page(&req, &state, &state.list_pages, &["page"], || async {
        let page = page_number(query.page.as_deref())?;
        let offset = (page - 1) * TAG_PAGE_SIZE;
        let (id, tag) = reading::tag(&state.db, slug.clone())
            .await?
            .ok_or(WebError::NotFound)?;
        let articles = state
            .front_pages
            .slice(
                &state.db,
                Listing::Tag(id),
                offset,
                TAG_PAGE_SIZE + 1,
                now_timestamp(),
            )
            .await?;
        let (articles, has_next) = one_page(articles, TAG_PAGE_SIZE)?;
        let pictures =
            super::pictures_of(&state, articles.iter().filter_map(|a| a.lead_picture)).await?;
        let mut layout = layout(&req, &state, Some(&format!("وسم: {}", tag.name)));
        layout.breaking = breaking_now(&state).await?;
        Ok(TagPage::new(layout, &tag, articles, has_next, &pictures, page).render()?)
    })
    .await
}

/// How many articles an author's page lists.
const AUTHOR_PAGE_SIZE: i64 = 20;

/// `/author/{slug}`: an author and their articles. Another spelling of the byline is sent
/// to the author's one address (301), as for tags.
pub async fn author(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<PageQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let slug = author_slug(&path);
    if slug.is_empty() {
        return Err(WebError::NotFound);
    }
    if slug != *path {
        return Ok(moved_to(author_path(&slug), query.page.as_deref()));
    }
    reused_page(&req, &state, &state.list_pages, &["page"], || async {
        let page = page_number(query.page.as_deref())?;
        let offset = (page - 1) * AUTHOR_PAGE_SIZE;
        let now = now_timestamp();
        let bylines = state.bylines.of(&state.db, &slug).await?;
        let mut data = authors::about(&state.db, slug.clone(), bylines.clone())
            .await?
            .ok_or(WebError::NotFound)?;
        let limit = AUTHOR_PAGE_SIZE + 1;
        let articles = match <[String; 1]>::try_from(bylines) {
            // One spelling (nearly always): from the byline's kept anchors, at any depth.
            Ok([byline]) => {
                state
                    .front_pages
                    .slice(&state.db, Listing::Byline(byline), offset, limit, now)
                    .await?
            }
            Err(bylines) => authors::articles_by(&state.db, bylines, offset, limit, now).await?,
        };
        let (articles, has_next) = one_page(articles, AUTHOR_PAGE_SIZE)?;
        data.articles = articles;
        let pictures =
            super::pictures_of(&state, data.articles.iter().filter_map(|a| a.lead_picture)).await?;
        let mut layout = layout(&req, &state, Some(&data.name.clone()));
        layout.breaking = breaking_now(&state).await?;
        Ok(AuthorPage::new(layout, &slug, data, has_next, &pictures, page).render()?)
    })
    .await
}

/// A 301 to a tag's or an author's one address, keeping `?page=` (digits only).
fn moved_to(mut location: String, page: Option<&str>) -> HttpResponse {
    if let Some(page) = page {
        let digits: String = page.chars().filter(char::is_ascii_digit).take(9).collect();
        location.push_str(&format!("?page={digits}"));
    }
    HttpResponse::MovedPermanently()
        .insert_header((actix_web::http::header::LOCATION, location))
        .finish()
}

/// One page of a list read with one article more than `size` (to know of a next page):
/// the page, and whether there is a next one; `NotFound` for an empty page.
fn one_page<T>(mut items: Vec<T>, size: i64) -> Result<(Vec<T>, bool), WebError> {
    if items.is_empty() {
        return Err(WebError::NotFound);
    }
    let has_next = items.len() as i64 > size;
    items.truncate(usize::try_from(size).unwrap_or(0));
    Ok((items, has_next))
}

pub async fn search(
    req: HttpRequest,
    query: web::Query<SearchQuery>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    reused_page(
        &req,
        &state,
        &state.search_pages,
        &["q", "page", "sort"],
        || async {
            let text = query.q.clone().unwrap_or_default();
            let page = page_number(query.page.as_deref())?;
            let newest = query.sort.as_deref() == Some("newest");
            let order = match newest {
                true => SearchOrder::Newest,
                false => SearchOrder::Relevance,
            };
            let (hits, total) =
                reading::search(&state.db, &text, order, page, now_timestamp()).await?;
            if page > 1 && hits.is_empty() {
                return Err(WebError::NotFound);
            }
            let pictures =
                super::pictures_of(&state, hits.iter().filter_map(|h| h.lead_picture)).await?;
            let layout = layout(&req, &state, Some(&SearchPage::heading(&text)));
            let results = SearchPage::new(
                layout,
                &text,
                newest,
                Found {
                    hits,
                    total,
                    pictures,
                },
                page,
                SEARCH_PAGE_SIZE,
            );
            Ok(results.render()?)
        },
    )
    .await
}

/// `/about` and `/contact`: the site's own pages, once an admin has written them.
pub async fn site_page(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, WebError> {
    let kind = SitePageKind::parse(req.path().trim_start_matches('/')).ok_or(WebError::NotFound)?;
    let page = state.site_pages.get(kind).ok_or(WebError::NotFound)?;
    let mut layout = layout(&req, &state, Some(&page.title));
    layout.canonical = Some(format!("{}{}", state.site.base_url, kind.path()));
    layout.breaking = breaking_now(&state).await?;
    let html = SitePageView {
        layout,
        title: page.title,
        body_html: page.body_html,
    }
    .render()?;
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(html))
}
