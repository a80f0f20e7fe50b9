//! Wires the stages together for a run: discover → fetch → document → item1 → summarize →
//! output, and reports what happened.
//!
//! The stages run at once, connected by bounded channels, each with the concurrency its
//! bottleneck needs: downloads wait on the network (and the client's rate limiter keeps the
//! pace legal), cleaning and Item 1 use every core, an LLM summarizer waits on its server.
//! Bounded queues mean only a few filings per worker are in flight, so memory does not grow
//! with the corpus, and one writer flushes a batch every `flush_every` rows, so a crash
//! loses at most one batch. Filings already in the output are skipped unless forced, so a
//! rerun finishes the job without duplicates. A filing that fails at any stage becomes a
//! row with a status and an error, and the run goes on.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use crossbeam_channel::{bounded, Receiver, RecvTimeoutError};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::document::TableMode;
use crate::edgar::{self, Client, FetchStats, Filing, Selection, Unresolved, UnresolvedKind};
use crate::items::{ItemId, Sections};
use crate::output::{Failure, ItemCell, Record, RowStatus, Sink};
use crate::summarize::{tokens::Tokenizer, Summarizer};

/// What a run needs besides the selection.
pub struct RunOptions {
    pub sink: Sink,
    pub numeric_tables: TableMode,
    /// Parallel downloads.
    pub network_concurrency: usize,
    /// Rows written per batch.
    pub flush_every: usize,
    /// Redo filings already in the output.
    pub force: bool,
    /// Leave `item1_text` and the other items' texts empty (null) to keep the output small.
    pub no_text: bool,
    /// The items to extract (Item 1 always is): a column pair each besides Item 1's. The
    /// items the output already has are extracted too, so its columns stay alike.
    pub items: Vec<ItemId>,
    /// This machine's part of the work: (k, n), 1 ≤ k ≤ n.
    pub shard: Option<Shard>,
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
    /// A plain line every ten seconds and at the end (for logs).
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
}

/// How often a plain progress line is printed.
const LINE_EVERY: Duration = Duration::from_secs(10);

/// One progress bar per stage. The bars count in every mode (hidden ones too), so the
/// plain lines read their counts from them.
struct Bars {
    progress: Progress,
    total: usize,
    fetch: ProgressBar,
    item1: ProgressBar,
    summarize: ProgressBar,
    write: ProgressBar,
    _multi: Option<MultiProgress>,
}

impl Bars {
    /// Bars for fetch, item1 (document cleaning, Item 1 and an in-process summary),
    /// summarize (only when the summarizer is a network stage of its own) and write.
    fn new(progress: Progress, total: usize, network_summarizer: bool) -> Bars {
        let multi = (progress == Progress::Bar).then(MultiProgress::new);
        let bar = |name: &'static str| {
            let Some(multi) = &multi else {
                return ProgressBar::hidden();
            };
            let bar = multi.add(ProgressBar::new(total as u64).with_prefix(name));
            if let Ok(style) = ProgressStyle::with_template(
                "{prefix:>9} {pos:>6}/{len} [{bar:30}] {rate:>8} ETA {eta:>4} {msg}",
            ) {
                let style = style.with_key(
                    "rate",
                    |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = write!(w, "{:.1}/s", state.per_sec());
                    },
                );
                bar.set_style(style.progress_chars("=> "));
            }
            bar
        };
        let fetch = bar("fetch");
        let item1 = bar("item1");
        let summarize = if network_summarizer {
            bar("summarize")
        } else {
            ProgressBar::hidden()
        };
        let write = bar("write");
        Bars {
            progress,
            total,
            fetch,
            item1,
            summarize,
            write,
            _multi: multi,
        }
    }

    /// A plain progress line (in `Lines` mode).
    fn line(&self, clock: Instant) {
        if self.progress != Progress::Lines {
            return;
        }
        let written = self.write.position();
        eprintln!(
            "tenk: {written}/{} filings written ({}), fetched {}, item1 {}, {:.1} filings/s",
            self.total,
            self.write.message(),
            self.fetch.position(),
            self.item1.position(),
            written as f64 / clock.elapsed().as_secs_f64().max(1e-9)
        );
    }

    fn finish(&self) {
        for bar in [&self.fetch, &self.item1, &self.summarize, &self.write] {
            bar.finish_and_clear();
        }
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
    /// Filings done again: their earlier row had failed in a way that may pass (or
    /// `--force`).
    pub filings_redone: usize,
    /// Rows written by this run.
    pub rows_written: usize,
    /// Rows written, by `item1_status` (`ok`, `by_reference`, `not_found`, `fetch_error`).
    pub rows_by_status: BTreeMap<String, usize>,
    /// Rows written, by the status of each other item (`--items`): item → status → rows.
    pub rows_by_item_status: BTreeMap<String, BTreeMap<String, usize>>,
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
    /// The first rows written (at most `ROWS_SHOWN`), without their section text, for
    /// the screen.
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

/// This machine's share of a run's filings, K of N (1 ≤ K ≤ N): a split by a stable hash of
/// the accession number, so every machine computes the same split without talking to the
/// others. Made only through `new` or parsing "K/N", so no shard divides by zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    k: usize,
    n: usize,
}

impl Shard {
    /// Shard `k` of `n`, or None unless 1 ≤ k ≤ n.
    pub fn new(k: usize, n: usize) -> Option<Shard> {
        (k >= 1 && k <= n).then_some(Shard { k, n })
    }

    /// Is the filing with this accession number in the shard?
    pub fn contains(&self, accession: &str) -> bool {
        // FNV-1a: stable across platforms and Rust versions, unlike the std hasher; a
        // change would move filings between shards of a dataset already written
        let h = accession.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        (h % self.n as u64) as usize == self.k - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// "K/N" with 1 ≤ K ≤ N.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("{s:?} is not a shard like 2/4 (K of N, 1 <= K <= N)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k = k.trim().parse().map_err(|_| bad())?;
        let n = n.trim().parse().map_err(|_| bad())?;
        Shard::new(k, n).ok_or_else(bad)
    }
}

/// What a run will do: the filings to process (this shard's, not yet in the output unless
/// redone), what discovery could not resolve, and the items each row gets.
struct Plan {
    filings: Vec<Filing>,
    unresolved: Vec<Unresolved>,
    items: Vec<ItemId>,
    filings_found: usize,
    filings_redone: usize,
}

/// Discovers the selection's filings and sets the output up for them: rows that failed in
/// a way that may pass are redone, and so is everything with --force; redone rows replace
/// the old ones (a dataset drops them first); the output gains the columns of new items.
fn plan(client: &Client, sel: &Selection, opts: &RunOptions) -> Result<Plan> {
    let (mut filings, unresolved) = edgar::discover(client, sel)?;
    if let Some(shard) = opts.shard {
        filings.retain(|f| shard.contains(&f.accession.to_string()));
    }
    let filings_found = filings.len();
    let existing = opts
        .sink
        .existing(&opts.items)
        .with_context(|| format!("cannot read {}", opts.sink.path().display()))?;
    let items = existing.run_items(&opts.items);
    let redo: HashSet<String> = filings
        .iter()
        .map(|f| f.accession.to_string())
        .filter(|a| existing.retry.contains(a) || (opts.force && existing.done.contains(a)))
        .collect();
    opts.sink
        .forget(&redo)
        .and_then(|()| opts.sink.widen(&items))
        .with_context(|| format!("cannot update {}", opts.sink.path().display()))?;
    if !opts.force {
        filings.retain(|f| !existing.done.contains(&f.accession.to_string()));
    }
    Ok(Plan {
        filings,
        unresolved,
        items,
        filings_found,
        filings_redone: redo.len(),
    })
}

/// A dataset remembers how far the index files are done, for `--since last`: up to `to`,
/// but a day's index is complete only once the day is over, and a run that could not read
/// an index file, or was stopped, leaves the mark where it was.
fn mark_index_days(sink: &Sink, report: &RunReport, to: chrono::NaiveDate) -> Result<()> {
    let index_failed = report
        .unresolved
        .iter()
        .any(|u| u.kind == UnresolvedKind::Index);
    let yesterday = Utc::now().date_naive().pred_opt().unwrap_or(to);
    if index_failed || report.interrupted {
        return Ok(());
    }
    sink.set_last_index_day(to.min(yesterday))
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
    let Plan {
        filings,
        unresolved,
        items,
        filings_found,
        filings_redone,
    } = plan(client, sel, opts)?;
    let tokenizer = Tokenizer::by_name(summarizer.tokenizer())?;
    let bars = Bars::new(
        opts.progress,
        filings.len(),
        summarizer.concurrency().is_some(),
    );
    let times = StageTimes::default();
    let halt = AtomicBool::new(false);
    let ctx = Stages {
        client,
        fetchers: opts.network_concurrency.max(1),
        summarizer,
        tokenizer: &tokenizer,
        numeric_tables: opts.numeric_tables,
        items: &items,
        times: &times,
        bars: &bars,
        stop: &opts.stop,
        halt: &halt,
    };
    let written = ctx.stream(
        &filings,
        |mut rows, batch| {
            if opts.no_text {
                rows.iter_mut().for_each(Record::drop_texts);
            }
            times
                .write
                .time(|| opts.sink.write(&rows, &run_id, batch))
                .with_context(|| format!("cannot write {}", opts.sink.path().display()))
        },
        opts.flush_every.max(1),
        clock,
    );
    bars.finish();
    let w = written?;
    let seconds = clock.elapsed().as_secs_f64();
    let report = RunReport {
        run_id,
        started_at: started_at.to_rfc3339(),
        seconds,
        filings_found,
        filings_skipped: filings_found - filings.len(),
        filings_redone,
        rows_written: w.rows_written,
        rows_failed: w.rows_failed,
        rows_by_status: w.rows_by_status,
        rows_by_item_status: w.rows_by_item_status,
        interrupted: w.rows_written < filings.len(),
        fetch: client.stats(),
        stage_seconds: times.seconds(),
        filings_per_second: w.rows_written as f64 / seconds.max(1e-9),
        rows_in_file: w
            .rows_in_file
            .filter(|_| matches!(opts.sink, Sink::File(_))),
        unresolved_items: unresolved
            .iter()
            .map(|u| format!("{}: {}", u.what, u.reason))
            .collect(),
        unresolved,
        records: w.shown,
    };
    if let Some((_, to)) = sel.period {
        mark_index_days(&opts.sink, &report, to)?;
    }
    let path = opts.sink.report_path(&report.run_id);
    write_report(&path, &report).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(report)
}

/// Rows in flight between two stages, per worker of the receiving stage: enough to keep
/// every worker busy, few enough that memory does not depend on the corpus.
const QUEUE_PER_WORKER: usize = 2;

/// Rows of the run kept for the screen (without their section text).
const ROWS_SHOWN: usize = 25;

/// What the stages share during a run.
struct Stages<'a> {
    client: &'a Client,
    /// Downloads in flight.
    fetchers: usize,
    summarizer: &'a dyn Summarizer,
    tokenizer: &'a Tokenizer,
    numeric_tables: TableMode,
    /// The items besides Item 1 each row gets.
    items: &'a [ItemId],
    times: &'a StageTimes,
    bars: &'a Bars,
    /// Set by SIGINT/SIGTERM.
    stop: &'a AtomicBool,
    /// Set when the writer fails: the other stages give up.
    halt: &'a AtomicBool,
}

/// A filing's row so far and the section still to summarize.
struct Analysed {
    rec: Record,
    section: Option<String>,
}

/// What the writer did.
struct Written {
    rows_written: usize,
    /// What the last write returned (rows in the file, for a file sink); None without one.
    rows_in_file: Option<usize>,
    rows_by_status: BTreeMap<String, usize>,
    rows_by_item_status: BTreeMap<String, BTreeMap<String, usize>>,
    rows_failed: usize,
    shown: Vec<Record>,
}

impl Stages<'_> {
    fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst) || self.halt.load(Ordering::SeqCst)
    }

    /// Streams the filings through the stages, connected by bounded channels:
    /// fetch (`network_concurrency` threads) → document, item1 and an in-process summary
    /// (rayon, one worker per core) → an LLM summary (its own `concurrency` threads, only
    /// for a network summarizer) → this thread, which hands `write` a batch of
    /// `flush_every` rows at a time. Filings not yet fetched when a stop is asked are left
    /// for the next run; those in flight are finished and written.
    fn stream(
        &self,
        filings: &[Filing],
        mut write: impl FnMut(Vec<Record>, usize) -> Result<usize>,
        flush_every: usize,
        clock: Instant,
    ) -> Result<Written> {
        let fetchers = self.fetchers;
        let cores = rayon::current_num_threads();
        // every filing travels with its place in the list, so each batch is written in
        // the order discovery found the filings, whichever finished first
        let (todo_tx, todo_rx) = bounded::<(usize, &Filing)>(fetchers * QUEUE_PER_WORKER);
        let (fetched_tx, fetched_rx) =
            bounded::<(usize, Record, Option<Vec<u8>>)>(cores * QUEUE_PER_WORKER);
        let llm = self.summarizer.concurrency();
        let (pending_tx, pending_rx) =
            bounded::<(usize, Analysed)>(llm.unwrap_or(1) * QUEUE_PER_WORKER);
        let (done_tx, done_rx) = bounded::<(usize, Record)>(flush_every.min(1024));
        std::thread::scope(|s| {
            s.spawn(move || {
                for f in filings.iter().enumerate() {
                    if self.stopped() || todo_tx.send(f).is_err() {
                        break;
                    }
                }
            });
            for _ in 0..fetchers {
                let (rx, tx) = (todo_rx.clone(), fetched_tx.clone());
                s.spawn(move || {
                    for (seq, f) in rx {
                        if self.stopped() {
                            break;
                        }
                        let (rec, raw) = self.fetch(f);
                        self.bars.fetch.inc(1);
                        if tx.send((seq, rec, raw)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop((todo_rx, fetched_tx));
            let cpu_done = done_tx.clone();
            s.spawn(move || {
                fetched_rx
                    .into_iter()
                    .par_bridge()
                    .for_each(|(seq, rec, raw)| {
                        let a = self.analyse(rec, raw);
                        self.bars.item1.inc(1);
                        // a closed channel means the writer gave up; the halt flag stops the rest
                        let _ = match llm {
                            Some(_) if a.section.is_some() => pending_tx.send((seq, a)).is_err(),
                            _ => cpu_done.send((seq, self.summarize(a))).is_err(),
                        };
                    });
            });
            for _ in 0..llm.unwrap_or(0) {
                let (rx, tx) = (pending_rx.clone(), done_tx.clone());
                s.spawn(move || {
                    for (seq, a) in rx {
                        let rec = self.summarize(a);
                        self.bars.summarize.inc(1);
                        if tx.send((seq, rec)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop((pending_rx, done_tx));
            let out = self.collect(done_rx, &mut write, flush_every, clock);
            if out.is_err() {
                self.halt.store(true, Ordering::SeqCst);
            }
            out
        })
    }

    /// The writer: batches rows as they arrive, writes each batch, keeps the counts.
    fn collect(
        &self,
        done: Receiver<(usize, Record)>,
        write: &mut impl FnMut(Vec<Record>, usize) -> Result<usize>,
        flush_every: usize,
        clock: Instant,
    ) -> Result<Written> {
        let mut w = Written {
            rows_written: 0,
            rows_in_file: None,
            rows_by_status: BTreeMap::new(),
            rows_by_item_status: BTreeMap::new(),
            rows_failed: 0,
            shown: Vec::new(),
        };
        let mut batch = Vec::new();
        let mut batches = 0;
        let mut last_line = Instant::now();
        loop {
            let next = done.recv_timeout(LINE_EVERY);
            let finished = matches!(next, Err(RecvTimeoutError::Disconnected));
            if let Ok((seq, rec)) = next {
                *w.rows_by_status
                    .entry(rec.item1_status.as_str().to_string())
                    .or_insert(0) += 1;
                for (id, cell) in &rec.items {
                    let by_status = w.rows_by_item_status.entry(id.to_string()).or_default();
                    *by_status
                        .entry(cell.status.as_str().to_string())
                        .or_insert(0) += 1;
                }
                w.rows_failed += usize::from(rec.error.is_some());
                if w.shown.len() < ROWS_SHOWN {
                    w.shown.push(Record {
                        item1_text: None,
                        items: BTreeMap::new(),
                        ..rec.clone()
                    });
                }
                batch.push((seq, rec));
            }
            if batch.len() >= flush_every || (finished && !batch.is_empty()) {
                batch.sort_unstable_by_key(|(seq, _)| *seq);
                let rows: Vec<Record> = batch.drain(..).map(|(_, r)| r).collect();
                let n = rows.len();
                w.rows_in_file = Some(write(rows, batches)?);
                batches += 1;
                w.rows_written += n;
                self.bars.write.inc(n as u64);
                self.bars
                    .write
                    .set_message(format!("{} failed", w.rows_failed));
            }
            if finished || last_line.elapsed() >= LINE_EVERY {
                self.bars.line(clock);
                last_line = Instant::now();
            }
            if finished {
                return Ok(w);
            }
        }
    }

    /// The fetch stage: the filing's row with its metadata, and the document (or the
    /// row's error).
    fn fetch(&self, filing: &Filing) -> (Record, Option<Vec<u8>>) {
        let path = filing.document_path();
        let c = &filing.company;
        let summarizer = self.summarizer;
        let mut rec = Record {
            accession_number: filing.accession.to_string(),
            cik: filing.cik,
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
        match self.times.fetch.time(|| self.client.get(&path)) {
            Ok(raw) => (rec, Some(raw)),
            Err(e) => {
                rec.item1_status = RowStatus::FetchError;
                rec.items = self
                    .items
                    .iter()
                    .map(|&id| {
                        let cell = ItemCell {
                            status: RowStatus::FetchError,
                            text: None,
                        };
                        (id, cell)
                    })
                    .collect();
                rec.error = Some(e.to_string());
                (rec, None)
            }
        }
    }

    /// The CPU stages: clean text, then Item 1.
    fn analyse(&self, mut rec: Record, raw: Option<Vec<u8>>) -> Analysed {
        let Some(raw) = raw else {
            return Analysed { rec, section: None };
        };
        rec.document_sha256 = Some(format!("{:x}", Sha256::digest(&raw)));
        let doc = self
            .times
            .document
            .time(|| crate::document::clean(&raw, self.numeric_tables));
        drop(raw);
        let (item, others) = self.times.item1.time(|| {
            let sections = Sections::new(&doc);
            let others: Vec<_> = self.items.iter().map(|&id| sections.get(id)).collect();
            (sections.get(ItemId::I1), others)
        });
        rec.items = others
            .into_iter()
            .map(|s| {
                let text = s.status.has_text().then_some(s.text);
                let status = RowStatus::Section(s.status);
                (s.item, ItemCell { status, text })
            })
            .collect();
        rec.item1_status = RowStatus::Section(item.status);
        rec.item1_method = Some(item.method.as_str().to_string());
        rec.item1_confidence = Some(item.confidence);
        if !item.status.has_text() {
            rec.error = Some(format!(
                "{}: no Item 1 (Business) heading found in the document",
                rec.source_url
            ));
            return Analysed { rec, section: None };
        }
        rec.item1_chars = Some(item.text.chars().count() as u64);
        rec.item1_tokens = Some(self.tokenizer.count(&item.text) as u64);
        Analysed {
            rec,
            section: Some(item.text),
        }
    }

    /// The summary stage: the finished row.
    fn summarize(&self, a: Analysed) -> Record {
        let Analysed { mut rec, section } = a;
        if let Some(section) = section {
            match self
                .times
                .summarize
                .time(|| self.summarizer.summarize(&section))
            {
                Ok(s) => {
                    if s.text.is_empty() {
                        rec.error = Some(format!(
                            "{}: Item 1 holds no prose to summarize",
                            rec.source_url
                        ));
                    }
                    rec.summary_tokens = Some(s.tokens as u64);
                    rec.summary_truncated = Some(s.truncated);
                    rec.summary = Some(s.text);
                }
                Err(e) => rec.error = Some(Failure::summarizer_error(&e)),
            }
            rec.item1_text = Some(section);
        }
        rec.processed_at = Some(Utc::now());
        rec
    }
}

/// Writes the run report as JSON, atomically.
fn write_report(path: &std::path::Path, report: &RunReport) -> Result<()> {
    Ok(crate::atomic::write_bytes(
        path,
        &serde_json::to_vec_pretty(report)?,
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_filing_into_exactly_one_and_none_divides_by_zero() {
        assert_eq!(Shard::new(0, 0), None);
        assert_eq!(Shard::new(3, 2), None);
        assert!("0/0".parse::<Shard>().is_err());
        assert!("2/0".parse::<Shard>().is_err());
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { k: 2, n: 4 }));
        let shards: Vec<Shard> = (1..=3).map(|k| Shard::new(k, 3).unwrap()).collect();
        for i in 0..300 {
            let accession = format!("0000950130-96-{i:06}");
            let holding = shards.iter().filter(|s| s.contains(&accession)).count();
            assert_eq!(holding, 1, "{accession}");
        }
        // the hash is part of the on-disk contract: a sharded dataset must keep its split
        assert!(Shard::new(2, 2).unwrap().contains("0000950130-96-000896"));
        assert!(Shard::new(4, 4).unwrap().contains("0000950130-96-000896"));
        assert!(Shard::new(2, 4).unwrap().contains("0000948708-21-000010"));
    }
}
