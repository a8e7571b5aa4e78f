//! Time as the program stores it: whole Unix seconds.

use chrono::{DateTime, Utc};

/// Unix seconds now: the unit of every stored time.
pub fn now_timestamp() -> i64 {
    Utc::now().timestamp()
}

/// A stored time as a UTC instant (the epoch for a value out of range).
pub fn timestamp_to_utc(unix_seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix_seconds, 0).unwrap_or_default()
}

/// Days since 1970-01-01 in UTC: the `day` of the per-day view counts.
pub fn day_number(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(86_400)
}
