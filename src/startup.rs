//! Builds the application: database, demo content, listener, actix `App`, and the
//! background flush of view counts. Tests use `Application::build` with port 0 to run the
//! real server, exactly as the binary does.

use std::net::TcpListener;
use std::sync::Arc;
use std::task::Poll;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{DefaultHeaders, ErrorHandlers};
use actix_web::web::Data;
use actix_web::{App, HttpServer};

use crate::app::{accounts, demo, originals, sections};
use crate::config::{Settings, base_url_for};
use crate::core::arabic::dates::DateFormatter;
use crate::core::password;
use crate::core::site::Site;
use crate::core::user::SessionPolicy;
use crate::db::{Database, DatabaseAddress};
use crate::runtime::article_pages::{ARTICLE_PAGE_BUDGET, ARTICLE_PAGE_TTL, ArticlePageCache};
use crate::runtime::bylines::Bylines;
use crate::runtime::front_pages::FrontPages;
use crate::runtime::latest_lists::LatestLists;
use crate::runtime::list_pages::{ListPageCache, WhenBusy};
use crate::runtime::most_read::MostReadCache;
use crate::runtime::pending_views;
use crate::runtime::related::{RELATED_BUDGET, RelatedArticles};
use crate::runtime::secret_key::SecretKey;
use crate::runtime::section_cache::SectionCache;
use crate::runtime::server_lock::ServerLock;
use crate::runtime::state::{AppState, AuthState};
use crate::runtime::view_counter::ViewCounter;
use crate::web;
use crate::web::error::render_error_page;

/// Caps glibc's malloc arenas at two. By default glibc gives each thread that allocates
/// its own arena (up to 8 per core), and memory freed in one is not reused by the others:
/// under varied searches on eight blocking threads that held 123 MB where 46 MB do
/// (docs/BENCHMARKS.md). An operator's own `MALLOC_ARENA_MAX` (read by glibc) wins. Call it
/// first thing, before any thread is started.
pub fn limit_memory() {
    if std::env::var_os("MALLOC_ARENA_MAX").is_some() {
        return;
    }
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets an allocator parameter; called before other threads exist.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}

/// Gives the memory freed so far back to the system. Building the search index at start
/// (a new index format, a copied database) passes through ~150 MB that malloc keeps after
/// it is freed: the server would then hold that much for its whole life while serving in a
/// third of it.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free pages of the heap to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Why the server could not start, naming the setting at fault when there is one.
#[derive(Debug)]
pub struct StartupError {
    pub option: Option<&'static str>,
    pub message: String,
}

impl std::fmt::Display for StartupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.option {
            Some(option) => write!(f, "{option}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for StartupError {}

pub struct Application {
    /// This process serves the database alone while the application lives.
    _lock: ServerLock,
    /// The database file (its side file of pending views is beside it).
    database: std::path::PathBuf,
    port: u16,
    base_url: String,
    server: Server,
    state: Data<AppState>,
    flush_interval: Duration,
}

/// How long a stopping server keeps trying to write the pending view counts.
const SHUTDOWN_FLUSH_DEADLINE: Duration = Duration::from_secs(10);

/// How long a search waits for a free slot before it is refused: a moment's burst is
/// absorbed, an overload is answered at once.
const SEARCH_WAIT: Duration = Duration::from_millis(250);

/// Headers on every response, error pages included.
fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "strict-origin-when-cross-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add((
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'",
        ))
}

/// The database, with its first-start content, a current search index and the first
/// admin; what start-up needs of it. Any failure names `--database`.
async fn prepare_database(
    settings: &Settings,
) -> Result<(Database, Vec<crate::core::section::Section>, Option<String>), StartupError> {
    let database_error = |message: String| StartupError {
        option: Some("--database"),
        message,
    };
    let (address, pool_size) = (settings.database.clone(), settings.pool_size);
    // Opening and migrating touch the disk: off the async executor like any other
    // database work.
    let mut db = tokio::task::spawn_blocking(move || Database::open(&address, pool_size))
        .await
        .map_err(|e| database_error(e.to_string()))?
        .map_err(|e| database_error(e.to_string()))?;
    if db.indexed_at_open().is_some() {
        release_freed_memory();
    }
    if settings.keep_originals {
        let dir = originals::dir_beside(&settings.database.local_stem());
        tracing::info!(dir = %dir.display(), "keeping uploaded pictures as uploaded");
        db.keep_originals_in(dir);
    }
    let seeded = demo::prepare_first_start(&db, settings.demo)
        .await
        .map_err(|e| {
            database_error(format!(
                "cannot write to {}: {e}",
                settings.database.describe()
            ))
        })?;
    if seeded > 0 {
        tracing::info!(articles = seeded, "inserted demo content");
    }
    // Views the last run could not write at its end.
    let saved = {
        let (db, path) = (db.clone(), settings.database.local_stem());
        tokio::task::spawn_blocking(move || pending_views::apply_saved(&db, &path))
            .await
            .map_err(|e| database_error(e.to_string()))?
            .map_err(|e| database_error(format!("cannot add the views the last run kept: {e}")))?
    };
    if saved > 0 {
        tracing::info!(
            visits = saved,
            "added the views the last run kept in its side file"
        );
    }
    let sections = sections::all(&db)
        .await
        .map_err(|e| database_error(e.to_string()))?;
    let first_admin_password = accounts::ensure_first_admin(&db)
        .await
        .map_err(|e| database_error(e.to_string()))?;
    Ok((db, sections, first_admin_password))
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        if let DatabaseAddress::Postgres { state_dir, .. } = &settings.database {
            std::fs::create_dir_all(state_dir).map_err(|e| StartupError {
                option: Some("--state-dir"),
                message: format!("cannot create {}: {e}", state_dir.display()),
            })?;
        }
        let lock =
            ServerLock::take(&settings.database.local_stem()).map_err(|message| StartupError {
                option: Some("--database"),
                message,
            })?;
        let (db, sections, first_admin_password) = prepare_database(&settings).await?;
        let key = match settings.secret_key.clone() {
            Some(key) => key,
            None => {
                let address = settings.database.clone();
                let db = db.clone();
                tokio::task::spawn_blocking(move || match &address {
                    DatabaseAddress::File(path) => SecretKey::load(path),
                    DatabaseAddress::Postgres { .. } => db
                        .conn()
                        .map_err(|e| e.to_string())
                        .and_then(|mut conn| SecretKey::shared(&mut conn)),
                })
                .await
                .map_err(|e| e.to_string())
                .and_then(|key| key)
                .map_err(|message| StartupError {
                    option: Some("SAHIFA_SECRET_KEY"),
                    message,
                })?
            }
        };
        // Hash the timing decoy now, not during someone's first login.
        tokio::task::spawn_blocking(password::warm_up)
            .await
            .map_err(|e| StartupError {
                option: None,
                message: e.to_string(),
            })?;

        let listener = TcpListener::bind(settings.bind).map_err(|e| StartupError {
            option: Some("--bind"),
            message: format!("cannot listen on {}: {e}", settings.bind),
        })?;
        let local_addr = listener.local_addr().map_err(|e| StartupError {
            option: Some("--bind"),
            message: e.to_string(),
        })?;
        let base_url = settings
            .base_url
            .clone()
            .unwrap_or_else(|| base_url_for(local_addr));
        if let Some(password) = first_admin_password {
            // Shown once: the account exists from now on and later starts print nothing.
            tracing::warn!(
                "created the first admin account. Sign in at {base_url}/admin/login \
                 with username '{}' and password '{password}', then keep the password safe",
                accounts::FIRST_ADMIN_USERNAME
            );
        }

        let site_pages = crate::app::site_pages::all(&db)
            .await
            .map_err(|e| StartupError {
                option: Some("--database"),
                message: e.to_string(),
            })?;
        let logo = crate::app::site_pages::logo(&db)
            .await
            .map_err(|e| StartupError {
                option: Some("--database"),
                message: e.to_string(),
            })?;
        let list_page_ttl = settings.list_page_ttl.min(settings.most_read_refresh);
        let state = Data::new(AppState {
            db,
            trusted_proxies: settings.trusted_proxies.clone(),
            auth: AuthState {
                key,
                sessions: SessionPolicy {
                    idle_seconds: settings.session_idle_timeout.as_secs() as i64,
                    absolute_seconds: settings.session_lifetime.as_secs() as i64,
                },
                secure_cookies: base_url.starts_with("https://"),
                require_two_factor: settings.require_two_factor,
            },
            views: Arc::new(ViewCounter::new()),
            site: Site {
                name: settings.site_name.clone(),
                base_url: base_url.clone(),
                dates: DateFormatter {
                    tz: settings.timezone,
                    months: settings.months,
                    digits: settings.digits,
                    hijri: settings.hijri,
                },
            },
            sections: SectionCache::new(sections),
            site_pages: crate::runtime::site_pages::SitePagesCache::new(site_pages, logo),
            most_read: MostReadCache::new(settings.most_read_refresh),
            curation: Default::default(),
            latest: LatestLists::new(ARTICLE_PAGE_TTL.min(settings.most_read_refresh)),
            bylines: Bylines::new(ARTICLE_PAGE_TTL.min(settings.most_read_refresh)),
            related: RelatedArticles::new(
                ARTICLE_PAGE_TTL.min(settings.most_read_refresh),
                RELATED_BUDGET,
            ),
            front_pages: FrontPages::new(settings.list_anchor_ttl),
            // An article page shows "most read": never keep it longer than that list.
            article_pages: ArticlePageCache::new(
                ARTICLE_PAGE_TTL.min(settings.most_read_refresh),
                ARTICLE_PAGE_BUDGET,
            ),
            list_pages: ListPageCache::new(list_page_ttl, 2, WhenBusy::Wait),
            sitemap_max_urls: settings.sitemap_max_urls,
            sitemap_batch: settings.sitemap_batch,
            picture_work: tokio::sync::Semaphore::new(1),
            picture_files: crate::runtime::picture_files::PictureFileCache::new(
                crate::runtime::picture_files::PICTURE_FILES_BUDGET,
            ),
            change_feed: Default::default(),
            search_pages: ListPageCache::new(
                list_page_ttl,
                settings.concurrent_searches,
                WhenBusy::Refuse { after: SEARCH_WAIT },
            ),
        });
        web::compression::prepare_static_files();
        let limits = web::slow_clients::ClientLimits::new(
            settings.form_body_deadline,
            settings.upload_body_deadline,
        );
        let server = run_server(listener, state.clone(), limits).map_err(|e| StartupError {
            option: Some("--bind"),
            message: e.to_string(),
        })?;
        Ok(Application {
            _lock: lock,
            database: settings.database.local_stem(),
            port: local_addr.port(),
            base_url,
            server,
            state,
            flush_interval: settings.view_flush_interval,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The database the server runs on (tests read what it stored).
    pub fn database(&self) -> Database {
        self.state.db.clone()
    }

    /// Stops the server gracefully, as SIGTERM does.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped (SIGINT, SIGTERM or `handle().stop()`), then
    /// writes the views still pending, so a graceful restart loses none. If the database
    /// can't take them within `SHUTDOWN_FLUSH_DEADLINE` (a full disk, a lock), they go to
    /// the side file the next start applies, and this ends in an error (a non-zero exit).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let flusher = tokio::spawn(flush_views_periodically(
            self.state.clone(),
            self.flush_interval,
        ));
        let follower = tokio::spawn(crate::runtime::change_feed::follow(
            self.state.clone().into_inner(),
        ));
        // The server starts its workers and takes over SIGTERM and SIGINT when first polled,
        // not when built: say "serving" only after that, so that a stop asked for as soon as
        // the operator (or a test) reads the line is a graceful one, not the default kill.
        let mut server = std::pin::pin!(self.server);
        let first = std::future::poll_fn(|cx| Poll::Ready(server.as_mut().poll(cx))).await;
        let served = match first {
            Poll::Ready(served) => served,
            Poll::Pending => {
                tracing::info!("sahifa is serving: open {}/", self.base_url);
                server.await
            }
        };
        flusher.abort();
        follower.abort();
        let deadline = tokio::time::Instant::now() + SHUTDOWN_FLUSH_DEADLINE;
        let mut wait = Duration::from_millis(100);
        loop {
            match flush_views(&self.state).await {
                Ok(()) => {
                    tracing::info!("view counts saved; stopped");
                    return served;
                }
                Err(e) if tokio::time::Instant::now() + wait < deadline => {
                    tracing::warn!(error = %e, "view counts not saved yet; retrying before exit");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_secs(2));
                }
                Err(e) => {
                    let pending = self.state.views.take_pending();
                    let visits: i64 = pending.iter().map(|(_, n)| n).sum();
                    let day = crate::core::time::day_number(crate::core::time::now_timestamp());
                    let side = pending_views::side_file(&self.database);
                    return match pending_views::save(&self.database, day, &pending) {
                        Ok(()) => {
                            tracing::error!(error = %e, visits, file = %side.display(),
                                "could not save view counts at shutdown: kept in the side \
                                 file, the next start adds them");
                            Err(std::io::Error::other(format!(
                                "{visits} views kept in {} for the next start",
                                side.display()
                            )))
                        }
                        Err(file_error) => {
                            tracing::error!(error = %e, %file_error, visits, ?pending,
                                "could not save view counts at shutdown, nor the side file: \
                                 these counts are only in this log");
                            Err(std::io::Error::other(format!("{visits} views not saved")))
                        }
                    };
                }
            }
        }
    }
}

fn run_server(
    listener: TcpListener,
    state: Data<AppState>,
    limits: web::slow_clients::ClientLimits,
) -> std::io::Result<Server> {
    // Shared by the workers: a client's requests in progress, wherever they landed.
    let in_flight = Data::new(limits);
    let metrics = Data::new(web::metrics::Metrics::default());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .app_data(in_flight.clone())
            .app_data(metrics.clone())
            .wrap(ErrorHandlers::new().default_handler(render_error_page))
            .wrap(security_headers())
            .wrap(actix_web::middleware::from_fn(
                web::compression::compress_pages,
            ))
            .wrap(actix_web::middleware::from_fn(web::slow_clients::guard))
            .wrap(actix_web::middleware::from_fn(web::request_log::log))
            .configure(web::configure)
            .default_service(actix_web::web::to(web::not_found))
    })
    .shutdown_timeout(10)
    // Database work runs on each worker's blocking threads (Database::run). actix allows
    // hundreds; with 64 concurrent readers that many threads queued for 8 SQLite
    // connections, each with its own malloc arena (+165 MB RSS at 100,000 articles) and
    // futex traffic. As many as the pool has connections is enough (docs/BENCHMARKS.md).
    .worker_max_blocking_threads(4)
    .listen(listener)?
    .run();
    Ok(server)
}

/// Writes all pending view counts in one transaction, off the async executor.
async fn flush_views(state: &Data<AppState>) -> Result<(), String> {
    let state = state.clone();
    match tokio::task::spawn_blocking(move || state.views.flush_to(&state.db)).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(e) => Err(e.to_string()),
    }
}

async fn flush_views_periodically(state: Data<AppState>, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut trimmed_at = tokio::time::Instant::now();
    loop {
        ticks.tick().await;
        if let Err(e) = flush_views(&state).await {
            tracing::warn!(error = %e, "view counts not saved yet; will retry");
        }
        if trimmed_at.elapsed() >= TRIM_EVERY {
            trimmed_at = tokio::time::Instant::now();
            let _ = tokio::task::spawn_blocking(release_freed_memory).await;
        }
    }
}

/// How often the memory freed by requests is given back to the system: pages rendered
/// and searches answered free what they allocated, but malloc keeps the holes between
/// what is still used (a few ms to give back; ~15 MB at N = 100,000, docs/BENCHMARKS.md).
const TRIM_EVERY: Duration = Duration::from_secs(10);
