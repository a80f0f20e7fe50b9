//! How `tenk run` shows a run's progress on stderr: a bar per stage on a terminal, a plain
//! line every ten seconds in a log, nothing with `--quiet`.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use tenk::pipeline::{Observer, Silent, Stage};

/// The observer for stderr: bars on a terminal, plain lines otherwise, none when quiet.
pub fn for_stderr(quiet: bool) -> Box<dyn Observer> {
    if quiet {
        Box::new(Silent)
    } else if std::io::stderr().is_terminal() {
        Box::new(Bars::default())
    } else {
        Box::new(Lines::default())
    }
}

/// One live bar per stage with counts, rate and ETA.
#[derive(Default)]
struct Bars {
    /// fetch, item1, summarize, write; made when the run starts
    bars: Mutex<Option<(MultiProgress, [ProgressBar; 4])>>,
}

fn index(stage: Stage) -> usize {
    match stage {
        Stage::Fetch => 0,
        Stage::Item1 => 1,
        Stage::Summarize => 2,
        Stage::Write => 3,
    }
}

fn styled(bar: ProgressBar) -> ProgressBar {
    if let Ok(style) = ProgressStyle::with_template(
        "{prefix:>9} {pos:>6}/{len} [{bar:30}] {rate:>8} ETA {eta:>4} {msg}",
    ) {
        let style = style.with_key(
            "rate",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.1}/s", state.per_sec());
            },
        );
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

impl Observer for Bars {
    fn start(&self, total: usize, network_summarizer: bool) {
        let multi = MultiProgress::new();
        let bar = |name: &'static str, shown: bool| {
            if !shown {
                return ProgressBar::hidden();
            }
            styled(multi.add(ProgressBar::new(total as u64).with_prefix(name)))
        };
        let bars = [
            bar("fetch", true),
            bar("item1", true),
            bar("summarize", network_summarizer),
            bar("write", true),
        ];
        *self.bars.lock().unwrap_or_else(|e| e.into_inner()) = Some((multi, bars));
    }

    fn advanced(&self, stage: Stage, n: usize, failed: usize) {
        if let Some((_, bars)) = &*self.bars.lock().unwrap_or_else(|e| e.into_inner()) {
            bars[index(stage)].inc(n as u64);
            if stage == Stage::Write {
                bars[3].set_message(format!("{failed} failed"));
            }
        }
    }

    fn finish(&self) {
        if let Some((_, bars)) = &*self.bars.lock().unwrap_or_else(|e| e.into_inner()) {
            bars.iter().for_each(ProgressBar::finish_and_clear);
        }
    }
}

/// A plain line of counts at every tick, for logs.
#[derive(Default)]
struct Lines {
    total: AtomicUsize,
    /// per stage, in `index` order
    done: [AtomicUsize; 4],
    failed: AtomicUsize,
}

impl Observer for Lines {
    fn start(&self, total: usize, _network_summarizer: bool) {
        self.total.store(total, Ordering::Relaxed);
    }

    fn advanced(&self, stage: Stage, n: usize, failed: usize) {
        self.done[index(stage)].fetch_add(n, Ordering::Relaxed);
        if stage == Stage::Write {
            self.failed.store(failed, Ordering::Relaxed);
        }
    }

    fn tick(&self, elapsed: Duration) {
        let count = |s: Stage| self.done[index(s)].load(Ordering::Relaxed);
        let written = count(Stage::Write);
        eprintln!(
            "tenk: {written}/{} filings written ({} failed), fetched {}, item1 {}, {:.1} filings/s",
            self.total.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed),
            count(Stage::Fetch),
            count(Stage::Item1),
            written as f64 / elapsed.as_secs_f64().max(1e-9)
        );
    }
}
