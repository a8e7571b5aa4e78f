//! What readers read: an article with the headlines under it, the front pages of the site
//! and of each section, search results, and what feeds and sitemaps list.

use crate::core::arabic::search_text::query_words;
use crate::core::article::{ArticleSummary, PublicArticle, SearchHit};
use crate::core::tags::Tag;
use crate::core::{ArticleId, SectionId};
use crate::db::articles::Listing;
use crate::db::search::{self, SearchOrder};
use crate::db::{self, Database, articles, tags};

use super::AppError;

/// Results per page of a search.
pub const SEARCH_PAGE_SIZE: i64 = 10;

/// A visible article with its tags, and the tags' ids (what its related articles are
/// found by: `runtime::related`); `NotFound` for anything readers may not see. One trip to
/// the database: this is what every article page read from the archive costs.
pub async fn article(
    db: &Database,
    id: ArticleId,
    now: i64,
) -> Result<(PublicArticle, Vec<i64>), AppError> {
    db.run(move |conn| {
        let Some(mut article) = articles::find_visible(conn, id, now)? else {
            return Ok::<_, db::DbError>(None);
        };
        let (tag_ids, tags) = tags::with_ids_of_article(conn, id)?.into_iter().unzip();
        article.tags = tags;
        Ok(Some((article, tag_ids)))
    })
    .await?
    .ok_or(AppError::NotFound)
}

/// The newest `limit` visible articles of the site or of one section (feeds).
pub async fn latest(
    db: &Database,
    section: Option<SectionId>,
    limit: i64,
    now: i64,
) -> Result<Vec<ArticleSummary>, AppError> {
    Ok(db
        .run(move |conn| articles::visible_from(conn, now, &section.into(), None, 0, limit))
        .await?)
}

/// The tag with this slug (already folded) and its id, the key of its list; `None` for a
/// tag that does not exist.
pub async fn tag(db: &Database, slug: String) -> Result<Option<(i64, Tag)>, AppError> {
    Ok(db.run(move |conn| tags::by_slug(conn, &slug)).await?)
}

/// A tag and its newest `limit` articles readers may see (its feed); `None` for a tag
/// that does not exist.
pub async fn tagged(
    db: &Database,
    slug: String,
    limit: i64,
    now: i64,
) -> Result<Option<(Tag, Vec<ArticleSummary>)>, AppError> {
    Ok(db
        .run(move |conn| {
            let Some((id, tag)) = tags::by_slug(conn, &slug)? else {
                return Ok::<_, crate::db::DbError>(None);
            };
            let list = Listing::Tag(id);
            let articles = articles::visible_from(conn, now, &list, None, 0, limit)?;
            Ok(Some((tag, articles)))
        })
        .await?)
}

/// Every tag with an article readers may see, and its newest article's time (sitemap).
pub async fn visible_tags(db: &Database, now: i64) -> Result<Vec<(Tag, i64)>, AppError> {
    Ok(db
        .run(move |conn| tags::visible_with_latest(conn, now))
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

/// One page of search results for `query` (plain text, never search syntax) in `order`,
/// and how many there are in all; nothing for a query without a word.
pub async fn search(
    db: &Database,
    query: &str,
    order: SearchOrder,
    page: i64,
    now: i64,
) -> Result<(Vec<SearchHit>, i64), AppError> {
    let words = query_words(query);
    if words.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let offset = ((page - 1) * SEARCH_PAGE_SIZE) as usize;
    db.run_with_search(move |conn, index| {
        let (ids, total) = index.search(&words, now, order, offset, SEARCH_PAGE_SIZE as usize)?;
        let hits = search::visible_hits(conn, &ids, now)?;
        Ok::<_, AppError>((hits, total as i64))
    })
    .await
}

/// Whether the database takes a write now (the readiness check).
pub async fn database_writable(db: &Database) -> Result<(), AppError> {
    Ok(db.run(db::writable).await?)
}

/// Whether the database answers (the health check).
pub async fn database_answers(db: &Database) -> Result<(), AppError> {
    Ok(db.run(db::ping).await?)
}
