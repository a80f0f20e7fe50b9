//! `tenk batch-ingest`: the second half of a batch run. The rows `--llm-batch` wrote with a
//! pending summary get the summaries a batch's results file holds, made as a direct run
//! makes them (the same cap and cut, grounding against the row's Item 1, token counts).
//!
//! Why only pending rows: a results file may be ingested twice, or arrive after the filing
//! was summarized another way; neither may overwrite a finished row. A result that failed,
//! or a request the results do not answer, becomes the row's error of a failed summarizer,
//! so the next run redoes the filing.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use anyhow::{Context, Result};
use chrono::Utc;

use super::report::{SummaryChecks, SummaryTotals};
use super::stages::{summarized, summary_failed};
use crate::output::{Record, Sink};
use crate::summarize::{batch::custom_ids, llm::Llm};

/// What an ingest did; written as JSON next to the output like a run's report.
#[derive(Debug, Default, serde::Serialize)]
pub struct IngestReport {
    /// Results read (lines with a `custom_id`).
    pub results: usize,
    /// Results for a `custom_id` another line of the file answers too (a successful one is
    /// kept over a failed one).
    pub duplicate_results: usize,
    /// Lines of the results file that are not JSON or name no `custom_id`.
    pub unreadable_lines: usize,
    /// Pending rows given a summary.
    pub filled: usize,
    /// Pending rows whose result failed, or had no result though requested.
    pub failed: usize,
    /// Results for which no pending row was found (already ingested, or not in this output).
    pub unmatched: usize,
    pub summaries: SummaryTotals,
    /// Where this report was written.
    #[serde(skip)]
    pub report_path: std::path::PathBuf,
}

/// Whether a result line carries an answer (not an error, not a failed status).
fn succeeded(result: &serde_json::Value) -> bool {
    result.get("error").is_none_or(serde_json::Value::is_null)
        && result["response"]["status_code"].as_u64() == Some(200)
}

/// Fills the pending rows of `sink` from the batch results at `results`. With `requests`
/// (the file `--llm-batch` wrote), a pending row whose request has no result fails too.
pub fn ingest(
    llm: &Llm,
    results: &Path,
    requests: Option<&Path>,
    sink: &Sink,
    checks: &SummaryChecks,
) -> Result<IngestReport> {
    let _hold = sink.hold(true)?;
    let text = std::fs::read_to_string(results)
        .with_context(|| format!("cannot read {}", results.display()))?;
    let mut report = IngestReport::default();
    let mut by_id: HashMap<String, serde_json::Value> = HashMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<serde_json::Value>(line) {
            Ok(v) if v["custom_id"].is_string() => {
                report.results += 1;
                let id = v["custom_id"].as_str().unwrap_or_default().to_string();
                match by_id.get(&id) {
                    Some(kept) => {
                        report.duplicate_results += 1;
                        if !succeeded(kept) {
                            by_id.insert(id, v);
                        }
                    }
                    None => {
                        by_id.insert(id, v);
                    }
                }
            }
            _ => report.unreadable_lines += 1,
        }
    }
    let requested: HashSet<String> = match requests {
        Some(p) => custom_ids(
            &std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?,
        ),
        None => HashSet::new(),
    };
    let mut matched = 0;
    let fill = |accession: &str, section: Option<&str>| -> Option<Record> {
        let mut rec = Record {
            accession_number: accession.to_string(),
            processed_at: Some(Utc::now()),
            ..Record::default()
        };
        match (by_id.get(accession), section) {
            (Some(result), Some(section)) => {
                matched += 1;
                match llm.batch_summary(result, section) {
                    Ok(s) => summarized(&mut rec, s, section),
                    Err(e) => summary_failed(&mut rec, &e.into()),
                }
            }
            (Some(_), None) => {
                matched += 1;
                let why = "the row has no Item 1 text to ground the result in";
                summary_failed(&mut rec, &anyhow::anyhow!(why));
            }
            (None, _) if requested.contains(accession) => {
                let why = format!("no result for this request in {}", results.display());
                summary_failed(&mut rec, &anyhow::anyhow!(why));
            }
            (None, _) => return None,
        }
        report.summaries.add(&rec, checks);
        report.failed += usize::from(rec.error.is_some());
        Some(rec)
    };
    let rows = sink
        .fill_pending(fill)
        .with_context(|| format!("cannot update {}", sink.path().display()))?;
    report.filled = rows.saturating_sub(report.failed);
    report.unmatched = by_id.len().saturating_sub(matched);
    report.report_path = sink.report_path(&format!("ingest-{}", super::run_id(Utc::now())));
    super::report::write_report(&report.report_path, &report)
        .with_context(|| format!("cannot write {}", report.report_path.display()))?;
    Ok(report)
}
