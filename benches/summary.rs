//! `just bench-summary`: the extractive summarizer over every gold Item 1 text of
//! ../shared/corpus/gold/item1.
//!
//! Pass 1 summarizes the sections one after another on one thread (thread CPU time per
//! section: mean, p95); pass 2 all of them on rayon with every core (wall time). The
//! tokenizer's one-time table build is done before timing, as a long run pays it once.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::{cpu_per_item, peak_rss_mb};
use rayon::prelude::*;
use tenk::summarize::{extractive::Extractive, tokens::Tokenizer, Summarizer};

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/gold/item1");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    let sections: Vec<String> = files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect();
    let tokenizer = Tokenizer::by_name("cl100k_base").expect("tokenizer");
    tokenizer.count("warm up");
    let summarizer = Extractive::new(tokenizer, 512);
    let chars: usize = sections.iter().map(String::len).sum();
    println!(
        "sections           {} ({:.1} MB)",
        sections.len(),
        chars as f64 / 1e6
    );
    let mut max_tokens = 0;
    cpu_per_item("section", &sections, |s| {
        let summary = summarizer.summarize(s).expect("summary");
        max_tokens = max_tokens.max(summary.tokens);
    });
    let t = Instant::now();
    let n = sections
        .par_iter()
        .filter(|s| summarizer.summarize(s).is_ok_and(|x| !x.text.is_empty()))
        .count();
    let wall = t.elapsed();
    println!("summaries          {n}, longest {max_tokens} tokens");
    println!(
        "wall, all sections {:.2} s on {} threads",
        wall.as_secs_f64(),
        rayon::current_num_threads()
    );
    println!("peak RSS           {:.0} MB", peak_rss_mb());
}
