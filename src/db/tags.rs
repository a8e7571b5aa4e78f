//! Queries on `tags` and `article_tags`.

use diesel::prelude::*;

use super::articles::{SummaryRow, summaries, visible_at};
use super::schema::{article_tags, articles, tags};
use super::{DbConn, DbResult};
use crate::core::ArticleId;
use crate::core::article::ArticleSummary;
use crate::core::tags::Tag;

/// Gives `article` exactly `tags`, in this order; a tag new to the site is created with
/// the spelling typed here.
pub fn set_for_article(conn: &mut DbConn, article: ArticleId, tags: &[Tag]) -> DbResult<()> {
    diesel::delete(article_tags::table.filter(article_tags::article_id.eq(article.get())))
        .execute(conn)?;
    for (position, tag) in tags.iter().enumerate() {
        on_backend!(conn, |c| diesel::insert_into(tags::table)
            .values((tags::slug.eq(&tag.slug), tags::name.eq(&tag.name)))
            .on_conflict(tags::slug)
            .do_nothing()
            .execute(c))?;
        let tag_id: i64 = tags::table
            .filter(tags::slug.eq(&tag.slug))
            .select(tags::id)
            .first(conn)?;
        diesel::insert_into(article_tags::table)
            .values((
                article_tags::article_id.eq(article.get()),
                article_tags::tag_id.eq(tag_id),
                article_tags::position.eq(i64::try_from(position).unwrap_or(i64::MAX)),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The tags of `article`, in the editor's order.
pub fn of_article(conn: &mut DbConn, article: ArticleId) -> DbResult<Vec<Tag>> {
    let rows: Vec<(String, String)> = article_tags::table
        .inner_join(tags::table)
        .filter(article_tags::article_id.eq(article.get()))
        .order(article_tags::position.asc())
        .select((tags::name, tags::slug))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(name, slug)| Tag { name, slug })
        .collect())
}

/// The tag with this slug (already folded by the caller).
pub fn by_slug(conn: &mut DbConn, slug: &str) -> DbResult<Option<(i64, Tag)>> {
    Ok(tags::table
        .filter(tags::slug.eq(slug))
        .select((tags::id, tags::name, tags::slug))
        .first::<(i64, String, String)>(conn)
        .optional()?
        .map(|(id, name, slug)| (id, Tag { name, slug })))
}

/// The articles of tag `tag_id` readers may see at `now`, newest first.
pub fn visible_articles(
    conn: &mut DbConn,
    tag_id: i64,
    now: i64,
    offset: i64,
    limit: i64,
) -> DbResult<Vec<ArticleSummary>> {
    let rows = article_tags::table
        .inner_join(articles::table)
        .filter(article_tags::tag_id.eq(tag_id))
        .filter(visible_at(now))
        .order((articles::published_at.desc(), articles::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(SummaryRow::as_select())
        .load(conn)?;
    Ok(summaries(rows))
}

/// The tags most used, most first: the newsroom's suggestions.
pub fn most_used(conn: &mut DbConn, limit: i64) -> DbResult<Vec<Tag>> {
    let rows: Vec<(String, String, i64)> = tags::table
        .inner_join(article_tags::table)
        .group_by(tags::id)
        .order(diesel::dsl::count(article_tags::article_id).desc())
        .limit(limit)
        .select((
            tags::name,
            tags::slug,
            diesel::dsl::count(article_tags::article_id),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(name, slug, _)| Tag { name, slug })
        .collect())
}

/// Every tag with at least one article readers may see at `now` (the sitemap), and the
/// newest publication time among them.
pub fn visible_with_latest(conn: &mut DbConn, now: i64) -> DbResult<Vec<(Tag, i64)>> {
    let rows: Vec<(String, String, Option<i64>)> = tags::table
        .inner_join(article_tags::table.inner_join(articles::table))
        .filter(visible_at(now))
        .group_by(tags::id)
        .order(tags::slug.asc())
        .select((
            tags::name,
            tags::slug,
            diesel::dsl::max(articles::published_at),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(name, slug, latest)| (Tag { name, slug }, latest.unwrap_or(0)))
        .collect())
}

/// Articles readers may see at `now` that share tags with `article`: the most shared tags
/// first, then the newest; at most `limit`.
pub fn related(
    conn: &mut DbConn,
    article: ArticleId,
    now: i64,
    limit: i64,
) -> DbResult<Vec<ArticleSummary>> {
    let own_tags: Vec<i64> = article_tags::table
        .filter(article_tags::article_id.eq(article.get()))
        .select(article_tags::tag_id)
        .load(conn)?;
    if own_tags.is_empty() {
        return Ok(Vec::new());
    }
    let ranked: Vec<(i64, i64)> = article_tags::table
        .inner_join(articles::table)
        .filter(article_tags::tag_id.eq_any(&own_tags))
        .filter(article_tags::article_id.ne(article.get()))
        .filter(visible_at(now))
        .group_by(article_tags::article_id)
        .order((
            diesel::dsl::count(article_tags::tag_id).desc(),
            diesel::dsl::max(articles::published_at).desc(),
        ))
        .limit(limit)
        .select((
            article_tags::article_id,
            diesel::dsl::count(article_tags::tag_id),
        ))
        .load(conn)?;
    let ids: Vec<ArticleId> = ranked
        .iter()
        .map(|(id, _)| ArticleId::from_db(*id))
        .collect();
    super::articles::visible_summaries(conn, &ids, now)
}
