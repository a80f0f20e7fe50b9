//! The extractive summarizer on every gold Item 1 text of the corpus (`gold/item1`): within
//! budget, verbatim, deterministic, wholly grounded, and free of headings and page furniture.
//! Without the corpus the check is skipped.

mod common;

use tenk::summarize::{
    extractive::Extractive, grounding::grounding, sentences, tokens::Tokenizer, Summarizer,
};

#[test]
fn summaries_of_all_gold_sections_are_verbatim_deterministic_and_within_budget() {
    let Some(corpus) = common::corpus("tests/extractive.rs summaries of the gold sections") else {
        return;
    };
    let files = common::files_below(&corpus.join("gold/item1"));
    assert!(files.len() >= 70, "{} gold texts", files.len());
    let tokenizer = Tokenizer::by_name("cl100k_base").unwrap();
    let s = Extractive::new(tokenizer, 512);
    for f in &files {
        let section = std::fs::read_to_string(f).unwrap();
        let a = s.summarize(&section).unwrap();
        let name = f.file_name().unwrap().to_string_lossy();
        assert!(a.tokens <= 512, "{name}: {} tokens", a.tokens);
        assert_eq!(
            a.tokens,
            tokenizer.count(&a.text),
            "{name}: token count reported"
        );
        assert!(!a.text.is_empty(), "{name}: empty summary");
        assert_eq!(
            a,
            s.summarize(&section).unwrap(),
            "{name}: not deterministic"
        );
        let flat = section.split_whitespace().collect::<Vec<_>>().join(" ");
        for sent in sentences::split(&a.text) {
            assert!(flat.contains(sent), "{name}: not verbatim: {sent}");
            // a sentence, not a heading fragment or a page number
            assert!(
                sent.ends_with(['.', '!', '?', '"', '”', ')']) && sent.split(' ').count() >= 6,
                "{name}: not a sentence: {sent:?}"
            );
            assert!(
                !sent.starts_with("Item ") && !sent.starts_with("ITEM "),
                "{name}: heading in summary: {sent:?}"
            );
        }
        assert!(!a.text.contains('\n'), "{name}: one paragraph");
        // every figure and name of a verbatim summary is in its section
        assert_eq!(grounding(&a.text, &section), 1.0, "{name}: grounding");
    }
}
