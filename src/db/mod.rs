//! The database, and the only module that speaks diesel: the connection pool and its
//! pragmas, migrations, transactions, and (one file per table) every query the application
//! makes. Query functions are plain and synchronous, take `&mut DbConn` and return
//! [`DbResult`] with the core's types; [`Database::run`] runs them off the async executor.

// First: its `on_backend!` is used by the query modules below.
#[macro_use]
mod connection;
mod address;
pub mod articles;
pub mod audit;
pub mod authors;
pub mod autosaves;
pub mod backup;
pub mod changes;
pub mod copy;
mod database;
pub mod front_page;
pub mod login_failures;
pub mod meta;
pub mod password_resets;
pub mod pending_drafts;
pub mod pictures;
pub mod revisions;
pub mod schema;
pub mod search;
pub mod sections;
pub mod sessions;
pub mod site_pages;
mod sql_types;
pub mod stored_html;
pub mod tags;
pub mod two_factor;
pub mod users;
pub mod views;

pub use address::DatabaseAddress;
pub use connection::{
    Backend, DbBackend, DbConn, DbError, DbResult, PooledConn, ping, writable, write_tx,
};
pub use database::{
    DEFAULT_POOL_SIZE, Database, OpenError, POSTGRES_MIGRATIONS, PoolReport, SQLITE_MIGRATIONS,
    connect, in_memory, migrate,
};
