//! View counts: writing them (the only writer of `articles.views` and
//! `article_daily_views`), and reading the per-day counts back for "most read".

use diesel::prelude::*;
use diesel::upsert::excluded;

use super::articles::{ArticleSummary, STATUS_PUBLISHED};
use super::schema::{article_daily_views, articles};

/// Adds pending visits to the articles' totals and to today's per-day counts, all in ONE
/// transaction: either every count lands or none does (and the caller keeps them pending).
/// Articles deleted in the meantime are skipped.
pub fn add_views(conn: &mut SqliteConnection, pending: &[(i64, i64)], day: i64) -> QueryResult<()> {
    conn.immediate_transaction(|conn| {
        for &(article_id, visits) in pending {
            let updated = diesel::update(articles::table.find(article_id))
                .set(articles::views.eq(articles::views + visits))
                .execute(conn)?;
            if updated == 0 {
                continue;
            }
            diesel::insert_into(article_daily_views::table)
                .values((
                    article_daily_views::article_id.eq(article_id),
                    article_daily_views::day.eq(day),
                    article_daily_views::views.eq(visits),
                ))
                .on_conflict((article_daily_views::article_id, article_daily_views::day))
                .do_update()
                .set(
                    article_daily_views::views
                        .eq(article_daily_views::views + excluded(article_daily_views::views)),
                )
                .execute(conn)?;
        }
        Ok(())
    })
}

/// The stored total of one article, for tests and tools.
pub fn stored_views(conn: &mut SqliteConnection, article_id: i64) -> QueryResult<Option<i64>> {
    articles::table
        .find(article_id)
        .select(articles::views)
        .first(conn)
        .optional()
}

/// Days since 1970-01-01 in UTC: the `day` of `article_daily_views`.
pub fn day_number(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(86_400)
}

/// The visible articles with the most views on days `since_day..` (see [`day_number`]),
/// most first; ties go to the newer article. Articles without views then are left out.
pub fn most_read_since(
    conn: &mut SqliteConnection,
    since_day: i64,
    now: i64,
    limit: i64,
) -> QueryResult<Vec<ArticleSummary>> {
    let views_then = diesel::dsl::sum(article_daily_views::views);
    article_daily_views::table
        .inner_join(articles::table)
        .filter(article_daily_views::day.ge(since_day))
        .filter(articles::status.eq(STATUS_PUBLISHED))
        .filter(articles::published_at.le(now))
        .group_by(articles::id)
        .order((
            views_then.desc(),
            articles::published_at.desc(),
            articles::id.desc(),
        ))
        .limit(limit)
        .select(ArticleSummary::as_select())
        .load(conn)
}
