//! The embedded summarizer: picks the sentences of Item 1 that best describe the business
//! model — sources of revenue, customers, products, distribution channels, financing — and
//! returns them in document order as one paragraph within the token budget.
//!
//! Every output sentence is verbatim from the section, so the summary cannot state anything
//! the filing does not. Selection is greedy: each round takes the sentence with the best
//! gain per token (tokens^0.7, so short fact-dense sentences win without starving long
//! ones). Gain rewards aspects not yet covered (plain cues, and strong cues that state an
//! aspect outright), names and figures (specific facts), terms central to the section and an
//! early position; it is divided down for off-topic matter (competition, regulation and
//! the courts, risk language, officer biographies, incorporation history, governance) and
//! boilerplate and near-duplicates are never taken. A last pass swaps chosen sentences
//! for unchosen ones while that raises the coverage of the whole selection: greedy rounds
//! can spend the budget early on sentences that later ones make redundant.

use std::collections::{HashMap, HashSet};

use super::sentences::{sentences, Sentence};
use super::tokens::Tokenizer;
use super::{Summarizer, Summary};

/// The five aspects of a business model the summary must cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Aspect {
    Revenue,
    Customers,
    Products,
    Distribution,
    Financing,
}

const ASPECTS: [Aspect; 5] = [
    Aspect::Revenue,
    Aspect::Customers,
    Aspect::Products,
    Aspect::Distribution,
    Aspect::Financing,
];

/// Cue words and phrases per aspect (lower case; matched at word starts).
fn cues(a: Aspect) -> &'static [&'static str] {
    match a {
        Aspect::Revenue => &[
            "revenue",
            "net sales",
            "sales of",
            "fee",
            "subscription",
            "licens",
            "royalt",
            "recurring",
            "pricing",
            "we generate",
            "we derive",
            "derived from",
            "earn",
            "accounted for",
            "% of",
            "percent of",
            "commission",
            "premium",
            "interest income",
            "advertising",
            "rental income",
            "margin",
            "monetiz",
            "sells",
            "sale of",
        ],
        Aspect::Customers => &[
            "customer",
            "client",
            "consumer",
            "user",
            "subscriber",
            "enterprise",
            "carrier",
            "operator",
            "retailer",
            "oem",
            "original equipment manufacturer",
            "government",
            "hospital",
            "patient",
            "member",
            "policyholder",
            "small and medium",
            "household",
            "tenant",
            "end user",
            "businesses",
            "markets",
            "industries",
            "buyers",
        ],
        Aspect::Products => &[
            "product",
            "service",
            "solution",
            "platform",
            "software",
            "offer",
            "provide",
            "portfolio",
            "brand",
            "manufactur",
            "develop",
            "design",
            "technolog",
            "application",
            "system",
        ],
        Aspect::Distribution => &[
            "distribut",
            "sales force",
            "direct sales",
            "resell",
            "channel",
            "retail",
            "wholesale",
            "dealer",
            "agent",
            "broker",
            "e-commerce",
            "ecommerce",
            "online",
            "store",
            "website",
            "partner",
            "marketplace",
            "sold through",
            "sell through",
            "sells through",
            "sold to",
            "sold directly",
            "market our",
            "markets its",
            "marketing",
            "independent",
            "direct-to",
            "franchise",
        ],
        Aspect::Financing => &[
            "financing",
            "credit facilit",
            "credit agreement",
            "revolving",
            "loan",
            "note",
            "debt",
            "borrow",
            "equity",
            "private placement",
            "capital",
            "cash from operations",
            "cash flow",
            "proceeds",
            "funded",
            "funding",
            "bank",
            "investor",
            "initial public offering",
            "trust account",
            "convertible",
            "dividend",
            "liquidity",
            "raise",
            "raised",
            "lease",
            "acquisition",
            "acquired",
        ],
    }
}

/// Phrases that state an aspect outright ("accounted for 34% of net sales", "customers
/// include", "sold through distributors"); each counts as much as several plain cues.
fn strong_cues(a: Aspect) -> &'static [&'static str] {
    match a {
        Aspect::Revenue => &[
            "% of net",
            "% of total",
            "% of our",
            "% of consolidated",
            "% of revenue",
            "% of sales",
            "percent of net",
            "percent of total",
            "percent of revenue",
            "percent of sales",
            "percent of consolidated",
            "revenues are derived",
            "revenue is derived",
            "we generate revenue",
            "we derive",
            "generates revenue",
            "revenues from",
            "revenue from",
            "fees from",
            "royalties",
            "pricing",
            "% of the company",
            "percent of the company",
            "of our revenue",
            "of our net",
            "total revenues",
            "total net sales",
            "total sales",
            "generated by",
            "generated from",
            "we earn",
        ],
        Aspect::Customers => &[
            "customers include",
            "customers are",
            "customers for",
            "customers of",
            "our target customer",
            "clients are",
            "of our clients",
            "of our customers",
            "purchased by",
            "used by",
            "used principally",
            "customers worldwide",
            "small to medium",
            "small and medium",
            "to consumers",
            "to individuals",
            "to businesses",
            "our customers",
            "customer base",
            "major customer",
            "largest customer",
            "significant customer",
            "clients include",
            "our clients",
            "sell to",
            "sells to",
            "serve",
            "countries",
            "consumers",
            "end users",
        ],
        Aspect::Products => &[
            "our products",
            "products include",
            "product line",
            "we offer",
            "we provide",
            "we manufacture",
            "we sell",
            "we develop",
            "segment",
            "brands",
            "®",
            "™",
            // the sentence that says what the company is
            "is a leading",
            "is one of the",
            "is a global",
            "we are a",
            "is engaged in",
            "are engaged in",
            "is a provider",
        ],
        Aspect::Distribution => &[
            "sold through",
            "sells through",
            "sell through",
            "sold directly",
            "sales force",
            "distributors",
            "sales representatives",
            "resellers",
            "dealers",
            "retail",
            "online",
            "franchise",
            "warehous",
        ],
        Aspect::Financing => &[
            "credit facilit",
            "term loan",
            "listed on",
            "stock exchange",
            "nasdaq",
            "nyse",
            "public offering",
            "private placement",
            "securitization",
            "commercial paper",
            "deposits",
            "dividends",
            "reinvest",
            "re-invest",
            "debentures",
            "notes payable",
            "note payable",
        ],
    }
}

/// How much each aspect counts; financing and distribution are where summaries most often
/// fall short, and the text says least about them.
fn aspect_weight(a: Aspect) -> f64 {
    match a {
        Aspect::Revenue => 1.3,
        Aspect::Customers => 1.1,
        Aspect::Products => 1.0,
        Aspect::Distribution => 1.2,
        Aspect::Financing => 1.3,
    }
}

/// Phrases that mark boilerplate rather than business description.
const BOILERPLATE: &[&str] = &[
    "forward-looking",
    "forward looking",
    "www.",
    "http",
    "free of charge",
    "sec.gov",
    "incorporated by reference",
    "incorporated herein",
    "this annual report",
    "this report",
    "form 10-k",
    "collective bargaining",
    "equal opportunity",
    "safe harbor",
    "private securities litigation",
    "internet address",
    "our website",
    "code of ethics",
    "code of conduct",
    "investor relations",
    "press releases",
    "webcast",
    "see note",
    "accompanying notes",
    "notes to consolidated",
    "notes to the consolidated",
];

const STOPWORDS: &[&str] = &[
    "the",
    "and",
    "of",
    "to",
    "a",
    "in",
    "for",
    "our",
    "we",
    "is",
    "are",
    "on",
    "as",
    "by",
    "with",
    "or",
    "that",
    "its",
    "be",
    "an",
    "this",
    "from",
    "which",
    "at",
    "it",
    "such",
    "these",
    "other",
    "have",
    "has",
    "not",
    "also",
    "their",
    "may",
    "will",
    "can",
    "than",
    "more",
    "all",
    "any",
    "been",
    "was",
    "were",
    "us",
    "including",
    "company",
    "each",
];

/// The extractive summarizer, configured with its tokenizer and budget.
#[derive(Debug, Clone)]
pub struct Extractive {
    tokenizer: Tokenizer,
    max_tokens: usize,
}

/// A sentence with what selection needs to know about it.
struct Candidate {
    index: usize,
    text: String,
    /// A cheap length estimate for scoring; the budget is checked with the tokenizer.
    estimated_tokens: usize,
    aspects: [f64; 5],
    centrality: f64,
    position: f64,
    specificity: f64,
    off_topic: f64,
    /// Its content words as ids (sorted, distinct), for redundancy checks.
    words: Vec<u32>,
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '%')
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Does this sentence read like prose (not a heading, table row or fragment)?
fn is_prose(s: &str) -> bool {
    let chars = s.chars().count();
    if !(40..=2500).contains(&chars) {
        return false;
    }
    if !s.ends_with(['.', '!', '?', '"', '”', ')']) {
        return false;
    }
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    let upper = s.chars().filter(|c| c.is_uppercase()).count();
    let digits = s.chars().filter(|c| c.is_ascii_digit()).count();
    let first = s.chars().next().unwrap_or(' ');
    letters * 2 > chars
        && upper * 3 < letters
        && digits * 5 < chars
        && (first.is_uppercase() || first.is_ascii_digit() || "\"“($".contains(first))
        && s.split_whitespace().count() >= 6
}

/// Cues of topics an Item 1 covers that are not the business model: competition,
/// regulation, employees, intellectual property, environment, risk language.
const OFF_TOPIC: &[&str] = &[
    "compet",
    "regulat",
    "environmental",
    "employees",
    "human capital",
    "patent",
    "trademark",
    "intellectual property",
    "litigation",
    "research and development",
    "could",
    "if we",
    "may not",
    "there can be no assurance",
    "we believe",
    "seasonal",
    "backlog",
    "executive officer",
    // the law, the courts and approvals by regulators
    "court",
    "appeal",
    "lawsuit",
    "legislation",
    "act of",
    "act was",
    "approval",
    "advisory committee",
    "fda",
    "clinical",
    // where and when the company was incorporated, compliance, warranties
    "was incorporated",
    "incorporated in",
    "under the laws of",
    "compliance",
    "requirements",
    "warranty",
    "warranties",
    // corporate citizenship
    "diversity",
    "sustainab",
    "philanthrop",
    "charit",
    "volunteer",
    // liability, recalls, supplies and governance
    "product liability",
    "recall",
    "raw material",
    "board",
    "directors",
    // biographies of executive officers, which many Items 1 end with
    "vice president",
    "chief operating officer",
    "chief financial officer",
    "chief executive",
    "has served",
    "served as",
    "was appointed",
    "was named",
    "he was",
    "she was",
    "mr ",
    "ms ",
    "dr ",
    "degree",
    "prior thereto",
    "he had been",
    "she had been",
];

/// Words that are capitalized for grammar, not because they name something.
const COMMON_CAPITALS: &[&str] = &[
    "the",
    "we",
    "our",
    "in",
    "a",
    "an",
    "as",
    "for",
    "this",
    "these",
    "company",
    "it",
    "its",
    "on",
    "to",
    "and",
    "of",
    "by",
    "at",
    "with",
    "from",
    "item",
    "part",
    "inc",
    "corporation",
    "form",
    "united",
    "states",
    "u",
    "s",
    "i",
    "ii",
    "iii",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "fiscal",
    "year",
    "annual",
    "report",
    "note",
    "notes",
    "section",
];

/// How much a sentence names: proper names (products, brands, customers, partners),
/// percentages, amounts and counts. Facts a reader wants are specific; generic sentences
/// are not.
fn specificity(text: &str) -> f64 {
    let mut names: HashSet<&str> = HashSet::new();
    let mut figures = 0usize;
    for (i, raw) in text.split_whitespace().enumerate() {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '%' && c != '$');
        if w.is_empty() {
            continue;
        }
        // counts with thousands separators ("41,822 restaurants") size the business
        let count = w.contains(',')
            && w.chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
        if count || w.contains('%') || w.starts_with('$') || raw.contains('®') || raw.contains('™')
        {
            figures += 1;
            continue;
        }
        let first = w.chars().next().unwrap_or(' ');
        let lower = w.to_lowercase();
        if i > 0
            && first.is_uppercase()
            && w.chars().count() > 1
            && !COMMON_CAPITALS.contains(&lower.as_str())
        {
            names.insert(w);
        }
    }
    ((names.len() + 2 * figures) as f64).sqrt().min(4.0) / 2.0
}

/// Every cue list in one Aho-Corasick automaton, built once per process: a sentence is
/// scanned once, not once per cue. Cues match at a word start in the padded text
/// (" cue"); those that begin with a symbol ("% of net", "®") are matched as written.
struct Lexicon {
    automaton: aho_corasick::AhoCorasick,
    /// per pattern: which list it belongs to
    lists: Vec<List>,
}

#[derive(Clone, Copy, PartialEq)]
enum List {
    Plain(usize),
    Strong(usize),
    OffTopic,
}

/// Cue hits of one sentence.
struct Hits {
    aspects: [f64; 5],
    off_topic: f64,
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    LEXICON.get_or_init(|| {
        let mut patterns = Vec::new();
        let mut lists = Vec::new();
        let mut add = |list: &[&str], tag: List| {
            for c in list {
                patterns.push(if c.starts_with(['%', '®', '™']) {
                    c.to_string()
                } else {
                    format!(" {c}")
                });
                lists.push(tag);
            }
        };
        for (k, a) in ASPECTS.iter().enumerate() {
            add(cues(*a), List::Plain(k));
            add(strong_cues(*a), List::Strong(k));
        }
        add(OFF_TOPIC, List::OffTopic);
        let automaton = aho_corasick::AhoCorasick::new(&patterns).expect("cue automaton");
        Lexicon { automaton, lists }
    })
}

/// Scores a sentence's cues. `padded` is the lower-case sentence with punctuation other
/// than `%` and `-` turned to spaces and a leading space; symbol cues are looked for in
/// `lower`, the lower-case sentence as written.
fn cue_hits(lower: &str, padded: &str) -> Hits {
    let lex = lexicon();
    let mut found = vec![false; lex.lists.len()];
    for text in [padded, lower] {
        for m in lex.automaton.find_overlapping_iter(text) {
            found[m.pattern().as_usize()] = true;
        }
    }
    let mut plain = [0.0f64; 5];
    let mut strong = [0.0f64; 5];
    let mut off_topic = 0.0;
    for (tag, _) in lex.lists.iter().zip(&found).filter(|(_, f)| **f) {
        match *tag {
            List::Plain(k) => plain[k] += 1.0,
            List::Strong(k) => strong[k] += 1.0,
            List::OffTopic => off_topic += 1.0,
        }
    }
    Hits {
        // diminishing returns: the first cue says most
        aspects: std::array::from_fn(|k| (plain[k] + 2.0 * strong[k]).sqrt().min(3.0)),
        off_topic,
    }
}

impl Extractive {
    pub fn new(tokenizer: Tokenizer, max_tokens: usize) -> Self {
        Extractive {
            tokenizer,
            max_tokens,
        }
    }

    fn candidates(&self, section: &str) -> Vec<Candidate> {
        let all: Vec<Sentence> = sentences(section);
        let paragraphs = all.last().map_or(1, |s| s.paragraph + 1) as f64;
        // term frequencies over the prose of the section
        let mut tf: HashMap<String, f64> = HashMap::new();
        let prose: Vec<(usize, &Sentence)> = all
            .iter()
            .enumerate()
            .filter(|(_, s)| is_prose(&s.text))
            .collect();
        for (_, s) in &prose {
            for w in words(&s.text) {
                if w.len() > 2 && !STOPWORDS.contains(&w.as_str()) {
                    *tf.entry(w).or_default() += 1.0;
                }
            }
        }
        let max_tf = tf.values().copied().fold(1.0, f64::max);
        let mut ids_of: HashMap<String, u32> = HashMap::new();
        let mut seen = HashSet::new();
        prose
            .into_iter()
            .filter(|(_, s)| seen.insert(s.text.to_lowercase()))
            .filter(|(_, s)| {
                let lower = s.text.to_lowercase();
                !BOILERPLATE.iter().any(|b| lower.contains(b))
            })
            .map(|(index, s)| {
                let lower = s.text.to_lowercase();
                let padded = format!(
                    " {}",
                    lower.replace(|c: char| !c.is_alphanumeric() && c != '%' && c != '-', " ")
                );
                let ws = words(&s.text);
                let content: Vec<&String> = ws
                    .iter()
                    .filter(|w| w.len() > 2 && !STOPWORDS.contains(&w.as_str()))
                    .collect();
                let centrality = if content.is_empty() {
                    0.0
                } else {
                    content
                        .iter()
                        .map(|w| tf.get(*w).copied().unwrap_or(0.0) / max_tf)
                        .sum::<f64>()
                        / (content.len() as f64).sqrt()
                };
                let hits = cue_hits(&lower, &padded);
                Candidate {
                    index,
                    estimated_tokens: estimate_tokens(&s.text),
                    text: s.text.clone(),
                    aspects: hits.aspects,
                    centrality,
                    // early paragraphs state the business; a section that comes as one
                    // block (text pasted from elsewhere) is placed by its sentences
                    position: if paragraphs > 1.0 {
                        1.0 - (s.paragraph as f64 / paragraphs)
                    } else {
                        1.0 - index as f64 / all.len() as f64
                    },
                    specificity: specificity(&s.text),
                    off_topic: hits.off_topic,
                    words: {
                        let mut ids: Vec<u32> = content
                            .into_iter()
                            .map(|w| {
                                let next = ids_of.len() as u32;
                                *ids_of.entry(w.clone()).or_insert(next)
                            })
                            .collect();
                        ids.sort_unstable();
                        ids.dedup();
                        ids
                    },
                }
            })
            .collect()
    }

    /// Selects sentences greedily; returns their indices into `cands`. Only the sentences
    /// that win a round are counted with the tokenizer, which keeps selection fast.
    fn select(&self, cands: &[Candidate]) -> Vec<usize> {
        let mut p = Picked {
            chosen: Vec::new(),
            out: vec![false; cands.len()],
            covered: [0.0; 5],
            used: 0,
        };
        let density = |c: &Candidate, gain: f64| {
            gain / (1.0 + c.off_topic) / (c.estimated_tokens as f64).powf(0.7)
        };
        // the best gain per token, round by round
        loop {
            let mut best: Option<(f64, usize)> = None;
            for (i, c) in cands.iter().enumerate() {
                if p.out[i] || p.used + c.estimated_tokens / 2 > self.max_tokens {
                    continue;
                }
                let aspect_gain: f64 = ASPECTS
                    .iter()
                    .enumerate()
                    .map(|(k, a)| aspect_weight(*a) * c.aspects[k] / (1.0 + p.covered[k]))
                    .sum();
                let gain = aspect_gain + own_gain(c);
                let score = density(c, gain);
                if best.is_none_or(|(s, _)| score > s) {
                    best = Some((score, i));
                }
            }
            let Some((_, i)) = best else { break };
            p.take(i, cands, self);
        }
        let mut chosen = p.chosen;
        self.exchange(cands, &mut chosen);
        chosen.sort_by_key(|&i| cands[i].index);
        chosen
    }
}

/// Share of content words two sentences have in common above which one is a
/// near-duplicate of the other.
const NEAR_DUPLICATE: f64 = 0.5;

/// How much aspect coverage counts against what sentences bring on their own when whole
/// selections are compared: the exchange pass is there to trade a sentence that adds little
/// coverage for one that adds more.
const COVERAGE_WEIGHT: f64 = 2.0;

/// At most this many exchanges; the pass usually settles after a handful.
const MAX_EXCHANGES: usize = 20;

/// What a sentence brings besides its aspects: terms central to the section, an early
/// position, specific facts.
fn own_gain(c: &Candidate) -> f64 {
    0.5 * c.centrality + 0.4 * c.position + 0.3 * c.specificity
}

/// A selection's aspect coverage and what its sentences bring on their own, kept up to
/// date as sentences are swapped.
#[derive(Clone, Copy)]
struct Tally {
    covered: [f64; 5],
    own: f64,
    estimated_tokens: usize,
}

impl Tally {
    fn of(cands: &[Candidate], set: &[usize]) -> Tally {
        let mut t = Tally {
            covered: [0.0; 5],
            own: 0.0,
            estimated_tokens: 0,
        };
        for &i in set {
            t.add(&cands[i], 1.0);
        }
        t
    }

    /// Adds (sign 1) or removes (sign -1) a sentence.
    fn add(&mut self, c: &Candidate, sign: f64) {
        for (k, v) in c.aspects.iter().enumerate() {
            self.covered[k] += sign * v;
        }
        self.own += sign * own_gain(c) / (1.0 + c.off_topic);
        let tokens = c.estimated_tokens + 1;
        if sign > 0.0 {
            self.estimated_tokens += tokens;
        } else {
            self.estimated_tokens -= tokens;
        }
    }

    /// The value of the selection: the coverage of each aspect with diminishing returns
    /// (the logarithm whose gains greedy selection takes round by round), and what each
    /// sentence brings on its own, divided down when off topic.
    fn value(&self) -> f64 {
        let coverage: f64 = ASPECTS
            .iter()
            .zip(self.covered)
            .map(|(a, v)| aspect_weight(*a) * v.max(0.0).ln_1p())
            .sum();
        COVERAGE_WEIGHT * coverage + self.own
    }

    /// The tally with `out` swapped for `j`.
    fn swapped(&self, out: &Candidate, j: &Candidate) -> Tally {
        let mut t = *self;
        t.add(out, -1.0);
        t.add(j, 1.0);
        t
    }
}

impl Extractive {
    /// Greedy selection can spend the budget early on sentences that later ones make
    /// redundant. This pass swaps one chosen sentence for an unchosen one, the best swap at
    /// a time, while a swap raises the value of the selection and the summary still fits:
    /// lengths are estimated to rank the swaps, and the best one is counted with the
    /// tokenizer before it is made (the pass ends at the first that does not fit).
    fn exchange(&self, cands: &[Candidate], chosen: &mut [usize]) {
        let mut in_chosen = vec![false; cands.len()];
        for &i in chosen.iter() {
            in_chosen[i] = true;
        }
        for _ in 0..MAX_EXCHANGES {
            let tally = Tally::of(cands, chosen);
            let base = tally.value();
            // per candidate: the chosen sentences it nearly duplicates
            let near: Vec<Vec<usize>> = cands
                .iter()
                .map(|c| {
                    (0..chosen.len())
                        .filter(|&s| jaccard(&cands[chosen[s]].words, &c.words) > NEAR_DUPLICATE)
                        .collect()
                })
                .collect();
            let mut best: Option<(f64, usize, usize)> = None;
            for (slot, &out) in chosen.iter().enumerate() {
                for (j, c) in cands.iter().enumerate() {
                    // a near-duplicate only of the sentence it replaces may come in
                    if in_chosen[j] || near[j].iter().any(|&s| s != slot) {
                        continue;
                    }
                    let t = tally.swapped(&cands[out], c);
                    if t.estimated_tokens > self.max_tokens {
                        continue;
                    }
                    let v = t.value();
                    if v > base + 1e-9 && best.is_none_or(|(b, _, _)| v > b) {
                        best = Some((v, slot, j));
                    }
                }
            }
            let Some((_, slot, j)) = best else { return };
            let mut trial = chosen.to_vec();
            trial[slot] = j;
            let text: Vec<&str> = trial.iter().map(|&i| cands[i].text.as_str()).collect();
            if self.tokenizer.count(&text.join(" ")) > self.max_tokens {
                return;
            }
            in_chosen[chosen[slot]] = false;
            in_chosen[j] = true;
            chosen[slot] = j;
        }
    }
}

/// The state of a selection.
struct Picked {
    chosen: Vec<usize>,
    /// chosen, too long for what is left, or a near-duplicate of a chosen one
    out: Vec<bool>,
    /// aspect cue scores of the chosen sentences, summed
    covered: [f64; 5],
    /// tokens of the chosen sentences and the spaces between them
    used: usize,
}

impl Picked {
    /// Takes candidate `i` if it fits the budget; near-duplicates of it are out for good.
    fn take(&mut self, i: usize, cands: &[Candidate], s: &Extractive) {
        self.out[i] = true;
        let tokens = s.tokenizer.count(&cands[i].text);
        if self.used + tokens + 1 > s.max_tokens {
            return;
        }
        for (k, v) in cands[i].aspects.iter().enumerate() {
            self.covered[k] += v;
        }
        self.used += tokens + 1;
        self.chosen.push(i);
        for (j, c) in cands.iter().enumerate() {
            if !self.out[j] && jaccard(&c.words, &cands[i].words) > NEAR_DUPLICATE {
                self.out[j] = true;
            }
        }
    }
}

/// About as many tokens as cl100k_base/o200k_base make of English prose: a token per
/// short word, two for long ones, one per punctuation mark. Ranking needs only this;
/// the budget is checked with the real tokenizer.
fn estimate_tokens(s: &str) -> usize {
    let words: usize = s
        .split_whitespace()
        .map(|w| {
            let core = w.trim_matches(|c: char| !c.is_alphanumeric());
            let punct = w.len() - core.len();
            usize::from(!core.is_empty()) + usize::from(core.len() > 9) + punct.min(3)
        })
        .sum();
    words.max(1)
}

/// Jaccard similarity of two sorted, distinct id lists.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

impl Summarizer for Extractive {
    fn summarize(&self, section: &str) -> anyhow::Result<Summary> {
        let cands = self.candidates(section);
        let mut picked: Vec<&str> = self
            .select(&cands)
            .into_iter()
            .map(|i| cands[i].text.as_str())
            .collect();
        // joining can merge tokens differently than counting apart: re-check the whole
        let mut text = picked.join(" ");
        let mut tokens = self.tokenizer.count(&text);
        while tokens > self.max_tokens && !picked.is_empty() {
            picked.pop();
            text = picked.join(" ");
            tokens = self.tokenizer.count(&text);
        }
        Ok(Summary {
            text,
            tokens,
            truncated: false,
        })
    }

    fn name(&self) -> &'static str {
        "extractive"
    }

    fn model(&self) -> Option<String> {
        None
    }

    fn prompt_sha256(&self) -> Option<String> {
        None
    }

    fn tokenizer(&self) -> &'static str {
        self.tokenizer.name()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed_section() -> String {
        let seed = std::fs::read_to_string("../shared/seed/000_9411cdd0ca688e67.txt").unwrap();
        let i = seed.find("Item 1. BUSINESS").unwrap();
        seed[i..].to_string()
    }

    #[test]
    fn seed_summary_is_within_budget_verbatim_and_deterministic() {
        let s = Extractive::new(Tokenizer::by_name("cl100k_base").unwrap(), 512);
        let section = seed_section();
        let a = s.summarize(&section).unwrap();
        let b = s.summarize(&section).unwrap();
        assert_eq!(a.text, b.text);
        assert!(a.tokens <= 512 && a.tokens > 200, "{} tokens", a.tokens);
        let flat = section.split_whitespace().collect::<Vec<_>>().join(" ");
        for sent in crate::summarize::sentences::split(&a.text) {
            assert!(flat.contains(sent), "not verbatim: {sent}");
        }
    }
}
