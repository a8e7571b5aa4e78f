//! What the newsroom does to articles, each as one transaction: render the Markdown once,
//! save, keep the search index in step (or none of it happens). Plain blocking functions; handlers call them
//! through `AppState::db`.

use diesel::prelude::*;

use crate::db::articles::{self, ArticleChanges, NewArticle};
use crate::db::search;
use crate::domain::ArticleId;
use crate::domain::article_input::ArticleInput;
use crate::markdown;

/// Creates an article; returns its permalink id.
pub fn create_article(
    conn: &mut SqliteConnection,
    input: &ArticleInput,
    now: i64,
) -> QueryResult<ArticleId> {
    let body_html = markdown::body_to_html(&input.body);
    conn.immediate_transaction(|conn| {
        let id = crate::demo::unused_article_id(conn)?;
        articles::insert(
            conn,
            &NewArticle {
                id: id.get(),
                section_id: input.section_id,
                title: &input.title,
                summary: &input.summary,
                body: &input.body,
                body_html: &body_html,
                author: &input.author,
                status: input.status.as_str(),
                published_at: input.published_at.unwrap_or(now),
                created_at: now,
                updated_at: now,
            },
        )?;
        search::index_article(conn, id)?;
        Ok(id)
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateOutcome {
    Saved,
    /// Someone else saved since `expected_version`: nothing was changed.
    Conflict,
}

pub fn update_article(
    conn: &mut SqliteConnection,
    id: ArticleId,
    expected_version: i64,
    input: &ArticleInput,
    now: i64,
) -> QueryResult<UpdateOutcome> {
    let body_html = markdown::body_to_html(&input.body);
    conn.immediate_transaction(|conn| {
        let saved = articles::update_if_version(
            conn,
            id.get(),
            expected_version,
            &ArticleChanges {
                section_id: input.section_id,
                title: &input.title,
                summary: &input.summary,
                body: &input.body,
                body_html: &body_html,
                author: &input.author,
                status: input.status.as_str(),
                published_at: input.published_at.unwrap_or(now),
                updated_at: now,
            },
        )?;
        if !saved {
            return Ok(UpdateOutcome::Conflict);
        }
        search::index_article(conn, id)?;
        Ok(UpdateOutcome::Saved)
    })
}

pub fn delete_article(conn: &mut SqliteConnection, id: ArticleId) -> QueryResult<bool> {
    conn.immediate_transaction(|conn| {
        search::remove_article(conn, id)?;
        articles::delete(conn, id.get())
    })
}
