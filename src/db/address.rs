//! Where the database is: an SQLite file (the embedded default) or a PostgreSQL server, and
//! where this process keeps the files that belong to it alone (search index, views not yet
//! written, uploads as uploaded).

use std::path::{Path, PathBuf};

/// What `--database` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DatabaseAddress {
    /// An SQLite file. What this process keeps for itself sits beside it: `<file>.search/`…
    File(PathBuf),
    /// A PostgreSQL server shared by any number of instances; each keeps its own files in
    /// `state_dir` (`--state-dir`).
    Postgres { url: String, state_dir: PathBuf },
}

impl DatabaseAddress {
    /// `postgres://…` or `postgresql://…` is a server; anything else is a file path.
    pub fn parse(given: &str, state_dir: Option<PathBuf>) -> DatabaseAddress {
        if given.starts_with("postgres://") || given.starts_with("postgresql://") {
            DatabaseAddress::Postgres {
                url: given.to_owned(),
                state_dir: state_dir.unwrap_or_else(|| PathBuf::from(".")),
            }
        } else {
            DatabaseAddress::File(PathBuf::from(given))
        }
    }

    /// The SQLite file, if that is what it is.
    pub fn file(&self) -> Option<&Path> {
        match self {
            DatabaseAddress::File(path) => Some(path),
            DatabaseAddress::Postgres { .. } => None,
        }
    }

    /// What the files of this process's own are named after: the SQLite file, or
    /// `<state dir>/sahifa`.
    pub fn local_stem(&self) -> PathBuf {
        match self {
            DatabaseAddress::File(path) => path.clone(),
            DatabaseAddress::Postgres { state_dir, .. } => state_dir.join("sahifa"),
        }
    }

    /// A file of this process's own named with `suffix` (".search", ".pending-views"):
    /// beside the SQLite file, or `sahifa<suffix>` in the state folder.
    pub fn beside(&self, suffix: &str) -> PathBuf {
        match self {
            DatabaseAddress::File(path) => {
                let mut name = path.as_os_str().to_owned();
                name.push(suffix);
                PathBuf::from(name)
            }
            DatabaseAddress::Postgres { state_dir, .. } => {
                state_dir.join(format!("sahifa{suffix}"))
            }
        }
    }

    /// For messages and logs: the file, or the server's URL without its password.
    pub fn describe(&self) -> String {
        match self {
            DatabaseAddress::File(path) => path.display().to_string(),
            DatabaseAddress::Postgres { url, .. } => without_password(url),
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user@host/db`.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((user_info, host)) => {
            let user = user_info.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}@{host}")
        }
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_servers_and_anything_else_a_file() {
        let pg = DatabaseAddress::parse("postgres://news:secret@db:5432/site", None);
        assert_eq!(pg.describe(), "postgres://news@db:5432/site");
        assert_eq!(pg.beside(".search"), PathBuf::from("./sahifa.search"));
        assert_eq!(pg.file(), None);
        let file = DatabaseAddress::parse("data/site.db", Some("/ignored".into()));
        assert_eq!(file.beside(".search"), PathBuf::from("data/site.db.search"));
        assert_eq!(file.file(), Some(Path::new("data/site.db")));
    }
}
