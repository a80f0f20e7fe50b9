//! The on-disk cache of EDGAR responses.
//!
//! Why: a nightly job or a rerun after a crash asks for the same documents again, and every
//! request counts against SEC's rate. Archives documents never change once filed, so they
//! are kept forever; the ticker list, submissions and index files change daily, so they are
//! kept for a time-to-live. Entries live under `<dir>/<host>/<path>`, so two servers (sec.gov
//! and a test server, or two test servers) never share an entry, and are written to a
//! temporary name and renamed, so a crash never leaves half a document that a later run
//! would trust.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
    ttl: Duration,
}

impl Cache {
    pub fn new(dir: PathBuf, ttl: Duration) -> Cache {
        Cache { dir, ttl }
    }

    /// The default folder: `TENK_CACHE_DIR`, else `$XDG_CACHE_HOME/tenk`, else
    /// `$HOME/.cache/tenk`, else `.tenk-cache` in the working directory.
    pub fn default_dir() -> PathBuf {
        let var = |k: &str| {
            std::env::var_os(k)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
        };
        var("TENK_CACHE_DIR")
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("tenk")))
            .or_else(|| var("HOME").map(|d| d.join(".cache/tenk")))
            .unwrap_or_else(|| PathBuf::from(".tenk-cache"))
    }

    /// Where the response for `url` is kept. `rel` is the already validated path below the
    /// EDGAR root; the host (with `:` as `_`) keeps servers apart.
    pub fn file(&self, url: &str, rel: &Path) -> PathBuf {
        let host = url
            .split_once("://")
            .map_or(url, |(_, rest)| rest)
            .split('/')
            .next()
            .unwrap_or("")
            .replace([':', '\\'], "_");
        let host = if host.is_empty() || host.starts_with('.') {
            "_".to_string()
        } else {
            host
        };
        self.dir.join(host).join(rel)
    }

    /// The cached bytes of `rel` when present and still valid: Archives documents always,
    /// anything else within the time-to-live.
    pub fn get(&self, file: &Path, rel: &Path) -> Option<Vec<u8>> {
        let meta = std::fs::metadata(file).ok()?;
        let immutable = rel.starts_with("Archives");
        let age = meta
            .modified()
            .ok()
            .and_then(|m| SystemTime::now().duration_since(m).ok())
            .unwrap_or(Duration::MAX);
        if !immutable && age > self.ttl {
            return None;
        }
        std::fs::read(file).ok()
    }

    /// Keeps `bytes` as the response for `file`, atomically.
    pub fn put(&self, file: &Path, bytes: &[u8]) -> std::io::Result<()> {
        crate::atomic::write_bytes(file, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_stay_inside_the_cache_and_apart_per_host() {
        let c = Cache::new(PathBuf::from("/c"), Duration::from_secs(60));
        let rel = Path::new("submissions/CIK0000948708.json");
        assert_eq!(
            c.file("https://data.sec.gov/submissions/CIK0000948708.json", rel),
            PathBuf::from("/c/data.sec.gov/submissions/CIK0000948708.json")
        );
        assert_eq!(
            c.file("http://127.0.0.1:8080/x", rel),
            PathBuf::from("/c/127.0.0.1_8080/submissions/CIK0000948708.json")
        );
        assert_eq!(
            c.file("http://../x", rel),
            PathBuf::from("/c/_/submissions/CIK0000948708.json")
        );
    }

    #[test]
    fn archives_never_expire_and_the_rest_does() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::new(dir.path().to_path_buf(), Duration::ZERO);
        let archive = Path::new("Archives/edgar/data/1/000000000125000001/a.htm");
        let tickers = Path::new("files/company_tickers.json");
        for rel in [archive, tickers] {
            let f = c.file("https://www.sec.gov/", rel);
            c.put(&f, b"body").unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
        let get = |rel: &Path| c.get(&c.file("https://www.sec.gov/", rel), rel);
        assert_eq!(get(archive).as_deref(), Some(&b"body"[..]));
        assert_eq!(get(tickers), None, "expired");
    }
}
