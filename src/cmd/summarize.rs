//! `tenk summarize FILE`: the business-model summary of a 10-K document, or of a text file
//! that holds just the Item 1 section.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use tenk::item1;

#[derive(clap::Args)]
pub struct Args {
    /// A 10-K document (HTML, inline XBRL, SGML .txt) or a plain-text Item 1 section.
    file: PathBuf,
    /// Configuration file (default: config/tenk.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
    #[command(flatten)]
    summarizer: super::SummarizerArgs,
}

pub fn main(args: Args) -> Result<ExitCode> {
    let cfg = args.summarizer.config(args.config.as_deref())?;
    let summarizer = tenk::summarize::from_config(&cfg.summarizer)?;
    let raw = super::read_input(&args.file)?;
    let doc = tenk::document::clean(&raw, cfg.document.numeric_tables);
    drop(raw);
    let item = item1::locate(&doc);
    let summary = summarizer.summarize(item1::summary_source(&doc, &item))?;
    if summary.text.is_empty() {
        eprintln!("tenk: {} holds no prose to summarize", args.file.display());
        return Ok(ExitCode::from(super::EXIT_NOT_FOUND));
    }
    if summary.truncated {
        eprintln!("tenk: the summary was cut to {} tokens", summary.tokens);
    }
    println!("{}", summary.text);
    Ok(ExitCode::SUCCESS)
}
