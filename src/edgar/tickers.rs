//! Ticker → CIK, from SEC's `files/company_tickers.json` or its variant
//! `files/company_tickers_exchange.json`.
//!
//! The first is a JSON object keyed "0", "1", … whose values carry `cik_str` (a number,
//! despite its name), `ticker` and `title`. The variant is a table: `fields` names the
//! columns (`cik`, `name`, `ticker`, `exchange`) and `data` holds the rows. One CIK can have
//! several tickers.

use std::collections::HashMap;

use serde::Deserialize;

use super::filing::Cik;

pub const TICKERS_PATH: &str = "files/company_tickers.json";
pub const TICKERS_EXCHANGE_PATH: &str = "files/company_tickers_exchange.json";

/// The table form of `company_tickers_exchange.json`.
#[derive(Debug, Deserialize)]
struct Table {
    fields: Vec<String>,
    data: Vec<Vec<serde_json::Value>>,
}

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
    /// Parses either form of SEC's ticker list.
    pub fn parse(json: &[u8]) -> Result<Self, serde_json::Error> {
        if let Ok(table) = serde_json::from_slice::<Table>(json) {
            let col = |name: &str| table.fields.iter().position(|f| f == name);
            let (Some(c), Some(t)) = (col("cik"), col("ticker")) else {
                return Err(serde::de::Error::custom(
                    "ticker table without cik and ticker fields",
                ));
            };
            let by_ticker = table
                .data
                .iter()
                .filter_map(|row| {
                    let cik = row.get(c)?.as_u64()?;
                    let ticker = row.get(t)?.as_str()?;
                    Some((ticker.to_ascii_uppercase(), Cik(cik)))
                })
                .collect();
            return Ok(Tickers { by_ticker });
        }
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
    fn parses_the_ticker_file() {
        let json = std::fs::read("tests/fixtures/edgar-api/company_tickers.json").unwrap();
        let t = Tickers::parse(&json).unwrap();
        assert_eq!(t.len(), 7);
        assert_eq!(t.cik("msft"), Some(Cik(789019)));
        // one company, several tickers
        assert_eq!(t.cik(" brk-a "), Some(Cik(1067983)));
        assert_eq!(t.cik("BRK-B"), Some(Cik(1067983)));
        assert_eq!(t.cik("GOOG"), t.cik("googl"));
        assert_eq!(t.cik("NOPE-NOT-A-TICKER"), None);
    }

    #[test]
    fn parses_the_real_ticker_file() {
        let Some(corpus) = crate::test_support::corpus("edgar::tickers real ticker file") else {
            return;
        };
        let json = std::fs::read(corpus.join("edgar-api/company_tickers.json")).unwrap();
        let t = Tickers::parse(&json).unwrap();
        assert!(t.len() > 9000);
        assert_eq!(t.cik("msft"), Some(Cik(789019)));
        assert_eq!(t.cik("NOPE-NOT-A-TICKER"), None);
    }

    #[test]
    fn parses_the_exchange_variant() {
        let json = br#"{"fields":["cik","name","ticker","exchange"],
            "data":[[320193,"Apple Inc.","AAPL","Nasdaq"],[948708,"SMITH MICRO SOFTWARE, INC.","SMSI","Nasdaq"]]}"#;
        let t = Tickers::parse(json).unwrap();
        assert_eq!(t.cik("smsi"), Some(Cik(948708)));
        assert_eq!(t.len(), 2);
        assert!(Tickers::parse(br#"{"fields":["name"],"data":[]}"#).is_err());
    }
}
