//! The lists readers page through: the home page, section pages and search results, each
//! reused for a moment (see `runtime::list_pages`).

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::respond::{page_number, reused_page};
use crate::app::reading::{self, SEARCH_PAGE_SIZE};
use crate::core::time::now_timestamp;
use crate::db::search::SearchOrder;
use crate::runtime::AppState;
use crate::views::discovery::{Found, SearchPage, SectionPage};
use crate::views::layout::Layout;
use crate::views::reader::HomePage;
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
fn layout<'a>(req: &HttpRequest, state: &'a AppState, title: Option<&str>) -> Layout<'a> {
    Layout::new(&state.site, state.sections.all(), display_of(req), title)
}

/// The lead pictures of a front page's stories: the lead story's shown large, the
/// others' as thumbnails.
async fn front_pictures(
    state: &AppState,
    front: &crate::core::article::FrontPage,
) -> Result<Vec<crate::core::picture::Picture>, WebError> {
    let stories = front.lead.iter().chain(&front.items);
    super::pictures_of(state, stories.filter_map(|story| story.lead_picture)).await
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
        let pictures = front_pictures(&state, &front).await?;
        let layout = layout(&req, &state, None);
        let home = HomePage::new(layout, front, &pictures, page, &most_read);
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
        let layout = layout(&req, &state, Some(&section.name));
        let pictures = front_pictures(&state, &front).await?;
        Ok(SectionPage::new(layout, &section, front, &pictures, page).render()?)
    })
    .await
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
