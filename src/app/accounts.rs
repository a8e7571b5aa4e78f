//! Newsroom accounts and sessions: the first admin, creating users and setting passwords
//! (command line and admin page), signing in and out, and checking a session.

use crate::core::password;
use crate::core::user::{Role, SessionPolicy, User, valid_username};
use crate::db::users::{self, UpsertOutcome};
use crate::db::{Database, DbConn, sessions, write_tx};

use super::{AccountRule, AppError};

pub const FIRST_ADMIN_USERNAME: &str = "admin";
/// `last_seen_at` is written at most this often, not on every admin request.
const TOUCH_EVERY_SECONDS: i64 = 30;

/// Creates the user or sets a new password (ending their sessions). Slow: hashes.
fn set_user_on(
    conn: &mut DbConn,
    username: &str,
    new_password: &str,
    role: Role,
) -> Result<UpsertOutcome, AppError> {
    if !valid_username(username) {
        return Err(AppError::InvalidAccount(AccountRule::InvalidUsername));
    }
    password::check_new(new_password)
        .map_err(|e| AppError::InvalidAccount(AccountRule::WeakPassword(e)))?;
    let hash = password::hash(new_password)
        .map_err(|e| AppError::Internal(format!("could not hash the password: {e}")))?;
    let now = crate::core::time::now_timestamp();
    Ok(write_tx(conn, |conn| {
        users::upsert(conn, username, &hash, role, now)
    })?)
}

/// Creates the user or sets a new password and role (ending their sessions).
pub async fn set_user(
    db: &Database,
    username: String,
    new_password: String,
    role: Role,
) -> Result<UpsertOutcome, AppError> {
    db.run(move |conn| set_user_on(conn, &username, &new_password, role))
        .await
}

/// On a database without users, creates `admin` with a random password and returns it, to
/// be shown once. Later calls return `None`.
pub async fn ensure_first_admin(db: &Database) -> Result<Option<String>, AppError> {
    db.run(|conn| {
        if users::count(conn)? > 0 {
            return Ok(None);
        }
        let password = password::generate();
        set_user_on(conn, FIRST_ADMIN_USERNAME, &password, Role::Admin)?;
        Ok(Some(password))
    })
    .await
}

pub async fn user(db: &Database, id: crate::core::UserId) -> Result<Option<User>, AppError> {
    Ok(db.run(move |conn| users::find(conn, id)).await?)
}

pub async fn all_users(db: &Database) -> Result<Vec<User>, AppError> {
    Ok(db.run(users::all).await?)
}

/// What a sign-in with a password came to.
#[derive(Debug)]
pub enum SignIn {
    /// Wrong username or password, or a disabled account.
    Refused,
    /// The session is started.
    Started(User),
    /// The password is right; the member signs in with two factors, so no session yet:
    /// a code from their app comes next (`two_factor::second_step`).
    CodeNeeded(User),
}

/// Checks `password` and, if it is right (and no second factor is due), starts the session
/// `token_hash`, sweeping away expired ones, in one transaction. An unknown user is checked
/// against a decoy hash, so every failure takes the same time.
pub async fn sign_in(
    db: &Database,
    username: String,
    password: String,
    token_hash: String,
    policy: SessionPolicy,
    now: i64,
) -> Result<SignIn, AppError> {
    db.run(move |conn| {
        let found = users::find_with_password_hash(conn, &username)?;
        // Verified outside the transaction: hashing takes tens of milliseconds, which the
        // write lock must not wait for.
        let valid = password::verify(&password, found.as_ref().map(|(_, hash)| hash.as_str()));
        // A disabled account fails like a wrong password: nothing to learn from trying.
        let Some((user, _)) = found.filter(|(user, _)| valid && !user.is_disabled()) else {
            return Ok(SignIn::Refused);
        };
        if user.two_factor {
            return Ok(SignIn::CodeNeeded(user));
        }
        write_tx(conn, |conn| {
            start_session(conn, user.id, &token_hash, policy, now)
        })?;
        Ok(SignIn::Started(user))
    })
    .await
}

/// Starts the session `token_hash` of `user`. Call it inside a write transaction.
pub(super) fn start_session(
    conn: &mut DbConn,
    user: crate::core::UserId,
    token_hash: &str,
    policy: SessionPolicy,
    now: i64,
) -> Result<(), crate::db::DbError> {
    // Sessions abandoned without signing out are swept here, at the one moment a new one
    // is made, so the table never grows without bound.
    sessions::delete_expired(
        conn,
        now - policy.idle_seconds,
        now - policy.absolute_seconds,
    )?;
    sessions::create(conn, token_hash, user, now)?;
    users::record_login(conn, user, now)?;
    Ok(())
}

/// Ends the session `token_hash` (signing out, or a session replaced at sign-in).
pub async fn end_session(db: &Database, token_hash: String) -> Result<(), AppError> {
    Ok(db
        .run(move |conn| sessions::delete(conn, &token_hash))
        .await?)
}

/// Whose session `token_hash` is or was, live or ended but still on record.
pub async fn session_owner(
    db: &Database,
    token_hash: String,
) -> Result<Option<crate::core::UserId>, AppError> {
    Ok(db
        .run(move |conn| crate::db::pending_drafts::session_owner(conn, &token_hash))
        .await?)
}

/// The user of a live session; `None` if there is none, or it expired (then it is ended).
pub async fn session_user(
    db: &Database,
    token_hash: String,
    policy: SessionPolicy,
    now: i64,
) -> Result<Option<User>, AppError> {
    db.run(move |conn| {
        let Some((session, user)) = sessions::find_with_user(conn, &token_hash)? else {
            return Ok(None);
        };
        let idle_expired = now - session.last_seen_at > policy.idle_seconds;
        let too_old = now - session.created_at > policy.absolute_seconds;
        if idle_expired || too_old || user.is_disabled() {
            sessions::delete(conn, &token_hash)?;
            return Ok(None);
        }
        if now - session.last_seen_at >= TOUCH_EVERY_SECONDS {
            sessions::touch(conn, &token_hash, now)?;
        }
        Ok::<_, AppError>(Some(user))
    })
    .await
}

/// What disabling or enabling an account came to.
#[derive(Debug)]
pub enum AccessChange {
    Done(User),
    NoSuchUser,
}

/// Disables an account (its sessions end at once, in the same transaction) or enables it.
pub async fn set_disabled(
    db: &Database,
    id: crate::core::UserId,
    disabled: bool,
    now: i64,
) -> Result<AccessChange, AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                if !users::set_disabled(conn, id, disabled.then_some(now))? {
                    return Ok(AccessChange::NoSuchUser);
                }
                if disabled {
                    sessions::delete_of_user(conn, id)?;
                }
                Ok(users::find(conn, id)?.map_or(AccessChange::NoSuchUser, AccessChange::Done))
            })
        })
        .await?)
}

/// Makes a one-time link for `user` to choose a new password; returns its token (shown
/// once, to the admin: only its hash is kept).
pub async fn reset_link(
    db: &Database,
    user: crate::core::UserId,
    now: i64,
) -> Result<String, AppError> {
    let token = crate::core::token::random_hex(32);
    let hash = crate::core::token::hash_token(&token);
    db.run(move |conn| crate::db::password_resets::create(conn, &hash, user, now))
        .await?;
    Ok(token)
}

/// The account a reset link is for, if the link can still be used.
pub async fn reset_link_owner(
    db: &Database,
    token_hash: String,
    now: i64,
) -> Result<Option<User>, AppError> {
    Ok(db
        .run(
            move |conn| match crate::db::password_resets::valid_owner(conn, &token_hash, now)? {
                Some(id) => users::find(conn, id),
                None => Ok(None),
            },
        )
        .await?)
}

/// What choosing a new password through a link came to.
#[derive(Debug)]
pub enum Reset {
    /// Set; every session of the account ended.
    Done(User),
    /// The link is used, expired or unknown.
    InvalidLink,
}

/// Sets `new_password` for the link's account and uses the link up, in one transaction.
pub async fn reset_password(
    db: &Database,
    token_hash: String,
    new_password: String,
    now: i64,
) -> Result<Reset, AppError> {
    password::check_new(&new_password)
        .map_err(|e| AppError::InvalidAccount(AccountRule::WeakPassword(e)))?;
    db.run(move |conn| {
        // Hashing takes tens of milliseconds: not while holding the write lock.
        let hash = password::hash(&new_password)
            .map_err(|e| AppError::Internal(format!("could not hash the password: {e}")))?;
        Ok(write_tx(conn, |conn| {
            let Some(id) = crate::db::password_resets::valid_owner(conn, &token_hash, now)? else {
                return Ok(Reset::InvalidLink);
            };
            if !crate::db::password_resets::use_once(conn, &token_hash, now)? {
                return Ok(Reset::InvalidLink);
            }
            users::set_password(conn, id, &hash)?;
            Ok::<_, crate::db::DbError>(
                users::find(conn, id)?.map_or(Reset::InvalidLink, Reset::Done),
            )
        })?)
    })
    .await
}

/// Sets the name the member signs articles with (trimmed; empty: the account name).
/// `Ok(None)`: no such account; `Err(InvalidAccount)`: too long or with control characters.
pub async fn set_display_name(
    db: &Database,
    id: crate::core::UserId,
    name: String,
) -> Result<Option<User>, AppError> {
    let name = name.trim().to_owned();
    if name.chars().count() > crate::core::user::DISPLAY_NAME_MAX_CHARS
        || crate::core::text::has_forbidden_inline_chars(&name)
    {
        return Err(AppError::InvalidAccount(AccountRule::InvalidUsername));
    }
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                if !users::set_display_name(conn, id, &name)? {
                    return Ok(None);
                }
                users::find(conn, id)
            })
        })
        .await?)
}

/// What deleting an account came to.
#[derive(Debug)]
pub enum Deletion {
    Deleted(User),
    /// It saved articles: disable it instead, so its work keeps a name.
    HasWritten(i64),
    NoSuchUser,
}

/// Deletes an account that never saved an article.
pub async fn delete_user(db: &Database, id: crate::core::UserId) -> Result<Deletion, AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let Some(user) = users::find(conn, id)? else {
                    return Ok(Deletion::NoSuchUser);
                };
                let saves = users::saves_by(conn, id)?;
                if saves > 0 {
                    return Ok(Deletion::HasWritten(saves));
                }
                users::delete(conn, id)?;
                Ok::<_, crate::db::DbError>(Deletion::Deleted(user))
            })
        })
        .await?)
}
