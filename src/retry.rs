//! The retry policy every HTTP client of tenk shares (EDGAR, LLM servers): how long to wait
//! before trying again. One policy, so the two clients cannot drift apart in how politely
//! they back off.

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
}
