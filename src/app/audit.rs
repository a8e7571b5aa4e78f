//! The audit log: recording what the newsroom did (where no use case records it in its
//! own transaction), and reading it.

use crate::core::audit::{Actor, AuditAction, AuditEntry};
use crate::db::{Database, audit};

use super::AppError;

pub async fn record(
    db: &Database,
    actor: Actor,
    action: AuditAction,
    target: String,
    now: i64,
) -> Result<(), AppError> {
    Ok(db
        .run(move |conn| audit::record(conn, now, &actor, action, &target))
        .await?)
}

/// The newest entries, of one action and by one name when given.
pub async fn entries(
    db: &Database,
    action: Option<AuditAction>,
    username: Option<String>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditEntry>, AppError> {
    Ok(db
        .run(move |conn| audit::newest(conn, action, username.as_deref(), limit, offset))
        .await?)
}
