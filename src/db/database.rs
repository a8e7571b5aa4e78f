//! The database as the rest of the program holds it: the pool of connections (SQLite with
//! its pragmas, or PostgreSQL) with their migrations, and the search index derived from it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::RunQueryDsl;
use diesel::connection::SimpleConnection;
use diesel::r2d2::event::{CheckoutEvent, TimeoutEvent};
use diesel::r2d2::{CustomizeConnection, HandleEvent, Pool};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::address::DatabaseAddress;
use super::connection::{Backend, DbConn, DbError, DbResult, Manager, PooledConn};
use super::search::{self, SearchIndex};

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
/// The advisory lock held while migrating PostgreSQL: instances starting together migrate
/// once, the others wait and find nothing left to do.
const MIGRATION_LOCK: i64 = 0x0073_6168_6966_616d;

/// Connections per instance when `--pool-size` is not given: SQLite has one writer at a
/// time and readers that need no server slot; a PostgreSQL server divides its
/// `max_connections` (100 by default) among the instances.
pub const DEFAULT_POOL_SIZE: u32 = 8;

/// One connection of its own to the database at `address` (no pool, no search index): for
/// tools that work beside a serving server, like copying a site.
pub fn connect(address: &DatabaseAddress) -> Result<DbConn, OpenError> {
    use diesel::Connection;
    let conn = match address {
        DatabaseAddress::File(path) => {
            if !path.is_file() {
                return Err(OpenError(format!("no database at {}", path.display())));
            }
            let url = path
                .to_str()
                .ok_or_else(|| OpenError("the path is not valid UTF-8".to_owned()))?;
            let mut sqlite = diesel::SqliteConnection::establish(url)
                .map_err(|e| OpenError(format!("cannot open {}: {e}", path.display())))?;
            sqlite
                .batch_execute("PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON;")
                .map_err(|e| OpenError(e.to_string()))?;
            DbConn::Sqlite(sqlite)
        }
        DatabaseAddress::Postgres { url, .. } => DbConn::Postgres(
            diesel::PgConnection::establish(url)
                .map_err(|e| OpenError(format!("cannot open {}: {e}", address.describe())))?,
        ),
    };
    Ok(conn)
}

/// A fresh SQLite database in memory with the schema in place (unit tests).
pub fn in_memory() -> DbResult<DbConn> {
    use diesel::Connection;
    let mut conn = DbConn::Sqlite(
        diesel::SqliteConnection::establish(":memory:")
            .map_err(|e| DbError::Pool(e.to_string()))?,
    );
    migrate(&mut conn).map_err(DbError::File)?;
    Ok(conn)
}

/// [`in_memory`] with one section (id 1), for tests of the queries on articles.
#[cfg(test)]
pub(crate) fn in_memory_with_a_section() -> DbConn {
    let mut conn = in_memory().unwrap();
    diesel::sql_query("INSERT INTO sections (id, slug, name, position) VALUES (1, 'a', 'أ', 0)")
        .execute(&mut conn)
        .unwrap();
    conn
}

/// Inserts article `id` in the section of [`in_memory_with_a_section`], with no text: what
/// tests of the queries on articles vary is its byline, status and time.
#[cfg(test)]
pub(crate) fn insert_bare_article(
    conn: &mut DbConn,
    id: i64,
    author: &str,
    status: crate::core::article::Status,
    published_at: i64,
) {
    use super::articles::{ArticleContent, NewArticle, insert};
    insert(
        conn,
        &NewArticle {
            id,
            created_at: 0,
            content: ArticleContent {
                section_id: 1,
                title: "عنوان",
                summary: "",
                body: "",
                body_html: super::stored_html::StoredHtml::compress(""),
                author,
                status,
                published_at,
                updated_at: 0,
                lead_picture_id: None,
            },
        },
    )
    .unwrap();
}

/// Brings the schema of the database behind `conn` up to date, with that backend's
/// migrations.
pub fn migrate(conn: &mut DbConn) -> Result<(), String> {
    let failed = |e: Box<dyn std::error::Error + Send + Sync>| e.to_string();
    match conn {
        DbConn::Sqlite(sqlite) => sqlite
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map(drop)
            .map_err(failed),
        DbConn::Postgres(pg) => {
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
                .execute(pg)
                .map_err(|e| e.to_string())?;
            let migrated = pg
                .run_pending_migrations(POSTGRES_MIGRATIONS)
                .map(drop)
                .map_err(failed);
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"))
                .execute(pg)
                .map_err(|e| e.to_string())?;
            migrated
        }
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
        let settings = match Backend::of(conn) {
            // busy_timeout first, so that the following statements already wait on a busy
            // file instead of failing. WAL lets readers proceed while the view-count flush
            // writes.
            // cache_size: 512 KB of pages per connection (SQLite's default is 2 MB): the
            // operating system caches the file too, a long-tail read misses either way, and
            // eight connections of 2 MB were an eighth of the server's memory.
            Backend::Sqlite => {
                "PRAGMA busy_timeout = 5000;
                 PRAGMA journal_mode = WAL;
                 PRAGMA synchronous = NORMAL;
                 PRAGMA foreign_keys = ON;
                 PRAGMA cache_size = -500;"
            }
            // The same bound on waiting: a request never hangs on a lock for long.
            Backend::Postgres => "SET lock_timeout = '5s'; SET statement_timeout = '30s';",
        };
        conn.batch_execute(settings)
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// How long requests waited for a pooled connection: the first sign that the pool (or
/// the database behind it) is the bottleneck. Counted by the pool's event handler.
#[derive(Debug, Default)]
pub struct PoolWaits {
    checkouts: AtomicU64,
    waited_micros: AtomicU64,
    timeouts: AtomicU64,
}

/// A snapshot of [`PoolWaits`] and of the pool now, for `/metrics`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolReport {
    pub checkouts: u64,
    pub waited: Duration,
    pub timeouts: u64,
    pub connections: u32,
    pub idle: u32,
}

#[derive(Debug)]
struct CountWaits(Arc<PoolWaits>);

impl HandleEvent for CountWaits {
    fn handle_checkout(&self, event: CheckoutEvent) {
        self.0.checkouts.fetch_add(1, Ordering::Relaxed);
        let micros = u64::try_from(event.duration().as_micros()).unwrap_or(u64::MAX);
        self.0.waited_micros.fetch_add(micros, Ordering::Relaxed);
    }

    fn handle_timeout(&self, _event: TimeoutEvent) {
        self.0.timeouts.fetch_add(1, Ordering::Relaxed);
    }
}

/// The site's database: the pool of connections, and the search index derived from it.
/// Cheap to clone.
#[derive(Clone)]
pub struct Database {
    pool: Pool<Manager>,
    waits: Arc<PoolWaits>,
    search: Arc<SearchIndex>,
    /// How many articles opening indexed, if the index had to be built then.
    indexed_at_open: Option<usize>,
    /// Where uploads are kept as uploaded, if the operator asked for that.
    originals: Option<Arc<Path>>,
    address: Arc<DatabaseAddress>,
}

impl Database {
    /// Opens the database (creating the SQLite file if needed), brings its schema up to
    /// date, and opens this instance's search index (`<file>.search/`, or in the state
    /// folder), building it if it is missing or unreadable and catching it up otherwise.
    pub fn open(address: &DatabaseAddress, pool_size: u32) -> Result<Database, OpenError> {
        let (url, what) = match address {
            DatabaseAddress::File(path) => {
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
                (url.to_owned(), path.display().to_string())
            }
            DatabaseAddress::Postgres { url, state_dir } => {
                std::fs::create_dir_all(state_dir).map_err(|e| {
                    OpenError(format!("cannot create {}: {e}", state_dir.display()))
                })?;
                (url.clone(), address.describe())
            }
        };
        let waits = Arc::new(PoolWaits::default());
        let pool = Pool::builder()
            .max_size(pool_size.max(1))
            .event_handler(Box::new(CountWaits(waits.clone())))
            .connection_timeout(Duration::from_secs(10))
            .connection_customizer(Box::new(Pragmas))
            .build(Manager::new(url))
            .map_err(|e| OpenError(format!("cannot open {what}: {e}")))?;
        let mut conn = pool
            .get()
            .map_err(|e| OpenError(format!("cannot open {what}: {e}")))?;
        migrate(&mut conn).map_err(|e| OpenError(format!("cannot prepare {what}: {e}")))?;
        let dir = address.beside(".search");
        let (search, opened) = SearchIndex::open(&dir, &mut conn)
            .map_err(|e| OpenError(format!("cannot open {}: {e}", dir.display())))?;
        let indexed_at_open = match opened {
            search::Opened::Rebuilt(articles) => {
                tracing::info!(articles, "built the search index");
                Some(articles)
            }
            search::Opened::Current { caught_up } => {
                if caught_up > 0 {
                    tracing::info!(changes = caught_up, "brought the search index up to date");
                }
                None
            }
        };
        Ok(Database {
            pool,
            waits,
            search: Arc::new(search),
            indexed_at_open,
            originals: None,
            address: Arc::new(address.clone()),
        })
    }

    /// [`Database::open`] on an SQLite file with the default pool (tools and tests).
    pub fn open_file(path: &Path) -> Result<Database, OpenError> {
        Database::open(&DatabaseAddress::File(path.to_owned()), DEFAULT_POOL_SIZE)
    }

    /// Where the database is.
    pub fn address(&self) -> &DatabaseAddress {
        &self.address
    }

    /// From now on, uploads are also kept as uploaded in `dir` (`--keep-originals`): files
    /// beside the database like the search index, but outside it, so never in its backups.
    pub fn keep_originals_in(&mut self, dir: PathBuf) {
        self.originals = Some(dir.into());
    }

    /// Where uploads are kept as uploaded, if they are.
    pub fn originals_dir(&self) -> Option<&Path> {
        self.originals.as_deref()
    }

    /// How many articles were indexed while opening, if the index was missing, unreadable
    /// or behind (then it has just been rebuilt).
    pub fn indexed_at_open(&self) -> Option<usize> {
        self.indexed_at_open
    }

    /// The search index.
    pub fn search(&self) -> &SearchIndex {
        &self.search
    }

    /// Waits for connections so far, and the pool's size now.
    pub fn pool_report(&self) -> PoolReport {
        let state = self.pool.state();
        PoolReport {
            checkouts: self.waits.checkouts.load(Ordering::Relaxed),
            waited: Duration::from_micros(self.waits.waited_micros.load(Ordering::Relaxed)),
            timeouts: self.waits.timeouts.load(Ordering::Relaxed),
            connections: state.connections,
            idle: state.idle_connections,
        }
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
        self.run_with_search(move |conn, _| work(conn)).await
    }

    /// [`Database::run`], with the search index at hand too.
    pub async fn run_with_search<T, E, F>(&self, work: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn, &SearchIndex) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        let search = self.search.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(DbError::from)?;
            work(&mut conn, &search)
        })
        .await
        .map_err(|e| E::from(DbError::Task(e.to_string())))?
    }
}

#[cfg(test)]
mod tests {
    use diesel::sql_types::Text;
    use diesel::{Connection, QueryableByName};

    use super::*;

    #[derive(QueryableByName)]
    struct CompileOption {
        #[diesel(sql_type = Text)]
        compile_options: String,
    }

    /// `.cargo/config.toml` says how the bundled SQLite is built; a build that lost those
    /// flags would still work, only slower, so nothing else would notice.
    #[test]
    fn sqlite_is_built_with_the_project_s_flags() {
        let mut conn = DbConn::establish(":memory:").unwrap();
        let options: Vec<String> = diesel::sql_query("PRAGMA compile_options")
            .load::<CompileOption>(&mut conn)
            .unwrap()
            .into_iter()
            .map(|o| o.compile_options)
            .collect();
        for wanted in ["ENABLE_QPSG", "DEFAULT_MEMSTATUS=0", "THREADSAFE=2"] {
            assert!(
                options.iter().any(|o| o == wanted),
                "{wanted} not in {options:?}"
            );
        }
    }
}
