//! Queries on `users`.

use diesel::prelude::*;

use super::schema::{sessions, users};
use super::{DbConn, DbResult};
use crate::core::UserId;
use crate::core::user::{Role, User};

#[derive(Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub(super) struct UserRow {
    id: i64,
    username: String,
    role: Role,
    created_at: i64,
    last_login_at: Option<i64>,
    disabled_at: Option<i64>,
    display_name: String,
    #[diesel(select_expression = users::totp_secret.is_not_null())]
    #[diesel(select_expression_type = diesel::dsl::IsNotNull<users::totp_secret>)]
    two_factor: bool,
}

impl From<UserRow> for User {
    fn from(row: UserRow) -> Self {
        User {
            id: UserId::from_db(row.id),
            username: row.username,
            role: row.role,
            created_at: row.created_at,
            last_login_at: row.last_login_at,
            disabled_at: row.disabled_at,
            display_name: row.display_name,
            two_factor: row.two_factor,
        }
    }
}

diesel::define_sql_function! {
    /// A username compared whatever its case: SQLite's NOCASE column, PostgreSQL's unique
    /// index on `lower(username)`.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

/// A user and their password hash: only for checking a password at sign-in.
pub fn find_with_password_hash(
    conn: &mut DbConn,
    username: &str,
) -> DbResult<Option<(User, String)>> {
    let row: Option<(UserRow, String)> = users::table
        .filter(lower(users::username).eq(lower(username)))
        .select((UserRow::as_select(), users::password_hash))
        .first(conn)
        .optional()?;
    Ok(row.map(|(user, hash)| (user.into(), hash)))
}

pub fn find_by_username(conn: &mut DbConn, username: &str) -> DbResult<Option<User>> {
    let row = users::table
        .filter(lower(users::username).eq(lower(username)))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?;
    Ok(row.map(User::from))
}

pub fn all(conn: &mut DbConn) -> DbResult<Vec<User>> {
    let rows = users::table
        .order(users::username.asc())
        .select(UserRow::as_select())
        .load(conn)?;
    Ok(rows.into_iter().map(User::from).collect())
}

pub fn count(conn: &mut DbConn) -> DbResult<i64> {
    Ok(users::table.count().get_result(conn)?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertOutcome {
    Created,
    Updated,
}

/// Creates the user, or sets a new password and role if the name exists. A new password
/// ends every session of that user. Call it inside a write transaction.
pub fn upsert(
    conn: &mut DbConn,
    username: &str,
    password_hash: &str,
    role: Role,
    now: i64,
) -> DbResult<UpsertOutcome> {
    match find_by_username(conn, username)? {
        Some(existing) => {
            diesel::update(users::table.find(existing.id.get()))
                .set((users::password_hash.eq(password_hash), users::role.eq(role)))
                .execute(conn)?;
            diesel::delete(sessions::table.filter(sessions::user_id.eq(existing.id.get())))
                .execute(conn)?;
            Ok(UpsertOutcome::Updated)
        }
        None => {
            diesel::insert_into(users::table)
                .values((
                    users::username.eq(username),
                    users::password_hash.eq(password_hash),
                    users::role.eq(role),
                    users::created_at.eq(now),
                ))
                .execute(conn)?;
            Ok(UpsertOutcome::Created)
        }
    }
}

pub fn record_login(conn: &mut DbConn, user_id: UserId, now: i64) -> DbResult<()> {
    diesel::update(users::table.find(user_id.get()))
        .set(users::last_login_at.eq(now))
        .execute(conn)?;
    Ok(())
}

/// Disables (`Some(when)`) or enables (`None`) the account; whether there is one.
pub fn set_disabled(conn: &mut DbConn, id: UserId, disabled_at: Option<i64>) -> DbResult<bool> {
    let changed = diesel::update(users::table.find(id.get()))
        .set(users::disabled_at.eq(disabled_at))
        .execute(conn)?;
    Ok(changed == 1)
}

pub fn find(conn: &mut DbConn, id: UserId) -> DbResult<Option<User>> {
    Ok(users::table
        .find(id.get())
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(User::from))
}

/// Sets a new password for the account, ending every session of it.
pub fn set_password(conn: &mut DbConn, id: UserId, password_hash: &str) -> DbResult<()> {
    diesel::update(users::table.find(id.get()))
        .set(users::password_hash.eq(password_hash))
        .execute(conn)?;
    diesel::delete(sessions::table.filter(sessions::user_id.eq(id.get()))).execute(conn)?;
    Ok(())
}

pub fn set_display_name(conn: &mut DbConn, id: UserId, name: &str) -> DbResult<bool> {
    let changed = diesel::update(users::table.find(id.get()))
        .set(users::display_name.eq(name))
        .execute(conn)?;
    Ok(changed == 1)
}

/// How many saves (revisions) the account made: an account that wrote is kept.
pub fn saves_by(conn: &mut DbConn, id: UserId) -> DbResult<i64> {
    use super::schema::revisions;
    Ok(revisions::table
        .filter(revisions::user_id.eq(id.get()))
        .count()
        .get_result(conn)?)
}

/// Deletes the account (its sessions, links and autosaves go with it; revisions and audit
/// entries keep the name, not the link).
pub fn delete(conn: &mut DbConn, id: UserId) -> DbResult<bool> {
    Ok(diesel::delete(users::table.find(id.get())).execute(conn)? == 1)
}
