//! The change feed: every write that other instances must follow (to drop cached pages,
//! reload sections, bring their own search index in step) appends one row to `changes`, in
//! the transaction that makes it. `seq` only grows, and a row is visible only once that
//! transaction is committed, in `seq` order: a reader that has applied everything up to
//! `seq` N never needs to look below N again.
//!
//! On SQLite writers are one at a time anyway. On PostgreSQL, two transactions could take
//! seqs 10 and 11 and commit 11 first, so a reader would see 11 and later skip 10: the row is
//! written under a transaction-scoped advisory lock, which makes commit order seq order
//! (newsroom writes are a few a second at most; readers and view counts never take it).
//! PostgreSQL also gets a `NOTIFY` at commit, so listeners hear of a change at once instead
//! of at their next poll.

use diesel::prelude::*;

use super::connection::Backend;
use super::schema::changes;
use super::{DbConn, DbResult};
use crate::core::ArticleId;

/// The channel `NOTIFY` is sent on.
pub const CHANNEL: &str = "sahifa_changes";
/// The advisory lock that orders writers of `changes` (any number: "sahifa" in ASCII).
const ORDER_LOCK: i64 = 0x7361_6869_6661;

/// What changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// One article: created, edited, published, deleted.
    Article(ArticleId),
    /// Articles in bulk (reindex, seed): every instance rebuilds its index.
    Everything,
    Sections,
    SitePages,
    FrontPage,
    Pictures,
    Authors,
}

impl Change {
    fn kind(self) -> &'static str {
        match self {
            Change::Article(_) => "article",
            Change::Everything => "everything",
            Change::Sections => "sections",
            Change::SitePages => "site_pages",
            Change::FrontPage => "front_page",
            Change::Pictures => "pictures",
            Change::Authors => "authors",
        }
    }

    fn from_row(kind: &str, article_id: Option<i64>) -> Change {
        match (kind, article_id) {
            ("article", Some(id)) => Change::Article(ArticleId::from_db(id)),
            ("sections", _) => Change::Sections,
            ("site_pages", _) => Change::SitePages,
            ("front_page", _) => Change::FrontPage,
            ("pictures", _) => Change::Pictures,
            ("authors", _) => Change::Authors,
            // Unknown (written by a newer version): the safe reading is "everything".
            _ => Change::Everything,
        }
    }

    fn article_id(self) -> Option<i64> {
        match self {
            Change::Article(id) => Some(id.get()),
            _ => None,
        }
    }
}

/// Appends `change`; call it inside the write transaction that makes the change, as its
/// last statement (the PostgreSQL ordering lock is held from here to the commit).
pub fn record(conn: &mut DbConn, change: Change, now: i64) -> DbResult<()> {
    let postgres = Backend::of(conn) == Backend::Postgres;
    if postgres {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<diesel::sql_types::BigInt, _>(ORDER_LOCK)
            .execute(conn)?;
    }
    diesel::insert_into(changes::table)
        .values((
            changes::at.eq(now),
            changes::kind.eq(change.kind()),
            changes::article_id.eq(change.article_id()),
        ))
        .execute(conn)?;
    if postgres {
        diesel::sql_query(format!("NOTIFY {CHANNEL}")).execute(conn)?;
    }
    Ok(())
}

/// The newest change's seq (0 before the first).
pub fn latest(conn: &mut DbConn) -> DbResult<i64> {
    Ok(changes::table
        .select(diesel::dsl::max(changes::seq))
        .first::<Option<i64>>(conn)?
        .unwrap_or(0))
}

/// Up to `limit` changes after `seq`, oldest first, with their seqs.
pub fn after(conn: &mut DbConn, seq: i64, limit: i64) -> DbResult<Vec<(i64, Change)>> {
    let rows: Vec<(i64, String, Option<i64>)> = changes::table
        .filter(changes::seq.gt(seq))
        .order(changes::seq.asc())
        .select((changes::seq, changes::kind, changes::article_id))
        .limit(limit)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(seq, kind, article_id)| (seq, Change::from_row(&kind, article_id)))
        .collect())
}

/// Forgets changes older than `before` (seconds): an instance that was away longer than
/// that rebuilds its index instead of catching up (see `SearchIndex::open`).
pub fn forget_before(conn: &mut DbConn, before: i64) -> DbResult<usize> {
    Ok(diesel::delete(changes::table.filter(changes::at.lt(before))).execute(conn)?)
}

/// The oldest change still on record, if any.
pub fn oldest(conn: &mut DbConn) -> DbResult<Option<i64>> {
    Ok(changes::table
        .select(diesel::dsl::min(changes::seq))
        .first::<Option<i64>>(conn)?)
}

/// A PostgreSQL connection of its own that `LISTEN`s on [`CHANNEL`].
pub struct Listener {
    conn: diesel::PgConnection,
}

impl Listener {
    pub fn connect(url: &str) -> DbResult<Listener> {
        use diesel::Connection;
        let mut conn = diesel::PgConnection::establish(url)
            .map_err(|e| super::DbError::Pool(e.to_string()))?;
        diesel::sql_query(format!("LISTEN {CHANNEL}")).execute(&mut conn)?;
        Ok(Listener { conn })
    }

    /// How many notifications arrived since the last call (without waiting: it reads what
    /// the server has already sent); an error when the connection is lost.
    pub fn heard(&mut self) -> DbResult<usize> {
        let mut heard = 0;
        for notification in self.conn.notifications_iter() {
            notification?;
            heard += 1;
        }
        Ok(heard)
    }
}
