//! Odd and hostile input to `extract` and `summarize`: every case ends with a status and a
//! clear message, never a panic. Work is linear in the input (a one-pass scanner, no
//! recursion); memory is a few copies of it. Speed is measured by `just bench-extract`, not
//! here.

mod common;

use std::path::Path;

use common::{company_with_10ks, stderr, stdout, tenk, Mirror, USER_AGENT};

/// An odd input and the Item 1 status it must get.
struct Input {
    name: &'static str,
    bytes: Vec<u8>,
    status: &'static str,
}

fn inputs() -> Vec<Input> {
    let input = |name, bytes: Vec<u8>, status| Input {
        name,
        bytes,
        status,
    };
    let binary: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nstream\n\x00\xff\xfe\x80 BT /F1 12 Tf (Item 1) Tj ET\nendstream\n%%EOF";
    let nested = "<div>".repeat(100_000) + "Item 1. Business" + &"</div>".repeat(100_000);
    // invalid UTF-8: read as cp1252, nothing lost
    let mut cp1252 = b"ITEM 1. BUSINESS\n\nThe Company\x92s products are sold to retailers \x96 and to distributors \x97 in 40 countries.\n".to_vec();
    cp1252.extend_from_slice(
        &b"The Company sells its products through dealers and its own stores. ".repeat(30),
    );
    cp1252.extend_from_slice(b"\nITEM 2. PROPERTIES\n\nNone.\n");
    // not a 10-K at all
    let letter =
        "<html><body><p>Dear shareholder, thank you for your support this year.</p></body></html>";
    // Item 1 with no end: the section runs to the end of the document
    let open = format!(
        "<p>ITEM 1. BUSINESS</p><p>{}</p>",
        "We make valves for water utilities and sell them through distributors. ".repeat(50)
    );
    // one sentence of 50,000 words: a section, but no prose sentence to pick
    let long = format!(
        "ITEM 1. BUSINESS\n\n{}.\n",
        "word ".repeat(50_000).trim_end()
    );
    vec![
        input("empty.htm", Vec::new(), "not_found"),
        input("binary.bin", binary, "not_found"),
        input("filing.pdf", pdf.to_vec(), "not_found"),
        input("nested.htm", nested.into_bytes(), "not_found"),
        input("cp1252.txt", cp1252, "ok"),
        input("letter.htm", letter.as_bytes().to_vec(), "not_found"),
        input("no-end.htm", open.into_bytes(), "ok"),
        input("one-sentence.txt", long.into_bytes(), "ok"),
    ]
}

/// Runs `extract --json` and `summarize` on `bytes`; returns (extract status, summarize
/// output).
fn both(dir: &Path, name: &str, bytes: &[u8]) -> (String, std::process::Output) {
    let file = dir.join(name);
    std::fs::write(&file, bytes).unwrap();
    let f = file.to_str().unwrap();
    let e = tenk(&["extract", "--json", f]);
    let s = tenk(&["summarize", f]);
    for o in [&e, &s] {
        let err = stderr(o);
        assert!(!err.contains("panicked"), "{name}: {err}");
        assert!(
            matches!(o.status.code(), Some(0 | 2)),
            "{name}: exit {:?}: {err}",
            o.status.code()
        );
        if o.status.code() == Some(2) {
            assert!(err.starts_with("tenk: "), "{name}: a clear message: {err}");
        }
    }
    let status = if e.status.success() {
        let v: serde_json::Value = serde_json::from_str(&stdout(&e)).unwrap();
        v["status"].as_str().unwrap().to_string()
    } else {
        "not_found".to_string()
    };
    (status, s)
}

#[test]
fn odd_inputs_get_a_status_and_a_message_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    for input in inputs() {
        let (status, s) = both(dir.path(), input.name, &input.bytes);
        assert_eq!(status, input.status, "{}", input.name);
        match input.name {
            "cp1252.txt" => assert!(
                stdout(&s).contains("Company\u{2019}s products"),
                "{}",
                stdout(&s)
            ),
            "one-sentence.txt" => {
                assert_eq!(s.status.code(), Some(2), "{}", stderr(&s));
                assert!(stderr(&s).contains("no prose"), "{}", stderr(&s));
            }
            _ => {}
        }
    }
}

#[test]
fn odd_documents_in_a_mirror_run_become_rows_with_their_status_and_error() {
    const CIK: u64 = 998;
    let mirror = Mirror::new();
    let inputs = inputs();
    let names: Vec<String> = inputs.iter().map(|i| i.name.to_string()).collect();
    let accessions = company_with_10ks(mirror.path(), CIK, &names);
    for (input, acc) in inputs.iter().zip(&accessions) {
        let folder = mirror.path().join(format!(
            "Archives/edgar/data/{CIK}/{}",
            acc.replace('-', "")
        ));
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join(input.name), &input.bytes).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s.parquet");
    let o = tenk(&[
        "run",
        "--cik",
        &CIK.to_string(),
        "--latest",
        &inputs.len().to_string(),
        "--mirror",
        mirror.path().to_str().unwrap(),
        "--user-agent",
        USER_AGENT,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    let df = tenk::output::read(&out).unwrap();
    assert_eq!(df.height(), inputs.len());
    for (acc, status, error) in common::status_rows(&df) {
        let k = accessions.iter().position(|a| *a == acc).unwrap();
        let (name, error) = (inputs[k].name, error.unwrap_or_default());
        assert_eq!(status, inputs[k].status, "{name}");
        match (inputs[k].status, name) {
            ("not_found", _) => assert!(
                error.contains("no Item 1 (Business) heading"),
                "{name}: {error}"
            ),
            (_, "one-sentence.txt") => assert!(error.contains("no prose"), "{name}: {error}"),
            _ => assert_eq!(error, "", "{name}"),
        }
    }
}

/// A 200 MB document is read to its end and its Item 1 found whole. How long that takes and
/// how much memory it needs are measured, not asserted (README, Robustness).
#[test]
fn a_200_mb_html_file_is_read_whole() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("huge.htm");
    let para = "<p style=\"margin:0\">We sell industrial pumps to utilities and contractors through independent distributors.</p>\n";
    let mut body = String::with_capacity(200 << 20);
    body.push_str("<html><body><p>ITEM 1. BUSINESS</p>");
    while body.len() < 200 << 20 {
        body.push_str(para);
    }
    body.push_str("<p>ITEM 2. PROPERTIES</p><p>None.</p></body></html>");
    std::fs::write(&file, &body).unwrap();
    drop(body);
    let o = tenk(&["extract", "--json", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(v["status"], "ok");
    assert!(v["end_char"].as_u64().unwrap() > 100_000_000);
}
