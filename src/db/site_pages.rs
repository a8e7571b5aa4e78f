//! Queries on `site_pages`.

use diesel::prelude::*;

use super::schema::site_pages;
use super::{DbConn, DbResult};
use crate::core::site_pages::{SitePage, SitePageKind};

/// Every written page.
pub fn all(conn: &mut DbConn) -> DbResult<Vec<SitePage>> {
    let rows: Vec<(String, String, String, String, i64)> = site_pages::table
        .select((
            site_pages::slug,
            site_pages::title,
            site_pages::body,
            site_pages::body_html,
            site_pages::updated_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(slug, title, body, body_html, updated_at)| {
            SitePageKind::parse(&slug).map(|kind| SitePage {
                kind,
                title,
                body,
                body_html,
                updated_at,
            })
        })
        .collect())
}

/// Writes `page` (replacing what was written).
pub fn save(conn: &mut DbConn, page: &SitePage) -> DbResult<()> {
    on_backend!(conn, |c| diesel::insert_into(site_pages::table)
        .values((
            site_pages::slug.eq(page.kind.slug()),
            site_pages::title.eq(&page.title),
            site_pages::body.eq(&page.body),
            site_pages::body_html.eq(&page.body_html),
            site_pages::updated_at.eq(page.updated_at),
        ))
        .on_conflict(site_pages::slug)
        .do_update()
        .set((
            site_pages::title.eq(&page.title),
            site_pages::body.eq(&page.body),
            site_pages::body_html.eq(&page.body_html),
            site_pages::updated_at.eq(page.updated_at),
        ))
        .execute(c))?;
    Ok(())
}

/// `site_meta` key of the logo's picture id (empty: the site's name as text).
const LOGO_KEY: &str = "site_logo";

/// The picture chosen as the site's logo, if any (and still there).
pub fn logo(conn: &mut DbConn) -> DbResult<Option<crate::core::picture::Picture>> {
    let chosen =
        super::meta::get(conn, LOGO_KEY)?.and_then(|raw| crate::core::PictureId::parse(&raw));
    match chosen {
        Some(id) => super::pictures::find(conn, id),
        None => Ok(None),
    }
}

/// Chooses the logo: a picture id, or empty for the site's name as text.
pub fn set_logo(conn: &mut DbConn, value: &str) -> DbResult<()> {
    super::meta::set(conn, LOGO_KEY, value)
}
