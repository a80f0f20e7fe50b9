//! From what the user asked for (tickers, CIKs) to the list of filings to process.
//!
//! A selection that cannot be resolved (an unknown ticker, a company whose submissions
//! cannot be read) is reported by name and skipped; the rest of the batch goes on.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use super::filing::{is_annual_report, Cik, Company, Filing};
use super::index;
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
    /// Filings made in this period (inclusive), found through EDGAR's index files; tickers
    /// and CIKs, when given, narrow it to those companies.
    pub period: Option<(NaiveDate, NaiveDate)>,
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
    pub kind: UnresolvedKind,
    pub what: String,
    pub reason: String,
}

/// What could not be resolved. It decides whether a period counts as done: filings behind
/// an unreadable index file are unknown, so `--since last` must not move past them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnresolvedKind {
    /// A ticker or company of the selection, or a company's metadata: unknown ticker,
    /// unreadable submissions.
    Company,
    /// An index file of the period (full or daily) that could not be read, or a finished
    /// quarter for which EDGAR has neither a full index nor a daily listing.
    Index,
}

impl Unresolved {
    fn company(what: String, reason: impl Into<String>) -> Self {
        Unresolved {
            kind: UnresolvedKind::Company,
            what,
            reason: reason.into(),
        }
    }
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
    let mut unresolved = Vec::new();
    let ciks = resolve_ciks(client, sel, &mut unresolved)?;
    if let Some(period) = sel.period {
        let only: Option<HashSet<Cik>> =
            (!ciks.is_empty()).then(|| ciks.iter().map(|(_, c)| *c).collect());
        let filings = discover_period(client, sel, period, only.as_ref(), &mut unresolved)?;
        return Ok((filings, unresolved));
    }
    let mut seen = HashSet::new();
    let mut filings = Vec::new();
    for (what, cik) in ciks {
        if !seen.insert(cik) {
            continue;
        }
        match company_filings(client, sel, cik, |_| false)? {
            Ok(found) => {
                let picked = sel.pick(found);
                if picked.is_empty() {
                    unresolved.push(Unresolved::company(
                        what,
                        "no 10-K-family filings of the selected years in its submissions",
                    ));
                }
                filings.extend(picked);
            }
            Err(problem) => unresolved.push(Unresolved::company(
                format!("{what}{}", problem.what),
                problem.reason,
            )),
        }
    }
    Ok((filings, unresolved))
}

/// The CIKs the selection names, by tickers (through SEC's ticker list) and directly.
fn resolve_ciks(
    client: &Client,
    sel: &Selection,
    unresolved: &mut Vec<Unresolved>,
) -> Result<Vec<(String, Cik)>, DiscoverError> {
    let mut ciks: Vec<(String, Cik)> = Vec::new();
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
        let tickers = Tickers::parse(&json).map_err(|e| {
            client.evict(TICKERS_PATH);
            client.evict(TICKERS_EXCHANGE_PATH);
            DiscoverError::TickersJson(e)
        })?;
        for t in &sel.tickers {
            match tickers.cik(t) {
                Some(cik) => ciks.push((t.to_ascii_uppercase(), cik)),
                None => unresolved.push(Unresolved::company(
                    format!("ticker {t}"),
                    "not in SEC's ticker list (company_tickers.json)",
                )),
            }
        }
    }
    ciks.extend(sel.ciks.iter().map(|c| (format!("CIK {c}"), *c)));
    Ok(ciks)
}

/// A company's filings, or why they could not be read; the problem's `what` is a suffix to
/// the caller's name for the company.
type Listing = Result<Vec<Filing>, Unresolved>;

/// A company's 10-K-family filings from its submissions: `filings.recent`, and the older
/// pages that `wants_page` or the selection asks for. `Err` only when the whole run must
/// stop.
fn company_filings(
    client: &Client,
    sel: &Selection,
    cik: Cik,
    wants_page: impl Fn(&Page) -> bool,
) -> Result<Listing, DiscoverError> {
    let problem = |what: &str, reason: String| Ok(Err(Unresolved::company(what.into(), reason)));
    // the bytes of `path`, or (when only this company is affected) why not
    let read = |path: &str| match client.get(path) {
        Ok(bytes) => Ok(Ok(bytes)),
        Err(e) if is_fatal(&e) => Err(DiscoverError::Fatal(e)),
        Err(e) => Ok(Err(e.to_string())),
    };
    let path = submissions_path(cik);
    let json = match read(&path)? {
        Ok(json) => json,
        Err(reason) => return problem("", reason),
    };
    let parsed = match submissions::parse(&json, sel.include_amendments) {
        Ok(p) => p,
        Err(e) => {
            client.evict(&path);
            return problem("", format!("{path}: {e}"));
        }
    };
    let mut found = parsed.filings;
    for page in &parsed.older_pages {
        let wanted = found.iter().filter(|f| sel.wants(f)).count();
        if !wants_page(page) && !sel.needs_page(page, wanted) {
            continue;
        }
        let path = page.path();
        let json = match read(&path)? {
            Ok(json) => json,
            Err(reason) => return problem(" (older filings)", format!("{path}: {reason}")),
        };
        match submissions::parse_page(&json, &parsed.company, sel.include_amendments) {
            Ok(fs) => found.extend(fs),
            Err(e) => {
                client.evict(&path);
                return problem(" (older filings)", format!("{path}: {e}"));
            }
        }
    }
    Ok(Ok(found))
}

/// The 10-K-family filings made between `from` and `to` (inclusive), from the quarters'
/// full indexes, or the days' daily indexes where a quarter has no full index (yet); the
/// daily files are found through the folder's `index.json` listing, so the naming changes
/// of the 1990s do not matter. Each
/// filing takes its primary document and company metadata from the company's submissions;
/// a filing they do not list is read from its complete submission `.txt`.
fn discover_period(
    client: &Client,
    sel: &Selection,
    (from, to): (NaiveDate, NaiveDate),
    only: Option<&HashSet<Cik>>,
    unresolved: &mut Vec<Unresolved>,
) -> Result<Vec<Filing>, DiscoverError> {
    let mut entries = Vec::new();
    let today = chrono::Utc::now().date_naive();
    let mut quarter_start =
        NaiveDate::from_ymd_opt(from.year(), (index::quarter_of(from) - 1) * 3 + 1, 1)
            .unwrap_or(from);
    while quarter_start <= to {
        let next = quarter_start
            .checked_add_months(chrono::Months::new(3))
            .unwrap_or(NaiveDate::MAX);
        let quarter = Quarter {
            start: quarter_start,
            next,
            finished: next <= today,
        };
        let days = (from.max(quarter_start), to.min(today));
        quarter_entries(client, &quarter, days, &mut entries, unresolved)?;
        quarter_start = next;
    }
    let mut seen = HashSet::new();
    entries.retain(|e| {
        is_annual_report(&e.form, sel.include_amendments)
            && (from..=to).contains(&e.date_filed)
            && only.is_none_or(|o| o.contains(&e.cik))
            && e.accession().is_some_and(|a| seen.insert(a))
    });
    entries.sort_by_key(|e| (e.cik, e.date_filed));
    let mut filings = Vec::new();
    for group in entries.chunk_by(|a, b| a.cik == b.cik) {
        let cik = group[0].cik;
        let year_of_page = |p: &Page| {
            p.years()
                .is_none_or(|(first, last)| last >= from.year() && first <= to.year())
        };
        let listed = match company_filings(client, sel, cik, year_of_page)? {
            Ok(fs) => fs,
            Err(problem) => {
                unresolved.push(Unresolved::company(
                    format!("CIK {cik}{} (metadata)", problem.what),
                    problem.reason,
                ));
                Vec::new()
            }
        };
        for e in group {
            let Some(accession) = e.accession() else {
                continue;
            };
            let filing = listed
                .iter()
                .find(|f| f.accession == accession)
                .cloned()
                .unwrap_or_else(|| Filing {
                    accession,
                    cik,
                    form: e.form.clone(),
                    filing_date: Some(e.date_filed),
                    report_date: None,
                    primary_document: String::new(),
                    company: listed.first().map_or_else(
                        || Company {
                            cik,
                            name: e.company.clone(),
                            ..Company::default()
                        },
                        |f| f.company.clone(),
                    ),
                });
            filings.push(filing);
        }
    }
    filings.sort_by_key(|f| std::cmp::Reverse(f.filing_date));
    Ok(filings)
}

/// A calendar quarter of EDGAR's index: its first day, the first day of the next, and
/// whether it is over (so its full index should exist).
struct Quarter {
    start: NaiveDate,
    next: NaiveDate,
    finished: bool,
}

/// Reads the index entries of one quarter for the days `from..=to`: its full index, else
/// the daily files its listing names, else (a quarter still running, whose listing may not
/// exist yet) each weekday's file under today's naming. A missing daily file is a holiday
/// or a day not yet published; a finished quarter with neither a full index nor a
/// listing is a gap in the data, reported as an unresolved index.
fn quarter_entries(
    client: &Client,
    quarter: &Quarter,
    (from, to): (NaiveDate, NaiveDate),
    entries: &mut Vec<index::IndexEntry>,
    unresolved: &mut Vec<Unresolved>,
) -> Result<(), DiscoverError> {
    let (year, q) = (quarter.start.year(), index::quarter_of(quarter.start));
    let full = index::full_index_path(year, q);
    if read_index(client, &full, entries, unresolved)? {
        return Ok(());
    }
    let listing = index::daily_listing_path(year, q);
    let folder = listing.trim_end_matches("index.json").to_string();
    let in_range = |d: &NaiveDate| *d >= from && *d <= to && *d < quarter.next;
    match client.get(&listing) {
        // the listing names the files, whatever their naming scheme
        Ok(json) => {
            for (_, path) in index::daily_files(&json, &folder)
                .into_iter()
                .filter(|(d, _)| in_range(d))
            {
                read_index(client, &path, entries, unresolved)?;
            }
        }
        Err(e) if is_fatal(&e) => return Err(DiscoverError::Fatal(e)),
        Err(e) if quarter.finished => unresolved.push(Unresolved {
            kind: UnresolvedKind::Index,
            what: full,
            reason: match e {
                FetchError::NotFound(_) => format!(
                    "missing: the quarter is over, but neither its full index nor its daily \
                     listing ({listing}) exists"
                ),
                e => format!("missing, and its daily listing cannot be read: {e}"),
            },
        }),
        // no listing yet: try each weekday under today's naming
        Err(_) => {
            let mut day = from;
            while in_range(&day) {
                if day.weekday().num_days_from_monday() < 5 {
                    read_index(client, &index::daily_index_path(day), entries, unresolved)?;
                }
                day = day.succ_opt().unwrap_or(NaiveDate::MAX);
            }
        }
    }
    Ok(())
}

/// Adds the entries of the index file at `path`; false when there is no such file. Any
/// other failure is an unresolved index.
fn read_index(
    client: &Client,
    path: &str,
    entries: &mut Vec<index::IndexEntry>,
    unresolved: &mut Vec<Unresolved>,
) -> Result<bool, DiscoverError> {
    match client.get(path) {
        Ok(bytes) => {
            entries.extend(index::parse(&String::from_utf8_lossy(&bytes)));
            Ok(true)
        }
        Err(FetchError::NotFound(_)) => Ok(false),
        Err(e) if is_fatal(&e) => Err(DiscoverError::Fatal(e)),
        Err(e) => {
            unresolved.push(Unresolved {
                kind: UnresolvedKind::Index,
                what: path.to_string(),
                reason: e.to_string(),
            });
            Ok(true)
        }
    }
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
