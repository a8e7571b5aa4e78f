//! Failed sign-ins, kept in the database so that every instance counts the same ones (see
//! `runtime::login_throttle` for what they mean).

use diesel::prelude::*;

use super::schema::login_failures;
use super::{DbConn, DbResult, write_tx};

/// Records one failure under each of `keys` at `now`, and forgets failures before
/// `forget_before` (they no longer count).
pub fn record(conn: &mut DbConn, keys: &[String], now: i64, forget_before: i64) -> DbResult<()> {
    write_tx(conn, |conn| {
        diesel::delete(login_failures::table.filter(login_failures::at.lt(forget_before)))
            .execute(conn)?;
        for key in keys {
            diesel::insert_into(login_failures::table)
                .values((login_failures::key.eq(key), login_failures::at.eq(now)))
                .execute(conn)?;
        }
        Ok(())
    })
}

/// When `key` failed at `since` or later, oldest first.
pub fn times_since(conn: &mut DbConn, key: &str, since: i64) -> DbResult<Vec<i64>> {
    Ok(login_failures::table
        .filter(login_failures::key.eq(key))
        .filter(login_failures::at.ge(since))
        .order((login_failures::at.asc(), login_failures::id.asc()))
        .select(login_failures::at)
        .load(conn)?)
}

/// Forgets every failure of `key`.
pub fn clear(conn: &mut DbConn, key: &str) -> DbResult<()> {
    diesel::delete(login_failures::table.filter(login_failures::key.eq(key))).execute(conn)?;
    Ok(())
}
