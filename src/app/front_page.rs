//! Shaping the front page: pin the lead, feature stories, raise and lower the breaking-news
//! bar. Each change and its audit entry are one transaction; only articles readers can
//! see may be picked.

use crate::core::ArticleId;
use crate::core::article::ArticleSummary;
use crate::core::audit::{Actor, AuditAction};
use crate::core::front_page::{Breaking, Curation, LeadPin};
use crate::db::changes::{self, Change};
use crate::db::{Database, DbConn, DbResult, articles, audit, front_page, write_tx};

use super::AppError;

/// Everything picked, as stored (ended picks included).
pub async fn curation(db: &Database) -> Result<Curation, AppError> {
    Ok(db.run(front_page::curation).await?)
}

/// The stories of the picks in force: the pinned lead (if readers can see it) and the
/// featured ones they can see, in order.
pub async fn picked_stories(
    db: &Database,
    curation: Curation,
    now: i64,
) -> Result<(Option<ArticleSummary>, Vec<ArticleSummary>), AppError> {
    Ok(db
        .run(move |conn| {
            let lead = match &curation.lead {
                Some(pin) => articles::visible_summaries(conn, &[pin.article], now)?
                    .into_iter()
                    .next(),
                None => None,
            };
            let featured = articles::visible_summaries(conn, &curation.featured, now)?;
            Ok::<_, crate::db::DbError>((lead, featured))
        })
        .await?)
}

/// Whether a pick was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickOutcome {
    Done,
    /// These articles are not (or not yet) visible to readers: nothing changed.
    NotVisible(Vec<ArticleId>),
}

fn not_visible(conn: &mut DbConn, ids: &[ArticleId], now: i64) -> DbResult<Vec<ArticleId>> {
    let visible = articles::visible_summaries(conn, ids, now)?;
    Ok(ids
        .iter()
        .copied()
        .filter(|id| !visible.iter().any(|a| a.id == *id))
        .collect())
}

/// Pins `article` as the lead for `hours` (or until unpinned).
pub async fn pin_lead(
    db: &Database,
    actor: Actor,
    article: ArticleId,
    hours: Option<i64>,
    now: i64,
) -> Result<PickOutcome, AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let missing = not_visible(conn, &[article], now)?;
                if !missing.is_empty() {
                    return Ok(PickOutcome::NotVisible(missing));
                }
                let until = hours.map(|h| now + h * 3600);
                front_page::set_lead(conn, Some(&LeadPin { article, until }))?;
                let target = match hours {
                    Some(h) => format!("lead: article {article} for {h} h"),
                    None => format!("lead: article {article}"),
                };
                audit::record(conn, now, &actor, AuditAction::FrontPageChanged, &target)?;
                changes::record(conn, Change::FrontPage, now)?;
                Ok(PickOutcome::Done)
            })
        })
        .await?)
}

/// The newest story leads again.
pub async fn unpin_lead(db: &Database, actor: Actor, now: i64) -> Result<(), AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                front_page::set_lead(conn, None)?;
                audit::record(
                    conn,
                    now,
                    &actor,
                    AuditAction::FrontPageChanged,
                    "lead: newest",
                )?;
                changes::record(conn, Change::FrontPage, now)
            })
        })
        .await?)
}

/// Makes `ids` (already checked: at most four, each once) the featured stories.
pub async fn feature(
    db: &Database,
    actor: Actor,
    ids: Vec<ArticleId>,
    now: i64,
) -> Result<PickOutcome, AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let missing = not_visible(conn, &ids, now)?;
                if !missing.is_empty() {
                    return Ok(PickOutcome::NotVisible(missing));
                }
                front_page::set_featured(conn, &ids)?;
                let listed: Vec<String> = ids.iter().map(ToString::to_string).collect();
                let target = format!("featured: {}", listed.join(", "));
                audit::record(conn, now, &actor, AuditAction::FrontPageChanged, &target)?;
                changes::record(conn, Change::FrontPage, now)?;
                Ok(PickOutcome::Done)
            })
        })
        .await?)
}

/// Raises the breaking-news bar (replacing the one up).
pub async fn raise_breaking(
    db: &Database,
    actor: Actor,
    breaking: Breaking,
    now: i64,
) -> Result<(), AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                front_page::set_breaking(conn, Some(&breaking))?;
                let target = format!("until {}: {}", breaking.until, breaking.text);
                audit::record(conn, now, &actor, AuditAction::BreakingRaised, &target)?;
                changes::record(conn, Change::FrontPage, now)
            })
        })
        .await?)
}

/// Takes the breaking-news bar down before its time.
pub async fn lower_breaking(db: &Database, actor: Actor, now: i64) -> Result<(), AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                front_page::set_breaking(conn, None)?;
                audit::record(conn, now, &actor, AuditAction::BreakingLowered, "")?;
                changes::record(conn, Change::FrontPage, now)
            })
        })
        .await?)
}

/// How many of the newest stories the newsroom may pick from.
const CHOICES: i64 = 40;

/// The stories the front page controls offer: the newest visible ones, and those picked
/// now (however old), each once.
pub async fn choices(
    db: &Database,
    curation: Curation,
    now: i64,
) -> Result<Vec<ArticleSummary>, AppError> {
    Ok(db
        .run(move |conn| {
            let mut choices =
                articles::visible_from(conn, now, &articles::Listing::Site, None, 0, CHOICES)?;
            let picked: Vec<ArticleId> = curation
                .lead
                .iter()
                .map(|pin| pin.article)
                .chain(curation.featured.iter().copied())
                .filter(|id| !choices.iter().any(|a| a.id == *id))
                .collect();
            choices.extend(articles::visible_summaries(conn, &picked, now)?);
            Ok::<_, crate::db::DbError>(choices)
        })
        .await?)
}
