//! The search index's files, read with `pread` instead of mapped into memory.
//!
//! Tantivy maps its files by default. Every page a query touches then stays in the
//! server's resident memory until the kernel needs it back, so the resident size grows with
//! the archive (the postings of 100,000 articles are 46 MB; of a million, ten times that).
//! Read this way, a query copies only what it reads, and the kernel's page cache (shared,
//! not counted in the server's memory) keeps the hot parts fast. Everything else (writing,
//! locks, deleting) is Tantivy's own directory.
//!
//! What queries read most (the postings of common words: megabytes each on a big archive,
//! copied again by every query that names them) is kept in a small cache with a byte
//! budget, [`READ_CACHE_BYTES`]: index files never change once written, so a range read
//! once is good until it is evicted.

use std::collections::{HashMap, VecDeque};
use std::fs::File;
use std::io::{self, Read};
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use tantivy::HasLen;
use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};

/// The byte budget of the ranges kept after a read: a fixed part of the server's memory
/// whatever the archive's size. At 100,000 articles searches measured as fast with 8 MB as
/// with 24 MB (docs/BENCHMARKS.md); at a million a common word's postings outgrow the
/// quarter of it a range may take, and are read again by each query.
pub const READ_CACHE_BYTES: usize = 8 << 20;
/// Smaller reads are cheap to repeat and not kept.
const CACHED_FROM_BYTES: usize = 4096;

type RangeKey = (Arc<Path>, usize, usize);

/// Ranges of index files read lately, oldest evicted first past the budget.
#[derive(Debug, Default)]
struct ReadCache {
    entries: Mutex<CachedRanges>,
}

#[derive(Debug, Default)]
struct CachedRanges {
    bytes: HashMap<RangeKey, OwnedBytes>,
    order: VecDeque<RangeKey>,
    total: usize,
}

impl ReadCache {
    fn get(&self, key: &RangeKey) -> Option<OwnedBytes> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        entries.bytes.get(key).cloned()
    }

    fn keep(&self, key: RangeKey, bytes: &OwnedBytes) {
        let size = bytes.len();
        if size > READ_CACHE_BYTES / 4 {
            return;
        }
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.bytes.contains_key(&key) {
            return;
        }
        while entries.total + size > READ_CACHE_BYTES {
            let Some(oldest) = entries.order.pop_front() else {
                break;
            };
            if let Some(evicted) = entries.bytes.remove(&oldest) {
                entries.total -= evicted.len();
            }
        }
        entries.total += size;
        entries.order.push_back(key.clone());
        entries.bytes.insert(key, bytes.clone());
    }
}

/// A directory whose files are read by copying the requested bytes.
#[derive(Debug, Clone)]
pub struct ReadDirectory {
    root: PathBuf,
    files: MmapDirectory,
    cache: Arc<ReadCache>,
}

impl ReadDirectory {
    pub fn open(root: &Path) -> Result<ReadDirectory, OpenDirectoryError> {
        Ok(ReadDirectory {
            root: root.to_owned(),
            files: MmapDirectory::open(root)?,
            cache: Arc::default(),
        })
    }
}

/// An open index file and its length.
#[derive(Debug)]
struct ReadFile {
    path: Arc<Path>,
    file: File,
    len: usize,
    cache: Arc<ReadCache>,
}

impl HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        let end = range.end.min(self.len);
        if range.start >= end {
            return Ok(OwnedBytes::empty());
        }
        let key = (self.path.clone(), range.start, end);
        if let Some(bytes) = self.cache.get(&key) {
            return Ok(bytes);
        }
        // Read into fresh capacity: no zeroing of a buffer about to be overwritten.
        let wanted = end - range.start;
        let mut bytes = Vec::with_capacity(wanted);
        let mut reader = FileAt {
            file: &self.file,
            at: range.start as u64,
        }
        .take(wanted as u64);
        reader.read_to_end(&mut bytes)?;
        if bytes.len() != wanted {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "index file too short",
            ));
        }
        let bytes = OwnedBytes::new(bytes);
        if wanted >= CACHED_FROM_BYTES {
            self.cache.keep(key, &bytes);
        }
        Ok(bytes)
    }
}

/// `pread` as a `Read`, from `at` on.
struct FileAt<'a> {
    file: &'a File,
    at: u64,
}

impl Read for FileAt<'_> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        let read = self.file.read_at(buffer, self.at)?;
        self.at += read as u64;
        Ok(read)
    }
}

impl Directory for ReadDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let full_path = self.root.join(path);
        let opened = File::open(&full_path).and_then(|file| {
            let len = usize::try_from(file.metadata()?.len()).map_err(io::Error::other)?;
            Ok(ReadFile {
                path: Arc::from(full_path.as_path()),
                file,
                len,
                cache: self.cache.clone(),
            })
        });
        match opened {
            Ok(file) => Ok(Arc::new(file)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                Err(OpenReadError::FileDoesNotExist(path.to_owned()))
            }
            Err(e) => Err(OpenReadError::wrap_io_error(e, path.to_owned())),
        }
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.files.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.files.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.files.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.files.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.files.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.files.sync_directory()
    }

    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.files.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.files.watch(watch_callback)
    }
}
