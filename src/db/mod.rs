//! The database, and the only module that speaks diesel: the connection pool and its
//! pragmas, migrations, transactions, and (one file per table) every query the application
//! makes. Query functions are plain and synchronous, take `&mut DbConn` and return
//! [`DbResult`] with the core's types; [`Database::run`] runs them off the async executor.

pub mod articles;
pub mod meta;
pub mod schema;
pub mod search;
pub mod sections;
pub mod sessions;
mod sql_types;
pub mod users;
pub mod views;

use std::path::Path;
use std::time::Duration;

use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use diesel::r2d2::{ConnectionManager, CustomizeConnection, Pool, PooledConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// The connection every query function takes: the one place the backend is named.
pub type DbConn = SqliteConnection;
type Manager = ConnectionManager<DbConn>;
/// A connection borrowed from the pool; derefs to [`DbConn`].
pub type PooledConn = PooledConnection<Manager>;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations");

/// Why a database operation failed. Not-found is not an error here: lookups return `Option`.
#[derive(Debug)]
pub enum DbError {
    Query(diesel::result::Error),
    /// No connection could be had in time (all busy, or the file cannot be opened).
    Pool(String),
    /// The blocking task running the query did not complete.
    Task(String),
}

pub type DbResult<T> = Result<T, DbError>;

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Query(e) => write!(f, "database: {e}"),
            DbError::Pool(e) => write!(f, "database pool: {e}"),
            DbError::Task(e) => write!(f, "database task: {e}"),
        }
    }
}

impl std::error::Error for DbError {}

impl From<diesel::result::Error> for DbError {
    fn from(e: diesel::result::Error) -> Self {
        DbError::Query(e)
    }
}

impl From<diesel::r2d2::PoolError> for DbError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        DbError::Pool(e.to_string())
    }
}

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

impl CustomizeConnection<DbConn, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, conn: &mut DbConn) -> Result<(), diesel::r2d2::Error> {
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

/// The pool of connections to the site's database. Cheap to clone.
#[derive(Clone)]
pub struct Database {
    pool: Pool<Manager>,
}

impl Database {
    /// Opens (creating if needed) the SQLite file, and brings its schema up to date.
    pub fn open(path: &Path) -> Result<Database, OpenError> {
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
        let pool = Pool::builder()
            .max_size(8)
            .connection_timeout(Duration::from_secs(10))
            .connection_customizer(Box::new(Pragmas))
            .build(Manager::new(url))
            .map_err(|e| OpenError(format!("cannot open {}: {e}", path.display())))?;
        let mut conn = pool
            .get()
            .map_err(|e| OpenError(format!("cannot open {}: {e}", path.display())))?;
        conn.run_pending_migrations(MIGRATIONS)
            .map_err(|e| OpenError(format!("cannot prepare {}: {e}", path.display())))?;
        Ok(Database { pool })
    }

    /// A connection for blocking work (the command line, start-up, tests). Inside the
    /// server use [`Database::run`].
    pub fn conn(&self) -> DbResult<PooledConn> {
        Ok(self.pool.get()?)
    }

    /// Runs blocking database work on the runtime's blocking threads, never on the async
    /// executor, with a connection from the pool.
    pub async fn run<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(DbError::from)?;
            work(&mut conn)
        })
        .await
        .map_err(|e| E::from(DbError::Task(e.to_string())))?
    }
}

/// Runs `work` in one write transaction: all of it is saved, or none. SQLite's
/// `BEGIN IMMEDIATE` takes the write lock at the start, so a transaction that reads and
/// then writes never fails half-way on a lock upgrade (`SQLITE_BUSY_SNAPSHOT`).
pub fn write_tx<T, F>(conn: &mut DbConn, work: F) -> DbResult<T>
where
    F: FnOnce(&mut DbConn) -> DbResult<T>,
{
    conn.immediate_transaction(work)
}

/// Whether the database answers (the health check).
pub fn ping(conn: &mut DbConn) -> DbResult<()> {
    diesel::sql_query("SELECT 1").execute(conn)?;
    Ok(())
}
