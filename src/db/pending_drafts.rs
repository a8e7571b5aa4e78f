//! Queries on `pending_drafts`: article forms kept for an editor whose session had ended.

use diesel::prelude::*;

use super::schema::{pending_drafts, sessions};
use super::{DbConn, DbResult};
use crate::core::ids::UserId;

/// Drafts older than this are gone: a day is long enough to sign in again.
pub const KEPT_SECONDS: i64 = 24 * 3600;
/// Kept at most, oldest leaving first, so that no flood of submissions fills the disk.
const MAX_KEPT: i64 = 500;

/// Whose session `token_hash` was, whether or not it is still live.
pub fn session_owner(conn: &mut DbConn, token_hash: &str) -> DbResult<Option<UserId>> {
    Ok(sessions::table
        .find(token_hash)
        .select(sessions::user_id)
        .first::<i64>(conn)
        .optional()?
        .map(UserId::from_db))
}

pub fn keep(
    conn: &mut DbConn,
    claim_hash: &str,
    owner: Option<UserId>,
    fields: &str,
    now: i64,
) -> DbResult<()> {
    diesel::delete(pending_drafts::table.filter(pending_drafts::created_at.lt(now - KEPT_SECONDS)))
        .execute(conn)?;
    let kept: i64 = pending_drafts::table.count().get_result(conn)?;
    if kept >= MAX_KEPT {
        let oldest: Vec<String> = pending_drafts::table
            .order(pending_drafts::created_at.asc())
            .select(pending_drafts::claim_hash)
            .limit(kept - MAX_KEPT + 1)
            .load(conn)?;
        diesel::delete(pending_drafts::table.filter(pending_drafts::claim_hash.eq_any(&oldest)))
            .execute(conn)?;
    }
    diesel::insert_into(pending_drafts::table)
        .values((
            pending_drafts::claim_hash.eq(claim_hash),
            pending_drafts::user_id.eq(owner.map(UserId::get)),
            pending_drafts::fields.eq(fields),
            pending_drafts::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}

/// What claiming a kept draft came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Claim {
    /// Its fields; it is deleted.
    Taken(String),
    /// It is kept for another member: left as it is.
    NotYours,
    /// There is none (or it is too old, and now deleted).
    Nothing,
}

/// Takes the draft `claim_hash` names for `user`, if it is still fresh and was theirs (or
/// nobody's in particular).
pub fn claim(conn: &mut DbConn, claim_hash: &str, user: UserId, now: i64) -> DbResult<Claim> {
    let row: Option<(Option<i64>, String, i64)> = pending_drafts::table
        .find(claim_hash)
        .select((
            pending_drafts::user_id,
            pending_drafts::fields,
            pending_drafts::created_at,
        ))
        .first(conn)
        .optional()?;
    let Some((owner, fields, created_at)) = row else {
        return Ok(Claim::Nothing);
    };
    if owner.is_some_and(|owner| owner != user.get()) {
        return Ok(Claim::NotYours);
    }
    diesel::delete(pending_drafts::table.find(claim_hash)).execute(conn)?;
    Ok(match created_at >= now - KEPT_SECONDS {
        true => Claim::Taken(fields),
        false => Claim::Nothing,
    })
}

pub fn count(conn: &mut DbConn) -> DbResult<i64> {
    Ok(pending_drafts::table.count().get_result(conn)?)
}
