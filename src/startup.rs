//! Builds the application: database, demo content, listener, actix `App`, and the
//! background flush of view counts. Tests use `Application::build` with port 0 to run the
//! real server, exactly as the binary does.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{DefaultHeaders, ErrorHandlers};
use actix_web::{App, HttpServer, web};

use crate::arabic::dates::DateFormatter;
use crate::assets::AssetUrls;
use crate::auth::secret::SecretKey;
use crate::auth::throttle::LoginThrottle;
use crate::config::{Settings, base_url_for};
use crate::counter::ViewCounter;
use crate::db::{self, DbPool, sections};
use crate::error::render_error_page;
use crate::routes;
use crate::state::{AppState, AuthState, SectionCache, Site};

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
    port: u16,
    base_url: String,
    server: Server,
    state: web::Data<AppState>,
    flush_interval: Duration,
}

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

impl Application {
    pub async fn build(settings: Settings) -> Result<Application, StartupError> {
        let database = settings.database.clone();
        let with_demo = settings.demo;
        // Opening, migrating and seeding touch the disk: off the async executor like any
        // other database work.
        let secret_key = settings.secret_key.clone();
        let (pool, sections, first_admin_password, key) =
            web::block(move || -> Result<_, StartupError> {
                let pool = db::open(&database).map_err(|e| StartupError {
                    option: Some("--database"),
                    message: e.to_string(),
                })?;
                let mut conn = pool.get().map_err(|e| StartupError {
                    option: Some("--database"),
                    message: e.to_string(),
                })?;
                let seeded = crate::demo::seed(&mut conn, with_demo).map_err(|e| StartupError {
                    option: Some("--database"),
                    message: format!("cannot write to {}: {e}", database.display()),
                })?;
                if seeded > 0 {
                    tracing::info!(articles = seeded, "inserted demo content");
                }
                // A database from before the search index, or indexed by an older normaliser.
                let reindexed =
                    db::search::ensure_current(&mut conn).map_err(|e| StartupError {
                        option: Some("--database"),
                        message: format!("cannot build the search index: {e}"),
                    })?;
                if let Some(articles) = reindexed {
                    tracing::info!(articles, "rebuilt the search index");
                }
                let sections = sections::all(&mut conn).map_err(|e| StartupError {
                    option: Some("--database"),
                    message: e.to_string(),
                })?;
                let first_admin_password =
                    crate::accounts::ensure_first_admin(&mut conn).map_err(|e| StartupError {
                        option: Some("--database"),
                        message: e.to_string(),
                    })?;
                let key = match secret_key {
                    Some(key) => key,
                    None => SecretKey::load(&database).map_err(|message| StartupError {
                        option: Some("SAHIFA_SECRET_KEY"),
                        message,
                    })?,
                };
                // Hash the timing decoy now, not during someone's first login.
                crate::auth::password::warm_up();
                Ok((pool, sections, first_admin_password, key))
            })
            .await
            .map_err(|e| StartupError {
                option: None,
                message: e.to_string(),
            })??;

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
                crate::accounts::FIRST_ADMIN_USERNAME
            );
        }

        let state = web::Data::new(AppState {
            pool,
            auth: AuthState {
                key,
                throttle: LoginThrottle::default(),
                idle_timeout_seconds: settings.session_idle_timeout.as_secs() as i64,
                secure_cookies: base_url.starts_with("https://"),
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
                assets: AssetUrls::new(),
            },
            sections: SectionCache::new(sections),
            most_read: crate::most_read::MostReadCache::new(settings.most_read_refresh),
            // An article page shows "most read": never keep it longer than that list.
            article_pages: crate::page_cache::ArticlePageCache::new(
                crate::page_cache::ARTICLE_PAGE_TTL.min(settings.most_read_refresh),
                crate::page_cache::ARTICLE_PAGE_BUDGET,
            ),
            list_pages: crate::rendered_pages::RenderedPages::new(
                settings.list_page_ttl.min(settings.most_read_refresh),
                2,
            ),
            search_pages: crate::rendered_pages::RenderedPages::new(
                settings.list_page_ttl.min(settings.most_read_refresh),
                2,
            ),
        });
        crate::compression::prepare_static_files();
        let server = run_server(listener, state.clone()).map_err(|e| StartupError {
            option: Some("--bind"),
            message: e.to_string(),
        })?;
        Ok(Application {
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

    pub fn pool(&self) -> DbPool {
        self.state.pool.clone()
    }

    /// Stops the server gracefully, as SIGTERM does.
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped (SIGINT, SIGTERM or `handle().stop()`), then
    /// writes the views still pending, so a graceful restart loses none.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let flusher = tokio::spawn(flush_views_periodically(
            self.state.clone(),
            self.flush_interval,
        ));
        let served = self.server.await;
        flusher.abort();
        let state = self.state.clone();
        match web::block(move || flush_views(&state)).await {
            Ok(Ok(())) => tracing::info!("view counts saved; stopped"),
            Ok(Err(e)) => tracing::error!(error = %e, "could not save view counts at shutdown"),
            Err(e) => tracing::error!(error = %e, "could not save view counts at shutdown"),
        }
        served
    }
}

fn run_server(listener: TcpListener, state: web::Data<AppState>) -> std::io::Result<Server> {
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .wrap(ErrorHandlers::new().default_handler(render_error_page))
            .wrap(security_headers())
            .wrap(actix_web::middleware::from_fn(
                crate::compression::compress_pages,
            ))
            .configure(routes::configure)
            .default_service(web::to(routes::not_found))
    })
    .shutdown_timeout(10)
    // Database work runs on each worker's blocking threads (AppState::db). actix allows
    // hundreds; with 64 concurrent readers that many threads queued for 8 SQLite
    // connections, each with its own malloc arena (+165 MB RSS at 100,000 articles) and
    // futex traffic. As many as the pool has connections is enough (docs/BENCHMARKS.md).
    .worker_max_blocking_threads(4)
    .listen(listener)?
    .run();
    Ok(server)
}

/// Writes all pending view counts in one transaction. Blocking.
pub fn flush_views(state: &AppState) -> Result<(), diesel::result::Error> {
    let day = db::views::day_number(db::now_timestamp());
    state
        .views
        .flush_with(|pending| {
            let mut conn = state
                .pool
                .get()
                .map_err(|e| diesel::result::Error::QueryBuilderError(Box::new(e)))?;
            db::views::add_views(&mut conn, pending, day)
        })
        .map(|_| ())
}

async fn flush_views_periodically(state: web::Data<AppState>, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let state = state.clone();
        match web::block(move || flush_views(&state)).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "view counts not saved yet; will retry"),
            Err(e) => tracing::warn!(error = %e, "view count flush did not run; will retry"),
        }
    }
}
