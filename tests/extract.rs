//! `tenk extract` and `tenk summarize` on the constructed 10-Ks of the fixture mirror, and on
//! real corpus filings that show a layout of their own.

mod common;

use common::{stderr, stdout, tenk};

/// A document of the fixture mirror, by its path below `Archives/edgar/data`.
fn mirror_document(path: &str) -> String {
    common::fixture("edgar/Archives/edgar/data")
        .join(path)
        .display()
        .to_string()
}

/// A filing of the corpus, for the check `what`; `None` when the corpus is absent.
fn corpus_filing(what: &str, name: &str) -> Option<String> {
    let corpus = common::corpus(what)?;
    Some(corpus.join("filings").join(name).display().to_string())
}

#[test]
fn extract_prints_item1_of_an_sgml_submission() {
    let o = tenk(&[
        "extract",
        &mirror_document("64978/000095013096000896/0000950130-96-000896.txt"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // the section runs over three pages: their numbers and <PAGE> markers are gone
    assert!(
        !out.lines()
            .any(|l| ["2", "3", "<PAGE>", "<TABLE>"].contains(&l.trim())),
        "{out}"
    );
    let t = out.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(t.starts_with(
        "Merck & Co., Inc. (the \"Company\") is a research-based health products company."
    ));
    assert!(
        t.ends_with("1995 Annual Report to stockholders."),
        "{}",
        &t[t.len() - 200..]
    );
    assert!(
        t.contains("Managed prescription drug programs"),
        "tables are text"
    );
    assert!(!t.contains("ITEM 2. PROPERTIES") && !t.contains("FINANCIAL REVIEW"));
}

#[test]
fn extract_json_reports_status_heading_and_offsets() {
    let o = tenk(&[
        "extract",
        "--json",
        &mirror_document("320187/000119312506156152/d10k.htm"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["status"], "ok");
    assert!(v["heading"]
        .as_str()
        .unwrap()
        .to_lowercase()
        .contains("business"));
    let (s, e) = (
        v["start_char"].as_u64().unwrap(),
        v["end_char"].as_u64().unwrap(),
    );
    let text = v["text"].as_str().unwrap();
    assert_eq!(e - s, text.chars().count() as u64);
    assert!(v["confidence"].as_f64().unwrap() > 0.5);
    // the body's heading, not the table of contents', and the section up to Item 1A
    assert!(text.starts_with("General\n\nNIKE, Inc. was incorporated in 1968"));
    assert!(text.ends_with("represented by works councils."), "{text}");
    assert!(!text.contains("Table of Contents") && !text.lines().any(|l| l == "2"));
}

#[test]
fn extract_without_item1_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("letter.htm");
    std::fs::write(
        &f,
        "<html><body><p>Dear shareholders, thank you.</p></body></html>",
    )
    .unwrap();
    let o = tenk(&["extract", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    assert!(
        stderr(&o).contains("no Item 1") && stderr(&o).contains("letter.htm"),
        "{}",
        stderr(&o)
    );

    let o = tenk(&["extract", "/no/such/file.htm"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("/no/such/file.htm"));
}

#[test]
fn summarize_takes_a_document_or_a_plain_section() {
    let dir = tempfile::tempdir().unwrap();
    let section = common::seed_section_file(dir.path(), 1);
    let from_section = tenk(&["summarize", section.to_str().unwrap()]);
    let from_doc = tenk(&[
        "summarize",
        &mirror_document("948708/000094870821000010/smsi-20201231.htm"),
    ]);
    assert!(from_section.status.success() && from_doc.status.success());
    for o in [&from_section, &from_doc] {
        let s = stdout(o);
        let n = tenk::summarize::tokens::Tokenizer::by_name("cl100k_base")
            .unwrap()
            .count(&s);
        assert!(n > 100 && n <= 512, "{n} tokens");
        assert!(s.contains("Smith Micro"));
    }
}

#[test]
fn extract_reads_html_that_wraps_text_in_pre() {
    let what = "tests/extract.rs HTML filing wrapped in <pre>";
    let Some(file) = corpus_filing(what, "0000922907-08-000774.htm") else {
        return;
    };
    let o = tenk(&["extract", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    assert!(
        t.starts_with("Southwest Iowa Renewable Energy, LLC"),
        "{}",
        &t[..200]
    );
    assert!(!t.contains('<') && !t.contains("&amp;"));
    // <pre> keeps the filer's line breaks
    assert!(t.lines().count() > 500);
}

#[test]
fn extract_drops_running_headers_inside_item1() {
    let what = "tests/extract.rs filing with running footers";
    let Some(file) = corpus_filing(what, "0001166691-24-000011.htm") else {
        return;
    };
    let o = tenk(&["extract", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o);
    // the footer "<Company> 2023 Annual Report on Form 10-K" stands at the foot of every page
    assert!(t.len() > 50_000);
    assert!(
        !t.lines()
            .any(|l| l.ends_with("2023 Annual Report on Form 10-K")),
        "running footer left in the section"
    );
}

#[test]
fn extract_reads_a_cross_reference_index_that_maps_item1_to_a_page() {
    // a report in its own order: no Item 1 heading in the body; the index at the end says
    // "Item 1 Business … Page 3", and the printed page numbers are in running footers
    let what = "tests/extract.rs filing with a cross-reference index";
    let Some(file) = corpus_filing(what, "0000063908-24-000072.htm") else {
        return;
    };
    let o = tenk(&["extract", "--json", &file]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["method"], "cross_reference");
    assert_eq!(v["heading"], "BUSINESS SUMMARY");
    let text = v["text"].as_str().unwrap();
    assert!(text.starts_with("GENERAL\n\nFor the year ended December 31, 2023"));
    assert!(text.ends_with("earnings or competitive position."));
    assert!(!text.contains("Annual Report 5"), "running footers gone");
}
