//! Finding and fetching 10-K filings on EDGAR (or a local mirror laid out like it).

pub mod cache;
pub mod client;
pub mod discover;
pub mod filing;
pub mod index;
pub mod limiter;
pub mod submissions;
pub mod tickers;

pub use client::{Client, EventSink, FetchError, FetchEvent, FetchStats};
pub use discover::{discover, Selection, Unresolved, UnresolvedKind};
pub use filing::{Accession, Cik, Company, Filing};
