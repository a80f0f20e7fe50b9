//! The fault matrix: dataset runs of four filings against a local EDGAR server that breaks
//! one response in one way per case. Every case: the run completes, the affected filing
//! gets a row (or, when its company cannot be listed, a report entry) with a clear error,
//! the other filings are right, and a rerun after the fault has passed completes the
//! dataset without duplicates.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use common::{stderr, stdout, tenk, Fault, Mirror, Server, USER_AGENT};

/// Smith Micro's 10-K: the document the faults hit.
const DOC: &str = "Archives/edgar/data/948708/000094870821000010/smsi-20201231.htm";
const DOC_ACCESSION: &str = "0000948708-21-000010";
const SELECTION: [&str; 8] = [
    "--ticker", "SMSI", "--ticker", "MRK", "--ticker", "AAPL", "--ticker", "NKE",
];
/// Quick retries, a short timeout and a short block pause keep each case to seconds.
const EDGAR: &str = "[edgar]\nmax_retries = 2\ntimeout_secs = 1\nblock_pause_secs = 1\n\
                     requests_per_second = 10\n";

/// A case's dataset and configuration, in a temporary folder.
struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("tenk.toml"), EDGAR).unwrap();
        Case { dir }
    }

    /// `tenk run` of the four filings into the case's dataset, through `url`; the on-disk
    /// cache is on, so a rerun also shows that nothing broken was kept there.
    fn run(&self, url: &str) -> std::process::Output {
        let mut args = vec!["run"];
        args.extend_from_slice(&SELECTION);
        let cfg = self.dir.path().join("tenk.toml");
        let ds = self.dir.path().join("ds");
        args.extend([
            "--base-url",
            url,
            "--user-agent",
            USER_AGENT,
            "--config",
            cfg.to_str().unwrap(),
            "--dataset",
            ds.to_str().unwrap(),
        ]);
        tenk(&args)
    }

    /// (accession, item1_status, error) of every row in the dataset, sorted.
    fn rows(&self) -> Vec<(String, String, Option<String>)> {
        let mut rows: Vec<_> = common::files_below(&self.dir.path().join("ds"))
            .iter()
            .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
            .flat_map(|p| common::status_rows(&tenk::output::read(p).unwrap()))
            .collect();
        rows.sort();
        rows
    }
}

/// Runs one case: `fault` breaks the responses for `path` until the fault passes; the
/// first run must end with exit 3 and `error_says` in the affected filing's error (or in
/// the report, when `path` is not the document), the rerun with exit 0 and all four rows.
fn check(path: &'static str, fault: impl Fn() -> Fault + Send + 'static, error_says: &str) {
    let mirror = Mirror::new();
    let passed = Arc::new(AtomicBool::new(false));
    let over = passed.clone();
    let server = Server::with_faults(mirror.path(), move |_, p| {
        if p == path && !over.load(Ordering::SeqCst) {
            fault()
        } else {
            Fault::None
        }
    });
    check_through(&server.url, path, &passed, error_says);
}

/// The two runs of a case against `url`; `passed` ends the fault between them.
fn check_through(url: &str, path: &str, passed: &AtomicBool, error_says: &str) {
    let case = Case::new();
    let o = case.run(url);
    let out = format!("stdout:\n{}\nstderr:\n{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(3), "some filings failed: {out}");
    let rows = case.rows();
    let ok: Vec<&str> = rows
        .iter()
        .filter(|r| r.1 == "ok" && r.2.is_none())
        .map(|r| r.0.as_str())
        .collect();
    assert_eq!(ok.len(), 3, "the other filings are right: {rows:?}\n{out}");
    if path == DOC {
        let hit = rows.iter().find(|r| r.0 == DOC_ACCESSION).expect("a row");
        assert_eq!(hit.1, "fetch_error", "{rows:?}");
        let err = hit.2.as_deref().unwrap_or("");
        assert!(
            err.contains(error_says),
            "{err:?} should say {error_says:?}"
        );
        assert!(err.contains(DOC), "the error names the document: {err}");
    } else {
        assert_eq!(
            rows.len(),
            3,
            "no row for a company that could not be listed"
        );
        assert!(
            stderr(&o).contains(path) && stderr(&o).contains(error_says),
            "the report names {path} and says {error_says:?}: {out}"
        );
    }
    passed.store(true, Ordering::SeqCst);
    let o = case.run(url);
    let out = format!("stdout:\n{}\nstderr:\n{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(0), "the rerun completes: {out}");
    let rows = case.rows();
    assert_eq!(rows.len(), 4, "one row per filing, no duplicates: {rows:?}");
    assert!(
        rows.iter().all(|r| r.1 == "ok" && r.2.is_none()),
        "{rows:?}"
    );
}

#[test]
fn throttled_with_retry_after() {
    check(
        DOC,
        || {
            Fault::Answer(
                429,
                vec![("Retry-After", "1".into())],
                b"slow down".to_vec(),
            )
        },
        "HTTP 429",
    );
}

#[test]
fn throttled_without_retry_after() {
    check(
        DOC,
        || Fault::Answer(429, vec![], b"slow down".to_vec()),
        "HTTP 429",
    );
}

#[test]
fn sec_block_page() {
    check(
        DOC,
        || Fault::Answer(403, vec![], common::block_page()),
        "HTTP 403",
    );
}

#[test]
fn server_errors_in_a_burst() {
    check(
        DOC,
        || Fault::Answer(503, vec![], b"unavailable".to_vec()),
        "HTTP 503",
    );
}

#[test]
fn read_timeout() {
    check(
        DOC,
        || Fault::Delay(Duration::from_secs(3)),
        "operation timed out",
    );
}

#[test]
fn truncated_body() {
    check(DOC, || Fault::Truncate, "operation timed out");
}

#[test]
fn corrupt_gzip() {
    check(
        DOC,
        || {
            Fault::Answer(
                200,
                vec![("Content-Encoding", "gzip".into())],
                b"\x1f\x8b\x08\x00 this is not a gzip stream".to_vec(),
            )
        },
        "decompression error",
    );
}

#[test]
fn a_listed_document_that_404s() {
    check(
        DOC,
        || Fault::Answer(404, vec![], b"Not Found".to_vec()),
        "not found",
    );
}

#[test]
fn malformed_submissions_json() {
    check(
        "submissions/CIK0000948708.json",
        || {
            Fault::Answer(
                200,
                vec![],
                br#"{"cik": "948708", "filings": {"rec"#.to_vec(),
            )
        },
        "does not parse",
    );
}

#[test]
fn connection_reset() {
    let mirror = Mirror::new();
    let server = Server::serve(mirror.path());
    let passed = Arc::new(AtomicBool::new(false));
    let over = passed.clone();
    let front = ResetFront::start(&server.url, move |p| {
        p == DOC && !over.load(Ordering::SeqCst)
    });
    check_through(&front.url, DOC, &passed, "Connection reset by peer");
}

/// A front for a test server on 127.0.0.1 that resets the connection (TCP RST, which
/// tiny_http cannot send) of the requests `reset` picks and passes the others on, one
/// request per connection.
struct ResetFront {
    url: String,
}

impl ResetFront {
    fn start(backend: &str, reset: impl Fn(&str) -> bool + Send + Sync + 'static) -> ResetFront {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let backend = backend.trim_start_matches("http://").to_string();
        let reset = Arc::new(reset);
        // the accept loop ends with the test process
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let (backend, reset) = (backend.clone(), reset.clone());
                thread::spawn(move || relay(client, &backend, reset.as_ref()));
            }
        });
        ResetFront { url }
    }
}

/// Reads one request head from `client`; resets the connection, or relays the request to
/// `backend` with `Connection: close` and its answer back.
fn relay(mut client: TcpStream, backend: &str, reset: &dyn Fn(&str) -> bool) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match client.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&head).into_owned();
    let path = text.split_whitespace().nth(1).unwrap_or("/");
    if reset(path.trim_start_matches('/')) {
        // a zero linger turns the close into a reset
        let _ = socket2::SockRef::from(&client).set_linger(Some(Duration::ZERO));
        return;
    }
    let lines: Vec<&str> = text
        .split("\r\n")
        .take_while(|l| !l.is_empty())
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    let request = format!("{}\r\nConnection: close\r\n\r\n", lines.join("\r\n"));
    let Ok(mut up) = TcpStream::connect(backend) else {
        return;
    };
    if up.write_all(request.as_bytes()).is_ok() {
        let _ = std::io::copy(&mut up, &mut client);
    }
}
