//! Writing output files so that no half-written file is ever left behind.
//!
//! Each file is written to a hidden temporary name in the target folder,
//! flushed to disk, and renamed over the final name only once every file has
//! been written. A failure or an interruption before the renames leaves the
//! previous files untouched, and the temporaries are removed.

use anyhow::{Context, Result};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Files waiting to be written into one folder.
pub struct OutputSet {
    dir: PathBuf,
    files: Vec<(String, Vec<u8>)>,
}

impl OutputSet {
    /// An empty set for `dir`.
    pub fn new(dir: &Path) -> OutputSet {
        OutputSet {
            dir: dir.to_path_buf(),
            files: Vec::new(),
        }
    }

    /// Adds a file.
    pub fn add(&mut self, name: &str, content: impl Into<Vec<u8>>) {
        self.files.push((name.to_string(), content.into()));
    }

    /// Writes every file atomically; returns the final paths.
    pub fn commit(self) -> Result<Vec<PathBuf>> {
        fs::create_dir_all(&self.dir)
            .with_context(|| format!("cannot create the output folder {}", self.dir.display()))?;
        let mut temps = TempFiles(Vec::new());
        for (name, content) in &self.files {
            let tmp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
            temps.0.push(tmp.clone());
            write_synced(&tmp, content).with_context(|| {
                format!(
                    "cannot write {} (is the disk full?)",
                    self.dir.join(name).display()
                )
            })?;
        }
        let mut done = Vec::new();
        for ((name, _), tmp) in self.files.iter().zip(&temps.0) {
            let target = self.dir.join(name);
            fs::rename(tmp, &target)
                .with_context(|| format!("cannot move {} into place", target.display()))?;
            done.push(target);
        }
        temps.0.clear();
        Ok(done)
    }
}

fn write_synced(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let mut f = fs::File::create(path)?;
    f.write_all(content)?;
    f.sync_all()
}

/// Removes temporaries that were not renamed (on error or unwinding).
struct TempFiles(Vec<PathBuf>);

impl Drop for TempFiles {
    fn drop(&mut self) {
        for p in &self.0 {
            let _ = fs::remove_file(p);
        }
    }
}
