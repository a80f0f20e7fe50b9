//! Shared set-up of the integration tests: the fixture EDGAR mirror, copied at run time from
//! tests/fixtures/edgar, a real HTTP server on 127.0.0.1 that serves it the way sec.gov lays
//! out its paths, and the corpus for the checks that need real filings or gold data.

#![allow(dead_code)] // each test binary uses a different part of this module

#[path = "../../src/test_support.rs"]
mod test_support;
#[allow(unused_imports)] // each test binary uses some of these
pub use test_support::{corpus, texts};

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use polars::prelude::DataFrame;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

pub const USER_AGENT: &str = "tenk test suite tests@example.com";

/// A temporary fixture mirror; removed when dropped.
pub struct Mirror {
    pub dir: tempfile::TempDir,
}

impl Mirror {
    pub fn new() -> Mirror {
        let dir = tempfile::tempdir().expect("temp dir");
        let status = Command::new("bash")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/fixture-mirror.sh"))
            .arg(dir.path())
            .status()
            .expect("run scripts/fixture-mirror.sh");
        assert!(status.success(), "fixture-mirror.sh failed");
        Mirror { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }
}

/// A request the server saw: path, User-Agent and when it arrived.
#[derive(Debug, Clone)]
pub struct Seen {
    pub path: String,
    pub user_agent: Option<String>,
    pub at: Instant,
}

/// What the server does with a request instead of serving the file.
pub enum Fault {
    /// Serve the file.
    None,
    /// Wait, then serve the file (other requests are served meanwhile).
    Delay(Duration),
    /// Answer with this status, headers and body.
    Answer(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Announce the file's length but send only its first half, then go silent.
    Truncate,
}

/// An HTTP server on 127.0.0.1 serving a folder; stops when dropped.
pub struct Server {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
    _listener: Listener,
}

/// A tiny_http server on 127.0.0.1 whose requests one thread hands to `handle`, in order;
/// stops when dropped.
struct Listener {
    port: u16,
    server: Arc<tiny_http::Server>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Listener {
    fn start(mut handle: impl FnMut(tiny_http::Request) + Send + 'static) -> Listener {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
        let port = server.server_addr().to_ip().expect("ip address").port();
        let srv = server.clone();
        let thread = thread::spawn(move || srv.incoming_requests().for_each(&mut handle));
        Listener {
            port,
            server,
            thread: Some(thread),
        }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.server.unblock();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Answers `req` with the file at `path` below the served folder, or 404.
fn serve_file(req: tiny_http::Request, path: &str, file: &Path) {
    if !path.contains("..") && file.is_file() {
        answer(req, 200, vec![], std::fs::read(file).unwrap());
    } else {
        answer(req, 404, vec![], b"Not Found".to_vec());
    }
}

/// Answers `req` with a status, headers and body.
fn answer(req: tiny_http::Request, status: u16, headers: Vec<(&str, String)>, body: Vec<u8>) {
    let mut resp = tiny_http::Response::from_data(body).with_status_code(status);
    for (k, v) in headers {
        resp.add_header(tiny_http::Header::from_bytes(k, v).unwrap());
    }
    let _ = req.respond(resp);
}

impl Server {
    pub fn serve(root: &Path) -> Server {
        Server::with_faults(root, |_, _| Fault::None)
    }

    /// Serves `root`, but first asks `fault` (with the request's number, from 0, and path)
    /// whether to delay or to answer otherwise.
    pub fn with_faults(
        root: &Path,
        fault: impl Fn(usize, &str) -> Fault + Send + 'static,
    ) -> Server {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (log, root) = (seen.clone(), root.to_path_buf());
        let listener = Listener::start(move |req| {
            let ua = req
                .headers()
                .iter()
                .find(|h| h.field.equiv("User-Agent"))
                .map(|h| h.value.to_string());
            let path = req.url().trim_start_matches('/').to_string();
            let n = {
                let mut log = log.lock().unwrap();
                log.push(Seen {
                    path: path.clone(),
                    user_agent: ua,
                    at: Instant::now(),
                });
                log.len() - 1
            };
            let file: PathBuf = root.join(&path);
            match fault(n, &path) {
                Fault::None => {}
                Fault::Truncate => {
                    let body = std::fs::read(&file).unwrap_or_default();
                    let half = body[..body.len() / 2].to_vec();
                    let resp = tiny_http::Response::new(
                        200.into(),
                        vec![],
                        std::io::Cursor::new(half),
                        Some(body.len()),
                        None,
                    );
                    // answered on another thread: the connection hangs until the
                    // client gives up, and the server goes on serving others
                    thread::spawn(move || {
                        let _ = req.respond(resp);
                    });
                    return;
                }
                Fault::Delay(d) => {
                    // waits on a thread of its own: other requests are served meanwhile
                    thread::spawn(move || {
                        thread::sleep(d);
                        serve_file(req, &path, &file);
                    });
                    return;
                }
                Fault::Answer(status, headers, body) => return answer(req, status, headers, body),
            }
            serve_file(req, &path, &file);
        });
        Server {
            url: format!("http://127.0.0.1:{}", listener.port),
            seen,
            _listener: listener,
        }
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// The most requests that arrived within any one second.
    pub fn max_per_second(&self) -> usize {
        let at: Vec<Instant> = self.requests().iter().map(|s| s.at).collect();
        max_in_one_second(&at)
    }
}

/// Runs the tenk binary with `args`, with TENK_USER_AGENT cleared and the repository as the
/// working directory (so config/tenk.toml is the shipped one).
pub fn tenk(args: &[&str]) -> Output {
    tenk_with_env(args, &[])
}

/// The on-disk cache the tests' tenk runs share: one per test process, in the system's temp
/// folder. Entries are kept per server (host and port), so tests never see each other's.
pub fn test_cache_dir() -> PathBuf {
    std::env::temp_dir().join(format!("tenk-test-cache-{}", std::process::id()))
}

/// Runs the tenk binary as `tenk` does, with extra environment variables.
pub fn tenk_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tenk"))
        .args(args)
        .env_remove("TENK_USER_AGENT")
        .env_remove("OPENAI_API_KEY")
        .env_remove("OPENAI_BASE_URL")
        .env("TENK_CACHE_DIR", test_cache_dir())
        .envs(env.iter().copied())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run tenk")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A file below tests/fixtures.
pub fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

/// The page SEC answers with when a client exceeds its request rate.
pub fn block_page() -> Vec<u8> {
    std::fs::read(fixture("edgar-api/rate-exceeded.html")).unwrap()
}

/// A plain-section input for `summarize`: Smith Micro's Item 1 as the seed gives it (without
/// the prompt above it), `times` over, in `section.txt` in `dir`.
pub fn seed_section_file(dir: &Path, times: usize) -> PathBuf {
    let seed = std::fs::read_to_string(fixture("seed/000_9411cdd0ca688e67.txt")).unwrap();
    let section = &seed[seed.find("Item 1. BUSINESS").unwrap()..];
    let file = dir.join("section.txt");
    std::fs::write(&file, section.repeat(times)).unwrap();
    file
}

/// A request an OpenAI-compatible server saw: its Authorization header and JSON body.
#[derive(Debug, Clone)]
pub struct ChatRequest {
    pub authorization: Option<String>,
    pub body: serde_json::Value,
}

/// What the scripted chat server answers: status, extra headers, body.
pub type ChatReply = (u16, Vec<(&'static str, String)>, String);

/// An OpenAI-compatible `/v1/chat/completions` server on 127.0.0.1 whose answers a test
/// scripts: `reply` gets the request number (from 0) and the request's JSON body. Each
/// request is answered on a thread of its own, so a client's parallel requests overlap,
/// and the most requests in flight at once is recorded.
pub struct ChatServer {
    pub url: String,
    pub seen: Arc<Mutex<Vec<ChatRequest>>>,
    in_flight: Arc<Mutex<(usize, usize)>>,
    _listener: Listener,
}

impl ChatServer {
    pub fn start(
        reply: impl Fn(usize, &serde_json::Value) -> ChatReply + Send + Sync + 'static,
    ) -> ChatServer {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let in_flight = Arc::new(Mutex::new((0, 0)));
        let (log, flight, reply) = (seen.clone(), in_flight.clone(), Arc::new(reply));
        let listener = Listener::start(move |mut req| {
            let (log, flight, reply) = (log.clone(), flight.clone(), reply.clone());
            thread::spawn(move || {
                {
                    let mut f = flight.lock().unwrap();
                    f.0 += 1;
                    f.1 = f.1.max(f.0);
                }
                let mut body = String::new();
                let _ = req.as_reader().read_to_string(&mut body);
                let body: serde_json::Value =
                    serde_json::from_str(&body).unwrap_or(serde_json::Value::Null);
                let authorization = req
                    .headers()
                    .iter()
                    .find(|h| h.field.equiv("Authorization"))
                    .map(|h| h.value.to_string());
                let n = {
                    let mut log = log.lock().unwrap();
                    log.push(ChatRequest {
                        authorization,
                        body: body.clone(),
                    });
                    log.len() - 1
                };
                let (status, headers, text) = if req.url() == "/v1/chat/completions" {
                    reply(n, &body)
                } else {
                    (404, vec![], "no such endpoint".into())
                };
                flight.lock().unwrap().0 -= 1;
                answer(req, status, headers, text.into_bytes());
            });
        });
        ChatServer {
            url: format!("http://127.0.0.1:{}/v1", listener.port),
            seen,
            in_flight,
            _listener: listener,
        }
    }

    pub fn requests(&self) -> Vec<ChatRequest> {
        self.seen.lock().unwrap().clone()
    }

    /// The most requests the server was answering at one time.
    pub fn max_in_flight(&self) -> usize {
        self.in_flight.lock().unwrap().1
    }
}

/// A chat-completions answer carrying `content`, without token counts (as some servers
/// answer).
pub fn completion(content: &str) -> ChatReply {
    completion_body(content, serde_json::Value::Null)
}

/// A chat-completions answer carrying `content` and OpenAI's `usage` counts.
pub fn completion_with_usage(
    content: &str,
    prompt_tokens: u64,
    completion_tokens: u64,
) -> ChatReply {
    let usage = serde_json::json!({"prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens});
    completion_body(content, usage)
}

fn completion_body(content: &str, usage: serde_json::Value) -> ChatReply {
    let mut body = serde_json::json!({
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{"index": 0, "finish_reason": "stop",
                     "message": {"role": "assistant", "content": content}}],
    });
    if !usage.is_null() {
        body["usage"] = usage;
    }
    (
        200,
        vec![("Content-Type", "application/json".into())],
        body.to_string(),
    )
}

/// The most of these moments (in order) that fall within any one second.
pub fn max_in_one_second(at: &[Instant]) -> usize {
    (0..at.len())
        .map(|i| {
            at[i..]
                .iter()
                .take_while(|t| t.duration_since(at[i]) < Duration::from_secs(1))
                .count()
        })
        .max()
        .unwrap_or(0)
}

/// A small deterministic generator (xorshift64*): no dependency, the same sequence on every
/// run, so failures reproduce.
pub struct Rng(pub u64);

impl Rng {
    /// A number in 0..n (0 when n is 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// Every file below `dir`, at any depth, sorted.
pub fn files_below(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The values of a text column, nulls as "".
pub fn strings(df: &DataFrame, col: &str) -> Vec<String> {
    texts(df, col)
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect()
}

/// (accession_number, item1_status, error) of every row of an output frame.
pub fn status_rows(df: &DataFrame) -> Vec<(String, String, Option<String>)> {
    let (acc, status, error) = (
        strings(df, "accession_number"),
        strings(df, "item1_status"),
        texts(df, "error"),
    );
    acc.into_iter()
        .zip(status)
        .zip(error)
        .map(|((a, s), e)| (a, s, e))
        .collect()
}

/// `tenk run` of `selection` through `url` with an `[edgar]` configuration, fetching
/// everything anew, into `s.parquet` in the temporary folder it returns.
pub fn run_with_edgar(url: &str, edgar: &str, selection: &[&str]) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("tenk.toml");
    std::fs::write(&cfg, format!("[edgar]\n{edgar}\n")).unwrap();
    let out = dir.path().join("s.parquet");
    let mut args = vec!["run"];
    args.extend_from_slice(selection);
    args.extend([
        "--base-url",
        url,
        "--user-agent",
        USER_AGENT,
        "--no-cache",
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    (tenk(&args), dir)
}

/// All a run said (stdout, stderr) and wrote below `dir`: every file's bytes, and for
/// Parquet files (compressed) the values of every text column, one per line. For checks
/// that a secret appears nowhere.
pub fn everything_said_and_written(o: &Output, dir: &Path) -> String {
    let mut seen = stdout(o) + &stderr(o);
    for p in files_below(dir) {
        if p.extension().is_some_and(|x| x == "parquet") {
            let df = tenk::output::read(&p).unwrap();
            for col in df.columns() {
                if let Ok(values) = col.str() {
                    seen.extend(values.iter().flatten().map(|v| format!("{v}\n")));
                }
            }
        } else {
            seen.push_str(&String::from_utf8_lossy(&std::fs::read(&p).unwrap()));
        }
    }
    seen
}

/// Adds a company (`cik`) to a mirror whose submissions list one 10-K per primary
/// document name, filed 2024-02-01; returns their accession numbers, in order. The
/// documents themselves are the caller's to place (or not).
pub fn company_with_10ks(mirror: &Path, cik: u64, names: &[String]) -> Vec<String> {
    let accessions: Vec<String> = (0..names.len())
        .map(|i| format!("{cik:010}-24-{i:06}"))
        .collect();
    let n = names.len();
    let json = serde_json::json!({
        "cik": cik.to_string(), "name": format!("TEST COMPANY {cik}"), "tickers": [],
        "exchanges": [], "sic": "7372", "sicDescription": "Services-Prepackaged Software",
        "stateOfIncorporation": "DE", "fiscalYearEnd": "1231",
        "filings": {"recent": {
            "accessionNumber": accessions, "filingDate": vec!["2024-02-01"; n],
            "reportDate": vec!["2023-12-31"; n], "form": vec!["10-K"; n],
            "primaryDocument": names},
            "files": []}
    });
    std::fs::write(
        mirror.join(format!("submissions/CIK{cik:010}.json")),
        json.to_string(),
    )
    .unwrap();
    accessions
}

/// A Python with pandas, polars, pyarrow and duckdb: target/test-venv, created on first use.
/// Tests run in parallel threads and processes: whoever comes first creates it under an OS
/// lock, the others wait and find it ready.
pub fn python() -> PathBuf {
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target");
    std::fs::create_dir_all(&target).unwrap();
    let lock = std::fs::File::create(target.join("test-venv.lock")).unwrap();
    lock.lock().expect("lock target/test-venv.lock");
    let venv = target.join("test-venv");
    let py = venv.join("bin/python");
    let ready = Command::new(&py)
        .args(["-c", "import pyarrow, duckdb, pandas, polars"])
        .status()
        .is_ok_and(|s| s.success());
    if !ready {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .expect("python3 -m venv")
            .success();
        assert!(ok, "cannot create {}", venv.display());
        let ok = Command::new(venv.join("bin/pip"))
            .args([
                "install", "--quiet", "pyarrow", "duckdb", "pandas", "polars",
            ])
            .status()
            .expect("pip install")
            .success();
        assert!(ok, "cannot install pyarrow, duckdb, pandas and polars");
    }
    py
}

/// What pandas, polars, pyarrow and DuckDB read from `path` (tests/readers/check.py):
/// asserts they agree (on `rows` rows when given), the documented types (with the columns
/// of `items`, e.g. "1A") and no duplicates; returns what check.py printed, the statuses
/// of each item by accession number under `statuses`.
pub fn read_items(
    py: &Path,
    path: &Path,
    rows: Option<usize>,
    items: &[&str],
) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/readers/check.py");
    let mut cmd = Command::new(py);
    cmd.arg(script)
        .arg(path)
        .arg(rows.map_or("-1".to_string(), |n| n.to_string()));
    if !items.is_empty() {
        cmd.arg(items.join(","));
    }
    let o = cmd.output().expect("run check.py");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}
