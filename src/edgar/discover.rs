//! From what the user asked for (tickers, CIKs) to the list of filings to process.
//!
//! A selection that cannot be resolved (an unknown ticker, a company whose submissions
//! cannot be read) is reported by name and skipped; the rest of the batch goes on.

use super::filing::{Cik, Filing};
use super::submissions::{self, submissions_path, Page};
use super::tickers::{Tickers, TICKERS_EXCHANGE_PATH, TICKERS_PATH};
use super::{Client, FetchError};

/// Which filings to process.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub tickers: Vec<String>,
    pub ciks: Vec<Cik>,
    /// How many of each company's latest 10-K-family filings (of the chosen years); `None`:
    /// every filing of the chosen years, or the latest one when no years are chosen.
    pub latest: Option<usize>,
    /// First and last year, inclusive: fiscal years (by report date) unless `by_filing_year`.
    pub years: Option<(i32, i32)>,
    pub by_filing_year: bool,
    pub include_amendments: bool,
}

impl Selection {
    fn year_of(&self, f: &Filing) -> Option<i32> {
        use chrono::Datelike;
        if self.by_filing_year {
            f.filing_date.map(|d| d.year())
        } else {
            f.fiscal_year()
        }
    }

    fn wants(&self, f: &Filing) -> bool {
        match self.years {
            Some((from, to)) => self.year_of(f).is_some_and(|y| (from..=to).contains(&y)),
            None => true,
        }
    }

    /// Must an older submissions page be read, given the wanted filings found so far?
    fn needs_page(&self, page: &Page, found: usize) -> bool {
        match (self.years, page.years()) {
            // a fiscal year's report is filed in that year or the next
            (Some((from, to)), Some((first, last))) => last >= from && first <= to + 1,
            (Some(_), None) => true,
            (None, _) => found < self.latest.unwrap_or(1),
        }
    }

    /// The wanted filings of one company, newest first.
    fn pick(&self, mut filings: Vec<Filing>) -> Vec<Filing> {
        filings.retain(|f| self.wants(f));
        filings.sort_by_key(|f| std::cmp::Reverse(f.filing_date));
        let n = match (self.latest, self.years) {
            (Some(n), _) => n,
            (None, Some(_)) => usize::MAX,
            (None, None) => 1,
        };
        filings.truncate(n.max(1));
        filings
    }
}

/// Parses "2015..2024", "2015-2024" or "2020" into an inclusive range of years.
pub fn parse_years(s: &str) -> Result<(i32, i32), String> {
    let year = |t: &str| {
        t.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2100).contains(y))
            .ok_or_else(|| format!("{t:?} is not a year"))
    };
    let (from, to) = match s.split_once("..").or_else(|| s.split_once('-')) {
        Some((a, b)) => (year(a)?, year(b.trim_start_matches('='))?),
        None => (year(s)?, year(s)?),
    };
    if from > to {
        return Err(format!("{s}: the first year is after the last"));
    }
    Ok((from, to))
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
    #[error("{0}: {1}")]
    Page(String, String),
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
        // a mirror may carry only the exchange variant of the list
        let json = match client.get(TICKERS_PATH) {
            Err(FetchError::NotFound(_)) => client.get(TICKERS_EXCHANGE_PATH),
            other => other,
        }
        .map_err(|e| {
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
        let parsed = match submissions::parse(&json, sel.include_amendments) {
            Ok(p) => p,
            Err(e) => {
                unresolved.push(Unresolved {
                    what,
                    reason: format!("{path}: {e}"),
                });
                continue;
            }
        };
        let mut found = parsed.filings;
        for page in &parsed.older_pages {
            if !sel.needs_page(page, found.iter().filter(|f| sel.wants(f)).count()) {
                continue;
            }
            let older = client
                .get(&page.path())
                .map_err(|e| {
                    if is_fatal(&e) {
                        DiscoverError::Fatal(e)
                    } else {
                        DiscoverError::Page(page.path(), e.to_string())
                    }
                })
                .and_then(|json| {
                    submissions::parse_page(&json, &parsed.company, sel.include_amendments)
                        .map_err(|e| DiscoverError::Page(page.path(), e.to_string()))
                });
            match older {
                Ok(fs) => found.extend(fs),
                Err(DiscoverError::Page(p, reason)) => unresolved.push(Unresolved {
                    what: format!("{what} (older filings)"),
                    reason: format!("{p}: {reason}"),
                }),
                Err(fatal) => return Err(fatal),
            }
        }
        let picked = sel.pick(found);
        if picked.is_empty() {
            unresolved.push(Unresolved {
                what,
                reason: "no 10-K-family filings of the selected years in its submissions".into(),
            });
        }
        filings.extend(picked);
    }
    Ok((filings, unresolved))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_parse_as_ranges() {
        assert_eq!(parse_years("2015..2024"), Ok((2015, 2024)));
        assert_eq!(parse_years("2015..=2024"), Ok((2015, 2024)));
        assert_eq!(parse_years("2019-2020"), Ok((2019, 2020)));
        assert_eq!(parse_years("2020"), Ok((2020, 2020)));
        assert!(parse_years("2024..2015").is_err());
        assert!(parse_years("soon").is_err());
    }

    #[test]
    fn pages_are_read_only_when_needed() {
        let page = Page {
            name: "CIK0000000001-submissions-001.json".into(),
            filing_from: "1994-01-01".into(),
            filing_to: "2003-12-31".into(),
        };
        let latest = Selection::default();
        assert!(latest.needs_page(&page, 0));
        assert!(!latest.needs_page(&page, 1));
        let nineties = Selection {
            years: Some((1995, 1996)),
            ..Selection::default()
        };
        assert!(nineties.needs_page(&page, 5));
        let recent = Selection {
            years: Some((2015, 2024)),
            ..Selection::default()
        };
        assert!(!recent.needs_page(&page, 0));
    }
}
