//! Queries on `sections`.

use diesel::prelude::*;
use diesel::sqlite::Sqlite;

use super::schema::sections;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = sections, check_for_backend(Sqlite))]
pub struct Section {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub position: i64,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = sections)]
pub struct NewSection<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub position: i64,
}

/// All sections in menu order.
pub fn all(conn: &mut SqliteConnection) -> QueryResult<Vec<Section>> {
    sections::table
        .order((sections::position.asc(), sections::id.asc()))
        .select(Section::as_select())
        .load(conn)
}

pub fn insert(conn: &mut SqliteConnection, section: &NewSection<'_>) -> QueryResult<i64> {
    diesel::insert_into(sections::table)
        .values(section)
        .returning(sections::id)
        .get_result(conn)
}
