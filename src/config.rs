//! Settings from `config/tenk.toml`, the environment and flags, resolved once.
//!
//! Precedence is flag > environment > file > built-in default; the commands apply flags on
//! top of what `Config::load` returns. Empty strings in the file mean "not set", so the
//! shipped file can list every key without choosing for the user.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

/// The default location of the configuration file, relative to the working directory.
pub const DEFAULT_CONFIG: &str = "config/tenk.toml";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub edgar: EdgarConfig,
    pub document: DocumentConfig,
    pub output: OutputConfig,
    pub summarizer: SummarizerConfig,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DocumentConfig {
    /// Table rows of figures: "drop" (default) or "keep".
    pub numeric_tables: crate::document::TableMode,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EdgarConfig {
    #[serde(deserialize_with = "empty_is_none")]
    pub user_agent: Option<String>,
    #[serde(deserialize_with = "empty_is_none")]
    pub base_url: Option<String>,
    #[serde(deserialize_with = "empty_path_is_none")]
    pub mirror: Option<PathBuf>,
    pub requests_per_second: f64,
    pub max_retries: u32,
    pub block_pause_secs: u64,
    pub connect_timeout_secs: u64,
    pub timeout_secs: u64,
    pub max_response_bytes: u64,
}

impl Default for EdgarConfig {
    fn default() -> Self {
        EdgarConfig {
            user_agent: None,
            base_url: None,
            mirror: None,
            requests_per_second: 8.0,
            max_retries: 5,
            block_pause_secs: 600,
            connect_timeout_secs: 10,
            timeout_secs: 60,
            max_response_bytes: 100 * 1024 * 1024,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutputConfig {
    pub path: PathBuf,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            path: PathBuf::from("output/summaries.parquet"),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SummarizerConfig {
    pub kind: String,
    pub max_tokens: usize,
    pub tokenizer: String,
}

impl Default for SummarizerConfig {
    fn default() -> Self {
        SummarizerConfig {
            kind: "extractive".into(),
            max_tokens: 512,
            tokenizer: "cl100k_base".into(),
        }
    }
}

fn empty_is_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let s = Option::<String>::deserialize(d)?;
    Ok(s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
}

fn empty_path_is_none<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<PathBuf>, D::Error> {
    Ok(empty_is_none(d)?.map(PathBuf::from))
}

impl Config {
    /// Reads `path`, or `config/tenk.toml` when it exists, or the built-in defaults; then
    /// applies the environment (`TENK_USER_AGENT`).
    pub fn load(path: Option<&Path>) -> Result<Config> {
        let mut cfg = match path {
            Some(p) => Self::from_file(p)?,
            None if Path::new(DEFAULT_CONFIG).exists() => {
                Self::from_file(Path::new(DEFAULT_CONFIG))?
            }
            None => Config::default(),
        };
        if let Ok(ua) = std::env::var("TENK_USER_AGENT") {
            if !ua.trim().is_empty() {
                cfg.edgar.user_agent = Some(ua.trim().to_string());
            }
        }
        Ok(cfg)
    }

    fn from_file(path: &Path) -> Result<Config> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read config file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("config file {} is invalid", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_config_parses_and_sets_no_user_agent() {
        let cfg = Config::from_file(Path::new("config/tenk.toml")).unwrap();
        assert_eq!(cfg.edgar.user_agent, None);
        assert_eq!(cfg.edgar.mirror, None);
        assert!(cfg.edgar.requests_per_second <= 10.0);
        assert_eq!(cfg.summarizer.max_tokens, 512);
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(toml::from_str::<Config>("[edgar]\nuser_agnt = \"x\"").is_err());
    }
}
