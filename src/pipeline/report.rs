//! What a run did: the report the command prints and writes next to the output as JSON,
//! what its summaries came to (pending, LLM tokens and their estimated cost, summaries that
//! keep too little to Item 1), the busy time of each stage, and the `--since last` mark a
//! completed run leaves.

use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::Result;
use chrono::Utc;

use crate::config::LlmConfig;
use crate::edgar::{FetchStats, Unresolved, UnresolvedKind};
use crate::output::{Record, Sink, SummaryStatus};

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
    /// What the summaries came to: pending, tokens, cost, grounding.
    pub summaries: SummaryTotals,
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

/// What the report checks summaries against (`[summarizer.llm]`).
#[derive(Debug, Clone, Copy)]
pub struct SummaryChecks {
    /// A summary whose grounding is below this is counted and named.
    pub min_grounding: f64,
    /// Per million input and output tokens, for the cost estimate.
    pub price_per_million: Option<(f64, f64)>,
}

impl SummaryChecks {
    /// The checks `[summarizer.llm]` sets; a price left out counts as 0 when the other is
    /// given.
    pub fn of(cfg: &LlmConfig) -> SummaryChecks {
        let (input, output) = (cfg.price_per_million_input, cfg.price_per_million_output);
        SummaryChecks {
            min_grounding: cfg.min_grounding,
            price_per_million: (input.is_some() || output.is_some())
                .then(|| (input.unwrap_or(0.0), output.unwrap_or(0.0))),
        }
    }
}

/// Summaries whose grounding is low named in a report, at most.
const LOW_GROUNDING_SHOWN: usize = 10;

/// What the summaries of a run (or of a batch's results) came to.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize)]
pub struct SummaryTotals {
    /// Rows given a summary.
    pub summarized: usize,
    /// Rows waiting for the result of a batch (`--llm-batch`).
    pub pending: usize,
    /// Tokens the language model read and wrote, all requests together.
    pub llm_input_tokens: u64,
    pub llm_output_tokens: u64,
    /// Estimated from `summarizer.llm.price_per_million_input` / `_output`; None without.
    pub llm_cost: Option<f64>,
    /// Summaries whose grounding is below `summarizer.llm.min_grounding`.
    pub below_min_grounding: usize,
    /// The first of them, by accession number.
    pub below_min_grounding_rows: Vec<String>,
}

impl SummaryTotals {
    /// Counts one row.
    pub fn add(&mut self, rec: &Record, checks: &SummaryChecks) {
        match rec.summary_status {
            Some(SummaryStatus::Ok) => self.summarized += 1,
            Some(SummaryStatus::Pending) => self.pending += 1,
            Some(SummaryStatus::Failed) | None => {}
        }
        self.llm_input_tokens += rec.llm_input_tokens.unwrap_or(0);
        self.llm_output_tokens += rec.llm_output_tokens.unwrap_or(0);
        if let Some((input, output)) = checks.price_per_million {
            self.llm_cost = Some(
                (self.llm_input_tokens as f64 * input + self.llm_output_tokens as f64 * output)
                    / 1e6,
            );
        }
        if rec
            .summary_grounding
            .is_some_and(|g| g < checks.min_grounding)
        {
            self.below_min_grounding += 1;
            if self.below_min_grounding_rows.len() < LOW_GROUNDING_SHOWN {
                self.below_min_grounding_rows
                    .push(rec.accession_number.clone());
            }
        }
    }
}

/// Time spent in one stage, summed over the workers.
#[derive(Debug, Default)]
pub(super) struct StageTime(std::sync::atomic::AtomicU64);

impl StageTime {
    pub(super) fn time<T>(&self, f: impl FnOnce() -> T) -> T {
        let t = Instant::now();
        let out = f();
        let nanos = u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.0
            .fetch_add(nanos, std::sync::atomic::Ordering::Relaxed);
        out
    }

    pub(super) fn seconds(&self) -> f64 {
        self.0.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1e9
    }
}

/// Busy time of each stage of a run.
#[derive(Debug, Default)]
pub(super) struct StageTimes {
    pub(super) fetch: StageTime,
    pub(super) document: StageTime,
    pub(super) item1: StageTime,
    pub(super) summarize: StageTime,
    pub(super) write: StageTime,
}

impl StageTimes {
    pub(super) fn seconds(&self) -> BTreeMap<&'static str, f64> {
        BTreeMap::from([
            ("fetch", self.fetch.seconds()),
            ("document", self.document.seconds()),
            ("item1", self.item1.seconds()),
            ("summarize", self.summarize.seconds()),
            ("write", self.write.seconds()),
        ])
    }
}
/// A dataset remembers how far the index files are done, for `--since last`: up to `to`,
/// but a day's index is complete only once the day is over, and a run that could not read
/// an index file, or was stopped, leaves the mark where it was.
pub(super) fn mark_index_days(
    sink: &Sink,
    report: &RunReport,
    to: chrono::NaiveDate,
) -> Result<()> {
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
/// Writes a report (a run's, an ingest's) as JSON, atomically.
pub(super) fn write_report(path: &std::path::Path, report: &impl serde::Serialize) -> Result<()> {
    Ok(crate::atomic::write_bytes(
        path,
        &serde_json::to_vec_pretty(report)?,
    )?)
}
