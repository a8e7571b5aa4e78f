//! Queries on `articles`. "Visible" means what readers may see: published, and the
//! publication time has come (a published article with a future time is scheduled).

use diesel::prelude::*;
use diesel::sqlite::Sqlite;

use super::schema::articles;
use crate::domain::{ArticleId, SectionId};

pub const STATUS_DRAFT: &str = "draft";
pub const STATUS_PUBLISHED: &str = "published";

/// An article as a reader's page shows it: the rendered body, not the Markdown source.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(Sqlite))]
pub struct PublicArticle {
    pub id: i64,
    pub section_id: i64,
    pub title: String,
    pub summary: String,
    pub body_html: String,
    pub author: String,
    pub published_at: i64,
    pub updated_at: i64,
    pub views: i64,
}

/// One line of a list of articles: home page, section page, "المزيد".
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(Sqlite))]
pub struct ArticleSummary {
    pub id: i64,
    pub section_id: i64,
    pub title: String,
    pub summary: String,
    pub published_at: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = articles)]
pub struct NewArticle<'a> {
    pub id: i64,
    pub section_id: i64,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub body_html: &'a str,
    pub author: &'a str,
    pub status: &'a str,
    pub published_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The reader-visible articles at `now`.
fn visible(now: i64) -> articles::BoxedQuery<'static, Sqlite> {
    articles::table
        .filter(articles::status.eq(STATUS_PUBLISHED))
        .filter(articles::published_at.le(now))
        .into_boxed()
}

pub fn find_visible(
    conn: &mut SqliteConnection,
    id: ArticleId,
    now: i64,
) -> QueryResult<Option<PublicArticle>> {
    visible(now)
        .filter(articles::id.eq(id.get()))
        .select(PublicArticle::as_select())
        .first(conn)
        .optional()
}

/// Newest first, `limit` of them after skipping `offset`.
pub fn latest_visible(
    conn: &mut SqliteConnection,
    now: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<ArticleSummary>> {
    visible(now)
        .order(articles::published_at.desc())
        .then_order_by(articles::id.desc())
        .offset(offset)
        .limit(limit)
        .select(ArticleSummary::as_select())
        .load(conn)
}

pub fn count_visible(conn: &mut SqliteConnection, now: i64) -> QueryResult<i64> {
    visible(now).count().get_result(conn)
}

/// The newest visible articles of one section, leaving out `excluded` ones.
pub fn latest_visible_in_section(
    conn: &mut SqliteConnection,
    section: SectionId,
    now: i64,
    excluded: &[i64],
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<ArticleSummary>> {
    visible(now)
        .filter(articles::section_id.eq(section.get()))
        .filter(articles::id.ne_all(excluded.to_vec()))
        .order(articles::published_at.desc())
        .then_order_by(articles::id.desc())
        .offset(offset)
        .limit(limit)
        .select(ArticleSummary::as_select())
        .load(conn)
}

/// The newest visible articles of any section, leaving out `excluded` ones.
pub fn latest_visible_excluding(
    conn: &mut SqliteConnection,
    now: i64,
    excluded: &[i64],
    limit: i64,
) -> QueryResult<Vec<ArticleSummary>> {
    visible(now)
        .filter(articles::id.ne_all(excluded.to_vec()))
        .order(articles::published_at.desc())
        .then_order_by(articles::id.desc())
        .limit(limit)
        .select(ArticleSummary::as_select())
        .load(conn)
}

pub fn count_visible_in_section(
    conn: &mut SqliteConnection,
    section: SectionId,
    now: i64,
) -> QueryResult<i64> {
    visible(now)
        .filter(articles::section_id.eq(section.get()))
        .count()
        .get_result(conn)
}

pub fn count_all(conn: &mut SqliteConnection) -> QueryResult<i64> {
    articles::table.count().get_result(conn)
}

pub fn insert(conn: &mut SqliteConnection, article: &NewArticle<'_>) -> QueryResult<()> {
    diesel::insert_into(articles::table)
        .values(article)
        .execute(conn)
        .map(|_| ())
}

pub fn id_exists(conn: &mut SqliteConnection, id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        articles::table.filter(articles::id.eq(id)),
    ))
    .get_result(conn)
}
