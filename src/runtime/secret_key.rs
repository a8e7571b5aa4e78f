//! The server's secret key, which signs CSRF tokens. From `SAHIFA_SECRET_KEY`, or generated
//! once and kept next to the database (mode 0600) so that a restart keeps forms valid.

use std::path::{Path, PathBuf};

pub const ENV_VAR: &str = "SAHIFA_SECRET_KEY";
const MIN_ENV_KEY_LENGTH: usize = 32;

#[derive(Clone)]
pub struct SecretKey(Vec<u8>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// A key that lives only as long as the process (tests).
    pub fn random() -> Self {
        SecretKey(crate::core::token::random_hex(32).into_bytes())
    }

    /// The key to use with this database, creating the key file if needed.
    pub fn load(database: &Path) -> Result<Self, String> {
        if let Ok(key) = std::env::var(ENV_VAR) {
            if key.len() < MIN_ENV_KEY_LENGTH {
                return Err(format!(
                    "{ENV_VAR} must be at least {MIN_ENV_KEY_LENGTH} characters long"
                ));
            }
            return Ok(SecretKey(key.into_bytes()));
        }
        let path = key_path(database);
        match std::fs::read_to_string(&path) {
            Ok(key) if key.trim().len() >= MIN_ENV_KEY_LENGTH => {
                Ok(SecretKey(key.trim().as_bytes().to_vec()))
            }
            Ok(_) => Err(format!("{} is too short to be a key", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = crate::core::token::random_hex(32);
                write_private(&path, &key)
                    .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
                Ok(SecretKey(key.into_bytes()))
            }
            Err(e) => Err(format!("cannot read {}: {e}", path.display())),
        }
    }
}

/// Copies the key file at `from` to `to`, readable by its owner only.
pub fn copy_key(from: &Path, to: &Path) -> std::io::Result<()> {
    let key = std::fs::read_to_string(from)?;
    write_private(to, &key)
}

/// Where the key of the database at `database` is kept: `<database>.key`.
pub fn key_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".key");
    PathBuf::from(name)
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}
