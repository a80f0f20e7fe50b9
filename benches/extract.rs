//! `just bench-extract`: document cleaning + Item 1 finding over every filing of
//! ../shared/corpus/filings.
//!
//! Pass 1 runs the files one after another on one thread and times each (thread CPU time as
//! reported by the kernel): mean and p95 per filing. Pass 2 runs them all on rayon with every
//! core: total wall time. Peak RSS is the process high-water mark (VmHWM) at the end.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

fn thread_cpu_time() -> Duration {
    // utime + stime of this thread, in clock ticks (100 Hz on Linux) – too coarse per file,
    // so read the nanosecond schedstat instead when available.
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let ns: u64 = s
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(ns)
}

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn extract(raw: &[u8]) -> usize {
    let text = tenk::document::clean_text(raw, tenk::document::TableMode::Drop);
    tenk::item1::find(&text).text.len()
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
    let mut bytes = 0;
    // files are read one at a time, as the pipeline does: peak RSS is the working set
    let mut per_file: Vec<Duration> = files
        .iter()
        .map(|p| {
            let d = read(p);
            bytes += d.len();
            let t = thread_cpu_time();
            std::hint::black_box(extract(&d));
            thread_cpu_time() - t
        })
        .collect();
    per_file.sort();
    let mean = per_file.iter().sum::<Duration>() / per_file.len() as u32;
    let p95 = per_file[(per_file.len() * 95).div_ceil(100) - 1];
    let max = per_file[per_file.len() - 1];

    let t = Instant::now();
    let found = files
        .par_iter()
        .map(|p| extract(&read(p)))
        .filter(|n| *n > 0)
        .count();
    let wall = t.elapsed();

    println!(
        "filings            {} ({:.1} MB)",
        files.len(),
        bytes as f64 / 1e6
    );
    println!("Item 1 found       {found}");
    println!(
        "CPU per filing     mean {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        ms(mean),
        ms(p95),
        ms(max)
    );
    println!(
        "wall, all filings  {:.2} s on {} threads",
        wall.as_secs_f64(),
        rayon::current_num_threads()
    );
    println!("peak RSS           {:.0} MB", peak_rss_mb());
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
