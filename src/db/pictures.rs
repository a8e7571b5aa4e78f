//! Queries on `pictures` and `picture_files` (the media library), and on which articles
//! show a picture.

use std::collections::HashMap;

use diesel::prelude::*;

use super::schema::{article_bodies, articles, picture_files, pictures};
use super::{DbConn, DbResult};
use crate::core::picture::{Picture, PictureId, PictureText};

/// A picture to keep: what describes it and its served files.
pub struct NewPicture<'a> {
    pub hash: &'a str,
    pub width: u32,
    pub height: u32,
    pub text: &'a PictureText,
    pub placeholder: &'a str,
    pub created_at: i64,
}

pub struct NewVariant<'a> {
    pub name: &'a str,
    pub width: u32,
    pub height: u32,
    pub bytes: &'a [u8],
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = pictures, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
struct PictureRow {
    id: i64,
    hash: String,
    width: i64,
    height: i64,
    alt: String,
    caption: String,
    credit: String,
    placeholder: String,
    created_at: i64,
}

impl From<PictureRow> for Picture {
    fn from(row: PictureRow) -> Self {
        Picture {
            id: PictureId::from_db(row.id),
            hash: row.hash,
            width: u32::try_from(row.width).unwrap_or(0),
            height: u32::try_from(row.height).unwrap_or(0),
            text: PictureText {
                alt: row.alt,
                caption: row.caption,
                credit: row.credit,
            },
            placeholder: row.placeholder,
            created_at: row.created_at,
        }
    }
}

/// A picture of the library list: the picture, its stored bytes, and how many articles
/// show it.
#[derive(Debug, Clone)]
pub struct PictureListing {
    pub picture: Picture,
    pub bytes: i64,
    pub uses: i64,
}

/// Keeps a picture and its files; call it inside a transaction.
pub fn insert(
    conn: &mut DbConn,
    picture: &NewPicture<'_>,
    files: &[NewVariant<'_>],
) -> DbResult<PictureId> {
    let id: i64 = diesel::insert_into(pictures::table)
        .values((
            pictures::hash.eq(picture.hash),
            pictures::width.eq(i64::from(picture.width)),
            pictures::height.eq(i64::from(picture.height)),
            pictures::alt.eq(&picture.text.alt),
            pictures::caption.eq(&picture.text.caption),
            pictures::credit.eq(&picture.text.credit),
            pictures::placeholder.eq(picture.placeholder),
            pictures::created_at.eq(picture.created_at),
        ))
        .returning(pictures::id)
        .get_result(conn)?;
    for file in files {
        diesel::insert_into(picture_files::table)
            .values((
                picture_files::picture_id.eq(id),
                picture_files::name.eq(file.name),
                picture_files::width.eq(i64::from(file.width)),
                picture_files::height.eq(i64::from(file.height)),
                picture_files::bytes.eq(file.bytes),
            ))
            .execute(conn)?;
    }
    Ok(PictureId::from_db(id))
}

pub fn id_of_hash(conn: &mut DbConn, hash: &str) -> DbResult<Option<PictureId>> {
    Ok(pictures::table
        .filter(pictures::hash.eq(hash))
        .select(pictures::id)
        .first::<i64>(conn)
        .optional()?
        .map(PictureId::from_db))
}

pub fn find(conn: &mut DbConn, id: PictureId) -> DbResult<Option<Picture>> {
    Ok(pictures::table
        .find(id.get())
        .select(PictureRow::as_select())
        .first(conn)
        .optional()?
        .map(Picture::from))
}

/// The pictures `ids` that exist (any order).
pub fn find_many(conn: &mut DbConn, ids: &[PictureId]) -> DbResult<Vec<Picture>> {
    let raw: Vec<i64> = ids.iter().map(|id| id.get()).collect();
    Ok(pictures::table
        .filter(pictures::id.eq_any(&raw))
        .select(PictureRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Picture::from)
        .collect())
}

/// The newest `limit` pictures, with their stored bytes and how many articles show them.
pub fn list(conn: &mut DbConn, limit: i64) -> DbResult<Vec<PictureListing>> {
    let rows: Vec<PictureRow> = pictures::table
        .order(pictures::id.desc())
        .limit(limit)
        .select(PictureRow::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
    // Two grouped queries over the page's ids, not two per picture.
    let bytes: HashMap<i64, Option<i64>> = picture_files::table
        .filter(picture_files::picture_id.eq_any(&ids))
        .group_by(picture_files::picture_id)
        .select((
            picture_files::picture_id,
            diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                "CAST(SUM(LENGTH(bytes)) AS BIGINT)",
            ),
        ))
        .load(conn)?
        .into_iter()
        .collect();
    let uses: HashMap<Option<i64>, i64> = articles::table
        .filter(articles::lead_picture_id.eq_any(&ids))
        .group_by(articles::lead_picture_id)
        .select((articles::lead_picture_id, diesel::dsl::count_star()))
        .load(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|row| PictureListing {
            bytes: bytes.get(&row.id).copied().flatten().unwrap_or(0),
            uses: uses.get(&Some(row.id)).copied().unwrap_or(0),
            picture: Picture::from(row),
        })
        .collect())
}

/// How many articles lead with the picture.
pub fn uses(conn: &mut DbConn, id: PictureId) -> DbResult<i64> {
    Ok(articles::table
        .filter(articles::lead_picture_id.eq(id.get()))
        .count()
        .get_result(conn)?)
}

/// How many article bodies place the picture (a `[صورة:N]` line). Reads every body: for
/// deleting, not for listing.
pub fn body_uses(conn: &mut DbConn, id: PictureId) -> DbResult<i64> {
    Ok(article_bodies::table
        .filter(article_bodies::body.like(format!("%[صورة:{id}]%")))
        .count()
        .get_result(conn)?)
}

/// The bytes of one served file.
pub fn variant_bytes(conn: &mut DbConn, hash: &str, name: &str) -> DbResult<Option<Vec<u8>>> {
    Ok(picture_files::table
        .inner_join(pictures::table)
        .filter(pictures::hash.eq(hash))
        .filter(picture_files::name.eq(name))
        .select(picture_files::bytes)
        .first(conn)
        .optional()?)
}

pub fn update_text(conn: &mut DbConn, id: PictureId, text: &PictureText) -> DbResult<bool> {
    let updated = diesel::update(pictures::table.find(id.get()))
        .set((
            pictures::alt.eq(&text.alt),
            pictures::caption.eq(&text.caption),
            pictures::credit.eq(&text.credit),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Deletes the picture and its files (check first that no article shows it).
pub fn delete(conn: &mut DbConn, id: PictureId) -> DbResult<bool> {
    Ok(diesel::delete(pictures::table.find(id.get())).execute(conn)? == 1)
}
