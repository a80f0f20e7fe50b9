//! Summaries written by a language model behind any OpenAI-compatible `/chat/completions`
//! endpoint (OpenAI, vLLM, Ollama, llama.cpp server, LiteLLM).
//!
//! Why the care around the call: a corpus run sends thousands of requests to a paid or
//! shared server. Requests in flight are capped across the run; 429 and 5xx are retried
//! with exponential backoff that honours Retry-After; a section longer than the context
//! window is summarized in parts at paragraph boundaries and the parts' summaries are
//! summarized again (map-reduce) until one request fits. The cap is enforced by counting:
//! an over-long answer is cut at the last whole sentence within it and marked truncated.
//! By default the model reads not the whole section but the sentences the extractive
//! selector finds most likely to state the business model, within `input_tokens` (4,000):
//! a fifth of the tokens of a large company's Item 1 for nearly all of its key facts.
//! Every summary counts the tokens the model read and wrote (the server's `usage`, else the
//! tokenizer's count), because at corpus scale that is the bill. A batch
//! (`--llm-batch`) takes the same request bodies to someone else's sender (OpenAI's Batch
//! API, `vllm run-batch`), and `batch_summary` makes a summary of each result as a direct
//! call would. The API key is sent only in the Authorization header and is scrubbed from
//! anything a server echoes back, so it never reaches logs, errors or the dataset.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use super::extractive::Extractive;
use super::sentences;
use super::tokens::Tokenizer;
use super::{Summarizer, Summary, Usage};
use crate::config::{LlmConfig, SummarizerConfig, TokenParameter};
use crate::retry::Attempt;

/// Why a summary could not be had from the server.
#[derive(Debug, thiserror::Error)]
pub enum LlmError {
    #[error("LLM server {url} answered HTTP {status}: {body}")]
    Status {
        url: String,
        status: u16,
        body: String,
    },
    #[error("LLM server {url} could not be reached: {reason}")]
    Transport { url: String, reason: String },
    #[error("LLM server {url} sent an answer without a message: {body}")]
    Shape { url: String, body: String },
    #[error("a context window of {window} tokens leaves too little room for the section (prompt {prompt} + answer {answer} tokens); raise [summarizer.llm] context_window")]
    Window {
        window: usize,
        prompt: usize,
        answer: usize,
    },
    #[error("the partial summaries do not get shorter ({tokens} tokens); the model ignores the length limit")]
    NoProgress { tokens: usize },
    #[error("a batch sends each filing in one request: [summarizer.llm] input_tokens must be between 1 and {room} (what a context window of {window} tokens leaves beside the prompt and the answer), not {input_tokens}")]
    BatchInput {
        input_tokens: usize,
        room: usize,
        window: usize,
    },
    #[error("batch result: {0}")]
    BatchResult(String),
    #[error("the model answered with an empty message")]
    Empty,
}

/// A counting semaphore: at most `limit` requests in flight across threads.
struct Gate {
    in_flight: Mutex<usize>,
    freed: Condvar,
    limit: usize,
}

impl Gate {
    fn run<T>(&self, f: impl FnOnce() -> T) -> T {
        let mut n = self.in_flight.lock().unwrap_or_else(|e| e.into_inner());
        while *n >= self.limit {
            n = self.freed.wait(n).unwrap_or_else(|e| e.into_inner());
        }
        *n += 1;
        drop(n);
        let out = f();
        *self.in_flight.lock().unwrap_or_else(|e| e.into_inner()) -= 1;
        self.freed.notify_one();
        out
    }
}

pub struct Llm {
    cfg: LlmConfig,
    api_key: Option<String>,
    http: reqwest::blocking::Client,
    tokenizer: Tokenizer,
    max_tokens: usize,
    gate: Gate,
    /// Tokens of the section text one request can carry.
    room: usize,
    /// The request form the server has accepted so far.
    form: Mutex<RequestForm>,
    /// The selector that condenses a section to `input_tokens` (none when 0: all of it).
    condenser: Option<Extractive>,
}

/// Which length field to send and whether to send a temperature.
#[derive(Debug, Clone, Copy)]
struct RequestForm {
    tokens: TokenParameter,
    temperature: bool,
}

/// A token margin for the chat format's own tokens around the message.
const FORMAT_TOKENS: usize = 32;

impl Llm {
    /// The LLM summarizer `[summarizer]` configures (its cap, tokenizer and `[summarizer.llm]`).
    pub fn of(cfg: &SummarizerConfig) -> anyhow::Result<Llm> {
        Llm::new(&cfg.llm, Tokenizer::new(cfg.tokenizer), cfg.max_tokens)
    }

    pub fn new(cfg: &LlmConfig, tokenizer: Tokenizer, max_tokens: usize) -> anyhow::Result<Llm> {
        anyhow::ensure!(
            cfg.prompt.contains("{section}"),
            "[summarizer.llm] prompt must contain {{section}} where the Item 1 text goes"
        );
        anyhow::ensure!(
            !cfg.model.trim().is_empty(),
            "[summarizer.llm] model is empty"
        );
        let api_key = std::env::var(&cfg.api_key_env)
            .ok()
            .filter(|k| !k.trim().is_empty());
        let http = reqwest::blocking::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(cfg.timeout_secs))
            .build()?;
        let prompt = tokenizer.count(&cfg.prompt.replace("{section}", ""));
        let room = cfg
            .context_window
            .saturating_sub(prompt + max_tokens + FORMAT_TOKENS);
        // each part's summary must leave room to merge at least two of them
        if room < 2 * max_tokens + FORMAT_TOKENS {
            return Err(LlmError::Window {
                window: cfg.context_window,
                prompt,
                answer: max_tokens,
            }
            .into());
        }
        Ok(Llm {
            cfg: cfg.clone(),
            api_key,
            http,
            tokenizer,
            max_tokens,
            gate: Gate {
                in_flight: Mutex::new(0),
                freed: Condvar::new(),
                limit: cfg.concurrency.max(1),
            },
            room,
            form: Mutex::new(RequestForm {
                tokens: cfg.token_parameter,
                temperature: true,
            }),
            condenser: (cfg.input_tokens > 0).then(|| Extractive::new(tokenizer, cfg.input_tokens)),
        })
    }

    fn endpoint(&self) -> String {
        format!(
            "{}/chat/completions",
            self.cfg.base_url.trim_end_matches('/')
        )
    }

    /// Removes the API key from text a server sent back.
    fn scrub(&self, text: &str) -> String {
        let mut t: String = text.chars().take(300).collect();
        if let Some(key) = &self.api_key {
            t = t.replace(key.as_str(), "[api key]");
        }
        t
    }

    /// The prompt with `section` in place.
    fn prompt(&self, section: &str) -> String {
        self.cfg.prompt.replace("{section}", section)
    }

    /// The request body for `section`, in the form the server accepts so far.
    fn body(&self, section: &str) -> serde_json::Value {
        let form = *self.form.lock().unwrap_or_else(|e| e.into_inner());
        let mut body = serde_json::json!({
            "model": self.cfg.model,
            "messages": [{"role": "user", "content": self.prompt(section)}],
        });
        body[form.tokens.name()] = self.max_tokens.into();
        if form.temperature {
            body["temperature"] = self.cfg.temperature.into();
        }
        body
    }

    /// Adapts the request form to a 400 that names a parameter the model does not support
    /// (OpenAI's `unsupported_parameter` / `unsupported_value`): the other length field, or
    /// no temperature. True when the request is worth sending again in the new form, which
    /// is kept for the rest of the run; a refusal of the other length field is final.
    fn adapt(&self, body: &str) -> bool {
        let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
        let error = &v["error"];
        let code = error["code"].as_str().unwrap_or("");
        if !code.starts_with("unsupported_") {
            return false;
        }
        let param = error["param"].as_str().unwrap_or("");
        let mut form = self.form.lock().unwrap_or_else(|e| e.into_inner());
        // a request sent before another thread adapted the form is refused the same way:
        // setting the form again is harmless, and the retry goes out in the new form
        if param == self.cfg.token_parameter.name() {
            form.tokens = self.cfg.token_parameter.other();
            true
        } else if param == "temperature" {
            form.temperature = false;
            true
        } else {
            false
        }
    }

    /// One chat completion for `section`, retried on 429, 5xx and transport errors, and
    /// once more for each request field the server refuses (`adapt`).
    fn complete(&self, section: &str) -> Result<Answer, LlmError> {
        let url = self.endpoint();
        // the whole exchange holds a place at the gate: the body is made, in the form known
        // by then, once the request may go, and a refused form is adapted before the next
        // request is made
        let attempt = |_| self.gate.run(|| self.exchange(&url, section));
        crate::retry::with_retries(self.cfg.max_retries, attempt, std::thread::sleep)
    }

    /// One request and what its answer comes to.
    fn exchange(&self, url: &str, section: &str) -> Attempt<Answer, LlmError> {
        let body = self.body(section);
        let mut req = self.http.post(url).json(&body);
        if let Some(key) = &self.api_key {
            req = req.bearer_auth(key);
        }
        let resp = match req.send() {
            Ok(resp) => resp,
            Err(e) => {
                let error = LlmError::Transport {
                    url: url.to_string(),
                    reason: self.scrub(&e.without_url().to_string()),
                };
                return Attempt::Retry { error, after: None };
            }
        };
        let status = resp.status().as_u16();
        let after = crate::retry::retry_after(resp.headers());
        let text = resp.text().unwrap_or_default();
        if status == 200 {
            let prompt = || {
                body["messages"][0]["content"]
                    .as_str()
                    .unwrap_or("")
                    .to_string()
            };
            return Attempt::Done(self.answer(prompt, &text).ok_or_else(|| LlmError::Shape {
                url: url.to_string(),
                body: self.scrub(&text),
            }));
        }
        let error = LlmError::Status {
            url: url.to_string(),
            status,
            body: self.scrub(&text),
        };
        if status == 429 || status >= 500 {
            Attempt::Retry { error, after }
        } else if status == 400 && self.adapt(&text) {
            Attempt::Retry {
                error,
                after: Some(Duration::ZERO),
            }
        } else {
            Attempt::Done(Err(error))
        }
    }

    /// Cuts `answer` to the cap at the last whole sentence that fits; whether it cut.
    fn fit(&self, answer: &str) -> (String, bool) {
        let answer = answer.trim();
        if self.tokenizer.count(answer) <= self.max_tokens {
            return (answer.to_string(), false);
        }
        let flat = answer.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut kept = self.longest_prefix(sentences::split(&flat));
        if kept.is_empty() {
            // not even one sentence fits: whole words then
            kept = self.longest_prefix(flat.split(' '));
        }
        (kept, true)
    }

    /// The longest run of `pieces`, joined by spaces, within the cap.
    fn longest_prefix<'a>(&self, pieces: impl IntoIterator<Item = &'a str>) -> String {
        let mut kept = String::new();
        for p in pieces {
            let next = if kept.is_empty() {
                p.to_string()
            } else {
                format!("{kept} {p}")
            };
            if self.tokenizer.count(&next) > self.max_tokens {
                break;
            }
            kept = next;
        }
        kept
    }

    /// Splits `text` into parts of at most `room` tokens, at paragraph boundaries where
    /// possible, else at sentences, else at words.
    fn parts(&self, text: &str) -> Vec<String> {
        let mut pieces: Vec<String> = Vec::new();
        for para in text.split("\n\n").filter(|p| !p.trim().is_empty()) {
            if self.tokenizer.count(para) <= self.room {
                pieces.push(para.to_string());
                continue;
            }
            let flat = para.split_whitespace().collect::<Vec<_>>().join(" ");
            for s in sentences::split(&flat) {
                if self.tokenizer.count(s) <= self.room {
                    pieces.push(s.to_string());
                } else {
                    let words: Vec<&str> = s.split(' ').collect();
                    // a word is at most a few tokens: chunks of room/8 words fit
                    for chunk in words.chunks((self.room / 8).max(1)) {
                        pieces.push(chunk.join(" "));
                    }
                }
            }
        }
        let mut parts: Vec<String> = Vec::new();
        let mut cur = String::new();
        for p in pieces {
            let joined = if cur.is_empty() {
                p.clone()
            } else {
                format!("{cur}\n\n{p}")
            };
            if !cur.is_empty() && self.tokenizer.count(&joined) > self.room {
                parts.push(std::mem::replace(&mut cur, p));
            } else {
                cur = joined;
            }
        }
        if !cur.is_empty() {
            parts.push(cur);
        }
        parts
    }
}

/// The path of the endpoint a batch request names (OpenAI's Batch API and `vllm run-batch`).
const BATCH_URL: &str = "/v1/chat/completions";

/// Batches (`tenk run --llm-batch`, `tenk batch-ingest`): one request per filing, sent by
/// someone else (OpenAI's Batch API, `vllm run-batch`), its answer read back later.
impl Llm {
    /// Whether a batch can carry every filing in one request: the condensed input must fit.
    pub fn check_batchable(&self) -> Result<(), LlmError> {
        let input_tokens = self.cfg.input_tokens;
        if input_tokens == 0 || input_tokens > self.room {
            return Err(LlmError::BatchInput {
                input_tokens,
                room: self.room,
                window: self.cfg.context_window,
            });
        }
        Ok(())
    }

    /// What the model reads of `section`: the condensed section, at most `input_tokens`.
    fn condensed(&self, section: &str) -> String {
        let text = section.trim();
        match &self.condenser {
            Some(c) if self.tokenizer.count(text) > self.cfg.input_tokens => {
                c.select(text, self.cfg.input_tokens).join(" ")
            }
            _ => text.to_string(),
        }
    }

    /// The batch request line for one filing, in the OpenAI Batch format. Its section fits
    /// one request once `check_batchable` has passed, which `batch::Requests` makes sure of.
    pub(super) fn batch_request(&self, custom_id: &str, section: &str) -> serde_json::Value {
        serde_json::json!({
            "custom_id": custom_id,
            "method": "POST",
            "url": BATCH_URL,
            "body": self.body(&self.condensed(section)),
        })
    }

    /// The summary in one line of a batch's results (`custom_id`, `response.status_code`,
    /// `response.body`, `error`), cut to the cap like any answer. `section` is the filing's
    /// Item 1, from which the prompt's tokens are counted when the result does not say.
    pub fn batch_summary(
        &self,
        result: &serde_json::Value,
        section: &str,
    ) -> Result<Summary, LlmError> {
        let fail = |why: String| LlmError::BatchResult(self.scrub(&why));
        if let Some(e) = result.get("error").filter(|e| !e.is_null()) {
            let message = e["message"]
                .as_str()
                .map_or_else(|| e.to_string(), str::to_string);
            return Err(fail(message));
        }
        let response = &result["response"];
        let status = response["status_code"].as_u64().unwrap_or(0);
        if status != 200 {
            return Err(fail(format!("HTTP {status}: {}", response["body"])));
        }
        let prompt = || self.prompt(&self.condensed(section));
        let answer = self
            .answer(prompt, &response["body"].to_string())
            .ok_or_else(|| fail(format!("an answer without a message: {}", response["body"])))?;
        self.summary(&answer.content, answer.usage)
    }
}

/// What one request brought back: the message and the tokens it took.
struct Answer {
    content: String,
    usage: Usage,
}

impl Llm {
    /// The answer in a chat-completions response, with the server's token counts
    /// (`usage`), or the tokenizer's count of the prompt (made only then) and the message
    /// where a server leaves them out.
    fn answer(&self, prompt: impl FnOnce() -> String, response: &str) -> Option<Answer> {
        let v: serde_json::Value = serde_json::from_str(response).ok()?;
        let content = v["choices"][0]["message"]["content"].as_str()?.to_string();
        let usage = &v["usage"];
        let usage = Usage {
            input: usage["prompt_tokens"]
                .as_u64()
                .unwrap_or_else(|| self.tokenizer.count(&prompt()) as u64),
            output: usage["completion_tokens"]
                .as_u64()
                .unwrap_or_else(|| self.tokenizer.count(&content) as u64),
        };
        Some(Answer { content, usage })
    }

    /// The summary an answer makes, cut to the cap; an empty answer is an error (a model
    /// that spent its whole budget thinking may send one), so the filing is tried again.
    fn summary(&self, content: &str, usage: Usage) -> Result<Summary, LlmError> {
        let (text, truncated) = self.fit(content);
        if text.is_empty() {
            return Err(LlmError::Empty);
        }
        Ok(Summary {
            tokens: self.tokenizer.count(&text),
            text,
            truncated,
            usage: Some(usage),
        })
    }
}

impl Summarizer for Llm {
    fn summarize(&self, section: &str) -> anyhow::Result<Summary> {
        let mut text = self.condensed(section);
        let mut tokens = self.tokenizer.count(&text);
        let mut usage = Usage::default();
        // map-reduce until one request carries the whole text
        while tokens > self.room {
            let partials = self
                .parts(&text)
                .par_iter()
                .map(|p| self.complete(p))
                .collect::<Result<Vec<_>, _>>()?;
            let mut fitted = Vec::with_capacity(partials.len());
            for a in partials {
                usage += a.usage;
                fitted.push(self.fit(&a.content).0);
            }
            let merged = fitted.join("\n\n");
            let merged_tokens = self.tokenizer.count(&merged);
            if merged_tokens >= tokens {
                return Err(LlmError::NoProgress {
                    tokens: merged_tokens,
                }
                .into());
            }
            (text, tokens) = (merged, merged_tokens);
        }
        let answer = self.complete(&text)?;
        usage += answer.usage;
        Ok(self.summary(&answer.content, usage)?)
    }

    fn name(&self) -> &'static str {
        "llm"
    }

    fn model(&self) -> Option<String> {
        Some(self.cfg.model.clone())
    }

    fn prompt_sha256(&self) -> Option<String> {
        Some(format!("{:x}", Sha256::digest(self.cfg.prompt.as_bytes())))
    }

    fn tokenizer(&self) -> &'static str {
        self.tokenizer.name()
    }

    fn concurrency(&self) -> Option<usize> {
        Some(self.cfg.concurrency.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn llm(context_window: usize) -> Llm {
        let cfg = LlmConfig {
            context_window,
            ..LlmConfig::default()
        };
        Llm::new(&cfg, Tokenizer::by_name("cl100k_base").unwrap(), 512).unwrap()
    }

    #[test]
    fn over_long_answers_are_cut_at_a_sentence() {
        let l = llm(16_384);
        let long = "We sell widgets to retailers worldwide. ".repeat(200);
        let (text, cut) = l.fit(&long);
        assert!(cut && text.ends_with("worldwide."));
        assert!(l.tokenizer.count(&text) <= 512);
        assert_eq!(l.fit("Short answer."), ("Short answer.".to_string(), false));
    }

    #[test]
    fn parts_respect_the_room() {
        let l = llm(4096);
        let text = (0..400)
            .map(|i| format!("Paragraph {i} says the company sells products through dealers."))
            .collect::<Vec<_>>()
            .join("\n\n");
        let parts = l.parts(&text);
        assert!(parts.len() > 1);
        assert!(parts.iter().all(|p| l.tokenizer.count(p) <= l.room));
        assert_eq!(parts.join("\n\n"), text, "nothing lost, paragraphs whole");
    }

    #[test]
    fn too_small_a_window_is_a_clear_error() {
        let cfg = LlmConfig {
            context_window: 1000,
            ..LlmConfig::default()
        };
        let e = Llm::new(&cfg, Tokenizer::by_name("cl100k_base").unwrap(), 512).err();
        assert!(e.unwrap().to_string().contains("context_window"));
    }

    /// A line of a batch's results answering with `content`, without token counts.
    fn answered(content: &str) -> serde_json::Value {
        serde_json::json!({"custom_id": "a", "error": null, "response": {"status_code": 200,
            "body": {"choices": [{"message": {"role": "assistant", "content": content}}]}}})
    }

    #[test]
    fn batch_results_are_cut_counted_and_their_errors_kept() {
        let l = llm(16_384);
        let section = "We sell widgets to retailers worldwide.";
        // over the cap: cut at a sentence; no usage: both sides counted
        let long = "We sell widgets to retailers worldwide. ".repeat(200);
        let s = l.batch_summary(&answered(&long), section).unwrap();
        assert!(s.truncated && s.tokens <= 512);
        let usage = s.usage.unwrap();
        assert_eq!(usage.input as usize, l.tokenizer.count(&l.prompt(section)));
        assert_eq!(usage.output as usize, l.tokenizer.count(&long));
        // an empty answer, a line of OpenAI's error file, a failed request
        assert!(matches!(
            l.batch_summary(&answered(" "), section),
            Err(LlmError::Empty)
        ));
        let expired = serde_json::json!({"custom_id": "a", "response": null,
            "error": {"code": "batch_expired", "message": "not executed before the window expired"}});
        let e = l.batch_summary(&expired, section).unwrap_err().to_string();
        assert!(e.contains("window expired"), "{e}");
        let failed = serde_json::json!({"custom_id": "a", "error": null,
            "response": {"status_code": 429, "body": {"error": {"message": "rate limited"}}}});
        let e = l.batch_summary(&failed, section).unwrap_err().to_string();
        assert!(e.contains("HTTP 429") && e.contains("rate limited"), "{e}");
    }
}
