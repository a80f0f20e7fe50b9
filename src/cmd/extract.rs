//! `tenk extract FILE [--item 1A | --items all] [--json]`: the sections of one 10-K document.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use serde::Serialize;

use tenk::config::Config;
use tenk::items::{ItemId, ItemList, Section, Sections};

#[derive(clap::Args)]
pub struct Args {
    /// A 10-K document: HTML, inline XBRL or SGML .txt.
    file: PathBuf,
    /// The Form 10-K item to print: 1, 1A, 1B, 1C, 2, 3, 4, 5, 6, 7, 7A, 8, 9, 9A, 9B, 9C,
    /// 10 … 16 (a 10-KSB's items are read as their Form 10-K counterparts).
    #[arg(long, default_value = "1", conflicts_with = "items")]
    item: ItemId,
    /// Several items, e.g. 1,1A,7, or all (with --json: every item with status and offsets).
    #[arg(long, requires = "json")]
    items: Option<ItemList>,
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
    section: &'a Section,
}

#[derive(Serialize)]
struct JsonAll<'a> {
    file: String,
    items: &'a [Section],
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
    let file = args.file.display().to_string();
    let sections = Sections::new(&doc);
    if let Some(ItemList(ids)) = &args.items {
        let all: Vec<Section> = ids.iter().map(|&id| sections.get(id)).collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&JsonAll { file, items: &all })?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let section = sections.get(args.item);
    if args.json {
        let out = JsonOut {
            file,
            section: &section,
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else if section.status.has_text() {
        println!("{}", section.text);
    }
    if !section.status.has_text() {
        eprintln!(
            "tenk: no Item {} section found in {} ({})",
            section.item,
            args.file.display(),
            section.status.as_str()
        );
        return Ok(ExitCode::from(super::EXIT_NOT_FOUND));
    }
    Ok(ExitCode::SUCCESS)
}
