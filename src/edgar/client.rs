//! The one way tenk reads EDGAR: over HTTP from sec.gov (or another server laid out like it),
//! or from a local mirror folder with the same paths.
//!
//! Every request goes through here so that SEC's rules hold everywhere: a declared
//! User-Agent, a request rate shared by every tenk process of the user (`limiter`), backoff
//! on 429/5xx, and a pause of all of them when SEC answers with its rate-limit block page.
//! Callers name documents by their path below the EDGAR root (`files/company_tickers.json`, `submissions/CIK0000948708.json`,
//! `Archives/edgar/data/...`), so a mirror and the web are one code path.

use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::cache::Cache;
use super::limiter::{RateLimiter, BUDGET_FILE};
use crate::config::EdgarConfig;
use crate::retry::Attempt;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error(
        "no User-Agent configured: SEC requires one that names you and gives a contact e-mail. \
         Set it with --user-agent \"Your Name you@example.com\", the TENK_USER_AGENT environment \
         variable, or user_agent in the [edgar] section of config/tenk.toml"
    )]
    MissingUserAgent,
    #[error("User-Agent {0:?} has no contact e-mail address; SEC rejects such requests")]
    UserAgentWithoutEmail(String),
    #[error("{0} not found")]
    NotFound(String),
    #[error("{url}: HTTP {status}")]
    Status { url: String, status: u16 },
    #[error(
        "{0}: SEC refused the request (403). Check that the User-Agent names you and gives a \
         real contact e-mail"
    )]
    Forbidden(String),
    #[error("{url}: response larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    /// The request or the body failed on the way; `reason` is the whole cause chain
    /// ("error sending request: operation timed out"), which the top message alone omits.
    #[error("{url}: {reason}")]
    Http { url: String, reason: String },
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0:?} is not a path below the EDGAR root")]
    BadPath(String),
    #[error("{0} is not in the cache, and --offline forbids fetching it")]
    Offline(String),
}

enum Source {
    Mirror(PathBuf),
    Http {
        agent: reqwest::blocking::Client,
        base_url: Option<String>,
        limiter: Arc<RateLimiter>,
    },
}

/// Something the caller may want to tell the user; the client itself prints nothing.
#[derive(Debug)]
pub enum FetchEvent<'a> {
    /// SEC answered with its rate-limit block page: every request of every tenk process
    /// is held back for `pause`.
    RateLimitBlock { pause: Duration },
    /// A response could not be kept in the cache (it was still returned).
    CacheWriteFailed {
        path: &'a Path,
        error: &'a std::io::Error,
    },
}

/// Receives the client's events (`Client::on_event`).
pub type EventSink = Box<dyn Fn(FetchEvent<'_>) + Send + Sync>;

/// What a client has done so far, for the run report.
#[derive(Debug, Default)]
struct Stats {
    requests: std::sync::atomic::AtomicU64,
    cache_hits: std::sync::atomic::AtomicU64,
    bytes: std::sync::atomic::AtomicU64,
}

/// A snapshot of the client's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct FetchStats {
    /// HTTP requests sent (retries included).
    pub requests: u64,
    /// Documents answered from the on-disk cache.
    pub cache_hits: u64,
    /// Bytes of documents read, from any source.
    pub bytes: u64,
}

/// Reads documents below the EDGAR root from the web or a mirror.
pub struct Client {
    source: Source,
    /// Responses kept on disk (web only: a mirror is already local).
    cache: Option<Cache>,
    /// Only the cache (or the mirror) may answer.
    offline: bool,
    stats: Stats,
    max_retries: u32,
    block_pause: Duration,
    max_response_bytes: u64,
    events: Option<EventSink>,
}

/// The request budget of a run over HTTP: shared by every tenk process of the user on the
/// machine through `requests.budget` in the user's tenk cache folder (whatever `--cache-dir`
/// or `--no-cache` say, so that runs with different caches still share it). An offline run
/// sends nothing and shares nothing.
fn limiter(cfg: &EdgarConfig) -> Result<RateLimiter, FetchError> {
    if cfg.offline {
        return Ok(RateLimiter::new(cfg.requests_per_second));
    }
    let path = Cache::default_dir().join(BUDGET_FILE);
    RateLimiter::shared(cfg.requests_per_second, &path).map_err(|source| FetchError::Io {
        path: format!(
            "{} (the request budget all tenk processes share)",
            path.display()
        ),
        source,
    })
}

/// Does `ua` look like a declared identity (a name and a contact e-mail)?
pub fn check_user_agent(ua: Option<&str>) -> Result<String, FetchError> {
    let ua = ua.map(str::trim).filter(|s| !s.is_empty());
    let ua = ua.ok_or(FetchError::MissingUserAgent)?;
    let has_email = ua
        .split_whitespace()
        .any(|w| w.contains('@') && w.contains('.'));
    if !has_email {
        return Err(FetchError::UserAgentWithoutEmail(ua.to_string()));
    }
    Ok(ua.to_string())
}

impl Client {
    /// Builds the client described by `cfg`. A mirror needs no User-Agent; the web does, and
    /// its absence is an error here, before any request is made.
    pub fn new(cfg: &EdgarConfig) -> Result<Self, FetchError> {
        let source = match &cfg.mirror {
            Some(dir) => Source::Mirror(dir.clone()),
            None => {
                // offline, no request is ever sent, so no identity is needed
                let ua = if cfg.offline {
                    String::new()
                } else {
                    check_user_agent(cfg.user_agent.as_deref())?
                };
                let agent = reqwest::blocking::Client::builder()
                    .user_agent(ua)
                    .gzip(true)
                    .connect_timeout(Duration::from_secs(cfg.connect_timeout_secs))
                    .timeout(Duration::from_secs(cfg.timeout_secs))
                    .build()
                    .map_err(|e| FetchError::Http {
                        url: "(client set-up)".into(),
                        reason: describe(&e),
                    })?;
                Source::Http {
                    agent,
                    base_url: cfg
                        .base_url
                        .as_ref()
                        .map(|u| u.trim_end_matches('/').to_string()),
                    limiter: Arc::new(limiter(cfg)?),
                }
            }
        };
        let cache = cfg.cache.then(|| {
            Cache::new(
                cfg.cache_dir.clone().unwrap_or_else(Cache::default_dir),
                Duration::from_secs(cfg.cache_ttl_hours * 3600),
            )
        });
        Ok(Client {
            source,
            cache,
            offline: cfg.offline,
            stats: Stats::default(),
            max_retries: cfg.max_retries,
            block_pause: Duration::from_secs(cfg.block_pause_secs),
            max_response_bytes: cfg.max_response_bytes,
            events: None,
        })
    }

    /// Sends the client's events (a rate-limit block, a failed cache write) to `sink`.
    pub fn on_event(mut self, sink: EventSink) -> Self {
        self.events = Some(sink);
        self
    }

    fn tell(&self, event: FetchEvent<'_>) {
        if let Some(sink) = &self.events {
            sink(event);
        }
    }

    /// The public URL of `path`, as a row's `source_url` records it.
    pub fn public_url(path: &str) -> String {
        let host = if path.starts_with("submissions/") {
            "https://data.sec.gov"
        } else {
            "https://www.sec.gov"
        };
        format!("{host}/{path}")
    }

    pub fn stats(&self) -> FetchStats {
        use std::sync::atomic::Ordering::Relaxed;
        FetchStats {
            requests: self.stats.requests.load(Relaxed),
            cache_hits: self.stats.cache_hits.load(Relaxed),
            bytes: self.stats.bytes.load(Relaxed),
        }
    }

    /// Drops the cached copy of `path`: for a response that arrived whole but turned out
    /// unusable (JSON that does not parse), so the next run fetches it again instead of
    /// trusting it for the cache's time-to-live.
    pub fn evict(&self, path: &str) {
        let (Source::Http { base_url, .. }, Some(cache), Ok(rel)) =
            (&self.source, &self.cache, safe_relative(path))
        else {
            return;
        };
        let _ = std::fs::remove_file(cache.file(&url_of(base_url.as_deref(), path), &rel));
    }

    /// Reads `path` (relative to the EDGAR root) as bytes.
    pub fn get(&self, path: &str) -> Result<Vec<u8>, FetchError> {
        let got = self.fetch(path);
        if let Ok(bytes) = &got {
            self.stats
                .bytes
                .fetch_add(bytes.len() as u64, std::sync::atomic::Ordering::Relaxed);
        }
        got
    }

    fn fetch(&self, path: &str) -> Result<Vec<u8>, FetchError> {
        let rel = safe_relative(path)?;
        match &self.source {
            Source::Mirror(root) => {
                let full = root.join(&rel);
                let meta = std::fs::metadata(&full).map_err(|e| mirror_error(&full, e))?;
                if meta.len() > self.max_response_bytes {
                    return Err(FetchError::TooLarge {
                        url: full.display().to_string(),
                        limit: self.max_response_bytes,
                    });
                }
                std::fs::read(&full).map_err(|e| mirror_error(&full, e))
            }
            Source::Http {
                agent,
                base_url,
                limiter,
            } => {
                let url = url_of(base_url.as_deref(), path);
                let entry = self.cache.as_ref().map(|c| (c, c.file(&url, &rel)));
                if let Some(bytes) = entry.as_ref().and_then(|(c, f)| c.get(f, &rel)) {
                    self.stats
                        .cache_hits
                        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    return Ok(bytes);
                }
                if self.offline {
                    return Err(FetchError::Offline(url));
                }
                let bytes = self.get_http(agent, limiter, &url)?;
                if let Some((c, f)) = entry {
                    if let Err(error) = c.put(&f, &bytes) {
                        self.tell(FetchEvent::CacheWriteFailed {
                            path: &f,
                            error: &error,
                        });
                    }
                }
                Ok(bytes)
            }
        }
    }

    fn get_http(
        &self,
        agent: &reqwest::blocking::Client,
        limiter: &RateLimiter,
        url: &str,
    ) -> Result<Vec<u8>, FetchError> {
        let status_error = |status| FetchError::Status {
            url: url.to_string(),
            status,
        };
        let attempt = |_| {
            limiter.acquire();
            self.stats
                .requests
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let resp = match agent.get(url).send() {
                Ok(resp) => resp,
                Err(source) => {
                    // timeouts, refused or reset connections, but not a malformed request
                    let lasting = source.is_builder() || source.is_redirect();
                    let error = FetchError::Http {
                        url: url.to_string(),
                        reason: describe(&source.without_url()),
                    };
                    return if lasting {
                        Attempt::Done(Err(error))
                    } else {
                        Attempt::Retry { error, after: None }
                    };
                }
            };
            let status = resp.status().as_u16();
            let after = crate::retry::retry_after(resp.headers());
            match status {
                200..=299 => match self.read_capped(resp, url) {
                    Err(error @ FetchError::Http { .. }) => Attempt::Retry { error, after: None },
                    read => Attempt::Done(read),
                },
                404 | 410 => Attempt::Done(Err(FetchError::NotFound(url.to_string()))),
                403 => {
                    let body = self.read_capped(resp, url).unwrap_or_default();
                    if !is_rate_limit_page(&body) {
                        return Attempt::Done(Err(FetchError::Forbidden(url.to_string())));
                    }
                    self.tell(FetchEvent::RateLimitBlock {
                        pause: self.block_pause,
                    });
                    limiter.pause_all(self.block_pause);
                    Attempt::Retry {
                        error: status_error(status),
                        after: None,
                    }
                }
                429 | 500..=599 => Attempt::Retry {
                    error: status_error(status),
                    after,
                },
                _ => Attempt::Done(Err(status_error(status))),
            }
        };
        crate::retry::with_retries(self.max_retries, attempt, |wait| limiter.pause_all(wait))
    }

    fn read_capped(
        &self,
        resp: reqwest::blocking::Response,
        url: &str,
    ) -> Result<Vec<u8>, FetchError> {
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            limit: self.max_response_bytes,
        };
        if resp
            .content_length()
            .is_some_and(|n| n > self.max_response_bytes)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        resp.take(self.max_response_bytes + 1)
            .read_to_end(&mut body)
            .map_err(|e| FetchError::Http {
                url: url.to_string(),
                reason: describe(&e),
            })?;
        if body.len() as u64 > self.max_response_bytes {
            return Err(too_large());
        }
        Ok(body)
    }
}

/// An error and its causes as one line, each message once.
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut next = Some(e);
    while let Some(err) = next {
        let msg = err.to_string();
        if !parts.iter().any(|p| p.contains(&msg)) {
            parts.push(msg);
        }
        next = err.source();
    }
    parts.join(": ")
}

/// Where `path` is fetched from: below the configured server, else on sec.gov. Every byte
/// but letters, digits, `-._~` and the `/` between segments is percent-encoded, so a
/// document name with `?`, `#`, `%` or spaces names that file and nothing else.
fn url_of(base_url: Option<&str>, path: &str) -> String {
    const KEEP: &AsciiSet = &NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~')
        .remove(b'/');
    let encoded = utf8_percent_encode(path, KEEP).to_string();
    match base_url {
        Some(base) => format!("{base}/{encoded}"),
        None => Client::public_url(&encoded),
    }
}

/// SEC's block page ("Request Rate Threshold Exceeded"), recognised by its content.
pub fn is_rate_limit_page(body: &[u8]) -> bool {
    let text = String::from_utf8_lossy(&body[..body.len().min(64 * 1024)]);
    text.contains("Request Rate Threshold Exceeded")
}

/// Keeps a document path inside the EDGAR root: no absolute paths, no `..`.
fn safe_relative(path: &str) -> Result<PathBuf, FetchError> {
    let p = Path::new(path);
    let ok = !path.is_empty()
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && !path.contains('\\');
    if ok {
        Ok(p.to_path_buf())
    } else {
        Err(FetchError::BadPath(path.to_string()))
    }
}

fn mirror_error(path: &Path, e: std::io::Error) -> FetchError {
    if e.kind() == std::io::ErrorKind::NotFound {
        FetchError::NotFound(path.display().to_string())
    } else {
        FetchError::Io {
            path: path.display().to_string(),
            source: e,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_agent_must_name_a_contact() {
        assert!(matches!(
            check_user_agent(None),
            Err(FetchError::MissingUserAgent)
        ));
        assert!(matches!(
            check_user_agent(Some("  ")),
            Err(FetchError::MissingUserAgent)
        ));
        assert!(check_user_agent(Some("tenk")).is_err());
        assert!(check_user_agent(Some("Jane Doe jane@example.com")).is_ok());
    }

    #[test]
    fn paths_cannot_escape_the_root() {
        assert!(safe_relative("../etc/passwd").is_err());
        assert!(safe_relative("/etc/passwd").is_err());
        assert!(safe_relative("Archives/../../x").is_err());
        assert!(safe_relative("Archives/edgar/data/1/2/a.htm").is_ok());
    }

    #[test]
    fn odd_characters_in_names_are_encoded_not_interpreted() {
        assert_eq!(
            url_of(Some("http://h"), "Archives/a?b=1#c d%2e\u{fc}.htm"),
            "http://h/Archives/a%3Fb%3D1%23c%20d%252e%C3%BC.htm"
        );
        assert_eq!(
            url_of(None, "submissions/CIK0000948708.json"),
            "https://data.sec.gov/submissions/CIK0000948708.json"
        );
    }

    #[test]
    fn recognises_the_block_page() {
        let page = std::fs::read("tests/fixtures/edgar-api/rate-exceeded.html").unwrap();
        assert!(is_rate_limit_page(&page));
        assert!(!is_rate_limit_page(b"<html>10-K</html>"));
    }

    #[test]
    fn recognises_the_real_block_page() {
        let Some(corpus) = crate::test_support::corpus("edgar::client real block page") else {
            return;
        };
        let page = std::fs::read(corpus.join("edgar-api/rate-exceeded.html")).unwrap();
        assert!(is_rate_limit_page(&page));
    }
}
