//! View counts: writing them (the only writer of `article_views` and
//! `article_daily_views`), and reading the per-day counts back for "most read".

use std::cmp::Reverse;
use std::collections::HashMap;

use diesel::prelude::*;
use diesel::upsert::excluded;

use super::articles::{SummaryRow, summaries};
use super::schema::{article_daily_views, article_views, articles};
use super::{DbConn, DbResult, write_tx};
use crate::core::ArticleId;
use crate::core::article::{ArticleSummary, Status, Visibility};

/// Adds pending visits to the articles' totals and to the per-day counts of `day` (see
/// `core::time::day_number`), all in ONE transaction: either every count lands or none
/// does (and the caller keeps them pending). Articles deleted in the meantime are skipped.
/// Additive (`views = views + n`), so any number of instances may flush at once; returns
/// each article's total after this flush, other instances' visits included.
pub fn add_views(
    conn: &mut DbConn,
    pending: &[(ArticleId, i64)],
    day: i64,
) -> DbResult<Vec<(ArticleId, i64)>> {
    write_tx(conn, |conn| {
        let mut totals = Vec::with_capacity(pending.len());
        // In id order: instances flushing at once on PostgreSQL lock the same rows in the
        // same order, so they wait for each other instead of deadlocking.
        let mut pending = pending.to_vec();
        pending.sort_unstable();
        for &(article_id, visits) in &pending {
            let total: Option<i64> = diesel::update(article_views::table.find(article_id.get()))
                .set(article_views::views.eq(article_views::views + visits))
                .returning(article_views::views)
                .get_result(conn)
                .optional()?;
            let Some(total) = total else {
                continue;
            };
            totals.push((article_id, total));
            on_backend!(conn, |c| diesel::insert_into(article_daily_views::table)
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
                .execute(c))?;
        }
        Ok(totals)
    })
}

/// The visible articles with the most views on days `since_day..`, most first; ties go to
/// the newer article. Articles without views then are left out.
///
/// In two steps, because `articles` rows are wide (the body sits before `status` and
/// `published_at`, so checking them reads the whole row): first the ids with the most views
/// from the narrow per-day table alone, then the visibility of just those candidates. A
/// candidate may be hidden (unpublished, scheduled, deleted): then more are taken.
pub fn most_read_since(
    conn: &mut DbConn,
    since_day: i64,
    now: i64,
    limit: i64,
) -> DbResult<Vec<ArticleSummary>> {
    // SUM of integers as an integer (diesel's `sum` types it as a decimal).
    let views_then = || {
        diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "CAST(SUM(article_daily_views.views) AS BIGINT)",
        )
    };
    let mut candidates_wanted = limit.max(1) * 4;
    loop {
        let candidates: Vec<(i64, i64)> = article_daily_views::table
            .filter(article_daily_views::day.ge(since_day))
            .group_by(article_daily_views::article_id)
            .order(views_then().desc())
            .select((article_daily_views::article_id, views_then()))
            .limit(candidates_wanted)
            .load(conn)?;
        let found_all = (candidates.len() as i64) < candidates_wanted;
        let ids: Vec<i64> = candidates.iter().map(|(id, _)| *id).collect();
        let views_of: HashMap<i64, i64> = candidates.into_iter().collect();
        // Visibility checked here, not in SQL: see `search::visible_hits`.
        let mut rows: Vec<SummaryRow> = articles::table
            .filter(articles::id.eq_any(&ids))
            .select((
                SummaryRow::as_select(),
                articles::status,
                articles::published_at,
            ))
            .load::<(SummaryRow, Status, i64)>(conn)?
            .into_iter()
            .filter(|(_, status, published_at)| {
                Visibility::of(*status, *published_at, now) == Visibility::Visible
            })
            .map(|(row, _, _)| row)
            .collect();
        if rows.len() as i64 >= limit || found_all {
            rows.sort_by_key(|row| {
                let views = views_of.get(&row.id()).copied().unwrap_or(0);
                (
                    Reverse(views),
                    Reverse(row.published_at()),
                    Reverse(row.id()),
                )
            });
            rows.truncate(usize::try_from(limit).unwrap_or(0));
            return Ok(summaries(rows));
        }
        candidates_wanted *= 4;
    }
}

/// Views per day on days `since_day..`, of one article or of all: (day, views), by day.
pub fn per_day(
    conn: &mut DbConn,
    article: Option<ArticleId>,
    since_day: i64,
) -> DbResult<Vec<(i64, i64)>> {
    let total = || {
        diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "CAST(SUM(article_daily_views.views) AS BIGINT)",
        )
    };
    let days = article_daily_views::table.filter(article_daily_views::day.ge(since_day));
    Ok(match article {
        Some(article) => days
            .filter(article_daily_views::article_id.eq(article.get()))
            .group_by(article_daily_views::day)
            .order(article_daily_views::day.asc())
            .select((article_daily_views::day, total()))
            .load(conn)?,
        None => days
            .group_by(article_daily_views::day)
            .order(article_daily_views::day.asc())
            .select((article_daily_views::day, total()))
            .load(conn)?,
    })
}

/// The articles read most on days `since_day..`, whatever they are now (the newsroom's
/// view, not readers'): id, title, views.
pub fn top_since(
    conn: &mut DbConn,
    since_day: i64,
    limit: i64,
) -> DbResult<Vec<(ArticleId, String, i64)>> {
    let total = || {
        diesel::dsl::sql::<diesel::sql_types::BigInt>(
            "CAST(SUM(article_daily_views.views) AS BIGINT)",
        )
    };
    let top: Vec<(i64, i64)> = article_daily_views::table
        .filter(article_daily_views::day.ge(since_day))
        .group_by(article_daily_views::article_id)
        .order(total().desc())
        .select((article_daily_views::article_id, total()))
        .limit(limit)
        .load(conn)?;
    let ids: Vec<i64> = top.iter().map(|(id, _)| *id).collect();
    let titles: HashMap<i64, String> = articles::table
        .filter(articles::id.eq_any(&ids))
        .select((articles::id, articles::title))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    // An article deleted since has no title, and no place in the list.
    Ok(top
        .into_iter()
        .filter_map(|(id, views)| {
            titles
                .get(&id)
                .map(|title| (ArticleId::from_db(id), title.clone(), views))
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::article::Status;
    use crate::db::database::insert_bare_article;

    fn article(conn: &mut DbConn, id: i64, status: Status) {
        insert_bare_article(conn, id, "", status, id);
    }

    /// The most viewed candidates are hidden: the list reaches past them.
    #[test]
    fn hidden_articles_leave_room_for_the_next_ones() {
        let mut conn = crate::db::database::in_memory_with_a_section();
        // Ten drafts with 100+ views each, then three visible articles with fewer.
        let mut pending = Vec::new();
        for id in 1..=10 {
            article(&mut conn, id, Status::Draft);
            pending.push((ArticleId::from_db(id), 100 + id));
        }
        for (id, views) in [(11, 5), (12, 7), (13, 7)] {
            article(&mut conn, id, Status::Published);
            pending.push((ArticleId::from_db(id), views));
        }
        add_views(&mut conn, &pending, 20).unwrap();
        let ids: Vec<i64> = most_read_since(&mut conn, 20, 1_000, 2)
            .unwrap()
            .iter()
            .map(|a| a.id.get())
            .collect();
        // 12 and 13 tie on views: the newer first.
        assert_eq!(ids, vec![13, 12]);
        assert!(most_read_since(&mut conn, 21, 1_000, 2).unwrap().is_empty());
    }
}
