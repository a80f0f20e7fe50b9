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

/// What becomes of table rows that hold figures (two or more cells of numbers). They are
/// part of a section (an MD&A's results, a market-price table that ends it), so they are
/// kept as lines by default; `drop` is for users who want prose only. The summarizer reads
/// sentences, so its summaries barely change either way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TableMode {
    Drop,
    #[default]
    Keep,
}

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
    pub numeric_tables: TableMode,
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
    /// Keep responses on disk (Archives forever, the rest for `cache_ttl_hours`).
    pub cache: bool,
    /// Empty: `TENK_CACHE_DIR`, `$XDG_CACHE_HOME/tenk` or `~/.cache/tenk`.
    #[serde(deserialize_with = "empty_path_is_none")]
    pub cache_dir: Option<PathBuf>,
    pub cache_ttl_hours: u64,
    /// Only the cache or the mirror may answer; nothing is fetched.
    pub offline: bool,
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
            cache: true,
            cache_dir: None,
            cache_ttl_hours: 24,
            offline: false,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OutputConfig {
    pub path: PathBuf,
    /// The items `tenk run` extracts, as `--items` takes them: "1", "1,1A,7" or "all"
    /// (parsed by the command, which names this key in any error).
    pub items: String,
}

impl Default for OutputConfig {
    fn default() -> Self {
        OutputConfig {
            path: PathBuf::from("output/summaries.parquet"),
            items: "1".into(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SummarizerConfig {
    pub kind: SummarizerKind,
    pub max_tokens: usize,
    pub tokenizer: TokenizerName,
    pub llm: LlmConfig,
}

impl Default for SummarizerConfig {
    fn default() -> Self {
        SummarizerConfig {
            kind: SummarizerKind::Extractive,
            max_tokens: 512,
            tokenizer: TokenizerName::Cl100kBase,
            llm: LlmConfig::default(),
        }
    }
}

/// Which summarizer writes the summaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SummarizerKind {
    /// Sentences of Item 1, chosen offline (the default).
    Extractive,
    /// An OpenAI-compatible chat-completions server.
    Llm,
}

impl std::str::FromStr for SummarizerKind {
    type Err = String;

    /// The names the configuration file takes (`--summarizer`).
    fn from_str(s: &str) -> Result<Self, String> {
        by_serde_name(s)
            .map_err(|_| format!("unknown summarizer {s:?}: use \"extractive\" or \"llm\""))
    }
}

/// A unit enum by the name serde gives its variant, so a flag and the configuration file
/// accept the same names.
pub fn by_serde_name<'de, T: Deserialize<'de>>(s: &'de str) -> Result<T, serde::de::value::Error> {
    use serde::de::IntoDeserializer;
    T::deserialize(s.into_deserializer())
}

/// The tiktoken encoding that measures the summary cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenizerName {
    /// GPT-4 and GPT-3.5's encoding.
    Cl100kBase,
    /// GPT-4o's encoding.
    O200kBase,
}

/// The prompt of ../shared/seed, with `{section}` where the Item 1 text goes.
pub const DEFAULT_PROMPT: &str = "Prompt: Summarize the business model from the following text. Answer with a continuous text and with fivehundredtwelve tokens at max. Set your focus on sources of revenue , the intended customer base , products , distribution channels  and details of financing. Use only information from the following the text:\n\n{section}";

/// An OpenAI-compatible chat-completions server (OpenAI, vLLM, Ollama, llama.cpp, LiteLLM).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LlmConfig {
    /// Up to and including the version, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    pub model: String,
    /// The environment variable that holds the API key (never the key itself).
    pub api_key_env: String,
    pub temperature: f64,
    pub timeout_secs: u64,
    /// Requests in flight at once, across the whole run.
    pub concurrency: usize,
    /// The model's context window in tokens: longer sections are summarized in parts.
    pub context_window: usize,
    /// Tokens of the section the model reads, chosen by the extractive selector; 0: all.
    pub input_tokens: usize,
    /// How the answer's length limit is sent; a server that refuses one form gets the other.
    pub token_parameter: TokenParameter,
    pub max_retries: u32,
    /// The prompt; `{section}` stands for the Item 1 text.
    pub prompt: String,
    /// Price per million input (prompt) tokens, for the run report's cost estimate.
    pub price_per_million_input: Option<f64>,
    /// Price per million output (completion) tokens.
    pub price_per_million_output: Option<f64>,
    /// Summaries whose grounding (`summary_grounding`) is below this are counted and named
    /// in the run report.
    pub min_grounding: f64,
}

/// The request field that limits the answer's length: `max_tokens` (most servers, older
/// OpenAI models) or `max_completion_tokens` (OpenAI's reasoning models, which refuse the
/// former).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenParameter {
    MaxTokens,
    MaxCompletionTokens,
}

impl TokenParameter {
    pub fn name(self) -> &'static str {
        match self {
            TokenParameter::MaxTokens => "max_tokens",
            TokenParameter::MaxCompletionTokens => "max_completion_tokens",
        }
    }

    pub fn other(self) -> TokenParameter {
        match self {
            TokenParameter::MaxTokens => TokenParameter::MaxCompletionTokens,
            TokenParameter::MaxCompletionTokens => TokenParameter::MaxTokens,
        }
    }
}

impl Default for LlmConfig {
    fn default() -> Self {
        LlmConfig {
            base_url: "https://api.openai.com/v1".into(),
            model: "gpt-4o-mini".into(),
            api_key_env: "OPENAI_API_KEY".into(),
            temperature: 0.0,
            timeout_secs: 120,
            concurrency: 4,
            context_window: 16_384,
            input_tokens: 4_000,
            token_parameter: TokenParameter::MaxTokens,
            max_retries: 5,
            prompt: DEFAULT_PROMPT.into(),
            price_per_million_input: None,
            price_per_million_output: None,
            min_grounding: 0.9,
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
    /// applies the environment (`TENK_USER_AGENT`, `OPENAI_BASE_URL`).
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
        if let Ok(url) = std::env::var("OPENAI_BASE_URL") {
            if !url.trim().is_empty() {
                cfg.summarizer.llm.base_url = url.trim().to_string();
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
        assert_eq!(cfg.summarizer.llm.prompt, DEFAULT_PROMPT);
    }

    #[test]
    fn default_prompt_is_the_seed_prompt() {
        let seed = std::fs::read_to_string("tests/fixtures/seed/000_9411cdd0ca688e67.txt").unwrap();
        let (head, _) = DEFAULT_PROMPT.split_once("{section}").unwrap();
        assert!(seed.starts_with(head), "the seed's prompt, verbatim");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(toml::from_str::<Config>("[edgar]\nuser_agnt = \"x\"").is_err());
    }
}
