//! Wires the stages together for a run: discover → fetch → document → item1 → summarize →
//! output, and reports what happened.
//!
//! Filings go through in batches of `flush_every`: each batch is fetched and processed on
//! its own pool (network latency, not CPU, limits fetching; the client's rate limiter keeps
//! the pace legal), then written, so memory holds one batch at a time however large the
//! corpus, and a crash loses at most one batch. Filings already in the output are skipped
//! unless forced, so a rerun finishes the job without duplicates. A filing that fails at any
//! stage becomes a row with a status and an error, and the batch goes on.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::document::TableMode;
use crate::edgar::{self, Client, FetchStats, Filing, Selection, Unresolved};
use crate::item1::{self, Status};
use crate::output::{Record, Sink};
use crate::summarize::{tokens::Tokenizer, Summarizer};

/// What a run needs besides the selection.
pub struct RunOptions {
    pub sink: Sink,
    pub numeric_tables: TableMode,
    /// Parallel downloads (and per-filing work).
    pub network_concurrency: usize,
    /// Rows written per batch.
    pub flush_every: usize,
    /// Redo filings already in the output.
    pub force: bool,
    /// Leave `item1_text` empty (null) to keep the output small.
    pub no_text: bool,
    /// This machine's part of the work: (k, n), 1 ≤ k ≤ n.
    pub shard: Option<(usize, usize)>,
    pub progress: Progress,
    /// Set (by SIGINT/SIGTERM) to stop: filings not yet started are left for the next run,
    /// the rows of those done are written.
    pub stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

/// How a run shows its progress on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A live bar with counts, rate and ETA (for a terminal).
    Bar,
    /// A plain line after every batch (for logs).
    Lines,
    Quiet,
}

impl Progress {
    /// A bar on a terminal, plain lines otherwise.
    pub fn for_stderr() -> Progress {
        use std::io::IsTerminal;
        if std::io::stderr().is_terminal() {
            Progress::Bar
        } else {
            Progress::Lines
        }
    }

    fn bar(self, total: usize) -> indicatif::ProgressBar {
        if self != Progress::Bar {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::new(total as u64);
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} filings {pos}/{len} [{bar:30}] {per_sec} ETA {eta} {msg}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    }
}

/// What a run did.
#[derive(Debug, serde::Serialize)]
pub struct RunReport {
    pub run_id: String,
    /// RFC 3339, UTC.
    pub started_at: String,
    pub seconds: f64,
    /// Filings discovery found (this shard's part).
    pub filings_found: usize,
    /// Filings skipped because the output already has them.
    pub filings_skipped: usize,
    /// Rows written, by `item1_status` (`ok`, `by_reference`, `not_found`, `fetch_error`).
    pub rows_by_status: BTreeMap<String, usize>,
    /// Rows with an error message.
    pub rows_failed: usize,
    pub fetch: FetchStats,
    /// Busy time per stage, summed over the workers, in seconds.
    pub stage_seconds: BTreeMap<&'static str, f64>,
    pub filings_per_second: f64,
    /// The run was stopped before all filings were done (a rerun finishes them).
    pub interrupted: bool,
    /// Rows in the output file afterwards (file output only).
    pub rows_in_file: Option<usize>,
    #[serde(skip)]
    pub unresolved: Vec<Unresolved>,
    /// Selection items that could not be resolved, as "what: why".
    pub unresolved_items: Vec<String>,
    /// The rows written, without their section text (for the summary on screen).
    #[serde(skip)]
    pub records: Vec<Record>,
}

impl RunReport {
    /// True when every requested filing produced a row with its section found.
    pub fn all_ok(&self) -> bool {
        self.unresolved.is_empty() && self.rows_failed == 0
    }
}

/// Time spent in one stage, summed over the workers.
#[derive(Debug, Default)]
struct StageTime(std::sync::atomic::AtomicU64);

impl StageTime {
    fn time<T>(&self, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        let nanos = u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.0
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
        out
    }

    fn seconds(&self) -> f64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e9
    }
}

/// Busy time of each stage of a run.
#[derive(Debug, Default)]
struct StageTimes {
    fetch: StageTime,
    document: StageTime,
    item1: StageTime,
    summarize: StageTime,
    write: StageTime,
}

impl StageTimes {
    fn seconds(&self) -> BTreeMap<&'static str, f64> {
        BTreeMap::from([
            ("fetch", self.fetch.seconds()),
            ("document", self.document.seconds()),
            ("item1", self.item1.seconds()),
            ("summarize", self.summarize.seconds()),
            ("write", self.write.seconds()),
        ])
    }
}

/// A run's identity: UTC time and process id, sortable and unique per machine.
fn run_id(now: DateTime<Utc>) -> String {
    format!("{}-{}", now.format("%Y%m%dT%H%M%SZ"), std::process::id())
}

/// Is this filing in shard k of n? By a stable hash of the accession number, so every
/// machine computes the same split without talking to the others.
pub fn in_shard(accession: &str, (k, n): (usize, usize)) -> bool {
    // FNV-1a: stable across platforms and Rust versions, unlike the std hasher
    let h = accession.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (h % n as u64) as usize == k - 1
}

/// Runs the whole pipeline for a selection and writes the rows to `opts.sink`; the run
/// report is written next to the output as JSON.
pub fn run(
    client: &Client,
    summarizer: &dyn Summarizer,
    sel: &Selection,
    opts: &RunOptions,
) -> Result<RunReport> {
    let started_at = Utc::now();
    let clock = Instant::now();
    let run_id = run_id(started_at);
    let (mut filings, unresolved) = edgar::discover(client, sel)?;
    if let Some(shard) = opts.shard {
        filings.retain(|f| in_shard(&f.accession.to_string(), shard));
    }
    let filings_found = filings.len();
    let existing = opts
        .sink
        .existing()
        .with_context(|| format!("cannot read {}", opts.sink.path().display()))?;
    if opts.force {
        // redone rows replace the old ones: a dataset drops them first
        let redo = filings
            .iter()
            .map(|f| f.accession.to_string())
            .filter(|a| existing.contains(a))
            .collect();
        opts.sink
            .forget(&redo)
            .with_context(|| format!("cannot update {}", opts.sink.path().display()))?;
    } else {
        filings.retain(|f| !existing.contains(&f.accession.to_string()));
    }
    let tokenizer = Tokenizer::by_name(summarizer.tokenizer())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.network_concurrency.max(1))
        .build()
        .context("cannot start the download workers")?;
    let mut records = Vec::new();
    let mut rows_in_file = None;
    let bar = opts.progress.bar(filings.len());
    let times = StageTimes::default();
    for (batch, chunk) in filings.chunks(opts.flush_every.max(1)).enumerate() {
        let stopped = || opts.stop.load(std::sync::atomic::Ordering::SeqCst);
        if stopped() {
            break;
        }
        let mut rows: Vec<Record> = pool.install(|| {
            chunk
                .par_iter()
                .filter_map(|f| {
                    // filings not started when a stop is asked are left for the next run
                    if stopped() {
                        return None;
                    }
                    let row = process(
                        client,
                        summarizer,
                        &tokenizer,
                        opts.numeric_tables,
                        f,
                        &times,
                    );
                    bar.inc(1);
                    Some(row)
                })
                .collect()
        });
        if opts.no_text {
            rows.iter_mut().for_each(|r| r.item1_text = None);
        }
        let n = times
            .write
            .time(|| opts.sink.write(&rows, &run_id, batch))
            .with_context(|| format!("cannot write {}", opts.sink.path().display()))?;
        if matches!(opts.sink, crate::output::Sink::File(_)) {
            rows_in_file = Some(n);
        }
        records.extend(rows.into_iter().map(|r| Record {
            item1_text: None,
            ..r
        }));
        let failed = records.iter().filter(|r| r.error.is_some()).count();
        bar.set_message(format!("{failed} failed"));
        if opts.progress == Progress::Lines {
            eprintln!(
                "tenk: {}/{} filings written ({failed} failed), {:.1} filings/s",
                records.len(),
                filings.len(),
                records.len() as f64 / clock.elapsed().as_secs_f64().max(1e-9)
            );
        }
    }
    bar.finish_and_clear();
    let seconds = clock.elapsed().as_secs_f64();
    let mut rows_by_status = BTreeMap::new();
    for r in &records {
        *rows_by_status.entry(r.item1_status.clone()).or_insert(0) += 1;
    }
    let report = RunReport {
        run_id,
        started_at: started_at.to_rfc3339(),
        seconds,
        filings_found,
        filings_skipped: filings_found - filings.len(),
        rows_failed: records.iter().filter(|r| r.error.is_some()).count(),
        rows_by_status,
        interrupted: records.len() < filings.len(),
        fetch: client.stats(),
        stage_seconds: times.seconds(),
        filings_per_second: records.len() as f64 / seconds.max(1e-9),
        rows_in_file,
        unresolved_items: unresolved
            .iter()
            .map(|u| format!("{}: {}", u.what, u.reason))
            .collect(),
        unresolved,
        records,
    };
    // a dataset remembers how far the index files are done, for `--since last`; a day's
    // index is complete only once the day is over, and a run that could not read an index
    // file leaves the mark where it was
    if let Some((_, to)) = sel.period {
        let index_failed = report
            .unresolved
            .iter()
            .any(|u| u.what.starts_with("Archives/edgar/"));
        let yesterday = Utc::now().date_naive().pred_opt().unwrap_or(to);
        if !index_failed {
            opts.sink.set_last_index_day(to.min(yesterday))?;
        }
    }
    let path = opts.sink.report_path(&report.run_id);
    write_report(&path, &report).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(report)
}

/// Writes the run report as JSON, atomically.
fn write_report(path: &std::path::Path, report: &RunReport) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, serde_json::to_vec_pretty(report)?)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}

/// The row of one filing: fetched, cleaned, Item 1 found and summarized, or the error.
fn process(
    client: &Client,
    summarizer: &dyn Summarizer,
    tokenizer: &Tokenizer,
    numeric_tables: TableMode,
    filing: &Filing,
    times: &StageTimes,
) -> Record {
    let path = filing.document_path();
    let c = &filing.company;
    let mut rec = Record {
        accession_number: filing.accession.to_string(),
        cik: filing.cik.0,
        company_name: c.name.clone(),
        tickers: c.tickers.clone(),
        exchanges: c.exchanges.clone(),
        form: filing.form.clone(),
        filing_date: filing.filing_date,
        report_date: filing.report_date,
        fiscal_year: filing.fiscal_year(),
        sic: c.sic.clone(),
        sic_description: c.sic_description.clone(),
        state_of_incorporation: c.state_of_incorporation.clone(),
        fiscal_year_end: c.fiscal_year_end.clone(),
        source_url: Client::public_url(&path),
        summarizer: Some(summarizer.name().to_string()),
        model: summarizer.model(),
        tokenizer: Some(summarizer.tokenizer().to_string()),
        prompt_sha256: summarizer.prompt_sha256(),
        tenk_version: env!("CARGO_PKG_VERSION").to_string(),
        ..Record::default()
    };
    let raw = match times.fetch.time(|| client.get(&path)) {
        Ok(raw) => raw,
        Err(e) => {
            rec.item1_status = "fetch_error".into();
            rec.error = Some(e.to_string());
            rec.processed_at = Some(Utc::now());
            return rec;
        }
    };
    rec.document_sha256 = Some(format!("{:x}", Sha256::digest(&raw)));
    let text = times
        .document
        .time(|| crate::document::clean_text(&raw, numeric_tables));
    drop(raw);
    let item = times.item1.time(|| item1::find(&text));
    rec.item1_status = item.status.as_str().to_string();
    rec.item1_method = Some(item.method.to_string());
    rec.item1_confidence = Some(item.confidence);
    if item.status == Status::NotFound {
        rec.error = Some(format!(
            "{path}: no Item 1 (Business) heading found in the document"
        ));
    } else {
        rec.item1_chars = Some(item.text.chars().count() as u64);
        rec.item1_tokens = Some(tokenizer.count(&item.text) as u64);
        match times.summarize.time(|| summarizer.summarize(&item.text)) {
            Ok(s) => {
                rec.summary_tokens = Some(s.tokens as u64);
                rec.summary_truncated = Some(s.truncated);
                rec.summary = Some(s.text);
            }
            Err(e) => rec.error = Some(format!("summarizer failed: {e:#}")),
        }
        rec.item1_text = Some(item.text);
    }
    rec.processed_at = Some(Utc::now());
    rec
}
