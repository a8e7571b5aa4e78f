//! Queries on a member's second factor: the TOTP secret and last used step on `users`,
//! and `recovery_codes`.

use diesel::prelude::*;

use super::schema::{recovery_codes, users};
use super::{DbConn, DbResult};
use crate::core::UserId;

/// The member's secret (base32) and the last time step a code of theirs was accepted for;
/// `None` without two-factor sign-in.
pub fn secret_of(conn: &mut DbConn, user: UserId) -> DbResult<Option<(String, Option<i64>)>> {
    let row: Option<(Option<String>, Option<i64>)> = users::table
        .find(user.get())
        .select((users::totp_secret, users::totp_last_step))
        .first(conn)
        .optional()?;
    Ok(row.and_then(|(secret, step)| secret.map(|secret| (secret, step))))
}

/// Turns two-factor sign-in on with `secret` (its code for `step` just proven) and
/// replaces the recovery codes. Call it inside a write transaction.
pub fn enable(
    conn: &mut DbConn,
    user: UserId,
    secret: &str,
    step: i64,
    recovery_code_hashes: &[String],
) -> DbResult<()> {
    diesel::update(users::table.find(user.get()))
        .set((
            users::totp_secret.eq(secret),
            users::totp_last_step.eq(step),
        ))
        .execute(conn)?;
    replace_recovery_codes(conn, user, recovery_code_hashes)
}

/// Turns two-factor sign-in off; the recovery codes go with it. Whether it was on.
pub fn disable(conn: &mut DbConn, user: UserId) -> DbResult<bool> {
    let changed = diesel::update(
        users::table
            .find(user.get())
            .filter(users::totp_secret.is_not_null()),
    )
    .set((
        users::totp_secret.eq(None::<String>),
        users::totp_last_step.eq(None::<i64>),
    ))
    .execute(conn)?;
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user.get())))
        .execute(conn)?;
    Ok(changed == 1)
}

pub fn replace_recovery_codes(conn: &mut DbConn, user: UserId, hashes: &[String]) -> DbResult<()> {
    diesel::delete(recovery_codes::table.filter(recovery_codes::user_id.eq(user.get())))
        .execute(conn)?;
    let rows: Vec<_> = hashes
        .iter()
        .map(|hash| {
            (
                recovery_codes::user_id.eq(user.get()),
                recovery_codes::code_hash.eq(hash),
            )
        })
        .collect();
    on_backend!(conn, |c| diesel::insert_into(recovery_codes::table)
        .values(&rows)
        .execute(c))?;
    Ok(())
}

/// Records that a code of step `step` was used, unless one of that step or a later one
/// already was: whether this use counts. One statement, so two sign-ins racing with the
/// same code can't both win.
pub fn use_step(conn: &mut DbConn, user: UserId, step: i64) -> DbResult<bool> {
    let changed = diesel::update(
        users::table
            .find(user.get())
            .filter(users::totp_secret.is_not_null())
            .filter(
                users::totp_last_step
                    .is_null()
                    .or(users::totp_last_step.lt(step)),
            ),
    )
    .set(users::totp_last_step.eq(step))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Marks the unused recovery code `hash` of `user` used: whether there was one.
pub fn use_recovery_code(conn: &mut DbConn, user: UserId, hash: &str, now: i64) -> DbResult<bool> {
    let changed = diesel::update(
        recovery_codes::table
            .filter(recovery_codes::user_id.eq(user.get()))
            .filter(recovery_codes::code_hash.eq(hash))
            .filter(recovery_codes::used_at.is_null()),
    )
    .set(recovery_codes::used_at.eq(now))
    .execute(conn)?;
    Ok(changed >= 1)
}

/// Recovery codes of `user` not used yet.
pub fn recovery_codes_left(conn: &mut DbConn, user: UserId) -> DbResult<i64> {
    Ok(recovery_codes::table
        .filter(recovery_codes::user_id.eq(user.get()))
        .filter(recovery_codes::used_at.is_null())
        .count()
        .get_result(conn)?)
}
