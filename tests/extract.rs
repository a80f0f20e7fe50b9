//! `tenk extract` and `tenk summarize` on real corpus filings.

mod common;

use common::{corpus_file, stderr, stdout, tenk};

#[test]
fn extract_prints_item1_of_an_sgml_submission() {
    let o = tenk(&["extract", &corpus_file("0000950130-96-000896.txt")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t = stdout(&o).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(t.starts_with("Merck & Co., Inc. is a leading research-driven"));
    assert!(
        t.ends_with("1995 Annual Report to stockholders."),
        "{}",
        &t[t.len() - 200..]
    );
    assert!(!t.contains("ITEM 2. PROPERTIES"));
}

#[test]
fn extract_json_reports_status_heading_and_offsets() {
    let o = tenk(&[
        "extract",
        "--json",
        &corpus_file("0001193125-06-156152.htm"),
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
    assert_eq!(e - s, v["text"].as_str().unwrap().chars().count() as u64);
    assert!(v["confidence"].as_f64().unwrap() > 0.5);
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
    let gold = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/corpus/gold/item1/0000950130-96-000896.txt");
    let from_section = tenk(&["summarize", gold.to_str().unwrap()]);
    let from_doc = tenk(&["summarize", &corpus_file("0000950130-96-000896.txt")]);
    assert!(from_section.status.success() && from_doc.status.success());
    for o in [&from_section, &from_doc] {
        let s = stdout(o);
        let n = tenk::summarize::tokens::Tokenizer::by_name("cl100k_base")
            .unwrap()
            .count(&s);
        assert!(n > 100 && n <= 512, "{n} tokens");
        assert!(s.contains("Merck"));
    }
}

#[test]
fn extract_reads_html_that_wraps_text_in_pre() {
    let o = tenk(&["extract", &corpus_file("0000922907-08-000774.htm")]);
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
    let file = corpus_file("0001166691-24-000011.htm");
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
    let o = tenk(&[
        "extract",
        "--json",
        &corpus_file("0000063908-24-000072.htm"),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["method"], "cross_reference");
    assert_eq!(v["heading"], "BUSINESS SUMMARY");
    let text = v["text"].as_str().unwrap();
    assert!(text.starts_with("GENERAL\n\nFor the year ended December 31, 2023"));
    assert!(text.ends_with("earnings or competitive position."));
    assert!(!text.contains("Annual Report 5"), "running footers gone");
}
