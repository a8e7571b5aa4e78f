//! The database: the connection pool, per-connection pragmas, migrations, and (one file per
//! table) every query the application makes. Query functions are plain and synchronous, take
//! `&mut SqliteConnection` and return `QueryResult`; callers run them off the async executor.

pub mod articles;
pub mod meta;
pub mod schema;
pub mod search;
pub mod sections;
pub mod sessions;
pub mod users;
pub mod views;

use std::path::Path;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub type DbPool = Pool<ConnectionManager<SqliteConnection>>;
pub type DbConn = PooledConnection<ConnectionManager<SqliteConnection>>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Why the database could not be opened, in words for the operator.
#[derive(Debug)]
pub struct OpenError(pub String);

impl std::fmt::Display for OpenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OpenError {}

/// Applied to every pooled connection as it is handed out for the first time.
#[derive(Debug, Clone, Copy)]
struct Pragmas;

impl CustomizeConnection<SqliteConnection, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut SqliteConnection) -> Result<(), diesel::r2d2::Error> {
        // busy_timeout first, so that the following statements already wait on a busy file
        // instead of failing. WAL lets readers proceed while the view-count flush writes.
        conn.batch_execute(
            "PRAGMA busy_timeout = 5000;
             PRAGMA journal_mode = WAL;
             PRAGMA synchronous = NORMAL;
             PRAGMA foreign_keys = ON;",
        )
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// Opens (creating if needed) the SQLite file, and brings its schema up to date.
pub fn open(path: &Path) -> Result<DbPool, OpenError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        return Err(OpenError(format!(
            "folder {} does not exist",
            parent.display()
        )));
    }
    let url = path
        .to_str()
        .ok_or_else(|| OpenError("the path is not valid UTF-8".to_owned()))?;
    let manager = ConnectionManager::<SqliteConnection>::new(url);
    let pool = Pool::builder()
        .max_size(8)
        .connection_timeout(Duration::from_secs(10))
        .connection_customizer(Box::new(Pragmas))
        .build(manager)
        .map_err(|e| OpenError(format!("cannot open {}: {e}", path.display())))?;
    let mut conn = pool
        .get()
        .map_err(|e| OpenError(format!("cannot open {}: {e}", path.display())))?;
    conn.run_pending_migrations(MIGRATIONS)
        .map_err(|e| OpenError(format!("cannot prepare {}: {e}", path.display())))?;
    Ok(pool)
}

/// Unix seconds now: the unit of every time column.
pub fn now_timestamp() -> i64 {
    chrono::Utc::now().timestamp()
}
