//! One module per subcommand: flags → library calls → what the user sees.

pub mod batch_ingest;
pub mod extract;
mod progress;
pub mod run;
pub mod show;
pub mod summarize;
pub mod upgrade;

use std::path::Path;

use anyhow::{Context, Result};

/// Exit code when the run finished but some filings failed (their rows say why).
pub const EXIT_SOME_FAILED: u8 = 3;
/// Exit code when no Item 1 was found in a document given to `extract`.
pub const EXIT_NOT_FOUND: u8 = 2;
/// Stopped by SIGINT/SIGTERM after writing what was done (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: u8 = 130;

/// Reads a document the user named, with the file name in any error.
pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Prints rows as a left-aligned table under a header, each column as wide as its widest
/// cell (cells longer than `max_cell` chars are cut with "…").
pub fn print_table(header: &[&str], rows: &[Vec<String>], max_cell: usize) {
    let cut = |s: &str| -> String {
        if s.chars().count() > max_cell {
            let mut t: String = s.chars().take(max_cell.saturating_sub(1)).collect();
            t.push('…');
            t
        } else {
            s.to_string()
        }
    };
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| cut(c)).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in &rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let parts: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        println!("{}", parts.join("  ").trim_end());
    };
    line(header.to_vec());
    for r in &rows {
        line(r.iter().map(String::as_str).collect());
    }
}

/// The rows of a report's table that say what the summaries came to: pending batch
/// requests, language-model tokens and cost, and summaries that keep too little to their
/// source. Rows that would say nothing (no LLM, nothing pending) are left out.
pub fn summary_counts(t: &tenk::pipeline::SummaryTotals) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut row = |name: &str, value: String| out.push(vec![name.to_string(), value]);
    if t.pending > 0 {
        row("summaries pending (batch)", t.pending.to_string());
    }
    if t.llm_input_tokens + t.llm_output_tokens > 0 {
        row("LLM input tokens", t.llm_input_tokens.to_string());
        row("LLM output tokens", t.llm_output_tokens.to_string());
    }
    if let Some(cost) = t
        .llm_cost
        .filter(|_| t.llm_input_tokens + t.llm_output_tokens > 0)
    {
        row("LLM cost (estimated)", format!("{cost:.4}"));
    }
    if t.below_min_grounding > 0 {
        row(
            "summaries below min_grounding",
            t.below_min_grounding.to_string(),
        );
    }
    out
}

/// Names the summaries whose grounding is below `min_grounding` (the first few).
pub fn print_low_grounding(t: &tenk::pipeline::SummaryTotals) {
    if t.below_min_grounding == 0 {
        return;
    }
    let more = t.below_min_grounding - t.below_min_grounding_rows.len();
    let tail = if more > 0 {
        format!(" … and {more} more")
    } else {
        String::new()
    };
    println!(
        "summaries with figures or names not in Item 1 (grounding below min_grounding): {}{tail}",
        t.below_min_grounding_rows.join(", ")
    );
}

/// Where the rows go: the `--dataset` folder, else the `--out` file, else the configured one.
pub fn sink(
    out: Option<&std::path::PathBuf>,
    dataset: Option<&std::path::PathBuf>,
    cfg: &tenk::config::Config,
) -> tenk::output::Sink {
    match dataset {
        Some(dir) => tenk::output::Sink::Dataset(dir.clone()),
        None => tenk::output::Sink::File(out.cloned().unwrap_or(cfg.output.path.clone())),
    }
}

/// Wraps `text` at `width` columns, each line prefixed with `indent`.
pub fn wrap(text: &str, width: usize, indent: &str) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Flags that choose and configure the summarizer, shared by `run` and `summarize`.
#[derive(clap::Args)]
pub struct SummarizerArgs {
    /// "extractive" (offline, the default) or "llm" (an OpenAI-compatible server).
    #[arg(long, value_parser = str::parse::<tenk::config::SummarizerKind>)]
    summarizer: Option<tenk::config::SummarizerKind>,
    /// Summary budget in tokens.
    #[arg(long)]
    max_tokens: Option<usize>,
    /// Model name for --summarizer llm.
    #[arg(long)]
    llm_model: Option<String>,
    /// Server for --summarizer llm, e.g. http://localhost:11434/v1 (or OPENAI_BASE_URL).
    #[arg(long)]
    llm_base_url: Option<String>,
}

impl SummarizerArgs {
    /// The configuration file (`--config`, else the default) with these flags applied.
    pub fn config(&self, file: Option<&Path>) -> Result<tenk::config::Config> {
        let mut cfg = tenk::config::Config::load(file)?;
        self.apply(&mut cfg.summarizer);
        Ok(cfg)
    }

    fn apply(&self, cfg: &mut tenk::config::SummarizerConfig) {
        if let Some(k) = self.summarizer {
            cfg.kind = k;
        }
        if let Some(n) = self.max_tokens {
            cfg.max_tokens = n;
        }
        if let Some(m) = &self.llm_model {
            cfg.llm.model = m.clone();
        }
        if let Some(u) = &self.llm_base_url {
            cfg.llm.base_url = u.clone();
        }
    }
}

/// Tells the user what the EDGAR client met on the way, on stderr.
pub fn print_fetch_event(event: tenk::edgar::FetchEvent<'_>) {
    match event {
        tenk::edgar::FetchEvent::RateLimitBlock { pause } => eprintln!(
            "tenk: SEC signalled a request-rate block; pausing all requests for {} s",
            pause.as_secs()
        ),
        tenk::edgar::FetchEvent::CacheWriteFailed { path, error } => {
            eprintln!("tenk: warning: cannot cache {}: {error}", path.display())
        }
    }
}
