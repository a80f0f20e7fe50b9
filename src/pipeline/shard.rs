//! `--shard K/N`: a machine's share of a run's filings.

/// This machine's share of a run's filings, K of N (1 ≤ K ≤ N): a split by a stable hash of
/// the accession number, so every machine computes the same split without talking to the
/// others. Made only through `new` or parsing "K/N", so no shard divides by zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    k: usize,
    n: usize,
}

impl Shard {
    /// Shard `k` of `n`, or None unless 1 ≤ k ≤ n.
    pub fn new(k: usize, n: usize) -> Option<Shard> {
        (k >= 1 && k <= n).then_some(Shard { k, n })
    }

    /// Is the filing with this accession number in the shard?
    pub fn contains(&self, accession: &str) -> bool {
        // FNV-1a: stable across platforms and Rust versions, unlike the std hasher; a
        // change would move filings between shards of a dataset already written
        let h = accession.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        (h % self.n as u64) as usize == self.k - 1
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    /// "K/N" with 1 ≤ K ≤ N.
    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("{s:?} is not a shard like 2/4 (K of N, 1 <= K <= N)");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k = k.trim().parse().map_err(|_| bad())?;
        let n = n.trim().parse().map_err(|_| bad())?;
        Shard::new(k, n).ok_or_else(bad)
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_filing_into_exactly_one_and_none_divides_by_zero() {
        assert_eq!(Shard::new(0, 0), None);
        assert_eq!(Shard::new(3, 2), None);
        assert!("0/0".parse::<Shard>().is_err());
        assert!("2/0".parse::<Shard>().is_err());
        assert_eq!("2/4".parse::<Shard>(), Ok(Shard { k: 2, n: 4 }));
        let shards: Vec<Shard> = (1..=3).map(|k| Shard::new(k, 3).unwrap()).collect();
        for i in 0..300 {
            let accession = format!("0000950130-96-{i:06}");
            let holding = shards.iter().filter(|s| s.contains(&accession)).count();
            assert_eq!(holding, 1, "{accession}");
        }
        // the hash is part of the on-disk contract: a sharded dataset must keep its split
        assert!(Shard::new(2, 2).unwrap().contains("0000950130-96-000896"));
        assert!(Shard::new(4, 4).unwrap().contains("0000950130-96-000896"));
        assert!(Shard::new(2, 4).unwrap().contains("0000948708-21-000010"));
    }
}
