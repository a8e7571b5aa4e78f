//! Following the change feed (`db::changes`): what another instance (or this one) changed
//! reaches this instance's caches and search index within a moment.
//!
//! The feed's table is the source of truth: the follower reads the changes after the last one
//! its index applied, applies them (re-indexing the articles named), then drops everything
//! computed from articles and reloads the small things kept whole in memory (sections, the
//! site's pages and logo). It reads when woken, and at least every [`POLL_INTERVAL`]. On
//! PostgreSQL a thread of its own `LISTEN`s for the `NOTIFY` each change sends and wakes it at
//! once; a notification lost (the listening connection broke, the instance was down) only
//! delays a change to the next poll, never loses it.

use std::ops::Deref;
use std::sync::{Arc, Weak};
use std::time::Duration;

use tokio::sync::Notify;

use super::AppState;
use super::feed_health::ChangeFeed;
use crate::core::time::now_timestamp;
use crate::db::changes::{self, Change, Listener};
use crate::db::{DatabaseAddress, DbError, sections, site_pages};

/// How often the feed is read when nothing woke the follower: how late a change can reach
/// this instance when notifications are missed (on SQLite, where there are none, the
/// poll is the only way, and a cheap one: an index lookup in a file on this machine).
pub const POLL_INTERVAL: Duration = Duration::from_millis(250);
/// With notifications, polling is only the safety net.
const POLL_INTERVAL_LISTENING: Duration = Duration::from_secs(1);
/// How long changes are kept in the feed: an instance away for longer rebuilds its index at
/// start instead of catching up (see `SearchIndex::open`).
const KEEP_CHANGES_SECONDS: i64 = 7 * 86_400;
/// How often an instance forgets changes older than that.
const FORGET_EVERY: Duration = Duration::from_secs(3_600);

/// How often the listening thread looks for notifications (no round trip: it reads what
/// the server has already sent on the socket).
const LISTEN_TICK: Duration = Duration::from_millis(20);

/// Follows the feed until the returned future is dropped (the server stopping).
pub async fn follow<S>(state: S)
where
    S: Deref<Target = AppState> + Clone + Send + Sync + 'static,
{
    let wake = Arc::new(Notify::new());
    let every = match state.db.address() {
        DatabaseAddress::Postgres { url, .. } => {
            let (url, woken, feed) = (
                url.clone(),
                Arc::downgrade(&wake),
                state.change_feed.clone(),
            );
            std::thread::Builder::new()
                .name("sahifa-listen".into())
                .spawn(move || listen(&url, &woken, &feed))
                .map_err(|e| tracing::error!(error = %e, "cannot start listening for changes"))
                .ok();
            POLL_INTERVAL_LISTENING
        }
        DatabaseAddress::File(_) => POLL_INTERVAL,
    };
    let mut forgotten_at = tokio::time::Instant::now();
    loop {
        if forgotten_at.elapsed() >= FORGET_EVERY {
            forgotten_at = tokio::time::Instant::now();
            let before = now_timestamp() - KEEP_CHANGES_SECONDS;
            if let Err(error) = state
                .db
                .run(move |conn| changes::forget_before(conn, before))
                .await
            {
                tracing::warn!(%error, "cannot forget old changes");
            }
        }
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(every) => {}
        }
        let caught_up = state
            .db
            .run_with_search(|conn, index| {
                index
                    .catch_up(conn)
                    .map(|changes| (changes, index.applied()))
            })
            .await;
        match caught_up {
            Ok((changes, applied)) => {
                if !changes.is_empty()
                    && let Err(e) = apply(&state, &changes).await
                {
                    failed(&state, &e);
                    continue;
                }
                state.change_feed.update(|health| {
                    health.applied = applied;
                    health.changes_applied += changes.len() as u64;
                    health.last_success_at = Some(now_timestamp());
                    health.failing_since = None;
                    health.last_error = None;
                });
            }
            Err(e) => failed(&state, &e),
        }
    }
}

fn failed(state: &AppState, error: &DbError) {
    tracing::warn!(%error, "cannot follow the change feed; retrying");
    state.change_feed.update(|health| {
        health.failing_since.get_or_insert(now_timestamp());
        health.last_error = Some(error.to_string());
    });
}

/// Drops what was computed from what changed, and reloads what is kept whole.
async fn apply(state: &AppState, changes: &[Change]) -> Result<(), DbError> {
    state.article_changed();
    if changes.contains(&Change::Pictures) || changes.contains(&Change::Everything) {
        state.picture_files.clear();
    }
    let (all_sections, pages, logo) = state
        .db
        .run(|conn| {
            Ok::<_, DbError>((
                sections::all(conn)?,
                site_pages::all(conn)?,
                site_pages::logo(conn)?,
            ))
        })
        .await?;
    state.sections.replace(all_sections);
    state.site_pages.replace(pages);
    state.site_pages.replace_logo(logo);
    Ok(())
}

/// `LISTEN`s on its own connection and wakes the follower at each notification, until the
/// follower is gone; reconnects after a failure.
fn listen(url: &str, woken: &Weak<Notify>, feed: &ChangeFeed) {
    while woken.strong_count() > 0 {
        let mut listener = match Listener::connect(url) {
            Ok(listener) => listener,
            Err(error) => {
                tracing::warn!(%error, "cannot listen for changes; polling meanwhile");
                std::thread::sleep(POLL_INTERVAL_LISTENING);
                continue;
            }
        };
        feed.update(|health| health.listening = true);
        loop {
            let Some(wake) = woken.upgrade() else {
                return;
            };
            match listener.heard() {
                Ok(0) => {}
                Ok(_) => wake.notify_one(),
                Err(error) => {
                    tracing::warn!(%error, "lost the connection listening for changes");
                    break;
                }
            }
            drop(wake);
            std::thread::sleep(LISTEN_TICK);
        }
        feed.update(|health| health.listening = false);
        std::thread::sleep(POLL_INTERVAL_LISTENING);
    }
}
