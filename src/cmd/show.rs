//! `tenk show PATH`: the rows of a tenk output file or dataset folder, metadata in columns
//! and the summary wrapped below each row.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use polars::prelude::{DataFrame, DataType};

#[derive(clap::Args)]
pub struct Args {
    /// A Parquet file or a dataset folder written by tenk.
    file: PathBuf,
    /// Show at most this many rows.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Wrap summaries at this many columns.
    #[arg(long, default_value_t = 100)]
    width: usize,
}

/// A column as strings (dates and numbers formatted), empty for nulls.
fn column_strings(df: &DataFrame, name: &str) -> Result<Vec<String>> {
    let col = df
        .column(name)
        .with_context(|| format!("the file has no column {name:?}; is it a tenk output?"))?;
    let s = col.cast(&DataType::String)?;
    Ok(s.str()?
        .iter()
        .map(|v| v.unwrap_or("").to_string())
        .collect())
}

pub fn main(args: Args) -> Result<ExitCode> {
    let meta = [
        "accession_number",
        "company_name",
        "form",
        "filing_date",
        "fiscal_year",
        "item1_status",
        "item1_chars",
        "summary_tokens",
    ];
    let wanted: Vec<&str> = meta.iter().copied().chain(["summary", "error"]).collect();
    let df = tenk::output::read_columns(&args.file, &wanted)?;
    let n = df.height().min(args.limit);
    let cols: Vec<Vec<String>> = meta
        .iter()
        .map(|c| column_strings(&df, c))
        .collect::<Result<_>>()?;
    let summaries = column_strings(&df, "summary")?;
    let errors = column_strings(&df, "error")?;
    for i in 0..n {
        let row: Vec<String> = cols.iter().map(|c| c[i].clone()).collect();
        super::print_table(&meta, &[row], 50);
        if !errors[i].is_empty() {
            println!("  error: {}", errors[i]);
        }
        print!("{}", super::wrap(&summaries[i], args.width, "  "));
        println!();
    }
    println!("{} of {} row(s) in {}", n, df.height(), args.file.display());
    Ok(ExitCode::SUCCESS)
}
