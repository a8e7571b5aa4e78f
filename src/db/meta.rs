//! Queries on `site_meta`: one-off facts about this database.

use diesel::prelude::*;

use super::schema::site_meta;
use super::{DbConn, DbResult};

pub fn get(conn: &mut DbConn, key: &str) -> DbResult<Option<String>> {
    Ok(site_meta::table
        .find(key)
        .select(site_meta::value)
        .first(conn)
        .optional()?)
}

pub fn set(conn: &mut DbConn, key: &str, value: &str) -> DbResult<()> {
    diesel::replace_into(site_meta::table)
        .values((site_meta::key.eq(key), site_meta::value.eq(value)))
        .execute(conn)?;
    Ok(())
}
