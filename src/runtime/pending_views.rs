//! Views that could not be written at shutdown (a full disk, a database locked past every
//! retry) are not dropped: they go to a small side file beside the database,
//! `<database>.pending-views`, which the next start adds to the counts before serving.
//!
//! The file is plain text, one line per article: `day article_id visits` (the UTC day
//! number the visits were counted on, see `core::time::day_number`).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::core::ArticleId;
use crate::db::{Database, DbError, views};

/// The side file of the database at `database`.
pub fn side_file(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".pending-views");
    PathBuf::from(name)
}

/// Adds `pending` (counted on `day`) to the side file, creating it if needed, and flushes
/// it to disk. Written to a new file then renamed, so a crash never leaves half a line.
pub fn save(database: &Path, day: i64, pending: &[(ArticleId, i64)]) -> std::io::Result<()> {
    let path = side_file(database);
    let mut lines = std::fs::read_to_string(&path).unwrap_or_default();
    for (id, visits) in pending {
        lines.push_str(&format!("{day} {id} {visits}\n"));
    }
    let mut temporary = path.clone().into_os_string();
    temporary.push(".new");
    let temporary = PathBuf::from(temporary);
    let mut file = std::fs::File::create(&temporary)?;
    file.write_all(lines.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temporary, &path)
}

/// The counts in a side file's text, per day; lines that don't parse are skipped.
fn parse(text: &str) -> BTreeMap<i64, Vec<(ArticleId, i64)>> {
    let mut days: BTreeMap<i64, Vec<(ArticleId, i64)>> = BTreeMap::new();
    for line in text.lines() {
        let mut fields = line.split_whitespace();
        let (Some(day), Some(id), Some(visits)) = (fields.next(), fields.next(), fields.next())
        else {
            continue;
        };
        let (Ok(day), Some(id), Ok(visits)) = (
            day.parse::<i64>(),
            ArticleId::parse(id),
            visits.parse::<i64>(),
        ) else {
            continue;
        };
        if visits > 0 {
            days.entry(day).or_default().push((id, visits));
        }
    }
    days
}

/// Adds the counts of a side file left by the last run to the database and removes the
/// file; how many visits it held. Nothing to do without one. Each day's counts go in one
/// transaction; the file goes only once all are in.
pub fn apply_saved(db: &Database, database: &Path) -> Result<i64, DbError> {
    let path = side_file(database);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(0);
    };
    let days = parse(&text);
    let mut conn = db.conn()?;
    let mut applied = 0;
    for (day, pending) in &days {
        views::add_views(&mut conn, pending, *day)?;
        applied += pending.iter().map(|(_, visits)| visits).sum::<i64>();
    }
    std::fs::remove_file(&path)
        .map_err(|e| DbError::File(format!("cannot remove {}: {e}", path.display())))?;
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_counts_read_back_per_day_and_garbage_is_skipped() {
        let dir = tempfile::TempDir::new().unwrap();
        let db = dir.path().join("sahifa.db");
        let a = ArticleId::from_db(123_456_789_012_345);
        let b = ArticleId::from_db(223_456_789_012_345);
        save(&db, 20_000, &[(a, 3), (b, 1)]).unwrap();
        save(&db, 20_001, &[(a, 2)]).unwrap();
        let mut text = std::fs::read_to_string(side_file(&db)).unwrap();
        text.push_str("not a line\n20001 x 4\n20001 1 -5\n");
        let days = parse(&text);
        assert_eq!(days[&20_000], vec![(a, 3), (b, 1)]);
        assert_eq!(days[&20_001], vec![(a, 2)]);
        assert_eq!(days.len(), 2);
    }
}
