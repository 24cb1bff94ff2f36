//! Writing files: whole or not at all.
//!
//! Owns every write bumpwise makes outside the repository (changelogs, docs
//! pages). A file is written to a temporary file in the same directory, synced,
//! and renamed over the target, so a reader sees the old bytes or the new,
//! never half; a failed write leaves the old file as it was. Never used on the
//! repository's own data.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// The largest file bumpwise reads from a work tree (a changelog, its
/// configuration, a docs page): a committed link to `/dev/zero` or a huge
/// file must not take the memory of a CI runner.
pub const READ_LIMIT: u64 = 16 << 20;

/// Reads `path` as UTF-8 text; `Ok(None)` when it does not exist. Only a
/// regular file is read (a FIFO would block, a device never end), and only up
/// to [`READ_LIMIT`].
///
/// # Errors
///
/// An I/O error when the file exists but is not a regular file, is larger
/// than the limit, or cannot be read as text.
pub fn read_if_exists(path: &Path) -> Result<Option<String>> {
    use std::io::Read;
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(format!("cannot read {}: {e}", path.display()))),
    };
    if !meta.is_file() {
        return Err(Error::io(format!(
            "{} is not a regular file (a directory, a device or a FIFO); bumpwise reads only files",
            path.display()
        )));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(READ_LIMIT + 1).read_to_end(&mut bytes))
        .map_err(|e| Error::io(format!("cannot read {}: {e}", path.display())))?;
    if bytes.len() as u64 > READ_LIMIT {
        return Err(Error::io(format!(
            "{} is larger than {} MiB; bumpwise does not read it",
            path.display(),
            READ_LIMIT >> 20
        )));
    }
    String::from_utf8(bytes).map(Some).map_err(|_| {
        Error::io(format!(
            "{} is not UTF-8 text; bumpwise only edits text files",
            path.display()
        ))
    })
}

/// Makes a write past the file-size limit (`ulimit -f`) fail as that write
/// (`EFBIG`), which bumpwise reports on its one error line and cleans up
/// after (the temporary file is removed, the old file kept), instead of
/// SIGXFSZ killing it mid-write with no word and a temporary file left.
#[cfg(unix)]
#[allow(unsafe_code)]
pub fn write_errors_not_signals() {
    // SAFETY: SIG_IGN installs no handler; changing a disposition is safe at any time.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}

/// Lets a child process (`plan --run-tests`' test command) start with SIGXFSZ
/// as the system sets it, not ignored as bumpwise has it: an ignored signal
/// stays ignored across `exec`, and the child's own programs expect the
/// usual behaviour past `ulimit -f`.
#[cfg(unix)]
#[allow(unsafe_code)]
pub fn child_signals_as_usual(command: &mut std::process::Command) {
    use std::os::unix::process::CommandExt;
    // SAFETY: runs between fork and exec; `signal` is async-signal-safe and
    // the closure allocates nothing and takes no lock.
    unsafe {
        command.pre_exec(|| {
            libc::signal(libc::SIGXFSZ, libc::SIG_DFL);
            Ok(())
        });
    }
}

/// A file bumpwise made and has not finished with (a temporary file before
/// its rename, a lock file while it is held): removed if SIGINT, SIGTERM or
/// SIGHUP ends the process first, so an interrupted run leaves nothing
/// beside the user's files. Dropping it says the file is no longer ours to
/// remove (renamed into place, or removed by its owner).
#[must_use]
pub struct Pending {
    #[cfg(unix)]
    path: std::path::PathBuf,
}

impl Pending {
    /// Makes a file with `make` and marks it (at `path_of` what was made) for
    /// removal on a termination signal until dropped, with no moment between
    /// the two: a signal that comes while the file is being made is handled
    /// once it is marked, so it cannot be left behind.
    ///
    /// # Errors
    ///
    /// What `make` returns.
    pub fn around<T, E>(
        make: impl FnOnce() -> std::result::Result<T, E>,
        path_of: impl FnOnce(&T) -> std::path::PathBuf,
    ) -> std::result::Result<(T, Pending), E> {
        #[cfg(unix)]
        {
            signals::watch();
            // Held while the file is made: the signals' sweep waits for it.
            let mut pending = signals::pending();
            let made = make()?;
            let path = path_of(&made);
            pending.push(path.clone());
            Ok((made, Pending { path }))
        }
        #[cfg(not(unix))]
        {
            let made = make()?;
            let _ = path_of(&made);
            Ok((made, Pending {}))
        }
    }
}

impl Pending {
    /// Runs `done`, which renames or removes the file, and unmarks the file
    /// in the same moment: the signals' sweep sees it marked and there, or
    /// neither.
    pub fn finish<T>(self, done: impl FnOnce() -> T) -> T {
        #[cfg(unix)]
        {
            let mut pending = signals::pending();
            let out = done();
            if let Some(at) = pending.iter().rposition(|p| *p == self.path) {
                pending.swap_remove(at);
            }
            // Released before `self` is dropped, which takes it again.
            drop(pending);
            out
        }
        #[cfg(not(unix))]
        done()
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        #[cfg(unix)]
        {
            let mut pending = signals::pending();
            if let Some(at) = pending.iter().rposition(|p| *p == self.path) {
                pending.swap_remove(at);
            }
        }
    }
}

/// The termination signals' watcher: a thread started with the first
/// [`Pending`] file that, on SIGINT, SIGTERM or SIGHUP, removes the files
/// still pending and then ends the process as the signal would have (the
/// same exit status a shell sees without bumpwise's handler).
#[cfg(unix)]
mod signals {
    use std::path::PathBuf;
    use std::sync::{Mutex, MutexGuard, Once};

    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

    static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
    static WATCH: Once = Once::new();

    /// The files to remove; a panic elsewhere does not make the list unusable.
    pub(super) fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
        PENDING
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(super) fn watch() {
        WATCH.call_once(|| {
            // Without the handler a signal still ends the process, only
            // without the cleanup: nothing to report to the user.
            let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])
            else {
                return;
            };
            let _ = std::thread::Builder::new()
                .name("bumpwise-signals".into())
                .spawn(move || {
                    if let Some(signal) = signals.forever().next() {
                        // Held to the end: no file is marked or renamed after the sweep.
                        let pending = pending();
                        for path in pending.iter() {
                            let _ = std::fs::remove_file(path);
                        }
                        let _ = signal_hook::low_level::emulate_default_handler(signal);
                        std::process::exit(128 + signal);
                    }
                });
        });
    }
}

/// Refuses a symbolic link at `path`: bumpwise never writes through one.
///
/// # Errors
///
/// An I/O error naming the link.
pub fn refuse_link(path: &Path) -> Result<()> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(Error::io(format!(
            "{} is a symbolic link; bumpwise does not write through links: give the real path",
            path.display()
        )));
    }
    Ok(())
}

/// Refuses a directory written as a path inside `root` that links along it
/// lead out of `root` (a committed `docs -> /elsewhere`). Every component is
/// resolved, not only the last. A path written outside `root` is the user's
/// choice (docs kept in another checkout) and stays allowed.
///
/// # Errors
///
/// A usage error naming the path and where it leads.
pub fn stays_inside(dir: &Path, root: &Path) -> Result<()> {
    let Ok(root) = std::fs::canonicalize(root) else {
        return Ok(());
    };
    let absolute = match dir.is_absolute() {
        true => dir.to_path_buf(),
        false => std::env::current_dir()
            .map_err(|e| Error::io(format!("cannot read the current directory: {e}")))?
            .join(dir),
    };
    // Lexically: `.` and `..` taken as written, no link followed.
    let mut written = std::path::PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                written.pop();
            }
            other => written.push(other),
        }
    }
    // The nearest part of it that exists, resolved (what is not there yet cannot be a link).
    let Some(resolved) = written
        .ancestors()
        .find_map(|a| std::fs::canonicalize(a).ok())
    else {
        return Ok(());
    };
    if written.starts_with(&root) && !resolved.starts_with(&root) {
        return Err(Error::usage(format!(
            "{} lies in the repository but a link along it leads to {}; bumpwise does not write through links out of the repository (give the real path)",
            dir.display(),
            resolved.display()
        )));
    }
    Ok(())
}

/// Whether `path`, followed through any links, lies within `root`.
pub fn within(path: &Path, root: &Path) -> bool {
    match (std::fs::canonicalize(path), std::fs::canonicalize(root)) {
        (Ok(path), Ok(root)) => path.starts_with(root),
        _ => false,
    }
}

/// Writes `bytes` to `path` atomically, keeping an existing file's permissions.
/// A symbolic link at `path` is refused, never followed or replaced.
///
/// # Errors
///
/// An I/O error naming the path when the directory does not exist, is not
/// writable, or the write fails; the old file is then untouched.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    refuse_link(path)?;
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::io(format!(
            "cannot write {}: directory {} does not exist; create it first",
            path.display(),
            dir.display()
        )));
    }
    let fail = |e: &dyn std::fmt::Display| {
        Error::io(format!(
            "cannot write {}: {e}; the old file is unchanged",
            path.display()
        ))
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".bumpwise-");
    // A new file gets the mode the umask gives (0644 under the usual 022), as
    // any program's would: the temporary file is created with 0666 and the
    // system applies the umask (tempfile's own default, 0600, would hide the
    // file from everyone else, e.g. the host user of a container's output).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let (mut tmp, pending) =
        Pending::around(|| builder.tempfile_in(dir), |t| t.path().to_path_buf())
            .map_err(|e| fail(&e))?;
    let mut write = || -> std::io::Result<()> {
        tmp.write_all(bytes)?;
        hold_for_tests();
        tmp.as_file().sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(tmp.path(), meta.permissions())?;
        }
        Ok(())
    };
    // The temporary file is removed (on failure) or renamed in the moment it
    // stops being pending: a signal cannot come in between.
    match write() {
        Ok(()) => pending.finish(|| tmp.persist(path).map(drop).map_err(|e| fail(&e.error))),
        Err(e) => pending.finish(|| {
            drop(tmp);
            Err(fail(&e))
        }),
    }
}

/// Appends `bytes` to `path` in one write, creating it if needed: the way
/// `$GITHUB_OUTPUT` and `$GITHUB_STEP_SUMMARY` are written.
///
/// # Errors
///
/// An I/O error naming the path.
pub fn append(path: &Path, bytes: &[u8]) -> Result<()> {
    std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .and_then(|mut file| file.write_all(bytes))
        .map_err(|e| Error::io(format!("cannot append to {}: {e}", path.display())))
}

/// Runs `work` holding the lock file `lock` (created exclusively, removed
/// after, whatever `work` returns), waiting up to 10 s for another holder:
/// a read-change-write of one file by two runs at once would lose one's change.
///
/// # Errors
///
/// An I/O error naming the lock when it stays held for 10 s; what `work` returns.
pub fn with_lock<T>(lock: &Path, work: impl FnOnce() -> Result<T>) -> Result<T> {
    let mut waited = 0;
    let take = || {
        let create = || {
            std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(lock)
        };
        Pending::around(create, |_| lock.to_path_buf())
    };
    let pending = loop {
        let e = match take() {
            Ok((_, pending)) => break pending,
            Err(e) => e,
        };
        if e.kind() != std::io::ErrorKind::AlreadyExists {
            return Err(Error::io(format!(
                "cannot take the lock {}: {e}",
                lock.display()
            )));
        }
        if waited >= 10_000 {
            return Err(Error::io(format!(
                "{} has been held for 10 s; if no other bumpwise is running, remove it",
                lock.display()
            )));
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        waited += 10;
    };
    let out = work();
    // Removed and unmarked at once: a signal in between would remove the
    // lock another run may have taken by then.
    pending.finish(|| {
        let _ = std::fs::remove_file(lock);
    });
    out
}

/// In debug builds only, a test's way to interrupt a write at its riskiest
/// point: with `BUMPWISE_TEST_HOLD_WRITE` set, the temporary file is
/// written and left in place for that many seconds before its rename.
/// Release builds compile it to nothing.
fn hold_for_tests() {
    #[cfg(debug_assertions)]
    if let Some(secs) = std::env::var("BUMPWISE_TEST_HOLD_WRITE")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        std::thread::sleep(std::time::Duration::from_secs(secs));
    }
}

/// The lock file that guards a read-change-write of `path` (beside it, hidden).
pub fn lock_for(path: &Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.bumpwise-lock"))
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_marked_from_its_making_to_its_finish_and_not_when_it_cannot_be_made() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x");
        let (file, pending) =
            Pending::around(|| std::fs::File::create(&path), |_| path.clone()).unwrap();
        drop(file);
        assert!(signals::pending().contains(&path));
        assert!(pending.finish(|| std::fs::remove_file(&path).is_ok()));
        assert!(!signals::pending().contains(&path));
        let missing = dir.path().join("no/such/dir/y");
        let made = Pending::around(|| std::fs::File::create(&missing), |_| missing.clone());
        assert!(made.is_err());
        assert!(!signals::pending().contains(&missing));
    }
}
