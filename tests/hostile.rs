//! Odd and hostile input to `extract` and `summarize`: every case ends with a status and a
//! clear message, never a panic. Work is linear in the input (a one-pass scanner, no
//! recursion); memory is a few copies of it. Speed is measured by `just bench-extract`, not
//! here.

mod common;

use std::path::Path;

use common::{stderr, stdout, tenk};

/// Runs `extract --json` and `summarize` on `bytes`; returns (extract status, output).
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
    let d = dir.path();
    assert_eq!(both(d, "empty.htm", b"").0, "not_found");
    let binary: Vec<u8> = (0..200_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    assert_eq!(both(d, "binary.bin", &binary).0, "not_found");
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nstream\n\x00\xff\xfe\x80 BT /F1 12 Tf (Item 1) Tj ET\nendstream\n%%EOF";
    assert_eq!(both(d, "filing.pdf", pdf).0, "not_found");
    let nested = "<div>".repeat(100_000) + "Item 1. Business" + &"</div>".repeat(100_000);
    both(d, "nested.htm", nested.as_bytes());
    // invalid UTF-8: read as cp1252, nothing lost
    let mut cp1252 = b"ITEM 1. BUSINESS\n\nThe Company\x92s products are sold to retailers \x96 and to distributors \x97 in 40 countries.\n".to_vec();
    cp1252.extend_from_slice(
        &b"The Company sells its products through dealers and its own stores. ".repeat(30),
    );
    cp1252.extend_from_slice(b"\nITEM 2. PROPERTIES\n\nNone.\n");
    let (status, s) = both(d, "cp1252.txt", &cp1252);
    assert_eq!(status, "ok");
    assert!(
        stdout(&s).contains("Company\u{2019}s products"),
        "{}",
        stdout(&s)
    );
    // not a 10-K at all
    let letter =
        "<html><body><p>Dear shareholder, thank you for your support this year.</p></body></html>";
    assert_eq!(both(d, "letter.htm", letter.as_bytes()).0, "not_found");
    // Item 1 with no end: the section runs to the end of the document
    let open = format!(
        "<p>ITEM 1. BUSINESS</p><p>{}</p>",
        "We make valves for water utilities and sell them through distributors. ".repeat(50)
    );
    assert_eq!(both(d, "no-end.htm", open.as_bytes()).0, "ok");
    // one sentence of 50,000 words: no prose sentence to pick, a clear message
    let long = format!(
        "ITEM 1. BUSINESS\n\n{}.\n",
        "word ".repeat(50_000).trim_end()
    );
    let (status, s) = both(d, "one-sentence.txt", long.as_bytes());
    assert_eq!(status, "ok");
    assert_eq!(s.status.code(), Some(2), "{}", stderr(&s));
    assert!(stderr(&s).contains("no prose"), "{}", stderr(&s));
}

#[test]
fn a_200_mb_html_file_is_read_in_bounded_time() {
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
