//! A run killed at random moments (SIGKILL, seeded) never leaves an unreadable Parquet file,
//! and a rerun finishes the job without duplicates, in both output modes.

mod common;

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use common::{test_cache_dir, Mirror, Rng};

const EXPECTED: [&str; 4] = [
    "0000948708-21-000010",
    "0000950130-96-000896",
    "0000320193-25-000079",
    "0001193125-06-156152",
];

fn command(mirror: &Mirror, output: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tenk"));
    c.args([
        "run",
        "--mirror",
        mirror.path().to_str().unwrap(),
        "--quiet",
    ])
    .args([
        "--ticker", "SMSI", "--ticker", "MRK", "--ticker", "AAPL", "--cik", "320187",
    ])
    .args(["--flush-every", "1"])
    .args(output)
    .env("TENK_CACHE_DIR", test_cache_dir())
    .current_dir(env!("CARGO_MANIFEST_DIR"))
    .stdout(Stdio::null())
    .stderr(Stdio::null());
    c
}

/// Every Parquet file below `path` (or `path` itself) reads; returns the accessions.
fn accessions(path: &Path) -> Vec<String> {
    let mut files = Vec::new();
    if path.is_file() {
        files.push(path.to_path_buf());
    } else if path.is_dir() {
        let mut stack = vec![path.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap().to_string_lossy().to_string();
                if p.is_dir() && !name.starts_with('_') {
                    stack.push(p);
                } else if name.ends_with(".parquet") && !name.starts_with('.') {
                    files.push(p);
                }
            }
        }
    }
    let mut out = Vec::new();
    for f in files {
        let df = tenk::output::read(&f).unwrap_or_else(|e| panic!("{}: {e:#}", f.display()));
        let col = df
            .column("accession_number")
            .unwrap()
            .str()
            .unwrap()
            .clone();
        out.extend(col.iter().flatten().map(str::to_string));
    }
    out
}

fn no_duplicates(acc: &[String]) {
    let set: HashSet<&String> = acc.iter().collect();
    assert_eq!(set.len(), acc.len(), "duplicates: {acc:?}");
}

#[test]
fn killed_runs_leave_readable_files_and_a_rerun_completes_without_duplicates() {
    let mirror = Mirror::new();
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("s.parquet");
    let dataset = out.path().join("ds");
    let modes: [(&Path, Vec<&str>); 2] = [
        (&file, vec!["--out", file.to_str().unwrap()]),
        (
            &dataset,
            vec!["--dataset", dataset.to_str().unwrap(), "--force"],
        ),
    ];
    let mut rng = Rng(0x5eed_c4a5);
    for (path, args) in &modes {
        // how long an undisturbed run takes bounds where the kills land
        let probe_dir = tempfile::tempdir().unwrap();
        let probe_out = probe_dir.path().join("probe");
        let probe = [args[0], probe_out.to_str().unwrap()];
        let t = std::time::Instant::now();
        assert!(command(&mirror, &probe).status().unwrap().success());
        let full = t.elapsed().as_millis().max(50) as u64;
        for _ in 0..10 {
            let mut child = command(&mirror, args).spawn().unwrap();
            std::thread::sleep(Duration::from_millis(rng.below(full)));
            let _ = child.kill(); // SIGKILL
            let _ = child.wait();
            let acc = accessions(path);
            no_duplicates(&acc);
            assert!(acc.iter().all(|a| EXPECTED.contains(&a.as_str())));
        }
        // a rerun without --force finishes the job
        let mut finish = args.clone();
        finish.retain(|a| *a != "--force");
        assert!(command(&mirror, &finish).status().unwrap().success());
        let mut acc = accessions(path);
        no_duplicates(&acc);
        acc.sort();
        let mut expected: Vec<String> = EXPECTED.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(acc, expected, "{}", path.display());
    }
}

#[test]
fn ctrl_c_stops_starting_filings_and_writes_those_done() {
    let mirror = Mirror::new();
    // Apple's document is slow: the interrupt arrives while it is being fetched
    let server = common::Server::with_faults(mirror.path(), |_, path| {
        if path.starts_with("Archives/edgar/data/320193/") {
            common::Fault::Delay(Duration::from_secs(2))
        } else {
            common::Fault::None
        }
    });
    let out = tempfile::tempdir().unwrap();
    let file = out.path().join("s.parquet");
    let args = [
        "run",
        "--ticker",
        "SMSI",
        "--ticker",
        "MRK",
        "--ticker",
        "AAPL",
        "--cik",
        "320187",
        "--base-url",
        &server.url,
        "--user-agent",
        common::USER_AGENT,
        "--concurrency",
        "1",
        "--quiet",
        "--out",
        file.to_str().unwrap(),
    ];
    let child = Command::new(env!("CARGO_BIN_EXE_tenk"))
        .args(args)
        .env("TENK_CACHE_DIR", out.path().join("cache"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let slow = |s: &common::Server| {
        s.requests()
            .iter()
            .any(|r| r.path.starts_with("Archives/edgar/data/320193/"))
    };
    let t = std::time::Instant::now();
    while !slow(&server) {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "Apple's document never requested"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let o = child.wait_with_output().unwrap();
    let order: Vec<String> = server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(
        o.status.code(),
        Some(130),
        "{}\n{order:?}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("left for the next run"));
    // the filing in flight is finished, the one not started is not
    let mut done = accessions(&file);
    done.sort();
    assert_eq!(
        done,
        [
            "0000320193-25-000079",
            "0000948708-21-000010",
            "0000950130-96-000896"
        ]
    );
    assert!(!server
        .requests()
        .iter()
        .any(|r| r.path.starts_with("Archives/edgar/data/320187/")));
    // the rerun does the rest
    let o = Command::new(env!("CARGO_BIN_EXE_tenk"))
        .args(args)
        .env("TENK_CACHE_DIR", out.path().join("cache"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let acc = accessions(&file);
    no_duplicates(&acc);
    assert_eq!(acc.len(), 4);
}
