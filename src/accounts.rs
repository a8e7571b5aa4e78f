//! Newsroom accounts: the first admin, and creating or re-keying users (CLI and admin page).

use diesel::prelude::*;
use rand::Rng;

use crate::auth::password;
use crate::db::users::{self, ROLE_ADMIN, UpsertOutcome};

pub const FIRST_ADMIN_USERNAME: &str = "admin";
const GENERATED_PASSWORD_LENGTH: usize = 20;
/// No look-alike characters (0/O, 1/l/I), so the printed password can be typed.
const PASSWORD_ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

pub fn generate_password() -> String {
    let mut rng = rand::rng();
    (0..GENERATED_PASSWORD_LENGTH)
        .map(|_| PASSWORD_ALPHABET[rng.random_range(0..PASSWORD_ALPHABET.len())] as char)
        .collect()
}

#[derive(Debug)]
pub enum AccountError {
    WeakPassword(password::WeakPassword),
    InvalidUsername,
    Hashing(String),
    Database(diesel::result::Error),
}

impl std::fmt::Display for AccountError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AccountError::WeakPassword(e) => e.fmt(f),
            AccountError::InvalidUsername => f.write_str(
                "a username is 1 to 64 letters, digits, '.', '-' or '_', without spaces",
            ),
            AccountError::Hashing(e) => write!(f, "could not hash the password: {e}"),
            AccountError::Database(e) => write!(f, "database: {e}"),
        }
    }
}

impl std::error::Error for AccountError {}

impl From<diesel::result::Error> for AccountError {
    fn from(e: diesel::result::Error) -> Self {
        AccountError::Database(e)
    }
}

pub fn valid_username(username: &str) -> bool {
    let length = username.chars().count();
    (1..=64).contains(&length)
        && username
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// Creates the user or sets a new password (ending their sessions). Slow: hashes.
pub fn set_user(
    conn: &mut SqliteConnection,
    username: &str,
    new_password: &str,
    role: &str,
) -> Result<UpsertOutcome, AccountError> {
    if !valid_username(username) {
        return Err(AccountError::InvalidUsername);
    }
    password::check_new(new_password).map_err(AccountError::WeakPassword)?;
    let hash = password::hash(new_password).map_err(|e| AccountError::Hashing(e.to_string()))?;
    Ok(users::upsert(
        conn,
        username,
        &hash,
        role,
        crate::db::now_timestamp(),
    )?)
}

/// On a database without users, creates `admin` with a random password and returns it, to
/// be shown once. Later calls return `None`.
pub fn ensure_first_admin(conn: &mut SqliteConnection) -> Result<Option<String>, AccountError> {
    if users::count(conn)? > 0 {
        return Ok(None);
    }
    let password = generate_password();
    set_user(conn, FIRST_ADMIN_USERNAME, &password, ROLE_ADMIN)?;
    Ok(Some(password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_passwords_are_long_enough() {
        let password = generate_password();
        assert_eq!(password.len(), GENERATED_PASSWORD_LENGTH);
        assert!(password::check_new(&password).is_ok());
        assert_ne!(password, generate_password());
    }

    #[test]
    fn usernames_are_simple() {
        assert!(valid_username("admin"));
        assert!(valid_username("سلمى.الخطيب"));
        assert!(!valid_username(""));
        assert!(!valid_username("two words"));
        assert!(!valid_username("a<b"));
    }
}
