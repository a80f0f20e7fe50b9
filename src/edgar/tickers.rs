//! Ticker → CIK, from SEC's `files/company_tickers.json`.
//!
//! The file is a JSON object keyed "0", "1", … whose values carry `cik_str` (a number,
//! despite its name), `ticker` and `title`. One CIK can have several tickers.

use std::collections::HashMap;

use serde::Deserialize;

use super::filing::Cik;

pub const TICKERS_PATH: &str = "files/company_tickers.json";

#[derive(Debug, Deserialize)]
struct Entry {
    cik_str: u64,
    ticker: String,
}

/// The ticker map, looked up case-insensitively.
#[derive(Debug, Default)]
pub struct Tickers {
    by_ticker: HashMap<String, Cik>,
}

impl Tickers {
    pub fn parse(json: &[u8]) -> Result<Self, serde_json::Error> {
        let raw: HashMap<String, Entry> = serde_json::from_slice(json)?;
        let by_ticker = raw
            .into_values()
            .map(|e| (e.ticker.to_ascii_uppercase(), Cik(e.cik_str)))
            .collect();
        Ok(Tickers { by_ticker })
    }

    pub fn cik(&self, ticker: &str) -> Option<Cik> {
        self.by_ticker
            .get(&ticker.trim().to_ascii_uppercase())
            .copied()
    }

    pub fn len(&self) -> usize {
        self.by_ticker.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_ticker.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_real_ticker_file() {
        let json = std::fs::read("../shared/corpus/edgar-api/company_tickers.json").unwrap();
        let t = Tickers::parse(&json).unwrap();
        assert!(t.len() > 9000);
        assert_eq!(t.cik("msft"), Some(Cik(789019)));
        assert_eq!(t.cik("NOPE-NOT-A-TICKER"), None);
    }
}
