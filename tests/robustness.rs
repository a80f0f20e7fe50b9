//! Every corpus filing, cut off at random points (seeded, so failures reproduce), goes
//! through cleaning, Item 1 finding and summarizing without a panic, and what comes out is
//! consistent: offsets point at the text reported, summaries stay within budget. Without
//! the corpus the check is skipped.

mod common;

use common::Rng;
use tenk::summarize::{extractive::Extractive, tokens::Tokenizer, Summarizer};

#[test]
fn truncated_filings_never_panic() {
    let Some(corpus) = common::corpus("tests/robustness.rs truncated corpus filings") else {
        return;
    };
    let files = common::files_below(&corpus.join("filings"));
    assert!(files.len() >= 100, "the corpus has {} filings", files.len());
    let summarizer = Extractive::new(Tokenizer::by_name("cl100k_base").unwrap(), 512);
    let mut rng = Rng(0x7e4b_2025);
    for f in &files {
        let raw = std::fs::read(f).unwrap();
        for _ in 0..2 {
            // cut anywhere, including inside a tag, an entity or a UTF-8 sequence
            let cut = rng.below(raw.len() as u64) as usize;
            let clean = tenk::document::clean(&raw[..cut], tenk::document::TableMode::Drop);
            let item = tenk::item1::locate(&clean);
            assert_eq!(
                &clean.text[item.start_byte..item.end_byte],
                item.text,
                "{} cut at {cut}",
                f.display()
            );
            let s = summarizer.summarize(&item.text).unwrap();
            assert!(s.tokens <= 512, "{} cut at {cut}", f.display());
        }
    }
}
