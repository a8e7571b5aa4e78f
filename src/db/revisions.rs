//! Queries on `revisions`: what each save through the newsroom kept.

use diesel::prelude::*;

use super::articles::ArticleContent;
use super::schema::{revisions, users};
use super::{DbConn, DbResult};
use crate::core::article::Status;
use crate::core::revision::Revision;
use crate::core::{ArticleId, PictureId, RevisionId, SectionId, UserId};

/// Keeps `content` as saved by `by` (in the caller's transaction, beside the save).
pub fn insert(
    conn: &mut DbConn,
    article: ArticleId,
    by: UserId,
    saved_at: i64,
    content: &ArticleContent<'_>,
) -> DbResult<()> {
    diesel::insert_into(revisions::table)
        .values((
            revisions::article_id.eq(article.get()),
            revisions::user_id.eq(by.get()),
            revisions::saved_at.eq(saved_at),
            revisions::title.eq(content.title),
            revisions::summary.eq(content.summary),
            revisions::body.eq(content.body),
            revisions::section_id.eq(content.section_id),
            revisions::author.eq(content.author),
            revisions::status.eq(content.status.as_str()),
            revisions::published_at.eq(content.published_at),
            revisions::lead_picture_id.eq(content.lead_picture_id),
        ))
        .execute(conn)?;
    Ok(())
}

type RevisionRow = (
    i64,
    i64,
    Option<String>,
    i64,
    String,
    String,
    String,
    i64,
    String,
    String,
    i64,
    Option<i64>,
);

fn revision(row: RevisionRow) -> Revision {
    let (
        id,
        article_id,
        saved_by,
        saved_at,
        title,
        summary,
        body,
        section_id,
        author,
        status,
        published_at,
        lead,
    ) = row;
    Revision {
        id: RevisionId::from_db(id),
        article_id: ArticleId::from_db(article_id),
        saved_by,
        saved_at,
        title,
        summary,
        body,
        section_id: SectionId::from_db(section_id),
        author,
        // Only the newsroom writes the column, from a `Status`.
        status: Status::parse(&status).unwrap_or(Status::Draft),
        published_at,
        lead_picture: lead.map(PictureId::from_db),
    }
}

macro_rules! revision_columns {
    () => {
        (
            revisions::id,
            revisions::article_id,
            users::username.nullable(),
            revisions::saved_at,
            revisions::title,
            revisions::summary,
            revisions::body,
            revisions::section_id,
            revisions::author,
            revisions::status,
            revisions::published_at,
            revisions::lead_picture_id,
        )
    };
}

/// Every revision of `article`, newest first.
pub fn of_article(conn: &mut DbConn, article: ArticleId) -> DbResult<Vec<Revision>> {
    let rows: Vec<RevisionRow> = revisions::table
        .left_join(users::table)
        .filter(revisions::article_id.eq(article.get()))
        .order(revisions::id.desc())
        .select(revision_columns!())
        .load(conn)?;
    Ok(rows.into_iter().map(revision).collect())
}

/// One revision of `article`.
pub fn find(conn: &mut DbConn, article: ArticleId, id: RevisionId) -> DbResult<Option<Revision>> {
    let row: Option<RevisionRow> = revisions::table
        .left_join(users::table)
        .filter(revisions::article_id.eq(article.get()))
        .filter(revisions::id.eq(id.get()))
        .select(revision_columns!())
        .first(conn)
        .optional()?;
    Ok(row.map(revision))
}
