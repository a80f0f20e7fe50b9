//! The domain types of EDGAR: a company's CIK, a filing's accession number, the 10-K form
//! family, and a `Filing` as discovery hands it to the fetch stage.
//!
//! They exist so that identifiers are parsed once, at the edge, and every later stage can
//! rely on their shape (a CIK is a number, an accession is `XXXXXXXXXX-YY-NNNNNN`).

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;

/// A Central Index Key: EDGAR's number for a filer. (The default, 0, is no filer's: it
/// only fills a `Company` or a row before they are built.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cik(pub u64);

impl Cik {
    /// The ten-digit, zero-padded form used in submissions URLs.
    pub fn padded(self) -> String {
        format!("{:010}", self.0)
    }
}

impl fmt::Display for Cik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IdError {
    #[error("{0:?} is not a CIK (expected up to 10 digits)")]
    Cik(String),
    #[error("{0:?} is not an accession number (expected 0000000000-00-000000)")]
    Accession(String),
}

impl FromStr for Cik {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim();
        let t = t
            .strip_prefix("CIK")
            .or_else(|| t.strip_prefix("cik"))
            .unwrap_or(t);
        if t.is_empty() || t.len() > 10 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Cik(s.to_string()));
        }
        t.parse().map(Cik).map_err(|_| IdError::Cik(s.to_string()))
    }
}

/// An accession number, `0000950130-96-000896`: filer-agent id, year, sequence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Accession {
    filer: u64,
    year: u8,
    seq: u32,
}

impl Accession {
    /// The accession without dashes, as it appears in Archives folder names.
    pub fn no_dashes(&self) -> String {
        format!("{:010}{:02}{:06}", self.filer, self.year, self.seq)
    }
}

impl fmt::Display for Accession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:010}-{:02}-{:06}", self.filer, self.year, self.seq)
    }
}

impl FromStr for Accession {
    type Err = IdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || IdError::Accession(s.to_string());
        let t = s.trim();
        let digits: String = t.chars().filter(|c| *c != '-').collect();
        let dashed_ok = !t.contains('-') || {
            let parts: Vec<&str> = t.split('-').collect();
            parts.len() == 3 && parts[0].len() == 10 && parts[1].len() == 2 && parts[2].len() == 6
        };
        if digits.len() != 18 || !dashed_ok || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err());
        }
        Ok(Accession {
            filer: digits[..10].parse().map_err(|_| err())?,
            year: digits[10..12].parse().map_err(|_| err())?,
            seq: digits[12..].parse().map_err(|_| err())?,
        })
    }
}

pub use crate::form::is_annual_report;

/// What every row carries about the company, from the submissions API.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Company {
    pub cik: Cik,
    pub name: String,
    pub tickers: Vec<String>,
    pub exchanges: Vec<String>,
    pub sic: Option<String>,
    pub sic_description: Option<String>,
    pub state_of_incorporation: Option<String>,
    pub fiscal_year_end: Option<String>,
}

/// One 10-K-family filing found by discovery: enough to fetch its primary document.
#[derive(Debug, Clone, PartialEq)]
pub struct Filing {
    pub accession: Accession,
    pub cik: Cik,
    pub form: String,
    pub filing_date: Option<NaiveDate>,
    pub report_date: Option<NaiveDate>,
    pub primary_document: String,
    pub company: Company,
}

impl Filing {
    /// The document's path below the EDGAR root (`Archives/edgar/data/...`). Filings without
    /// a primary document name are read from the complete submission text file.
    pub fn document_path(&self) -> String {
        if self.primary_document.is_empty() {
            format!("Archives/edgar/data/{}/{}.txt", self.cik, self.accession)
        } else {
            format!(
                "Archives/edgar/data/{}/{}/{}",
                self.cik,
                self.accession.no_dashes(),
                self.primary_document
            )
        }
    }

    /// Fiscal year by report date (the year the fiscal period ends in); filing year otherwise.
    pub fn fiscal_year(&self) -> Option<i32> {
        use chrono::Datelike;
        self.report_date.or(self.filing_date).map(|d| d.year())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accession_round_trips_with_and_without_dashes() {
        let a: Accession = "0000950130-96-000896".parse().unwrap();
        assert_eq!(a.to_string(), "0000950130-96-000896");
        assert_eq!(a.no_dashes(), "000095013096000896");
        assert_eq!("000095013096000896".parse::<Accession>().unwrap(), a);
        assert!("0000950130-96-00089".parse::<Accession>().is_err());
        assert!("00009501309-6-000896".parse::<Accession>().is_err());
    }

    #[test]
    fn cik_parses_padded_and_prefixed() {
        assert_eq!("0000948708".parse::<Cik>().unwrap(), Cik(948708));
        assert_eq!(
            "CIK0000948708".parse::<Cik>().unwrap().padded(),
            "0000948708"
        );
        assert!("SMSI".parse::<Cik>().is_err());
    }
}
