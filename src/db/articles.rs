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

/// An article's line in the sitemap.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(Sqlite))]
pub struct SitemapEntry {
    pub id: i64,
    pub section_id: i64,
    pub published_at: i64,
    pub updated_at: i64,
}

/// Every visible article, newest first.
pub fn sitemap_entries(conn: &mut SqliteConnection, now: i64) -> QueryResult<Vec<SitemapEntry>> {
    visible(now)
        .order(articles::published_at.desc())
        .then_order_by(articles::id.desc())
        .select(SitemapEntry::as_select())
        .load(conn)
}

/// The visible articles published at `since` or later, newest first.
pub fn visible_since(
    conn: &mut SqliteConnection,
    now: i64,
    since: i64,
    limit: i64,
) -> QueryResult<Vec<ArticleSummary>> {
    visible(now)
        .filter(articles::published_at.ge(since))
        .order(articles::published_at.desc())
        .then_order_by(articles::id.desc())
        .limit(limit)
        .select(ArticleSummary::as_select())
        .load(conn)
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

/// An article as the newsroom edits it: the Markdown source and the version.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(Sqlite))]
pub struct EditableArticle {
    pub id: i64,
    pub section_id: i64,
    pub title: String,
    pub summary: String,
    pub body: String,
    pub author: String,
    pub status: String,
    pub published_at: i64,
    pub updated_at: i64,
    pub version: i64,
    pub views: i64,
}

pub fn find_editable(conn: &mut SqliteConnection, id: i64) -> QueryResult<Option<EditableArticle>> {
    articles::table
        .find(id)
        .select(EditableArticle::as_select())
        .first(conn)
        .optional()
}

/// One row of the newsroom's article list.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(Sqlite))]
pub struct NewsroomRow {
    pub id: i64,
    pub section_id: i64,
    pub title: String,
    pub author: String,
    pub status: String,
    pub published_at: i64,
    pub views: i64,
}

/// Which articles the newsroom list shows.
#[derive(Debug, Clone, Default)]
pub struct NewsroomFilter {
    pub state: Option<PublicationState>,
    pub section_id: Option<i64>,
    /// Part of the title, matched literally.
    pub title_contains: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicationState {
    Draft,
    Published,
    Scheduled,
}

fn newsroom_query(filter: &NewsroomFilter, now: i64) -> articles::BoxedQuery<'static, Sqlite> {
    let mut query = articles::table.into_boxed();
    match filter.state {
        Some(PublicationState::Draft) => query = query.filter(articles::status.eq(STATUS_DRAFT)),
        Some(PublicationState::Published) => {
            query = query
                .filter(articles::status.eq(STATUS_PUBLISHED))
                .filter(articles::published_at.le(now))
        }
        Some(PublicationState::Scheduled) => {
            query = query
                .filter(articles::status.eq(STATUS_PUBLISHED))
                .filter(articles::published_at.gt(now))
        }
        None => {}
    }
    if let Some(section_id) = filter.section_id {
        query = query.filter(articles::section_id.eq(section_id));
    }
    if let Some(text) = &filter.title_contains {
        // LIKE with an escape character, so % and _ typed by the editor match themselves.
        let escaped = text
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        query = query.filter(articles::title.like(format!("%{escaped}%")).escape('\\'));
    }
    query
}

/// Newest first (by publication time, then by last change).
pub fn newsroom_list(
    conn: &mut SqliteConnection,
    filter: &NewsroomFilter,
    now: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<NewsroomRow>, i64)> {
    let rows = newsroom_query(filter, now)
        .order((articles::published_at.desc(), articles::updated_at.desc()))
        .offset(offset)
        .limit(limit)
        .select(NewsroomRow::as_select())
        .load(conn)?;
    let total = newsroom_query(filter, now).count().get_result(conn)?;
    Ok((rows, total))
}

/// The editable fields of an article.
#[derive(Debug, AsChangeset)]
#[diesel(table_name = articles)]
pub struct ArticleChanges<'a> {
    pub section_id: i64,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    pub body_html: &'a str,
    pub author: &'a str,
    pub status: &'a str,
    pub published_at: i64,
    pub updated_at: i64,
}

/// Saves changes made on `expected_version`. Returns false, changing nothing, when someone
/// else saved the article since (or it is gone). Never touches id or views.
pub fn update_if_version(
    conn: &mut SqliteConnection,
    id: i64,
    expected_version: i64,
    changes: &ArticleChanges<'_>,
) -> QueryResult<bool> {
    let updated = diesel::update(
        articles::table
            .filter(articles::id.eq(id))
            .filter(articles::version.eq(expected_version)),
    )
    .set((changes, articles::version.eq(articles::version + 1)))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn delete(conn: &mut SqliteConnection, id: i64) -> QueryResult<bool> {
    let deleted = diesel::delete(articles::table.find(id)).execute(conn)?;
    Ok(deleted == 1)
}

pub fn count_in_section(conn: &mut SqliteConnection, section_id: i64) -> QueryResult<i64> {
    articles::table
        .filter(articles::section_id.eq(section_id))
        .count()
        .get_result(conn)
}
