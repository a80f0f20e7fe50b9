//! The `tenk` command line: parses arguments and hands each subcommand to `cmd::<name>`.

#![warn(clippy::too_many_lines)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

#[derive(Parser)]
#[command(
    name = "tenk",
    version,
    about = "SEC 10-K filings → Item 1 → business-model summaries → Parquet"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Find, download and summarize 10-K filings; upsert one Parquet row per filing.
    Run(Box<cmd::run::Args>),
    /// Print the Item 1 (Business) section of a 10-K document.
    Extract(cmd::extract::Args),
    /// Print the business-model summary of a 10-K document or an Item 1 text.
    Summarize(cmd::summarize::Args),
    /// Print the rows of a tenk Parquet file readably.
    Show(cmd::show::Args),
    /// Rewrite an output of an older tenk in the current schema.
    Upgrade(cmd::upgrade::Args),
    /// Fill the pending summaries of a --llm-batch run from the batch's results file.
    BatchIngest(cmd::batch_ingest::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Run(a) => cmd::run::main(*a),
        Command::Extract(a) => cmd::extract::main(a),
        Command::Summarize(a) => cmd::summarize::main(a),
        Command::Show(a) => cmd::show::main(a),
        Command::Upgrade(a) => cmd::upgrade::main(a),
        Command::BatchIngest(a) => cmd::batch_ingest::main(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("tenk: error: {e:#}");
            ExitCode::from(1)
        }
    }
}
