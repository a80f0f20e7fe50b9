//! The requests file of a batch (`tenk run --llm-batch FILE`): one request per filing in
//! the OpenAI Batch format, which `vllm run-batch` reads too, for someone else to send.
//! `tenk batch-ingest` reads the results back (`Llm::batch_summary`).
//!
//! Why appended as filings are done, and synced before each batch of rows is written: a
//! row marked `pending` must find its request in the file even after a crash. A rerun
//! redoes the filings whose rows were lost, and a request already in the file is not
//! written twice (the Batch API refuses a file with a repeated `custom_id`); a line torn by
//! a crash is cut off when the file is opened again. A filing whose earlier request was
//! answered (and failed) needs a new file: the pipeline refuses to redo it into the old
//! one. One run at a time writes a file (an OS lock), since two would interleave lines.

use std::collections::HashSet;
use std::fs::TryLockError;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{bail, Context, Result};

use super::llm::Llm;

/// A batch's requests file, open for appending.
pub struct Requests {
    llm: Llm,
    path: PathBuf,
    /// The file and the `custom_id`s in it.
    file: Mutex<(File, HashSet<String>)>,
}

impl Requests {
    /// Opens (or creates) the requests file at `path` for `llm`'s requests, after checking
    /// that every filing fits one request.
    pub fn create(llm: Llm, path: &Path) -> Result<Requests> {
        llm.check_batchable()?;
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(path)
            .with_context(|| format!("cannot open {}", path.display()))?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                bail!("{} is being written by another tenk run", path.display())
            }
            Err(TryLockError::Error(e)) => {
                return Err(e).with_context(|| format!("cannot lock {}", path.display()))
            }
        }
        let ids = read_ids(&mut file).with_context(|| format!("cannot read {}", path.display()))?;
        Ok(Requests {
            llm,
            path: path.to_path_buf(),
            file: Mutex::new((file, ids)),
        })
    }

    /// Appends the request for one filing (`custom_id`: its accession number), unless the
    /// file already holds it.
    pub fn add(&self, custom_id: &str, section: &str) -> Result<()> {
        let line = self.llm.batch_request(custom_id, section);
        let mut guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        let (file, ids) = &mut *guard;
        if ids.contains(custom_id) {
            return Ok(());
        }
        let mut bytes = serde_json::to_vec(&line)?;
        bytes.push(b'\n');
        file.write_all(&bytes)
            .with_context(|| format!("cannot write {}", self.path.display()))?;
        ids.insert(custom_id.to_string());
        Ok(())
    }

    /// Makes the requests written so far durable (before the rows that point to them).
    pub fn sync(&self) -> Result<()> {
        let guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        guard
            .0
            .sync_data()
            .with_context(|| format!("cannot write {}", self.path.display()))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The summarizer whose requests these are (its name, model and prompt go in the rows).
    pub fn llm(&self) -> &Llm {
        &self.llm
    }

    /// Whether the file holds a request for `custom_id`.
    pub fn holds(&self, custom_id: &str) -> bool {
        let guard = self.file.lock().unwrap_or_else(|e| e.into_inner());
        guard.1.contains(custom_id)
    }
}

/// The `custom_id`s of a requests file's whole lines; a torn last line (a crash while it
/// was written, maybe inside a character) is cut off.
fn read_ids(file: &mut File) -> Result<HashSet<String>> {
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(0))?;
    file.read_to_end(&mut bytes)?;
    let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    if whole < bytes.len() {
        file.set_len(whole as u64)?;
    }
    Ok(custom_ids(&String::from_utf8_lossy(&bytes[..whole])))
}

/// The `custom_id`s of the lines of a JSONL requests or results file (lines that are not
/// JSON, or have none, are left out).
pub fn custom_ids(text: &str) -> HashSet<String> {
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["custom_id"].as_str().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{LlmConfig, TokenizerName};
    use crate::summarize::tokens::Tokenizer;

    fn llm(input_tokens: usize) -> Llm {
        let cfg = LlmConfig {
            input_tokens,
            ..LlmConfig::default()
        };
        Llm::new(&cfg, Tokenizer::new(TokenizerName::Cl100kBase), 512).unwrap()
    }

    #[test]
    fn a_torn_line_is_cut_a_request_is_written_once_and_one_run_writes_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("requests.jsonl");
        // the torn line ends inside a character
        let torn = b"{\"custom_id\": \"a\"}\n{\"custom_id\": \"b\", \"body\": \"\xe2\x80";
        std::fs::write(&path, torn).unwrap();
        let requests = Requests::create(llm(4000), &path).unwrap();
        requests.add("a", "The company sells software.").unwrap();
        requests.add("c", "The company sells software.").unwrap();
        requests.add("c", "The company sells software.").unwrap();
        requests.sync().unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let ids: Vec<String> = text
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["custom_id"].to_string())
            .collect();
        assert_eq!(ids, ["\"a\"", "\"c\""], "{text}");
        let second = Requests::create(llm(4000), &path).err().unwrap();
        assert!(second.to_string().contains("another tenk run"), "{second}");
    }

    #[test]
    fn a_batch_needs_condensed_input_that_fits_one_request() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("requests.jsonl");
        for input_tokens in [0, 100_000] {
            let e = Requests::create(llm(input_tokens), &path).err().unwrap();
            assert!(
                e.to_string().contains("input_tokens must be between 1 and"),
                "{e}"
            );
        }
    }
}
