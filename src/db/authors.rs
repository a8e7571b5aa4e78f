//! Queries on bylines (`articles.author`) and `author_profiles`.

use diesel::prelude::*;

use super::articles::{SummaryRow, summaries, visible_at};
use super::schema::{articles, author_profiles};
use super::{DbConn, DbResult};
use crate::core::PictureId;
use crate::core::article::ArticleSummary;
use crate::core::authors::AuthorProfile;

/// The articles readers may see at `now` under any of `bylines`, newest first.
pub fn visible_by(
    conn: &mut DbConn,
    bylines: &[String],
    now: i64,
    offset: i64,
    limit: i64,
) -> DbResult<Vec<ArticleSummary>> {
    let rows = articles::table
        .filter(articles::author.eq_any(bylines))
        .filter(visible_at(now))
        .order((articles::published_at.desc(), articles::id.desc()))
        .offset(offset)
        .limit(limit)
        .select(SummaryRow::as_select())
        .load(conn)?;
    Ok(summaries(rows))
}

pub fn profile(conn: &mut DbConn, slug: &str) -> DbResult<Option<AuthorProfile>> {
    Ok(author_profiles::table
        .find(slug)
        .select((author_profiles::bio, author_profiles::picture_id))
        .first::<(String, Option<i64>)>(conn)
        .optional()?
        .map(|(bio, picture)| AuthorProfile {
            bio,
            picture: picture.map(PictureId::from_db),
        }))
}

/// Every profile, by slug (the newsroom's authors page).
pub fn all_profiles(conn: &mut DbConn) -> DbResult<Vec<(String, AuthorProfile)>> {
    let rows: Vec<(String, String, Option<i64>)> = author_profiles::table
        .select((
            author_profiles::slug,
            author_profiles::bio,
            author_profiles::picture_id,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(slug, bio, picture)| {
            let picture = picture.map(PictureId::from_db);
            (slug, AuthorProfile { bio, picture })
        })
        .collect())
}

/// Writes what the newsroom says about the author `slug` (replacing what it said).
pub fn set_profile(conn: &mut DbConn, slug: &str, profile: &AuthorProfile) -> DbResult<()> {
    let picture = profile.picture.map(|p| p.get());
    on_backend!(conn, |c| diesel::insert_into(author_profiles::table)
        .values((
            author_profiles::slug.eq(slug),
            author_profiles::bio.eq(&profile.bio),
            author_profiles::picture_id.eq(picture),
        ))
        .on_conflict(author_profiles::slug)
        .do_update()
        .set((
            author_profiles::bio.eq(&profile.bio),
            author_profiles::picture_id.eq(picture),
        ))
        .execute(c))?;
    Ok(())
}
