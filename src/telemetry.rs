//! Logging: one line per event on standard error, filtered by `RUST_LOG` (default `info`),
//! as text, or as one JSON object per line with `SAHIFA_LOG_FORMAT=json` (for a log
//! collector). Each request is one line at `info` from the target `sahifa::access` (see
//! `web::request_log`): `RUST_LOG=info,sahifa::access=warn` silences them.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var("SAHIFA_LOG_FORMAT").is_ok_and(|format| format == "json");
    // `try_init` so that tests, which may call this many times in one process, don't panic.
    let _ = match json {
        true => tracing_subscriber::fmt()
            .json()
            .flatten_event(true)
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .try_init(),
        false => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_target(false)
            .with_ansi(std::io::stderr().is_terminal())
            .with_writer(std::io::stderr)
            .try_init(),
    };
}
