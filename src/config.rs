//! Every setting in one place: the command line, its environment variables and defaults.
//!
//! `Cli` is what clap parses; `Settings` is what the application runs with, built from it
//! once the values have been checked.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand};

use crate::core::arabic::dates::{Digits, MonthStyle};
use crate::core::user::SessionPolicy;
use crate::db::{DEFAULT_POOL_SIZE, DatabaseAddress};
use crate::runtime::list_pages::LIST_PAGE_TTL;
use crate::runtime::most_read::MOST_READ_REFRESH;
use crate::runtime::secret_key::SecretKey;

#[derive(Debug, Parser)]
#[command(
    name = "sahifa",
    version,
    about = "صحيفة — a fast, safe, right-to-left Arabic news website"
)]
pub struct Cli {
    #[command(flatten)]
    pub options: Options,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the site (the default when no command is given).
    Serve,
    /// Create an admin account, or set a new password for it (password from stdin or prompt).
    CreateAdmin { username: String },
    /// Create an editor account, or set a new password for it (password from stdin or prompt).
    CreateEditor { username: String },
    /// Turn off two-factor sign-in for an account whose phone and recovery codes are lost
    /// (it signs in with its password alone until it sets it up again).
    #[command(name = "disable-2fa")]
    DisableTwoFactor { username: String },
    /// Write a consistent copy of the database while it is being served (and a copy of
    /// its key file beside it), then check the copy.
    Backup {
        /// The new file to write (must not exist).
        path: std::path::PathBuf,
    },
    /// Check the database file: SQLite's integrity and foreign-key checks.
    Check,
    /// Rebuild the search index from the articles in the database.
    Reindex,
    /// Copy a whole site to another database (an SQLite file to PostgreSQL, or back):
    /// articles, sections, users, pictures, view counts, revisions, the audit log; rows
    /// counted on both sides at the end. Refuses a target that already holds a site.
    CopyDatabase {
        /// The site to copy: an SQLite file or a postgres:// URL.
        #[arg(long)]
        from: String,
        /// Where to: an SQLite file (created) or a postgres:// URL (its database must exist).
        #[arg(long)]
        to: String,
        /// Also copy the sign-ins in progress (sessions, password-reset links).
        #[arg(long)]
        with_sessions: bool,
        /// Empty a target that already holds a site, then copy.
        #[arg(long)]
        replace: bool,
    },
    /// Add generated articles (for benchmarks and trying a large archive).
    Seed {
        /// How many published articles to add.
        #[arg(long)]
        articles: usize,
        /// Seed of the random generator: the same seed gives the same articles.
        #[arg(long, default_value_t = 1)]
        rng_seed: u64,
        /// Spread publication times over this many weeks before now (five years).
        #[arg(long, default_value_t = 260)]
        weeks: u32,
    },
}

#[derive(Debug, Clone, Args)]
pub struct Options {
    /// Address and port to listen on.
    #[arg(
        long,
        env = "SAHIFA_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,

    /// SQLite database file (created with its tables when missing), or a PostgreSQL server
    /// shared by several instances: postgres://user:password@host/database.
    #[arg(
        long,
        env = "SAHIFA_DATABASE",
        default_value = "sahifa.db",
        global = true
    )]
    pub database: String,

    /// With PostgreSQL: the folder where this instance keeps its own files (its search
    /// index, views not yet written at a failed shutdown, originals). One per instance.
    #[arg(long, env = "SAHIFA_STATE_DIR", global = true)]
    pub state_dir: Option<PathBuf>,

    /// Database connections this instance keeps open at most (default 8; with PostgreSQL,
    /// keep instances × pool size below the server's max_connections).
    #[arg(long, env = "SAHIFA_POOL_SIZE", value_parser = clap::value_parser!(u32).range(1..=200), global = true)]
    pub pool_size: Option<u32>,

    /// Public address of the site, used in permalinks and feeds (default: from --bind).
    #[arg(long, env = "SAHIFA_BASE_URL", global = true)]
    pub base_url: Option<String>,

    /// Newsroom time zone for displayed dates and the admin's date fields.
    #[arg(
        long,
        env = "SAHIFA_TIMEZONE",
        default_value = "Asia/Damascus",
        global = true
    )]
    pub timezone: Tz,

    /// Do not insert demo articles into an empty database.
    #[arg(long = "no-demo", global = true)]
    pub no_demo: bool,

    /// Month names: levantine (كانون الثاني), egyptian (يناير) or both.
    #[arg(
        long,
        env = "SAHIFA_MONTHS",
        default_value = "levantine",
        global = true
    )]
    pub months: MonthStyle,

    /// Digits in displayed text: western (2017) or arabic (٢٠١٧).
    #[arg(long, env = "SAHIFA_DIGITS", default_value = "western", global = true)]
    pub digits: Digits,

    /// Also show the Hijri date beside the Gregorian one.
    #[arg(long, env = "SAHIFA_HIJRI", global = true)]
    pub hijri: bool,

    /// Minutes of inactivity after which an admin session ends.
    #[arg(long, env = "SAHIFA_SESSION_IDLE_MINUTES", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..=720), global = true)]
    pub session_idle_minutes: u32,

    /// Name of the site, shown in the header and page titles.
    #[arg(long, env = "SAHIFA_SITE_NAME", default_value = "صحيفة", global = true)]
    pub site_name: String,

    /// Also keep each uploaded picture exactly as uploaded, metadata included, in
    /// <database>.originals/ (never served, not in database backups).
    #[arg(long, env = "SAHIFA_KEEP_ORIGINALS", global = true)]
    pub keep_originals: bool,
    /// Admins must sign in with a code from an authenticator app too: an admin without
    /// one is sent to set it up before anything else.
    #[arg(long = "require-2fa", env = "SAHIFA_REQUIRE_2FA", global = true)]
    pub require_two_factor: bool,
    /// A reverse proxy (address or network) whose X-Forwarded-For names the client, for the
    /// sign-in throttle and the audit log; repeat it or separate with commas. Nobody
    /// else's forwarding headers are believed.
    #[arg(
        long = "trusted-proxy",
        env = "SAHIFA_TRUSTED_PROXY",
        value_delimiter = ',',
        value_parser = crate::web::client_address::parse_trusted_proxy,
        global = true
    )]
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

/// What the application runs with, after every value has been checked.
#[derive(Debug, Clone)]
pub struct Settings {
    pub bind: SocketAddr,
    pub database: DatabaseAddress,
    /// Connections in the pool (`--pool-size`).
    pub pool_size: u32,
    /// Without a trailing slash. `None`: derived from the address actually bound.
    pub base_url: Option<String>,
    pub timezone: Tz,
    pub demo: bool,
    pub months: MonthStyle,
    pub digits: Digits,
    pub hijri: bool,
    pub site_name: String,
    /// Keep uploads as uploaded in `<database>.originals/` (off: only our re-encoded files
    /// exist, and the GPS position or camera serial of an upload is gone once processed).
    pub keep_originals: bool,
    /// Admins must sign in with two factors (`--require-2fa`).
    pub require_two_factor: bool,
    /// Proxies whose forwarding headers are believed (`--trusted-proxy`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// How long a form's body, and an upload's, may take to arrive.
    pub form_body_deadline: Duration,
    pub upload_body_deadline: Duration,
    /// How often pending view counts are written to the database.
    pub view_flush_interval: Duration,
    /// How long the "most read" list is reused before it is computed again.
    /// How long rendered home, section and search pages are reused (zero: never).
    pub list_page_ttl: Duration,
    /// Searches answered at once; one more waits a moment for a turn, then is refused
    /// with 503 and `Retry-After`, never queued until it times out (zero refuses every
    /// search: maintenance and tests).
    pub concurrent_searches: usize,
    /// URLs per sitemap document: the sitemap protocol's limit (tests use a few).
    pub sitemap_max_urls: i64,
    /// Articles read and sent per step of a sitemap (tests use a few).
    pub sitemap_batch: i64,
    /// How long the anchors of deep list pages are kept when nothing in the newsroom
    /// changes (zero: read again for every page; tests that write rows directly).
    pub list_anchor_ttl: Duration,
    pub most_read_refresh: Duration,
    /// Inactivity after which an admin session ends.
    pub session_idle_timeout: Duration,
    /// However active, an admin session ends this long after sign-in.
    pub session_lifetime: Duration,
    /// Signs CSRF tokens. `None`: from SAHIFA_SECRET_KEY or the key file beside the database.
    pub secret_key: Option<SecretKey>,
}

/// Two workers with four blocking threads each: all of them may be searching (a search
/// takes a millisecond or two; article pages are served from memory meanwhile).
const CONCURRENT_SEARCHES: usize = 8;

/// Anchors follow every newsroom change at once; this only bounds how long a change made
/// behind its back (by hand in the database) can shift deep pages.
const LIST_ANCHOR_TTL: Duration = Duration::from_secs(300);

const DEFAULT_SESSION_LIFETIME: Duration =
    Duration::from_secs(SessionPolicy::DEFAULT_ABSOLUTE_SECONDS as u64);

/// A setting that cannot be used, named as the operator typed it.
#[derive(Debug)]
pub struct ConfigError {
    pub option: &'static str,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.option, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Settings {
    pub fn from_options(options: &Options) -> Result<Self, ConfigError> {
        let base_url = options
            .base_url
            .as_deref()
            .map(parse_base_url)
            .transpose()?;
        Ok(Settings {
            bind: options.bind,
            database: DatabaseAddress::parse(&options.database, options.state_dir.clone()),
            pool_size: options.pool_size.unwrap_or(DEFAULT_POOL_SIZE),
            base_url,
            timezone: options.timezone,
            demo: !options.no_demo && demo_enabled_by_env(),
            months: options.months,
            digits: options.digits,
            hijri: options.hijri,
            site_name: options.site_name.clone(),
            keep_originals: options.keep_originals,
            require_two_factor: options.require_two_factor,
            trusted_proxies: options.trusted_proxies.clone(),
            form_body_deadline: crate::web::slow_clients::FORM_BODY_DEADLINE,
            upload_body_deadline: crate::web::slow_clients::UPLOAD_BODY_DEADLINE,
            view_flush_interval: Duration::from_secs(1),
            most_read_refresh: MOST_READ_REFRESH,
            list_page_ttl: LIST_PAGE_TTL,
            list_anchor_ttl: LIST_ANCHOR_TTL,
            concurrent_searches: CONCURRENT_SEARCHES,
            sitemap_max_urls: crate::views::feeds::SITEMAP_MAX_URLS,
            sitemap_batch: crate::views::feeds::SITEMAP_BATCH,
            session_idle_timeout: Duration::from_secs(u64::from(options.session_idle_minutes) * 60),
            session_lifetime: DEFAULT_SESSION_LIFETIME,
            secret_key: None,
        })
    }

    /// Settings for tests and tools: port 0, the given database, no demo content.
    pub fn for_database(database: DatabaseAddress) -> Self {
        // Also used by tests, which want counts flushed quickly.
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            database,
            pool_size: DEFAULT_POOL_SIZE,
            base_url: None,
            timezone: chrono_tz::Asia::Damascus,
            demo: false,
            months: MonthStyle::default(),
            digits: Digits::default(),
            hijri: false,
            site_name: "صحيفة".to_owned(),
            keep_originals: false,
            require_two_factor: false,
            trusted_proxies: Vec::new(),
            form_body_deadline: crate::web::slow_clients::FORM_BODY_DEADLINE,
            upload_body_deadline: crate::web::slow_clients::UPLOAD_BODY_DEADLINE,
            view_flush_interval: Duration::from_secs(1),
            most_read_refresh: MOST_READ_REFRESH,
            list_page_ttl: LIST_PAGE_TTL,
            list_anchor_ttl: LIST_ANCHOR_TTL,
            concurrent_searches: CONCURRENT_SEARCHES,
            sitemap_max_urls: crate::views::feeds::SITEMAP_MAX_URLS,
            sitemap_batch: crate::views::feeds::SITEMAP_BATCH,
            session_idle_timeout: Duration::from_secs(30 * 60),
            session_lifetime: DEFAULT_SESSION_LIFETIME,
            secret_key: None,
        }
    }
}

/// `SAHIFA_DEMO=0` (or `false`, `no`, `off`) disables demo content, like `--no-demo`.
fn demo_enabled_by_env() -> bool {
    match std::env::var("SAHIFA_DEMO") {
        Ok(value) => !matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "0" | "false" | "no" | "off"
        ),
        Err(_) => true,
    }
}

fn parse_base_url(raw: &str) -> Result<String, ConfigError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"));
    match rest {
        Some(host) if !host.is_empty() && !host.contains(char::is_whitespace) => {
            Ok(trimmed.to_owned())
        }
        _ => Err(ConfigError {
            option: "--base-url",
            message: format!("'{raw}' is not an http:// or https:// address"),
        }),
    }
}

/// The base URL to use when none is configured: the address the server actually listens on.
pub fn base_url_for(addr: SocketAddr) -> String {
    let host = if addr.ip().is_unspecified() {
        "localhost".to_owned()
    } else if addr.is_ipv6() {
        format!("[{}]", addr.ip())
    } else {
        addr.ip().to_string()
    };
    format!("http://{host}:{}", addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_must_be_http_or_https() {
        assert_eq!(
            parse_base_url("https://news.example/").unwrap(),
            "https://news.example"
        );
        assert!(parse_base_url("news.example").is_err());
        assert!(parse_base_url("ftp://news.example").is_err());
        assert!(parse_base_url("https://").is_err());
    }

    #[test]
    fn base_url_from_bound_address() {
        assert_eq!(
            base_url_for("127.0.0.1:8080".parse().unwrap()),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            base_url_for("0.0.0.0:80".parse().unwrap()),
            "http://localhost:80"
        );
        assert_eq!(
            base_url_for("[::1]:8080".parse().unwrap()),
            "http://[::1]:8080"
        );
    }
}
