//! The database as the rest of the program holds it: the pool of SQLite connections with
//! their pragmas and migrations, and the search index derived from it.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::r2d2::event::{CheckoutEvent, TimeoutEvent};
use diesel::r2d2::{CustomizeConnection, HandleEvent, Pool};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::connection::{DbConn, DbError, DbResult, Manager, PooledConn};
use super::search::{self, SearchIndex};

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

/// The site's database: the pool of connections to SQLite, and the search index derived
/// from it. Cheap to clone.
#[derive(Clone)]
pub struct Database {
    pool: Pool<Manager>,
    waits: Arc<PoolWaits>,
    search: Arc<SearchIndex>,
    /// How many articles opening indexed, if the index had to be built then.
    indexed_at_open: Option<usize>,
    /// Where uploads are kept as uploaded, if the operator asked for that.
    originals: Option<Arc<Path>>,
}

impl Database {
    /// Opens (creating if needed) the SQLite file, brings its schema up to date, and opens
    /// the search index beside it (`<file>.search/`), building it if it is missing,
    /// unreadable or behind the articles.
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
        let waits = Arc::new(PoolWaits::default());
        let pool = Pool::builder()
            .max_size(8)
            .event_handler(Box::new(CountWaits(waits.clone())))
            .connection_timeout(Duration::from_secs(10))
            .connection_customizer(Box::new(Pragmas))
            .build(Manager::new(url))
            .map_err(|e| OpenError(format!("cannot open {}: {e}", path.display())))?;
        let mut conn = pool
            .get()
            .map_err(|e| OpenError(format!("cannot open {}: {e}", path.display())))?;
        conn.run_pending_migrations(MIGRATIONS)
            .map_err(|e| OpenError(format!("cannot prepare {}: {e}", path.display())))?;
        let dir = search::index_dir(path);
        let (search, opened) = SearchIndex::open(&dir, &mut conn)
            .map_err(|e| OpenError(format!("cannot open {}: {e}", dir.display())))?;
        let indexed_at_open = match opened {
            search::Opened::Rebuilt(articles) => {
                tracing::info!(articles, "built the search index");
                Some(articles)
            }
            search::Opened::Current => None,
        };
        Ok(Database {
            pool,
            waits,
            search: Arc::new(search),
            indexed_at_open,
            originals: None,
        })
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
