//! Queries on `tags` and `article_tags`.

use diesel::prelude::*;

use super::schema::{article_tags, articles, tags};
use super::{DbConn, DbResult};
use crate::core::ArticleId;
use crate::core::article::Status;
use crate::core::tags::Tag;

/// Gives `article` exactly `tags`, in this order; a tag new to the site is created with
/// the spelling typed here. Each tag keeps a copy of the article's state and publication
/// time, its list's order (a trigger keeps it in step when the article changes).
pub fn set_for_article(conn: &mut DbConn, article: ArticleId, tags: &[Tag]) -> DbResult<()> {
    diesel::delete(article_tags::table.filter(article_tags::article_id.eq(article.get())))
        .execute(conn)?;
    if tags.is_empty() {
        return Ok(());
    }
    let (status, published_at): (Status, i64) = articles::table
        .find(article.get())
        .select((articles::status, articles::published_at))
        .first(conn)?;
    let mut rows = Vec::with_capacity(tags.len());
    for (position, tag) in tags.iter().enumerate() {
        rows.push(NewArticleTag {
            article: article.get(),
            tag: id_of(conn, tag)?,
            position: i64::try_from(position).unwrap_or(i64::MAX),
            status,
            published_at,
        });
    }
    insert_many(conn, &rows)
}

/// The id of `tag`, which is created with this spelling if the site has no such tag.
pub fn id_of(conn: &mut DbConn, tag: &Tag) -> DbResult<i64> {
    on_backend!(conn, |c| diesel::insert_into(tags::table)
        .values((tags::slug.eq(&tag.slug), tags::name.eq(&tag.name)))
        .on_conflict(tags::slug)
        .do_nothing()
        .execute(c))?;
    Ok(tags::table
        .filter(tags::slug.eq(&tag.slug))
        .select(tags::id)
        .first(conn)?)
}

/// An article's tag, with the copy of the article's state and publication time kept
/// beside it.
#[derive(Debug, Clone, Copy)]
pub struct NewArticleTag {
    pub article: i64,
    pub tag: i64,
    /// The tag's place among the article's tags, from 0.
    pub position: i64,
    pub status: Status,
    pub published_at: i64,
}

/// Stores `rows` in one statement (an article's tags; the seeder's thousands).
pub fn insert_many(conn: &mut DbConn, rows: &[NewArticleTag]) -> DbResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let values: Vec<_> = rows
        .iter()
        .map(|row| {
            (
                article_tags::article_id.eq(row.article),
                article_tags::tag_id.eq(row.tag),
                article_tags::position.eq(row.position),
                article_tags::status.eq(row.status),
                article_tags::published_at.eq(row.published_at),
            )
        })
        .collect();
    on_backend!(conn, |c| diesel::insert_into(article_tags::table)
        .values(&values)
        .execute(c))?;
    Ok(())
}

/// The tags of `article`, in the editor's order.
pub fn of_article(conn: &mut DbConn, article: ArticleId) -> DbResult<Vec<Tag>> {
    Ok(with_ids_of_article(conn, article)?
        .into_iter()
        .map(|(_, tag)| tag)
        .collect())
}

/// The tags of `article`, in the editor's order, each with its id (the key of its list).
pub fn with_ids_of_article(conn: &mut DbConn, article: ArticleId) -> DbResult<Vec<(i64, Tag)>> {
    let rows: Vec<(i64, String, String)> = article_tags::table
        .inner_join(tags::table)
        .filter(article_tags::article_id.eq(article.get()))
        .order(article_tags::position.asc())
        .select((tags::id, tags::name, tags::slug))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, name, slug)| (id, Tag { name, slug }))
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
/// newest publication time among them: read from the tags' list index alone.
pub fn visible_with_latest(conn: &mut DbConn, now: i64) -> DbResult<Vec<(Tag, i64)>> {
    let rows: Vec<(String, String, Option<i64>)> = tags::table
        .inner_join(article_tags::table)
        .filter(article_tags::status.eq(Status::Published))
        .filter(article_tags::published_at.le(now))
        .group_by(tags::id)
        .order(tags::slug.asc())
        .select((
            tags::name,
            tags::slug,
            diesel::dsl::max(article_tags::published_at),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(name, slug, latest)| (Tag { name, slug }, latest.unwrap_or(0)))
        .collect())
}

/// The newest `limit` articles of tag `tag` readers may see at `now`, newest first, as
/// `(id, published_at)`: what "related" weighs (`core::tags::rank_related`), read from the
/// tag's list index alone. (Joined to `articles` for their state, SQLite walked every
/// visible article of the site to find the tag's: 50-100 ms at 100,000 articles.)
pub fn newest_visible(
    conn: &mut DbConn,
    tag: i64,
    now: i64,
    limit: i64,
) -> DbResult<Vec<(ArticleId, i64)>> {
    let rows: Vec<(i64, i64)> = article_tags::table
        .filter(article_tags::tag_id.eq(tag))
        .filter(article_tags::status.eq(Status::Published))
        .filter(article_tags::published_at.le(now))
        .order((
            article_tags::published_at.desc(),
            article_tags::article_id.desc(),
        ))
        .limit(limit)
        .select((article_tags::article_id, article_tags::published_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, published_at)| (ArticleId::from_db(id), published_at))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::article::Status;
    use crate::db::database::insert_bare_article;

    const NOW: i64 = 1_000_000;

    fn tag(name: &str) -> Tag {
        Tag {
            name: name.to_owned(),
            slug: name.to_owned(),
        }
    }

    fn article(conn: &mut DbConn, id: i64, status: Status, published_at: i64, tags: &[&str]) {
        insert_bare_article(conn, id, "", status, published_at);
        let tags: Vec<Tag> = tags.iter().map(|name| tag(name)).collect();
        set_for_article(conn, ArticleId::from_db(id), &tags).unwrap();
    }

    #[test]
    fn a_tag_s_newest_visible_articles_newest_first() {
        let mut conn = crate::db::database::in_memory_with_a_section();
        article(&mut conn, 1, Status::Published, NOW - 500, &["حلب", "مطر"]);
        article(&mut conn, 2, Status::Published, NOW - 900, &["مطر", "حلب"]);
        article(&mut conn, 3, Status::Published, NOW - 100, &["حلب"]);
        article(&mut conn, 4, Status::Published, NOW - 100, &["حلب"]);
        article(&mut conn, 5, Status::Published, NOW - 10, &["دمشق"]);
        article(&mut conn, 6, Status::Draft, NOW - 10, &["حلب", "مطر"]);
        article(&mut conn, 7, Status::Published, NOW + 60, &["حلب", "مطر"]);
        let (halab, _) = by_slug(&mut conn, "حلب").unwrap().unwrap();
        let newest = |conn: &mut DbConn, limit| {
            newest_visible(conn, halab, NOW, limit)
                .unwrap()
                .into_iter()
                .map(|(id, at)| (id.get(), at))
                .collect::<Vec<_>>()
        };
        let all = [
            (4, NOW - 100),
            (3, NOW - 100),
            (1, NOW - 500),
            (2, NOW - 900),
        ];
        assert_eq!(newest(&mut conn, 10), all);
        assert_eq!(newest(&mut conn, 2), all[..2]);
        // Unpublished by a hand edit: the tag's copy follows (the trigger).
        diesel::sql_query("UPDATE articles SET status = 'draft' WHERE id = 4")
            .execute(&mut conn)
            .unwrap();
        assert_eq!(newest(&mut conn, 10), all[1..]);
    }
}
