//! The Parquet output: one row per filing, a fixed schema, written atomically.
//!
//! A `Record` is what the pipeline knows about one filing. Two destinations:
//! - a single file (`Sink::File`), for ad hoc runs: `write_upsert` merges records by
//!   accession number (a rerun replaces its rows instead of duplicating them);
//! - a dataset folder (`Sink::Dataset`), for corpus jobs: Hive-style partitions
//!   `filing_year=YYYY/part-<run-id>-<n>.parquet` that runs add files to, so several runs
//!   (or machines, with `--shard`) can write into one dataset. Files are rewritten (each
//!   atomically) only to drop rows a run redoes, to widen them to new columns, and to fill
//!   the pending summaries of a batch (`fill_pending`).
//!
//! Every file is written to a temporary name and renamed, so readers never see a
//! half-written file and a crash leaves what was there intact; the rows of a run are
//! flushed in batches, so a crash loses at most one batch.
//!
//! The files are for every reader, not only polars: integers are signed (Spark, Hive, Trino
//! and BigQuery have no unsigned 64-bit type and read one as a decimal), and the Arrow schema
//! embedded in the footer names plain `large_string` and `large_list` types (pandas cannot
//! convert the `string_view` polars uses in memory). Files of older versions, with unsigned
//! integers, are read as if written now, so they merge with new rows; `upgrade` rewrites them.
//!
//! Items besides Item 1 (`--items 1A,7`) add a column pair each (`item_1a_status`,
//! `item_1a_text`) after `item1_text`. An output's item columns only grow: a run writes the
//! items it was asked for and those the output already has, older files of a dataset are
//! widened with null columns so every file has one schema, and a row that lacks a status for
//! an item the run asks for is redone like a failed one.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use base64::Engine;
use chrono::{DateTime, NaiveDate, Utc};
use polars::io::parquet::write::KeyValueMetadata;
use polars::prelude::{
    BooleanChunked, Column, CompatLevel, DataFrame, DataType, IntoColumn, NamedFrom,
    ParquetCompression, ParquetReader, ParquetWriter, SchemaExt, SerReader, Series, TimeUnit,
    TimeZone,
};
use polars_arrow::io::ipc::write::{default_ipc_fields, schema_to_bytes};

use crate::edgar::Cik;
use crate::items::{ItemId, Status};

/// Everything a row says about one filing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    pub accession_number: String,
    pub cik: Cik,
    pub company_name: String,
    pub tickers: Vec<String>,
    pub exchanges: Vec<String>,
    pub form: String,
    pub filing_date: Option<NaiveDate>,
    pub report_date: Option<NaiveDate>,
    pub fiscal_year: Option<i32>,
    pub sic: Option<String>,
    pub sic_description: Option<String>,
    pub state_of_incorporation: Option<String>,
    pub fiscal_year_end: Option<String>,
    pub source_url: String,
    pub document_sha256: Option<String>,
    pub item1_status: RowStatus,
    pub item1_method: Option<String>,
    pub item1_confidence: Option<f32>,
    pub item1_chars: Option<u64>,
    pub item1_tokens: Option<u64>,
    pub item1_text: Option<String>,
    /// The other items the run asked for, in the form's order.
    pub items: BTreeMap<ItemId, ItemCell>,
    pub summary: Option<String>,
    /// None when there was no section to summarize.
    pub summary_status: Option<SummaryStatus>,
    pub summary_tokens: Option<u64>,
    pub summary_truncated: Option<bool>,
    /// The share of the summary's figures and names found in Item 1 (`summarize::grounding`).
    pub summary_grounding: Option<f64>,
    pub summarizer: Option<String>,
    pub model: Option<String>,
    pub tokenizer: Option<String>,
    pub prompt_sha256: Option<String>,
    /// Tokens the language model read and wrote for this summary (an LLM summarizer only).
    pub llm_input_tokens: Option<u64>,
    pub llm_output_tokens: Option<u64>,
    pub processed_at: Option<DateTime<Utc>>,
    pub tenk_version: String,
    pub error: Option<String>,
}

/// One item of a row besides Item 1: `item_<id>_status` and `item_<id>_text`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ItemCell {
    pub status: RowStatus,
    pub text: Option<String>,
}

/// What a row's status columns say: what the sectioner found of the section, or that the
/// document could not be fetched (so nothing is known of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStatus {
    Section(Status),
    FetchError,
}

impl Default for RowStatus {
    /// Expected but not located, until a stage says otherwise.
    fn default() -> Self {
        RowStatus::Section(Status::NotFound)
    }
}

impl RowStatus {
    /// `ok`, `by_reference`, `absent`, `not_found` or `fetch_error`, as written.
    pub fn as_str(self) -> &'static str {
        match self {
            RowStatus::Section(s) => s.as_str(),
            RowStatus::FetchError => "fetch_error",
        }
    }

    /// The status a written value names.
    pub fn parse(s: &str) -> Option<RowStatus> {
        let sections = [
            Status::Ok,
            Status::ByReference,
            Status::Absent,
            Status::NotFound,
        ];
        sections
            .into_iter()
            .find(|x| x.as_str() == s)
            .map(RowStatus::Section)
            .or((s == "fetch_error").then_some(RowStatus::FetchError))
    }
}

/// Where a row's summary stands: written, waiting for the result of a batch
/// (`--llm-batch`), or failed (the row's error says why; a rerun tries again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SummaryStatus {
    Ok,
    Pending,
    Failed,
}

impl SummaryStatus {
    /// `ok`, `pending` or `failed`, as written.
    pub fn as_str(self) -> &'static str {
        match self {
            SummaryStatus::Ok => "ok",
            SummaryStatus::Pending => "pending",
            SummaryStatus::Failed => "failed",
        }
    }
}

/// Why a row carries an error, as far as a rerun cares: a download or a summarizer that
/// failed may work next time; a document without Item 1, or an Item 1 without prose, stays
/// so. The kind is written as the row's status (`fetch_error`) or the start of its error
/// message, and recovered from them when an output is read (`of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Fetch,
    Summarizer,
    Final,
}

/// How the error of a row whose summarizer failed begins.
const SUMMARIZER_FAILED: &str = "summarizer failed";

impl Failure {
    /// The error message of a row whose summarizer failed with `e`.
    pub fn summarizer_error(e: &anyhow::Error) -> String {
        format!("{SUMMARIZER_FAILED}: {e:#}")
    }

    /// The failure of a written row with this status and error; None for a row without.
    pub fn of(status: Option<RowStatus>, error: Option<&str>) -> Option<Failure> {
        if status == Some(RowStatus::FetchError) {
            return Some(Failure::Fetch);
        }
        let error = error?;
        Some(if error.starts_with(SUMMARIZER_FAILED) {
            Failure::Summarizer
        } else {
            Failure::Final
        })
    }

    /// May the row come out differently on a later try?
    pub fn may_pass(self) -> bool {
        matches!(self, Failure::Fetch | Failure::Summarizer)
    }
}

impl Record {
    /// Leaves out the section texts (`--no-text`): Item 1's and every other item's.
    pub fn drop_texts(&mut self) {
        self.item1_text = None;
        self.items.values_mut().for_each(|c| c.text = None);
    }
}

/// Column names in their stable order, without item columns (a run of Item 1 alone).
pub const COLUMNS: &[&str] = &[
    "accession_number",
    "cik",
    "company_name",
    "tickers",
    "exchanges",
    "form",
    "filing_date",
    "report_date",
    "fiscal_year",
    "sic",
    "sic_description",
    "state_of_incorporation",
    "fiscal_year_end",
    "source_url",
    "document_sha256",
    "item1_status",
    "item1_method",
    "item1_confidence",
    "item1_chars",
    "item1_tokens",
    "item1_text",
    "summary",
    "summary_status",
    "summary_tokens",
    "summary_truncated",
    "summary_grounding",
    "summarizer",
    "model",
    "tokenizer",
    "prompt_sha256",
    "llm_input_tokens",
    "llm_output_tokens",
    "processed_at",
    "tenk_version",
    "error",
];

/// The columns that say what became of a row's summary: those `Sink::fill_pending` fills.
pub const SUMMARY_COLUMNS: [&str; 9] = [
    "summary",
    "summary_status",
    "summary_tokens",
    "summary_truncated",
    "summary_grounding",
    "llm_input_tokens",
    "llm_output_tokens",
    "processed_at",
    "error",
];

fn days_since_epoch(d: Option<NaiveDate>) -> Option<i32> {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
    d.map(|d| (d - epoch).num_days() as i32)
}

fn strings<F: Fn(&Record) -> Option<&str>>(name: &str, rs: &[Record], f: F) -> Column {
    Column::new(name.into(), rs.iter().map(f).collect::<Vec<_>>())
}

fn lists<F: Fn(&Record) -> &Vec<String>>(name: &str, rs: &[Record], f: F) -> Column {
    let values: Vec<Series> = rs
        .iter()
        .map(|r| Series::new("".into(), f(r).as_slice()))
        .collect();
    let mut s = Series::new(name.into(), values);
    if rs.is_empty() {
        s = Series::new_empty(name.into(), &DataType::List(Box::new(DataType::String)));
    }
    s.into()
}

/// A count or CIK as Parquet's signed 64-bit integer (no value tenk writes comes near the
/// limit).
fn signed(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn counts<F: Fn(&Record) -> Option<u64>>(name: &str, rs: &[Record], f: F) -> Column {
    Column::new(
        name.into(),
        rs.iter().map(|r| f(r).map(signed)).collect::<Vec<_>>(),
    )
}

fn dates(name: &str, rs: &[Record], f: fn(&Record) -> Option<NaiveDate>) -> Result<Column> {
    let days: Vec<Option<i32>> = rs.iter().map(|r| days_since_epoch(f(r))).collect();
    Ok(Series::new(name.into(), days).cast(&DataType::Date)?.into())
}

/// The status and text column names of an item besides Item 1.
pub fn item_columns(id: ItemId) -> [String; 2] {
    let stem = id.column_stem();
    [format!("{stem}_status"), format!("{stem}_text")]
}

/// Every column of an output holding `items` (Item 1 is always there), in order: the
/// item columns follow `item1_text`.
pub fn columns(items: &[ItemId]) -> Vec<String> {
    let mut out = Vec::new();
    for c in COLUMNS {
        out.push((*c).to_string());
        if *c == "item1_text" {
            out.extend(
                items
                    .iter()
                    .filter(|&&id| id != ItemId::I1)
                    .flat_map(|&id| item_columns(id)),
            );
        }
    }
    out
}

/// The items besides Item 1 whose columns a frame has.
pub fn items_of(df: &DataFrame) -> Vec<ItemId> {
    ItemId::ALL
        .into_iter()
        .filter(|&id| id != ItemId::I1)
        .filter(|&id| df.column(&item_columns(id)[0]).is_ok())
        .collect()
}

/// The item columns of the records (every row of a run has the same items).
fn item_columns_of(rs: &[Record]) -> Vec<Column> {
    let items: std::collections::BTreeSet<ItemId> =
        rs.iter().flat_map(|r| r.items.keys().copied()).collect();
    items
        .into_iter()
        .flat_map(|id| {
            let [status, text] = item_columns(id);
            [
                strings(&status, rs, |r| r.items.get(&id).map(|c| c.status.as_str())),
                strings(&text, rs, |r| {
                    r.items.get(&id).and_then(|c| c.text.as_deref())
                }),
            ]
        })
        .collect()
}

/// The records as a DataFrame with the schema of `columns` of their items.
pub fn to_frame(rs: &[Record]) -> Result<DataFrame> {
    let processed: Vec<Option<i64>> = rs
        .iter()
        .map(|r| r.processed_at.map(|t| t.timestamp_micros()))
        .collect();
    let processed = Series::new("processed_at".into(), processed).cast(&DataType::Datetime(
        TimeUnit::Microseconds,
        Some(TimeZone::UTC),
    ))?;
    let mut columns = vec![
        strings("accession_number", rs, |r| Some(&r.accession_number)),
        counts("cik", rs, |r| Some(r.cik.0)),
        strings("company_name", rs, |r| Some(&r.company_name)),
        lists("tickers", rs, |r| &r.tickers),
        lists("exchanges", rs, |r| &r.exchanges),
        strings("form", rs, |r| Some(&r.form)),
        dates("filing_date", rs, |r| r.filing_date)?,
        dates("report_date", rs, |r| r.report_date)?,
        Column::new(
            "fiscal_year".into(),
            rs.iter().map(|r| r.fiscal_year).collect::<Vec<_>>(),
        ),
        strings("sic", rs, |r| r.sic.as_deref()),
        strings("sic_description", rs, |r| r.sic_description.as_deref()),
        strings("state_of_incorporation", rs, |r| {
            r.state_of_incorporation.as_deref()
        }),
        strings("fiscal_year_end", rs, |r| r.fiscal_year_end.as_deref()),
        strings("source_url", rs, |r| Some(&r.source_url)),
        strings("document_sha256", rs, |r| r.document_sha256.as_deref()),
        strings("item1_status", rs, |r| Some(r.item1_status.as_str())),
        strings("item1_method", rs, |r| r.item1_method.as_deref()),
        Column::new(
            "item1_confidence".into(),
            rs.iter().map(|r| r.item1_confidence).collect::<Vec<_>>(),
        ),
        counts("item1_chars", rs, |r| r.item1_chars),
        counts("item1_tokens", rs, |r| r.item1_tokens),
        strings("item1_text", rs, |r| r.item1_text.as_deref()),
    ];
    columns.extend(item_columns_of(rs));
    columns.extend([
        strings("summary", rs, |r| r.summary.as_deref()),
        strings("summary_status", rs, |r| {
            r.summary_status.map(SummaryStatus::as_str)
        }),
        counts("summary_tokens", rs, |r| r.summary_tokens),
        Column::new(
            "summary_truncated".into(),
            rs.iter().map(|r| r.summary_truncated).collect::<Vec<_>>(),
        ),
        Column::new(
            "summary_grounding".into(),
            rs.iter().map(|r| r.summary_grounding).collect::<Vec<_>>(),
        ),
        strings("summarizer", rs, |r| r.summarizer.as_deref()),
        strings("model", rs, |r| r.model.as_deref()),
        strings("tokenizer", rs, |r| r.tokenizer.as_deref()),
        strings("prompt_sha256", rs, |r| r.prompt_sha256.as_deref()),
        counts("llm_input_tokens", rs, |r| r.llm_input_tokens),
        counts("llm_output_tokens", rs, |r| r.llm_output_tokens),
        processed.into(),
        strings("tenk_version", rs, |r| Some(&r.tenk_version)),
        strings("error", rs, |r| r.error.as_deref()),
    ]);
    Ok(DataFrame::new(rs.len(), columns)?)
}

/// Reads a Parquet file written by tenk.
pub fn read(path: &Path) -> Result<DataFrame> {
    read_file(path, None)
}

/// Reads one Parquet file, all its columns or only `columns`, in the current schema.
fn read_file(path: &Path, columns: Option<&[&str]>) -> Result<DataFrame> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = ParquetReader::new(file);
    // a column added since the file was written is read as nulls (`conform`)
    let present = match columns {
        Some(cs) => {
            let schema = reader
                .schema()
                .with_context(|| format!("{} is not a readable Parquet file", path.display()))?;
            Some(
                cs.iter()
                    .filter(|c| schema.contains(c))
                    .map(|c| (*c).into())
                    .collect(),
            )
        }
        None => None,
    };
    let df = reader
        .with_columns(present)
        .finish()
        .with_context(|| format!("{} is not a readable Parquet file", path.display()))?;
    conform(df, columns)
}

/// A frame of an older version of tenk in the current schema: its unsigned integer columns
/// (tenk up to 0.1 wrote counts and CIKs as `uint64`) as signed ones, and the columns added
/// since (`summary_status`, `summary_grounding`, the `llm_*` counts) as nulls; in the order
/// of `columns`, or of the whole schema.
fn conform(mut df: DataFrame, columns: Option<&[&str]>) -> Result<DataFrame> {
    let unsigned: Vec<String> = df
        .columns()
        .iter()
        .filter(|c| c.dtype().is_unsigned_integer())
        .map(|c| c.name().to_string())
        .collect();
    for name in &unsigned {
        let signed = df.column(name)?.cast(&DataType::Int64)?;
        df.with_column(signed)?;
    }
    match columns {
        Some(cs) => with_columns(df, cs.iter().map(|c| (*c).to_string()).collect()),
        None => {
            let all = self::columns(&items_of(&df));
            with_columns(df, all)
        }
    }
}

/// A frame with the columns of `items` (null where it had none, as in a row written before
/// an item was asked for), in the order of `columns`.
fn align(df: DataFrame, items: &[ItemId]) -> Result<DataFrame> {
    let all = columns(&union(&items_of(&df), items));
    with_columns(df, all)
}

/// `df` with exactly the columns `names`, in that order: those it lacks as nulls of their
/// type in this version's schema (item columns are strings).
fn with_columns(mut df: DataFrame, names: Vec<String>) -> Result<DataFrame> {
    let current = to_frame(&[])?;
    for name in &names {
        if df.column(name).is_err() {
            let dtype = current
                .column(name)
                .map_or(DataType::String, |c| c.dtype().clone());
            let nulls = Series::full_null(name.as_str().into(), df.height(), &dtype);
            df.with_column(nulls.into_column())?;
        }
    }
    Ok(df.select(names)?)
}

/// The union of two item lists, in the form's order.
fn union(a: &[ItemId], b: &[ItemId]) -> Vec<ItemId> {
    let mut all: Vec<ItemId> = a.iter().chain(b).copied().collect();
    all.sort();
    all.dedup();
    all
}

/// Rewrites the files of a tenk output (a file or a dataset folder) written by an older
/// version in the current schema, each atomically; returns the files rewritten. Readers that
/// take a dataset's schema from one file (pyarrow, Spark) need every file alike.
pub fn upgrade(path: &Path) -> Result<usize> {
    let sink = if path.is_dir() {
        Sink::Dataset(path.to_path_buf())
    } else {
        Sink::File(path.to_path_buf())
    };
    let _hold = sink.hold(true)?;
    let mut rewritten = 0;
    for f in output_files(path)? {
        // a file of the current schema carries exactly the footer this version writes
        let mut df = read(&f)?;
        if footer_schema(&f)? != Some(arrow_schema(&df)) {
            write_atomic(&f, &mut df)?;
            rewritten += 1;
        }
    }
    Ok(rewritten)
}

/// The Arrow schema a Parquet file's footer carries (base64, as stored), if any.
fn footer_schema(path: &Path) -> Result<Option<String>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = ParquetReader::new(file);
    let meta = reader
        .get_metadata()
        .with_context(|| format!("{} is not a readable Parquet file", path.display()))?;
    Ok(meta.key_value_metadata().as_ref().and_then(|kv| {
        kv.iter()
            .find(|kv| kv.key == ARROW_SCHEMA_KEY)
            .and_then(|kv| kv.value.clone())
    }))
}

/// Where Parquet files keep the Arrow schema they were written from.
const ARROW_SCHEMA_KEY: &str = "ARROW:schema";

/// The footer metadata every file carries: the Arrow schema of `df` as older readers know
/// it (`large_string`, `large_list`, no view types), which pyarrow and pandas restore;
/// base64 of Arrow's IPC schema message, as Parquet files keep it.
fn arrow_schema(df: &DataFrame) -> String {
    let schema = df.schema().to_arrow(CompatLevel::oldest());
    let ipc = schema_to_bytes(&schema, &default_ipc_fields(schema.iter_values()), None);
    // Arrow's legacy IPC framing: a continuation marker and the length, then the message
    let mut framed = Vec::with_capacity(ipc.len() + 8);
    framed.extend_from_slice(&[0xff; 4]);
    framed.extend_from_slice(&u32::try_from(ipc.len()).unwrap_or(u32::MAX).to_le_bytes());
    framed.extend_from_slice(&ipc);
    base64::engine::general_purpose::STANDARD.encode(framed)
}

/// Reads `columns` of a tenk output: a Parquet file, or every file of a dataset folder
/// (its rows one after the other, in file name order).
pub fn read_columns(path: &Path, columns: &[&str]) -> Result<DataFrame> {
    let mut all: Option<DataFrame> = None;
    for f in output_files(path)? {
        let df = read_file(&f, Some(columns))?;
        match &mut all {
            Some(acc) => {
                acc.vstack_mut(&df)
                    .with_context(|| format!("{} has another schema", f.display()))?;
            }
            None => all = Some(df),
        }
    }
    all.with_context(|| format!("{} holds no Parquet files", path.display()))
}

/// Writes `df` to `path` atomically (`atomic::write`).
fn write_atomic(path: &Path, df: &mut DataFrame) -> Result<()> {
    crate::atomic::write(path, |file| -> Result<()> {
        ParquetWriter::new(file)
            .with_compression(ParquetCompression::Zstd(None))
            .with_key_value_metadata(Some(KeyValueMetadata::from_static(vec![(
                ARROW_SCHEMA_KEY.to_string(),
                arrow_schema(df),
            )])))
            .finish(df)?;
        Ok(())
    })
    .with_context(|| format!("cannot write {}", path.display()))
}

/// The accession numbers an output already has.
#[derive(Debug, Default)]
pub struct Existing {
    /// Final rows: the section was found (or is not there) and summarized.
    pub done: HashSet<String>,
    /// Rows whose failure may pass (the download or the summarizer failed), or that lack an
    /// item the run asks for: the next run redoes these filings and replaces their rows.
    pub retry: HashSet<String>,
    /// The items besides Item 1 the output has columns for.
    pub items: Vec<ItemId>,
}

impl Existing {
    /// The items besides Item 1 a run writes: those asked for and those the output
    /// already has, so that its columns only grow.
    pub fn run_items(&self, requested: &[ItemId]) -> Vec<ItemId> {
        let mut items = union(requested, &self.items);
        items.retain(|&id| id != ItemId::I1);
        items
    }
}

/// The items besides Item 1 a Parquet file has columns for (read from its footer).
fn file_items(path: &Path) -> Result<Vec<ItemId>> {
    let names = file_columns(path)?;
    Ok(ItemId::ALL
        .into_iter()
        .filter(|&id| id != ItemId::I1)
        .filter(|&id| names.contains(&item_columns(id)[0]))
        .collect())
}

/// The column names of a Parquet file, in order (read from its footer).
fn file_columns(path: &Path) -> Result<Vec<String>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let schema = ParquetReader::new(file)
        .schema()
        .with_context(|| format!("{} is not a readable Parquet file", path.display()))?;
    Ok(schema.iter_names().map(|n| n.to_string()).collect())
}

/// For each row of a file: does it lack a status for one of `items` (no column, or null)?
fn lacking_items(path: &Path, have: &[ItemId], items: &[ItemId], rows: usize) -> Result<Vec<bool>> {
    let wanted: Vec<ItemId> = items
        .iter()
        .copied()
        .filter(|&id| id != ItemId::I1)
        .collect();
    if wanted.iter().any(|id| !have.contains(id)) {
        return Ok(vec![true; rows]);
    }
    let names: Vec<String> = wanted
        .iter()
        .map(|&id| item_columns(id)[0].clone())
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut lacking = vec![false; rows];
    if refs.is_empty() {
        return Ok(lacking);
    }
    let df = read_file(path, Some(&refs))?;
    for name in &refs {
        for (l, v) in lacking.iter_mut().zip(df.column(name)?.str()?.iter()) {
            *l |= v.is_none();
        }
    }
    Ok(lacking)
}

/// Where a run's rows go.
#[derive(Debug, Clone)]
pub enum Sink {
    File(PathBuf),
    Dataset(PathBuf),
}

/// A process's hold on an output (an OS lock on `_lock` in a dataset, `<file>.lock` next to
/// a file), released when dropped or when the process dies.
#[derive(Debug)]
pub struct Hold {
    _lock: File,
}

/// The Hive partition value of rows whose filing date is unknown (Spark's spelling).
const NO_YEAR: &str = "__HIVE_DEFAULT_PARTITION__";

impl Sink {
    /// The accession numbers already written (none when nothing exists yet), split into
    /// final rows and rows a rerun redoes (among them those without a status for one of
    /// `items`), and the item columns the output has.
    pub fn existing(&self, items: &[ItemId]) -> Result<Existing> {
        let mut seen = Existing::default();
        for f in self.files()? {
            let df = read_file(&f, Some(&["accession_number", "item1_status", "error"]))?;
            let have = file_items(&f)?;
            let lacking = lacking_items(&f, &have, items, df.height())?;
            seen.items = union(&seen.items, &have);
            let (acc, status, error) = (
                df.column("accession_number")?.str()?,
                df.column("item1_status")?.str()?,
                df.column("error")?.str()?,
            );
            let rows = acc.iter().zip(status.iter()).zip(error.iter()).zip(lacking);
            for (((acc, status), error), lacking) in rows {
                let Some(acc) = acc else { continue };
                let failure = Failure::of(status.and_then(RowStatus::parse), error);
                if lacking || failure.is_some_and(Failure::may_pass) {
                    seen.retry.insert(acc.to_string());
                } else {
                    seen.done.insert(acc.to_string());
                }
            }
        }
        // a filing with a final row anywhere is done, whatever older rows say
        seen.retry.retain(|a| !seen.done.contains(a));
        Ok(seen)
    }

    /// Holds the output while this process writes it. Runs into one dataset share it (they
    /// add files of their own); a run into a file, `batch-ingest` and `upgrade` need it
    /// alone (`whole`), since they read, change and replace files another writer may be
    /// replacing too, and one would undo the other's rows.
    pub fn hold(&self, whole: bool) -> Result<Hold> {
        let path = match self {
            Sink::File(p) => {
                let mut name = p.file_name().unwrap_or_default().to_os_string();
                name.push(".lock");
                p.with_file_name(name)
            }
            Sink::Dataset(dir) => dir.join("_lock"),
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        let alone = whole || matches!(self, Sink::File(_));
        let locked = if alone {
            file.try_lock()
        } else {
            file.try_lock_shared()
        };
        match locked {
            Ok(()) => Ok(Hold { _lock: file }),
            Err(std::fs::TryLockError::WouldBlock) => anyhow::bail!(
                "{} is being written by another tenk process (a run, batch-ingest or upgrade); \
                 try again when it has finished",
                self.path().display()
            ),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
    }

    /// The Parquet files the output has now.
    fn files(&self) -> Result<Vec<PathBuf>> {
        Ok(match self {
            Sink::File(p) if p.exists() => vec![p.clone()],
            Sink::File(_) => Vec::new(),
            Sink::Dataset(dir) => dataset_files(dir)?,
        })
    }

    /// Gives every file of a dataset the columns of `items` and of this version's schema
    /// (null in rows written before), each rewritten atomically, so that the dataset keeps
    /// one schema for the readers that take it from one file. A file sink is widened when it
    /// is next written.
    pub fn widen(&self, items: &[ItemId]) -> Result<()> {
        let Sink::Dataset(dir) = self else {
            return Ok(());
        };
        for f in dataset_files(dir)? {
            let wanted = columns(&union(&file_items(&f)?, items));
            if file_columns(&f)? == wanted {
                continue;
            }
            let df = read(&f)?;
            let have = items_of(&df);
            write_atomic(&f, &mut align(df, &union(&have, items))?)?;
        }
        Ok(())
    }

    /// Writes one batch of rows; `batch` numbers the batches of a run (dataset file names).
    /// Returns the number of rows in the file (file sink) or written (dataset).
    pub fn write(&self, records: &[Record], run_id: &str, batch: usize) -> Result<usize> {
        match self {
            Sink::File(path) => write_upsert(path, records),
            Sink::Dataset(dir) => {
                let mut by_year: BTreeMap<String, Vec<Record>> = BTreeMap::new();
                for r in records {
                    let year = r
                        .filing_date
                        .map_or(NO_YEAR.to_string(), |d| d.format("%Y").to_string());
                    by_year.entry(year).or_default().push(r.clone());
                }
                for (year, rows) in by_year {
                    let path = dir
                        .join(format!("filing_year={year}"))
                        .join(format!("part-{run_id}-{batch:05}.parquet"));
                    write_atomic(&path, &mut to_frame(&rows)?)?;
                }
                Ok(records.len())
            }
        }
    }

    /// Fills the summaries of rows whose summary is pending (`--llm-batch`): `fill` gets a
    /// row's accession number and Item 1 text and gives the row's new summary cells (the
    /// `SUMMARY_COLUMNS` of a `Record`), or None to leave it pending. File by file, each
    /// rewritten atomically; returns the rows filled.
    pub fn fill_pending(
        &self,
        mut fill: impl FnMut(&str, Option<&str>) -> Option<Record>,
    ) -> Result<usize> {
        let mut filled = 0;
        for f in self.files()? {
            let df = read(&f)?;
            let (acc, status, text) = (
                df.column("accession_number")?.str()?,
                df.column("summary_status")?.str()?,
                df.column("item1_text")?.str()?,
            );
            let pending = Some(SummaryStatus::Pending.as_str());
            let cells: Vec<Option<Record>> = acc
                .iter()
                .zip(status.iter())
                .zip(text.iter())
                .map(|((a, st), t)| (st == pending).then(|| fill(a?, t)).flatten())
                .collect();
            let n = cells.iter().filter(|c| c.is_some()).count();
            if n == 0 {
                continue;
            }
            let keep: BooleanChunked = cells.iter().map(|c| Some(c.is_none())).collect();
            let new = to_frame(
                &cells
                    .into_iter()
                    .map(Option::unwrap_or_default)
                    .collect::<Vec<_>>(),
            )?;
            let mut df = df;
            for name in SUMMARY_COLUMNS {
                let merged = df.column(name)?.zip_with(&keep, new.column(name)?)?;
                df.with_column(merged)?;
            }
            write_atomic(&f, &mut df)?;
            filled += n;
        }
        Ok(filled)
    }

    /// Removes the rows of `accessions` from a dataset before they are written again
    /// (`--force`), file by file and atomically; a file left empty is deleted. A file sink
    /// needs nothing: its upsert replaces rows.
    pub fn forget(&self, accessions: &HashSet<String>) -> Result<()> {
        let Sink::Dataset(dir) = self else {
            return Ok(());
        };
        for f in dataset_files(dir)? {
            let df = read(&f)?;
            let keep: BooleanChunked = df
                .column("accession_number")?
                .str()?
                .iter()
                .map(|a| Some(!a.is_some_and(|a| accessions.contains(a))))
                .collect();
            if keep.all() {
                continue;
            }
            let mut kept = df.filter(&keep)?;
            if kept.height() == 0 {
                std::fs::remove_file(&f)
                    .with_context(|| format!("cannot remove {}", f.display()))?;
            } else {
                write_atomic(&f, &mut kept)?;
            }
        }
        Ok(())
    }

    /// Where the run report of `run_id` goes: next to the file, or in the dataset's `_runs`.
    pub fn report_path(&self, run_id: &str) -> PathBuf {
        match self {
            Sink::File(p) => {
                let stem = p.file_stem().and_then(|s| s.to_str()).unwrap_or("output");
                p.with_file_name(format!("{stem}.run-{run_id}.json"))
            }
            Sink::Dataset(dir) => dir.join("_runs").join(format!("{run_id}.json")),
        }
    }

    /// The last day whose index files a completed run of this dataset read
    /// (`DIR/_state.json`), for `--since last`.
    pub fn last_index_day(&self) -> Result<Option<NaiveDate>> {
        let Sink::Dataset(dir) = self else {
            return Ok(None);
        };
        let path = dir.join("_state.json");
        if !path.exists() {
            return Ok(None);
        }
        let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&path)?)
            .with_context(|| format!("{} is not valid JSON", path.display()))?;
        Ok(v["last_index_day"]
            .as_str()
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()))
    }

    /// Records that the index files up to `day` are done (dataset only), atomically.
    pub fn set_last_index_day(&self, day: NaiveDate) -> Result<()> {
        let Sink::Dataset(dir) = self else {
            return Ok(());
        };
        let state = serde_json::json!({ "last_index_day": day.to_string() });
        let path = dir.join("_state.json");
        crate::atomic::write_bytes(&path, &serde_json::to_vec_pretty(&state)?)
            .with_context(|| format!("cannot write {}", path.display()))
    }

    pub fn path(&self) -> &Path {
        match self {
            Sink::File(p) | Sink::Dataset(p) => p,
        }
    }
}

/// The Parquet files of a tenk output: the file itself, or the files of a dataset folder.
fn output_files(path: &Path) -> Result<Vec<PathBuf>> {
    if path.is_dir() {
        dataset_files(path)
    } else {
        Ok(vec![path.to_path_buf()])
    }
}

/// The Parquet files of a dataset (temporary files and `_`/`.` entries skipped).
fn dataset_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in
            std::fs::read_dir(&d).with_context(|| format!("cannot read {}", d.display()))?
        {
            let path = entry?.path();
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            if name.starts_with(['.', '_']) {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
            } else if name.ends_with(".parquet") {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Merges `records` into the Parquet file at `path` (created if missing): rows of the same
/// accession number are replaced, others kept. Returns the number of rows in the file.
pub fn write_upsert(path: &Path, records: &[Record]) -> Result<usize> {
    let mut new = to_frame(records)?;
    let mut merged = if path.exists() {
        let old = read(path)?;
        let fresh: std::collections::HashSet<&str> = records
            .iter()
            .map(|r| r.accession_number.as_str())
            .collect();
        let keep: BooleanChunked = old
            .column("accession_number")
            .and_then(|c| c.str().cloned())
            .with_context(|| format!("{} has no accession_number column", path.display()))?
            .iter()
            .map(|a| Some(!a.is_some_and(|a| fresh.contains(a))))
            .collect();
        let items = union(&items_of(&old), &items_of(&new));
        let mut kept = align(old.filter(&keep)?, &items)?;
        new = align(new, &items)?;
        kept.vstack_mut(&new).with_context(|| {
            format!(
                "{} has a different schema than this version of tenk writes; \
                 write to a new file with --out",
                path.display()
            )
        })?;
        kept
    } else {
        std::mem::take(&mut new)
    };
    merged.rechunk_mut();
    write_atomic(path, &mut merged)?;
    Ok(merged.height())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(acc: &str, summary: &str) -> Record {
        Record {
            accession_number: acc.into(),
            cik: Cik(948708),
            company_name: "SMITH MICRO SOFTWARE, INC.".into(),
            tickers: vec!["SMSI".into()],
            form: "10-K".into(),
            filing_date: NaiveDate::from_ymd_opt(2021, 3, 1),
            summary: Some(summary.into()),
            summary_status: Some(SummaryStatus::Ok),
            summary_grounding: Some(1.0),
            processed_at: Some(Utc::now()),
            item1_status: RowStatus::Section(Status::Ok),
            ..Record::default()
        }
    }

    #[test]
    fn dataset_batches_go_to_year_partitions_and_are_found_again() {
        let dir = tempfile::tempdir().unwrap();
        let sink = Sink::Dataset(dir.path().join("ds"));
        assert!(sink.existing(&[]).unwrap().done.is_empty());
        let mut undated = record("c", "three");
        undated.filing_date = None;
        sink.write(&[record("a", "one"), undated], "run1", 0)
            .unwrap();
        let mut failed = record("d", "");
        failed.item1_status = RowStatus::FetchError;
        failed.error = Some("HTTP 503".into());
        let mut llm_down = record("e", "");
        llm_down.error = Some(Failure::summarizer_error(&anyhow::anyhow!("HTTP 500")));
        let mut no_prose = record("f", "");
        no_prose.error = Some("Item 1 holds no prose to summarize".into());
        sink.write(&[record("b", "two"), failed, llm_down, no_prose], "run1", 1)
            .unwrap();
        let existing = sink.existing(&[]).unwrap();
        assert_eq!(existing.done.len(), 4);
        assert_eq!(existing.retry, HashSet::from(["d", "e"].map(String::from)));
        assert!(dir
            .path()
            .join("ds/filing_year=2021/part-run1-00001.parquet")
            .exists());
        assert!(dir
            .path()
            .join("ds/filing_year=__HIVE_DEFAULT_PARTITION__/part-run1-00000.parquet")
            .exists());
        let forget: HashSet<String> = ["a", "b", "d", "e", "f"].map(String::from).into();
        sink.forget(&forget).unwrap();
        assert_eq!(sink.existing(&[]).unwrap().done.len(), 1);
        assert!(!dir
            .path()
            .join("ds/filing_year=2021/part-run1-00001.parquet")
            .exists());
        assert_eq!(
            sink.report_path("run1"),
            dir.path().join("ds/_runs/run1.json")
        );
    }

    /// Writes `records` as tenk 0.1 did: unsigned integers, polars' in-memory Arrow schema
    /// (view types) in the footer.
    /// Columns tenk 0.1 did not write.
    const ADDED: [&str; 4] = [
        "summary_status",
        "summary_grounding",
        "llm_input_tokens",
        "llm_output_tokens",
    ];

    /// A file as tenk 0.1 wrote it: unsigned counts, none of the columns added since.
    fn write_previous_schema(path: &Path, records: &[Record]) {
        let mut df = to_frame(records).unwrap().drop_many(ADDED);
        for name in ["cik", "item1_chars", "item1_tokens", "summary_tokens"] {
            let old = df.column(name).unwrap().cast(&DataType::UInt64).unwrap();
            df.with_column(old).unwrap();
        }
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        ParquetWriter::new(File::create(path).unwrap())
            .finish(&mut df)
            .unwrap();
        assert_ne!(footer_schema(path).unwrap(), Some(arrow_schema(&df)));
    }

    #[test]
    fn files_of_the_previous_schema_merge_with_new_rows_and_upgrade() {
        let dir = tempfile::tempdir().unwrap();
        // a single file: upserted into, it comes out in the current schema
        let file = dir.path().join("old.parquet");
        write_previous_schema(&file, &[record("a", "one"), record("b", "two")]);
        assert_eq!(write_upsert(&file, &[record("b", "three")]).unwrap(), 2);
        let df = read(&file).unwrap();
        assert_eq!(df.column("cik").unwrap().dtype(), &DataType::Int64);
        let names: Vec<String> = df.columns().iter().map(|c| c.name().to_string()).collect();
        assert_eq!(names, COLUMNS);
        assert_eq!(df.column("summary_grounding").unwrap().null_count(), 1);
        assert_eq!(footer_schema(&file).unwrap(), Some(arrow_schema(&df)));

        // a dataset with an old file: found, forgotten, read and upgraded together with new
        let ds = dir.path().join("ds");
        let sink = Sink::Dataset(ds.clone());
        let old = ds.join("filing_year=2021/part-old-00000.parquet");
        write_previous_schema(&old, &[record("c", "one"), record("d", "two")]);
        sink.write(&[record("e", "three")], "new", 0).unwrap();
        assert_eq!(sink.existing(&[]).unwrap().done.len(), 3);
        let all = read_columns(&ds, &["accession_number", "cik", "llm_input_tokens"]).unwrap();
        assert_eq!(all.height(), 3);
        let llm = all.column("llm_input_tokens").unwrap();
        assert_eq!((llm.dtype(), llm.null_count()), (&DataType::Int64, 3));
        // widening gives the old file this version's columns
        sink.widen(&[]).unwrap();
        assert_eq!(file_columns(&old).unwrap(), COLUMNS);
        write_previous_schema(&old, &[record("c", "one"), record("d", "two")]);
        sink.forget(&HashSet::from(["d".to_string()])).unwrap();
        assert_eq!(sink.existing(&[]).unwrap().done.len(), 2);
        // forget rewrote the old file in the current schema; upgrade has nothing left to do
        assert_eq!(upgrade(&ds).unwrap(), 0);
        write_previous_schema(&old, &[record("c", "one")]);
        assert_eq!(upgrade(&ds).unwrap(), 1);
        let raw = ParquetReader::new(File::open(&old).unwrap())
            .finish()
            .unwrap();
        assert_eq!(raw.column("cik").unwrap().dtype(), &DataType::Int64);
        assert_eq!(footer_schema(&old).unwrap(), Some(arrow_schema(&raw)));
    }

    #[test]
    fn statuses_and_failures_read_back_as_written() {
        for st in [
            Status::Ok,
            Status::ByReference,
            Status::Absent,
            Status::NotFound,
        ] {
            let s = RowStatus::Section(st);
            assert_eq!(RowStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(RowStatus::parse("fetch_error"), Some(RowStatus::FetchError));
        assert_eq!(RowStatus::parse("pending"), None);
        let e = Failure::summarizer_error(&anyhow::anyhow!("HTTP 502"));
        let ok = Some(RowStatus::Section(Status::Ok));
        assert_eq!(Failure::of(ok, Some(&e)), Some(Failure::Summarizer));
        assert_eq!(
            Failure::of(Some(RowStatus::FetchError), Some("reset")),
            Some(Failure::Fetch)
        );
        assert_eq!(Failure::of(ok, Some("no prose")), Some(Failure::Final));
        assert_eq!(Failure::of(ok, None), None);
        assert!(Failure::Fetch.may_pass() && !Failure::Final.may_pass());
    }

    /// A record with a status for each of `items`.
    fn with_items(acc: &str, items: &[ItemId]) -> Record {
        let cell = |s: &str| ItemCell {
            status: RowStatus::parse(s).unwrap(),
            text: Some(format!("{s} text")),
        };
        Record {
            items: items.iter().map(|&id| (id, cell("ok"))).collect(),
            ..record(acc, "one")
        }
    }

    #[test]
    fn item_columns_only_grow_and_rows_lacking_an_item_are_redone() {
        let (a, ra, seven) = (ItemId::I1A, ItemId::I1, ItemId::I7);
        let dir = tempfile::tempdir().unwrap();
        // a file: an upsert with more items widens the old rows with nulls
        let file = dir.path().join("f.parquet");
        write_upsert(&file, &[with_items("a", &[]), with_items("b", &[])]).unwrap();
        write_upsert(&file, &[with_items("b", &[a, seven])]).unwrap();
        let df = read(&file).unwrap();
        let names: Vec<String> = df
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(names, columns(&[ra, a, seven]));
        let sink = Sink::File(file.clone());
        let e = sink.existing(&[a]).unwrap();
        assert_eq!(
            (e.done.len(), e.retry.len(), e.items.clone()),
            (1, 1, vec![a, seven])
        );
        assert!(e.retry.contains("a"), "row a has no Item 1A yet");
        // fewer items: a row that has them all is done, and the new rows get nulls
        write_upsert(&file, &[with_items("c", &[])]).unwrap();
        assert_eq!(read(&file).unwrap().height(), 3);

        // a dataset: older files are widened to the run's items, one schema for all
        let ds = dir.path().join("ds");
        let sink = Sink::Dataset(ds.clone());
        sink.write(&[with_items("d", &[])], "old", 0).unwrap();
        sink.widen(&[ra, a]).unwrap();
        sink.write(&[with_items("e", &[a])], "new", 0).unwrap();
        for f in dataset_files(&ds).unwrap() {
            assert_eq!(file_items(&f).unwrap(), vec![a], "{}", f.display());
        }
        let e = sink.existing(&[a]).unwrap();
        assert!(e.retry.contains("d") && e.done.contains("e"));
        assert_eq!(read_columns(&ds, &["item_1a_status"]).unwrap().height(), 2);
    }

    #[test]
    fn only_pending_rows_of_a_file_are_filled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.parquet");
        let pending = |acc: &str| Record {
            summary: None,
            summary_status: Some(SummaryStatus::Pending),
            item1_text: Some(format!("Item 1 of {acc}")),
            ..record(acc, "")
        };
        write_upsert(&path, &[pending("a"), pending("b"), record("c", "done")]).unwrap();
        let sink = Sink::File(path.clone());
        let mut seen = Vec::new();
        let filled = sink
            .fill_pending(|acc, text| {
                seen.push((acc.to_string(), text.map(str::to_string)));
                (acc != "b").then(|| Record {
                    summary: Some(format!("summary of {acc}")),
                    summary_status: Some(SummaryStatus::Ok),
                    llm_input_tokens: Some(10),
                    ..Record::default()
                })
            })
            .unwrap();
        assert_eq!(filled, 1);
        // the finished row is not even offered
        assert_eq!(
            seen,
            [
                ("a".to_string(), Some("Item 1 of a".to_string())),
                ("b".to_string(), Some("Item 1 of b".to_string()))
            ]
        );
        let df = read(&path).unwrap();
        let col = |c: &str| crate::test_support::texts(&df, c);
        assert_eq!(
            col("summary"),
            [Some("summary of a".into()), None, Some("done".into())]
        );
        assert_eq!(
            col("summary_status"),
            [Some("ok".into()), Some("pending".into()), Some("ok".into())]
        );
        // the other columns are the row's own
        assert_eq!(
            col("company_name")[0].as_deref(),
            Some("SMITH MICRO SOFTWARE, INC.")
        );
        let tokens: Vec<Option<i64>> = df
            .column("llm_input_tokens")
            .unwrap()
            .i64()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(tokens, [Some(10), None, None]);
    }

    #[test]
    fn runs_share_a_dataset_but_ingest_and_upgrade_need_it_alone() {
        let dir = tempfile::tempdir().unwrap();
        let ds = Sink::Dataset(dir.path().join("ds"));
        let run = ds.hold(false).unwrap();
        let other_run = ds.hold(false).unwrap();
        let e = ds.hold(true).unwrap_err().to_string();
        assert!(e.contains("being written by another tenk process"), "{e}");
        assert!(upgrade(&dir.path().join("ds")).is_err());
        drop((run, other_run));
        let ingest = ds.hold(true).unwrap();
        assert!(ds.hold(false).is_err());
        drop(ingest);
        // a file is rewritten whole by every writer
        let file = Sink::File(dir.path().join("s.parquet"));
        let run = file.hold(false).unwrap();
        assert!(file.hold(false).is_err());
        drop(run);
        assert!(file.hold(false).is_ok());
    }

    #[test]
    fn upsert_replaces_rows_of_the_same_accession() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.parquet");
        assert_eq!(
            write_upsert(&path, &[record("a", "one"), record("b", "two")]).unwrap(),
            2
        );
        assert_eq!(write_upsert(&path, &[record("b", "three")]).unwrap(), 2);
        let df = read(&path).unwrap();
        let names: Vec<&str> = df.get_column_names().iter().map(|n| n.as_str()).collect();
        assert_eq!(names, COLUMNS);
        let summaries: Vec<Option<&str>> = df
            .column("summary")
            .unwrap()
            .str()
            .unwrap()
            .iter()
            .collect();
        assert_eq!(summaries, vec![Some("one"), Some("three")]);
        assert!(
            std::fs::read_dir(dir.path()).unwrap().count() == 1,
            "no temp files left"
        );
    }
}
