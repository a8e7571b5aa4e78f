//! The full-text index `article_search` (FTS5, rowid = `articles.id`): keeping it in step
//! with `articles`, and searching it.
//!
//! Every article is indexed, drafts and scheduled ones included; searching joins
//! `articles` and keeps what readers may see at that moment, so a scheduled article shows
//! up in results on time without reindexing, and a draft never does. Whoever writes an
//! article calls [`index_article`] (or [`remove_article`]) in the same transaction.
//!
//! The columns hold [`index_text`] of the title, the summary and the body's plain text.
//! When what `index_text` produces changes, bump [`SEARCH_INDEX_VERSION`]: the next start
//! rebuilds the index ([`ensure_current`]); `sahifa reindex` does it by hand.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::Sqlite;

use super::articles::STATUS_PUBLISHED;
use super::meta;
use super::schema::articles;
use crate::arabic::search_text::index_text;
use crate::domain::ArticleId;
use crate::search::plain_text;

/// Version of what is stored in the index; kept in `site_meta` under
/// [`SEARCH_INDEX_VERSION_KEY`]. Bump it when normalisation, stemming or the indexed text
/// changes.
pub const SEARCH_INDEX_VERSION: &str = "1";
pub const SEARCH_INDEX_VERSION_KEY: &str = "search_index_version";

/// bm25 column weights: a word in the title counts more than in the summary, which
/// counts more than in the body.
const TITLE_WEIGHT: f64 = 10.0;
const SUMMARY_WEIGHT: f64 = 5.0;
const BODY_WEIGHT: f64 = 1.0;

/// Articles read per batch while rebuilding, so a large site is never all in memory.
const REBUILD_BATCH: i64 = 500;

/// What the index is built from.
#[derive(Debug, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(Sqlite))]
struct Indexable {
    id: i64,
    title: String,
    summary: String,
    body_html: String,
}

/// One search result: what its line on the results page needs.
#[derive(Debug, Clone, QueryableByName)]
#[diesel(table_name = articles, check_for_backend(Sqlite))]
pub struct Hit {
    pub id: i64,
    pub section_id: i64,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub published_at: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn insert(conn: &mut SqliteConnection, article: &Indexable) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO article_search (rowid, title, summary, body) VALUES (?, ?, ?, ?)",
    )
    .bind::<BigInt, _>(article.id)
    .bind::<Text, _>(index_text(&article.title))
    .bind::<Text, _>(index_text(&article.summary))
    .bind::<Text, _>(index_text(&plain_text(&article.body_html)))
    .execute(conn)
    .map(|_| ())
}

/// (Re)indexes one article from its current row; removes it from the index if the
/// article no longer exists. Call it in the transaction that saved the article.
pub fn index_article(conn: &mut SqliteConnection, article_id: ArticleId) -> QueryResult<()> {
    let article = articles::table
        .find(article_id.get())
        .select(Indexable::as_select())
        .first(conn)
        .optional()?;
    remove_article(conn, article_id)?;
    match article {
        Some(article) => insert(conn, &article),
        None => Ok(()),
    }
}

/// Takes one article out of the index. Call it in the transaction that deleted it.
pub fn remove_article(conn: &mut SqliteConnection, article_id: ArticleId) -> QueryResult<()> {
    diesel::sql_query("DELETE FROM article_search WHERE rowid = ?")
        .bind::<BigInt, _>(article_id.get())
        .execute(conn)
        .map(|_| ())
}

/// Rebuilds the whole index from `articles`, in one transaction, and records
/// [`SEARCH_INDEX_VERSION`]. Returns how many articles were indexed.
pub fn rebuild(conn: &mut SqliteConnection) -> QueryResult<usize> {
    conn.immediate_transaction(|conn| {
        diesel::sql_query("DELETE FROM article_search").execute(conn)?;
        let mut indexed = 0;
        let mut after = i64::MIN;
        loop {
            let batch = articles::table
                .filter(articles::id.gt(after))
                .order(articles::id.asc())
                .limit(REBUILD_BATCH)
                .select(Indexable::as_select())
                .load(conn)?;
            let Some(last) = batch.last() else { break };
            after = last.id;
            for article in &batch {
                insert(conn, article)?;
            }
            indexed += batch.len();
        }
        meta::set(conn, SEARCH_INDEX_VERSION_KEY, SEARCH_INDEX_VERSION)?;
        Ok(indexed)
    })
}

/// Rebuilds the index if it was built by another version (or never): returns how many
/// articles were indexed then, None if the index was current.
pub fn ensure_current(conn: &mut SqliteConnection) -> QueryResult<Option<usize>> {
    if meta::get(conn, SEARCH_INDEX_VERSION_KEY)?.as_deref() == Some(SEARCH_INDEX_VERSION) {
        return Ok(None);
    }
    rebuild(conn).map(Some)
}

/// The FROM and WHERE shared by [`search`] and [`count`]: matches readers may see.
/// Bound parameters: the MATCH expression, then `now`.
///
/// CROSS JOIN makes SQLite read the matches first and look each up in `articles`. With a
/// plain JOIN it chose the other order: every visible article, each probed in the index
/// (13 s for one query over 100,000 articles, against 4 ms this way; see
/// docs/BENCHMARKS.md). The lookups use the covering index `articles_visible_by_id`: in
/// the table, status and published_at come after the body's overflow pages.
const VISIBLE_MATCHES: &str = "FROM article_search
     CROSS JOIN articles INDEXED BY articles_visible_by_id
         ON articles.id = article_search.rowid
     WHERE article_search MATCH ?
       AND articles.status = ?
       AND articles.published_at <= ?";

/// The visible articles matching `expression` (built by
/// [`crate::arabic::search_text::match_expression`], always a bound parameter), best
/// first: bm25 with the title weighted above the summary above the body, then newest.
pub fn search(
    conn: &mut SqliteConnection,
    expression: &str,
    now: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<Hit>> {
    // The page's ids are chosen first, from the matches' rank and time alone; only those
    // rows are then read whole (sorting every match with its body was most of the cost).
    diesel::sql_query(format!(
        "SELECT articles.id, articles.section_id, articles.title, articles.summary,
                articles.body_html, articles.published_at
         FROM (SELECT articles.id AS id, articles.published_at AS at,
                      bm25(article_search, {TITLE_WEIGHT:.1}, {SUMMARY_WEIGHT:.1}, {BODY_WEIGHT:.1}) AS rank
               {VISIBLE_MATCHES}
               ORDER BY rank, at DESC, id DESC
               LIMIT ? OFFSET ?) AS page
         CROSS JOIN articles ON articles.id = page.id
         ORDER BY page.rank, page.at DESC, page.id DESC"
    ))
    .bind::<Text, _>(expression)
    .bind::<Text, _>(STATUS_PUBLISHED)
    .bind::<BigInt, _>(now)
    .bind::<BigInt, _>(limit)
    .bind::<BigInt, _>(offset)
    .load(conn)
}

/// How many visible articles match `expression`.
pub fn count(conn: &mut SqliteConnection, expression: &str, now: i64) -> QueryResult<i64> {
    diesel::sql_query(format!("SELECT COUNT(*) AS count {VISIBLE_MATCHES}"))
        .bind::<Text, _>(expression)
        .bind::<Text, _>(STATUS_PUBLISHED)
        .bind::<BigInt, _>(now)
        .get_result::<Count>(conn)
        .map(|row| row.count)
}

/// How many articles the index holds (for tests and tools).
pub fn indexed_count(conn: &mut SqliteConnection) -> QueryResult<i64> {
    diesel::sql_query("SELECT COUNT(*) AS count FROM article_search")
        .get_result::<Count>(conn)
        .map(|row| row.count)
}
