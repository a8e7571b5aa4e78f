//! Queries on `audit_log`: append and read; there is no update and no delete.

use diesel::prelude::*;

use super::schema::audit_log;
use super::{DbConn, DbResult};
use crate::core::audit::{Actor, AuditAction, AuditEntry};

pub fn record(
    conn: &mut DbConn,
    at: i64,
    actor: &Actor,
    action: AuditAction,
    target: &str,
) -> DbResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(at),
            audit_log::user_id.eq(actor.user.map(|user| user.get())),
            audit_log::username.eq(&actor.username),
            audit_log::address.eq(&actor.address),
            audit_log::action.eq(action.as_str()),
            audit_log::target.eq(target),
        ))
        .execute(conn)?;
    Ok(())
}

/// The newest entries (of one action, by one name, when given), `limit` from `offset`.
pub fn newest(
    conn: &mut DbConn,
    action: Option<AuditAction>,
    username: Option<&str>,
    limit: i64,
    offset: i64,
) -> DbResult<Vec<AuditEntry>> {
    let mut query = audit_log::table.into_boxed();
    if let Some(action) = action {
        query = query.filter(audit_log::action.eq(action.as_str()));
    }
    if let Some(username) = username {
        query = query.filter(audit_log::username.eq(username.to_owned()));
    }
    let rows: Vec<(i64, String, String, String, String)> = query
        .order(audit_log::id.desc())
        .limit(limit)
        .offset(offset)
        .select((
            audit_log::at,
            audit_log::username,
            audit_log::address,
            audit_log::action,
            audit_log::target,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(at, username, address, action, target)| AuditEntry {
            at,
            username,
            address,
            action: AuditAction::parse(&action),
            target,
        })
        .collect())
}
