//! EDGAR's index files: which filings were made in a quarter (`full-index/YYYY/QTRn/`) or
//! on a day (`daily-index/YYYY/QTRn/`), for corpus jobs that select by period rather than
//! by company.
//!
//! Three layouts exist. `form.idx` and `company.idx` are fixed-width tables (form first, or
//! company first) under a header block and a dashed rule; `master.idx` is pipe-delimited.
//! Form types and company names contain spaces ("10-K405", "1-A POS"; long names run into
//! the next column), so rows are split from the right: file name, date, CIK, and what is
//! left holds form and company at the columns the header line names. Dates are
//! `YYYY-MM-DD` in full indexes and `YYYYMMDD` in daily ones; the filing date is never
//! derived from the accession number (paper filings carry other years).

use chrono::{Datelike, NaiveDate};

use super::filing::{Accession, Cik};

/// One row of an index file.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexEntry {
    pub form: String,
    pub company: String,
    pub cik: Cik,
    pub date_filed: NaiveDate,
    /// `edgar/data/<cik>/<accession>.txt`, the complete submission.
    pub file_name: String,
}

impl IndexEntry {
    /// The accession number, from the file name.
    pub fn accession(&self) -> Option<Accession> {
        let stem = self.file_name.rsplit('/').next()?.strip_suffix(".txt")?;
        stem.parse().ok()
    }
}

/// The full index of a quarter, form-sorted.
pub fn full_index_path(year: i32, quarter: u32) -> String {
    format!("Archives/edgar/full-index/{year}/QTR{quarter}/form.idx")
}

/// The folder listing of a quarter's daily indexes (SEC serves `index.json` in every
/// index folder).
pub fn daily_listing_path(year: i32, quarter: u32) -> String {
    format!("Archives/edgar/daily-index/{year}/QTR{quarter}/index.json")
}

/// The form-sorted daily index files of a folder listing, with their days. The names
/// changed over the years (`form.20200318.idx`, and two-digit years such as
/// `form.941003.idx` in the 1990s), so the day is read from either form of the name.
pub fn daily_files(listing_json: &[u8], folder: &str) -> Vec<(NaiveDate, String)> {
    #[derive(serde::Deserialize)]
    struct Listing {
        directory: Directory,
    }
    #[derive(serde::Deserialize)]
    struct Directory {
        item: Vec<Item>,
    }
    #[derive(serde::Deserialize)]
    struct Item {
        name: String,
    }
    let Ok(listing) = serde_json::from_slice::<Listing>(listing_json) else {
        return Vec::new();
    };
    let mut files: Vec<(NaiveDate, String)> = listing
        .directory
        .item
        .into_iter()
        .filter_map(|it| {
            let stem = it.name.strip_prefix("form.")?.strip_suffix(".idx")?;
            let day = match stem.len() {
                8 => NaiveDate::parse_from_str(stem, "%Y%m%d").ok()?,
                6 => NaiveDate::parse_from_str(stem, "%y%m%d").ok()?,
                _ => return None,
            };
            Some((day, format!("{}/{}", folder.trim_end_matches('/'), it.name)))
        })
        .collect();
    files.sort();
    files
}

/// The daily index of one day, form-sorted, as named since the late 1990s.
pub fn daily_index_path(day: NaiveDate) -> String {
    format!(
        "Archives/edgar/daily-index/{}/QTR{}/form.{}.idx",
        day.year(),
        quarter_of(day),
        day.format("%Y%m%d")
    )
}

/// Parses "2020Q1" (or "2020-Q1", "2020q1") into the quarter's first and last day.
pub fn parse_quarter(s: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let bad = || format!("{s:?} is not a quarter like 2020Q1");
    let upper = s.trim().to_ascii_uppercase();
    let (year, q) = upper.split_once('Q').ok_or_else(bad)?;
    let year: i32 = year.trim_end_matches('-').parse().map_err(|_| bad())?;
    let q: u32 = q
        .parse()
        .ok()
        .filter(|q| (1..=4).contains(q))
        .ok_or_else(bad)?;
    let first = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1).ok_or_else(bad)?;
    let last = first
        .checked_add_months(chrono::Months::new(3))
        .and_then(|d| d.pred_opt())
        .ok_or_else(bad)?;
    Ok((first, last))
}

/// Parses a day as YYYY-MM-DD.
pub fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{s:?} is not a date like 2024-03-31"))
}

pub fn quarter_of(day: NaiveDate) -> u32 {
    (day.month() - 1) / 3 + 1
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y%m%d"))
        .ok()
}

/// Parses any of the three layouts; rows that do not parse are skipped.
pub fn parse(text: &str) -> Vec<IndexEntry> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(rule) = lines
        .iter()
        .position(|l| l.len() > 20 && l.trim().chars().all(|c| c == '-'))
    else {
        return Vec::new();
    };
    let header = lines[..rule]
        .iter()
        .rev()
        .find(|l| l.contains("Form Type") || l.contains("Company Name"))
        .copied()
        .unwrap_or("");
    let rows = &lines[rule + 1..];
    if header.contains('|') {
        return rows.iter().filter_map(|l| master_row(l)).collect();
    }
    let form_col = header.find("Form Type");
    let company_col = header.find("Company Name");
    rows.iter()
        .filter_map(|l| fixed_row(l, form_col, company_col))
        .collect()
}

/// `CIK|Company Name|Form Type|Date Filed|Filename`
fn master_row(line: &str) -> Option<IndexEntry> {
    let f: Vec<&str> = line.split('|').collect();
    if f.len() != 5 {
        return None;
    }
    Some(IndexEntry {
        cik: Cik(f[0].trim().parse().ok()?),
        company: f[1].trim().to_string(),
        form: f[2].trim().to_string(),
        date_filed: parse_date(f[3])?,
        file_name: f[4].trim().to_string(),
    })
}

fn fixed_row(
    line: &str,
    form_col: Option<usize>,
    company_col: Option<usize>,
) -> Option<IndexEntry> {
    let split = |s: &str| {
        s.trim_end()
            .rsplit_once(char::is_whitespace)
            .map(|(a, b)| (a.to_string(), b.to_string()))
    };
    let (rest, file_name) = split(line)?;
    let (rest, date) = split(&rest)?;
    let (left, cik) = split(&rest)?;
    if !file_name.starts_with("edgar/") {
        return None;
    }
    let cut = |col: usize| {
        let at = (0..=col.min(left.len()))
            .rev()
            .find(|i| left.is_char_boundary(*i))
            .unwrap_or(0);
        (left[..at].trim().to_string(), left[at..].trim().to_string())
    };
    let (form, company) = match (form_col, company_col) {
        (Some(f), Some(c)) if f < c => cut(c),
        (Some(f), Some(_)) => {
            let (company, form) = cut(f);
            (form, company)
        }
        _ => return None,
    };
    Some(IndexEntry {
        form,
        company,
        cik: Cik(cik.trim().parse().ok()?),
        date_filed: parse_date(&date)?,
        file_name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An index file of the repository's EDGAR samples.
    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!("tests/fixtures/edgar-api/{name}")).unwrap()
    }

    /// Index files of the corpus's real EDGAR samples, for the check `what`; `None` when the
    /// corpus is absent.
    fn real_samples<const N: usize>(what: &str, names: [&str; N]) -> Option<[String; N]> {
        let corpus = crate::test_support::corpus(what)?;
        Some(
            names.map(|name| std::fs::read_to_string(corpus.join("edgar-api").join(name)).unwrap()),
        )
    }

    #[test]
    fn hostile_file_names_give_no_accession() {
        // paths are built from the typed CIK and accession, never from the file name, so an
        // entry whose name is not `<accession>.txt` is of no use and is dropped
        let head = "Form Type   Company Name      CIK         Date Filed  File Name\n\
                    ---------------------------------------------------------------\n";
        let rows: Vec<&str> = vec![
            "edgar/data/1/../../../../etc/passwd.txt",
            "edgar/data/1/0000000001-24-000001.txt?x=1",
            "edgar/data/1/%2e%2e/0000000001-24-00000.txt",
            "edgar/data/1/C:\\0000000001-24-000001",
        ];
        let idx: String = rows.iter().fold(head.to_string(), |mut idx, name| {
            idx.push_str(&format!(
                "10-K        ODD INC           1           2024-02-01  {name}\n"
            ));
            idx
        });
        let entries = parse(&idx);
        assert!(
            entries.iter().all(|e| e.accession().is_none()),
            "{entries:?}"
        );
        let ok = "10-K        ODD INC           1           2024-02-01  edgar/data/1/0000000001-24-000001.txt\n";
        let entries = parse(&format!("{head}{ok}"));
        assert_eq!(
            entries[0].accession().unwrap().to_string(),
            "0000000001-24-000001"
        );
    }

    #[test]
    fn parses_a_quarterly_form_index() {
        let rows = parse(&fixture("full-index/form.idx"));
        assert_eq!(rows.len(), 10);
        assert_eq!(rows[0].form, "1-A");
        assert_eq!(rows[1].form, "1-A POS");
        assert_eq!(rows[1].company, "Cedar Hollow Farms Fund LLC");
        let ten_k = &rows[2];
        assert_eq!((ten_k.form.as_str(), ten_k.cik), ("10-K", Cik(1234567)));
        assert_eq!(ten_k.date_filed.to_string(), "2024-02-20");
        assert_eq!(
            ten_k.accession().unwrap().to_string(),
            "0001234567-24-000012"
        );
        assert_eq!(rows[5].form, "10-K/A");
        assert_eq!(rows[7].form, "SC 13G/A");
        // a name that runs into the CIK column
        let long = &rows[8];
        assert_eq!(long.form, "X-17A-5");
        assert_eq!(
            long.company,
            "GREAT LAKES AND INLAND WATERWAYS MUNICIPAL SECURITIES BROKERAGE CO"
        );
        assert_eq!(long.cik, Cik(1034455));
        assert_eq!(long.date_filed.to_string(), "2024-02-27");
        // a paper filing whose accession year is not the year it was filed
        assert_eq!(rows[9].date_filed.to_string(), "2024-03-01");
        assert_eq!(
            rows[9].accession().unwrap().to_string(),
            "9999999997-23-009152"
        );
    }

    #[test]
    fn parses_the_real_full_index_excerpt() {
        let Some([excerpt]) = real_samples(
            "edgar::index real full-index excerpt",
            ["full-index/form.2021QTR1.excerpt.idx"],
        ) else {
            return;
        };
        let rows = parse(&excerpt);
        assert_eq!(rows.len(), 10);
        assert_eq!(rows[0].form, "1-A");
        assert_eq!(rows[0].company, "A-Game Beverages, Inc.");
        assert_eq!(rows[0].cik, Cik(1838675));
        assert_eq!(rows[0].date_filed.to_string(), "2021-02-05");
        assert_eq!(rows[5].form, "1-A POS");
        // a name that runs into the CIK column, and an accession year unlike the filing date
        let long = &rows[6];
        assert_eq!(long.cik, Cik(820694));
        assert!(long.company.starts_with("UNITED PLANNERS"));
        assert_eq!(long.date_filed.to_string(), "2021-02-24");
        assert_eq!(
            rows[7].accession().unwrap().to_string(),
            "9999999997-23-001153"
        );
    }

    #[test]
    fn header_only_index_has_no_rows() {
        assert!(parse(&fixture("full-index/form.header-only.idx")).is_empty());
    }

    #[test]
    fn parses_daily_indexes_of_both_sort_orders() {
        let by_form = parse(&fixture("daily-index/form.20240215.idx"));
        assert_eq!(by_form.len(), 10);
        assert_eq!(by_form[0].form, "1-A POS");
        assert_eq!(by_form[0].company, "Belmont Street Housing REIT, Inc.");
        assert_eq!(by_form[0].date_filed.to_string(), "2024-02-15");
        // a day's index also lists late-disseminated filings of earlier dates
        let late: Vec<&str> = by_form
            .iter()
            .filter(|r| r.date_filed.to_string() != "2024-02-15")
            .map(|r| r.company.as_str())
            .collect();
        assert_eq!(late, ["Wexford Specialty Foods, Inc."]);
        // the company-sorted file of the same day (its header line wraps) holds the same rows
        let by_company = parse(&fixture("daily-index/company.20240215.idx"));
        assert_eq!(by_company[0].company, "3456 Harbor Lane Investors, LLC");
        assert_eq!(
            (by_company[0].form.as_str(), by_company[0].cik),
            ("D", Cik(2011870))
        );
        let (mut a, mut b) = (by_form, by_company);
        for rows in [&mut a, &mut b] {
            rows.sort_by(|x, y| x.file_name.cmp(&y.file_name));
        }
        assert_eq!(a, b);
    }

    #[test]
    fn parses_real_daily_indexes_of_both_sort_orders() {
        let Some([form, company]) = real_samples(
            "edgar::index real daily indexes",
            [
                "daily-index/form.20200318.idx",
                "daily-index/company.20221003.idx",
            ],
        ) else {
            return;
        };
        let by_form = parse(&form);
        assert!(by_form.len() > 100);
        // a day's index also lists late-disseminated filings of earlier dates
        let that_day = by_form
            .iter()
            .filter(|r| r.date_filed.to_string() == "2020-03-18")
            .count();
        assert!(
            that_day * 10 > by_form.len() * 9,
            "{that_day} of {}",
            by_form.len()
        );
        assert!(by_form.iter().any(|r| r.form == "10-K"));
        assert!(by_form.iter().any(|r| r.form == "1-A POS"));
        let by_company = parse(&company);
        assert!(by_company.len() > 100);
        assert_eq!(by_company[0].company, "1st stREIT Office Inc.");
        assert_eq!(by_company[0].form, "1-A POS");
        assert_eq!(by_company[0].cik, Cik(1700461));
    }

    #[test]
    fn parses_master_idx() {
        let text = "Description: Master Index\n\nCIK|Company Name|Form Type|Date Filed|Filename\n\
                    --------------------------------------------------------------------------------\n\
                    64978|MERCK & CO INC|10-K405|1996-03-20|edgar/data/64978/0000950130-96-000896.txt\n";
        let rows = parse(text);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].form, "10-K405");
        assert_eq!(
            rows[0].accession().unwrap().to_string(),
            "0000950130-96-000896"
        );
    }

    #[test]
    fn quarters_parse() {
        let (a, b) = parse_quarter("2020Q1").unwrap();
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("2020-01-01".into(), "2020-03-31".into())
        );
        assert_eq!(
            parse_quarter("1996-q4").unwrap().1.to_string(),
            "1996-12-31"
        );
        assert!(parse_quarter("2020Q5").is_err() && parse_quarter("Q1").is_err());
    }

    #[test]
    fn daily_listings_name_days_both_ways() {
        let json = br#"{"directory":{"item":[
            {"name":"form.941003.idx","type":"text.gif","size":"1"},
            {"name":"company.941003.idx","type":"text.gif","size":"1"},
            {"name":"form.20200318.idx","type":"text.gif","size":""},
            {"name":"index.html","type":"text.gif","size":""}]}}"#;
        let files = daily_files(json, "Archives/edgar/daily-index/1994/QTR4/");
        let days: Vec<String> = files.iter().map(|(d, _)| d.to_string()).collect();
        assert_eq!(days, ["1994-10-03", "2020-03-18"]);
        assert_eq!(
            files[0].1,
            "Archives/edgar/daily-index/1994/QTR4/form.941003.idx"
        );
        assert!(daily_files(b"not json", "x").is_empty());
    }

    #[test]
    fn index_paths() {
        let d = NaiveDate::from_ymd_opt(2020, 3, 18).unwrap();
        assert_eq!(
            daily_index_path(d),
            "Archives/edgar/daily-index/2020/QTR1/form.20200318.idx"
        );
        assert_eq!(
            full_index_path(2021, 1),
            "Archives/edgar/full-index/2021/QTR1/form.idx"
        );
    }
}
