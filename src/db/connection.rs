//! Connections and what goes wrong with them: the connection type every query takes, the
//! layer's error, and the one way to write in a transaction.

use diesel::RunQueryDsl;
use diesel::connection::{AnsiTransactionManager, Connection, TransactionManager};
use diesel::pg::PgConnection;
use diesel::r2d2::{ConnectionManager, PooledConnection};
use diesel::sqlite::SqliteConnection;

/// The connection every query function takes: SQLite (the embedded default) or PostgreSQL
/// (several instances on one database). Queries are written once, for both; where the two
/// differ (transactions, migrations, pragmas, notifications) this layer matches on it.
///
/// PostgreSQL comes first: `establish` tries the variants in order, and SQLite would take
/// any string, a `postgres://` URL included, as a file name.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Runs `$body` with `$c` bound to the connection of whichever backend `$conn` speaks: for
/// the statements the two-backend connection cannot build itself (upserts, multi-row
/// inserts), written once and compiled for each backend.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Sqlite($c) => $body,
            $crate::db::DbConn::Postgres($c) => $body,
        }
    };
}

/// The backend queries are built for (either of the two, decided per connection).
pub type DbBackend = MultiBackend;
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
            DbError::Query(diesel::result::Error::DatabaseError(kind, info)) => {
                use diesel::result::DatabaseErrorKind;
                if matches!(
                    kind,
                    DatabaseErrorKind::SerializationFailure | DatabaseErrorKind::ClosedConnection
                ) {
                    return true;
                }
                let message = info.message().to_ascii_lowercase();
                [
                    // SQLite
                    "locked",
                    "busy",
                    "disk is full",
                    "disk i/o",
                    "unable to open",
                    "readonly",
                    // PostgreSQL
                    "deadlock detected",
                    "could not extend file",
                    "no space left",
                    "read-only transaction",
                    "terminating connection",
                    "too many clients",
                    "the database system is",
                    "lock timeout",
                    "statement timeout",
                ]
                .iter()
                .any(|sign| message.contains(sign))
            }
            DbError::Query(diesel::result::Error::BrokenTransactionManager) => true,
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

/// Runs `work` in one write transaction: all of it is saved, or none.
///
/// On SQLite, `BEGIN IMMEDIATE` takes the write lock at the start, so a transaction that
/// reads and then writes never fails half-way on a lock upgrade (`SQLITE_BUSY_SNAPSHOT`).
/// On PostgreSQL, writers lock only the rows they change; what must not be done twice by two
/// instances at once is guarded by a unique key or a version check in the statement itself.
pub fn write_tx<T, F>(conn: &mut DbConn, work: F) -> DbResult<T>
where
    F: FnOnce(&mut DbConn) -> DbResult<T>,
{
    match conn {
        DbConn::Postgres(_) => conn.transaction(work),
        DbConn::Sqlite(sqlite) => {
            // What `SqliteConnection::immediate_transaction` does, with `work` given the
            // connection as every query takes it.
            AnsiTransactionManager::begin_transaction_sql(sqlite, "BEGIN IMMEDIATE")?;
            match work(conn) {
                Ok(value) => {
                    <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
                    Ok(value)
                }
                Err(error) => {
                    <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
                    Err(error)
                }
            }
        }
    }
}

/// Which backend a connection speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn of(conn: &DbConn) -> Backend {
        match conn {
            DbConn::Postgres(_) => Backend::Postgres,
            DbConn::Sqlite(_) => Backend::Sqlite,
        }
    }
}

/// Whether the database answers (the health check).
pub fn ping(conn: &mut DbConn) -> DbResult<()> {
    diesel::sql_query("SELECT 1").execute(conn)?;
    Ok(())
}

/// Whether the database takes a write now, waiting a moment at most (the readiness check):
/// SQLite's write lock taken and given back at once; PostgreSQL not in recovery (a standby
/// answers reads but refuses every write).
pub fn writable(conn: &mut DbConn) -> DbResult<()> {
    use diesel::connection::SimpleConnection;
    match conn {
        DbConn::Sqlite(sqlite) => {
            sqlite.batch_execute("PRAGMA busy_timeout = 250;")?;
            let probed = sqlite.batch_execute("BEGIN IMMEDIATE; ROLLBACK;");
            // The pool's connections wait 5 s for a busy file (see `database::Pragmas`).
            sqlite.batch_execute("PRAGMA busy_timeout = 5000;")?;
            Ok(probed?)
        }
        DbConn::Postgres(pg) => {
            #[derive(diesel::QueryableByName)]
            struct Recovery {
                #[diesel(sql_type = diesel::sql_types::Bool)]
                in_recovery: bool,
            }
            let state: Recovery =
                diesel::sql_query("SELECT pg_is_in_recovery() AS in_recovery").get_result(pg)?;
            if state.in_recovery {
                Err(DbError::Pool(
                    "the PostgreSQL server is a read-only standby".into(),
                ))
            } else {
                Ok(())
            }
        }
    }
}
