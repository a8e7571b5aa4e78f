//! The PostgreSQL side of the test harness. `SAHIFA_TEST_BACKEND=postgres` runs every
//! server the tests spawn on PostgreSQL instead of SQLite, each on a database of its own
//! (created here, dropped when the last handle on the test's folder goes). The server is
//! `SAHIFA_TEST_POSTGRES_URL` (a URL without a database name), by default the one on this
//! machine: postgres://postgres@127.0.0.1:5432.

use std::path::Path;

use diesel::pg::PgConnection;
use diesel::{Connection, RunQueryDsl};

/// Prefix of every database the tests create.
const PREFIX: &str = "sahifa_t_";

pub fn server_url() -> String {
    std::env::var("SAHIFA_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
        .trim_end_matches('/')
        .to_owned()
}

/// Whether the spawned servers run on PostgreSQL (`SAHIFA_TEST_BACKEND=postgres`).
pub fn selected() -> bool {
    std::env::var("SAHIFA_TEST_BACKEND").is_ok_and(|b| b == "postgres")
}

/// Whether a PostgreSQL server answers: the tests that are about PostgreSQL itself run
/// when it does, and must (they fail, not skip) with `CI=true` or the URL set.
pub fn available() -> bool {
    let required = std::env::var("CI").is_ok_and(|v| v == "true")
        || std::env::var_os("SAHIFA_TEST_POSTGRES_URL").is_some();
    match admin() {
        Ok(_) => true,
        Err(e) if required => panic!("PostgreSQL at {} is required: {e}", server_url()),
        Err(e) => {
            eprintln!("skipped: no PostgreSQL at {}: {e}", server_url());
            false
        }
    }
}

/// A connection for creating and dropping databases (to the `test` database, or
/// `postgres` when there is none).
fn admin() -> diesel::ConnectionResult<PgConnection> {
    PgConnection::establish(&format!("{}/test", server_url()))
        .or_else(|_| PgConnection::establish(&format!("{}/postgres", server_url())))
}

/// The database of the test whose folder is `dir`: named after it, so that whoever holds
/// the folder can find it again (a restart of the server in the same test).
pub fn database_name(dir: &Path) -> String {
    let base = dir
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let hex: String = base.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{PREFIX}{hex}")
}

/// Creates the database of the test whose folder is `dir` (empty), unless the test has it
/// already (a server restarted on the same folder); returns its URL.
pub fn create_for(dir: &Path) -> String {
    #[derive(diesel::QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut admin = admin().expect("PostgreSQL answers");
    reap(&mut admin);
    let name = database_name(dir);
    let found: Found = diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM pg_database WHERE datname = '{name}'"
    ))
    .get_result(&mut admin)
    .expect("list databases");
    if found.n == 0 {
        diesel::sql_query(format!("CREATE DATABASE {name}"))
            .execute(&mut admin)
            .expect("create the test database");
    }
    format!("{}/{name}", server_url())
}

/// Drops the database of the test whose folder is `dir`, if there is one.
pub fn drop_for(dir: &Path) {
    if let Ok(mut admin) = admin() {
        let _ = diesel::sql_query(format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            database_name(dir)
        ))
        .execute(&mut admin);
    }
}

/// Drops the databases of tests whose folder is gone (a test that panicked, or one that
/// let go of its folder before its server): named after folders in the temp directory.
fn reap(admin: &mut PgConnection) {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let Ok(names) = diesel::sql_query(format!(
        "SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%'"
    ))
    .load::<Name>(admin) else {
        return;
    };
    for Name { datname } in names {
        let Some(folder) = decode(&datname[PREFIX.len()..]) else {
            continue;
        };
        if !std::env::temp_dir().join(&folder).exists() {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {datname} WITH (FORCE)"))
                .execute(admin);
        }
    }
}

fn decode(hex: &str) -> Option<String> {
    let bytes: Option<Vec<u8>> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect();
    String::from_utf8(bytes?).ok()
}
