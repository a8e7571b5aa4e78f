//! Login throttling: after `LIMIT` failed logins for one username or from one client address
//! within `WINDOW`, further attempts are refused until the oldest failure leaves the window.
//! Kept in memory: a restart forgets it, which costs an attacker a restart they cannot cause.

use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, PoisonError};

pub const LIMIT: usize = 5;
pub const WINDOW_SECONDS: i64 = 15 * 60;
/// Above this many tracked keys, expired ones are swept on the next failure.
const SWEEP_ABOVE: usize = 10_000;

#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

fn username_key(username: &str) -> String {
    format!("user:{}", username.trim().to_lowercase())
}

fn address_key(address: &str) -> String {
    format!("addr:{address}")
}

impl LoginThrottle {
    /// `Some(seconds to wait)` when either the username or the address is locked out.
    pub fn retry_after(&self, username: &str, address: &str, now: i64) -> Option<i64> {
        let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        [username_key(username), address_key(address)]
            .iter()
            .filter_map(|key| failures.get(key))
            .filter_map(|times| {
                let recent: Vec<i64> = times
                    .iter()
                    .copied()
                    .filter(|t| now - t < WINDOW_SECONDS)
                    .collect();
                (recent.len() >= LIMIT).then(|| {
                    let oldest_counted = recent[recent.len() - LIMIT];
                    (oldest_counted + WINDOW_SECONDS - now).max(1)
                })
            })
            .max()
    }

    pub fn record_failure(&self, username: &str, address: &str, now: i64) {
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        if failures.len() > SWEEP_ABOVE {
            failures.retain(|_, times| times.iter().any(|t| now - t < WINDOW_SECONDS));
        }
        for key in [username_key(username), address_key(address)] {
            let times = failures.entry(key).or_default();
            times.retain(|t| now - t < WINDOW_SECONDS);
            times.push_back(now);
        }
    }

    /// A successful login clears the username's failures (not the address's).
    pub fn record_success(&self, username: &str) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(&username_key(username));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_the_username_for_the_window() {
        let throttle = LoginThrottle::default();
        for i in 0..5 {
            assert_eq!(throttle.retry_after("Admin", "1.1.1.1", 100 + i), None);
            throttle.record_failure("Admin", "1.1.1.1", 100 + i);
        }
        // Another address, same username (any case): still locked.
        assert_eq!(
            throttle.retry_after("admin", "2.2.2.2", 105),
            Some(WINDOW_SECONDS - 5)
        );
        assert_eq!(
            throttle.retry_after("admin", "2.2.2.2", 100 + WINDOW_SECONDS),
            None
        );
    }

    #[test]
    fn five_failures_lock_the_address_for_any_username() {
        let throttle = LoginThrottle::default();
        for i in 0..5 {
            throttle.record_failure(&format!("user{i}"), "1.1.1.1", 100);
        }
        assert!(throttle.retry_after("someone", "1.1.1.1", 101).is_some());
        assert!(throttle.retry_after("someone", "2.2.2.2", 101).is_none());
    }

    #[test]
    fn success_resets_the_username() {
        let throttle = LoginThrottle::default();
        for _ in 0..4 {
            throttle.record_failure("admin", "1.1.1.1", 100);
        }
        throttle.record_success("admin");
        throttle.record_failure("admin", "3.3.3.3", 101);
        assert_eq!(throttle.retry_after("admin", "3.3.3.3", 102), None);
    }
}
