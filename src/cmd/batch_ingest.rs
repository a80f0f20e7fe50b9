//! `tenk batch-ingest RESULTS`: fills the pending summaries of a `--llm-batch` run from the
//! results file of the batch (OpenAI's Batch API output, or `vllm run-batch`'s).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use tenk::pipeline::{self, SummaryChecks};
use tenk::summarize::llm::Llm;

#[derive(clap::Args)]
pub struct Args {
    /// The batch's results: JSONL lines with custom_id, response.status_code,
    /// response.body and error (an OpenAI error file may be ingested the same way).
    results: PathBuf,
    /// The Parquet file the `--llm-batch` run wrote (default from config).
    #[arg(long, conflicts_with = "dataset")]
    out: Option<PathBuf>,
    /// The dataset folder the `--llm-batch` run wrote.
    #[arg(long, value_name = "DIR")]
    dataset: Option<PathBuf>,
    /// The requests file the run wrote: a pending row whose request has no result becomes
    /// an error (retried by the next run) instead of staying pending.
    #[arg(long, value_name = "FILE.jsonl")]
    requests: Option<PathBuf>,
    /// Configuration file (default: config/tenk.toml when present): the summary's cap,
    /// tokenizer and [summarizer.llm] as the run had them (and the prices of the batch).
    #[arg(long)]
    config: Option<PathBuf>,
    /// The summarizer flags the run had (--max-tokens: the cap the answers are cut to).
    #[command(flatten)]
    summarizer: super::SummarizerArgs,
}

pub fn main(args: Args) -> Result<ExitCode> {
    let cfg = args.summarizer.config(args.config.as_deref())?;
    let sink = super::sink(args.out.as_ref(), args.dataset.as_ref(), &cfg);
    anyhow::ensure!(
        sink.path().exists(),
        "{} does not exist: name the output the --llm-batch run wrote (--out FILE or --dataset DIR)",
        sink.path().display()
    );
    let llm = Llm::of(&cfg.summarizer)?;
    let checks = SummaryChecks::of(&cfg.summarizer.llm);
    let report = pipeline::ingest(
        &llm,
        &args.results,
        args.requests.as_deref(),
        &sink,
        &checks,
    )?;
    let row = |name: &str, value: usize| vec![name.to_string(), value.to_string()];
    let mut rows = vec![
        row("results read", report.results),
        row("duplicate results", report.duplicate_results),
        row("unreadable lines", report.unreadable_lines),
        row("pending rows filled", report.filled),
        row(
            "pending rows failed (retried by the next run)",
            report.failed,
        ),
        row("results without a pending row", report.unmatched),
    ];
    rows.extend(super::summary_counts(&report.summaries));
    super::print_table(&["batch-ingest", "value"], &rows, 60);
    super::print_low_grounding(&report.summaries);
    let touched = report.filled + report.failed;
    if touched == 0 && report.results > 0 {
        eprintln!(
            "tenk: no result matched a pending row of {} (ingested before, or another output: \
             --out FILE or --dataset DIR)",
            sink.path().display()
        );
    } else {
        println!(
            "updated {} row(s) of {}; report {}",
            touched,
            sink.path().display(),
            report.report_path.display()
        );
    }
    Ok(
        if report.failed == 0
            && report.unreadable_lines == 0
            && (touched > 0 || report.results == 0)
        {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(super::EXIT_SOME_FAILED)
        },
    )
}
