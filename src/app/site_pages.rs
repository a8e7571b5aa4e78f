//! The site's own pages (about, contact): read, and written by admins.

use crate::core::PictureId;
use crate::core::audit::{Actor, AuditAction};
use crate::core::markdown;
use crate::core::picture::Picture;
use crate::core::site_pages::{SitePage, SitePageKind};
use crate::db::changes::{self, Change};
use crate::db::{Database, audit, pictures, site_pages, write_tx};

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
                changes::record(conn, Change::SitePages, now)?;
                site_pages::all(conn)
            })
        })
        .await?)
}

/// The picture chosen as the site's logo, if any (and still in the library).
pub async fn logo(db: &Database) -> Result<Option<Picture>, AppError> {
    Ok(db.run(site_pages::logo).await?)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogoOutcome {
    /// The logo now (`None`: the site's name, as text).
    Set(Option<Picture>),
    NoSuchPicture,
}

/// Makes picture `id` the site's logo (`None`: the name as text again), audited.
pub async fn set_logo(
    db: &Database,
    actor: Actor,
    id: Option<PictureId>,
    now: i64,
) -> Result<LogoOutcome, AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let picture = match id {
                    Some(id) => match pictures::find(conn, id)? {
                        Some(picture) => Some(picture),
                        None => return Ok(LogoOutcome::NoSuchPicture),
                    },
                    None => None,
                };
                let value = id.map(|id| id.to_string()).unwrap_or_default();
                site_pages::set_logo(conn, &value)?;
                changes::record(conn, Change::SitePages, now)?;
                let target = format!("logo: {}", if value.is_empty() { "text" } else { &value });
                audit::record(conn, now, &actor, AuditAction::SitePageEdited, &target)?;
                Ok(LogoOutcome::Set(picture))
            })
        })
        .await?)
}
