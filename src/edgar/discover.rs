//! From what the user asked for (tickers, CIKs) to the list of filings to process.
//!
//! A selection that cannot be resolved (an unknown ticker, a company whose submissions
//! cannot be read) is reported by name and skipped; the rest of the batch goes on.

use super::filing::{Cik, Filing};
use super::submissions::{self, submissions_path};
use super::tickers::{Tickers, TICKERS_PATH};
use super::{Client, FetchError};

/// Which filings to process.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub tickers: Vec<String>,
    pub ciks: Vec<Cik>,
    /// How many of each company's latest 10-K-family filings.
    pub latest: usize,
    pub include_amendments: bool,
}

/// A part of the selection that could not be resolved, and why.
#[derive(Debug)]
pub struct Unresolved {
    pub what: String,
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("cannot read the ticker list {TICKERS_PATH}: {0}")]
    Tickers(#[source] FetchError),
    #[error("the ticker list {TICKERS_PATH} does not parse: {0}")]
    TickersJson(#[source] serde_json::Error),
    #[error(transparent)]
    Fatal(FetchError),
}

/// Is this error about the whole run (no User-Agent, SEC refusing us) rather than one item?
fn is_fatal(e: &FetchError) -> bool {
    matches!(
        e,
        FetchError::MissingUserAgent
            | FetchError::UserAgentWithoutEmail(_)
            | FetchError::Forbidden(_)
    )
}

/// Resolves the selection into filings, newest first per company, in selection order.
pub fn discover(
    client: &Client,
    sel: &Selection,
) -> Result<(Vec<Filing>, Vec<Unresolved>), DiscoverError> {
    let mut ciks: Vec<(String, Cik)> = Vec::new();
    let mut unresolved = Vec::new();
    if !sel.tickers.is_empty() {
        let json = client.get(TICKERS_PATH).map_err(|e| {
            if is_fatal(&e) {
                DiscoverError::Fatal(e)
            } else {
                DiscoverError::Tickers(e)
            }
        })?;
        let tickers = Tickers::parse(&json).map_err(DiscoverError::TickersJson)?;
        for t in &sel.tickers {
            match tickers.cik(t) {
                Some(cik) => ciks.push((t.to_ascii_uppercase(), cik)),
                None => unresolved.push(Unresolved {
                    what: format!("ticker {t}"),
                    reason: "not in SEC's ticker list (company_tickers.json)".into(),
                }),
            }
        }
    }
    ciks.extend(sel.ciks.iter().map(|c| (format!("CIK {c}"), *c)));
    let mut seen = std::collections::HashSet::new();
    let mut filings = Vec::new();
    for (what, cik) in ciks {
        if !seen.insert(cik) {
            continue;
        }
        let path = submissions_path(cik);
        let json = match client.get(&path) {
            Ok(j) => j,
            Err(e) if is_fatal(&e) => return Err(DiscoverError::Fatal(e)),
            Err(e) => {
                unresolved.push(Unresolved {
                    what,
                    reason: e.to_string(),
                });
                continue;
            }
        };
        match submissions::parse(&json, sel.include_amendments) {
            Ok((_, fs)) if fs.is_empty() => unresolved.push(Unresolved {
                what,
                reason: "no 10-K-family filings in its submissions".into(),
            }),
            Ok((_, fs)) => filings.extend(fs.into_iter().take(sel.latest.max(1))),
            Err(e) => unresolved.push(Unresolved {
                what,
                reason: format!("{path}: {e}"),
            }),
        }
    }
    Ok((filings, unresolved))
}
