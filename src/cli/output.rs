//! Writing output files so that no half-written file is ever left behind.
//!
//! Each file is written to a hidden temporary name in the target folder,
//! flushed to disk, and renamed over the final name only once every file has
//! been written. A failure or an interruption before the renames leaves the
//! previous files untouched, and the temporaries are removed. A process
//! killed outright (SIGKILL, power loss) cannot remove its temporaries, but
//! they are hidden files and the next commit into the folder removes them;
//! a final name only ever holds a complete file.

use anyhow::{Context, Result};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// True while finished temporaries are being renamed into place: a second
/// Ctrl-C then waits instead of leaving a folder of old and new files mixed.
pub static RENAMING: AtomicBool = AtomicBool::new(false);

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
        self.commit_with(&mut write_file, &RENAMING)
    }

    /// [`OutputSet::commit`] with the function that writes one temporary
    /// file (they are all flushed to disk after the last is written) and the
    /// flag raised while renaming; tests inject a failing writer (a full
    /// disk) and a flag of their own, since tests running side by side in one
    /// process would otherwise see each other's [`RENAMING`].
    fn commit_with(
        self,
        write: &mut dyn FnMut(&Path, &[u8]) -> std::io::Result<()>,
        renaming: &AtomicBool,
    ) -> Result<Vec<PathBuf>> {
        fs::create_dir_all(&self.dir).with_context(|| {
            let dir = self.dir.display();
            super::words(heatplan::both!(
                "cannot create the output folder {dir}",
                "无法创建输出文件夹 {dir}"
            ))
        })?;
        remove_stale_temporaries(&self.dir, &self.files);
        let mut temps = TempFiles(Vec::new());
        for (name, content) in &self.files {
            let tmp = self.dir.join(format!(".{name}.tmp-{}", std::process::id()));
            temps.0.push(tmp.clone());
            write(&tmp, content).with_context(|| {
                let file = self.dir.join(name);
                let file = file.display();
                super::words(heatplan::both!(
                    "cannot write {file} (is the disk full?)",
                    "无法写入 {file}（磁盘是否已满？）"
                ))
            })?;
        }
        sync_all(&temps.0).with_context(|| {
            let dir = self.dir.display();
            super::words(heatplan::both!(
                "cannot write the files into {dir} (is the disk full?)",
                "无法把文件写入 {dir}（磁盘是否已满？）"
            ))
        })?;
        let mut done = Vec::new();
        renaming.store(true, Ordering::SeqCst);
        let renamed = self
            .files
            .iter()
            .zip(&temps.0)
            .try_for_each(|((name, _), tmp)| {
                let target = self.dir.join(name);
                fs::rename(tmp, &target).with_context(|| {
                    let file = target.display();
                    super::words(heatplan::both!(
                        "cannot move {file} into place",
                        "无法把 {file} 移到位"
                    ))
                })?;
                done.push(target);
                Ok::<(), anyhow::Error>(())
            });
        renaming.store(false, Ordering::SeqCst);
        renamed?;
        temps.0.clear();
        Ok(done)
    }
}

/// Removes temporaries of these file names left by an earlier process that
/// was killed before it could clean up (`.NAME.tmp-PID`).
fn remove_stale_temporaries(dir: &Path, files: &[(String, Vec<u8>)]) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let stale = files.iter().any(|(f, _)| {
            name.strip_prefix(&format!(".{f}.tmp-"))
                .is_some_and(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
        });
        if stale {
            let _ = fs::remove_file(e.path());
        }
    }
}

fn write_file(path: &Path, content: &[u8]) -> std::io::Result<()> {
    let mut f = fs::File::create(path)?;
    f.write_all(content)
}

/// Flushes written files to disk. Flushing them one after another waits for
/// one journal commit each (tens of milliseconds apiece on a busy disk, a
/// second for the sixty files of a large programme); flushed side by side
/// they share commits.
fn sync_all(paths: &[PathBuf]) -> std::io::Result<()> {
    const THREADS: usize = 8;
    let chunk = paths.len().div_ceil(THREADS).max(1);
    std::thread::scope(|s| {
        let flushes: Vec<_> = paths
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || part.iter().try_for_each(|p| fs::File::open(p)?.sync_all()))
            })
            .collect();
        flushes
            .into_iter()
            .try_for_each(|f| f.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes like `write_file` until `budget` bytes have gone to disk in
    /// total, then leaves the file cut short and fails as a full disk does.
    fn disk_with_room_for(budget: usize) -> impl FnMut(&Path, &[u8]) -> std::io::Result<()> {
        let mut left = budget;
        move |path, content| {
            let n = content.len().min(left);
            left -= n;
            let mut f = fs::File::create(path)?;
            f.write_all(&content[..n])?;
            if n < content.len() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::StorageFull,
                    "No space left on device",
                ));
            }
            f.sync_all()
        }
    }

    fn listing(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut v: Vec<(String, Vec<u8>)> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().to_string(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        v.sort();
        v
    }

    fn set(dir: &Path, version: &str) -> OutputSet {
        let mut s = OutputSet::new(dir);
        for name in ["plan.json", "plan.csv", "report.html"] {
            s.add(name, format!("{name} {version} ").repeat(50));
        }
        s
    }

    #[test]
    fn a_full_disk_at_any_byte_leaves_the_previous_files_untouched() {
        let dir = tempfile::tempdir().unwrap();
        set(dir.path(), "old")
            .commit_with(&mut write_file, &AtomicBool::new(false))
            .unwrap();
        let before = listing(dir.path());
        let total: usize = set(dir.path(), "new").files.iter().map(|f| f.1.len()).sum();
        // Fail after every possible number of bytes, including inside each
        // file and exactly at the boundaries between them.
        for budget in (0..total).step_by(97).chain([total - 1]) {
            let err = set(dir.path(), "new")
                .commit_with(&mut disk_with_room_for(budget), &AtomicBool::new(false))
                .unwrap_err();
            assert!(format!("{err:#}").contains("disk full"), "{err:#}");
            assert_eq!(
                listing(dir.path()),
                before,
                "after failing at byte {budget}"
            );
        }
        // With room for everything the new files replace the old ones.
        set(dir.path(), "new")
            .commit_with(&mut disk_with_room_for(total), &AtomicBool::new(false))
            .unwrap();
        let after = listing(dir.path());
        assert_eq!(after.len(), 3);
        assert!(after
            .iter()
            .all(|(_, c)| c.starts_with(b"plan") || c.starts_with(b"report")));
        assert!(after
            .iter()
            .all(|(n, c)| String::from_utf8_lossy(c).contains(&format!("{n} new"))));
    }

    #[test]
    fn temporaries_of_a_killed_run_are_removed_by_the_next() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".plan.csv.tmp-999999");
        fs::write(&stale, "half a plan").unwrap();
        let other = dir.path().join(".notes.tmp-1");
        fs::write(&other, "not ours").unwrap();
        set(dir.path(), "new")
            .commit_with(&mut write_file, &AtomicBool::new(false))
            .unwrap();
        assert!(!stale.exists());
        assert!(other.exists(), "only our own temporaries are removed");
    }

    #[test]
    fn a_failed_rename_clears_the_renaming_flag_and_the_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        // A non-empty folder where report.html should go cannot be replaced.
        fs::create_dir_all(dir.path().join("report.html/x")).unwrap();
        let renaming = AtomicBool::new(false);
        let err = set(dir.path(), "new")
            .commit_with(&mut write_file, &renaming)
            .unwrap_err();
        assert!(format!("{err:#}").contains("cannot move"), "{err:#}");
        assert!(!renaming.load(Ordering::SeqCst));
        let names: Vec<String> = listing_names(dir.path());
        assert!(names.iter().all(|n| !n.contains(".tmp-")), "{names:?}");
    }

    fn listing_names(dir: &Path) -> Vec<String> {
        fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect()
    }

    #[test]
    fn a_full_disk_on_a_fresh_folder_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let err = set(&out, "new")
            .commit_with(&mut disk_with_room_for(1000), &AtomicBool::new(false))
            .unwrap_err();
        assert!(format!("{err:#}").contains("plan"), "{err:#}");
        assert!(listing(&out).is_empty(), "{:?}", listing(&out));
    }
}
