//! Where checks over the shared corpus find it, and what they do without it.
//!
//! The repository's tests run on its own fixtures; checks that need the 105 real filings,
//! the real EDGAR samples or the gold data read the corpus folder (the one holding
//! `filings/`, `gold/` and `edgar-api/`) at `$TENK_CORPUS`, else `../shared/corpus` beside the
//! repository. A bare clone has neither, so such a check says in one line what it skipped and
//! passes; CI sets `TENK_REQUIRE_CORPUS=1`, which turns that skip into a failure. The unit
//! tests use this module as `crate::test_support`; the integration tests include the same file
//! from `tests/common`, so the rule exists once. The same goes for reading a text column of
//! an output back (`texts`).

use std::path::{Path, PathBuf};

/// The corpus folder for the check `what`, or `None` after a line on stderr saying that
/// `what` was skipped and why. Panics instead when `TENK_REQUIRE_CORPUS=1`.
pub fn corpus(what: &str) -> Option<PathBuf> {
    let (dir, shown) = match std::env::var_os("TENK_CORPUS") {
        // a relative TENK_CORPUS is taken from the repository, where the tests run
        Some(d) => (
            Path::new(env!("CARGO_MANIFEST_DIR")).join(&d),
            PathBuf::from(d),
        ),
        None => (
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"),
            PathBuf::from("../shared/corpus"),
        ),
    };
    if dir.is_dir() {
        return Some(dir);
    }
    let why = format!("no corpus at {} (set TENK_CORPUS)", shown.display());
    if std::env::var_os("TENK_REQUIRE_CORPUS").is_some_and(|v| v == "1") {
        panic!("{what}: {why}, and TENK_REQUIRE_CORPUS=1 requires it");
    }
    // written to the process's stderr itself: the test harness swallows the `eprintln!` of
    // a passing test, and a skip must be seen
    let line = format!("skipped: {what}: {why}\n");
    let _ = std::io::Write::write_all(&mut std::io::stderr().lock(), line.as_bytes());
    None
}

/// The values of a text column of a tenk output, nulls as None.
pub fn texts(df: &polars::prelude::DataFrame, col: &str) -> Vec<Option<String>> {
    df.column(col)
        .unwrap()
        .str()
        .unwrap()
        .iter()
        .map(|v| v.map(str::to_string))
        .collect()
}
