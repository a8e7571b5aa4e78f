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

use super::articles::VISIBLE_AT_SQL;
use super::schema::articles;
use super::{DbConn, DbResult, meta, write_tx};
use crate::core::arabic::search_text::{QueryWord, index_text, query_words};
use crate::core::article::{SearchHit, Status};
use crate::core::snippets::plain_text;
use crate::core::{ArticleId, SectionId};

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

#[derive(QueryableByName)]
#[diesel(table_name = articles, check_for_backend(Sqlite))]
struct HitRow {
    id: i64,
    section_id: i64,
    title: String,
    summary: String,
    body_html: String,
    published_at: i64,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn insert(conn: &mut DbConn, article: &Indexable) -> DbResult<()> {
    diesel::sql_query(
        "INSERT INTO article_search (rowid, title, summary, body) VALUES (?, ?, ?, ?)",
    )
    .bind::<BigInt, _>(article.id)
    .bind::<Text, _>(index_text(&article.title))
    .bind::<Text, _>(index_text(&article.summary))
    .bind::<Text, _>(index_text(&plain_text(&article.body_html)))
    .execute(conn)?;
    Ok(())
}

/// (Re)indexes one article from its current row; removes it from the index if the
/// article no longer exists. Call it in the transaction that saved the article.
pub fn index_article(conn: &mut DbConn, article_id: ArticleId) -> DbResult<()> {
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
pub fn remove_article(conn: &mut DbConn, article_id: ArticleId) -> DbResult<()> {
    diesel::sql_query("DELETE FROM article_search WHERE rowid = ?")
        .bind::<BigInt, _>(article_id.get())
        .execute(conn)?;
    Ok(())
}

/// Rebuilds the whole index from `articles`, in one transaction, and records
/// [`SEARCH_INDEX_VERSION`]. Returns how many articles were indexed.
pub fn rebuild(conn: &mut DbConn) -> DbResult<usize> {
    write_tx(conn, |conn| {
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
pub fn ensure_current(conn: &mut DbConn) -> DbResult<Option<usize>> {
    if meta::get(conn, SEARCH_INDEX_VERSION_KEY)?.as_deref() == Some(SEARCH_INDEX_VERSION) {
        return Ok(None);
    }
    rebuild(conn).map(Some)
}

/// The FROM and WHERE shared by [`search`] and [`count`]: matches readers may see.
/// Bound parameters: the MATCH expression, then those of [`VISIBLE_AT_SQL`].
///
/// CROSS JOIN makes SQLite read the matches first and look each up in `articles`. With a
/// plain JOIN it chose the other order: every visible article, each probed in the index
/// (13 s for one query over 100,000 articles, against 4 ms this way; see
/// docs/BENCHMARKS.md). The lookups use the covering index `articles_visible_by_id`: in
/// the table, status and published_at come after the body's overflow pages.
fn visible_matches() -> String {
    format!(
        "FROM article_search
         CROSS JOIN articles INDEXED BY articles_visible_by_id
             ON articles.id = article_search.rowid
         WHERE article_search MATCH ? AND {VISIBLE_AT_SQL}"
    )
}

/// The visible articles matching `expression` (built by [`match_expression`], always a
/// bound parameter), best first: bm25 with the title weighted above the summary above the
/// body, then newest.
pub fn search(
    conn: &mut DbConn,
    expression: &str,
    now: i64,
    offset: i64,
    limit: i64,
) -> DbResult<Vec<SearchHit>> {
    let visible_matches = visible_matches();
    // The page's ids are chosen first, from the matches' rank and time alone; only those
    // rows are then read whole (sorting every match with its body was most of the cost).
    let rows = diesel::sql_query(format!(
        "SELECT articles.id, articles.section_id, articles.title, articles.summary,
                articles.body_html, articles.published_at
         FROM (SELECT articles.id AS id, articles.published_at AS at,
                      bm25(article_search, {TITLE_WEIGHT:.1}, {SUMMARY_WEIGHT:.1}, {BODY_WEIGHT:.1}) AS rank
               {visible_matches}
               ORDER BY rank, at DESC, id DESC
               LIMIT ? OFFSET ?) AS page
         CROSS JOIN articles ON articles.id = page.id
         ORDER BY page.rank, page.at DESC, page.id DESC"
    ))
    .bind::<Text, _>(expression)
    .bind::<Text, _>(Status::Published)
    .bind::<BigInt, _>(now)
    .bind::<BigInt, _>(limit)
    .bind::<BigInt, _>(offset)
    .load::<HitRow>(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| SearchHit {
            id: ArticleId::from_db(row.id),
            section_id: SectionId::from_db(row.section_id),
            title: row.title,
            summary: row.summary,
            body_html: row.body_html,
            published_at: row.published_at,
        })
        .collect())
}

/// How many visible articles match `expression`.
pub fn count(conn: &mut DbConn, expression: &str, now: i64) -> DbResult<i64> {
    let row = diesel::sql_query(format!("SELECT COUNT(*) AS count {}", visible_matches()))
        .bind::<Text, _>(expression)
        .bind::<Text, _>(Status::Published)
        .bind::<BigInt, _>(now)
        .get_result::<Count>(conn)?;
    Ok(row.count)
}

/// How many articles the index holds (for tests and tools).
pub fn indexed_count(conn: &mut DbConn) -> DbResult<i64> {
    let row = diesel::sql_query("SELECT COUNT(*) AS count FROM article_search")
        .get_result::<Count>(conn)?;
    Ok(row.count)
}

/// FTS5 MATCH expression for a user query, which is plain text, never FTS5
/// syntax: each query word becomes `("word" OR "stem")` (or just `"word"`),
/// words are joined with AND (all must occur, in any order). Only the first
/// `MAX_QUERY_WORDS` distinct words count. None if the query has no word.
pub fn match_expression(query: &str) -> Option<String> {
    expression_of(query_words(query))
}

/// The MATCH expression searching for `words` (see [`match_expression`]).
fn expression_of(words: Vec<QueryWord>) -> Option<String> {
    let clauses: Vec<String> = words
        .into_iter()
        .map(|word| {
            let alternatives: Vec<String> = std::iter::once(word.token)
                .chain(word.stems)
                .map(|term| fts5_string(&term))
                .collect();
            if alternatives.len() == 1 {
                alternatives.join("")
            } else {
                format!("({})", alternatives.join(" OR "))
            }
        })
        .collect();
    if clauses.is_empty() {
        None
    } else {
        Some(clauses.join(" AND "))
    }
}

/// An FTS5 string literal: the term in double quotes, inner quotes doubled.
/// Tokens never contain quotes, but the quoting must not depend on that.
fn fts5_string(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn match_expression_quotes_and_joins_words() {
        assert_eq!(
            match_expression("UNESCO 2016").as_deref(),
            Some(r#""unesco" AND "2016""#)
        );
        assert_eq!(
            match_expression("كتابها").as_deref(),
            Some(r#"("كتابها" OR "كتاب")"#)
        );
        assert_eq!(match_expression("  ؟!  "), None);
    }

    #[test]
    fn match_expression_caps_and_dedups_words() {
        let query = (0..50)
            .map(|n| format!("w{n} w{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let expression = match_expression(&query).unwrap();
        assert_eq!(
            expression.matches(" AND ").count(),
            crate::core::arabic::search_text::MAX_QUERY_WORDS - 1
        );
        assert!(expression.starts_with(r#""w0" AND "w1""#));
    }
}

#[cfg(test)]
mod stemming_tests;
