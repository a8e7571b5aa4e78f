//! Copying a whole site from one database to another (`sahifa copy-database`): an SQLite
//! site moving to PostgreSQL, or back. Table by table in the order their references need,
//! rows streamed from the source and written a batch at a time; identity sequences moved
//! past the copied ids; rows counted on both sides at the end. The search index is not
//! copied: each instance builds its own from the articles.

use diesel::prelude::*;

use super::connection::Backend;
use super::schema::*;
use super::{DbConn, DbResult};

/// Rows written per statement: under both backends' limits on bound values (SQLite
/// 32,766, PostgreSQL 65,535) for the widest table (12 columns).
const BATCH: usize = 1_000;

/// Every table, in an order where a row's references are copied before it.
pub const TABLES: &[&str] = &[
    "sections",
    "pictures",
    "picture_files",
    "users",
    "articles",
    "article_bodies",
    "article_views",
    "article_daily_views",
    "tags",
    "article_tags",
    "author_profiles",
    "front_picks",
    "breaking_news",
    "site_pages",
    "site_meta",
    "revisions",
    "audit_log",
    "recovery_codes",
    "autosaves",
    "pending_drafts",
    "sessions",
    "password_resets",
];

/// Tables that hold sign-ins in progress: copied only when asked (`--with-sessions`).
pub const SESSION_TABLES: &[&str] = &["sessions", "password_resets"];

/// Tables whose ids the database hands out (identity columns on PostgreSQL), with that
/// column: after a copy, their sequences must start past the copied ids.
const IDENTITIES: &[(&str, &str)] = &[
    ("sections", "id"),
    ("pictures", "id"),
    ("picture_files", "rowid"),
    ("users", "id"),
    ("tags", "id"),
    ("revisions", "id"),
    ("audit_log", "id"),
    ("recovery_codes", "id"),
];

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// How many rows `table` (one of [`TABLES`]) holds.
pub fn count(conn: &mut DbConn, table: &str) -> DbResult<i64> {
    debug_assert!(TABLES.contains(&table));
    let counted: Count =
        diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}")).get_result(conn)?;
    Ok(counted.n)
}

/// Whether the site's tables hold anything beyond what a fresh start writes by itself
/// (the default sections).
pub fn holds_a_site(conn: &mut DbConn) -> DbResult<bool> {
    for table in ["articles", "users", "pictures"] {
        if count(conn, table)? > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Empties every table of `conn` (the target of a copy told to replace what it holds).
pub fn empty(conn: &mut DbConn) -> DbResult<()> {
    super::write_tx(conn, |conn| {
        for table in TABLES.iter().rev().chain(&["changes", "login_failures"]) {
            diesel::sql_query(format!("DELETE FROM {table}")).execute(conn)?;
        }
        Ok(())
    })
}

/// Streams the rows of `$table` (its columns `$col: $type`, in key order `$order`) from
/// `$from` into `$to`, `BATCH` at a time; reports each batch to `$progress`.
macro_rules! copy_rows {
    ($from:expr, $to:expr, $progress:expr, $table:ident, ($($order:ident),+), [$($col:ident: $ty:ty),+ $(,)?]) => {{
        let mut batch: Vec<($($ty,)+)> = Vec::with_capacity(BATCH);
        let mut write = |batch: &mut Vec<($($ty,)+)>, to: &mut DbConn| -> DbResult<()> {
            let rows: Vec<_> = batch
                .iter()
                .map(|($($col,)+)| ($($table::$col.eq($col),)+))
                .collect();
            on_backend!(to, |c| diesel::insert_into($table::table).values(&rows).execute(c))?;
            $progress(batch.len());
            batch.clear();
            Ok(())
        };
        let rows = $table::table
            .select(($($table::$col,)+))
            .order(($($table::$order.asc(),)+))
            .load_iter::<($($ty,)+), diesel::connection::DefaultLoadingMode>($from)?;
        for row in rows {
            batch.push(row?);
            if batch.len() == BATCH {
                write(&mut batch, $to)?;
            }
        }
        if !batch.is_empty() {
            write(&mut batch, $to)?;
        }
    }};
}

/// Copies table `table` from `from` to `to`; `progress` hears of every batch written.
pub fn copy_table(
    from: &mut DbConn,
    to: &mut DbConn,
    table: &str,
    mut progress: impl FnMut(usize),
) -> DbResult<()> {
    let progress = &mut progress;
    match table {
        "sections" => {
            copy_rows!(from, to, progress, sections, (id), [id: i64, slug: String, name: String, position: i64])
        }
        "pictures" => {
            copy_rows!(from, to, progress, pictures, (id), [id: i64, hash: String, width: i64, height: i64, alt: String, caption: String, credit: String, placeholder: String, created_at: i64])
        }
        "picture_files" => {
            copy_rows!(from, to, progress, picture_files, (rowid), [rowid: i64, picture_id: i64, name: String, width: i64, height: i64, bytes: Vec<u8>])
        }
        "users" => {
            copy_rows!(from, to, progress, users, (id), [id: i64, username: String, password_hash: String, role: String, created_at: i64, last_login_at: Option<i64>, disabled_at: Option<i64>, display_name: String, totp_secret: Option<String>, totp_last_step: Option<i64>])
        }
        "articles" => {
            copy_rows!(from, to, progress, articles, (id), [id: i64, section_id: i64, title: String, summary: String, author: String, status: String, published_at: i64, created_at: i64, updated_at: i64, version: i64, lead_picture_id: Option<i64>])
        }
        "article_bodies" => {
            copy_rows!(from, to, progress, article_bodies, (article_id), [article_id: i64, body: String, body_html: Vec<u8>])
        }
        "article_views" => {
            copy_rows!(from, to, progress, article_views, (article_id), [article_id: i64, views: i64])
        }
        "article_daily_views" => {
            copy_rows!(from, to, progress, article_daily_views, (article_id, day), [article_id: i64, day: i64, views: i64])
        }
        "tags" => copy_rows!(from, to, progress, tags, (id), [id: i64, slug: String, name: String]),
        "article_tags" => {
            copy_rows!(from, to, progress, article_tags, (article_id, tag_id), [article_id: i64, tag_id: i64, position: i64, status: String, published_at: i64])
        }
        "author_profiles" => {
            copy_rows!(from, to, progress, author_profiles, (slug), [slug: String, bio: String, picture_id: Option<i64>])
        }
        "front_picks" => {
            copy_rows!(from, to, progress, front_picks, (article_id), [article_id: i64, role: String, position: i64, until: Option<i64>])
        }
        "breaking_news" => {
            copy_rows!(from, to, progress, breaking_news, (id), [id: i64, text: String, link: Option<String>, until: i64])
        }
        "site_pages" => {
            copy_rows!(from, to, progress, site_pages, (slug), [slug: String, title: String, body: String, body_html: String, updated_at: i64])
        }
        "site_meta" => {
            copy_rows!(from, to, progress, site_meta, (key), [key: String, value: String])
        }
        "revisions" => {
            copy_rows!(from, to, progress, revisions, (id), [id: i64, article_id: i64, user_id: Option<i64>, saved_at: i64, title: String, summary: String, body: String, section_id: i64, author: String, status: String, published_at: i64, lead_picture_id: Option<i64>])
        }
        "audit_log" => {
            copy_rows!(from, to, progress, audit_log, (id), [id: i64, at: i64, user_id: Option<i64>, username: String, address: String, action: String, target: String])
        }
        "recovery_codes" => {
            copy_rows!(from, to, progress, recovery_codes, (id), [id: i64, user_id: i64, code_hash: String, used_at: Option<i64>])
        }
        "autosaves" => {
            copy_rows!(from, to, progress, autosaves, (user_id, article_id), [user_id: i64, article_id: i64, fields: String, saved_at: i64])
        }
        "pending_drafts" => {
            copy_rows!(from, to, progress, pending_drafts, (claim_hash), [claim_hash: String, user_id: Option<i64>, fields: String, created_at: i64])
        }
        "sessions" => {
            copy_rows!(from, to, progress, sessions, (token_hash), [token_hash: String, user_id: i64, created_at: i64, last_seen_at: i64])
        }
        "password_resets" => {
            copy_rows!(from, to, progress, password_resets, (token_hash), [token_hash: String, user_id: i64, created_at: i64, used_at: Option<i64>])
        }
        other => {
            return Err(super::DbError::File(format!("no table {other} to copy")));
        }
    }
    Ok(())
}

/// After a copy into PostgreSQL: each identity sequence starts past the ids copied, so the
/// next section, user or picture gets a new one.
pub fn move_sequences_past_copied_ids(conn: &mut DbConn) -> DbResult<()> {
    if Backend::of(conn) != Backend::Postgres {
        return Ok(());
    }
    for (table, column) in IDENTITIES {
        diesel::sql_query(format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
        ))
        .execute(conn)?;
    }
    Ok(())
}
