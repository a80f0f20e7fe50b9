//! `tenk extract FILE [--json]`: the Item 1 section of one 10-K document.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use tenk::config::Config;
use tenk::item1::{self, Status};

#[derive(clap::Args)]
pub struct Args {
    /// A 10-K document: HTML, inline XBRL or SGML .txt.
    file: PathBuf,
    /// Print status, heading, method, confidence, offsets and text as JSON.
    #[arg(long)]
    json: bool,
    /// Configuration file (default: config/tenk.toml when present).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print the whole clean text of the document instead (what offsets refer to).
    #[arg(long, conflicts_with = "json")]
    clean_text: bool,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    file: String,
    #[serde(flatten)]
    item1: &'a item1::Item1,
}

pub fn main(args: Args) -> Result<ExitCode> {
    let raw = super::read_input(&args.file)?;
    let cfg = Config::load(args.config.as_deref())?;
    let doc = tenk::document::clean(&raw, cfg.document.numeric_tables);
    drop(raw);
    if args.clean_text {
        print!("{}", doc.text);
        return Ok(ExitCode::SUCCESS);
    }
    let item = item1::locate(&doc);
    if args.json {
        let out = JsonOut {
            file: args.file.display().to_string(),
            item1: &item,
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else if item.status != Status::NotFound {
        println!("{}", item.text);
    }
    if item.status == Status::NotFound {
        eprintln!(
            "tenk: no Item 1 (Business) section found in {}",
            args.file.display()
        );
        return Ok(ExitCode::from(super::EXIT_NOT_FOUND));
    }
    Ok(ExitCode::SUCCESS)
}
