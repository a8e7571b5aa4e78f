//! One server per SQLite file: the view counter's write-behind tally, the caches and the
//! sign-in throttle all assume they are the only ones serving that database (several
//! instances are for the PostgreSQL backend). A second server on the same file would
//! show counts that drift apart, so it is refused at start.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

/// Held for as long as the server runs: an exclusive `flock` on `<database>.lock`. The
/// kernel lets go of it when the process ends, however it ends (a kill -9 included).
#[derive(Debug)]
pub struct ServerLock {
    _file: File,
}

/// The lock file of the database at `database`.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl ServerLock {
    /// Takes the lock, or says who has it.
    pub fn take(database: &Path) -> Result<ServerLock, String> {
        let path = lock_path(database);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| format!("cannot open the lock file {}: {e}", path.display()))?;
        match file.try_lock() {
            Ok(()) => Ok(ServerLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(format!(
                "another sahifa is already serving {} (it holds {}); one server per SQLite \
                 file, and on PostgreSQL one state folder per instance",
                database.display(),
                path.display()
            )),
            Err(TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", path.display())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_on_the_same_database_is_refused_until_the_first_goes() {
        let dir = tempfile::TempDir::new().unwrap();
        let db = dir.path().join("sahifa.db");
        let first = ServerLock::take(&db).unwrap();
        let refused = ServerLock::take(&db).unwrap_err();
        assert!(refused.contains("already serving"), "{refused}");
        drop(first);
        assert!(ServerLock::take(&db).is_ok());
        // Another database is another lock.
        let _other = ServerLock::take(&dir.path().join("other.db")).unwrap();
    }
}
