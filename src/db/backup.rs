//! The operator's copies and checks of the database file. They open a connection of their
//! own (no pool, no search index, no migrations), so they run beside a serving server:
//! SQLite's `VACUUM INTO` reads one consistent snapshot while the server goes on writing.

use std::path::Path;

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Nullable, Text};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, QueryableByName, RunQueryDsl};

use super::{DbError, DbResult};

fn url(path: &Path) -> DbResult<&str> {
    path.to_str()
        .ok_or_else(|| DbError::File(format!("{} is not valid UTF-8", path.display())))
}

/// A connection to the file at `path` that waits for a busy writer rather than failing.
fn open(path: &Path) -> DbResult<SqliteConnection> {
    if !path.is_file() {
        return Err(DbError::File(format!("no database at {}", path.display())));
    }
    let mut conn = SqliteConnection::establish(url(path)?)
        .map_err(|e| DbError::File(format!("cannot open {}: {e}", path.display())))?;
    conn.batch_execute("PRAGMA busy_timeout = 10000;")?;
    Ok(conn)
}

/// Writes a consistent copy of the database at `source` to `destination` (which must not
/// exist), compacted, and flushed to the disk before it returns.
pub fn copy(source: &Path, destination: &Path) -> DbResult<()> {
    if destination.exists() {
        return Err(DbError::File(format!(
            "{} exists already: choose a new file",
            destination.display()
        )));
    }
    let mut conn = open(source)?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<Text, _>(url(destination)?)
        .execute(&mut conn)?;
    std::fs::File::open(destination)
        .and_then(|file| file.sync_all())
        .map_err(|e| DbError::File(format!("cannot flush {}: {e}", destination.display())))
}

#[derive(QueryableByName)]
struct IntegrityRow {
    #[diesel(sql_type = Text)]
    integrity_check: String,
}

#[derive(QueryableByName)]
struct ForeignKeyRow {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    rowid: Option<i64>,
    #[diesel(sql_type = Text)]
    parent: String,
}

/// What SQLite's `integrity_check` and `foreign_key_check` find wrong in the database at
/// `path`: nothing for a sound file.
pub fn problems(path: &Path) -> DbResult<Vec<String>> {
    let mut conn = open(path)?;
    let mut found: Vec<String> = diesel::sql_query("PRAGMA integrity_check")
        .load::<IntegrityRow>(&mut conn)?
        .into_iter()
        .map(|row| row.integrity_check)
        .filter(|line| line != "ok")
        .collect();
    found.extend(
        diesel::sql_query("PRAGMA foreign_key_check")
            .load::<ForeignKeyRow>(&mut conn)?
            .into_iter()
            .map(|row| {
                format!(
                    "{} row {} points to a missing {}",
                    row.table,
                    row.rowid.map_or("?".to_owned(), |id| id.to_string()),
                    row.parent
                )
            }),
    );
    Ok(found)
}

/// How many articles the database at `path` holds (to say what a copy contains).
pub fn article_count(path: &Path) -> DbResult<i64> {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = BigInt)]
        n: i64,
    }
    let mut conn = open(path)?;
    Ok(diesel::sql_query("SELECT count(*) AS n FROM articles")
        .get_result::<Count>(&mut conn)?
        .n)
}
