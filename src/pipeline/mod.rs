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

mod ingest;
mod progress;
mod report;
mod shard;
mod stages;

use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

use crate::document::TableMode;
use crate::edgar::{self, Client, Filing, Selection, Unresolved};
use crate::items::ItemId;
use crate::output::{Record, Sink};
use crate::summarize::{batch::Requests, tokens::Tokenizer, Summarizer};

pub use ingest::{ingest, IngestReport};
pub use progress::{Observer, Silent, Stage};
pub use report::{RunReport, SummaryChecks, SummaryTotals};
pub use shard::Shard;

use report::{mark_index_days, write_report, StageTimes};
use stages::Stages;

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
    /// What the report checks the summaries against.
    pub checks: SummaryChecks,
    /// Write each filing's LLM request here instead of sending it (`--llm-batch`): rows
    /// get their sections and a `pending` summary, filled later by `batch-ingest`.
    pub llm_batch: Option<Requests>,
    /// Who is told how the run goes (`Silent`: nobody).
    pub progress: Box<dyn Observer>,
    /// Set (by SIGINT/SIGTERM) to stop: filings not yet started are left for the next run,
    /// the rows of those done are written.
    pub stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}
/// A run's identity: UTC time and process id, sortable and unique per machine.
fn run_id(now: DateTime<Utc>) -> String {
    format!("{}-{}", now.format("%Y%m%dT%H%M%SZ"), std::process::id())
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
    if let Some(requests) = &opts.llm_batch {
        // a redone filing's request in this file was answered already; the Batch API
        // refuses a second line with its custom_id
        let answered = redo.iter().filter(|a| requests.holds(a)).count();
        anyhow::ensure!(
            answered == 0,
            "{} already holds the requests of {answered} filing(s) this run redoes (their \
             results failed, or --force): write this batch to a new file",
            requests.path().display()
        );
    }
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
/// Writes one batch of a run's rows (`Sink::write`), without their texts under `--no-text`,
/// and after the batch requests they point to are durable.
fn write_rows(
    opts: &RunOptions,
    mut rows: Vec<Record>,
    run_id: &str,
    batch: usize,
) -> Result<usize> {
    if opts.no_text {
        rows.iter_mut().for_each(Record::drop_texts);
    }
    if let Some(requests) = &opts.llm_batch {
        requests.sync()?;
    }
    opts.sink
        .write(&rows, run_id, batch)
        .with_context(|| format!("cannot write {}", opts.sink.path().display()))
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
    let _hold = opts.sink.hold(false)?;
    let Plan {
        filings,
        unresolved,
        items,
        filings_found,
        filings_redone,
    } = plan(client, sel, opts)?;
    let tokenizer = Tokenizer::by_name(summarizer.tokenizer())?;
    opts.progress
        .start(filings.len(), summarizer.concurrency().is_some());
    let times = StageTimes::default();
    let halt = AtomicBool::new(false);
    let ctx = Stages {
        client,
        fetchers: opts.network_concurrency.max(1),
        summarizer,
        tokenizer: &tokenizer,
        numeric_tables: opts.numeric_tables,
        items: &items,
        checks: &opts.checks,
        batch: opts.llm_batch.as_ref(),
        times: &times,
        progress: opts.progress.as_ref(),
        stop: &opts.stop,
        halt: &halt,
    };
    let written = ctx.stream(
        &filings,
        |rows, batch| times.write.time(|| write_rows(opts, rows, &run_id, batch)),
        opts.flush_every.max(1),
        clock,
    );
    opts.progress.finish();
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
        summaries: w.summaries,
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
