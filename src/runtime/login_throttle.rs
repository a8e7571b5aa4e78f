//! Sign-in throttling that can't be turned against the newsroom. Failures (a wrong
//! password, a wrong code at the second step) are counted per (username, client address)
//! and per client address: after `PAIR_FREE` failures of one pair, or `ADDRESS_FREE` from one
//! address, each further attempt waits, twice as long each time, up to `MAX_DELAY_SECONDS`.
//! A username alone is never locked: someone failing as `admin` from their address does not
//! stop `admin` signing in from another. Kept in the database (`db::login_failures`): five
//! failures spread over three instances behind a load balancer count as five, and a
//! restart forgets nothing.

use crate::db::{Database, DbConn, DbResult, login_failures};

/// Failures of one (username, address) before attempts have to wait.
pub const PAIR_FREE: usize = 5;
/// Failures from one address, whatever the usernames, before attempts have to wait.
pub const ADDRESS_FREE: usize = 20;
/// Failures older than this are forgotten.
pub const WINDOW_SECONDS: i64 = 15 * 60;
/// The first wait, doubled with each further failure.
const FIRST_DELAY_SECONDS: i64 = 30;
const MAX_DELAY_SECONDS: i64 = WINDOW_SECONDS;

fn pair_key(username: &str, address: &str) -> String {
    format!("pair:{address} {}", username.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

/// How long after the latest of `times` (oldest first) the next attempt must wait, once
/// more than `free` failures are on record within the window.
fn wait(times: &[i64], free: usize, now: i64) -> Option<i64> {
    let recent: Vec<i64> = times
        .iter()
        .copied()
        .filter(|t| now - t < WINDOW_SECONDS)
        .collect();
    let over = recent.len().checked_sub(free)?;
    let latest = *recent.last()?;
    let delay = FIRST_DELAY_SECONDS
        .saturating_mul(1_i64 << over.min(20))
        .min(MAX_DELAY_SECONDS);
    let until = latest + delay;
    (until > now).then_some(until - now)
}

/// `Some(seconds to wait)` when this username from this address, or this address, has
/// failed too often lately.
pub async fn retry_after(
    db: &Database,
    username: &str,
    address: &str,
    now: i64,
) -> DbResult<Option<i64>> {
    let (username, address) = (username.to_owned(), address.to_owned());
    db.run(move |conn| retry_after_in(conn, &username, &address, now))
        .await
}

pub async fn record_failure(
    db: &Database,
    username: &str,
    address: &str,
    now: i64,
) -> DbResult<()> {
    let (username, address) = (username.to_owned(), address.to_owned());
    db.run(move |conn| record_failure_in(conn, &username, &address, now))
        .await
}

/// A successful sign-in clears that username's failures from that address (not the
/// address's own count).
pub async fn record_success(db: &Database, username: &str, address: &str) -> DbResult<()> {
    let (username, address) = (username.to_owned(), address.to_owned());
    db.run(move |conn| record_success_in(conn, &username, &address))
        .await
}

fn retry_after_in(
    conn: &mut DbConn,
    username: &str,
    address: &str,
    now: i64,
) -> DbResult<Option<i64>> {
    let since = now - WINDOW_SECONDS + 1;
    let pair = login_failures::times_since(conn, &pair_key(username, address), since)?;
    let from_address = login_failures::times_since(conn, &address_key(address), since)?;
    Ok(wait(&pair, PAIR_FREE, now).max(wait(&from_address, ADDRESS_FREE, now)))
}

fn record_failure_in(conn: &mut DbConn, username: &str, address: &str, now: i64) -> DbResult<()> {
    login_failures::record(
        conn,
        &[pair_key(username, address), address_key(address)],
        now,
        now - WINDOW_SECONDS,
    )
}

fn record_success_in(conn: &mut DbConn, username: &str, address: &str) -> DbResult<()> {
    login_failures::clear(conn, &pair_key(username, address))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database() -> DbConn {
        crate::db::in_memory().unwrap()
    }

    #[test]
    fn failures_of_one_username_from_one_address_make_it_wait_longer_each_time() {
        let c = &mut database();
        for i in 0..5 {
            assert_eq!(
                retry_after_in(c, "Admin", "1.1.1.1", 100 + i).unwrap(),
                None
            );
            record_failure_in(c, "Admin", "1.1.1.1", 100 + i).unwrap();
        }
        // The sixth attempt: 30 s after the fifth failure (any case of the name).
        assert_eq!(
            retry_after_in(c, "admin", "1.1.1.1", 104).unwrap(),
            Some(30)
        );
        assert_eq!(retry_after_in(c, "admin", "1.1.1.1", 134).unwrap(), None);
        record_failure_in(c, "admin", "1.1.1.1", 134).unwrap();
        assert_eq!(
            retry_after_in(c, "admin", "1.1.1.1", 134).unwrap(),
            Some(60)
        );
        record_failure_in(c, "admin", "1.1.1.1", 194).unwrap();
        assert_eq!(
            retry_after_in(c, "admin", "1.1.1.1", 194).unwrap(),
            Some(120)
        );
        // Never more than the window.
        for t in 0..20 {
            record_failure_in(c, "admin", "1.1.1.1", 200 + t).unwrap();
        }
        assert_eq!(
            retry_after_in(c, "admin", "1.1.1.1", 219).unwrap(),
            Some(WINDOW_SECONDS)
        );
    }

    #[test]
    fn another_address_still_signs_in_as_the_same_username() {
        let c = &mut database();
        for i in 0..10 {
            record_failure_in(c, "admin", "6.6.6.6", 100 + i).unwrap();
        }
        assert!(
            retry_after_in(c, "admin", "6.6.6.6", 110)
                .unwrap()
                .is_some()
        );
        assert_eq!(retry_after_in(c, "admin", "1.1.1.1", 110).unwrap(), None);
    }

    #[test]
    fn many_usernames_from_one_address_make_the_address_wait() {
        let c = &mut database();
        for i in 0..ADDRESS_FREE as i64 {
            record_failure_in(c, &format!("user{i}"), "1.1.1.1", 100 + i).unwrap();
        }
        assert!(
            retry_after_in(c, "someone", "1.1.1.1", 120)
                .unwrap()
                .is_some()
        );
        assert!(
            retry_after_in(c, "someone", "2.2.2.2", 120)
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn success_clears_the_pair_but_not_the_address() {
        let c = &mut database();
        for _ in 0..4 {
            record_failure_in(c, "admin", "1.1.1.1", 100).unwrap();
        }
        record_success_in(c, "admin", "1.1.1.1").unwrap();
        record_failure_in(c, "admin", "1.1.1.1", 101).unwrap();
        assert_eq!(retry_after_in(c, "admin", "1.1.1.1", 102).unwrap(), None);
        let from_address = login_failures::times_since(c, &address_key("1.1.1.1"), 0).unwrap();
        assert_eq!(from_address.len(), 5);
    }

    #[test]
    fn old_failures_are_forgotten() {
        let c = &mut database();
        for i in 0..5 {
            record_failure_in(c, "admin", "1.1.1.1", 100 + i).unwrap();
        }
        assert_eq!(
            retry_after_in(c, "admin", "1.1.1.1", 104 + WINDOW_SECONDS).unwrap(),
            None
        );
    }
}
