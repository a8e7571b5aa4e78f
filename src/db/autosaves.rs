//! Queries on `autosaves`: the copy of an open article form its page saved by itself.

use diesel::prelude::*;
use diesel::upsert::excluded;

use super::schema::autosaves;
use super::{DbConn, DbResult};
use crate::core::{ArticleId, UserId};

/// The key of a new article not saved yet.
const NEW_ARTICLE: i64 = 0;

fn key(article: Option<ArticleId>) -> i64 {
    article.map_or(NEW_ARTICLE, ArticleId::get)
}

/// Keeps `fields` as `user`'s copy of `article` (of a new one for `None`), replacing the last.
pub fn save(
    conn: &mut DbConn,
    user: UserId,
    article: Option<ArticleId>,
    fields: &str,
    now: i64,
) -> DbResult<()> {
    on_backend!(conn, |c| diesel::insert_into(autosaves::table)
        .values((
            autosaves::user_id.eq(user.get()),
            autosaves::article_id.eq(key(article)),
            autosaves::fields.eq(fields),
            autosaves::saved_at.eq(now),
        ))
        .on_conflict((autosaves::user_id, autosaves::article_id))
        .do_update()
        .set((
            autosaves::fields.eq(excluded(autosaves::fields)),
            autosaves::saved_at.eq(excluded(autosaves::saved_at)),
        ))
        .execute(c))?;
    Ok(())
}

/// `user`'s copy of `article`: its fields and when it was saved.
pub fn find(
    conn: &mut DbConn,
    user: UserId,
    article: Option<ArticleId>,
) -> DbResult<Option<(String, i64)>> {
    Ok(autosaves::table
        .find((user.get(), key(article)))
        .select((autosaves::fields, autosaves::saved_at))
        .first(conn)
        .optional()?)
}

pub fn delete(conn: &mut DbConn, user: UserId, article: Option<ArticleId>) -> DbResult<()> {
    diesel::delete(autosaves::table.find((user.get(), key(article)))).execute(conn)?;
    Ok(())
}
