//! The write-behind view counter.
//!
//! A visit never writes to the database. It is added to an in-memory tally, and a background
//! task moves every pending count into the database in one transaction each `view_flush_interval`,
//! and once more after the server has stopped. A hard kill loses at most the visits since the
//! last flush.
//!
//! Several instances may count the same article (PostgreSQL): flushes are additive, and
//! each returns the article's total as stored after it, other instances' flushed visits
//! included. What this instance shows is `stored + in_flight + unflushed`: the latest total
//! it knows of, its visits being written, and its visits not yet written. `stored` only
//! moves up (a total read from the database is taken only when it is larger, and never while
//! a flush of this instance is in flight, when it could already hold the visits counted in
//! `in_flight`), so what a reader sees on one instance never goes backwards, and with one
//! instance it is exact at all times.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use crate::core::ArticleId;
use crate::core::time::{day_number, now_timestamp};
use crate::db::{Database, DbError, views};

#[derive(Debug, Default)]
pub struct ViewCounter {
    tallies: Mutex<HashMap<ArticleId, Tally>>,
    /// Held while one flush writes, so that a final flush waits for an in-flight one.
    flushing: Mutex<()>,
    health: Mutex<FlushHealth>,
}

/// How the flushes are going, for `/readyz`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FlushHealth {
    /// When a flush last wrote (or found nothing to write).
    pub last_success_at: Option<i64>,
    /// Since when flushes fail, and why the latest did.
    pub failing_since: Option<i64>,
    pub last_error: Option<String>,
    /// Flushes that wrote (or had nothing to write), flushes that failed, and the time
    /// all of them took: what `/metrics` reports.
    pub flushes: u64,
    pub failures: u64,
    pub time_spent: std::time::Duration,
}

#[derive(Debug, Clone, Copy)]
struct Tally {
    /// The latest total known to be stored.
    stored: i64,
    /// Visits handed to the flush that is writing now.
    in_flight: i64,
    /// Visits not yet handed to a flush.
    unflushed: i64,
}

impl Tally {
    fn total(&self) -> i64 {
        self.stored + self.in_flight + self.unflushed
    }

    /// Takes a total read from the database, if it is newer (larger) and cannot hold
    /// visits this tally still counts as in flight.
    fn saw_stored(&mut self, stored: i64) {
        if self.in_flight == 0 {
            self.stored = self.stored.max(stored);
        }
    }
}

impl ViewCounter {
    pub fn new() -> Self {
        Self::default()
    }

    fn tallies(&self) -> MutexGuard<'_, HashMap<ArticleId, Tally>> {
        // A panic while holding this lock cannot leave a tally half-updated (each update is
        // one statement), so a poisoned lock is still safe to use.
        self.tallies.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Counts one visit; `stored` is the article's `views` as read from the database for this
    /// request. Returns the total including this visit.
    pub fn record_visit(&self, id: ArticleId, stored: i64) -> i64 {
        let mut tallies = self.tallies();
        let tally = tallies.entry(id).or_insert(Tally {
            stored,
            in_flight: 0,
            unflushed: 0,
        });
        tally.saw_stored(stored);
        tally.unflushed += 1;
        tally.total()
    }

    /// The total without counting a visit (HEAD requests, prefetches, admin pages).
    pub fn current(&self, id: ArticleId, stored: i64) -> i64 {
        match self.tallies().get_mut(&id) {
            Some(tally) => {
                tally.saw_stored(stored);
                tally.total()
            }
            None => stored,
        }
    }

    /// Counts not yet written to the database, summed over all articles.
    pub fn unflushed(&self) -> i64 {
        self.tallies().values().map(|t| t.unflushed).sum()
    }

    /// Forgets an article that was deleted (its pending visits with it).
    pub fn forget(&self, id: ArticleId) {
        self.tallies().remove(&id);
    }

    /// Writes every pending count with `write`, which must be all-or-nothing and returns
    /// the totals stored after it. On failure the counts become pending again, to be
    /// retried by the next flush. Blocking: call it off the async executor.
    pub fn flush_with<E>(
        &self,
        write: impl FnOnce(&[(ArticleId, i64)]) -> Result<Vec<(ArticleId, i64)>, E>,
    ) -> Result<usize, E> {
        let _one_flush_at_a_time = self.flushing.lock().unwrap_or_else(PoisonError::into_inner);
        let pending = self.hand_over_unflushed(|tally| &mut tally.in_flight);
        if pending.is_empty() {
            return Ok(0);
        }
        let written = write(&pending);
        let mut tallies = self.tallies();
        for &(id, visits) in &pending {
            if let Some(tally) = tallies.get_mut(&id) {
                tally.in_flight -= visits;
                if written.is_err() {
                    tally.unflushed += visits;
                }
            }
        }
        let totals = written?;
        for (id, stored) in totals {
            if let Some(tally) = tallies.get_mut(&id) {
                tally.saw_stored(stored);
            }
        }
        Ok(pending.len())
    }
}

impl ViewCounter {
    /// Writes every pending count to the database in one transaction (today's per-day
    /// counts included). Blocking: call it off the async executor.
    pub fn flush_to(&self, db: &Database) -> Result<usize, DbError> {
        let now = now_timestamp();
        let day = day_number(now);
        let started = std::time::Instant::now();
        let flushed = self.flush_with(|pending| views::add_views(&mut *db.conn()?, pending, day));
        let mut health = self.health.lock().unwrap_or_else(PoisonError::into_inner);
        health.time_spent += started.elapsed();
        match &flushed {
            Ok(_) => {
                health.flushes += 1;
                health.last_success_at = Some(now);
                health.failing_since = None;
                health.last_error = None;
            }
            Err(e) => {
                health.failures += 1;
                health.failing_since.get_or_insert(now);
                health.last_error = Some(e.to_string());
            }
        }
        flushed
    }

    pub fn health(&self) -> FlushHealth {
        self.health
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Every pending count, handed over and no longer pending: for the side file when the
    /// database can't take them at shutdown.
    pub fn take_pending(&self) -> Vec<(ArticleId, i64)> {
        let _one_flush_at_a_time = self.flushing.lock().unwrap_or_else(PoisonError::into_inner);
        // Counted as stored from now on: they are in the side file.
        self.hand_over_unflushed(|tally| &mut tally.stored)
    }

    /// Every article's unflushed visits, now no longer unflushed but counted in the part of
    /// its tally `into` names (in flight, or stored).
    fn hand_over_unflushed(&self, into: fn(&mut Tally) -> &mut i64) -> Vec<(ArticleId, i64)> {
        self.tallies()
            .iter_mut()
            .filter(|(_, t)| t.unflushed > 0)
            .map(|(id, t)| {
                let visits = std::mem::take(&mut t.unflushed);
                *into(t) += visits;
                (*id, visits)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: i64) -> ArticleId {
        ArticleId::from_db(n)
    }

    #[test]
    fn first_visit_starts_from_the_stored_count() {
        let counter = ViewCounter::new();
        assert_eq!(counter.record_visit(id(1), 362), 363);
        // Later requests may read a stale stored value: the tally wins.
        assert_eq!(counter.record_visit(id(1), 0), 364);
        assert_eq!(counter.current(id(1), 0), 364);
        assert_eq!(counter.current(id(2), 5), 5);
    }

    #[test]
    fn flush_hands_over_pending_counts_once() {
        let counter = ViewCounter::new();
        counter.record_visit(id(1), 0);
        counter.record_visit(id(1), 0);
        counter.record_visit(id(2), 10);
        let mut written = Vec::new();
        counter
            .flush_with(|pending| {
                written.extend_from_slice(pending);
                Ok::<_, ()>(vec![(id(1), 2), (id(2), 11)])
            })
            .unwrap();
        written.sort();
        assert_eq!(written, vec![(id(1), 2), (id(2), 1)]);
        assert_eq!(counter.unflushed(), 0);
        assert_eq!(
            counter.current(id(1), 0),
            2,
            "flushing does not change the total"
        );
        assert_eq!(counter.flush_with(|_| Ok::<_, ()>(Vec::new())), Ok(0));
    }

    /// Other instances flushed too: their visits show up with the total a flush returns;
    /// a reader on this instance never sees the count go down, even while a flush writes
    /// or when a page read an older total.
    #[test]
    fn totals_from_other_instances_arrive_with_each_flush_and_never_go_back() {
        let counter = ViewCounter::new();
        assert_eq!(counter.record_visit(id(1), 100), 101);
        counter
            .flush_with(|pending| {
                assert_eq!(pending, [(id(1), 1)]);
                // While this flush writes: still 101, then 102 with a new visit.
                assert_eq!(counter.current(id(1), 100), 101);
                // A page that read the total after this flush's write must not count it twice.
                assert_eq!(counter.record_visit(id(1), 101), 102);
                // Stored now: 100 + 1 of ours + 50 of other instances.
                Ok::<_, ()>(vec![(id(1), 151)])
            })
            .unwrap();
        assert_eq!(counter.current(id(1), 100), 152, "151 stored + 1 unflushed");
        assert_eq!(
            counter.record_visit(id(1), 120),
            153,
            "an older page total is ignored"
        );
        assert_eq!(
            counter.record_visit(id(1), 200),
            203,
            "a newer one is taken"
        );
    }

    #[test]
    fn failed_flush_keeps_counts_pending() {
        let counter = ViewCounter::new();
        counter.record_visit(id(1), 0);
        assert_eq!(
            counter.flush_with(|_| Err::<Vec<_>, _>("disk full")),
            Err("disk full")
        );
        assert_eq!(counter.current(id(1), 0), 1);
        counter.record_visit(id(1), 0);
        assert_eq!(counter.unflushed(), 2);
    }

    #[test]
    fn concurrent_visits_are_all_counted() {
        let counter = std::sync::Arc::new(ViewCounter::new());
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let counter = counter.clone();
                std::thread::spawn(move || {
                    for _ in 0..1000 {
                        counter.record_visit(id(1), 0);
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        assert_eq!(counter.current(id(1), 0), 8000);
        assert_eq!(counter.unflushed(), 8000);
    }
}
