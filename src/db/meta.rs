//! Queries on `site_meta`: one-off facts about this database.

use diesel::prelude::*;

use super::schema::site_meta;

pub fn get(conn: &mut SqliteConnection, key: &str) -> QueryResult<Option<String>> {
    site_meta::table
        .find(key)
        .select(site_meta::value)
        .first(conn)
        .optional()
}

pub fn set(conn: &mut SqliteConnection, key: &str, value: &str) -> QueryResult<()> {
    diesel::replace_into(site_meta::table)
        .values((site_meta::key.eq(key), site_meta::value.eq(value)))
        .execute(conn)
        .map(|_| ())
}
