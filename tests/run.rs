//! `tenk run` end to end against the fixture mirror: over HTTP from a real server on
//! 127.0.0.1 (the client path sec.gov uses) and straight from the mirror folder.

mod common;

use chrono::Datelike;
use common::{stderr, stdout, strings, tenk, Mirror, Server, USER_AGENT};
use polars::prelude::DataFrame;

fn i64s(df: &DataFrame, col: &str) -> Vec<Option<i64>> {
    df.column(col).unwrap().i64().unwrap().iter().collect()
}

/// A fixture mirror served over HTTP on 127.0.0.1 and an output folder for one test.
struct HttpRun {
    _mirror: Mirror,
    server: Server,
    _out: tempfile::TempDir,
    parquet: std::path::PathBuf,
}

impl HttpRun {
    fn new() -> HttpRun {
        let mirror = Mirror::new();
        let server = Server::serve(mirror.path());
        let out = tempfile::tempdir().unwrap();
        let parquet = out.path().join("summaries.parquet");
        HttpRun {
            _mirror: mirror,
            server,
            _out: out,
            parquet,
        }
    }

    /// `tenk run` with `selection` against the server, with a User-Agent, into `parquet`.
    fn run(&self, selection: &[&str]) -> std::process::Output {
        let mut args = vec!["run"];
        args.extend_from_slice(selection);
        args.extend(["--base-url", &self.server.url, "--user-agent", USER_AGENT]);
        args.extend(["--out", self.parquet.to_str().unwrap()]);
        tenk(&args)
    }
}

#[test]
fn smsi_over_http_writes_a_full_row() {
    let t = HttpRun::new();
    let (server, parquet) = (&t.server, &t.parquet);
    let o = t.run(&["--ticker", "SMSI"]);
    assert!(
        o.status.success(),
        "stdout: {}\nstderr: {}",
        stdout(&o),
        stderr(&o)
    );
    assert!(
        stdout(&o).contains("0000948708-21-000010"),
        "table names the filing"
    );
    // stderr is not a terminal here: progress comes as plain lines, counted per stage
    assert!(
        stderr(&o).contains("tenk: 1/1 filings written (0 failed), fetched 1, item1 1"),
        "{}",
        stderr(&o)
    );

    let reqs = server.requests();
    assert_eq!(
        reqs.iter().map(|r| r.path.as_str()).collect::<Vec<_>>(),
        [
            "files/company_tickers.json",
            "submissions/CIK0000948708.json",
            "Archives/edgar/data/948708/000094870821000010/smsi-20201231.htm"
        ]
    );
    assert!(reqs
        .iter()
        .all(|r| r.user_agent.as_deref() == Some(USER_AGENT)));

    let df = tenk::output::read(parquet).unwrap();
    assert_eq!(df.height(), 1);
    assert_eq!(strings(&df, "accession_number"), ["0000948708-21-000010"]);
    assert_eq!(i64s(&df, "cik"), [Some(948708)]);
    assert_eq!(strings(&df, "company_name"), ["SMITH MICRO SOFTWARE, INC."]);
    assert_eq!(strings(&df, "form"), ["10-K"]);
    assert_eq!(strings(&df, "sic"), ["7372"]);
    assert_eq!(strings(&df, "state_of_incorporation"), ["DE"]);
    assert_eq!(strings(&df, "item1_status"), ["ok"]);
    assert_eq!(
        strings(&df, "source_url"),
        ["https://www.sec.gov/Archives/edgar/data/948708/000094870821000010/smsi-20201231.htm"]
    );
    let filed = df
        .column("filing_date")
        .unwrap()
        .cast(&polars::prelude::DataType::String)
        .unwrap();
    assert_eq!(filed.str().unwrap().get(0), Some("2021-02-26"));
    let fy: Vec<Option<i32>> = df
        .column("fiscal_year")
        .unwrap()
        .i32()
        .unwrap()
        .iter()
        .collect();
    assert_eq!(fy, [Some(2020)]);

    let text = &strings(&df, "item1_text")[0];
    assert!(text.starts_with("General"), "{}", &text[..80]);
    assert!(text.contains("Human Capital Resources"));
    assert!(
        !text.contains("RISK FACTORS"),
        "Item 1A is not part of Item 1"
    );
    assert!(!text.contains("TABLE OF CONTENTS"));

    let summary = &strings(&df, "summary")[0];
    let tokens = i64s(&df, "summary_tokens")[0].unwrap();
    let counted = tenk::summarize::tokens::Tokenizer::by_name("cl100k_base")
        .unwrap()
        .count(summary) as i64;
    assert_eq!(tokens, counted);
    assert!(tokens <= 512 && tokens > 100, "{tokens} tokens");
    for product in ["SafePath", "CommSuite", "ViewSpot"] {
        assert!(
            summary.contains(product),
            "summary names {product}: {summary}"
        );
    }
    assert_eq!(strings(&df, "summarizer"), ["extractive"]);
    assert_eq!(strings(&df, "tokenizer"), ["cl100k_base"]);
    assert_eq!(strings(&df, "document_sha256")[0].len(), 64);
}

#[test]
fn filings_of_three_eras_over_http_and_rerun_upserts() {
    let t = HttpRun::new();
    let parquet = &t.parquet;
    let selection = ["--ticker", "MRK", "--ticker", "aapl", "--cik", "320187"];
    let o = t.run(&selection);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    let df = tenk::output::read(parquet).unwrap();
    assert_eq!(
        strings(&df, "accession_number"),
        [
            "0000950130-96-000896",
            "0000320193-25-000079",
            "0001193125-06-156152"
        ]
    );
    assert_eq!(
        strings(&df, "form"),
        ["10-K405", "10-K", "10-K"],
        "10-K/A skipped"
    );
    assert_eq!(strings(&df, "item1_status"), ["ok", "ok", "ok"]);
    // the mirror's constructed documents: SGML text of 1996, inline XBRL, 2006 HTML
    let texts = strings(&df, "item1_text");
    assert!(texts[0].starts_with("Merck & Co., Inc. (the \"Company\") is a research-based"));
    assert!(texts[0].ends_with("1995 Annual Report to stockholders."));
    assert!(texts[1].starts_with("Company Background\n\nApple designs and sells smartphones"));
    assert!(texts[1].ends_with("as soon as reasonably practicable after they are filed."));
    assert!(texts[2].starts_with("General\n\nNIKE, Inc. was incorporated in 1968"));
    assert!(texts[2].ends_with("represented by works councils."));
    assert!(i64s(&df, "summary_tokens")
        .iter()
        .all(|t| t.is_some_and(|t| t <= 512)));
    // Merck's 10-K405 is only on the older page that filings.files lists; the others are in
    // filings.recent, so no other page is read
    let pages: Vec<String> = t
        .server
        .requests()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| p.contains("-submissions-"))
        .collect();
    assert_eq!(pages, ["submissions/CIK0000064978-submissions-001.json"]);

    // a second run replaces the rows instead of adding to them
    let o = t.run(&selection);
    assert!(o.status.success());
    let df = tenk::output::read(parquet).unwrap();
    assert_eq!(df.height(), 3);
}

#[test]
fn missing_user_agent_stops_before_any_request() {
    let mirror = Mirror::new();
    let server = Server::serve(mirror.path());
    let out = tempfile::tempdir().unwrap();
    let o = tenk(&[
        "run",
        "--ticker",
        "SMSI",
        "--base-url",
        &server.url,
        "--out",
        out.path().join("x.parquet").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("--user-agent")
            && err.contains("TENK_USER_AGENT")
            && err.contains("config/tenk.toml"),
        "{err}"
    );
    assert!(
        server.requests().is_empty(),
        "no request without a User-Agent"
    );
    assert!(!out.path().join("x.parquet").exists());
}

/// Runs `tenk run --mirror` on a fresh fixture mirror for `tickers`; returns the process
/// output, the Parquet path and the folder that holds it (kept alive by the caller).
fn run_on_mirror(
    tickers: &[&str],
) -> (std::process::Output, std::path::PathBuf, tempfile::TempDir) {
    let mirror = Mirror::new();
    let out = tempfile::tempdir().unwrap();
    let parquet = out.path().join("s.parquet");
    let mut args = vec!["run", "--mirror", mirror.path().to_str().unwrap()];
    for t in tickers {
        args.extend(["--ticker", t]);
    }
    args.extend(["--out", parquet.to_str().unwrap()]);
    (tenk(&args), parquet, out)
}

#[test]
fn mirror_run_skips_unknown_tickers_and_says_so() {
    let (o, parquet, _out) = run_on_mirror(&["NOSUCH", "SMSI"]);
    assert_eq!(o.status.code(), Some(3), "some of the selection failed");
    assert!(stderr(&o).contains("NOSUCH"), "{}", stderr(&o));
    let df = tenk::output::read(&parquet).unwrap();
    assert_eq!(strings(&df, "accession_number"), ["0000948708-21-000010"]);
}

#[test]
fn show_prints_rows_readably() {
    let (o, parquet, _out) = run_on_mirror(&["SMSI"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = tenk(&["show", parquet.to_str().unwrap()]);
    assert!(o.status.success());
    let s = stdout(&o);
    assert!(s.contains("SMITH MICRO SOFTWARE, INC.") && s.contains("2021-02-26"));
    assert!(s.contains("SafePath"));
    assert!(
        s.lines().all(|l| l.chars().count() <= 200),
        "summary wrapped"
    );
}

#[test]
fn list_files_and_years_select_filings_from_older_pages() {
    let t = HttpRun::new();
    let dir = tempfile::tempdir().unwrap();
    let tickers = dir.path().join("tickers.txt");
    std::fs::write(&tickers, "# our watch list\nSMSI\n\nmrk  Merck\n").unwrap();
    let ciks = dir.path().join("ciks.txt");
    std::fs::write(&ciks, "320187\n").unwrap();
    let o = t.run(&[
        "--tickers-file",
        tickers.to_str().unwrap(),
        "--cik-file",
        ciks.to_str().unwrap(),
        "--years",
        "1995..2006",
    ]);
    // SMSI has no 10-K of those years: said on stderr, exit 3, the others are written
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("SMSI"), "{}", stderr(&o));
    let df = tenk::output::read(&t.parquet).unwrap();
    assert_eq!(
        strings(&df, "accession_number"),
        ["0000950130-96-000896", "0001193125-06-156152"]
    );

    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "not-a-cik\n").unwrap();
    let o = t.run(&["--cik-file", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("bad.txt entry 1"), "{}", stderr(&o));
}

#[test]
fn a_rerun_is_served_from_the_cache_and_offline_fetches_nothing() {
    let t = HttpRun::new();
    let o = t.run(&["--ticker", "SMSI"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let first = t.server.requests().len();
    assert_eq!(first, 3);
    // within the time-to-live nothing is fetched again, Archives documents never are
    let o = t.run(&["--ticker", "SMSI", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(t.server.requests().len(), first);
    let o = t.run(&["--ticker", "SMSI", "--offline"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(t.server.requests().len(), first);
    // --no-cache goes to the server
    let o = t.run(&["--ticker", "SMSI", "--no-cache", "--force"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(t.server.requests().len(), 2 * first);
    // offline with an empty cache: a clear error, and still no request
    let empty = tempfile::tempdir().unwrap();
    let o = common::tenk_with_env(
        &[
            "run",
            "--ticker",
            "SMSI",
            "--offline",
            "--base-url",
            &t.server.url,
            "--out",
            t.parquet.to_str().unwrap(),
        ],
        &[("TENK_CACHE_DIR", empty.path().to_str().unwrap())],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--offline"), "{}", stderr(&o));
    assert_eq!(t.server.requests().len(), 2 * first);
}

#[test]
fn a_quarter_from_the_index_files_finds_what_the_submissions_api_finds() {
    let t = HttpRun::new();
    let o = t.run(&["--quarter", "1996Q1"]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    let df = tenk::output::read(&t.parquet).unwrap();
    // the 10-K405 only: the 8-K, 10-Q and (without --include-amendments) 10-K/A are not
    assert_eq!(strings(&df, "accession_number"), ["0000950130-96-000896"]);
    // primary document and metadata come from the submissions, as with --cik
    assert_eq!(
        strings(&df, "source_url"),
        ["https://www.sec.gov/Archives/edgar/data/64978/000095013096000896/0000950130-96-000896.txt"]
    );
    assert_eq!(strings(&df, "sic"), ["2834"]);
    assert_eq!(strings(&df, "item1_status"), ["ok"]);
    let paths: Vec<String> = t.server.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths[0], "Archives/edgar/full-index/1996/QTR1/form.idx");

    let by_cik = HttpRun::new();
    let o = by_cik.run(&["--cik", "64978"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let df2 = tenk::output::read(&by_cik.parquet).unwrap();
    assert_eq!(
        strings(&df2, "accession_number"),
        strings(&df, "accession_number")
    );
    assert_eq!(strings(&df2, "source_url"), strings(&df, "source_url"));

    // a finished quarter with neither a full index nor a daily listing is a gap in the
    // data, not a quarter without filings: named, exit 3, and no day is guessed
    let before = t.server.requests().len();
    let o = t.run(&["--from", "1996-04-01", "--to", "1996-04-03"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("Archives/edgar/full-index/1996/QTR2/form.idx"),
        "{}",
        stderr(&o)
    );
    let paths: Vec<String> = t.server.requests()[before..]
        .iter()
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(
        paths,
        [
            "Archives/edgar/full-index/1996/QTR2/form.idx",
            "Archives/edgar/daily-index/1996/QTR2/index.json"
        ]
    );

    // the quarter still running has no full index yet and maybe no listing: each weekday's
    // daily index is tried under today's naming, and a day without one (a holiday, today)
    // is quiet
    let today = chrono::Utc::now().date_naive();
    let quarter = (today.month0() / 3) + 1;
    let quarter_start = chrono::NaiveDate::from_ymd_opt(today.year(), quarter * 3 - 2, 1).unwrap();
    let from = quarter_start.max(today - chrono::Days::new(6));
    let before = t.server.requests().len();
    let o = t.run(&["--from", &from.to_string(), "--to", &today.to_string()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let days: Vec<String> = t.server.requests()[before..]
        .iter()
        .map(|r| r.path.clone())
        .filter(|p| p.contains("daily-index"))
        .collect();
    let folder = format!("Archives/edgar/daily-index/{}/QTR{quarter}/", today.year());
    let mut expected = vec![format!("{folder}index.json")];
    let mut day = from;
    while day <= today {
        if day.weekday().num_days_from_monday() < 5 {
            expected.push(format!("{folder}form.{}.idx", day.format("%Y%m%d")));
        }
        day = day.succ_opt().unwrap();
    }
    assert_eq!(days, expected);
}
