//! What a run tells its caller while it goes: how many filings passed each stage, and a
//! regular moment to show it. The pipeline prints nothing itself; the command decides how
//! progress looks (bars on a terminal, plain lines in a log, nothing with `--quiet`).

use std::time::Duration;

/// A stage of a run, as progress counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Fetch,
    /// Document cleaning, the sections, and an in-process summary.
    Item1,
    /// A summarizer that is a stage of its own (it waits on a server).
    Summarize,
    Write,
}

/// Receives a run's progress. Every method has a default that does nothing.
pub trait Observer: Sync {
    /// The run will process `total` filings; `network_summarizer`: summaries are a stage of
    /// their own.
    fn start(&self, _total: usize, _network_summarizer: bool) {}
    /// `n` more filings passed `stage`; `failed`: the rows with an error written so far.
    fn advanced(&self, _stage: Stage, _n: usize, _failed: usize) {}
    /// Called every `TICK` while the run goes and once at its end, with the time since it
    /// started.
    fn tick(&self, _elapsed: Duration) {}
    /// The run is over.
    fn finish(&self) {}
}

/// Progress nobody looks at (`--quiet`, benchmarks, tests).
pub struct Silent;

impl Observer for Silent {}

/// How often `Observer::tick` is called.
pub(super) const TICK: Duration = Duration::from_secs(10);
