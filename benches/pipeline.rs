//! `just bench-pipeline`: the whole pipeline (index discovery, submissions, documents, clean
//! text, Item 1, extractive summary, dataset output) over a synthetic mirror of 1,000 and
//! of 250 filings, each size in a fresh process so peak RSS is its own.
//!
//! The mirror is built at run time in a temporary folder: the corpus documents of
//! ../shared/corpus/filings are linked in again and again under synthetic CIKs and accession
//! numbers, listed in a quarterly form index and in one submissions file per company.

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use tenk::config::{EdgarConfig, SummarizerConfig};
use tenk::document::TableMode;
use tenk::edgar::{Client, Selection};
use tenk::output::Sink;
use tenk::pipeline::{self, RunOptions, Silent};

/// Builds a mirror of `n` filings below `root`, all filed on 2024-02-01.
fn build_mirror(root: &Path, n: usize) {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/filings");
    let mut docs: Vec<PathBuf> = std::fs::read_dir(&corpus)
        .expect("corpus")
        .map(|e| e.expect("entry").path())
        .collect();
    docs.sort();
    let mut index = String::from(
        "Description:           Master Index of EDGAR Dissemination Feed by Form Type\n\n\
         Form Type   Company Name                                                  CIK         Date Filed  File Name\n\
         ---------------------------------------------------------------------------------------------------------------------------------------------\n",
    );
    for i in 0..n {
        let cik = 9_000_000 + i as u64;
        let acc = format!("{cik:010}-24-{i:06}");
        let doc = &docs[i % docs.len()];
        let ext = doc.extension().and_then(|e| e.to_str()).unwrap_or("htm");
        let name = format!("doc{i}.{ext}");
        let folder = root.join(format!(
            "Archives/edgar/data/{cik}/{}",
            acc.replace('-', "")
        ));
        std::fs::create_dir_all(&folder).expect("folder");
        std::os::unix::fs::symlink(doc, folder.join(&name)).expect("link");
        index.push_str(&format!(
            "{:<12}{:<62}{:<12}{:<12}edgar/data/{cik}/{acc}.txt\n",
            "10-K",
            format!("SYNTHETIC COMPANY {i}"),
            cik,
            "2024-02-01"
        ));
        let submissions = serde_json::json!({
            "cik": cik.to_string(), "name": format!("SYNTHETIC COMPANY {i}"),
            "tickers": [], "exchanges": [], "sic": "7372",
            "sicDescription": "Services-Prepackaged Software",
            "stateOfIncorporation": "DE", "fiscalYearEnd": "1231",
            "filings": {"recent": {
                "accessionNumber": [acc], "filingDate": ["2024-02-01"],
                "reportDate": ["2023-12-31"], "form": ["10-K"], "primaryDocument": [name]},
                "files": []}
        });
        let sub = root.join(format!("submissions/CIK{cik:010}.json"));
        std::fs::create_dir_all(sub.parent().expect("parent")).expect("submissions");
        std::fs::write(sub, submissions.to_string()).expect("write submissions");
    }
    let idx = root.join("Archives/edgar/full-index/2024/QTR1/form.idx");
    std::fs::create_dir_all(idx.parent().expect("parent")).expect("index folder");
    std::fs::write(idx, index).expect("write index");
}

fn measure(n: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mirror = dir.path().join("mirror");
    build_mirror(&mirror, n);
    let client = Client::new(&EdgarConfig {
        mirror: Some(mirror),
        ..EdgarConfig::default()
    })
    .expect("client");
    let summarizer =
        tenk::summarize::from_config(&SummarizerConfig::default()).expect("summarizer");
    let day = chrono::NaiveDate::from_ymd_opt(2024, 2, 1).expect("date");
    let sel = Selection {
        period: Some((day, day)),
        ..Selection::default()
    };
    let opts = RunOptions {
        sink: Sink::Dataset(dir.path().join("dataset")),
        numeric_tables: TableMode::default(),
        network_concurrency: rayon::current_num_threads(),
        flush_every: 100,
        force: false,
        no_text: false,
        items: vec![tenk::items::ItemId::I1],
        shard: None,
        checks: tenk::pipeline::SummaryChecks::of(&SummarizerConfig::default().llm),
        llm_batch: None,
        progress: Box::new(Silent),
        stop: Default::default(),
    };
    let t = Instant::now();
    let report = pipeline::run(&client, summarizer.as_ref(), &sel, &opts).expect("run");
    let wall = t.elapsed().as_secs_f64();
    println!(
        "{n:>5} filings  {} rows ({} ok)  wall {wall:.1} s  {:.1} filings/s  peak RSS {:.0} MB",
        report.rows_written,
        report.rows_by_status.get("ok").copied().unwrap_or(0),
        report.rows_written as f64 / wall,
        common::peak_rss_mb()
    );
}

fn main() {
    // `--size N` measures one size in this process; without it, each size in its own
    if let Some(n) = std::env::args()
        .skip_while(|a| a != "--size")
        .nth(1)
        .and_then(|v| v.parse().ok())
    {
        measure(n);
        return;
    }
    let me = std::env::current_exe().expect("own path");
    for n in [250, 1000] {
        let status = std::process::Command::new(&me)
            .args(["--bench", "--size", &n.to_string()])
            .status()
            .expect("run size");
        assert!(status.success(), "size {n} failed");
    }
}
