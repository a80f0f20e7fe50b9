//! `just bench-extract`: document cleaning + finding Item 1, and cleaning + finding every
//! item (`tenk extract --items all`), over every filing of ../shared/corpus/filings.
//!
//! Pass 1 runs the files one after another on one thread and times each (thread CPU time as
//! reported by the kernel, reading the file included): mean and p95 per filing, once for
//! Item 1 and once for all 23 items. Pass 2 runs them all on rayon with every core, all
//! items: total wall time. Peak RSS is the process high-water mark (VmHWM) at the end.

mod common;

use std::path::PathBuf;
use std::time::Instant;

use common::{cpu_per_item, peak_rss_mb};
use rayon::prelude::*;

fn extract(raw: &[u8]) -> usize {
    let doc = tenk::document::clean(raw, tenk::document::TableMode::default());
    tenk::item1::locate(&doc).text.len()
}

/// Every item of the document: the bytes of the sections found.
fn extract_all(raw: &[u8]) -> usize {
    let doc = tenk::document::clean(raw, tenk::document::TableMode::default());
    let sections = tenk::items::Sections::new(&doc).all();
    sections.iter().map(|s| s.text.len()).sum()
}

fn main() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/filings");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    let read = |p: &PathBuf| std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let bytes: u64 = files
        .iter()
        .map(|p| p.metadata().map_or(0, |m| m.len()))
        .sum();
    println!(
        "filings            {} ({:.1} MB)",
        files.len(),
        bytes as f64 / 1e6
    );
    // files are read one at a time, as the pipeline does: peak RSS is the working set
    cpu_per_item("filing", &files, |p| {
        let raw = read(p);
        std::hint::black_box(extract(&raw));
    });
    cpu_per_item("filing, all items", &files, |p| {
        let raw = read(p);
        std::hint::black_box(extract_all(&raw));
    });

    let t = Instant::now();
    let found = files
        .par_iter()
        .map(|p| extract_all(&read(p)))
        .filter(|n| *n > 0)
        .count();
    let wall = t.elapsed();
    println!("sections found in  {found} filings");
    println!(
        "wall, all filings, all items  {:.2} s on {} threads",
        wall.as_secs_f64(),
        rayon::current_num_threads()
    );
    println!("peak RSS           {:.0} MB", peak_rss_mb());
}
