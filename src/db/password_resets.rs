//! Queries on `password_resets`: one-time links to choose a new password.

use diesel::prelude::*;

use super::schema::password_resets;
use super::{DbConn, DbResult};
use crate::core::UserId;

/// A link is good for this long after it is made.
pub const VALID_SECONDS: i64 = 3600;

/// Keeps a new link for `user`; any earlier unused link of theirs stops working.
pub fn create(conn: &mut DbConn, token_hash: &str, user: UserId, now: i64) -> DbResult<()> {
    diesel::delete(
        password_resets::table
            .filter(password_resets::user_id.eq(user.get()))
            .filter(password_resets::used_at.is_null()),
    )
    .execute(conn)?;
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::token_hash.eq(token_hash),
            password_resets::user_id.eq(user.get()),
            password_resets::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Whose link `token_hash` is, if it is unused and still fresh.
pub fn valid_owner(conn: &mut DbConn, token_hash: &str, now: i64) -> DbResult<Option<UserId>> {
    Ok(password_resets::table
        .find(token_hash)
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::created_at.gt(now - VALID_SECONDS))
        .select(password_resets::user_id)
        .first::<i64>(conn)
        .optional()?
        .map(UserId::from_db))
}

/// Marks the link used; whether it was still usable (only one caller wins).
pub fn use_once(conn: &mut DbConn, token_hash: &str, now: i64) -> DbResult<bool> {
    let used = diesel::update(
        password_resets::table
            .find(token_hash)
            .filter(password_resets::used_at.is_null())
            .filter(password_resets::created_at.gt(now - VALID_SECONDS)),
    )
    .set(password_resets::used_at.eq(now))
    .execute(conn)?;
    Ok(used == 1)
}
