//! Uploads kept exactly as uploaded, when the operator asks for it (`--keep-originals`):
//! a newsroom may need the photographer's file (its EXIF, its full quality) to answer a
//! question about a picture later. These files carry what the served ones never do (the
//! GPS position, camera serial, author), so they live in a folder of their own beside the
//! database, `<database>.originals/`, readable by sahifa's user alone; no route reads it.
//!
//! Keeping one is best effort: the picture is in the library whatever happens here, and a
//! failure is logged, never shown to the editor as a failed upload.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The folder of originals beside the database file `database`: `sahifa.db.originals`.
pub fn dir_beside(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".originals");
    PathBuf::from(name)
}

/// The file an upload of picture `hash` in the format with `extension` is kept in.
fn path_of(dir: &Path, hash: &str, extension: &str) -> PathBuf {
    dir.join(format!("{hash}.{extension}"))
}

/// Extensions of the formats uploads are accepted in.
const EXTENSIONS: [&str; 3] = ["jpg", "png", "webp"];

/// Keeps `upload` as `<dir>/<hash>.<extension>`, creating `dir` (mode 0700) if needed; the
/// file is mode 0600. An original already kept for the same picture is left as it is: the
/// first upload is the one kept.
pub fn keep(dir: &Path, hash: &str, extension: &str, upload: &[u8]) -> io::Result<()> {
    create_private_dir(dir)?;
    let path = path_of(dir, hash, extension);
    if path.exists() {
        return Ok(());
    }
    // Written under another name and renamed: a crash or a full disk never leaves half a
    // file under the name that says it is the original.
    let partial = dir.join(format!(".{hash}.{extension}.partial"));
    let written = write_private(&partial, upload).and_then(|()| fs::rename(&partial, &path));
    if written.is_err() {
        let _ = fs::remove_file(&partial);
    }
    written
}

/// Removes the originals of picture `hash`, if any were kept: a picture deleted from the
/// library leaves no copy behind.
pub fn forget(dir: &Path, hash: &str) -> io::Result<()> {
    for extension in EXTENSIONS {
        match fs::remove_file(path_of(dir, hash, extension)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    Ok(())
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    match builder.create(dir) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists && dir.is_dir() => Ok(()),
        created => created,
    }
}

fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut options = File::options();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    // Kept because the operator wants it kept: on the disk before we say it is.
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn originals_are_kept_once_privately_and_forgotten_with_their_picture() {
        let temp = tempfile::TempDir::new().unwrap();
        let dir = dir_beside(&temp.path().join("sahifa.db"));
        assert_eq!(dir, temp.path().join("sahifa.db.originals"));

        keep(&dir, "abc123", "jpg", b"first upload").unwrap();
        keep(&dir, "abc123", "jpg", b"same picture again").unwrap();
        keep(&dir, "abc123", "png", b"same pixels as a PNG").unwrap();
        assert_eq!(fs::read(dir.join("abc123.jpg")).unwrap(), b"first upload");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&dir), 0o700);
            assert_eq!(mode(&dir.join("abc123.jpg")), 0o600);
        }
        let names: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "no partial file left: {names:?}");

        forget(&dir, "abc123").unwrap();
        forget(&dir, "never-kept").unwrap();
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 0);
    }

    #[test]
    fn a_folder_that_cannot_be_made_is_an_error_not_a_panic() {
        let temp = tempfile::TempDir::new().unwrap();
        let dir = temp.path().join("sahifa.db.originals");
        fs::write(&dir, b"a file where the folder should be").unwrap();
        assert!(keep(&dir, "abc123", "jpg", b"upload").is_err());
    }
}
