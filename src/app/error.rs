//! The use cases' error. A refusal the user can fix (a taken slug, a stale version) is
//! not an error but an outcome of the use case; this is for what stops it.

use crate::core::password::WeakPassword;
use crate::db::DbError;

#[derive(Debug)]
pub enum AppError {
    /// What was asked for does not exist (or readers may not see it).
    NotFound,
    /// A new account or password breaks a rule.
    InvalidAccount(AccountRule),
    Database(DbError),
    /// Something else on our side failed; the text is for the log.
    Internal(String),
}

/// The rules of accounts (the text is for the command line; the admin says it in Arabic).
#[derive(Debug, PartialEq, Eq)]
pub enum AccountRule {
    WeakPassword(WeakPassword),
    InvalidUsername,
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AppError::NotFound => f.write_str("not found"),
            AppError::InvalidAccount(AccountRule::WeakPassword(e)) => e.fmt(f),
            AppError::InvalidAccount(AccountRule::InvalidUsername) => f.write_str(
                "a username is 1 to 64 letters, digits, '.', '-' or '_', without spaces",
            ),
            AppError::Database(e) => e.fmt(f),
            AppError::Internal(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for AppError {}

impl AppError {
    /// See [`DbError::is_transient`]: the database can't be written just now.
    pub fn is_transient(&self) -> bool {
        matches!(self, AppError::Database(e) if e.is_transient())
    }
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        AppError::Database(e)
    }
}
