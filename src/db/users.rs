//! Queries on `users`.

use diesel::prelude::*;
use diesel::sqlite::Sqlite;

use super::schema::{sessions, users};

pub const ROLE_ADMIN: &str = "admin";
pub const ROLE_EDITOR: &str = "editor";

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users, check_for_backend(Sqlite))]
pub struct User {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
    pub role: String,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == ROLE_ADMIN
    }
}

pub fn find_by_username(conn: &mut SqliteConnection, username: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::username.eq(username))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn all(conn: &mut SqliteConnection) -> QueryResult<Vec<User>> {
    users::table
        .order(users::username.asc())
        .select(User::as_select())
        .load(conn)
}

pub fn count(conn: &mut SqliteConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

/// Creates the user, or sets a new password and role if the name exists. A new password
/// ends every session of that user.
pub fn upsert(
    conn: &mut SqliteConnection,
    username: &str,
    password_hash: &str,
    role: &str,
    now: i64,
) -> QueryResult<UpsertOutcome> {
    conn.immediate_transaction(|conn| match find_by_username(conn, username)? {
        Some(existing) => {
            diesel::update(users::table.find(existing.id))
                .set((users::password_hash.eq(password_hash), users::role.eq(role)))
                .execute(conn)?;
            diesel::delete(sessions::table.filter(sessions::user_id.eq(existing.id)))
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
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpsertOutcome {
    Created,
    Updated,
}

pub fn record_login(conn: &mut SqliteConnection, user_id: i64, now: i64) -> QueryResult<()> {
    diesel::update(users::table.find(user_id))
        .set(users::last_login_at.eq(now))
        .execute(conn)
        .map(|_| ())
}
