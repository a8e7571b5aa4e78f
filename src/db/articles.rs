//! Queries on `articles`. What readers may see is decided by [`visible_at`], the SQL form
//! of `core::article::Visibility::of`, and every reader-facing query goes through it.

use super::DbBackend;
use diesel::dsl::{And, Eq, LtEq};
use diesel::prelude::*;

use super::schema::{article_bodies, article_tags, article_views, articles};
use super::stored_html::StoredHtml;
use super::{DbConn, DbResult};
use crate::core::article::{
    ArticleSummary, EditableArticle, NewsroomFilter, NewsroomOrder, NewsroomRow, PublicArticle,
    SitemapEntry, Status, Visibility,
};
use crate::core::{ArticleId, PictureId, SectionId};

/// Readers see an article when it is published and its publication time has come.
pub type VisibleAt = And<Eq<articles::status, Status>, LtEq<articles::published_at, i64>>;

/// What readers may see at `now`, as a filter on `articles` (also inside joins).
pub fn visible_at(now: i64) -> VisibleAt {
    articles::status
        .eq(Status::Published)
        .and(articles::published_at.le(now))
}

/// [`visible_at`] for the hand-written search query: bind `Status::Published`, then `now`.
/// The test `the_sql_rule_matches_the_query_rule` keeps the two in step.
pub const VISIBLE_AT_SQL: &str = "articles.status = ? AND articles.published_at <= ?";

/// Articles in one state for readers at `now` (the newsroom's filter).
fn in_state(
    visibility: Visibility,
    now: i64,
) -> Box<dyn BoxableExpression<articles::table, DbBackend, SqlType = diesel::sql_types::Bool>> {
    match visibility {
        Visibility::Visible => Box::new(visible_at(now)),
        Visibility::Scheduled => Box::new(
            articles::status
                .eq(Status::Published)
                .and(articles::published_at.gt(now)),
        ),
        Visibility::Draft => Box::new(articles::status.eq(Status::Draft)),
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
struct PublicArticleRow {
    id: i64,
    section_id: i64,
    title: String,
    summary: String,
    #[diesel(select_expression = article_bodies::body_html)]
    body_html: Vec<u8>,
    author: String,
    published_at: i64,
    updated_at: i64,
    #[diesel(select_expression = article_views::views)]
    views: i64,
    lead_picture_id: Option<i64>,
}

impl From<PublicArticleRow> for PublicArticle {
    fn from(row: PublicArticleRow) -> Self {
        PublicArticle {
            id: ArticleId::from_db(row.id),
            section_id: SectionId::from_db(row.section_id),
            title: row.title,
            summary: row.summary,
            body_html: StoredHtml::decode(&row.body_html),
            author: row.author,
            published_at: row.published_at,
            updated_at: row.updated_at,
            views: row.views,
            // Read by `find_visible`, which has the connection.
            lead_picture: None,
            tags: Vec::new(),
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub(super) struct SummaryRow {
    id: i64,
    section_id: i64,
    title: String,
    summary: String,
    published_at: i64,
    lead_picture_id: Option<i64>,
}

impl From<SummaryRow> for ArticleSummary {
    fn from(row: SummaryRow) -> Self {
        ArticleSummary {
            id: ArticleId::from_db(row.id),
            section_id: SectionId::from_db(row.section_id),
            title: row.title,
            summary: row.summary,
            published_at: row.published_at,
            lead_picture: row.lead_picture_id.map(PictureId::from_db),
        }
    }
}

impl SummaryRow {
    pub(super) fn id(&self) -> i64 {
        self.id
    }

    pub(super) fn published_at(&self) -> i64 {
        self.published_at
    }
}

pub(super) fn summaries(rows: Vec<SummaryRow>) -> Vec<ArticleSummary> {
    rows.into_iter().map(ArticleSummary::from).collect()
}

/// The fields an editor sets, as stored: written by both insert and update.
#[derive(Debug)]
pub struct ArticleContent<'a> {
    pub section_id: i64,
    pub title: &'a str,
    pub summary: &'a str,
    pub body: &'a str,
    /// The rendered body, compressed: `StoredHtml::compress`.
    pub body_html: StoredHtml,
    pub author: &'a str,
    pub status: Status,
    pub published_at: i64,
    pub updated_at: i64,
    pub lead_picture_id: Option<i64>,
}

/// A new article: its permalink id, when it was created, and its content.
#[derive(Debug)]
pub struct NewArticle<'a> {
    pub id: i64,
    pub created_at: i64,
    pub content: ArticleContent<'a>,
}

/// The part of [`ArticleContent`] kept in `articles`.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = articles)]
#[diesel(treat_none_as_null = true)]
struct ArticleFields<'a> {
    section_id: i64,
    title: &'a str,
    summary: &'a str,
    author: &'a str,
    status: Status,
    published_at: i64,
    updated_at: i64,
    lead_picture_id: Option<i64>,
}

impl<'a> ArticleFields<'a> {
    fn of(content: &ArticleContent<'a>) -> Self {
        ArticleFields {
            section_id: content.section_id,
            title: content.title,
            summary: content.summary,
            author: content.author,
            status: content.status,
            published_at: content.published_at,
            updated_at: content.updated_at,
            lead_picture_id: content.lead_picture_id,
        }
    }
}

/// The part of [`ArticleContent`] kept in `article_bodies`.
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = article_bodies)]
struct BodyFields<'a> {
    body: &'a str,
    body_html: &'a StoredHtml,
}

impl<'a> BodyFields<'a> {
    fn of(content: &'a ArticleContent<'_>) -> Self {
        BodyFields {
            body: content.body,
            body_html: &content.body_html,
        }
    }
}

pub fn find_visible(conn: &mut DbConn, id: ArticleId, now: i64) -> DbResult<Option<PublicArticle>> {
    // On the backend's own connection: its statement cache finds the statement by the
    // query's type, where the two-backend connection writes out the SQL to find it (a
    // tenth of an article page read from the archive).
    let row = on_backend!(conn, |c| articles::table
        .inner_join(article_bodies::table)
        .inner_join(article_views::table)
        .filter(visible_at(now))
        .filter(articles::id.eq(id.get()))
        .select(PublicArticleRow::as_select())
        .first(c)
        .optional())?;
    let Some(row) = row else { return Ok(None) };
    let lead = row.lead_picture_id.map(PictureId::from_db);
    let mut article = PublicArticle::from(row);
    if let Some(lead) = lead {
        article.lead_picture = super::pictures::find(conn, lead)?;
    }
    Ok(Some(article))
}

/// Those of `ids` readers may see at `now`, in the order of `ids` (the front page's picks).
pub fn visible_summaries(
    conn: &mut DbConn,
    ids: &[ArticleId],
    now: i64,
) -> DbResult<Vec<ArticleSummary>> {
    let raw: Vec<i64> = ids.iter().map(|id| id.get()).collect();
    // Visibility checked here, not in SQL: with it in the WHERE clause SQLite read the
    // rows from the list index covering both conditions, walking every visible article of
    // the site (60 ms at 100,000, on every article page with tags), instead of looking up
    // the few ids by key. See `search::visible_hits`.
    let rows: Vec<(SummaryRow, Status, i64)> = articles::table
        .filter(articles::id.eq_any(&raw))
        .select((
            SummaryRow::as_select(),
            articles::status,
            articles::published_at,
        ))
        .load(conn)?;
    let mut found: Vec<ArticleSummary> = rows
        .into_iter()
        .filter(|(_, status, published_at)| {
            Visibility::of(*status, *published_at, now) == Visibility::Visible
        })
        .map(|(row, _, _)| ArticleSummary::from(row))
        .collect();
    found.sort_by_key(|a| raw.iter().position(|id| *id == a.id.get()));
    Ok(found)
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
struct SitemapRow {
    id: i64,
    section_id: i64,
    published_at: i64,
    updated_at: i64,
}

impl From<SitemapRow> for SitemapEntry {
    fn from(row: SitemapRow) -> Self {
        SitemapEntry {
            id: ArticleId::from_db(row.id),
            section_id: SectionId::from_db(row.section_id),
            published_at: row.published_at,
            updated_at: row.updated_at,
        }
    }
}

/// The visible articles published at `since` or later, newest first.
pub fn visible_since(
    conn: &mut DbConn,
    now: i64,
    since: i64,
    limit: i64,
) -> DbResult<Vec<ArticleSummary>> {
    let rows = articles::table
        .filter(visible_at(now))
        .filter(articles::published_at.ge(since))
        .order(articles::published_at.desc())
        .then_order_by(articles::id.desc())
        .limit(limit)
        .select(SummaryRow::as_select())
        .load(conn)?;
    Ok(summaries(rows))
}

/// A place in the published list (scheduled articles included), newest first: a page
/// starts at or after an anchor.
pub type Anchor = (i64, ArticleId);

/// A list readers page through, newest first: the whole site's, one section's, the
/// articles under one byline (an author's page) or those of one tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Listing {
    Site,
    Section(SectionId),
    Byline(String),
    /// The articles of one tag (by the tag's id), read from the tag's own list index
    /// (`tag_listed_after`) rather than from `articles`.
    Tag(i64),
}

impl From<Option<SectionId>> for Listing {
    fn from(section: Option<SectionId>) -> Self {
        section.map_or(Listing::Site, Listing::Section)
    }
}

impl Listing {
    /// `query` kept to this list's articles.
    fn narrow(
        &self,
        query: articles::BoxedQuery<'static, DbBackend>,
    ) -> articles::BoxedQuery<'static, DbBackend> {
        match self {
            Listing::Site => query,
            Listing::Section(section) => query.filter(articles::section_id.eq(section.get())),
            Listing::Byline(byline) => query.filter(articles::author.eq(byline.clone())),
            // Exact, but it reads the tag's articles by id and sorts them: the list queries
            // below read a tag's articles from its own index instead.
            Listing::Tag(tag) => query.filter(
                articles::id.eq_any(
                    article_tags::table
                        .filter(article_tags::tag_id.eq(*tag))
                        .select(article_tags::article_id),
                ),
            ),
        }
    }
}

/// Every `every`-th published article of `list`, scheduled ones included, newest first:
/// the first, the `every + 1`-th…; and how many there are in all. Read from the index
/// alone, one row at a time, so that a million articles never sit in memory together.
pub fn anchors(conn: &mut DbConn, list: &Listing, every: usize) -> DbResult<(Vec<Anchor>, i64)> {
    if let Listing::Tag(tag) = list {
        return every_nth(tag_keys(conn, *tag)?, every);
    }
    let query = articles::table
        .filter(articles::status.eq(Status::Published))
        .into_boxed();
    let rows = list
        .narrow(query)
        .order((articles::published_at.desc(), articles::id.desc()))
        .select((articles::published_at, articles::id))
        .load_iter::<(i64, i64), diesel::connection::DefaultLoadingMode>(conn)?;
    every_nth(rows, every)
}

/// The first, the `every + 1`-th… of a list's `(published_at, id)` keys, and how many
/// there are, taken one row at a time.
fn every_nth(
    rows: impl Iterator<Item = QueryResult<(i64, i64)>>,
    every: usize,
) -> DbResult<(Vec<Anchor>, i64)> {
    let mut anchors = Vec::new();
    let mut total = 0;
    for (n, row) in rows.enumerate() {
        let (published_at, id) = row?;
        if n % every.max(1) == 0 {
            anchors.push((published_at, ArticleId::from_db(id)));
        }
        total += 1;
    }
    Ok((anchors, total))
}

/// How many published articles of `list` are scheduled after `now`.
pub fn scheduled_count(conn: &mut DbConn, list: &Listing, now: i64) -> DbResult<i64> {
    if let Listing::Tag(tag) = list {
        return tag_scheduled_count(conn, *tag, now);
    }
    let query = articles::table
        .filter(articles::status.eq(Status::Published))
        .filter(articles::published_at.gt(now))
        .into_boxed();
    Ok(list.narrow(query).count().get_result(conn)?)
}

/// The articles scheduled after `now`, soonest first: id, title, publication time.
pub fn scheduled_next(
    conn: &mut DbConn,
    now: i64,
    limit: i64,
) -> DbResult<Vec<(ArticleId, String, i64)>> {
    let rows: Vec<(i64, String, i64)> = articles::table
        .filter(articles::status.eq(Status::Published))
        .filter(articles::published_at.gt(now))
        .order((articles::published_at.asc(), articles::id.asc()))
        .select((articles::id, articles::title, articles::published_at))
        .limit(limit)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, title, at)| (ArticleId::from_db(id), title, at))
        .collect())
}

/// `(published_at, id) <= (?, ?)` on a list's order columns: a row value, which SQLite
/// seeks the list's (published_at DESC, id DESC) index to. Its own expression rather than
/// an SQL literal: diesel never keeps a statement holding a literal, so every list page had
/// its query parsed and planned again (a tenth of its time).
#[derive(Debug, Clone, Copy)]
struct AtOrBefore<Columns> {
    published_at: i64,
    id: i64,
    columns: std::marker::PhantomData<Columns>,
}

impl<Columns> AtOrBefore<Columns> {
    fn new((published_at, id): Anchor) -> Self {
        AtOrBefore {
            published_at,
            id: id.get(),
            columns: std::marker::PhantomData,
        }
    }
}

/// The columns a list is ordered by, as SQL.
trait OrderColumns: 'static {
    const SQL: &'static str;
}

/// `articles`' own order: the site's, a section's and a byline's lists.
#[derive(Debug, Clone, Copy)]
struct ArticleOrder;

impl OrderColumns for ArticleOrder {
    const SQL: &'static str = "(articles.published_at, articles.id)";
}

/// The copy of the order beside each tag: a tag's list.
#[derive(Debug, Clone, Copy)]
struct TagOrder;

impl OrderColumns for TagOrder {
    const SQL: &'static str = "(article_tags.published_at, article_tags.article_id)";
}

impl<Columns: OrderColumns> diesel::query_builder::QueryId for AtOrBefore<Columns> {
    type QueryId = Self;
    const HAS_STATIC_QUERY_ID: bool = true;
}

impl<Columns> Expression for AtOrBefore<Columns> {
    type SqlType = diesel::sql_types::Bool;
}

impl<Columns, Source> AppearsOnTable<Source> for AtOrBefore<Columns> {}

impl<Columns, Source> SelectableExpression<Source> for AtOrBefore<Columns> {}

impl<Columns> diesel::expression::ValidGrouping<()> for AtOrBefore<Columns> {
    type IsAggregate = diesel::expression::is_aggregate::Never;
}

impl<Columns, DB> diesel::query_builder::QueryFragment<DB> for AtOrBefore<Columns>
where
    Columns: OrderColumns,
    DB: diesel::backend::Backend,
    i64: diesel::serialize::ToSql<diesel::sql_types::BigInt, DB>,
{
    fn walk_ast<'b>(
        &'b self,
        mut out: diesel::query_builder::AstPass<'_, 'b, DB>,
    ) -> QueryResult<()> {
        out.push_sql(Columns::SQL);
        out.push_sql(" <= (");
        out.push_bind_param::<diesel::sql_types::BigInt, _>(&self.published_at)?;
        out.push_sql(", ");
        out.push_bind_param::<diesel::sql_types::BigInt, _>(&self.id)?;
        out.push_sql(")");
        Ok(())
    }
}

/// Visible articles of `list`, newest first, starting at `from` (or the newest): an index
/// seek, however deep `from` lies.
fn visible_after(
    now: i64,
    list: &Listing,
    from: Option<Anchor>,
) -> articles::BoxedQuery<'static, DbBackend> {
    let query = match from {
        // At or after an anchor published by `now`, every published row is visible: the
        // time condition is implied, and left out so that SQLite seeks the index to the
        // anchor instead of scanning down from `now` (30 ms at page 4,000, against 0.02).
        Some((published_at, _)) if published_at <= now => articles::table
            .filter(articles::status.eq(Status::Published))
            .into_boxed(),
        _ => articles::table.filter(visible_at(now)).into_boxed(),
    };
    let mut query = list.narrow(query);
    if let Some(from) = from {
        query = query.filter(AtOrBefore::<ArticleOrder>::new(from));
    }
    query.order((articles::published_at.desc(), articles::id.desc()))
}

/// The published articles of tag `tag` (scheduled ones included), newest first, as
/// `(published_at, article id)`: read from the tag's list index alone.
fn tag_keys(
    conn: &mut DbConn,
    tag: i64,
) -> DbResult<impl Iterator<Item = QueryResult<(i64, i64)>>> {
    Ok(article_tags::table
        .filter(article_tags::tag_id.eq(tag))
        .filter(article_tags::status.eq(Status::Published))
        .order((
            article_tags::published_at.desc(),
            article_tags::article_id.desc(),
        ))
        .select((article_tags::published_at, article_tags::article_id))
        .load_iter::<(i64, i64), diesel::connection::DefaultLoadingMode>(conn)?)
}

/// How many published articles of tag `tag` are scheduled after `now`.
fn tag_scheduled_count(conn: &mut DbConn, tag: i64, now: i64) -> DbResult<i64> {
    Ok(article_tags::table
        .filter(article_tags::tag_id.eq(tag))
        .filter(article_tags::status.eq(Status::Published))
        .filter(article_tags::published_at.gt(now))
        .count()
        .get_result(conn)?)
}

/// The articles of tag `tag` readers may see at `now`, newest first, starting at `from`
/// (or the newest): a seek in the tag's list index, then each article's row by its key.
/// The same rule as [`visible_at`], on the tag's copy of the article's state and time.
fn tag_listed_after(
    now: i64,
    tag: i64,
    from: Option<Anchor>,
) -> diesel::dsl::IntoBoxed<
    'static,
    diesel::dsl::InnerJoin<article_tags::table, articles::table>,
    DbBackend,
> {
    let published = article_tags::table
        .inner_join(articles::table)
        .filter(article_tags::tag_id.eq(tag))
        .filter(article_tags::status.eq(Status::Published));
    let mut query = match from {
        // At or after an anchor published by `now` every row is visible: see
        // [`visible_after`].
        Some((published_at, _)) if published_at <= now => published.into_boxed(),
        _ => published
            .filter(article_tags::published_at.le(now))
            .into_boxed(),
    };
    if let Some(from) = from {
        query = query.filter(AtOrBefore::<TagOrder>::new(from));
    }
    query.order((
        article_tags::published_at.desc(),
        article_tags::article_id.desc(),
    ))
}

/// Visible articles of `list`, newest first, from `from` (or the newest) on, skipping
/// `skip` of them.
pub fn visible_from(
    conn: &mut DbConn,
    now: i64,
    list: &Listing,
    from: Option<Anchor>,
    skip: i64,
    limit: i64,
) -> DbResult<Vec<ArticleSummary>> {
    let rows = match list {
        Listing::Tag(tag) => tag_listed_after(now, *tag, from)
            .offset(skip)
            .limit(limit)
            .select(SummaryRow::as_select())
            .load(conn)?,
        _ => visible_after(now, list, from)
            .offset(skip)
            .limit(limit)
            .select(SummaryRow::as_select())
            .load(conn)?,
    };
    Ok(summaries(rows))
}

/// The sitemap's lines of visible articles, newest first, from `from` (or the newest) on,
/// skipping `skip` of them.
pub fn sitemap_entries_from(
    conn: &mut DbConn,
    now: i64,
    from: Option<Anchor>,
    skip: i64,
    limit: i64,
) -> DbResult<Vec<SitemapEntry>> {
    let rows = visible_after(now, &Listing::Site, from)
        .offset(skip)
        .limit(limit)
        .select(SitemapRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(SitemapEntry::from).collect())
}

/// The sitemap's lines of visible articles, newest first, after `after` (strictly: the
/// next batch of a sitemap sent in batches, even if `after` itself has gone meanwhile).
pub fn sitemap_entries_after(
    conn: &mut DbConn,
    now: i64,
    after: Anchor,
    limit: i64,
) -> DbResult<Vec<SitemapEntry>> {
    let (published_at, id) = after;
    // Ids are integers: strictly before (t, id) is at or before (t, id - 1).
    let from = (published_at, ArticleId::from_db(id.get() - 1));
    sitemap_entries_from(conn, now, Some(from), 0, limit)
}

pub fn count_all(conn: &mut DbConn) -> DbResult<i64> {
    Ok(articles::table.count().get_result(conn)?)
}

/// Every article's id, in id order (tools, tests).
pub fn all_ids(conn: &mut DbConn) -> DbResult<Vec<ArticleId>> {
    let ids: Vec<i64> = articles::table
        .select(articles::id)
        .order(articles::id.asc())
        .load(conn)?;
    Ok(ids.into_iter().map(ArticleId::from_db).collect())
}

/// Inserts the article with no views yet. Call it inside a transaction: it writes a row
/// in each of `articles`, `article_bodies` and `article_views`.
pub fn insert(conn: &mut DbConn, article: &NewArticle<'_>) -> DbResult<()> {
    insert_many(conn, std::slice::from_ref(article))
}

/// Inserts many articles (the benchmark corpus), with no views yet. Call it inside a
/// transaction.
pub fn insert_many(conn: &mut DbConn, rows: &[NewArticle<'_>]) -> DbResult<()> {
    let fields: Vec<_> = rows
        .iter()
        .map(|row| {
            (
                articles::id.eq(row.id),
                articles::created_at.eq(row.created_at),
                ArticleFields::of(&row.content),
            )
        })
        .collect();
    on_backend!(conn, |c| diesel::insert_into(articles::table)
        .values(&fields)
        .execute(c))?;
    let bodies: Vec<_> = rows
        .iter()
        .map(|row| {
            (
                article_bodies::article_id.eq(row.id),
                BodyFields::of(&row.content),
            )
        })
        .collect();
    on_backend!(conn, |c| diesel::insert_into(article_bodies::table)
        .values(&bodies)
        .execute(c))?;
    let counts: Vec<_> = rows
        .iter()
        .map(|row| {
            (
                article_views::article_id.eq(row.id),
                article_views::views.eq(0),
            )
        })
        .collect();
    on_backend!(conn, |c| diesel::insert_into(article_views::table)
        .values(&counts)
        .execute(c))?;
    Ok(())
}

/// A random permalink id that no article has.
pub fn unused_id(conn: &mut DbConn) -> DbResult<ArticleId> {
    loop {
        let id = ArticleId::random();
        if !exists(conn, id)? {
            return Ok(id);
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
struct EditableRow {
    id: i64,
    section_id: i64,
    title: String,
    summary: String,
    #[diesel(select_expression = article_bodies::body)]
    body: String,
    author: String,
    status: Status,
    published_at: i64,
    updated_at: i64,
    version: i64,
    #[diesel(select_expression = article_views::views)]
    views: i64,
    lead_picture_id: Option<i64>,
}

pub fn find_editable(conn: &mut DbConn, id: ArticleId) -> DbResult<Option<EditableArticle>> {
    let row = articles::table
        .inner_join(article_bodies::table)
        .inner_join(article_views::table)
        .filter(articles::id.eq(id.get()))
        .select(EditableRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(|row| EditableArticle {
        id: ArticleId::from_db(row.id),
        section_id: SectionId::from_db(row.section_id),
        title: row.title,
        summary: row.summary,
        body: row.body,
        author: row.author,
        status: row.status,
        published_at: row.published_at,
        updated_at: row.updated_at,
        version: row.version,
        views: row.views,
        lead_picture: row.lead_picture_id.map(PictureId::from_db),
        // Read by the use cases that show them (`db::tags::of_article`).
        tags: Vec::new(),
    }))
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = articles, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
struct NewsroomRowRow {
    id: i64,
    section_id: i64,
    title: String,
    author: String,
    status: Status,
    published_at: i64,
}

fn newsroom_query(
    filter: &NewsroomFilter,
    matching: Option<&[i64]>,
    now: i64,
) -> articles::BoxedQuery<'static, DbBackend> {
    let mut query = articles::table.into_boxed();
    if let Some(visibility) = filter.visibility {
        query = query.filter(in_state(visibility, now));
    }
    if let Some(section_id) = filter.section_id {
        query = query.filter(articles::section_id.eq(section_id.get()));
    }
    if let Some(author) = &filter.author {
        query = query.filter(articles::author.eq(author.clone()));
    }
    if let Some(ids) = matching {
        query = query.filter(articles::id.eq_any(ids.to_vec()));
    }
    query
}

/// One page of the newsroom's list (`matching`: the ids a search found, best first), and
/// how many match in all.
pub fn newsroom_list(
    conn: &mut DbConn,
    filter: &NewsroomFilter,
    matching: Option<&[ArticleId]>,
    now: i64,
    offset: i64,
    limit: i64,
) -> DbResult<(Vec<NewsroomRow>, i64)> {
    let matching: Option<Vec<i64>> = matching.map(|ids| ids.iter().map(|id| id.get()).collect());
    let matching = matching.as_deref();
    // The page's ids first (from the articles_newsroom index alone for the usual order,
    // however deep the page), then just those rows.
    let ids: Vec<i64> = match (filter.order, matching) {
        (NewsroomOrder::Relevance, Some(ranked)) => {
            let kept: std::collections::HashSet<i64> = newsroom_query(filter, matching, now)
                .select(articles::id)
                .load::<i64>(conn)?
                .into_iter()
                .collect();
            ranked
                .iter()
                .filter(|id| kept.contains(id))
                .skip(usize::try_from(offset).unwrap_or(0))
                .take(usize::try_from(limit).unwrap_or(0))
                .copied()
                .collect()
        }
        (NewsroomOrder::MostRead, _) => {
            let views = article_views::table
                .filter(article_views::article_id.eq(articles::id))
                .select(article_views::views)
                .single_value();
            newsroom_query(filter, matching, now)
                .order((
                    views.desc(),
                    articles::published_at.desc(),
                    articles::id.desc(),
                ))
                .offset(offset)
                .limit(limit)
                .select(articles::id)
                .load(conn)?
        }
        _ => newsroom_query(filter, matching, now)
            .order((articles::published_at.desc(), articles::id.desc()))
            .offset(offset)
            .limit(limit)
            .select(articles::id)
            .load(conn)?,
    };
    let mut rows = articles::table
        .filter(articles::id.eq_any(&ids))
        .select(NewsroomRowRow::as_select())
        .load(conn)?;
    rows.sort_by_key(|row| ids.iter().position(|&id| id == row.id));
    let total = newsroom_query(filter, matching, now)
        .count()
        .get_result(conn)?;
    let views: std::collections::HashMap<i64, i64> = article_views::table
        .filter(article_views::article_id.eq_any(&ids))
        .select((article_views::article_id, article_views::views))
        .load(conn)?
        .into_iter()
        .collect();
    let rows = rows
        .into_iter()
        .map(|row| NewsroomRow {
            id: ArticleId::from_db(row.id),
            section_id: SectionId::from_db(row.section_id),
            title: row.title,
            author: row.author,
            status: row.status,
            published_at: row.published_at,
            views: views.get(&row.id).copied().unwrap_or(0),
        })
        .collect();
    Ok((rows, total))
}

/// Every author line the newsroom has used, in order: what the author filter offers, and
/// what an author's page looks its bylines up in.
///
/// One index seek per author line, from each to the next (a "loose index scan"): `SELECT
/// DISTINCT` reads every article's entry instead, 10 ms at 100,000 articles, on every
/// author page.
pub fn authors(conn: &mut DbConn) -> DbResult<Vec<String>> {
    #[derive(QueryableByName)]
    struct Byline {
        #[diesel(sql_type = diesel::sql_types::Text)]
        author: String,
    }
    let rows: Vec<Byline> = diesel::sql_query(
        "WITH RECURSIVE bylines(author) AS ( \
           SELECT MIN(author) FROM articles \
           UNION ALL \
           SELECT (SELECT MIN(author) FROM articles WHERE articles.author > bylines.author) \
           FROM bylines WHERE bylines.author IS NOT NULL \
         ) \
         SELECT author FROM bylines WHERE author IS NOT NULL",
    )
    .load(conn)?;
    Ok(rows.into_iter().map(|row| row.author).collect())
}

/// Saves changes made on `expected_version`. Returns false, changing nothing, when someone
/// else saved the article since (or it is gone). Never touches id or views. Call it inside
/// a transaction: it writes two rows.
pub fn update_if_version(
    conn: &mut DbConn,
    id: ArticleId,
    expected_version: i64,
    content: &ArticleContent<'_>,
) -> DbResult<bool> {
    let updated = diesel::update(
        articles::table
            .filter(articles::id.eq(id.get()))
            .filter(articles::version.eq(expected_version)),
    )
    .set((
        ArticleFields::of(content),
        articles::version.eq(articles::version + 1),
    ))
    .execute(conn)?;
    if updated != 1 {
        return Ok(false);
    }
    diesel::update(article_bodies::table.find(id.get()))
        .set(BodyFields::of(content))
        .execute(conn)?;
    Ok(true)
}

/// Whether an article has the permalink id `id`.
pub fn exists(conn: &mut DbConn, id: ArticleId) -> DbResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        articles::table.filter(articles::id.eq(id.get())),
    ))
    .get_result(conn)?)
}

pub fn delete(conn: &mut DbConn, id: ArticleId) -> DbResult<bool> {
    let deleted = diesel::delete(articles::table.find(id.get())).execute(conn)?;
    Ok(deleted == 1)
}

pub fn count_in_section(conn: &mut DbConn, section_id: SectionId) -> DbResult<i64> {
    Ok(articles::table
        .filter(articles::section_id.eq(section_id.get()))
        .count()
        .get_result(conn)?)
}

/// The stored view count of one article (tests and tools).
pub fn stored_views(conn: &mut DbConn, id: ArticleId) -> DbResult<Option<i64>> {
    Ok(article_views::table
        .find(id.get())
        .select(article_views::views)
        .first(conn)
        .optional()?)
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::{BigInt, Text};

    use super::*;
    use crate::db::database::insert_bare_article;

    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = BigInt)]
        id: i64,
    }

    #[test]
    fn author_lines_are_each_line_used_once_in_order() {
        let mut conn = crate::db::database::in_memory_with_a_section();
        assert_eq!(authors(&mut conn).unwrap(), Vec::<String>::new());
        for (n, author) in ["ب", "", "أ", "ب", "تاء مربوطة", "أ"]
            .into_iter()
            .enumerate()
        {
            insert_bare_article(&mut conn, n as i64 + 1, author, Status::Published, 0);
        }
        let distinct: Vec<String> = articles::table
            .select(articles::author)
            .distinct()
            .order(articles::author.asc())
            .load(&mut conn)
            .unwrap();
        assert_eq!(distinct, ["", "أ", "ب", "تاء مربوطة"]);
        assert_eq!(authors(&mut conn).unwrap(), distinct);
    }

    #[test]
    fn the_sql_rule_matches_the_query_rule() {
        let mut conn = crate::db::database::in_memory_with_a_section();
        let now = 1_000_000;
        let cases = [
            (Status::Draft, now - 10),
            (Status::Draft, now + 10),
            (Status::Published, now + 10),
            (Status::Published, now),
            (Status::Published, now - 10),
        ];
        for (n, (status, published_at)) in cases.into_iter().enumerate() {
            insert_bare_article(&mut conn, n as i64 + 1, "", status, published_at);
        }
        let expected: Vec<i64> = cases
            .iter()
            .enumerate()
            .filter(|(_, (status, at))| Visibility::of(*status, *at, now) == Visibility::Visible)
            .map(|(n, _)| n as i64 + 1)
            .collect();
        let by_query: Vec<i64> = articles::table
            .filter(visible_at(now))
            .select(articles::id)
            .order(articles::id.asc())
            .load(&mut conn)
            .unwrap();
        let by_sql: Vec<i64> = diesel::sql_query(format!(
            "SELECT id FROM articles WHERE {VISIBLE_AT_SQL} ORDER BY id"
        ))
        .bind::<Text, _>(Status::Published)
        .bind::<BigInt, _>(now)
        .load::<Id>(&mut conn)
        .unwrap()
        .into_iter()
        .map(|row| row.id)
        .collect();
        assert_eq!(expected, [4, 5]);
        assert_eq!(by_query, expected);
        assert_eq!(by_sql, expected);
        for visibility in [
            Visibility::Draft,
            Visibility::Scheduled,
            Visibility::Visible,
        ] {
            let ids: Vec<i64> = articles::table
                .filter(in_state(visibility, now))
                .select(articles::id)
                .load(&mut conn)
                .unwrap();
            for (n, (status, at)) in cases.iter().enumerate() {
                let id = n as i64 + 1;
                assert_eq!(
                    ids.contains(&id),
                    Visibility::of(*status, *at, now) == visibility,
                    "{visibility:?} {id}"
                );
            }
        }
    }
}

#[cfg(test)]
mod moving_bodies_and_views_out {
    use diesel::sql_types::{BigInt, Binary, Text};
    use diesel_migrations::MigrationHarness;

    use super::*;

    #[derive(QueryableByName, Debug, PartialEq)]
    struct Moved {
        #[diesel(sql_type = Text)]
        body: String,
        #[diesel(sql_type = Binary)]
        body_html: Vec<u8>,
        #[diesel(sql_type = BigInt)]
        views: i64,
    }

    /// A database from before the move keeps every body and every view.
    #[test]
    fn articles_written_before_keep_their_bodies_and_views() {
        let mut conn = DbConn::establish(":memory:").unwrap();
        let DbConn::Sqlite(sqlite) = &mut conn else {
            unreachable!("an SQLite database in memory")
        };
        while sqlite
            .applied_migrations()
            .unwrap()
            .iter()
            .all(|version| version.to_string().replace('-', "") != "20261204000040")
        {
            sqlite
                .run_next_migration(crate::db::SQLITE_MIGRATIONS)
                .unwrap();
        }
        let compressed = StoredHtml::compress("<p>نص</p>");
        diesel::sql_query(
            "INSERT INTO sections (id, slug, name, position) VALUES (1, 'a', 'أ', 0)",
        )
        .execute(&mut conn)
        .unwrap();
        diesel::sql_query(
            "INSERT INTO articles (id, section_id, title, summary, body, body_html, author, \
             status, published_at, created_at, updated_at, views) \
             VALUES (7, 1, 'عنوان', '', 'نص', ?, 'م', 'published', 1, 1, 1, 363)",
        )
        .bind::<Binary, _>(&compressed)
        .execute(&mut conn)
        .unwrap();
        crate::db::migrate(&mut conn).unwrap();
        let moved: Moved = diesel::sql_query(
            "SELECT body, body_html, views FROM article_bodies \
             JOIN article_views USING (article_id) WHERE article_id = 7",
        )
        .get_result(&mut conn)
        .unwrap();
        assert_eq!(moved.body, "نص");
        assert_eq!(StoredHtml::decode(&moved.body_html), "<p>نص</p>");
        assert_eq!(moved.views, 363);
        let article = find_visible(&mut conn, ArticleId::from_db(7), 10)
            .unwrap()
            .unwrap();
        assert_eq!(
            (article.views, article.body_html.as_str()),
            (363, "<p>نص</p>")
        );
    }
}
