//! Sign-in throttling that can't be turned against the newsroom. Failures (a wrong
//! password, a wrong code at the second step) are counted per (username, client address)
//! and per client address: after `PAIR_FREE` failures of one pair, or `ADDRESS_FREE` from one
//! address, each further attempt waits, twice as long each time, up to `MAX_DELAY_SECONDS`.
//! A username alone is never locked: someone failing as `admin` from their address does not
//! stop `admin` signing in from another. Kept in memory: a restart forgets it, which costs
//! an attacker a restart they cannot cause.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

/// Failures of one (username, address) before attempts have to wait.
pub const PAIR_FREE: usize = 5;
/// Failures from one address, whatever the usernames, before attempts have to wait.
pub const ADDRESS_FREE: usize = 20;
/// Failures older than this are forgotten.
pub const WINDOW_SECONDS: i64 = 15 * 60;
/// The first wait, doubled with each further failure.
const FIRST_DELAY_SECONDS: i64 = 30;
const MAX_DELAY_SECONDS: i64 = WINDOW_SECONDS;
/// Above this many tracked keys, expired ones are swept on the next failure.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

fn pair_key(username: &str, address: &str) -> String {
    format!("pair:{address}\u{0}{}", username.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

/// How long after the latest of `times` the next attempt must wait, once more than `free`
/// failures are on record within the window.
fn wait(times: &VecDeque<i64>, free: usize, now: i64) -> Option<i64> {
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

impl LoginThrottle {
    /// `Some(seconds to wait)` when this username from this address, or this address, has
    /// failed too often lately.
    pub fn retry_after(&self, username: &str, address: &str, now: i64) -> Option<i64> {
        let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let pair = failures
            .get(&pair_key(username, address))
            .and_then(|times| wait(times, PAIR_FREE, now));
        let from_address = failures
            .get(&address_key(address))
            .and_then(|times| wait(times, ADDRESS_FREE, now));
        pair.max(from_address)
    }

    pub fn record_failure(&self, username: &str, address: &str, now: i64) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, times| times.iter().any(|t| now - t < WINDOW_SECONDS));
        }
        for key in [pair_key(username, address), address_key(address)] {
            let times = failures.entry(key).or_default();
            times.retain(|t| now - t < WINDOW_SECONDS);
            times.push_back(now);
        }
    }

    /// A successful sign-in clears that username's failures from that address (not the
    /// address's own count).
    pub fn record_success(&self, username: &str, address: &str) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&pair_key(username, address));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_of_one_username_from_one_address_make_it_wait_longer_each_time() {
        let throttle = LoginThrottle::default();
        for i in 0..5 {
            assert_eq!(throttle.retry_after("Admin", "1.1.1.1", 100 + i), None);
            throttle.record_failure("Admin", "1.1.1.1", 100 + i);
        }
        // The sixth attempt: 30 s after the fifth failure (any case of the name).
        assert_eq!(throttle.retry_after("admin", "1.1.1.1", 104), Some(30));
        assert_eq!(throttle.retry_after("admin", "1.1.1.1", 134), None);
        throttle.record_failure("admin", "1.1.1.1", 134);
        assert_eq!(throttle.retry_after("admin", "1.1.1.1", 134), Some(60));
        throttle.record_failure("admin", "1.1.1.1", 194);
        assert_eq!(throttle.retry_after("admin", "1.1.1.1", 194), Some(120));
        // Never more than the window.
        for t in 0..20 {
            throttle.record_failure("admin", "1.1.1.1", 200 + t);
        }
        assert_eq!(
            throttle.retry_after("admin", "1.1.1.1", 219),
            Some(WINDOW_SECONDS)
        );
    }

    #[test]
    fn another_address_still_signs_in_as_the_same_username() {
        let throttle = LoginThrottle::default();
        for i in 0..10 {
            throttle.record_failure("admin", "6.6.6.6", 100 + i);
        }
        assert!(throttle.retry_after("admin", "6.6.6.6", 110).is_some());
        assert_eq!(throttle.retry_after("admin", "1.1.1.1", 110), None);
    }

    #[test]
    fn many_usernames_from_one_address_make_the_address_wait() {
        let throttle = LoginThrottle::default();
        for i in 0..ADDRESS_FREE as i64 {
            throttle.record_failure(&format!("user{i}"), "1.1.1.1", 100 + i);
        }
        assert!(throttle.retry_after("someone", "1.1.1.1", 120).is_some());
        assert!(throttle.retry_after("someone", "2.2.2.2", 120).is_none());
    }

    #[test]
    fn success_clears_the_pair_but_not_the_address() {
        let throttle = LoginThrottle::default();
        for _ in 0..4 {
            throttle.record_failure("admin", "1.1.1.1", 100);
        }
        throttle.record_success("admin", "1.1.1.1");
        throttle.record_failure("admin", "1.1.1.1", 101);
        assert_eq!(throttle.retry_after("admin", "1.1.1.1", 102), None);
        let failures = throttle.failures.lock().unwrap();
        assert_eq!(failures[&address_key("1.1.1.1")].len(), 5);
    }

    #[test]
    fn old_failures_are_forgotten() {
        let throttle = LoginThrottle::default();
        for i in 0..5 {
            throttle.record_failure("admin", "1.1.1.1", 100 + i);
        }
        assert_eq!(
            throttle.retry_after("admin", "1.1.1.1", 104 + WINDOW_SECONDS),
            None
        );
    }
}
