//! Reading a catalog as it was at a git revision, from git objects, without a checkout: the
//! `git` command lists the tree (`git ls-tree`) and streams the blobs (`git cat-file --batch`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use eventbind_build::diagnostic::{Diagnostic, Error, Location};

/// Where a catalog folder sits in its git repository.
#[derive(Debug, Clone)]
pub struct Repo {
    /// The work tree's top folder.
    pub toplevel: PathBuf,
    /// The catalog folder relative to it, with `/` separators (empty for the top).
    pub prefix: String,
}

fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_owned());
    }
    Ok(out.stdout)
}

fn problem(at: &Path, message: String, help: &str) -> Error {
    Diagnostic::new(Location::file(at), message).help(help).into()
}

impl Repo {
    /// The repository holding `catalog` (a folder in a work tree).
    pub fn of(catalog: &Path) -> Result<Repo, Error> {
        let help = "run inside a git work tree, or pass a folder to --against";
        let top = git(catalog, &["rev-parse", "--show-toplevel"])
            .map_err(|e| problem(catalog, format!("not in a git repository: {e}"), help))?;
        let prefix = git(catalog, &["rev-parse", "--show-prefix"])
            .map_err(|e| problem(catalog, format!("not in a git repository: {e}"), help))?;
        Ok(Repo {
            toplevel: PathBuf::from(String::from_utf8_lossy(&top).trim()),
            prefix: String::from_utf8_lossy(&prefix).trim().trim_end_matches('/').to_owned(),
        })
    }

    /// The commit a revision names, or an error saying it names none.
    pub fn commit(&self, rev: &str) -> Result<String, Error> {
        if rev.starts_with('-') {
            return Err(problem(Path::new(rev), format!("`{rev}` is not a revision"), "name a branch, tag or commit"));
        }
        let spec = format!("{rev}^{{commit}}");
        git(&self.toplevel, &["rev-parse", "--verify", "--quiet", &spec])
            .map(|out| String::from_utf8_lossy(&out).trim().to_owned())
            .map_err(|_| {
                problem(
                    Path::new(rev),
                    format!("`{rev}` is neither a folder nor a git revision of {}", self.toplevel.display()),
                    "pass a folder, a branch (`main`, `origin/main`), a tag or a commit; in CI, fetch the base branch first",
                )
            })
    }

    /// Commits reachable from `rev` that changed the catalog, newest first (for --transitive).
    pub fn history(&self, rev: &str) -> Result<Vec<String>, Error> {
        let commit = self.commit(rev)?;
        let path = if self.prefix.is_empty() { ".".to_owned() } else { self.prefix.clone() };
        let out = git(&self.toplevel, &["log", "--format=%H", &commit, "--", &path])
            .map_err(|e| problem(&self.toplevel, format!("git log failed: {e}"), ""))?;
        Ok(String::from_utf8_lossy(&out).lines().map(str::to_owned).collect())
    }

    /// Every file of the catalog folder at `rev`: paths relative to the folder, and contents.
    pub fn files_at(&self, rev: &str) -> Result<Vec<(PathBuf, Vec<u8>)>, Error> {
        let commit = self.commit(rev)?;
        let mut args = vec!["ls-tree", "-r", "-z", "--full-tree", commit.as_str()];
        if !self.prefix.is_empty() {
            args.push("--");
            args.push(self.prefix.as_str());
        }
        let listing =
            git(&self.toplevel, &args).map_err(|e| problem(&self.toplevel, format!("git ls-tree failed: {e}"), ""))?;
        let mut entries = Vec::new();
        for record in listing.split(|b| *b == 0).filter(|r| !r.is_empty()) {
            let record = String::from_utf8_lossy(record);
            let Some((meta, path)) = record.split_once('\t') else { continue };
            let fields: Vec<&str> = meta.split(' ').collect();
            // Regular files only: links (120000) and submodules (160000) are not catalog files.
            if fields.len() != 3 || fields[1] != "blob" || !fields[0].starts_with("100") {
                continue;
            }
            let relative = if self.prefix.is_empty() {
                path
            } else {
                match path.strip_prefix(&self.prefix).and_then(|p| p.strip_prefix('/')) {
                    Some(rest) => rest,
                    None => continue,
                }
            };
            entries.push((PathBuf::from(relative), fields[2].to_owned()));
        }
        let blobs = self.cat_blobs(entries.iter().map(|(_, oid)| oid.as_str()))?;
        Ok(entries.into_iter().map(|(p, _)| p).zip(blobs).collect())
    }

    /// Reads blobs in one `git cat-file --batch` process.
    fn cat_blobs<'a>(&self, oids: impl Iterator<Item = &'a str>) -> Result<Vec<Vec<u8>>, Error> {
        let fail = |e: String| problem(&self.toplevel, format!("git cat-file failed: {e}"), "");
        let mut child = Command::new("git")
            .arg("-C")
            .arg(&self.toplevel)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| fail(e.to_string()))?;
        let input: String = oids.map(|o| format!("{o}\n")).collect();
        let count = input.lines().count();
        let mut stdin = child.stdin.take().ok_or_else(|| fail("no stdin".into()))?;
        // Written from another thread: git answers while we are still asking.
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(input.as_bytes());
        });
        let mut out = Vec::new();
        child
            .stdout
            .take()
            .ok_or_else(|| fail("no stdout".into()))?
            .read_to_end(&mut out)
            .map_err(|e| fail(e.to_string()))?;
        let _ = writer.join();
        let status = child.wait().map_err(|e| fail(e.to_string()))?;
        if !status.success() {
            return Err(fail(format!("exit status {status}")));
        }
        let mut blobs = Vec::with_capacity(count);
        let mut rest = out.as_slice();
        for _ in 0..count {
            let header_end = rest.iter().position(|b| *b == b'\n').ok_or_else(|| fail("truncated output".into()))?;
            let header = String::from_utf8_lossy(&rest[..header_end]).into_owned();
            let size: usize = header
                .rsplit(' ')
                .next()
                .and_then(|s| s.parse().ok())
                .ok_or_else(|| fail(format!("unexpected header `{header}`")))?;
            let start = header_end + 1;
            if rest.len() < start + size {
                return Err(fail("truncated output".into()));
            }
            blobs.push(rest[start..start + size].to_vec());
            rest = &rest[(start + size + 1).min(rest.len())..];
        }
        Ok(blobs)
    }
}
