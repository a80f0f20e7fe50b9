//! Token counting with tiktoken, the measure of the 512-token cap.
//!
//! The BPE tables are embedded in tiktoken-rs and built once per process (100–300 ms), so
//! a `Tokenizer` is a cheap handle to a shared encoder.

use tiktoken_rs::CoreBPE;

use crate::config::TokenizerName;

#[derive(Clone, Copy)]
pub struct Tokenizer {
    name: &'static str,
    bpe: &'static CoreBPE,
}

impl std::fmt::Debug for Tokenizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokenizer")
            .field("name", &self.name)
            .finish()
    }
}

impl Tokenizer {
    /// The encoding `name` names.
    pub fn new(name: TokenizerName) -> Self {
        match name {
            TokenizerName::Cl100kBase => Tokenizer {
                name: "cl100k_base",
                bpe: tiktoken_rs::cl100k_base_singleton(),
            },
            TokenizerName::O200kBase => Tokenizer {
                name: "o200k_base",
                bpe: tiktoken_rs::o200k_base_singleton(),
            },
        }
    }

    /// `cl100k_base` or `o200k_base`, by the name a row or a report records.
    pub fn by_name(name: &str) -> anyhow::Result<Self> {
        let name: TokenizerName = crate::config::by_serde_name(name).map_err(|_| {
            anyhow::anyhow!("unknown tokenizer {name:?}: use \"cl100k_base\" or \"o200k_base\"")
        })?;
        Ok(Self::new(name))
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Number of tokens in `text` (special-token markers count as plain text).
    pub fn count(&self, text: &str) -> usize {
        self.bpe.encode_ordinary(text).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_like_tiktoken() {
        let t = Tokenizer::by_name("cl100k_base").unwrap();
        assert_eq!(t.count("hello world"), 2);
        assert_eq!(t.count(""), 0);
        assert!(Tokenizer::by_name("gpt2-ish").is_err());
    }
}
