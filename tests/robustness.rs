//! Every corpus filing, cut off at random points (seeded, so failures reproduce), goes
//! through cleaning, Item 1 finding and summarizing without a panic, and what comes out is
//! consistent: offsets point at the text reported, summaries stay within budget.

use std::path::Path;

use tenk::summarize::{extractive::Extractive, tokens::Tokenizer, Summarizer};

/// A small deterministic generator (xorshift64*): no dependency, same cuts on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1) as u64) as usize
    }
}

#[test]
fn truncated_filings_never_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/filings");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 100, "corpus at {}", dir.display());
    let summarizer = Extractive::new(Tokenizer::by_name("cl100k_base").unwrap(), 512);
    let mut rng = Rng(0x7e4b_2025);
    for f in &files {
        let raw = std::fs::read(f).unwrap();
        for _ in 0..2 {
            // cut anywhere, including inside a tag, an entity or a UTF-8 sequence
            let cut = rng.below(raw.len());
            let text = tenk::document::clean_text(&raw[..cut], tenk::document::TableMode::Drop);
            let item = tenk::item1::find(&text);
            assert_eq!(
                &text[item.start_byte..item.end_byte],
                item.text,
                "{} cut at {cut}",
                f.display()
            );
            let s = summarizer.summarize(&item.text).unwrap();
            assert!(s.tokens <= 512, "{} cut at {cut}", f.display());
        }
    }
}
