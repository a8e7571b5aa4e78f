//! Queries on `sections`.

use diesel::prelude::*;

use super::schema::{articles, sections};
use super::{DbConn, DbResult};
use crate::core::SectionId;
use crate::core::section::{Section, SectionWithCount};

#[derive(Queryable, Selectable)]
#[diesel(table_name = sections, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
struct SectionRow {
    id: i64,
    slug: String,
    name: String,
    position: i64,
}

impl From<SectionRow> for Section {
    fn from(row: SectionRow) -> Self {
        Section {
            id: SectionId::from_db(row.id),
            slug: row.slug,
            name: row.name,
            position: row.position,
        }
    }
}

/// All sections in menu order.
pub fn all(conn: &mut DbConn) -> DbResult<Vec<Section>> {
    let rows = sections::table
        .order((sections::position.asc(), sections::id.asc()))
        .select(SectionRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(Section::from).collect())
}

/// All sections in menu order, each with how many articles it holds, in one query.
pub fn all_with_counts(conn: &mut DbConn) -> DbResult<Vec<SectionWithCount>> {
    let rows: Vec<(SectionRow, i64)> = sections::table
        .left_join(articles::table)
        .group_by(sections::id)
        .order((sections::position.asc(), sections::id.asc()))
        .select((
            SectionRow::as_select(),
            diesel::dsl::count(articles::id.nullable()),
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(row, articles)| SectionWithCount {
            section: row.into(),
            articles,
        })
        .collect())
}

pub fn insert(conn: &mut DbConn, slug: &str, name: &str, position: i64) -> DbResult<SectionId> {
    let id = diesel::insert_into(sections::table)
        .values((
            sections::slug.eq(slug),
            sections::name.eq(name),
            sections::position.eq(position),
        ))
        .returning(sections::id)
        .get_result(conn)?;
    Ok(SectionId::from_db(id))
}

pub fn rename(conn: &mut DbConn, id: SectionId, name: &str) -> DbResult<bool> {
    let updated = diesel::update(sections::table.find(id.get()))
        .set(sections::name.eq(name))
        .execute(conn)?;
    Ok(updated == 1)
}

pub fn slug_taken(conn: &mut DbConn, slug: &str) -> DbResult<bool> {
    Ok(diesel::select(diesel::dsl::exists(
        sections::table.filter(sections::slug.eq(slug)),
    ))
    .get_result(conn)?)
}

pub fn next_position(conn: &mut DbConn) -> DbResult<i64> {
    let max: Option<i64> = sections::table
        .select(diesel::dsl::max(sections::position))
        .first(conn)?;
    Ok(max.map_or(0, |m| m + 1))
}

pub fn delete(conn: &mut DbConn, id: SectionId) -> DbResult<bool> {
    let deleted = diesel::delete(sections::table.find(id.get())).execute(conn)?;
    Ok(deleted == 1)
}
