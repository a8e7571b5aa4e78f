//! Queries on `site_meta`: one-off facts about this database.

use diesel::prelude::*;

use super::schema::site_meta;
use super::{DbConn, DbResult};

/// The key that signs forms and sessions, when the database keeps it (PostgreSQL: shared
/// by every instance).
pub const SECRET_KEY: &str = "secret_key";

pub fn get(conn: &mut DbConn, key: &str) -> DbResult<Option<String>> {
    Ok(site_meta::table
        .find(key)
        .select(site_meta::value)
        .first(conn)
        .optional()?)
}

pub fn set(conn: &mut DbConn, key: &str, value: &str) -> DbResult<()> {
    on_backend!(conn, |c| diesel::insert_into(site_meta::table)
        .values((site_meta::key.eq(key), site_meta::value.eq(value)))
        .on_conflict(site_meta::key)
        .do_update()
        .set(site_meta::value.eq(value))
        .execute(c))?;
    Ok(())
}

/// `value` under `key` unless something is there already; what is there afterwards. Two
/// instances racing to set it agree on the first one written.
pub fn set_if_absent(conn: &mut DbConn, key: &str, value: &str) -> DbResult<String> {
    on_backend!(conn, |c| diesel::insert_into(site_meta::table)
        .values((site_meta::key.eq(key), site_meta::value.eq(value)))
        .on_conflict(site_meta::key)
        .do_nothing()
        .execute(c))?;
    Ok(get(conn, key)?.unwrap_or_else(|| value.to_owned()))
}
