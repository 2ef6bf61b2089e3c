//! A hash of everything a generation depends on, so a build script re-run on an unchanged
//! catalog can skip loading and generating: it reads the files, but parses nothing.
//!
//! XXH3 with 128 bits: the hash only tells an edited catalog from an unchanged one, with no
//! adversary to resist, so it need not be cryptographic; it is pure Rust (blake3 compiled C and
//! assembly in every consumer's build) and faster than reading the files.

use std::path::{Path, PathBuf};

/// The hash of the options key and every file under the catalog roots (names and contents, in
/// sorted order), and the files and folders seen.
pub fn of_catalogs(roots: &[PathBuf], key: &str) -> Result<(String, Vec<PathBuf>), (PathBuf, std::io::Error)> {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    hasher.update(key.as_bytes());
    let mut seen = Vec::new();
    for root in roots {
        seen.push(root.clone());
        let walker = walkdir::WalkDir::new(root).follow_links(true).sort_by_file_name();
        for entry in walker {
            let entry = entry.map_err(|e| {
                (e.path().map_or_else(|| root.clone(), Path::to_path_buf), std::io::Error::other(e.to_string()))
            })?;
            let path = entry.path();
            if entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            hasher.update(path.as_os_str().as_encoded_bytes());
            hasher.update(&[0]);
            if entry.file_type().is_file() {
                let bytes = std::fs::read(path).map_err(|e| (path.to_owned(), e))?;
                hasher.update(&(bytes.len() as u64).to_le_bytes());
                hasher.update(&bytes);
            }
            if entry.depth() > 0 {
                seen.push(path.to_owned());
            }
        }
    }
    Ok((format!("{:032x}", hasher.digest128()), seen))
}
