//! View counts: writing them (the only writer of `articles.views` and
//! `article_daily_views`), and reading the per-day counts back for "most read".

use diesel::prelude::*;
use diesel::upsert::excluded;

use super::articles::{SummaryRow, summaries, visible_at};
use super::schema::{article_daily_views, articles};
use super::{DbConn, DbResult, write_tx};
use crate::core::ArticleId;
use crate::core::article::ArticleSummary;

/// Adds pending visits to the articles' totals and to the per-day counts of `day` (see
/// `core::time::day_number`), all in ONE transaction: either every count lands or none
/// does (and the caller keeps them pending). Articles deleted in the meantime are skipped.
pub fn add_views(conn: &mut DbConn, pending: &[(ArticleId, i64)], day: i64) -> DbResult<()> {
    write_tx(conn, |conn| {
        for &(article_id, visits) in pending {
            let updated = diesel::update(articles::table.find(article_id.get()))
                .set(articles::views.eq(articles::views + visits))
                .execute(conn)?;
            if updated == 0 {
                continue;
            }
            diesel::insert_into(article_daily_views::table)
                .values((
                    article_daily_views::article_id.eq(article_id.get()),
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

/// The visible articles with the most views on days `since_day..`, most first; ties go to
/// the newer article. Articles without views then are left out.
pub fn most_read_since(
    conn: &mut DbConn,
    since_day: i64,
    now: i64,
    limit: i64,
) -> DbResult<Vec<ArticleSummary>> {
    let views_then = diesel::dsl::sum(article_daily_views::views);
    let rows = article_daily_views::table
        .inner_join(articles::table)
        .filter(article_daily_views::day.ge(since_day))
        .filter(visible_at(now))
        .group_by(articles::id)
        .order((
            views_then.desc(),
            articles::published_at.desc(),
            articles::id.desc(),
        ))
        .limit(limit)
        .select(SummaryRow::as_select())
        .load(conn)?;
    Ok(summaries(rows))
}
