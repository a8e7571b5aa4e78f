//! An operator's chores: rebuilding the search index by hand, backups and checks.

use crate::db::Database;
use crate::db::changes::{self, Change};

use super::AppError;

/// Rebuilds the whole search index; returns how many articles it holds. (The index is
/// rebuilt at start by itself when it is missing, unreadable or behind; this is for an
/// operator who changed articles by hand in the database.)
pub async fn rebuild_search_index(db: &Database) -> Result<usize, AppError> {
    Ok(db
        .run_with_search(|conn, search| {
            // Every instance rebuilds its own index: articles may have been changed by hand.
            let now = crate::core::time::now_timestamp();
            crate::db::write_tx(conn, |conn| changes::record(conn, Change::Everything, now))?;
            search.rebuild(conn)
        })
        .await?)
}

/// What a backup made.
#[derive(Debug)]
pub struct Backup {
    pub articles: i64,
    /// What the checks of the copy found: nothing for a good copy.
    pub problems: Vec<String>,
}

/// Copies the database at `source` to `destination` while it may be serving, then checks
/// the copy as a restore would find it.
pub fn back_up(
    source: &std::path::Path,
    destination: &std::path::Path,
) -> Result<Backup, AppError> {
    crate::db::backup::copy(source, destination)?;
    Ok(Backup {
        problems: crate::db::backup::problems(destination)?,
        articles: crate::db::backup::article_count(destination)?,
    })
}

/// What SQLite's integrity and foreign-key checks find wrong in the database at `path`.
pub fn problems(path: &std::path::Path) -> Result<Vec<String>, AppError> {
    Ok(crate::db::backup::problems(path)?)
}

/// What `copy-database` did: rows per table, in the source and in the target afterwards.
#[derive(Debug)]
pub struct CopyReport {
    pub tables: Vec<(&'static str, i64, i64)>,
}

impl CopyReport {
    /// The tables whose counts differ: none after a good copy.
    pub fn mismatches(&self) -> Vec<&(&'static str, i64, i64)> {
        self.tables
            .iter()
            .filter(|(_, from, to)| from != to)
            .collect()
    }
}

/// Why a copy did not start.
#[derive(Debug)]
pub enum CopyRefusal {
    /// The target holds a site and the operator did not say to replace it.
    TargetNotEmpty,
}

/// Copies the site at `from` into `to` (its schema brought up to date first): every table,
/// sign-ins in progress only `with_sessions`. A target that holds a site is refused unless
/// `replace`, which empties it first. `started` hears the total rows to copy, `progress` of
/// each batch written; `key` (the source's key file, if it has one) goes with the site, so
/// that forms and sessions stay valid on the new database.
pub fn copy_database(
    from: &crate::db::DatabaseAddress,
    to: &crate::db::DatabaseAddress,
    options: CopyOptions,
    started: impl FnOnce(u64),
    mut progress: impl FnMut(usize),
) -> Result<Result<CopyReport, CopyRefusal>, AppError> {
    use crate::db::copy;
    let open = |address| crate::db::connect(address).map_err(|e| AppError::Internal(e.to_string()));
    let mut source = open(from)?;
    let mut target = open(to)?;
    crate::db::migrate(&mut source).map_err(AppError::Internal)?;
    crate::db::migrate(&mut target).map_err(AppError::Internal)?;
    if copy::holds_a_site(&mut target)? && !options.replace {
        return Ok(Err(CopyRefusal::TargetNotEmpty));
    }
    let tables: Vec<&'static str> = copy::TABLES
        .iter()
        .copied()
        .filter(|table| options.with_sessions || !copy::SESSION_TABLES.contains(table))
        .collect();
    let mut total = 0;
    for table in &tables {
        total += copy::count(&mut source, table)?;
    }
    started(u64::try_from(total).unwrap_or(0));
    crate::db::write_tx(&mut target, |target| {
        copy::empty(target)?;
        for table in &tables {
            copy::copy_table(&mut source, target, table, &mut progress)?;
        }
        if let Some(key) = &options.key {
            crate::db::meta::set(target, crate::db::meta::SECRET_KEY, key)?;
        }
        copy::move_sequences_past_copied_ids(target)
    })?;
    // The key file's key is one more row of `site_meta` than the source has.
    let key_added = options.key.is_some()
        && crate::db::meta::get(&mut source, crate::db::meta::SECRET_KEY)?.is_none();
    let mut report = CopyReport { tables: Vec::new() };
    for table in tables {
        let mut expected = copy::count(&mut source, table)?;
        if table == "site_meta" && key_added {
            expected += 1;
        }
        report
            .tables
            .push((table, expected, copy::count(&mut target, table)?));
    }
    Ok(Ok(report))
}

/// How to copy a site.
#[derive(Debug, Default)]
pub struct CopyOptions {
    pub with_sessions: bool,
    pub replace: bool,
    /// The signing key to keep in the target (from the source's key file).
    pub key: Option<String>,
}
