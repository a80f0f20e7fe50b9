//! The client against a local server that injects faults: the request rate holds in every
//! second, also across processes, 429/503 are retried until they recover, and SEC's block
//! page pauses everything.

mod common;

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{stderr, tenk, Fault, Mirror, Server};

/// `tenk run` against `server` with an `[edgar]` configuration, fetching everything anew.
fn run(server: &Server, edgar: &str, selection: &[&str]) -> std::process::Output {
    common::run_with_edgar(&server.url, edgar, selection).0
}

#[test]
fn no_second_holds_more_requests_than_the_configured_rate() {
    let mirror = Mirror::new();
    let server = Server::serve(mirror.path());
    let selection = [
        "--ticker", "SMSI", "--ticker", "MRK", "--ticker", "AAPL", "--cik", "320187",
    ];
    let o = run(&server, "requests_per_second = 4", &selection);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(server.requests().len() >= 9);
    assert!(
        server.max_per_second() <= 4,
        "{} in one second",
        server.max_per_second()
    );
}

#[test]
fn throttling_and_server_errors_are_retried_until_they_recover() {
    let mirror = Mirror::new();
    let server = Server::with_faults(mirror.path(), |n, _| match n {
        0 => Fault::Answer(
            429,
            vec![("Retry-After", "1".into())],
            b"slow down".to_vec(),
        ),
        1 => Fault::Answer(429, vec![], b"slow down".to_vec()),
        2 | 3 => Fault::Answer(503, vec![], b"unavailable".to_vec()),
        4 => Fault::Delay(Duration::from_millis(300)),
        _ => Fault::None,
    });
    let o = run(&server, "max_retries = 5", &["--ticker", "SMSI"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let reqs = server.requests();
    let paths: Vec<&str> = reqs.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths[..5], ["files/company_tickers.json"; 5]);
    assert_eq!(paths.len(), 7, "{paths:?}");
    // Retry-After: 1 was honoured
    assert!(reqs[1].at.duration_since(reqs[0].at) >= Duration::from_millis(950));
}

#[test]
fn sec_block_page_pauses_every_request_then_the_run_resumes() {
    let mirror = Mirror::new();
    let page = common::block_page();
    let server = Server::with_faults(mirror.path(), move |n, _| {
        if n == 1 {
            Fault::Answer(
                403,
                vec![("Content-Type", "text/html".into())],
                page.clone(),
            )
        } else {
            Fault::None
        }
    });
    let o = run(&server, "block_pause_secs = 2", &["--ticker", "SMSI"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("pausing all requests for 2 s"),
        "{}",
        stderr(&o)
    );
    let reqs = server.requests();
    assert_eq!(reqs.len(), 4);
    assert_eq!(
        reqs[1].path, reqs[2].path,
        "the blocked request is made again"
    );
    assert!(reqs[2].at.duration_since(reqs[1].at) >= Duration::from_secs(2));
}

#[test]
fn a_plain_403_stops_the_run_with_advice_about_the_user_agent() {
    let mirror = Mirror::new();
    let server = Server::with_faults(mirror.path(), |_, _| {
        Fault::Answer(403, vec![], b"<html>Forbidden</html>".to_vec())
    });
    let o = run(&server, "", &["--ticker", "SMSI"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("User-Agent"), "{}", stderr(&o));
    assert_eq!(server.requests().len(), 1, "no retries of a refusal");
}

#[test]
fn a_truncated_body_times_out_and_is_fetched_again() {
    let mirror = Mirror::new();
    let first = AtomicBool::new(true);
    let server = Server::with_faults(mirror.path(), move |_, path| {
        if path.starts_with("Archives/") && first.swap(false, Ordering::SeqCst) {
            Fault::Truncate
        } else {
            Fault::None
        }
    });
    let o = run(&server, "timeout_secs = 2", &["--ticker", "SMSI"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let archives: Vec<_> = server
        .requests()
        .into_iter()
        .filter(|r| r.path.starts_with("Archives/"))
        .collect();
    assert_eq!(archives.len(), 2, "the cut-off document is requested again");
}

#[test]
fn the_user_agent_e_mail_stays_out_of_output_reports_and_messages() {
    const EMAIL: &str = "jane.secret-contact@example.com";
    let mirror = Mirror::new();
    // a rate-limit answer and a missing document exercise the error paths too
    let server = Server::with_faults(mirror.path(), |n, path| {
        if n == 0 {
            Fault::Answer(
                429,
                vec![("Retry-After", "0".into())],
                b"slow down".to_vec(),
            )
        } else if path.starts_with("Archives/edgar/data/320193/") {
            Fault::Answer(404, vec![], b"gone".to_vec())
        } else {
            Fault::None
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("ds");
    let o = tenk(&[
        "run",
        "--ticker",
        "SMSI",
        "--ticker",
        "AAPL",
        "--base-url",
        &server.url,
        "--user-agent",
        &format!("Jane Tester {EMAIL}"),
        "--no-cache",
        "--dataset",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(server
        .requests()
        .iter()
        .all(|r| r.user_agent.as_deref() == Some(&*format!("Jane Tester {EMAIL}"))));
    let seen = common::everything_said_and_written(&o, &out);
    assert!(
        seen.contains("aapl-20250927.htm not found"),
        "the failure is reported"
    );
    assert!(!seen.contains(EMAIL), "the e-mail leaked");
}

/// Three `tenk run`s at once, as a nightly job and ad hoc runs share a machine: one budget
/// file (one user's cache folder), separate outputs, a server that answers 429 to any
/// request beyond 10 in one second. The third is killed with SIGKILL mid-run.
#[test]
fn processes_share_one_rate_and_a_killed_one_holds_no_one_back() {
    let mirror = Mirror::new();
    let arrivals = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let refused = Arc::new(AtomicUsize::new(0));
    let (log, refusals) = (arrivals.clone(), refused.clone());
    let server = Server::with_faults(mirror.path(), move |_, _| {
        let now = Instant::now();
        let mut at = log.lock().unwrap();
        at.push(now);
        let in_last_second = at
            .iter()
            .filter(|t| now.duration_since(**t) < Duration::from_secs(1))
            .count();
        if in_last_second > 10 {
            refusals.fetch_add(1, Ordering::SeqCst);
            Fault::Answer(429, vec![], b"Too Many Requests".to_vec())
        } else {
            // some latency, as sec.gov has
            Fault::Delay(Duration::from_millis(50))
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("tenk.toml");
    std::fs::write(&cfg, "[edgar]\nrequests_per_second = 10\n").unwrap();
    let spawn = |i: usize| {
        let out = dir.path().join(format!("run{i}.parquet"));
        let child = Command::new(env!("CARGO_BIN_EXE_tenk"))
            .args([
                "run", "--ticker", "SMSI", "--ticker", "MRK", "--ticker", "AAPL",
            ])
            .args(["--cik", "320187", "--no-cache", "--base-url", &server.url])
            .args(["--user-agent", common::USER_AGENT, "--config"])
            .arg(&cfg)
            .arg("--out")
            .arg(&out)
            .env("TENK_CACHE_DIR", dir.path().join("cache"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        (child, out)
    };
    let runs: Vec<_> = (0..3).map(spawn).collect();
    std::thread::sleep(Duration::from_millis(700));
    let mut runs = runs.into_iter();
    let (mut killed, _) = runs.next_back().unwrap();
    killed.kill().unwrap(); // SIGKILL
    let killed_at = Instant::now();
    killed.wait().unwrap();
    for (child, out) in runs {
        let o = child.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(tenk::output::read(&out).unwrap().height(), 4);
    }
    let reqs = server.requests();
    assert_eq!(refused.load(Ordering::SeqCst), 0, "requests answered 429");
    assert!(
        server.max_per_second() <= 10,
        "{} requests in one second",
        server.max_per_second()
    );
    let after = reqs.iter().filter(|r| r.at > killed_at).count();
    assert!(after >= 10, "the others went on after the kill: {after}");
    // a 429 would have been retried and counted among the requests: every request of the
    // two finished runs (about 10 each) and the killed one's few went through once
    assert!(
        reqs.len() <= 30,
        "{} requests: some were refused",
        reqs.len()
    );
}
