//! The retry policy every HTTP client of tenk shares (EDGAR, LLM servers): when to try
//! again, how long to wait before, and when to give up. One loop and one policy, so the two
//! clients cannot drift apart in how politely they back off.

use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};

/// The longest wait a server's Retry-After can impose: SEC's own block lasts ten minutes,
/// and a longer answer is more likely a misconfigured server than a real request.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(600);

/// The wait a server asks for in `Retry-After` (seconds form), capped.
pub fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    headers
        .get(RETRY_AFTER)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok())
        .map(|s| Duration::from_secs(s).min(MAX_RETRY_AFTER))
}

/// The wait before retry `attempt` (0-based): what the server asked for, else exponential
/// backoff (1 s, 2 s, 4 s … capped at 60 s) plus up to 25 % jitter, so that parallel
/// workers spread out.
pub fn wait(attempt: u32, retry_after: Option<Duration>) -> Duration {
    retry_after.unwrap_or_else(|| {
        let base = Duration::from_secs(1u64 << attempt.min(6)).min(Duration::from_secs(60));
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        base + base.mul_f64(f64::from(nanos % 1000) / 4000.0)
    })
}

/// What one attempt of a request came to.
pub enum Attempt<T, E> {
    /// An answer, or an error that another attempt would not change (404, a refusal).
    Done(Result<T, E>),
    /// A failure worth another attempt (429, 5xx, a timeout, a cut body): `error` is
    /// returned when no retry is left, `after` is the wait the server asked for.
    Retry { error: E, after: Option<Duration> },
}

/// Runs `attempt` (given its number, from 0) until it is done or `max_retries` retries are
/// spent. Before each retry, `pause` is given the wait (`wait`): the EDGAR client holds back
/// every request of every process for it, the LLM client sleeps.
pub fn with_retries<T, E>(
    max_retries: u32,
    mut attempt: impl FnMut(u32) -> Attempt<T, E>,
    mut pause: impl FnMut(Duration),
) -> Result<T, E> {
    let mut n = 0;
    loop {
        match attempt(n) {
            Attempt::Done(result) => return result,
            Attempt::Retry { error, .. } if n >= max_retries => return Err(error),
            Attempt::Retry { after, .. } => pause(wait(n, after)),
        }
        n += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_wait_wins_and_is_capped_else_backoff_grows() {
        let mut h = HeaderMap::new();
        h.insert(RETRY_AFTER, "7".parse().unwrap());
        assert_eq!(wait(3, retry_after(&h)), Duration::from_secs(7));
        h.insert(RETRY_AFTER, "86400".parse().unwrap());
        assert_eq!(retry_after(&h), Some(MAX_RETRY_AFTER));
        h.insert(
            RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&h), None);
        let first = wait(0, None);
        assert!(first >= Duration::from_secs(1) && first <= Duration::from_millis(1250));
        assert!(wait(10, None) <= Duration::from_secs(75));
    }

    #[test]
    fn retries_until_done_or_spent_pausing_before_each() {
        let mut pauses = Vec::new();
        let got: Result<u32, &str> = with_retries(
            5,
            |n| match n {
                0 => Attempt::Retry {
                    error: "429",
                    after: Some(Duration::from_secs(3)),
                },
                1 => Attempt::Retry {
                    error: "503",
                    after: None,
                },
                n => Attempt::Done(Ok(n)),
            },
            |d| pauses.push(d),
        );
        assert_eq!(got, Ok(2));
        assert_eq!(pauses[0], Duration::from_secs(3));
        assert!(pauses[1] >= Duration::from_secs(2));
        let mut tries = 0;
        let spent: Result<(), &str> = with_retries(
            2,
            |_| {
                tries += 1;
                Attempt::Retry {
                    error: "503",
                    after: Some(Duration::ZERO),
                }
            },
            |_| {},
        );
        assert_eq!((spent, tries), (Err("503"), 3));
    }
}
