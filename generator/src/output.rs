//! Writing generated files: only when the content changed (so cargo does not rebuild for
//! nothing), atomically (a temporary file renamed into place, so no partial output is left).

use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Whether `path` already holds exactly `content`.
pub fn is_current(path: &Path, content: &[u8]) -> bool {
    std::fs::read(path).is_ok_and(|existing| existing == content)
}

/// Writes `content` to `path` unless it is already there; returns whether it wrote.
pub fn write_if_changed(path: &Path, content: &[u8]) -> io::Result<bool> {
    if is_current(path, content) {
        return Ok(false);
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let (tmp, mut file) = create_temporary(dir)?;
    let written = file
        .write_all(content)
        // Temporary files are made like any other (umask applies); generated code is ordinary
        // source, readable by everyone.
        .and_then(|()| {
            #[cfg(unix)]
            std::fs::set_permissions(&tmp, std::os::unix::fs::PermissionsExt::from_mode(0o644))?;
            Ok(())
        })
        // No fsync: the rename already means no reader sees a partial file, and generated files
        // are made again from the catalog, so surviving a power loss is not worth a disk flush per
        // file (5,000 of them for a Java package of 1,000 event types).
        .and_then(|()| {
            drop(file);
            std::fs::rename(&tmp, path)
        });
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map(|()| true)
}

/// The counter in temporary file names.
static NEXT: AtomicU64 = AtomicU64::new(0);

/// A new file in `dir` that no other writer opens: the name holds the process id and a counter,
/// and `create_new` refuses a name that exists (left by a crashed run, say), so the next is tried.
/// (The tempfile crate does this with random names; it would be the only crate in a consumer's
/// build script that needs rustix.)
fn create_temporary(dir: &Path) -> io::Result<(PathBuf, File)> {
    let mut attempts = 0;
    loop {
        let path = dir.join(format!(".eventbind-{}-{}.tmp", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((path, file)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 1000 => attempts += 1,
            Err(e) => return Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_only_changes_and_steps_over_stale_temporary_files() {
        let dir = std::env::temp_dir().join(format!("eventbind-output-test-{}", std::process::id()));
        let path = dir.join("nested/out.rs");
        assert!(write_if_changed(&path, b"one").unwrap());
        assert!(!write_if_changed(&path, b"one").unwrap(), "unchanged content is not written again");
        // Files of the next names, as a crashed run of a process with this id would leave them.
        let next = NEXT.load(Ordering::Relaxed);
        let stale: Vec<PathBuf> = (next..next + 3)
            .map(|n| dir.join("nested").join(format!(".eventbind-{}-{n}.tmp", std::process::id())))
            .collect();
        for file in &stale {
            std::fs::write(file, b"stale").unwrap();
        }
        assert!(write_if_changed(&path, b"two").unwrap());
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let mut names: Vec<_> = std::fs::read_dir(dir.join("nested")).unwrap().map(|e| e.unwrap().path()).collect();
        names.sort();
        let mut expected = stale.clone();
        expected.push(path.clone());
        expected.sort();
        assert_eq!(names, expected, "only the output and the stale files, untouched");
        assert!(stale.iter().all(|f| std::fs::read(f).unwrap() == b"stale"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
