//! Writing generated files: only when the content changed (so cargo does not rebuild for
//! nothing), atomically (a temporary file renamed into place, so no partial output is left).

use std::io::Write;
use std::path::Path;

/// Whether `path` already holds exactly `content`.
pub fn is_current(path: &Path, content: &[u8]) -> bool {
    std::fs::read(path).is_ok_and(|existing| existing == content)
}

/// Writes `content` to `path` unless it is already there; returns whether it wrote.
pub fn write_if_changed(path: &Path, content: &[u8]) -> std::io::Result<bool> {
    if is_current(path, content) {
        return Ok(false);
    }
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(content)?;
    // Temporary files are created private (0600); generated code is ordinary source.
    #[cfg(unix)]
    std::fs::set_permissions(tmp.path(), std::os::unix::fs::PermissionsExt::from_mode(0o644))?;
    // No fsync: the rename already means no reader sees a partial file, and generated files are
    // made again from the catalog, so surviving a power loss is not worth a disk flush per file
    // (5,000 of them for a Java package of 1,000 event types).
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(true)
}
