//! `tenk upgrade PATH`: rewrites the files of an output written by an older tenk in the
//! current schema, so that readers which take a dataset's schema from one file (pyarrow,
//! Spark) see every file alike. tenk itself reads old and new files together without it.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

#[derive(clap::Args)]
pub struct Args {
    /// A Parquet file or a dataset folder written by tenk.
    path: PathBuf,
}

pub fn main(args: Args) -> Result<ExitCode> {
    let n = tenk::output::upgrade(&args.path)?;
    println!(
        "{n} file(s) of {} rewritten in the current schema",
        args.path.display()
    );
    Ok(ExitCode::SUCCESS)
}
