//! A company's metadata and filings from the submissions API
//! (`submissions/CIK##########.json`).
//!
//! `filings.recent` is column-oriented: parallel arrays, newest first, and holds only the
//! latest thousand or so filings. Older ones are in the pages that `filings.files` lists
//! (`submissions/CIK##########-submissions-001.json`, …), which hold the same arrays at
//! their top level. This module turns both into `Filing`s of the 10-K family, each carrying
//! the company block every row needs.

use chrono::NaiveDate;
use serde::Deserialize;

use super::filing::{is_annual_report, Accession, Cik, Company, Filing};

/// Path of a company's submissions document below the EDGAR root.
pub fn submissions_path(cik: Cik) -> String {
    format!("submissions/CIK{}.json", cik.padded())
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Submissions {
    cik: serde_json::Value,
    #[serde(default)]
    name: String,
    #[serde(default)]
    tickers: Vec<Option<String>>,
    #[serde(default)]
    exchanges: Vec<Option<String>>,
    #[serde(default)]
    sic: Option<String>,
    #[serde(default)]
    sic_description: Option<String>,
    #[serde(default)]
    state_of_incorporation: Option<String>,
    #[serde(default)]
    fiscal_year_end: Option<String>,
    filings: Filings,
}

#[derive(Debug, Deserialize)]
struct Filings {
    recent: Columns,
    #[serde(default)]
    files: Vec<Page>,
}

/// An older page of a company's filings, as `filings.files` lists it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    pub name: String,
    #[serde(default)]
    pub filing_from: String,
    #[serde(default)]
    pub filing_to: String,
}

impl Page {
    /// Path of the page below the EDGAR root.
    pub fn path(&self) -> String {
        format!("submissions/{}", self.name)
    }

    /// Years of the first and last filing on the page, when the listing says.
    pub fn years(&self) -> Option<(i32, i32)> {
        let year = |d: &str| d.get(..4).and_then(|y| y.parse().ok());
        Some((year(&self.filing_from)?, year(&self.filing_to)?))
    }
}

/// A company, its 10-K-family filings from `filings.recent` (newest first), and the older
/// pages not yet read.
#[derive(Debug)]
pub struct CompanyFilings {
    pub company: Company,
    pub filings: Vec<Filing>,
    pub older_pages: Vec<Page>,
}

/// The parallel arrays of `filings.recent` (and of the older pages).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Columns {
    accession_number: Vec<String>,
    #[serde(default)]
    filing_date: Vec<String>,
    #[serde(default)]
    report_date: Vec<String>,
    form: Vec<String>,
    #[serde(default)]
    primary_document: Vec<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum SubmissionsError {
    #[error("submissions JSON does not parse: {0}")]
    Json(#[from] serde_json::Error),
    #[error("submissions JSON has a bad accession number: {0}")]
    Id(#[from] super::filing::IdError),
    #[error("submissions JSON has no valid cik (found {0})")]
    Cik(String),
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn date(s: Option<&String>) -> Option<NaiveDate> {
    s.and_then(|s| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok())
}

/// The company block, its 10-K-family filings in `filings.recent` (newest first), and the
/// list of older pages.
pub fn parse(json: &[u8], include_amendments: bool) -> Result<CompanyFilings, SubmissionsError> {
    let s: Submissions = serde_json::from_slice(json)?;
    let cik = match &s.cik {
        serde_json::Value::Number(n) => n.as_u64().map(Cik),
        serde_json::Value::String(t) => t.parse::<Cik>().ok(),
        _ => None,
    }
    .filter(|c| c.0 > 0)
    .ok_or_else(|| SubmissionsError::Cik(s.cik.to_string()))?;
    let company = Company {
        cik,
        name: s.name,
        tickers: s.tickers.into_iter().flatten().collect(),
        exchanges: s.exchanges.into_iter().flatten().collect(),
        sic: non_empty(s.sic),
        sic_description: non_empty(s.sic_description),
        state_of_incorporation: non_empty(s.state_of_incorporation),
        fiscal_year_end: non_empty(s.fiscal_year_end),
    };
    let filings = annual_reports(&s.filings.recent, &company, include_amendments)?;
    Ok(CompanyFilings {
        company,
        filings,
        older_pages: s.filings.files,
    })
}

/// The 10-K-family filings of an older page, newest first.
pub fn parse_page(
    json: &[u8],
    company: &Company,
    include_amendments: bool,
) -> Result<Vec<Filing>, SubmissionsError> {
    let columns: Columns = serde_json::from_slice(json)?;
    annual_reports(&columns, company, include_amendments)
}

/// The file name of a primary document, also when it is given as an inline-XBRL viewer
/// link (`/ix?doc=/Archives/edgar/data/…/aapl-20250927.htm`) or a path.
fn document_name(doc: &str) -> String {
    let doc = doc.trim();
    let target = doc.split_once("doc=").map_or(doc, |(_, t)| t);
    let target = target.split(['&', '#']).next().unwrap_or(target);
    target.rsplit('/').next().unwrap_or(target).to_string()
}

fn annual_reports(
    c: &Columns,
    company: &Company,
    include_amendments: bool,
) -> Result<Vec<Filing>, SubmissionsError> {
    let mut filings = Vec::new();
    for (i, form) in c.form.iter().enumerate() {
        if !is_annual_report(form, include_amendments) {
            continue;
        }
        let Some(acc) = c.accession_number.get(i) else {
            continue;
        };
        filings.push(Filing {
            accession: acc.parse::<Accession>()?,
            cik: company.cik,
            form: form.clone(),
            filing_date: date(c.filing_date.get(i)),
            report_date: date(c.report_date.get(i)),
            primary_document: c
                .primary_document
                .get(i)
                .map(|d| document_name(d))
                .unwrap_or_default(),
            company: company.clone(),
        });
    }
    filings.sort_by_key(|f| std::cmp::Reverse(f.filing_date));
    Ok(filings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn viewer_links_and_paths_give_the_document_name() {
        assert_eq!(document_name("aapl-20250927.htm"), "aapl-20250927.htm");
        assert_eq!(
            document_name(
                "/ix?doc=/Archives/edgar/data/320193/000032019325000079/aapl-20250927.htm"
            ),
            "aapl-20250927.htm"
        );
        assert_eq!(document_name("xslForm/primary_doc.xml"), "primary_doc.xml");
        assert_eq!(document_name(""), "");
    }

    #[test]
    fn a_cik_that_does_not_parse_is_an_error_not_cik_0() {
        let dir = "tests/fixtures/edgar-api/submissions";
        let json = std::fs::read_to_string(format!("{dir}/CIK0001234567.json")).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        for bad in [
            serde_json::json!("n/a"),
            serde_json::json!(0),
            serde_json::Value::Null,
        ] {
            v["cik"] = bad;
            let e = parse(v.to_string().as_bytes(), false).err().unwrap();
            assert!(e.to_string().contains("no valid cik"), "{e}");
        }
        v["cik"] = serde_json::json!("0001234567");
        assert_eq!(
            parse(v.to_string().as_bytes(), false).unwrap().company.cik,
            Cik(1234567)
        );
    }

    #[test]
    fn parses_submissions_and_their_older_page() {
        let dir = "tests/fixtures/edgar-api/submissions";
        let json = std::fs::read(format!("{dir}/CIK0001234567.json")).unwrap();
        let CompanyFilings {
            company,
            filings,
            older_pages,
        } = parse(&json, false).unwrap();
        assert_eq!(company.cik, Cik(1234567));
        assert_eq!(company.name, "Harborview Instruments, Inc.");
        assert_eq!(company.tickers, ["HRVW"]);
        assert_eq!(company.exchanges, ["Nasdaq"]);
        assert_eq!(company.sic.as_deref(), Some("3825"));
        assert_eq!(company.fiscal_year_end.as_deref(), Some("1230"));
        // of a Form 4, a 10-Q, an 8-K, a 10-K/A and three 10-Ks, the 10-Ks, newest first
        let accessions = |f: &[Filing]| {
            f.iter()
                .map(|f| f.accession.to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            accessions(&filings),
            [
                "0001234567-24-000012",
                "0001234567-23-000008",
                "0000950170-14-000321"
            ]
        );
        let latest = &filings[0];
        assert_eq!(latest.report_date.unwrap().to_string(), "2023-12-30");
        assert_eq!(
            latest.document_path(),
            "Archives/edgar/data/1234567/000123456724000012/hrvw-20231230.htm"
        );
        let with_amendments = parse(&json, true).unwrap().filings;
        assert_eq!(with_amendments[1].form, "10-K/A");
        assert_eq!(with_amendments.len(), 4);

        assert_eq!(older_pages.len(), 1);
        let page = &older_pages[0];
        assert_eq!(
            page.path(),
            "submissions/CIK0001234567-submissions-001.json"
        );
        assert_eq!(page.years(), Some((2003, 2013)));
        let json = std::fs::read(format!("{dir}/{}", page.name)).unwrap();
        let older = parse_page(&json, &company, false).unwrap();
        assert_eq!(
            accessions(&older),
            ["0000950170-13-000290", "0000891020-03-000512"]
        );
        assert_eq!(
            older[1].document_path(),
            "Archives/edgar/data/1234567/000089102003000512/d10k.txt"
        );
    }

    #[test]
    fn parses_the_real_tesla_submissions() {
        let Some(corpus) = crate::test_support::corpus("edgar::submissions real submissions")
        else {
            return;
        };
        let json = std::fs::read(corpus.join("edgar-api/submissions/CIK0001318605.json")).unwrap();
        let CompanyFilings {
            company,
            filings,
            older_pages,
        } = parse(&json, false).unwrap();
        assert_eq!(older_pages.len(), 1);
        assert_eq!(
            older_pages[0].path(),
            "submissions/CIK0001318605-submissions-001.json"
        );
        assert_eq!(older_pages[0].years(), Some((2005, 2013)));
        assert_eq!(company.cik, Cik(1318605));
        assert_eq!(company.name, "Tesla, Inc.");
        assert_eq!(company.sic.as_deref(), Some("3711"));
        assert_eq!(company.state_of_incorporation.as_deref(), Some("DE"));
        assert!(!filings.is_empty());
        assert!(filings.iter().all(|f| f.form == "10-K"));
        assert!(filings
            .windows(2)
            .all(|w| w[0].filing_date >= w[1].filing_date));
        let latest = &filings[0];
        assert!(latest.primary_document.ends_with(".htm"));
        assert!(latest
            .document_path()
            .starts_with("Archives/edgar/data/1318605/"));
    }
}
