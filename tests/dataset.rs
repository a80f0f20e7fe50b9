//! Both output modes read by the readers analysts use (pandas, polars, pyarrow and DuckDB,
//! in a virtual environment the test creates), incremental reruns, `--force`, `--shard`, and
//! outputs of the previous schema merging with new runs.

mod common;

use std::path::{Path, PathBuf};

use common::{stderr, stdout, tenk, Mirror};

const SELECTION: [&str; 8] = [
    "--ticker", "SMSI", "--ticker", "MRK", "--ticker", "AAPL", "--cik", "320187",
];

/// What pandas, polars, pyarrow and DuckDB read from `path`: asserts they agree (on `rows`
/// rows when given), the documented types and no duplicates; returns the accession numbers.
fn read_back(py: &Path, path: &Path, rows: Option<usize>) -> Vec<String> {
    let v = common::read_items(py, path, rows, &[]);
    v["accessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap().to_string())
        .collect()
}

fn run(mirror: &Mirror, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["run", "--mirror", mirror.path().to_str().unwrap()];
    args.extend_from_slice(extra);
    tenk(&args)
}

/// Puts a full index without filings (SEC's header only) into the mirror for every finished
/// quarter after 1996Q1 but `gap`; returns the path `gap`'s index would have.
fn publish_full_indexes(mirror: &Mirror, gap: (i32, u32)) -> String {
    use chrono::Datelike;
    let header = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/edgar-api/full-index/form.header-only.idx");
    let today = chrono::Utc::now().date_naive();
    let current = (today.year(), today.month0() / 3 + 1);
    let path = |(y, q): (i32, u32)| format!("Archives/edgar/full-index/{y}/QTR{q}/form.idx");
    let mut quarter = (1996, 2);
    while quarter < current {
        if quarter != gap {
            let file = mirror.path().join(path(quarter));
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::copy(&header, file).unwrap();
        }
        quarter = if quarter.1 == 4 {
            (quarter.0 + 1, 1)
        } else {
            (quarter.0, quarter.1 + 1)
        };
    }
    path(gap)
}

fn parts(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for year in std::fs::read_dir(dir).unwrap() {
        let year = year.unwrap().path();
        if year.is_dir() && !year.ends_with("_runs") {
            out.extend(std::fs::read_dir(&year).unwrap().map(|e| e.unwrap().path()));
        }
    }
    out.sort();
    out
}

#[test]
fn both_modes_read_back_with_every_reader_without_duplicates() {
    let py = common::python();
    let mirror = Mirror::new();
    let out = tempfile::tempdir().unwrap();

    // single file, run twice: the second run skips what is there
    let file = out.path().join("s.parquet");
    let mut args = SELECTION.to_vec();
    args.extend(["--out", file.to_str().unwrap()]);
    let o = run(&mirror, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&mirror, &args);
    assert!(
        stdout(&o).contains("4 already there skipped"),
        "{}",
        stdout(&o)
    );
    let all = read_back(&py, &file, Some(4));

    // dataset: partitions by filing year, batches of 2, a rerun adds nothing
    let dir = out.path().join("ds");
    let mut args = SELECTION.to_vec();
    args.extend([
        "--dataset",
        dir.to_str().unwrap(),
        "--flush-every",
        "2",
        "--no-text",
    ]);
    let o = run(&mirror, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    let written = parts(&dir);
    assert_eq!(written.len(), 4, "{written:?}");
    assert!(written
        .iter()
        .any(|p| p.to_str().unwrap().contains("filing_year=1996/part-")));
    assert_eq!(read_back(&py, &dir, Some(4)), all);
    let o = run(&mirror, &args);
    assert!(o.status.success());
    assert_eq!(parts(&dir), written, "a rerun adds no files");
    // the run report sits in _runs
    let reports: Vec<_> = std::fs::read_dir(dir.join("_runs")).unwrap().collect();
    assert_eq!(reports.len(), 2);
    // `tenk show` reads the dataset folder as one table
    let o = tenk(&["show", dir.to_str().unwrap(), "--limit", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains(&format!("2 of 4 row(s) in {}", dir.display())),
        "{}",
        stdout(&o)
    );

    // --force redoes the filings and replaces their rows
    args.push("--force");
    let o = run(&mirror, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(read_back(&py, &dir, Some(4)), all);

    // two shards into one dataset make the whole, without overlap
    let sharded = out.path().join("sharded");
    let mut first_half = Vec::new();
    for shard in ["1/2", "2/2"] {
        let mut args = SELECTION.to_vec();
        args.extend(["--dataset", sharded.to_str().unwrap(), "--shard", shard]);
        let o = run(&mirror, &args);
        assert!(o.status.code().is_some_and(|c| c == 0), "{}", stderr(&o));
        if first_half.is_empty() && sharded.exists() {
            first_half = read_back(&py, &sharded, None);
        }
    }
    assert_eq!(read_back(&py, &sharded, Some(4)), all);
    assert!(first_half.len() < 4, "shard 1/2 took only its part");
}

#[test]
fn a_dataset_extended_with_more_items_is_redone_into_one_schema() {
    let py = common::python();
    let mirror = Mirror::new();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("ds");
    let mut args = SELECTION.to_vec();
    args.extend(["--dataset", dir.to_str().unwrap()]);
    let o = run(&mirror, &args);
    assert!(o.status.success(), "{}", stderr(&o));

    // more items: every row lacks them, so every filing is redone, and the dataset keeps
    // one schema with the new columns
    let mut more = args.clone();
    more.extend(["--items", "1,1A,7"]);
    let o = run(&mirror, &more);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("wrote 4 row(s)") && stdout(&o).contains("0 already there skipped"),
        "{}",
        stdout(&o)
    );
    let seen = common::read_items(&py, &dir, Some(4), &["1A", "7"]);
    let status = |item: &str, acc: &str| seen["statuses"][item][acc].as_str().map(String::from);
    // Merck's 10-K405 of 1996: no Item 1A yet, its MD&A in the annual report exhibit
    assert_eq!(
        status("1a", "0000950130-96-000896").as_deref(),
        Some("absent")
    );
    assert_eq!(
        status("7", "0000950130-96-000896").as_deref(),
        Some("by_reference")
    );
    assert_eq!(status("1a", "0000320193-25-000079").as_deref(), Some("ok"));
    assert_eq!(status("7", "0001193125-06-156152").as_deref(), Some("ok"));

    // a run that asks for fewer items skips what is there and keeps the columns
    let o = run(&mirror, &args);
    assert!(
        stdout(&o).contains("4 already there skipped"),
        "{}",
        stdout(&o)
    );
    common::read_items(&py, &dir, Some(4), &["1A", "7"]);
}

#[test]
fn since_last_continues_after_the_last_completed_period_run() {
    let mirror = Mirror::new();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("ds");
    let ds = dir.to_str().unwrap();
    // nothing recorded yet
    let o = run(&mirror, &["--since", "last", "--dataset", ds]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--since DATE"), "{}", stderr(&o));
    let o = run(&mirror, &["--since", "last"]);
    assert!(stderr(&o).contains("needs --dataset"), "{}", stderr(&o));

    let o = run(
        &mirror,
        &[
            "--from",
            "1996-03-01",
            "--to",
            "1996-03-31",
            "--dataset",
            ds,
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("_state.json")).unwrap()).unwrap();
    assert_eq!(state["last_index_day"], "1996-03-31");
    assert_eq!(parts(&dir).len(), 1, "Merck's 10-K405 of 1996-03-20");

    // the next run starts on 1996-04-01 and runs up to yesterday; EDGAR has a full index
    // for every finished quarter, which a quarter missing from the mirror does not: that
    // is a gap, and the mark stays where it was
    let gap = publish_full_indexes(&mirror, (2001, 3));
    let o = run(&mirror, &["--since", "last", "--dataset", ds]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains(&gap), "{}", stderr(&o));
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("_state.json")).unwrap()).unwrap();
    assert_eq!(state["last_index_day"], "1996-03-31");

    // with the quarter published the run goes through; the days of the running quarter
    // have no index in the mirror (not published yet), which is quiet
    let header = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/edgar-api/full-index/form.header-only.idx");
    let file = mirror.path().join(&gap);
    std::fs::create_dir_all(file.parent().unwrap()).unwrap();
    std::fs::copy(&header, file).unwrap();
    let o = run(&mirror, &["--since", "last", "--dataset", ds]);
    assert!(o.status.success(), "{}", stderr(&o));
    let state: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("_state.json")).unwrap()).unwrap();
    let yesterday = (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string();
    assert_eq!(state["last_index_day"], yesterday.as_str());
    assert_eq!(parts(&dir).len(), 1, "nothing new, nothing again");
}
