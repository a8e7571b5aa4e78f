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

pub fn rename(conn: &mut SqliteConnection, id: i64, name: &str) -> QueryResult<bool> {
    let updated = diesel::update(sections::table.find(id))
        .set(sections::name.eq(name))
        .execute(conn)?;
    Ok(updated == 1)
}

pub fn slug_taken(conn: &mut SqliteConnection, slug: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        sections::table.filter(sections::slug.eq(slug)),
    ))
    .get_result(conn)
}

pub fn next_position(conn: &mut SqliteConnection) -> QueryResult<i64> {
    let max: Option<i64> = sections::table
        .select(diesel::dsl::max(sections::position))
        .first(conn)?;
    Ok(max.map_or(0, |m| m + 1))
}

pub fn delete(conn: &mut SqliteConnection, id: i64) -> QueryResult<bool> {
    let deleted = diesel::delete(sections::table.find(id)).execute(conn)?;
    Ok(deleted == 1)
}
