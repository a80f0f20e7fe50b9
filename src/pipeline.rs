//! Wires the stages together for a run: discover → fetch → document → item1 → summarize →
//! output, and reports what happened.
//!
//! Fetching is bounded by its own pool (network latency, not CPU, limits it; the client's
//! rate limiter keeps the pace legal); the CPU stages run on the same worker once the bytes
//! are in. A filing that fails at any stage becomes a row with a status and an error, and
//! the batch goes on.

use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::Utc;
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::document::TableMode;
use crate::edgar::{self, Client, Filing, Selection, Unresolved};
use crate::item1::{self, Status};
use crate::output::{self, Record};
use crate::summarize::{tokens::Tokenizer, Summarizer};

/// What a run needs besides the selection.
pub struct RunOptions {
    pub out: PathBuf,
    pub numeric_tables: TableMode,
    /// Parallel downloads (and per-filing work).
    pub network_concurrency: usize,
}

/// What a run did.
#[derive(Debug)]
pub struct RunReport {
    pub records: Vec<Record>,
    pub unresolved: Vec<Unresolved>,
    pub rows_in_file: usize,
}

impl RunReport {
    /// True when every requested filing produced a row with its section found.
    pub fn all_ok(&self) -> bool {
        self.unresolved.is_empty() && self.records.iter().all(|r| r.error.is_none())
    }
}

/// Runs the whole pipeline for a selection and upserts the rows into `opts.out`.
pub fn run(
    client: &Client,
    summarizer: &dyn Summarizer,
    sel: &Selection,
    opts: &RunOptions,
) -> Result<RunReport> {
    let (filings, unresolved) = edgar::discover(client, sel)?;
    let tokenizer = Tokenizer::by_name(summarizer.tokenizer())?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.network_concurrency.max(1))
        .build()
        .context("cannot start the download workers")?;
    let records: Vec<Record> = pool.install(|| {
        filings
            .par_iter()
            .map(|f| process(client, summarizer, &tokenizer, opts.numeric_tables, f))
            .collect()
    });
    let rows_in_file = if records.is_empty() {
        0
    } else {
        output::write_upsert(&opts.out, &records)
            .with_context(|| format!("cannot write {}", opts.out.display()))?
    };
    Ok(RunReport {
        records,
        unresolved,
        rows_in_file,
    })
}

/// The row of one filing: fetched, cleaned, Item 1 found and summarized, or the error.
pub fn process(
    client: &Client,
    summarizer: &dyn Summarizer,
    tokenizer: &Tokenizer,
    numeric_tables: TableMode,
    filing: &Filing,
) -> Record {
    let path = filing.document_path();
    let c = &filing.company;
    let mut rec = Record {
        accession_number: filing.accession.to_string(),
        cik: filing.cik.0,
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
    let raw = match client.get(&path) {
        Ok(raw) => raw,
        Err(e) => {
            rec.item1_status = "fetch_error".into();
            rec.error = Some(e.to_string());
            rec.processed_at = Some(Utc::now());
            return rec;
        }
    };
    rec.document_sha256 = Some(format!("{:x}", Sha256::digest(&raw)));
    let text = crate::document::clean_text(&raw, numeric_tables);
    drop(raw);
    let item = item1::find(&text);
    rec.item1_status = item.status.as_str().to_string();
    rec.item1_method = Some(item.method.to_string());
    rec.item1_confidence = Some(item.confidence);
    if item.status == Status::NotFound {
        rec.error = Some(format!(
            "{path}: no Item 1 (Business) heading found in the document"
        ));
    } else {
        rec.item1_chars = Some(item.text.chars().count() as u64);
        rec.item1_tokens = Some(tokenizer.count(&item.text) as u64);
        match summarizer.summarize(&item.text) {
            Ok(s) => {
                rec.summary_tokens = Some(s.tokens as u64);
                rec.summary_truncated = Some(s.truncated);
                rec.summary = Some(s.text);
            }
            Err(e) => rec.error = Some(format!("summarizer failed: {e:#}")),
        }
        rec.item1_text = Some(item.text);
    }
    rec.processed_at = Some(Utc::now());
    rec
}
