//! How a run shows its progress on stderr: a bar per stage on a terminal, a plain line
//! every few seconds otherwise, nothing with `--quiet`.

use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressStyle};

/// How a run shows its progress on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// A live bar with counts, rate and ETA (for a terminal).
    Bar,
    /// A plain line every ten seconds and at the end (for logs).
    Lines,
    Quiet,
}

impl Progress {
    /// A bar on a terminal, plain lines otherwise.
    pub fn for_stderr() -> Progress {
        use std::io::IsTerminal;
        if std::io::stderr().is_terminal() {
            Progress::Bar
        } else {
            Progress::Lines
        }
    }
}

/// How often a plain progress line is printed.
pub(super) const LINE_EVERY: Duration = Duration::from_secs(10);

/// One progress bar per stage. The bars count in every mode (hidden ones too), so the
/// plain lines read their counts from them.
pub(super) struct Bars {
    pub(super) progress: Progress,
    pub(super) total: usize,
    pub(super) fetch: ProgressBar,
    pub(super) item1: ProgressBar,
    pub(super) summarize: ProgressBar,
    pub(super) write: ProgressBar,
    pub(super) _multi: Option<MultiProgress>,
}

impl Bars {
    /// Bars for fetch, item1 (document cleaning, Item 1 and an in-process summary),
    /// summarize (only when the summarizer is a network stage of its own) and write.
    pub(super) fn new(progress: Progress, total: usize, network_summarizer: bool) -> Bars {
        let multi = (progress == Progress::Bar).then(MultiProgress::new);
        let bar = |name: &'static str| {
            let Some(multi) = &multi else {
                return ProgressBar::hidden();
            };
            let bar = multi.add(ProgressBar::new(total as u64).with_prefix(name));
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
        };
        let fetch = bar("fetch");
        let item1 = bar("item1");
        let summarize = if network_summarizer {
            bar("summarize")
        } else {
            ProgressBar::hidden()
        };
        let write = bar("write");
        Bars {
            progress,
            total,
            fetch,
            item1,
            summarize,
            write,
            _multi: multi,
        }
    }

    /// A plain progress line (in `Lines` mode).
    pub(super) fn line(&self, clock: Instant) {
        if self.progress != Progress::Lines {
            return;
        }
        let written = self.write.position();
        eprintln!(
            "tenk: {written}/{} filings written ({}), fetched {}, item1 {}, {:.1} filings/s",
            self.total,
            self.write.message(),
            self.fetch.position(),
            self.item1.position(),
            written as f64 / clock.elapsed().as_secs_f64().max(1e-9)
        );
    }

    pub(super) fn finish(&self) {
        for bar in [&self.fetch, &self.item1, &self.summarize, &self.write] {
            bar.finish_and_clear();
        }
    }
}
