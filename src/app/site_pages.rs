//! The site's own pages (about, contact): read, and written by admins.

use crate::core::audit::{Actor, AuditAction};
use crate::core::markdown;
use crate::core::site_pages::{SitePage, SitePageKind};
use crate::db::{Database, audit, site_pages, write_tx};

use super::AppError;

pub async fn all(db: &Database) -> Result<Vec<SitePage>, AppError> {
    Ok(db.run(site_pages::all).await?)
}

/// Saves the page `kind` (title and body already checked), audited in the same
/// transaction; returns every written page, for the footer.
pub async fn save(
    db: &Database,
    actor: Actor,
    kind: SitePageKind,
    title: String,
    body: String,
    now: i64,
) -> Result<Vec<SitePage>, AppError> {
    let body_html = markdown::body_to_html(&body);
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let page = SitePage {
                    kind,
                    title,
                    body,
                    body_html,
                    updated_at: now,
                };
                site_pages::save(conn, &page)?;
                let target = format!("page {}", kind.slug());
                audit::record(conn, now, &actor, AuditAction::SitePageEdited, &target)?;
                site_pages::all(conn)
            })
        })
        .await?)
}
