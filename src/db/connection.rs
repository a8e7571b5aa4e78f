//! Connections and what goes wrong with them: the connection type every query takes, the
//! layer's error, and the one way to write in a transaction.

use diesel::RunQueryDsl;
use diesel::r2d2::{ConnectionManager, PooledConnection};
use diesel::sqlite::SqliteConnection;

/// The connection every query function takes: the one place the backend is named.
pub type DbConn = SqliteConnection;
pub(super) type Manager = ConnectionManager<DbConn>;
/// A connection borrowed from the pool; derefs to [`DbConn`].
pub type PooledConn = PooledConnection<Manager>;

/// Why a database operation failed. Not-found is not an error here: lookups return `Option`.
#[derive(Debug)]
pub enum DbError {
    Query(diesel::result::Error),
    /// No connection could be had in time (all busy, or the file cannot be opened).
    Pool(String),
    /// The blocking task running the query did not complete.
    Task(String),
    /// The search index could not be read or written.
    Search(String),
    /// A file beside the database (a copy, the database itself) could not be used.
    File(String),
}

pub type DbResult<T> = Result<T, DbError>;

impl std::fmt::Display for DbError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DbError::Query(e) => write!(f, "database: {e}"),
            DbError::Pool(e) => write!(f, "database pool: {e}"),
            DbError::Task(e) => write!(f, "database task: {e}"),
            DbError::Search(e) => write!(f, "search index: {e}"),
            DbError::File(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for DbError {}

impl DbError {
    /// A failure that says nothing about the request and may pass by itself: the file
    /// locked by another writer past the busy timeout, a full disk, an I/O error, no
    /// connection in time. Worth "try again in a moment", never a lost form.
    pub fn is_transient(&self) -> bool {
        match self {
            DbError::Query(diesel::result::Error::DatabaseError(_, info)) => {
                let message = info.message().to_ascii_lowercase();
                [
                    "locked",
                    "busy",
                    "disk is full",
                    "disk i/o",
                    "unable to open",
                    "readonly",
                ]
                .iter()
                .any(|sign| message.contains(sign))
            }
            DbError::Pool(_) => true,
            _ => false,
        }
    }
}

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

/// Whether the database takes a write now: the write lock taken and given back at once,
/// waiting a moment at most (the readiness check).
pub fn writable(conn: &mut DbConn) -> DbResult<()> {
    use diesel::connection::SimpleConnection;
    conn.batch_execute("PRAGMA busy_timeout = 250;")?;
    let probed = conn.batch_execute("BEGIN IMMEDIATE; ROLLBACK;");
    // The pool's connections wait 5 s for a busy file (see `database::Pragmas`).
    conn.batch_execute("PRAGMA busy_timeout = 5000;")?;
    Ok(probed?)
}
