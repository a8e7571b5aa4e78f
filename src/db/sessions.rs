//! Queries on `sessions`. Tokens arrive already hashed: this module never sees a cookie.

use diesel::prelude::*;

use super::schema::{sessions, users};
use super::users::UserRow;
use super::{DbConn, DbResult};
use crate::core::UserId;
use crate::core::user::User;

/// A stored session: when it began and when it was last used.
#[derive(Debug, Clone, Copy, Queryable, Selectable)]
#[diesel(table_name = sessions, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct SessionTimes {
    pub created_at: i64,
    pub last_seen_at: i64,
}

pub fn create(conn: &mut DbConn, token_hash: &str, user_id: UserId, now: i64) -> DbResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::user_id.eq(user_id.get()),
            sessions::created_at.eq(now),
            sessions::last_seen_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_with_user(
    conn: &mut DbConn,
    token_hash: &str,
) -> DbResult<Option<(SessionTimes, User)>> {
    let row: Option<(SessionTimes, UserRow)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .select((SessionTimes::as_select(), UserRow::as_select()))
        .first(conn)
        .optional()?;
    Ok(row.map(|(times, user)| (times, user.into())))
}

pub fn touch(conn: &mut DbConn, token_hash: &str, now: i64) -> DbResult<()> {
    diesel::update(sessions::table.find(token_hash))
        .set(sessions::last_seen_at.eq(now))
        .execute(conn)?;
    Ok(())
}

pub fn delete(conn: &mut DbConn, token_hash: &str) -> DbResult<()> {
    diesel::delete(sessions::table.find(token_hash)).execute(conn)?;
    Ok(())
}

/// Removes sessions idle since before `idle_before` or created before `created_before`.
pub fn delete_expired(conn: &mut DbConn, idle_before: i64, created_before: i64) -> DbResult<usize> {
    Ok(diesel::delete(
        sessions::table.filter(
            sessions::last_seen_at
                .lt(idle_before)
                .or(sessions::created_at.lt(created_before)),
        ),
    )
    .execute(conn)?)
}

pub fn count(conn: &mut DbConn) -> DbResult<i64> {
    Ok(sessions::table.count().get_result(conn)?)
}

/// Ends every session of `user` (the account was disabled).
pub fn delete_of_user(conn: &mut DbConn, user: crate::core::UserId) -> DbResult<usize> {
    Ok(diesel::delete(sessions::table.filter(sessions::user_id.eq(user.get()))).execute(conn)?)
}
