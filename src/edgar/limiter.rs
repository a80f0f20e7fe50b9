//! The request budget every tenk process of a user on this machine shares.
//!
//! SEC's fair-access limit (10 requests per second) is per client machine, not per
//! process: a nightly job and an analyst's ad hoc `tenk run` at the same time must share
//! it, and a rate-limit block seen by one must hold back all. So the send schedule lives in
//! a small file (`requests.budget` in the user's tenk cache folder), read and advanced under
//! an exclusive OS file lock for every request. The OS drops the lock when its holder dies,
//! even by SIGKILL, so a crashed process never blocks the others. Times in the file are
//! wall-clock microseconds, the one clock all processes share.
//!
//! The file holds one line: the next free slot, then the slots of the latest requests
//! (oldest first, at most `MAX_RECENT`). A request takes the later of the next free slot
//! and one second (plus slack) after the request `rate` places back, so that no second
//! holds more than the rate in total, whatever each process was configured with.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// SEC allows at most 10 requests per second per client; tenk never goes above it.
pub const MAX_REQUESTS_PER_SECOND: f64 = 10.0;

/// Slots of past requests kept in the schedule: enough for the highest allowed rate.
const MAX_RECENT: usize = MAX_REQUESTS_PER_SECOND as usize;

/// Slack added to the one-second window: a request leaves a little after its slot and
/// reaches the server after a network delay that varies, so requests spaced exactly one
/// second apart could land in the same second on the server's clock.
const WINDOW_SLACK: Duration = Duration::from_millis(40);

/// The name of the schedule file in the cache folder.
pub const BUDGET_FILE: &str = "requests.budget";

/// Spaces requests evenly so that no second holds more than the configured rate, across
/// every thread and (with a budget file) every process that shares it; also carries the
/// pause after a rate-limit block or a retry.
#[derive(Debug)]
pub struct RateLimiter {
    interval: u64,
    /// Requests allowed in any one second.
    per_second: usize,
    schedule: Mutex<Schedule>,
}

/// Where the schedule lives: in the shared file, or (for a limiter of one process) here.
#[derive(Debug)]
struct Schedule {
    file: Option<File>,
    local: Slots,
}

/// The next free send slot and the slots of the latest requests, in microseconds since
/// the UNIX epoch.
#[derive(Debug, Default, Clone, PartialEq)]
struct Slots {
    next: u64,
    recent: Vec<u64>,
}

impl Slots {
    fn parse(text: &str) -> Slots {
        // a line is complete only with its newline: a writer killed mid-write leaves none
        let Some(line) = text.strip_suffix('\n') else {
            return Slots::default();
        };
        let mut numbers = line.split(' ').map_while(|n| n.parse::<u64>().ok());
        Slots {
            next: numbers.next().unwrap_or(0),
            recent: numbers.take(MAX_RECENT).collect(),
        }
    }

    fn line(&self) -> String {
        let mut out = self.next.to_string();
        for r in &self.recent {
            out.push(' ');
            out.push_str(&r.to_string());
        }
        out.push('\n');
        out
    }
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

fn now() -> u64 {
    micros(
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default(),
    )
}

impl RateLimiter {
    /// A limiter for this process alone.
    pub fn new(requests_per_second: f64) -> Self {
        Self::with_file(requests_per_second, None)
    }

    /// A limiter sharing its schedule with every process that uses the file `path` (created
    /// when missing, with its folder).
    pub fn shared(requests_per_second: f64, path: &Path) -> std::io::Result<Self> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let file = File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)?;
        Ok(Self::with_file(requests_per_second, Some(file)))
    }

    fn with_file(requests_per_second: f64, file: Option<File>) -> Self {
        let rate = requests_per_second.clamp(0.1, MAX_REQUESTS_PER_SECOND);
        RateLimiter {
            interval: micros(Duration::from_secs_f64(1.0 / rate)),
            per_second: (rate.floor() as usize).clamp(1, MAX_RECENT),
            schedule: Mutex::new(Schedule {
                file,
                local: Slots::default(),
            }),
        }
    }

    /// Reads the schedule, lets `change` advance it, and writes it back, all under the
    /// process's mutex and the file's lock. A schedule file that cannot be read or written
    /// is treated as this process's own, so a full disk slows nothing but never lets a
    /// request out unspaced.
    fn update<T>(&self, change: impl FnOnce(&mut Slots) -> T) -> T {
        let mut st = self.schedule.lock().unwrap_or_else(|e| e.into_inner());
        let Schedule { file, local } = &mut *st;
        let Some(file) = file.as_mut().filter(|f| f.lock().is_ok()) else {
            return change(local);
        };
        let mut text = String::new();
        let read = file
            .seek(SeekFrom::Start(0))
            .and_then(|_| file.read_to_string(&mut text));
        let mut slots = if read.is_ok() {
            Slots::parse(&text)
        } else {
            local.clone()
        };
        // a process that lost the file's content keeps its own knowledge
        slots.next = slots.next.max(local.next);
        let out = change(&mut slots);
        let line = slots.line();
        let _ = file
            .set_len(0)
            .and_then(|_| file.seek(SeekFrom::Start(0)))
            .and_then(|_| file.write_all(line.as_bytes()));
        let _ = file.unlock();
        *local = slots;
        out
    }

    /// Blocks until this caller may send one request: requests are spaced evenly, and no
    /// more than the rate fall within any one second (with slack for network jitter).
    pub fn acquire(&self) {
        let (interval, per_second) = (self.interval, self.per_second);
        let slot = self.update(|s| {
            let mut slot = s.next.max(now());
            if s.recent.len() >= per_second {
                let back = s.recent[s.recent.len() - per_second];
                slot = slot.max(back + micros(Duration::from_secs(1) + WINDOW_SLACK));
            }
            s.recent.push(slot);
            if s.recent.len() > MAX_RECENT {
                s.recent.remove(0);
            }
            s.next = slot + interval;
            slot
        });
        let wait = slot.saturating_sub(now());
        if wait > 0 {
            std::thread::sleep(Duration::from_micros(wait));
        }
    }

    /// Holds every request of every sharing process back for `pause` from now.
    pub fn pause_all(&self, pause: Duration) {
        let until = now() + micros(pause);
        self.update(|s| s.next = s.next.max(until));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn limiter_spaces_requests() {
        let l = RateLimiter::new(50.0);
        let t = Instant::now();
        for _ in 0..6 {
            l.acquire();
        }
        // five intervals of 20 ms must have passed between the first and the sixth slot
        assert!(t.elapsed() >= Duration::from_millis(100));
    }

    #[test]
    fn limiters_on_one_file_share_the_rate_and_the_pause() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub").join(BUDGET_FILE);
        // two limiters on their own handles of one file lock like two processes do
        let a = RateLimiter::shared(10.0, &path).unwrap();
        let b = RateLimiter::shared(10.0, &path).unwrap();
        let t = Instant::now();
        std::thread::scope(|s| {
            s.spawn(|| (0..3).for_each(|_| a.acquire()));
            s.spawn(|| (0..3).for_each(|_| b.acquire()));
        });
        // six requests at 10/s overall: five intervals of 100 ms
        assert!(
            t.elapsed() >= Duration::from_millis(500),
            "{:?}",
            t.elapsed()
        );
        let slots = Slots::parse(&std::fs::read_to_string(&path).unwrap());
        assert_eq!(slots.recent.len(), 6);
        assert!(slots.recent.windows(2).all(|w| w[1] >= w[0] + 99_000));

        // the pause runs from the moment it is set: a busy machine may take a while to
        // reach the next line
        let t = Instant::now();
        a.pause_all(Duration::from_millis(300));
        b.acquire();
        assert!(
            t.elapsed() >= Duration::from_millis(250),
            "{:?}",
            t.elapsed()
        );
    }

    #[test]
    fn a_torn_or_foreign_schedule_reads_as_empty() {
        assert_eq!(Slots::parse("12 3 4"), Slots::default());
        assert_eq!(Slots::parse("garbage\n"), Slots::default());
        let s = Slots {
            next: 5,
            recent: vec![1, 2],
        };
        assert_eq!(Slots::parse(&s.line()), s);
    }
}
