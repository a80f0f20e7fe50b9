//! Business-model summaries of an Item 1 section, at most `max_tokens` tokens long.
//!
//! One trait, several summarizers: the pipeline and the commands only know `Summarizer`,
//! and every row records which one wrote its summary (name, model, tokenizer, prompt hash).

pub mod batch;
pub mod extractive;
pub mod features;
pub mod grounding;
pub mod llm;
pub mod model;
pub mod sentences;
pub mod tokens;

use anyhow::Result;

use crate::config::{SummarizerConfig, SummarizerKind};

/// A summary and its measured length.
#[derive(Debug, Clone, PartialEq)]
pub struct Summary {
    pub text: String,
    /// Tokens counted with the summarizer's tokenizer.
    pub tokens: usize,
    /// Whether the text was cut to fit the cap.
    pub truncated: bool,
    /// What the model read and wrote, all requests of the summary together; None for a
    /// summarizer that computes in process.
    pub usage: Option<Usage>,
}

/// Tokens a language model read (prompt) and wrote (completion), as its server counts them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    pub input: u64,
    pub output: u64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, other: Usage) {
        self.input += other.input;
        self.output += other.output;
    }
}

/// Something that turns an Item 1 section into a business-model summary.
pub trait Summarizer: Send + Sync {
    fn summarize(&self, section: &str) -> Result<Summary>;
    /// "extractive", "llm", …
    fn name(&self) -> &'static str;
    /// The model behind the summary, when there is one.
    fn model(&self) -> Option<String>;
    /// SHA-256 of the prompt template, when a prompt is used.
    fn prompt_sha256(&self) -> Option<String>;
    /// The tiktoken encoding that measures the cap.
    fn tokenizer(&self) -> &'static str;
    /// Summaries in flight at once when the summarizer waits on a network service (the
    /// pipeline gives it a stage and threads of its own); None when it computes in process.
    fn concurrency(&self) -> Option<usize> {
        None
    }
}

/// Builds the summarizer the configuration asks for.
pub fn from_config(cfg: &SummarizerConfig) -> Result<Box<dyn Summarizer>> {
    let tokenizer = tokens::Tokenizer::new(cfg.tokenizer);
    Ok(match cfg.kind {
        SummarizerKind::Extractive => {
            Box::new(extractive::Extractive::new(tokenizer, cfg.max_tokens))
        }
        SummarizerKind::Llm => Box::new(llm::Llm::of(cfg)?),
    })
}
