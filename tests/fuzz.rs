//! Fuzzing document cleaning, finding every item (Item 1 first) and the extractive summary
//! with proptest.
//!
//! Inputs are windows of real corpus filings (html, inline XBRL, SGML txt of every era)
//! mutated with the tokens those parsers care about: tags half-open and nested deep, hidden
//! blocks, entities and legacy references, SGML envelopes, page breaks, item headings, soft
//! hyphens, invalid UTF-8. Every input must come through without a panic and with
//! consistent results: offsets inside the clean text and pointing at the reported section,
//! char offsets matching byte offsets, a summary within its budget.
//!
//! The suite runs proptest's default number of cases; a long run sets `PROPTEST_CASES`
//! (README: "Fuzzing"). A failing input is shrunk and kept in `proptest-regressions/`,
//! which every later run replays first. Without the corpus the fuzzing is skipped.

mod common;

use proptest::prelude::*;
use tenk::document::TableMode;
use tenk::summarize::{extractive::Extractive, tokens::Tokenizer, Summarizer};

/// What the parsers look for, and what breaks them.
const TOKENS: &[&[u8]] = &[
    b"<",
    b">",
    b"</",
    b"<p>",
    b"</p>",
    b"<div>",
    b"</div>",
    b"<table><tr><td>",
    b"</td><td>",
    b"</tr></table>",
    b"<li>",
    b"<br/>",
    b"<b>Item 1.</b>Business",
    b"<div style=\"display:none\">",
    b"<p style=\"page-break-before:always\">",
    b"<ix:header>",
    b"</ix:header>",
    b"<script>",
    b"</script>",
    b"<style>",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"&#146;",
    b"&#151;",
    b"&#x2014;",
    b"&amp;",
    b"&nbsp;",
    b"&",
    b"&#",
    b"&#99999999999;",
    b"\xc2\xad",
    b"\xe2\x80\x8b",
    b"\xff\xfe",
    b"\xc3",
    b"\x00",
    b"\x0c",
    b"\r\n",
    b"\n\n\n",
    b"\n      12\n",
    b"<PAGE>",
    b"<DOCUMENT>",
    b"</DOCUMENT>",
    b"<TYPE>10-K\n",
    b"<TYPE>EX-99\n",
    b"<TEXT>",
    b"</TEXT>",
    b"<PRE>",
    b"</PRE>",
    b"-----BEGIN PRIVACY-ENHANCED MESSAGE-----\n",
    b"<IMS-HEADER>",
    b"\nPART I\n",
    b"\nITEM 1. BUSINESS\n",
    b"\nItem 1 \xe2\x80\x93 Business\n",
    b"\nItems 1 and 2. Business and Properties\n",
    b"\nItem 1. Description of Business\n",
    b"\nItem 1A. Risk Factors\n",
    b"\nItem 2. Properties\n",
    b"\nItem 1. Financial Statements\n",
    b"see Item 1. Business",
    b"\nItem 1 Business\nPage 3\n",
    b"\nItem 1 Business 3-7\n",
    b"\nItem 7 Management's Discussion Page 8\n",
    b"\nPage 3\n",
    b"\x0c\nAnnual Report 2023 | 3\n",
    b"\nBUSINESS SUMMARY\n",
    b"\nItem 1 Business Our Business\n",
    b"\nItem 7 Management's Discussion Financial Review\n",
    b"\nOUR BUSINESS\n",
    b"\nFINANCIAL REVIEW\n",
    b"\nTable of Contents\n",
    b"is incorporated herein by reference",
    b"Inc. U.S. No. e.g. $7.9 million. ",
];

/// One change to the input.
#[derive(Debug, Clone)]
enum Mutation {
    /// Insert a token at a position (a fraction of the length, in 1/65536).
    Insert(u16, usize),
    /// The same token many times: deep nesting, long runs.
    Repeat(u16, usize, u16),
    Delete(u16, u16),
    Duplicate(u16, u16),
    Byte(u16, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let token = 0..TOKENS.len();
    prop_oneof![
        4 => (any::<u16>(), token.clone()).prop_map(|(p, t)| Mutation::Insert(p, t)),
        1 => (any::<u16>(), token, 1..3000u16).prop_map(|(p, t, n)| Mutation::Repeat(p, t, n)),
        2 => (any::<u16>(), any::<u16>()).prop_map(|(p, n)| Mutation::Delete(p, n)),
        1 => (any::<u16>(), any::<u16>()).prop_map(|(p, n)| Mutation::Duplicate(p, n)),
        2 => (any::<u16>(), any::<u8>()).prop_map(|(p, b)| Mutation::Byte(p, b)),
    ]
}

fn at(doc: &[u8], frac: u16) -> usize {
    doc.len() * usize::from(frac) / 65536
}

fn apply(doc: &mut Vec<u8>, m: &Mutation) {
    match *m {
        Mutation::Insert(p, t) => {
            let i = at(doc, p);
            doc.splice(i..i, TOKENS[t].iter().copied());
        }
        Mutation::Repeat(p, t, n) => {
            let i = at(doc, p);
            let run: Vec<u8> = TOKENS[t].repeat(usize::from(n));
            doc.splice(i..i, run);
        }
        Mutation::Delete(p, n) => {
            let i = at(doc, p);
            let j = (i + usize::from(n)).min(doc.len());
            doc.drain(i..j);
        }
        Mutation::Duplicate(p, n) => {
            let i = at(doc, p);
            let j = (i + usize::from(n)).min(doc.len());
            let copy = doc[i..j].to_vec();
            doc.splice(j..j, copy);
        }
        Mutation::Byte(p, b) => {
            let i = at(doc, p);
            if let Some(x) = doc.get_mut(i) {
                *x = b;
            }
        }
    }
}

/// A window of up to 96 KB of one of the filings (its start, where the headers and the
/// table of contents are, half the time), with mutations.
fn document(filings: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    (
        0..filings.len(),
        any::<bool>(),
        any::<u32>(),
        1..96 * 1024usize,
        prop::collection::vec(mutation(), 0..16),
    )
        .prop_map(move |(f, from_start, offset, len, mutations)| {
            let raw = &filings[f];
            let start = if from_start {
                0
            } else {
                offset as usize % raw.len()
            };
            let mut doc = raw[start..(start + len).min(raw.len())].to_vec();
            for m in &mutations {
                apply(&mut doc, m);
            }
            doc
        })
}

#[test]
fn cleaning_items_and_summary_hold_on_mutated_filings() {
    let Some(corpus) = common::corpus("tests/fuzz.rs fuzzing of corpus filings") else {
        return;
    };
    let filings = common::files_below(&corpus.join("filings"))
        .iter()
        .map(|f| std::fs::read(f).unwrap())
        .collect();
    let summarizer = Extractive::new(Tokenizer::by_name("cl100k_base").unwrap(), 512);
    proptest!(|(doc in document(filings))| {
        let clean = tenk::document::clean(&doc, TableMode::Drop);
        let text = clean.text.as_str();
        // every item, Item 1 first
        let sections = tenk::items::Sections::new(&clean).all();
        for item in &sections {
            prop_assert!(item.start_byte <= item.end_byte && item.end_byte <= text.len());
            prop_assert_eq!(&text[item.start_byte..item.end_byte], item.text.as_str());
            prop_assert_eq!(text[..item.start_byte].chars().count(), item.start_char);
            prop_assert_eq!(text[..item.end_byte].chars().count(), item.end_char);
            prop_assert!((0.0..=1.0).contains(&item.confidence));
            if !item.status.has_text() {
                prop_assert!(item.text.is_empty());
            }
        }
        let summary = summarizer.summarize(&sections[0].text).unwrap();
        prop_assert!(summary.tokens <= 512);
        let kept = TableMode::Keep;
        let _ = tenk::item1::locate(&tenk::document::clean(&doc, kept));
    });
}
