//! tenk: finds 10-K filings on SEC EDGAR, isolates Item 1 (Business), summarizes the
//! business model within a token budget and writes one Parquet row per filing.
//!
//! The stages, in the order data flows through them (see ARCHITECTURE.md):
//! `edgar` (discover and fetch) → `document` (clean text) → `items` (the sections of every
//! item; `item1` is the one summarized) → `summarize` → `output` (Parquet); `pipeline`
//! wires them for a run. `retry` is the backoff policy both HTTP clients (EDGAR, LLM
//! servers) share; `atomic` the one way a file others read is written.

#![warn(clippy::too_many_lines)]

pub mod atomic;
pub mod config;
pub mod document;
pub mod edgar;
pub mod form;
pub mod item1;
pub mod items;
pub mod output;
pub mod pipeline;
pub mod retry;
pub mod summarize;
#[cfg(test)]
mod test_support;
