//! The one way tenk writes a file that someone else reads: whole or not at all.
//!
//! Outputs, run reports, the `--since` mark and cache entries are written to a temporary
//! file with a unique name in the target's folder, flushed to disk, then renamed over the
//! target. A reader (pandas, a rerun, another tenk process sharing the dataset) sees the
//! old file or the new one, never half of one; a crash leaves at most a stray temporary
//! file, which is removed when the writer fails normally. Unique names matter because two
//! runs may share a folder (`--shard`, a nightly job next to an ad hoc run).

use std::fs::File;
use std::io;
use std::path::Path;

/// Writes `path` through `write`, atomically: `write` fills a temporary file in the same
/// folder, which is synced and renamed to `path`. The folder is created when missing.
pub fn write<E: From<io::Error>>(
    path: &Path,
    write: impl FnOnce(&mut File) -> Result<(), E>,
) -> Result<(), E> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let prefix = format!(
        ".{}.",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("tenk")
    );
    let mut tmp = tempfile::Builder::new()
        .prefix(&prefix)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    write(tmp.as_file_mut())?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| E::from(e.error))?;
    Ok(())
}

/// Writes `bytes` to `path` atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write(path, |f| io::Write::write_all(f, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.json");
        write_bytes(&path, b"old").unwrap();
        let failed: io::Result<()> = write(&path, |f| {
            io::Write::write_all(f, b"half")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"old");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec!["state.json"]);
        write_bytes(&path, b"new").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"new");
    }

    #[test]
    fn writers_of_one_file_do_not_share_a_temporary_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("_state.json");
        std::thread::scope(|s| {
            for i in 0..8 {
                let path = &path;
                s.spawn(move || {
                    for _ in 0..20 {
                        write_bytes(path, format!("{{\"writer\": {i}}}").as_bytes()).unwrap();
                    }
                });
            }
        });
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.starts_with("{\"writer\": ") && text.ends_with('}'),
            "{text}"
        );
    }
}
