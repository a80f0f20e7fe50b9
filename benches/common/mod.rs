//! What every benchmark measures the same way: CPU time per item on one thread, wall time
//! on all cores, peak RSS.

#![allow(dead_code)] // each bench uses a different part of this module

use std::time::Duration;

/// CPU time of this thread so far, from the kernel's nanosecond schedstat (the utime ticks
/// of /proc are 10 ms, too coarse for one filing).
pub fn thread_cpu_time() -> Duration {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let ns: u64 = s
        .split_whitespace()
        .next()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(ns)
}

/// The process's high-water mark of resident memory (VmHWM), in MB.
pub fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs `f` on each item on this thread and prints the mean, p95 and max CPU time.
pub fn cpu_per_item<T>(label: &str, items: &[T], mut f: impl FnMut(&T)) {
    let mut times: Vec<Duration> = items
        .iter()
        .map(|item| {
            let t = thread_cpu_time();
            f(item);
            thread_cpu_time() - t
        })
        .collect();
    times.sort();
    let mean = times.iter().sum::<Duration>() / times.len().max(1) as u32;
    let p95 = times[(times.len() * 95).div_ceil(100).max(1) - 1];
    let max = times[times.len() - 1];
    println!(
        "CPU per {label:<10} mean {:.1} ms, p95 {:.1} ms, max {:.1} ms",
        ms(mean),
        ms(p95),
        ms(max)
    );
}
