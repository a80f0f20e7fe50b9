//! `tenk run`: find a selection's 10-K filings, summarize their Item 1, upsert the rows.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};

use tenk::config::{Config, SummarizerKind};
use tenk::edgar::{Cik, Client, Selection};
use tenk::items::ItemList;
use tenk::output::Sink;
use tenk::pipeline::{self, RunOptions, RunReport, Shard, SummaryChecks};
use tenk::summarize::{batch::Requests, llm::Llm, Summarizer};

#[derive(clap::Args)]
pub struct Args {
    /// Ticker symbol (repeatable), e.g. --ticker SMSI.
    #[arg(long = "ticker", value_name = "TICKER")]
    tickers: Vec<String>,
    /// Central Index Key (repeatable), e.g. --cik 948708.
    #[arg(long = "cik", value_name = "CIK")]
    ciks: Vec<Cik>,
    /// A file of tickers, one per line (blank lines and # comments ignored).
    #[arg(long, value_name = "FILE")]
    tickers_file: Option<PathBuf>,
    /// A file of CIKs, one per line (blank lines and # comments ignored).
    #[arg(long, value_name = "FILE")]
    cik_file: Option<PathBuf>,
    /// How many of each company's latest 10-K-family filings [default: 1, or all of the
    /// selected --years].
    #[arg(long)]
    latest: Option<usize>,
    /// Fiscal years (by report date), e.g. 2015..2024 or 2020.
    #[arg(long, value_parser = tenk::edgar::discover::parse_years)]
    years: Option<(i32, i32)>,
    /// Filings made in a quarter, e.g. 2020Q1, found through EDGAR's index files.
    #[arg(long, value_parser = tenk::edgar::index::parse_quarter, conflicts_with_all = ["from", "since"])]
    quarter: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    /// Filings made on or after this day (YYYY-MM-DD), through the index files; with --to.
    #[arg(long, value_parser = tenk::edgar::index::parse_day, requires = "to", conflicts_with = "since")]
    from: Option<chrono::NaiveDate>,
    /// The last day of --from.
    #[arg(long, value_parser = tenk::edgar::index::parse_day, requires = "from")]
    to: Option<chrono::NaiveDate>,
    /// Filings made on or after this day (YYYY-MM-DD) up to today, through the index files;
    /// "last": from the day after the last one a run of this --dataset completed.
    #[arg(long, value_name = "DATE|last")]
    since: Option<String>,
    /// --years counts the year a filing was filed, not its fiscal year.
    #[arg(long, requires = "years")]
    filing_year: bool,
    /// Include amended filings (10-K/A …).
    #[arg(long)]
    include_amendments: bool,
    /// Parquet file to upsert into (default from config: output/summaries.parquet).
    #[arg(long, conflicts_with = "dataset")]
    out: Option<PathBuf>,
    /// Write a partitioned dataset into this folder instead
    /// (filing_year=YYYY/part-<run-id>-<n>.parquet); runs only add files to it.
    #[arg(long, value_name = "DIR")]
    dataset: Option<PathBuf>,
    /// Redo filings the output already has (they are skipped otherwise).
    #[arg(long)]
    force: bool,
    /// Leave item1_text (and the other items' texts) empty (null) to keep the output small.
    #[arg(long)]
    no_text: bool,
    /// With --summarizer llm: write each filing's request to this JSONL file (OpenAI Batch
    /// format, also read by `vllm run-batch`) instead of sending it; rows get a pending
    /// summary that `tenk batch-ingest RESULTS` fills. Appended to; a request already in
    /// the file is not written again.
    #[arg(long, value_name = "FILE.jsonl", conflicts_with = "no_text")]
    llm_batch: Option<PathBuf>,
    /// Items to extract besides the summary's Item 1, a column pair each
    /// (item_1a_status, item_1a_text …): e.g. 1,1A,7 or all [default from config: 1].
    #[arg(long, value_name = "LIST")]
    items: Option<ItemList>,
    /// This machine's share of the filings, K of N (e.g. 2/4): a deterministic split by
    /// accession number, for N machines writing one dataset.
    #[arg(long, value_parser = str::parse::<Shard>, value_name = "K/N")]
    shard: Option<Shard>,
    /// No progress on stderr (a bar on a terminal, otherwise a line per batch).
    #[arg(long)]
    quiet: bool,
    /// Rows written per batch: a crash loses at most this many filings' work.
    #[arg(long, default_value_t = 100)]
    flush_every: usize,
    /// Configuration file (default: config/tenk.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Your identity for SEC: "Name email@example.com" (or TENK_USER_AGENT).
    #[arg(long)]
    user_agent: Option<String>,
    /// Read EDGAR from a local folder laid out like the sec.gov paths.
    #[arg(long, conflicts_with = "base_url")]
    mirror: Option<PathBuf>,
    /// Read EDGAR from another server laid out like sec.gov.
    #[arg(long)]
    base_url: Option<String>,
    /// Fetch nothing: answer from the on-disk cache (or the mirror) only.
    #[arg(long)]
    offline: bool,
    /// Neither read nor write the on-disk cache.
    #[arg(long)]
    no_cache: bool,
    /// Parallel downloads.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    #[command(flatten)]
    summarizer: super::SummarizerArgs,
}

pub fn main(args: Args) -> Result<ExitCode> {
    let sel = selection(&args)?;
    let cfg = configure(&args)?;
    let client = Client::new(&cfg.edgar)?.on_event(Box::new(super::print_fetch_event));
    let opts = options(&args, &cfg)?;
    // a batch run's rows name the summarizer that made its requests
    let own;
    let summarizer: &dyn Summarizer = match &opts.llm_batch {
        Some(requests) => requests.llm(),
        None => {
            own = tenk::summarize::from_config(&cfg.summarizer)?;
            own.as_ref()
        }
    };
    let report = pipeline::run(&client, summarizer, &sel, &opts)?;
    print_report(&report, &opts.sink);
    if let Some(requests) = &opts.llm_batch {
        let target = match &opts.sink {
            Sink::File(p) => format!("--out {}", p.display()),
            Sink::Dataset(d) => format!("--dataset {}", d.display()),
        };
        println!(
            "{} summary request(s) pending in {}: send the file as a batch (OpenAI Batch API, \
             vllm run-batch), then: tenk batch-ingest RESULTS.jsonl {target} --requests {}",
            report.summaries.pending,
            requests.path().display(),
            requests.path().display()
        );
    }
    if report.interrupted {
        eprintln!(
            "tenk: stopped: {} filing(s) written, {} left for the next run (rerun the same command)",
            report.rows_written,
            report.filings_found - report.filings_skipped - report.rows_written
        );
        return Ok(ExitCode::from(super::EXIT_INTERRUPTED));
    }
    Ok(if report.all_ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_SOME_FAILED)
    })
}

/// The filings the flags ask for: companies (tickers, CIKs, list files) and a period.
fn selection(args: &Args) -> Result<Selection> {
    let mut tickers = args.tickers.clone();
    let mut ciks = args.ciks.clone();
    if let Some(f) = &args.tickers_file {
        tickers.extend(list_file(f)?);
    }
    if let Some(f) = &args.cik_file {
        for (n, c) in list_file(f)?.iter().enumerate() {
            ciks.push(
                c.parse()
                    .with_context(|| format!("{} entry {}: {c:?}", f.display(), n + 1))?,
            );
        }
    }
    let period = args
        .quarter
        .or(args.from.zip(args.to))
        .or(since(args)?.map(|d| (d, chrono::Utc::now().date_naive())));
    if tickers.is_empty() && ciks.is_empty() && period.is_none() {
        anyhow::bail!(
            "nothing to do: name at least one --ticker, --cik, --tickers-file or --cik-file, \
             or a period (--quarter, --from/--to, --since)"
        );
    }
    Ok(Selection {
        tickers,
        ciks,
        latest: args.latest,
        years: args.years,
        by_filing_year: args.filing_year,
        period,
        include_amendments: args.include_amendments,
    })
}

/// The first day of `--since`: a date, or with "last" the day after the last one the
/// dataset's runs completed.
fn since(args: &Args) -> Result<Option<chrono::NaiveDate>> {
    match args.since.as_deref() {
        None => Ok(None),
        Some("last") => {
            let dir = args.dataset.as_ref().ok_or_else(|| {
                anyhow::anyhow!(
                    "--since last needs --dataset DIR: the dataset remembers where its last run stopped"
                )
            })?;
            let last = Sink::Dataset(dir.clone())
                .last_index_day()?
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "{} has no completed period run yet: start it with --since DATE",
                        dir.display()
                    )
                })?;
            Ok(Some(last.succ_opt().unwrap_or(last)))
        }
        Some(day) => Ok(Some(
            tenk::edgar::index::parse_day(day).map_err(anyhow::Error::msg)?,
        )),
    }
}

/// The configuration file with the flags that override it.
fn configure(args: &Args) -> Result<Config> {
    let mut cfg = args.summarizer.config(args.config.as_deref())?;
    if let Some(ua) = &args.user_agent {
        cfg.edgar.user_agent = Some(ua.clone());
    }
    if let Some(m) = &args.mirror {
        cfg.edgar.mirror = Some(m.clone());
        cfg.edgar.base_url = None;
    }
    if let Some(b) = &args.base_url {
        cfg.edgar.base_url = Some(b.clone());
        cfg.edgar.mirror = None;
    }
    cfg.edgar.offline |= args.offline;
    if args.no_cache {
        cfg.edgar.cache = false;
    }
    Ok(cfg)
}

/// Where and how the run writes.
fn options(args: &Args, cfg: &Config) -> Result<RunOptions> {
    let sink = super::sink(args.out.as_ref(), args.dataset.as_ref(), cfg);
    let ItemList(items) = match &args.items {
        Some(list) => list.clone(),
        None => cfg
            .output
            .items
            .parse()
            .map_err(|e: String| anyhow::anyhow!("config output.items: {e}"))?,
    };
    let llm_batch = match &args.llm_batch {
        Some(path) => Some(batch_requests(cfg, path)?),
        None => None,
    };
    Ok(RunOptions {
        sink,
        llm_batch,
        items,
        numeric_tables: cfg.document.numeric_tables,
        network_concurrency: args.concurrency,
        flush_every: args.flush_every,
        force: args.force,
        no_text: args.no_text,
        shard: args.shard,
        checks: SummaryChecks::of(&cfg.summarizer.llm),
        stop: stop_on_signals()?,
        progress: super::progress::for_stderr(args.quiet),
    })
}

/// The requests file of `--llm-batch`, for the configured LLM summarizer.
fn batch_requests(cfg: &Config, path: &std::path::Path) -> Result<Requests> {
    anyhow::ensure!(
        cfg.summarizer.kind == SummarizerKind::Llm,
        "--llm-batch writes requests for a language model: add --summarizer llm"
    );
    Requests::create(Llm::of(&cfg.summarizer)?, path)
}

/// What the run did, for the screen: the skipped selection items on stderr, the summaries
/// of a small run, the first rows, the run's counts and where everything went.
fn print_report(report: &RunReport, sink: &Sink) {
    for u in &report.unresolved {
        eprintln!("tenk: skipped {}: {}", u.what, u.reason);
    }
    if report.rows_written <= 3 {
        for r in &report.records {
            if let Some(s) = r.summary.as_deref().filter(|s| !s.is_empty()) {
                println!("{} {} ({}):", r.company_name, r.form, r.accession_number);
                print!("{}", super::wrap(s, 100, "  "));
                println!();
            }
        }
    }
    print_rows(report, sink);
    super::print_table(&["run", "value"], &run_counts(report), 40);
    super::print_low_grounding(&report.summaries);
    let in_file = report
        .rows_in_file
        .map(|n| format!(" ({n} rows in the file)"))
        .unwrap_or_default();
    println!(
        "wrote {} row(s) to {}{in_file}; {} already there skipped; {} requests, {} from cache; {:.1} s; report {}",
        report.rows_written,
        sink.path().display(),
        report.filings_skipped,
        report.fetch.requests,
        report.fetch.cache_hits,
        report.seconds,
        sink.report_path(&report.run_id).display()
    );
}

/// The first rows of the run as a table.
fn print_rows(report: &RunReport, sink: &Sink) {
    let rows: Vec<Vec<String>> = report
        .records
        .iter()
        .map(|r| {
            vec![
                r.accession_number.clone(),
                r.company_name.clone(),
                r.form.clone(),
                r.filing_date.map(|d| d.to_string()).unwrap_or_default(),
                r.item1_status.as_str().to_string(),
                r.item1_chars.map(|n| n.to_string()).unwrap_or_default(),
                r.summary_tokens.map(|n| n.to_string()).unwrap_or_default(),
                r.error.clone().unwrap_or_default(),
            ]
        })
        .collect();
    super::print_table(
        &[
            "accession",
            "company",
            "form",
            "filed",
            "item1",
            "chars",
            "summary_tokens",
            "error",
        ],
        &rows,
        60,
    );
    if report.rows_written > report.records.len() {
        println!(
            "… and {} more row(s) in {}",
            report.rows_written - report.records.len(),
            sink.path().display()
        );
    }
}

/// The run's counts, a row each.
fn run_counts(report: &RunReport) -> Vec<Vec<String>> {
    let row = |name: String, value: String| vec![name, value];
    let mut out = vec![
        row("filings found".into(), report.filings_found.to_string()),
        row(
            "already there, skipped".into(),
            report.filings_skipped.to_string(),
        ),
        row(
            "redone (failed before, or --force)".into(),
            report.filings_redone.to_string(),
        ),
    ];
    out.extend(
        report
            .rows_by_status
            .iter()
            .map(|(status, n)| row(format!("rows {status}"), n.to_string())),
    );
    for (item, by_status) in &report.rows_by_item_status {
        out.extend(
            by_status
                .iter()
                .map(|(status, n)| row(format!("rows item {item} {status}"), n.to_string())),
        );
    }
    out.push(row(
        "rows with an error".into(),
        report.rows_failed.to_string(),
    ));
    out.extend(super::summary_counts(&report.summaries));
    out.extend(
        report
            .stage_seconds
            .iter()
            .map(|(stage, s)| row(format!("{stage} busy"), format!("{s:.2} s"))),
    );
    out.extend([
        row("requests".into(), report.fetch.requests.to_string()),
        row("cache hits".into(), report.fetch.cache_hits.to_string()),
        row(
            "bytes read".into(),
            format!("{:.1} MB", report.fetch.bytes as f64 / 1e6),
        ),
        row("seconds".into(), format!("{:.1}", report.seconds)),
        row(
            "filings per second".into(),
            format!("{:.1}", report.filings_per_second),
        ),
    ]);
    out
}

/// The entries of a list file: one per line, the first word of it; blank lines and lines
/// starting with # are skipped.
fn list_file(path: &std::path::Path) -> Result<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read list file {}", path.display()))?;
    Ok(text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split([',', ' ', '\t']).next().map(str::to_string))
        .collect())
}

/// A flag that SIGINT (Ctrl-C) and SIGTERM set: the run stops starting filings and writes
/// what is done. A second signal ends the process at once; files stay intact either way,
/// since every write is a rename.
fn stop_on_signals() -> Result<std::sync::Arc<std::sync::atomic::AtomicBool>> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM] {
        // registered first, so it sees the flag as the previous signal left it
        signal_hook::flag::register_conditional_shutdown(signal, 130, stop.clone())
            .context("cannot install the signal handler")?;
        signal_hook::flag::register(signal, stop.clone())
            .context("cannot install the signal handler")?;
    }
    Ok(stop)
}
