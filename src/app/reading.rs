//! What readers read: an article with the headlines under it, the front pages of the site
//! and of each section, search results, and what feeds and sitemaps list.

use crate::core::article::{ArticleSummary, FrontPage, PublicArticle, SearchHit, SitemapEntry};
use crate::core::{ArticleId, SectionId};
use crate::db::{self, Database, DbConn, DbResult, articles, search};

use super::AppError;

/// Articles per page of a list.
pub const PAGE_SIZE: i64 = 20;
/// Headlines in the article page's "المزيد".
pub const MORE_COUNT: i64 = 8;
/// Results per page of a search.
pub const SEARCH_PAGE_SIZE: i64 = 10;

/// A visible article and "المزيد" under it; `NotFound` for anything readers may not see.
pub async fn article(
    db: &Database,
    id: ArticleId,
    now: i64,
) -> Result<(PublicArticle, Vec<ArticleSummary>), AppError> {
    db.run(move |conn| {
        let Some(article) = articles::find_visible(conn, id, now)? else {
            return Ok(None);
        };
        let more = more_headlines(conn, &article, now)?;
        Ok::<_, AppError>(Some((article, more)))
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// "المزيد": the newest other articles of the same section, filled up with the newest
/// of the others.
fn more_headlines(
    conn: &mut DbConn,
    article: &PublicArticle,
    now: i64,
) -> DbResult<Vec<ArticleSummary>> {
    let mut excluded = vec![article.id];
    let mut more = articles::latest_visible(
        conn,
        now,
        Some(article.section_id),
        &excluded,
        0,
        MORE_COUNT,
    )?;
    let missing = MORE_COUNT - more.len() as i64;
    if missing > 0 {
        excluded.extend(more.iter().map(|a| a.id));
        more.extend(articles::latest_visible(
            conn, now, None, &excluded, 0, missing,
        )?);
    }
    Ok(more)
}

/// Page `page` (from 1) of the site's (`section` None) or a section's front page: the
/// newest article leads, and the list pages go on after it. `NotFound` past the end.
pub async fn front_page(
    db: &Database,
    section: Option<SectionId>,
    page: i64,
    now: i64,
) -> Result<FrontPage, AppError> {
    let offset = 1 + (page - 1) * PAGE_SIZE;
    // One article more than the page shows tells whether there is a next page: counting
    // every visible article took 40 ms per request with 100,000 of them.
    let (lead, mut items) = db
        .run(move |conn| {
            let lead = match page {
                1 => articles::latest_visible(conn, now, section, &[], 0, 1)?,
                _ => Vec::new(),
            };
            let items = articles::latest_visible(conn, now, section, &[], offset, PAGE_SIZE + 1)?;
            Ok::<_, AppError>((lead.into_iter().next(), items))
        })
        .await?;
    let has_next = items.len() as i64 > PAGE_SIZE;
    items.truncate(PAGE_SIZE as usize);
    if page > 1 && items.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(FrontPage {
        lead,
        items,
        has_next,
    })
}

/// The newest `limit` visible articles of the site or of one section (feeds).
pub async fn latest(
    db: &Database,
    section: Option<SectionId>,
    limit: i64,
    now: i64,
) -> Result<Vec<ArticleSummary>, AppError> {
    Ok(db
        .run(move |conn| articles::latest_visible(conn, now, section, &[], 0, limit))
        .await?)
}

/// The visible articles published at `since` or later, newest first (news sitemap).
pub async fn published_since(
    db: &Database,
    since: i64,
    limit: i64,
    now: i64,
) -> Result<Vec<ArticleSummary>, AppError> {
    Ok(db
        .run(move |conn| articles::visible_since(conn, now, since, limit))
        .await?)
}

/// Every visible article, for the sitemap.
pub async fn sitemap_entries(db: &Database, now: i64) -> Result<Vec<SitemapEntry>, AppError> {
    Ok(db
        .run(move |conn| articles::sitemap_entries(conn, now))
        .await?)
}

/// One page of search results for `query` (plain text, never search syntax) and how
/// many there are in all; nothing for a query without a word.
pub async fn search(
    db: &Database,
    query: &str,
    page: i64,
    now: i64,
) -> Result<(Vec<SearchHit>, i64), AppError> {
    let Some(expression) = search::match_expression(query) else {
        return Ok((Vec::new(), 0));
    };
    let offset = (page - 1) * SEARCH_PAGE_SIZE;
    db.run(move |conn| {
        let hits = search::search(conn, &expression, now, offset, SEARCH_PAGE_SIZE)?;
        let total = search::count(conn, &expression, now)?;
        Ok::<_, AppError>((hits, total))
    })
    .await
}

/// Whether the database answers (the health check).
pub async fn database_answers(db: &Database) -> Result<(), AppError> {
    Ok(db.run(db::ping).await?)
}
