//! The stages of a run, connected by bounded channels: fetch threads → the CPU stage
//! (clean text, sections) on rayon → the summarizer (its own threads when it waits on a
//! server) → one writer flushing batches.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use anyhow::Result;
use chrono::Utc;
use crossbeam_channel::{bounded, Receiver, RecvTimeoutError};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::progress::{Observer, Stage, TICK};
use super::report::{StageTimes, SummaryChecks, SummaryTotals};
use crate::document::TableMode;
use crate::edgar::{Client, Filing};
use crate::items::{ItemId, Sections};
use crate::output::{Failure, ItemCell, Record, RowStatus, SummaryStatus};
use crate::summarize::{
    batch::Requests, grounding::grounding, tokens::Tokenizer, Summarizer, Summary,
};

/// Rows in flight between two stages, per worker of the receiving stage: enough to keep
/// every worker busy, few enough that memory does not depend on the corpus.
pub(super) const QUEUE_PER_WORKER: usize = 2;

/// Rows of the run kept for the screen (without their section text).
pub(super) const ROWS_SHOWN: usize = 25;

/// What the stages share during a run.
pub(super) struct Stages<'a> {
    pub(super) client: &'a Client,
    /// Downloads in flight.
    pub(super) fetchers: usize,
    pub(super) summarizer: &'a dyn Summarizer,
    pub(super) tokenizer: &'a Tokenizer,
    pub(super) numeric_tables: TableMode,
    /// The items besides Item 1 each row gets.
    pub(super) items: &'a [ItemId],
    pub(super) checks: &'a SummaryChecks,
    /// Requests go to this batch file instead of the summarizer (`--llm-batch`).
    pub(super) batch: Option<&'a Requests>,
    pub(super) times: &'a StageTimes,
    pub(super) progress: &'a dyn Observer,
    /// Set by SIGINT/SIGTERM.
    pub(super) stop: &'a AtomicBool,
    /// Set when the writer fails: the other stages give up.
    pub(super) halt: &'a AtomicBool,
}

/// A filing's row so far and the section still to summarize.
pub(super) struct Analysed {
    pub(super) rec: Record,
    pub(super) section: Option<String>,
}

/// What the writer did.
pub(super) struct Written {
    pub(super) rows_written: usize,
    /// What the last write returned (rows in the file, for a file sink); None without one.
    pub(super) rows_in_file: Option<usize>,
    pub(super) rows_by_status: BTreeMap<String, usize>,
    pub(super) rows_by_item_status: BTreeMap<String, BTreeMap<String, usize>>,
    pub(super) rows_failed: usize,
    pub(super) summaries: SummaryTotals,
    pub(super) shown: Vec<Record>,
}

impl Stages<'_> {
    pub(super) fn stopped(&self) -> bool {
        self.stop.load(Ordering::SeqCst) || self.halt.load(Ordering::SeqCst)
    }

    /// Streams the filings through the stages, connected by bounded channels:
    /// fetch (`network_concurrency` threads) → document, item1 and an in-process summary
    /// (rayon, one worker per core) → an LLM summary (its own `concurrency` threads, only
    /// for a network summarizer) → this thread, which hands `write` a batch of
    /// `flush_every` rows at a time. Filings not yet fetched when a stop is asked are left
    /// for the next run; those in flight are finished and written.
    pub(super) fn stream(
        &self,
        filings: &[Filing],
        mut write: impl FnMut(Vec<Record>, usize) -> Result<usize>,
        flush_every: usize,
        clock: Instant,
    ) -> Result<Written> {
        let fetchers = self.fetchers;
        let cores = rayon::current_num_threads();
        // every filing travels with its place in the list, so each batch is written in
        // the order discovery found the filings, whichever finished first
        let (todo_tx, todo_rx) = bounded::<(usize, &Filing)>(fetchers * QUEUE_PER_WORKER);
        let (fetched_tx, fetched_rx) =
            bounded::<(usize, Record, Option<Vec<u8>>)>(cores * QUEUE_PER_WORKER);
        let llm = self.summarizer.concurrency();
        let (pending_tx, pending_rx) =
            bounded::<(usize, Analysed)>(llm.unwrap_or(1) * QUEUE_PER_WORKER);
        let (done_tx, done_rx) = bounded::<(usize, Record)>(flush_every.min(1024));
        std::thread::scope(|s| {
            s.spawn(move || {
                for f in filings.iter().enumerate() {
                    if self.stopped() || todo_tx.send(f).is_err() {
                        break;
                    }
                }
            });
            for _ in 0..fetchers {
                let (rx, tx) = (todo_rx.clone(), fetched_tx.clone());
                s.spawn(move || {
                    for (seq, f) in rx {
                        if self.stopped() {
                            break;
                        }
                        let (rec, raw) = self.fetch(f);
                        self.progress.advanced(Stage::Fetch, 1, 0);
                        if tx.send((seq, rec, raw)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop((todo_rx, fetched_tx));
            let cpu_done = done_tx.clone();
            s.spawn(move || {
                fetched_rx
                    .into_iter()
                    .par_bridge()
                    .for_each(|(seq, rec, raw)| {
                        let a = self.analyse(rec, raw);
                        self.progress.advanced(Stage::Item1, 1, 0);
                        // a closed channel means the writer gave up; the halt flag stops the rest
                        let _ = match llm {
                            Some(_) if a.section.is_some() => pending_tx.send((seq, a)).is_err(),
                            _ => cpu_done.send((seq, self.summarize(a))).is_err(),
                        };
                    });
            });
            for _ in 0..llm.unwrap_or(0) {
                let (rx, tx) = (pending_rx.clone(), done_tx.clone());
                s.spawn(move || {
                    for (seq, a) in rx {
                        let rec = self.summarize(a);
                        self.progress.advanced(Stage::Summarize, 1, 0);
                        if tx.send((seq, rec)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop((pending_rx, done_tx));
            let out = self.collect(done_rx, &mut write, flush_every, clock);
            if out.is_err() {
                self.halt.store(true, Ordering::SeqCst);
            }
            out
        })
    }

    /// The writer: batches rows as they arrive, writes each batch, keeps the counts.
    pub(super) fn collect(
        &self,
        done: Receiver<(usize, Record)>,
        write: &mut impl FnMut(Vec<Record>, usize) -> Result<usize>,
        flush_every: usize,
        clock: Instant,
    ) -> Result<Written> {
        let mut w = Written {
            rows_written: 0,
            rows_in_file: None,
            rows_by_status: BTreeMap::new(),
            rows_by_item_status: BTreeMap::new(),
            rows_failed: 0,
            summaries: SummaryTotals::default(),
            shown: Vec::new(),
        };
        let mut batch = Vec::new();
        let mut batches = 0;
        let mut last_line = Instant::now();
        loop {
            let next = done.recv_timeout(TICK);
            let finished = matches!(next, Err(RecvTimeoutError::Disconnected));
            if let Ok((seq, rec)) = next {
                *w.rows_by_status
                    .entry(rec.item1_status.as_str().to_string())
                    .or_insert(0) += 1;
                for (id, cell) in &rec.items {
                    let by_status = w.rows_by_item_status.entry(id.to_string()).or_default();
                    *by_status
                        .entry(cell.status.as_str().to_string())
                        .or_insert(0) += 1;
                }
                w.rows_failed += usize::from(rec.error.is_some());
                w.summaries.add(&rec, self.checks);
                if w.shown.len() < ROWS_SHOWN {
                    w.shown.push(Record {
                        item1_text: None,
                        items: BTreeMap::new(),
                        ..rec.clone()
                    });
                }
                batch.push((seq, rec));
            }
            if batch.len() >= flush_every || (finished && !batch.is_empty()) {
                batch.sort_unstable_by_key(|(seq, _)| *seq);
                let rows: Vec<Record> = batch.drain(..).map(|(_, r)| r).collect();
                let n = rows.len();
                w.rows_in_file = Some(write(rows, batches)?);
                batches += 1;
                w.rows_written += n;
                self.progress.advanced(Stage::Write, n, w.rows_failed);
            }
            if finished || last_line.elapsed() >= TICK {
                self.progress.tick(clock.elapsed());
                last_line = Instant::now();
            }
            if finished {
                return Ok(w);
            }
        }
    }

    /// The fetch stage: the filing's row with its metadata, and the document (or the
    /// row's error).
    pub(super) fn fetch(&self, filing: &Filing) -> (Record, Option<Vec<u8>>) {
        let path = filing.document_path();
        let c = &filing.company;
        let summarizer = self.summarizer;
        let mut rec = Record {
            accession_number: filing.accession.to_string(),
            cik: filing.cik,
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
        match self.times.fetch.time(|| self.client.get(&path)) {
            Ok(raw) => (rec, Some(raw)),
            Err(e) => {
                rec.item1_status = RowStatus::FetchError;
                rec.items = self
                    .items
                    .iter()
                    .map(|&id| {
                        let cell = ItemCell {
                            status: RowStatus::FetchError,
                            text: None,
                        };
                        (id, cell)
                    })
                    .collect();
                rec.error = Some(e.to_string());
                (rec, None)
            }
        }
    }

    /// The CPU stages: clean text, then Item 1.
    pub(super) fn analyse(&self, mut rec: Record, raw: Option<Vec<u8>>) -> Analysed {
        let Some(raw) = raw else {
            return Analysed { rec, section: None };
        };
        rec.document_sha256 = Some(format!("{:x}", Sha256::digest(&raw)));
        let doc = self
            .times
            .document
            .time(|| crate::document::clean(&raw, self.numeric_tables));
        drop(raw);
        let (item, others) = self.times.item1.time(|| {
            let sections = Sections::new(&doc);
            let others: Vec<_> = self.items.iter().map(|&id| sections.get(id)).collect();
            (sections.get(ItemId::I1), others)
        });
        rec.items = others
            .into_iter()
            .map(|s| {
                let text = s.status.has_text().then_some(s.text);
                let status = RowStatus::Section(s.status);
                (s.item, ItemCell { status, text })
            })
            .collect();
        rec.item1_status = RowStatus::Section(item.status);
        rec.item1_method = Some(item.method.as_str().to_string());
        rec.item1_confidence = Some(item.confidence);
        if !item.status.has_text() {
            rec.error = Some(format!(
                "{}: no Item 1 (Business) heading found in the document",
                rec.source_url
            ));
            return Analysed { rec, section: None };
        }
        rec.item1_chars = Some(item.text.chars().count() as u64);
        rec.item1_tokens = Some(self.tokenizer.count(&item.text) as u64);
        Analysed {
            rec,
            section: Some(item.text),
        }
    }

    /// The summary stage: the finished row.
    pub(super) fn summarize(&self, a: Analysed) -> Record {
        let Analysed { mut rec, section } = a;
        if let Some(section) = section {
            match self.batch {
                Some(requests) => self.request(&mut rec, requests, &section),
                None => self.summary(&mut rec, &section),
            }
            rec.item1_text = Some(section);
        }
        rec.processed_at = Some(Utc::now());
        rec
    }

    /// The row's summary from the summarizer, or its error.
    fn summary(&self, rec: &mut Record, section: &str) {
        match self
            .times
            .summarize
            .time(|| self.summarizer.summarize(section))
        {
            Ok(s) => summarized(rec, s, section),
            Err(e) => summary_failed(rec, &e),
        }
    }

    /// The row's request, added to the batch file: its summary is pending.
    fn request(&self, rec: &mut Record, requests: &Requests, section: &str) {
        match self
            .times
            .summarize
            .time(|| requests.add(&rec.accession_number, section))
        {
            Ok(()) => rec.summary_status = Some(SummaryStatus::Pending),
            Err(e) => summary_failed(rec, &e),
        }
    }
}

/// A row with the summary of `section`: its text, length, grounding and tokens.
pub(super) fn summarized(rec: &mut Record, s: Summary, section: &str) {
    if s.text.is_empty() {
        rec.error = Some(format!(
            "{}: Item 1 holds no prose to summarize",
            rec.source_url
        ));
    } else {
        rec.summary_status = Some(SummaryStatus::Ok);
        rec.summary_grounding = Some(grounding(&s.text, section));
    }
    rec.summary_tokens = Some(s.tokens as u64);
    rec.summary_truncated = Some(s.truncated);
    rec.llm_input_tokens = s.usage.map(|u| u.input);
    rec.llm_output_tokens = s.usage.map(|u| u.output);
    rec.summary = Some(s.text);
}

/// A row whose summarizer failed: a rerun tries again.
pub(super) fn summary_failed(rec: &mut Record, e: &anyhow::Error) {
    rec.summary_status = Some(SummaryStatus::Failed);
    rec.error = Some(Failure::summarizer_error(e));
}
