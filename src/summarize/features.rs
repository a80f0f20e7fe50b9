//! What the summarizer's model reads of each sentence of an Item 1 section.
//!
//! A section is cut into sentences that remember where they sit: their paragraph, the
//! sub-heading above them ("Customers", "Sales and Marketing", "Competition"), whether they
//! open the section or a paragraph, and whether they point back to the sentence before
//! ("These products…", "In addition, …"). Each sentence becomes a fixed vector of generic
//! measurements — cue words per aspect, the heading's aspect, position, names and figures,
//! length — that a logistic model (`model`) turns into the chance that the sentence states
//! a fact of each aspect. The vocabulary here is generic business language; which words
//! matter how much is learned (`just train-summary`), not set by hand. The section's names
//! and figures ("concepts") are gathered too, with how often, how early and how widely the
//! section mentions them: the model reads from that which are part of key facts.
//!
//! Headings are never part of a sentence: a heading line sets the heading of what follows,
//! and a heading that runs into the sentence after it (a section given as one block:
//! "Product Development The software industry…", or set off by a dash) is cut off and labels
//! its paragraph, under the heading line above it.

use std::collections::{HashMap, HashSet};

use super::sentences::{is_heading, is_title, list_tail, paragraphs, split, TITLE_CONNECTORS};

/// The five aspects of a business model the summary must cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aspect {
    Revenue,
    Customers,
    Products,
    Distribution,
    Financing,
}

pub const ASPECTS: [Aspect; 5] = [
    Aspect::Revenue,
    Aspect::Customers,
    Aspect::Products,
    Aspect::Distribution,
    Aspect::Financing,
];

impl Aspect {
    pub fn name(self) -> &'static str {
        match self {
            Aspect::Revenue => "revenue",
            Aspect::Customers => "customers",
            Aspect::Products => "products",
            Aspect::Distribution => "distribution",
            Aspect::Financing => "financing",
        }
    }

    pub fn by_name(name: &str) -> Option<Aspect> {
        ASPECTS.into_iter().find(|a| a.name() == name)
    }
}

/// Cue words and phrases per aspect, in `ASPECTS` order (lower case; matched at word
/// starts, or as written when they begin with a symbol).
const CUES: [&[&str]; 5] = [
    &[
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
        "contract",
        "backlog",
        "orders",
    ],
    &[
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
        "no single",
        "largest",
        "major",
    ],
    &[
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
        "segment",
        "line of",
        "model",
        "equipment",
        "devices",
    ],
    &[
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
        "representatives",
        "catalog",
        "ship",
    ],
    &[
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
        "shares",
        "stock",
        "offering",
        "merger",
    ],
];

/// Phrases that state an aspect outright ("accounted for 34% of net sales", "customers
/// include", "sold through distributors"), in `ASPECTS` order.
const STRONG_CUES: [&[&str]; 5] = [
    &[
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
        "we charge",
        "are paid",
        "per unit",
        "generates income",
        "generate income",
        "earns revenue",
        "earn revenue",
        "revenue consists",
        "revenues consist",
        "revenue comes",
        "revenues come",
        "fees paid by",
    ],
    &[
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
        "no single customer",
        "no customer",
    ],
    &[
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
        "is a leading",
        "is one of the",
        "is a global",
        "we are a",
        "is engaged in",
        "are engaged in",
        "is a provider",
        "we design",
        "we operate",
        "principal products",
    ],
    &[
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
        "direct sales",
        "distribution centers",
        "wholesalers",
        "directly to customers",
        "directly to consumers",
        "sell directly",
        "sells directly",
        "direct business model",
        "revenue was direct",
    ],
    &[
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
        "senior notes",
        "line of credit",
        "venture capital",
        "working capital",
    ],
];

/// Cues of topics an Item 1 covers that are not the business model: competition,
/// regulation, employees, intellectual property, risk language, biographies, governance.
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
    "executive officer",
    "court",
    "appeal",
    "lawsuit",
    "legislation",
    "act of",
    "act was",
    "approval",
    "advisory committee",
    "clinical",
    "was incorporated",
    "incorporated in",
    "under the laws of",
    "compliance",
    "requirements",
    "warranty",
    "warranties",
    "diversity",
    "sustainab",
    "philanthrop",
    "charit",
    "volunteer",
    "product liability",
    "recall",
    "raw material",
    "board",
    "directors",
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
    "impairment",
    "write-off",
    "written off",
    "restructuring",
    "merger agreement",
    "exchange ratio",
    "termination fee",
    "fractional share",
    "changed its name",
    "our mission",
    "we strive",
    "unless otherwise indicated",
    "unless the context",
    "turnover rate",
    "pay equity",
    "penny stock",
    "reverse split",
    "reverse stock split",
    "conversion price",
    "resignation",
    "resigned",
];

/// Sub-heading words per aspect, in `ASPECTS` order.
const HEADING_CUES: [&[&str]; 5] = [
    &[
        "revenue",
        "pricing",
        "royalt",
        "licens",
        "backlog",
        "sources of",
        "contracts",
    ],
    &[
        "customer", "client", "market", "users", "members", "patients",
    ],
    &[
        "product",
        "service",
        "solution",
        "platform",
        "brand",
        "segment",
        "business",
        "overview",
        "general",
        "offering",
        "technolog",
        "operations",
        "portfolio",
    ],
    &[
        "distribut",
        "sales",
        "marketing",
        "channel",
        "dealer",
        "franchis",
        "retail",
        "stores",
    ],
    &[
        "financ",
        "capital",
        "liquidity",
        "credit",
        "funding",
        "debt",
        "equity",
        "offering",
    ],
];

/// Sub-heading words of sections about something other than the business model.
const OFF_TOPIC_HEADINGS: &[&str] = &[
    "compet",
    "employ",
    "human capital",
    "regulat",
    "environment",
    "intellectual property",
    "patent",
    "trademark",
    "propert",
    "legal",
    "litigation",
    "seasonal",
    "research",
    "insurance",
    "executive officer",
    "available information",
    "raw material",
    "supplier",
    "supplies",
    "government regulation",
    "risk",
    "forward",
    "cybersecurity",
    "facilities",
    "history",
    "corporate information",
    "website",
];

/// Phrases that mark boilerplate rather than business description; such sentences are
/// never candidates.
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
    "differ materially",
    "actual results",
    "telephone number",
    "principal executive offices",
    "emerging growth company",
    "sic code",
    "standard industrial classification",
    "smaller reporting company",
    "generally accepted accounting principles",
    "employee relations",
    "relations with its employees",
    "relations with our employees",
    "can be found in",
    "set forth below",
    "for current information",
    "for more information",
    "for additional information",
    "for further information",
    // a table announced is not in the summary
    "the following table",
    "the following sets forth",
    "registered agent",
    "service of process",
    "--page",
    "—page",
    // how the fiscal year is defined
    "fiscal year ends",
    "fiscal year end is",
    "fiscal year end date",
    "53 week fiscal year ending",
    "53-week fiscal year ending",
    "fiscal year is the 52",
    "fiscal year is composed",
    "consisted of the 52 weeks",
    "consisted of the 53 weeks",
    "included 52 weeks",
    "included 53 weeks",
];

/// Does this (lowercased) sentence hold a `BOILERPLATE` phrase, or open with "See" (a
/// pointer elsewhere)? One pass of an automaton built once per process.
fn is_boilerplate(lower: &str) -> bool {
    static AUTOMATON: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    // "See “Item 7. …” for…" points elsewhere
    lower.starts_with("see ") || AUTOMATON.get_or_init(|| dfa(BOILERPLATE)).is_match(lower)
}

/// Is this (lowercased) sentence no sentence but a piece of one: a table's footnote that
/// opens with its verb ("Represents the combined…", "Excludes $19 billion…"), a goal or
/// bullet named by a gerund and its object, short and with nothing more ("Advancing our
/// platform."), the tail of a list cut off at a page break ("(Acme Point); and other…"),
/// the announcement of a list (`announces_list`), or a question (advertising copy)? None
/// says anything of the company by itself.
fn is_fragment(lower: &str) -> bool {
    const FOOTNOTE_VERBS: [&str; 8] = [
        "represents",
        "represent",
        "excludes",
        "includes",
        "identifies",
        "reflects",
        "consists",
        "comprises",
    ];
    const PREPOSITIONS: [&str; 9] = [
        "during",
        "including",
        "according",
        "regarding",
        "concerning",
        "following",
        "excluding",
        "beginning",
        "notwithstanding",
    ];
    let first = lower
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .trim_end_matches([',', ':']);
    // "Advancing the…", "Extending our…": a gerund and its object, nothing more; not
    // "Operating revenues consist of…" or "Manufacturing is done…"
    let second = lower.split_whitespace().nth(1).unwrap_or_default();
    let gerund = first.len() > 5
        && first.ends_with("ing")
        && !PREPOSITIONS.contains(&first)
        && ["the", "our", "a", "an", "its", "their"].contains(&second)
        && !lower.contains(',')
        && lower.split_whitespace().count() <= 15;
    // "(Acme Point and Acme Ledger); and other applications…": the tail of a list whose
    // head was on the page before
    let list_tail = lower.starts_with('(')
        && lower
            .split_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with([';', ',']));
    gerund
        || list_tail
        || announces_list(lower)
        || FOOTNOTE_VERBS.contains(&first)
        || lower.trim_end().ends_with('?')
}

/// Does the sentence end by announcing the list that follows it ("…in three ways.",
/// "…generate two revenue streams.")? Without the list it says nothing.
fn announces_list(lower: &str) -> bool {
    const COUNTS: [&str; 6] = ["two", "three", "four", "five", "six", "several"];
    const PARTS: [&str; 12] = [
        "ways",
        "streams",
        "categories",
        "types",
        "groups",
        "areas",
        "parts",
        "components",
        "elements",
        "sources",
        "pillars",
        "priorities",
    ];
    let Some(body) = lower.trim_end().strip_suffix('.') else {
        return false;
    };
    let mut words = body.split_whitespace().rev();
    words.next().is_some_and(|last| PARTS.contains(&last))
        && words.take(3).any(|w| COUNTS.contains(&w))
}

/// An automaton of word-list `patterns` as a full DFA: larger than the default, and the
/// fastest to run over every sentence of every section. The lists are this module's
/// constants, so building cannot fail.
fn dfa<P: AsRef<[u8]>>(patterns: &[P]) -> aho_corasick::AhoCorasick {
    aho_corasick::AhoCorasick::builder()
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(patterns)
        .expect("a word list builds an automaton")
}

/// Does this (lowercased) sentence tell a person's career: an honorific, an office and a
/// career verb ("Mr. Acme was Senior Vice President, Merchandising, from 2013 to 2018.",
/// "Ms. Acme, 46, has been employed by the Company since 1998."), or someone serving in an
/// office ("Jane Acme has served as our Chief Financial Officer since 2002."), or goes on
/// about a person ("He spent five years with Acme Oil.")? An officer's
/// biography says nothing of how the company makes money; a sentence that only names a
/// person ("our sole employee, our President, Mr. Acme, teaches the seminars") is not one.
fn is_career(lower: &str) -> bool {
    const HONORIFICS: [&str; 4] = ["mr. ", "ms. ", "mrs. ", "dr. "];
    const OFFICES: [&str; 7] = [
        "president",
        "officer",
        "director",
        "general manager",
        "chairman",
        "treasurer",
        "secretary",
    ];
    const CAREER: [&str; 8] = [
        " was ",
        "served as",
        "has served",
        " joined ",
        "was appointed",
        "was named",
        "has been employed",
        "prior to that",
    ];
    const SERVING: [&str; 4] = [
        "served as our ",
        "serves as our ",
        "served as its ",
        "serves as its ",
    ];
    const TITLES: [&str; 9] = [
        "chief",
        "president",
        "vice president",
        "senior vice president",
        "executive",
        "secretary",
        "treasurer",
        "general counsel",
        "chairman",
    ];
    let has = |list: &[&str]| list.iter().any(|w| lower.contains(w));
    // a person's pronoun as the subject: the next line of a biography
    let person = lower.starts_with("he ") || lower.starts_with("she ");
    let in_office = SERVING.iter().any(|s| {
        lower
            .match_indices(s)
            .any(|(at, _)| TITLES.iter().any(|t| lower[at + s.len()..].starts_with(t)))
    });
    person || in_office || has(&HONORIFICS) && has(&OFFICES) && has(&CAREER)
}

/// Openings that refer back to the sentence before: such a sentence reads only after it.
const BACK_REFERENCES: &[&str] = &[
    "this",
    "these",
    "that",
    "those",
    "such",
    "both",
    "each of these",
    "in addition",
    "additionally",
    "also",
    "however",
    "as a result",
    "as part of",
    "to address",
    "further",
    "furthermore",
    "moreover",
    "similarly",
    "accordingly",
    "therefore",
    "thus",
    "the above",
    "the following",
    "below",
    "likewise",
    "otherwise",
    "consequently",
    "for example",
    "for instance",
    "it",
    "they",
    "in this regard",
    "in that regard",
    "other",
    "another",
    "in connection with",
    "as such",
    "as noted",
    "as described",
    "as discussed",
    "instead",
    "similar",
    "the remaining",
    "the balance",
    "the rest",
    "the remainder",
    "to do so",
    "in doing so",
    "by doing so",
    "the segment",
    "the joint venture",
    "the latter",
    "the former",
    "no other",
    "its",
    "their",
    "finally",
    "lastly",
    "remaining",
    "second,",
    "third,",
    "the second",
    "the third",
    "beyond that",
    "a similar",
];

/// Words that open a sentence: after a run of capitalised words they show that the words
/// before them were a heading run into the sentence ("Customers Our customers include…").
const SENTENCE_OPENERS: &[&str] = &[
    "our",
    "we",
    "the",
    "in",
    "as",
    "for",
    "each",
    "through",
    "during",
    "since",
    "this",
    "these",
    "its",
    "most",
    "all",
    "some",
    "many",
    "a",
    "an",
    "at",
    "on",
    "under",
    "with",
    "from",
    "to",
    "by",
    "approximately",
    "substantially",
    "currently",
    "historically",
    "generally",
    "certain",
    "there",
    "it",
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

/// Phrases of the sentence that says what the company is.
const IDENTITY: &[&str] = &[
    "we are a",
    "we are the",
    "we are one",
    "is a leading",
    "is one of",
    "is a global",
    "is a provider",
    "is engaged in",
    "are engaged in",
    "principally engaged in",
    "primarily engaged in",
    "is a holding company",
    "is a diversified",
    "is an independent",
    "is a developer",
    "is a manufacturer",
    "is a designer",
    "we design",
    "we develop",
    "we provide",
    "we own and operate",
    "we manufacture",
    "the company is a",
    "is the largest",
    "is the world's",
    "is the second",
    "is the leading",
    "is now a ",
    "is now an ",
    "is now the ",
    "is today a ",
    "we are focused on",
    "operate principally in",
    "operates principally in",
    "primary business",
    "principal business",
    "current business of",
    "business of the company is",
];

/// Verbs that say what a company does, after its name ("Acme Corp. (the “Company”)
/// offers…", "Acme develops…").
const DOES: [&str; 26] = [
    "offers",
    "offer",
    "operates",
    "operate",
    "designs",
    "design",
    "develops",
    "develop",
    "manufactures",
    "manufacture",
    "markets",
    "provides",
    "provide",
    "sells",
    "sell",
    "produces",
    "distributes",
    "franchises",
    "owns",
    "serves",
    "makes",
    "engages",
    "publishes",
    "supplies",
    "delivers",
    "licenses",
];

/// Business nouns that open a sentence and are no name ("Revenue makes up…", "Price is the
/// leading factor…").
const GENERIC_SUBJECTS: [&str; 16] = [
    "revenue",
    "revenues",
    "price",
    "pricing",
    "competition",
    "demand",
    "management",
    "growth",
    "seasonality",
    "distribution",
    "marketing",
    "manufacturing",
    "production",
    "research",
    "backlog",
    "each",
];

/// How clearly a sentence says what the company is: `Identity::Clear` by an `IDENTITY`
/// phrase ("is a leading provider", "we design") or the company's name as the subject,
/// followed by what it does ("Acme Corp. (“Acme,” “we” or the “Company”) offers…", "The
/// Company operates…", "Acme develops…"); `Identity::Broad` by a bare "is a" ("Acme is a
/// Delaware holding company", and as well "The Registrant is a leader in community
/// programs") or a phrase whose subject may be another ("Two subsidiaries … are engaged
/// in…"). Never when it tells how the company was incorporated or founded, unless it
/// also says what for ("…was formed in 2005 to develop, own and operate a plant"), mentions
/// a trademark (a notice of whose marks names are) or explains the report's terms, none of
/// which says what the business is.
fn says_what_it_is(text: &str, lower: &str, identity_phrase: bool) -> Identity {
    const ASIDES: [&str; 10] = [
        "organized under the laws",
        "incorporated under the laws",
        "was incorporated",
        "were incorporated",
        "was reincorporated",
        "was organized",
        "was formed",
        "was founded",
        "trademark",
        "unless otherwise",
    ];
    const NAMES: [&str; 7] = [
        "inc.",
        "corp.",
        "corporation",
        "company",
        "ltd.",
        "plc",
        "llc",
    ];
    const PURPOSES: [&str; 6] = [
        "to develop",
        "to own",
        "to operate",
        "to provide",
        "to manufacture",
        "to acquire",
    ];
    let has = |list: &[&str]| list.iter().any(|w| lower.contains(w));
    // the subject is the company, not "our largest customer, Acme Corp., …"
    let possessive = ["our ", "its ", "their "]
        .iter()
        .any(|p| lower.starts_with(p));
    let named = !possessive && {
        // a closing bracket or company word within the first thirty words, and the verb
        // right after it
        let mut words = lower
            .split_whitespace()
            .take(30)
            .map(|w| w.trim_end_matches([',', ';', ':', '”', '"']));
        let mut previous = words.next().unwrap_or_default();
        words.any(|w| {
            let name = std::mem::replace(&mut previous, w);
            (name.ends_with(')') || NAMES.contains(&name)) && DOES.contains(&previous)
        })
    };
    let does = named || name_does(text);
    // an aside (a legal form, a founding) vetoes unless the sentence says what the company
    // does or was formed for
    let purpose = has(&PURPOSES) && !lower.contains("trademark");
    if has(&ASIDES) && !purpose && !does {
        return Identity::None;
    }
    if does || identity_phrase && company_first(text, lower) {
        Identity::Clear
    } else if identity_phrase || lower.contains(" is a ") {
        Identity::Broad
    } else {
        Identity::None
    }
}

/// Is the company what the sentence is about: does it open with "We", "The Company" (or
/// registrant, corporation, partnership), or a name, not with a subsidiary or a segment
/// ("Two other subsidiaries, Acme Joists, Inc. and…, are engaged in…")?
fn company_first(text: &str, lower: &str) -> bool {
    const PARTS: [&str; 3] = ["subsidiar", "segment", "division"];
    let opening: String = lower
        .split_whitespace()
        .take(6)
        .collect::<Vec<_>>()
        .join(" ");
    let the_company = lower
        .strip_prefix("the ")
        .is_some_and(|rest| THE_COMPANY.iter().any(|c| rest.starts_with(c)));
    (lower.starts_with("we ") || the_company || opens_with_name(text))
        && !PARTS.iter().any(|p| opening.contains(p))
}

/// What a filing calls the company itself after "the" ("the Company", "the Registrant").
const THE_COMPANY: [&str; 4] = ["company", "registrant", "corporation", "partnership"];

/// Does the sentence open with a capitalised word that is no common opener, pointer or
/// business noun: most likely a name ("Acme…", "IBM…")?
fn opens_with_name(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or_default();
    let lower = first.to_lowercase();
    first.starts_with(|c: char| c.is_uppercase())
        && !SENTENCE_OPENERS.contains(&lower.as_str())
        && !BACK_REFERENCES.contains(&lower.as_str())
        && !GENERIC_SUBJECTS.contains(&lower.as_str())
}

/// Does the sentence open with a name, one to three capitalised words that are no common
/// opener, and go on with what the named does ("Acme develops, makes and sells…", "Acme
/// Pump Works supplies…")? Only the third person counts: "Customers sell…" is no name's.
fn name_does(text: &str) -> bool {
    if !opens_with_name(text) {
        return false;
    }
    for w in text.split_whitespace().skip(1).take(3) {
        if w.starts_with(|c: char| c.is_uppercase()) {
            continue;
        }
        let w = w.trim_end_matches([',', ';']);
        return w.ends_with('s') && DOES.contains(&w);
    }
    false
}

/// How clearly a sentence says what the company is (`says_what_it_is`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Identity {
    None,
    /// By a bare "is a", or of a subject that may be another: counted in the opening
    /// sentences only.
    Broad,
    Clear,
}

impl Identity {
    /// The feature's value: 1 for a clear identity sentence, ½ for a broad one.
    pub fn value(self) -> f64 {
        match self {
            Identity::None => 0.0,
            Identity::Broad => 0.5,
            Identity::Clear => 1.0,
        }
    }
}

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

/// The names of the features computed here, in vector order; the model file lists them
/// too, so a model fitted to other features is refused. The model adds one feature per
/// aspect from its learned vocabulary (`model`).
pub const FEATURES: &[&str] = &[
    "cue_revenue",
    "cue_customers",
    "cue_products",
    "cue_distribution",
    "cue_financing",
    "strong_revenue",
    "strong_customers",
    "strong_products",
    "strong_distribution",
    "strong_financing",
    "heading_revenue",
    "heading_customers",
    "heading_products",
    "heading_distribution",
    "heading_financing",
    "heading_off_topic",
    "off_topic",
    "centrality",
    "paragraph_position",
    "sentence_position",
    "opens_section",
    "opens_paragraph",
    "identity",
    "log_tokens",
    "names",
    "figures",
    "percent",
    "amount",
    "trademark",
    "back_reference",
    "company_subject",
    "list_like",
];

/// A sentence of the section with what selection and the model need to know.
#[derive(Debug, Clone)]
pub struct Unit {
    pub text: String,
    /// Paragraph number in the section.
    pub paragraph: usize,
    /// Refers back to the sentence before it (`points_back`).
    pub back_reference: bool,
    /// The unit just before it in the same paragraph, if any.
    pub previous: Option<usize>,
    /// The earlier unit that defines an abbreviation this one uses ("… Acme Network
    /// Services (“ANS”) …" for "ANS signed 13 new partners"), if any.
    pub defined_in: Option<usize>,
    pub estimated_tokens: usize,
    /// Content words as ids (sorted, distinct), for redundancy checks.
    pub words: Vec<u32>,
    /// Its distinct content words, for the model's learned vocabulary.
    pub terms: Vec<String>,
    /// The feature vector, in `FEATURES` order.
    pub features: Vec<f64>,
    /// Its names and figures, as ids into `Section::concepts`.
    pub concepts: Vec<u32>,
}

/// The names of a concept's features, in vector order (`Concept::features`); the model file
/// lists them too.
pub const CONCEPT_FEATURES: &[&str] = &[
    "mentions",
    "first_position",
    "spread",
    "in_opening",
    "early_share",
    "figure",
    "percent",
    "amount",
    "length",
];

/// The opening sentences of a section (its first candidates, boilerplate left out): where
/// what the company is gets said.
pub const OPENING_WINDOW: usize = 6;

/// How far into a section's candidates a sentence that clearly says what the company is
/// may still open the summary, when none of the opening sentences says it: past a preamble
/// of definitions, history and transactions.
pub const OPENING_REACH: usize = 20;

/// A name or figure of a section ("concept"): a product line, a customer, a share of
/// revenue, what key facts are made of. Its features say how often and where the section
/// mentions it; the model (`model::Keyness`) reads from them the chance that it is part of a
/// key fact.
#[derive(Debug, Clone)]
pub struct Concept {
    /// Lower case, as `specifics` finds it.
    pub text: String,
    /// In `CONCEPT_FEATURES` order.
    pub features: [f64; CONCEPT_FEATURES.len()],
}

/// A section as the summarizer reads it: its candidate sentences and their concepts.
#[derive(Debug, Clone)]
pub struct Section {
    pub units: Vec<Unit>,
    pub concepts: Vec<Concept>,
}

/// Every cue list in one Aho-Corasick automaton, built once per process.
struct Lexicon {
    automaton: aho_corasick::AhoCorasick,
    lists: Vec<List>,
}

#[derive(Clone, Copy, PartialEq)]
enum List {
    Plain(usize),
    Strong(usize),
    OffTopic,
    Identity,
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
        for k in 0..ASPECTS.len() {
            add(CUES[k], List::Plain(k));
            add(STRONG_CUES[k], List::Strong(k));
        }
        add(OFF_TOPIC, List::OffTopic);
        add(IDENTITY, List::Identity);
        let automaton = dfa(&patterns);
        Lexicon { automaton, lists }
    })
}

/// Cue counts of one sentence.
#[derive(Default)]
struct Hits {
    plain: [f64; 5],
    strong: [f64; 5],
    off_topic: f64,
    identity: bool,
}

fn cue_hits(lower: &str) -> Hits {
    let padded = format!(
        " {}",
        lower.replace(|c: char| !c.is_alphanumeric() && c != '%' && c != '-', " ")
    );
    let lex = lexicon();
    let mut found = vec![false; lex.lists.len()];
    for text in [padded.as_str(), lower] {
        for m in lex.automaton.find_overlapping_iter(text) {
            found[m.pattern().as_usize()] = true;
        }
    }
    let mut h = Hits::default();
    for (tag, _) in lex.lists.iter().zip(&found).filter(|(_, f)| **f) {
        match *tag {
            List::Plain(k) => h.plain[k] += 1.0,
            List::Strong(k) => h.strong[k] += 1.0,
            List::OffTopic => h.off_topic += 1.0,
            List::Identity => h.identity = true,
        }
    }
    h
}

/// What a heading says about the paragraphs under it: an aspect score each, and whether it
/// heads matter off the business model.
#[derive(Debug, Clone, Copy, Default)]
struct Heading {
    aspects: [f64; 5],
    off_topic: f64,
}

impl Heading {
    fn of(text: &str) -> Heading {
        let lower = text.to_lowercase();
        let has = |cues: &[&str]| cues.iter().any(|c| lower.contains(c));
        Heading {
            aspects: std::array::from_fn(|k| f64::from(u8::from(has(HEADING_CUES[k])))),
            off_topic: f64::from(u8::from(has(OFF_TOPIC_HEADINGS))),
        }
    }

    /// Does it say anything: an aspect, or matter off the business model?
    fn has_cue(self) -> bool {
        self.off_topic > 0.0 || self.aspects.iter().any(|&a| a > 0.0)
    }

    /// A run-in label under this heading: what either of them says.
    fn under(self, label: Heading) -> Heading {
        Heading {
            aspects: std::array::from_fn(|k| self.aspects[k].max(label.aspects[k])),
            off_topic: self.off_topic.max(label.off_topic),
        }
    }
}

/// A heading run into the sentence after it: the byte length of the heading prefix.
/// "Product Development The software industry…" → the length of "Product Development ";
/// "Space systems — Our products…" → the length of "Space systems — ".
fn run_in_heading(s: &str) -> Option<usize> {
    if let Some(cut) = dashed_heading(s) {
        return Some(cut);
    }
    let mut end = 0;
    for (i, w) in s.split_whitespace().enumerate() {
        let start = s[end..].find(w).map_or(end, |p| end + p);
        let bare = bare_lower(w);
        let capital = w.starts_with(|c: char| c.is_uppercase());
        let connector = TITLE_CONNECTORS.contains(&bare.as_str());
        // an initial, "A.", is part of a name, not the article that opens a sentence
        let initial = bare.len() == 1 && w.ends_with('.');
        let opener = is_opener(&bare) && !initial;
        if i > 0 && capital && opener {
            // the heading must be a run of capitalised words, the first not an opener
            return (i > 0).then_some(start);
        }
        if i == 0 && opener {
            return None;
        }
        let all_caps = bare.len() > 1 && w.chars().all(|c| !c.is_lowercase());
        let closed = w.ends_with([',', ';', ':']) || (w.ends_with('.') && !all_caps);
        if !(capital || (i > 0 && connector)) || closed || i >= 6 {
            return None;
        }
        end = start + w.len();
    }
    None
}

/// A word without its punctuation, in lower case.
fn bare_lower(w: &str) -> String {
    w.trim_matches(|c: char| !c.is_alphanumeric())
        .to_lowercase()
}

/// Does a sentence often open with this bare, lower-case word ("our", "the", "in")?
fn is_opener(bare: &str) -> bool {
    word_sets().sentence_openers.contains(bare)
}

/// A heading set off from its sentence by a dash: at most six words before it, the first
/// capitalised and no sentence opener, none closing a clause or holding a figure, a quote
/// or a bracket, and a capital after it. A trademark before the dash makes it a product's
/// name, not a heading: "Acme® – Our retail display platform…" keeps its name.
fn dashed_heading(s: &str) -> Option<usize> {
    let mut words = s.split_whitespace();
    let first = words.next()?;
    if !first.starts_with(|c: char| c.is_uppercase()) || is_opener(&bare_lower(first)) {
        return None;
    }
    for w in std::iter::once(first).chain(words.by_ref()).take(7) {
        if matches!(w, "–" | "—" | "--" | "-") {
            let next = words.next()?;
            return next
                .starts_with(|c: char| c.is_uppercase())
                .then(|| next.as_ptr().addr() - s.as_ptr().addr());
        }
        if w.ends_with(['.', ',', ';', ':'])
            || w.contains(|c: char| c.is_ascii_digit() || "\"“”'’(®™".contains(c))
        {
            return None;
        }
    }
    None
}

/// A sentence's leading enumerators, "(b) ", "(1) (i) " or an outline number before a
/// capital or a bracket, "2.5 Canadian Patent…", "4. (a) ": their byte length. A figure
/// ("2.5 million…") or a year ("2020 Annual…") is no enumerator.
fn enumerators(s: &str) -> usize {
    let mut rest = s;
    if let Some((number, after)) = rest.split_once(' ') {
        let outline = number.contains('.')
            && number
                .split('.')
                .all(|n| n.len() <= 2 && n.bytes().all(|b| b.is_ascii_digit()))
            && number.starts_with(|c: char| c.is_ascii_digit());
        if outline && after.starts_with(|c: char| c.is_uppercase() || c == '(') {
            rest = after.trim_start();
        }
    }
    while let Some(inner) = rest.strip_prefix('(') {
        let Some(close) = inner.find(')') else { break };
        let label = &inner[..close];
        if !(1..=4).contains(&label.len()) || !label.chars().all(|c| c.is_ascii_alphanumeric()) {
            break;
        }
        rest = inner[close + 1..].trim_start();
    }
    s.len() - rest.len()
}

/// Does this sentence read like prose (not a heading, table row or fragment)?
fn is_prose(s: &str) -> bool {
    // a sentence ends with its stop, perhaps inside a quote or bracket; a table row or a
    // heading ending in ")" does not
    let ending = s.trim_end_matches(['"', '”', '’', '\'', ')', ']']);
    // 30 to 2,500 characters ("We are a global pump company." is one): first by bytes (a
    // character is one to four), then counted
    // a table row's label ends in dot leaders ("Units sold......")
    if !(30..=2500 * 4).contains(&s.len())
        || !ending.ends_with(['.', '!', '?'])
        || ending.ends_with("...")
    {
        return false;
    }
    let (mut chars, mut letters, mut upper, mut digits) = (0, 0, 0, 0);
    for c in s.chars() {
        chars += 1;
        letters += usize::from(c.is_alphabetic());
        upper += usize::from(c.is_uppercase());
        digits += usize::from(c.is_ascii_digit());
    }
    if !(30..=2500).contains(&chars) {
        return false;
    }
    let first = s.chars().next().unwrap_or(' ');
    letters * 2 > chars
        && upper * 3 < letters
        && digits * 5 < chars
        && (first.is_uppercase() || first.is_ascii_digit() || "\"“($".contains(first))
        && s.split_whitespace().count() >= 6
}

/// Does the sentence refer back to the one before it: by how it opens, by a demonstrative
/// early on, or by a pointer ("referred to above")?
fn points_back(lower: &str) -> bool {
    // "In addition to our retail stores, we sell…" names what it adds to: only a pointer or
    // a demonstrative inside it ("In addition to these products…") points back
    let names_its_addition = lower.starts_with("in addition to ");
    BACK_REFERENCES.iter().any(|b| {
        lower.starts_with(b)
            && lower[b.len()..].starts_with(|c: char| !c.is_alphanumeric() && c != '-')
    }) && !names_its_addition
        || early_demonstrative(lower)
        || POINTERS.iter().any(|p| lower.contains(p))
}

/// Does the sentence open with a thing the sentence before it introduced, named again by a
/// common noun after "the" ("…included a seven year term loan. The term loan was used to…",
/// "…acquired Acme Inc. The acquisition was accounted for…"), or with an event that
/// sentence told ("On May 1 we sold Acme Foods. The transaction included…", "Under our
/// ownership, …")? `before` holds the earlier sentence's content words. Only a sentence
/// with one before it in its paragraph is asked: one that opens a paragraph stays a
/// candidate ("The agreement provides for a credit facility…" under a heading).
fn names_again(text: &str, before: &[String]) -> bool {
    const EVENTS: [&str; 15] = [
        "The division",
        "The subsidiary",
        "The unit",
        "The transaction",
        "The agreement",
        "The acquisition",
        "The merger",
        "The deal",
        "The arrangement",
        "The transfer",
        "The divestiture",
        "The amendment",
        "The settlement",
        "The proceeds",
        "Under our ownership",
    ];
    // "the" and a word that names no particular thing, besides the company itself
    const GENERAL: [&str; 9] = [
        "trust",
        "majority",
        "number",
        "total",
        "amount",
        "percentage",
        "portion",
        "market",
        "industry",
    ];
    if EVENTS.iter().any(|e| {
        text.strip_prefix(e)
            .is_some_and(|rest| rest.starts_with([' ', ',']))
    }) {
        return true;
    }
    let Some(rest) = text.strip_prefix("The ") else {
        return false;
    };
    let word = rest.split_whitespace().next().unwrap_or_default();
    let noun = word
        .trim_end_matches(|c: char| !c.is_alphanumeric())
        .trim_end_matches("’s")
        .trim_end_matches("'s");
    if noun.chars().count() < 4
        || !noun.starts_with(|c: char| c.is_lowercase())
        || THE_COMPANY.contains(&noun)
        || GENERAL.contains(&noun)
    {
        return false;
    }
    let singular = noun.strip_suffix('s').unwrap_or(noun);
    before.iter().any(|w| {
        let w = w.strip_suffix('s').unwrap_or(w);
        // the same word, or one of its family ("acquisition" after "acquired"): a shared
        // stem of five letters or more, most of the shorter word
        let shared = w
            .chars()
            .zip(singular.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let shorter = w.chars().count().min(singular.chars().count());
        w == singular || shared >= 5 && shared * 5 >= shorter * 3
    })
}

/// Phrases that point to what was said before, wherever they stand.
const POINTERS: &[&str] = &[
    "referred to above",
    "described above",
    "discussed above",
    "mentioned above",
    "noted above",
    "set forth above",
    "listed above",
    "the foregoing",
    "aforementioned",
    "above-mentioned",
    // "the segments above are marketed…"
    " above are ",
    " above is ",
    " above were ",
    " above was ",
    // "…held per the above paragraph", and what is still to come: "…presented below"
    "the above ",
    "presented below",
    "set forth below",
    "described below",
    "discussed below",
    "listed below",
    "shown below",
];

/// A demonstrative early in the sentence ("In 2024, this group generated…", "Customers for
/// many of these products…"): the sentence names something only the one before it
/// introduced. Time and document references ("this year", "this report") do not count.
fn early_demonstrative(lower: &str) -> bool {
    // the first word is the opening, which `BACK_REFERENCES` judges; ten words reach "…has
    // participated in certain of these programs"
    let mut words = lower
        .split_whitespace()
        .take(10)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    let mut before = words.next().unwrap_or_default();
    let mut previous = words.next().unwrap_or_default();
    words.any(|w| {
        let pointer = std::mem::replace(&mut previous, w);
        let preposition = std::mem::replace(&mut before, pointer);
        // "that" after a preposition is a demonstrative ("In that year, …"), elsewhere
        // mostly a conjunction or a relative pronoun
        let that = pointer == "that"
            && matches!(
                preposition,
                "in" | "of" | "for" | "from" | "on" | "with" | "by" | "at" | "to" | "during"
            );
        that || matches!(pointer, "this" | "these" | "those" | "such")
            && !matches!(
                w,
                "year"
                    | "years"
                    | "time"
                    | "fiscal"
                    | "quarter"
                    | "report"
                    | "annual"
                    | "form"
                    | "section"
                    | "item"
                    | "document"
                    | "date"
                    | "as"
                    | "that"
            )
    })
}

/// Names, figures, percentages, amounts and trademarks of a sentence, and the names and
/// figures themselves (lowercased, distinct).
fn specifics(text: &str) -> ([f64; 5], Vec<String>) {
    let mut concepts = Vec::new();
    let mut names: HashSet<&str> = HashSet::new();
    let (mut figures, mut percent, mut amount, mut mark) = (0usize, 0.0, 0.0, 0.0);
    for (i, raw) in text.split_whitespace().enumerate() {
        if raw.contains('®') || raw.contains('™') {
            mark = 1.0;
        }
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric() && c != '%' && c != '$');
        if w.is_empty() {
            continue;
        }
        let count = w.contains(',')
            && w.chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == '.');
        if w.contains('%') {
            percent = 1.0;
        }
        if w.starts_with('$') {
            amount = 1.0;
        }
        if count || w.contains('%') || w.starts_with('$') {
            figures += 1;
            concepts.push(w.to_string());
            continue;
        }
        if i == 0 || !w.starts_with(|c: char| c.is_uppercase()) || w.chars().count() < 2 {
            continue;
        }
        let lower = w.to_lowercase();
        if !word_sets().common_capitals.contains(lower.as_str()) {
            names.insert(w);
            concepts.push(lower);
        }
    }
    concepts.sort_unstable();
    concepts.dedup();
    let counts = [
        (names.len() as f64).ln_1p(),
        (figures as f64).ln_1p(),
        percent,
        amount,
        mark,
    ];
    (counts, concepts)
}

/// Maps and sets of one section's words: SipHash's defence against chosen keys is not
/// needed for words of a filing, and hashing is a tenth of the summarizer's time.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::FixedState>;
type FastSet<K> = HashSet<K, foldhash::fast::FixedState>;

/// The word lists looked up once per word, as sets (a list is scanned word by word).
struct WordSets {
    stopwords: FastSet<&'static str>,
    common_capitals: FastSet<&'static str>,
    sentence_openers: FastSet<&'static str>,
}

fn word_sets() -> &'static WordSets {
    static SETS: std::sync::OnceLock<WordSets> = std::sync::OnceLock::new();
    SETS.get_or_init(|| WordSets {
        stopwords: STOPWORDS.iter().copied().collect(),
        common_capitals: COMMON_CAPITALS.iter().copied().collect(),
        sentence_openers: SENTENCE_OPENERS.iter().copied().collect(),
    })
}

fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    let stopwords = &word_sets().stopwords;
    s.split(|c: char| !c.is_alphanumeric() && c != '-' && c != '%')
        .filter(|w| w.len() > 2)
        .filter_map(|w| {
            // most words are in lower case already: lower only the others, and keep only
            // what is no stopword
            let lower = if w.chars().any(char::is_uppercase) {
                std::borrow::Cow::Owned(w.to_lowercase())
            } else {
                std::borrow::Cow::Borrowed(w)
            };
            (!stopwords.contains(lower.as_ref())).then(|| lower.into_owned())
        })
}

/// About as many tokens as cl100k_base/o200k_base make of English prose: a token per
/// short word, two for long ones, one per punctuation mark. Ranking needs only this;
/// the budget is checked with the real tokenizer.
pub fn estimate_tokens(s: &str) -> usize {
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

/// A sentence before features: its text, paragraph, heading and place.
struct Raw {
    text: String,
    paragraph: usize,
    heading: Heading,
    opens_paragraph: bool,
}

/// The sentences of a section with their headings; headings themselves are not sentences.
fn raw_sentences(section: &str) -> Vec<Raw> {
    let mut out = Vec::new();
    let mut heading = Heading::default();
    let paragraphs = paragraphs(section);
    for (p, para) in paragraphs.iter().enumerate() {
        if is_heading(para) {
            heading = Heading::of(para);
            continue;
        }
        let mut label = None;
        // a name that opens the paragraph as a title ("Acme Cloud. Our hosted platform…")
        let mut name = None;
        let list_item = p > 0 && list_tail(&paragraphs[p - 1], para);
        let sentences = split(para);
        let last = sentences.len().saturating_sub(1);
        // the first sentence of a list item's tail is no sentence of its own
        for (j, s) in sentences
            .into_iter()
            .enumerate()
            .skip(usize::from(list_item))
        {
            let start = enumerators(s);
            let mut text = &s[start + after_table_row(&s[start..])..];
            if (is_heading(text) && !is_prose(text)) || is_title(text) {
                let title = Heading::of(text);
                if j == 0 && j < last && !title.has_cue() {
                    name = Some(text);
                } else {
                    heading = title;
                }
                continue;
            }
            if let Some(cut) = run_in_heading(text) {
                // a run-in heading labels its own paragraph, under the heading above it
                label = Some(heading.under(Heading::of(&text[..cut])));
                text = &text[cut..];
            }
            // a sentence that does not name what it is about keeps the name before it
            let text = match name.take() {
                Some(name) if names_nothing(text) => format!("{name} {text}"),
                _ => text.to_string(),
            };
            out.push(Raw {
                text,
                paragraph: p,
                heading: label.unwrap_or(heading),
                opens_paragraph: out.last().is_none_or(|r: &Raw| r.paragraph != p),
            });
        }
    }
    out
}

/// Does a sentence leave out what it is about: no subject before its verb ("Provides
/// analytics to state agencies.", "Designed for large organizations, …"), or a description
/// with no verb at all ("Our online marketing platform, a leader in lead generation.")?
/// Under a name it is the name's description.
fn names_nothing(text: &str) -> bool {
    const VERBS: [&str; 13] = [
        "is", "are", "was", "were", "has", "have", "had", "will", "can", "may", "include",
        "includes", "consist",
    ];
    let words: Vec<String> = text.split_whitespace().map(bare_lower).collect();
    let first = words.first().map_or("", String::as_str);
    let second = text.split_whitespace().nth(1).unwrap_or_default();
    let participle = first.len() > 4
        && first.ends_with("ed")
        && matches!(
            second,
            "primarily" | "for" | "to" | "by" | "in" | "with" | "as"
        );
    // a verb right after "that" or "which" is a relative clause's, not the sentence's
    let verb = words.windows(2).any(|w| {
        let (before, word) = (w[0].as_str(), w[1].as_str());
        !matches!(before, "that" | "which" | "who")
            && (VERBS.contains(&word) || DOES.contains(&word))
    });
    // "A visual toolkit for…", "Our online platform, a leader in…"
    let appositive = [", a ", ", an "]
        .iter()
        .any(|a| text.find(a).is_some_and(|at| at < 80));
    let description = (matches!(first, "a" | "an") || first == "our" && appositive) && !verb;
    DOES.contains(&first) || participle || description
}

/// Where a sentence begins after what a table row left of itself in it: the byte offset
/// after the last run of figures followed by a capital or a footnote mark, two or more at
/// the start ("100.0% 100.0% *In 1997 Acme sold…"), three or more further in ("…Retail
/// Deliveries 100.0% 100.0% 100.0% All retail sales data are…"), else 0.
fn after_table_row(s: &str) -> usize {
    let (mut cut, mut at) = (0, 0);
    // figures in a row, and where the run began
    let (mut run, mut run_start) = (0, 0);
    for word in s.split(' ') {
        // a table's cell: digits, perhaps with separators, a dollar or a percent sign; not a
        // figure of a list in prose ("(2024, 2023)")
        let bare = word.trim_start_matches('$').trim_end_matches('%');
        let cell = bare.starts_with(|c: char| c.is_ascii_digit())
            && bare.ends_with(|c: char| c.is_ascii_digit())
            && bare
                .bytes()
                .all(|b| b.is_ascii_digit() || b == b'.' || b == b',');
        if cell {
            run += 1;
        } else {
            let enough = if run_start == 0 { 2 } else { 3 };
            if run >= enough && word.starts_with(|c: char| c.is_uppercase() || c == '*') {
                cut = at + word.len() - word.trim_start_matches('*').len();
            }
            run = 0;
            run_start = at + word.len() + 1;
        }
        at += word.len() + 1;
    }
    cut
}

/// How often each content word occurs in the section's prose, for a sentence's centrality.
struct TermFrequencies {
    counts: FastMap<String, f64>,
    max: f64,
}

impl TermFrequencies {
    fn of<'a>(prose: impl Iterator<Item = &'a [String]>) -> Self {
        let mut counts: FastMap<String, f64> = FastMap::default();
        for content in prose {
            for w in content {
                if let Some(c) = counts.get_mut(w) {
                    *c += 1.0;
                } else {
                    counts.insert(w.clone(), 1.0);
                }
            }
        }
        let max = counts.values().copied().fold(1.0, f64::max);
        TermFrequencies { counts, max }
    }

    /// How much of the section's frequent vocabulary a sentence with `content` uses.
    fn centrality(&self, content: &[String]) -> f64 {
        if content.is_empty() {
            return 0.0;
        }
        content
            .iter()
            .map(|w| self.counts.get(w).copied().unwrap_or(0.0) / self.max)
            .sum::<f64>()
            / (content.len() as f64).sqrt()
    }
}

/// The abbreviations a sentence defines in brackets: "(“ANS”)", "(the “FDA”)", "(SKUs)",
/// "(“ACS”, or the “Company”)".
fn abbreviations_defined(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (open, _) in text.match_indices('(') {
        let Some(close) = text[open..].find(')').filter(|&c| c <= 80) else {
            continue;
        };
        for part in text[open + 1..open + close].split([',', ';']) {
            let part = part.trim();
            let part = part.strip_prefix("the ").unwrap_or(part);
            let word = part.trim_matches(['"', '“', '”', ' ']);
            if is_acronym(word) {
                out.push(word);
            }
        }
    }
    out
}

/// A word written as an acronym: two to ten letters and digits, two of them capitals, the
/// first a capital. (`sentences::is_abbreviation` is another thing: a word a period ends
/// without ending the sentence.)
fn is_acronym(word: &str) -> bool {
    (2..=10).contains(&word.len())
        && word.starts_with(|c: char| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '&')
        && word.chars().filter(char::is_ascii_uppercase).count() >= 2
}

/// Links each unit that uses an abbreviation to the earlier unit that defines it.
fn link_abbreviations(units: &mut [Unit]) {
    let mut defined: FastMap<&str, usize> = FastMap::default();
    let mut links = vec![None; units.len()];
    for (i, u) in units.iter().enumerate() {
        let own = abbreviations_defined(&u.text);
        links[i] = u
            .text
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '&')
            .filter(|w| is_acronym(w) && !own.contains(w))
            .find_map(|w| defined.get(w).copied());
        for a in own {
            defined.entry(a).or_insert(i);
        }
    }
    for (u, link) in units.iter_mut().zip(links) {
        u.defined_in = link;
    }
}

/// Gives each distinct string of a section a small id, in order of first use.
fn intern(ids: &mut FastMap<String, u32>, s: &str) -> u32 {
    if let Some(&id) = ids.get(s) {
        return id;
    }
    let next = ids.len() as u32;
    ids.insert(s.to_string(), next);
    next
}

/// Where a sentence sits in its section, as position features see it.
struct Place {
    /// 1 for the first paragraph, falling to 0 at the last.
    paragraph: f64,
    /// 1 for the first sentence, falling to 0 at the last.
    sentence: f64,
    opens_section: bool,
}

/// The feature vector of sentence `r` (lowercased `lower`, with its `specifics`), in
/// `FEATURES` order.
fn measure(
    r: &Raw,
    lower: &str,
    place: &Place,
    centrality: f64,
    tokens: usize,
    spec: [f64; 5],
    back_reference: bool,
) -> Vec<f64> {
    let hits = cue_hits(lower);
    let company_subject = ["we ", "our ", "the company"]
        .iter()
        .any(|s| lower.starts_with(s));
    let list_like = r.text.matches([';', ':']).count().min(3) as f64 / 3.0;
    let flag = |b: bool| f64::from(u8::from(b));
    let mut f = Vec::with_capacity(FEATURES.len());
    f.extend(hits.plain.iter().map(|v| v.sqrt()));
    f.extend(hits.strong.iter().map(|v| v.sqrt()));
    f.extend(r.heading.aspects);
    f.push(r.heading.off_topic);
    f.push(hits.off_topic.ln_1p());
    f.push(centrality);
    f.push(place.paragraph);
    f.push(place.sentence);
    f.push(flag(place.opens_section));
    f.push(flag(r.opens_paragraph));
    f.push(says_what_it_is(&r.text, lower, hits.identity).value());
    f.push((tokens as f64).ln());
    f.extend(spec);
    f.push(flag(back_reference));
    f.push(flag(company_subject));
    f.push(list_like);
    debug_assert_eq!(f.len(), FEATURES.len());
    f
}

/// The concepts `texts` (by id) of a section's `units` with their features: how often,
/// how early and how widely the section mentions each.
fn concepts(units: &[Unit], texts: Vec<String>) -> Vec<Concept> {
    let n = units.len().max(1) as f64;
    // per concept: mentions, first and last unit, mentions in the first fifth
    let mut seen: Vec<(usize, usize, usize, usize)> = vec![(0, usize::MAX, 0, 0); texts.len()];
    for (i, u) in units.iter().enumerate() {
        for &c in &u.concepts {
            let s = &mut seen[c as usize];
            s.0 += 1;
            s.1 = s.1.min(i);
            s.2 = i;
            s.3 += usize::from((i as f64) < n / 5.0);
        }
    }
    texts
        .into_iter()
        .zip(seen)
        .map(|(text, (mentions, first, last, early))| {
            let flag = |b: bool| f64::from(u8::from(b));
            let m = mentions.max(1) as f64;
            let features = [
                m.ln_1p(),
                1.0 - first as f64 / n,
                (last - first) as f64 / n,
                flag(first < OPENING_WINDOW),
                early as f64 / m,
                flag(
                    text.starts_with('$')
                        || text.contains('%')
                        || text.starts_with(|c: char| c.is_ascii_digit()),
                ),
                flag(text.contains('%')),
                flag(text.starts_with('$')),
                (text.chars().count() as f64).ln(),
            ];
            Concept { text, features }
        })
        .collect()
}

/// The candidate sentences of a section with their features, and its concepts. Sentences
/// that are not prose, boilerplate, careers, fragments (`is_fragment`) or repeated are left
/// out; `previous` links stay within a paragraph.
pub fn section(text: &str) -> Section {
    let raw = raw_sentences(text);
    let paragraphs = raw.last().map_or(1, |s| s.paragraph + 1) as f64;
    let total = raw.len().max(1) as f64;
    // the content words of each prose sentence, read once for the frequencies and the unit
    let mut contents: Vec<Option<Vec<String>>> = raw
        .iter()
        .map(|r| is_prose(&r.text).then(|| words(&r.text).collect()))
        .collect();
    let tf = TermFrequencies::of(contents.iter().flatten().map(Vec::as_slice));
    let (mut word_ids, mut concept_ids) = (FastMap::default(), FastMap::default());
    let mut seen = FastSet::default();
    let mut out: Vec<Unit> = Vec::new();
    // raw index of each unit, to link a unit to the sentence just before it
    let mut raw_of: Vec<usize> = Vec::new();
    for (i, r) in raw.iter().enumerate() {
        let Some(content) = contents[i].take() else {
            continue;
        };
        let lower = r.text.to_lowercase();
        if is_boilerplate(&lower)
            || is_career(&lower)
            || is_fragment(&lower)
            || !seen.insert(lower.clone())
        {
            continue;
        }
        let place = Place {
            paragraph: 1.0 - r.paragraph as f64 / paragraphs,
            sentence: 1.0 - i as f64 / total,
            opens_section: out.is_empty(),
        };
        let estimated_tokens = estimate_tokens(&r.text);
        let (spec, concepts) = specifics(&r.text);
        let centrality = tf.centrality(&content);
        let previous = raw_of
            .last()
            .filter(|&&j| j + 1 == i && raw[j].paragraph == r.paragraph)
            .map(|_| out.len() - 1);
        let back_reference =
            points_back(&lower) || previous.is_some_and(|j| names_again(&r.text, &out[j].terms));
        let features = measure(
            r,
            &lower,
            &place,
            centrality,
            estimated_tokens,
            spec,
            back_reference,
        );
        let mut terms = content;
        terms.sort_unstable();
        terms.dedup();
        let mut words: Vec<u32> = terms.iter().map(|w| intern(&mut word_ids, w)).collect();
        words.sort_unstable();
        raw_of.push(i);
        out.push(Unit {
            text: r.text.clone(),
            paragraph: r.paragraph,
            back_reference,
            previous,
            defined_in: None,
            estimated_tokens,
            words,
            terms,
            features,
            concepts: concepts
                .into_iter()
                .map(|c| intern(&mut concept_ids, &c))
                .collect(),
        });
    }
    link_abbreviations(&mut out);
    let mut texts = vec![String::new(); concept_ids.len()];
    for (text, id) in concept_ids {
        texts[id as usize] = text;
    }
    let concepts = concepts(&out, texts);
    Section {
        units: out,
        concepts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts what `judge` says of each case's text, lower-cased.
    fn judges(judge: impl Fn(&str) -> bool, cases: &[(&str, bool)]) {
        for (text, expected) in cases {
            assert_eq!(judge(&text.to_lowercase()), *expected, "{text}");
        }
    }

    #[test]
    fn headings_set_the_aspect_and_never_join_a_sentence() {
        let section = "Customers\n\nOur customers include wireless carriers in the United States and Europe.\n\n\
            Competition The market for our products is intensely competitive and changing fast. \
            Sales and Marketing We sell our products through a direct sales force and resellers.";
        let us = self::section(section).units;
        let texts: Vec<&str> = us.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Our customers include wireless carriers in the United States and Europe.",
                "The market for our products is intensely competitive and changing fast.",
                "We sell our products through a direct sales force and resellers."
            ]
        );
        let at = |name: &str| FEATURES.iter().position(|f| *f == name).unwrap();
        assert_eq!(us[0].features[at("heading_customers")], 1.0);
        assert_eq!(us[1].features[at("heading_off_topic")], 1.0);
        assert_eq!(us[2].features[at("heading_distribution")], 1.0);
        // a run-in heading labels its paragraph under the heading line above it
        assert_eq!(us[1].features[at("heading_customers")], 1.0);
        assert_eq!(us[2].features[at("heading_off_topic")], 0.0);
        let next = self::section(&format!(
            "{section}\n\nSpace systems — Our engines power the launch vehicles of many nations.\n\n\
             (b) Most of our engines are sold to prime contractors."
        ))
        .units;
        assert_eq!(
            next[3].text,
            "Our engines power the launch vehicles of many nations."
        );
        assert_eq!(
            next[4].text,
            "Most of our engines are sold to prime contractors."
        );
        assert_eq!(
            next[4].features[at("heading_customers")],
            1.0,
            "back to the heading line"
        );
        assert_eq!(next[4].features[at("heading_distribution")], 0.0);
    }

    #[test]
    fn a_name_that_opens_its_paragraph_stays_with_a_sentence_that_does_not_name_it() {
        let text = "Products\n\n\
            • Acme Cloud. Provides hosting and analytics services to regional banks.\n\n\
            • Acme Lead Media. Our online marketing platform, a leader in lead generation.\n\n\
            • Acme Pumps. Acme Pumps makes industrial pumps for water utilities.";
        let us = section(text).units;
        let texts: Vec<&str> = us.iter().map(|u| u.text.as_str()).collect();
        assert_eq!(
            texts,
            vec![
                "Acme Cloud. Provides hosting and analytics services to regional banks.",
                "Acme Lead Media. Our online marketing platform, a leader in lead generation.",
                "Acme Pumps makes industrial pumps for water utilities."
            ]
        );
        // a name is no heading: the paragraphs stay under "Products"
        let at = FEATURES
            .iter()
            .position(|f| *f == "heading_products")
            .unwrap();
        assert!(us.iter().all(|u| u.features[at] == 1.0));
        judges(
            names_nothing,
            &[
                ("provides hosting to banks.", true),
                ("designed primarily for large organizations, it…", true),
                ("a low-code toolkit for building applications.", true),
                ("our online platform, a leader in lead generation.", true),
                ("our platform is a leader in lead generation.", false),
                ("embedded products address industrial markets.", false),
            ],
        );
    }

    #[test]
    fn back_references_are_linked_to_the_sentence_before() {
        let us = section(
            "We make industrial pumps for water utilities and farms. These pumps are sold through \
             independent dealers across the country.\n\nIn addition, we lease equipment to contractors.",
        )
        .units;
        assert!(!us[0].back_reference && us[1].back_reference && us[2].back_reference);
        assert_eq!(us[1].previous, Some(0));
        assert_eq!(us[2].previous, None, "not across paragraphs");
    }

    #[test]
    fn a_thing_the_sentence_before_introduced_named_again_points_back() {
        let text = "We make joists for floors and roofs of buildings. \
            The joists are sold to contractors through manufacturer's representatives. \
            The market for pumps is competitive and changes quickly in every region. \
            The Company sells its pumps through dealers in many states.\n\n\
            The agreement provides for a credit facility of $100 million with four banks. \
            On May 1 we sold the Acme valve business to a buyer. \
            The transaction included the Acmeflo brand and two plants.";
        let units = section(text).units;
        let back: Vec<bool> = units.iter().map(|u| u.back_reference).collect();
        // an event opening a paragraph has nothing before it: it stays a candidate
        assert_eq!(back, [false, true, false, false, false, false, true]);
        let words = |ws: &[&str]| ws.iter().map(|w| (*w).to_string()).collect::<Vec<_>>();
        for (text, before, expected) in [
            (
                "The acquisition was accounted for as a purchase.",
                words(&["acquired"]),
                true,
            ),
            (
                "The term loan was used to buy the plant.",
                words(&["seven", "term", "loan"]),
                true,
            ),
            (
                "The majority of our revenue comes from pumps.",
                words(&["major"]),
                false,
            ),
            (
                "The Acquisition Corp. was formed in 2005.",
                words(&["acquired"]),
                false,
            ),
            ("Under our ownership, the business grew.", words(&[]), true),
            // a letter of more than one byte within the stem
            ("The ssc’s plan is new.", words(&["ssc"]), false),
        ] {
            assert_eq!(names_again(text, &before), expected, "{text}");
        }
        judges(
            points_back,
            &[
                ("Its operations made up 71% of our revenue.", true),
                (
                    "The products of the segments above are sold through dealers.",
                    true,
                ),
                ("A similar scheme applies to satellite providers.", true),
                (
                    "The remainder of pump revenue comes from support services.",
                    true,
                ),
                ("To do so, we embed engineers with our users.", true),
                ("The second element of our strategy is pricing.", true),
                ("Beyond that, we also sell pumps to farms.", true),
                (
                    "The shares held per the above paragraph were returned.",
                    true,
                ),
                ("The information presented below covers our pumps.", true),
                (
                    "The sale of pumps to utilities makes up most of our revenue.",
                    false,
                ),
            ],
        );
    }

    #[test]
    fn an_opening_a_demonstrative_or_a_pointer_points_back() {
        judges(
            points_back,
            &[
                (
                    "In 2024, this group generated 32% of our freight revenue.",
                    true,
                ),
                (
                    "Over this period, we allocated $15 billion to new plants.",
                    true,
                ),
                (
                    "Customers for many of these products include electrical distributors.",
                    true,
                ),
                (
                    "We sell to the major customer referred to above under annual contracts.",
                    true,
                ),
                (
                    "Of these, approximately 9,600 were located in the United States.",
                    true,
                ),
                (
                    "The remaining 35% of our shipments went to fountain retailers.",
                    true,
                ),
                (
                    "In that year, our first discount store opened in a small town.",
                    true,
                ),
                (
                    "We believe that our dealers and the customers that they serve are loyal.",
                    false,
                ),
                (
                    "In this year we sold more pumps to utilities than ever before.",
                    false,
                ),
                (
                    "We sell pumps to utilities through independent dealers nationwide.",
                    false,
                ),
                (
                    "In addition to our dealers, we sell pumps directly to large utilities.",
                    false,
                ),
                (
                    "In addition to these products, we sell spare parts to our dealers.",
                    true,
                ),
                (
                    "In addition to the programs listed above, we insure fleets in ten states.",
                    true,
                ),
                (
                    "In addition, we sell spare parts to our dealers and to utilities.",
                    true,
                ),
                (
                    "The segment generates revenue from advertisers on our web sites.",
                    true,
                ),
                (
                    "No other customer accounted for 10 percent or more of our net sales.",
                    true,
                ),
                (
                    "None of our customers accounted for 10 percent of our net sales.",
                    false,
                ),
                (
                    "The third-party carriers deliver our pumps to most utilities.",
                    false,
                ),
            ],
        );
    }

    #[test]
    fn a_sentence_says_what_the_company_is_by_a_phrase_or_its_name_and_what_it_does() {
        judges(
            |lower| says_what_it_is(lower, lower, cue_hits(lower).identity) != Identity::None,
            &[            ("We are a leading maker of industrial pumps.", true),
            (
                "Acme Corp. (“Acme,” “we” or the “Company”) offers pumps through its stores.",
                true,
            ),
            ("The Company operates pump stores in four countries.", true),
            ("Acme Inc. designs, makes and markets pumps.", true),
            (
                "Acme Corp. (the “Company”) is a leading maker of pumps, and was incorporated in Ohio in 1919.",
                false,
            ),
            ("We operate in four geographic segments.", false),
            ("Our common stock is listed on the Acme Exchange.", false),
            (
                "Our largest customer, Acme Corporation, operates 300 stores.",
                false,
            ),
            ("Acme LLC (the “Company”), sells pumps to utilities.", true),
            ("Acme is a registered trademark of Acme Corp.", false),
            ("We are principally engaged in the operation of pump stores.", true),
            (
                "The current business of the Company is the exploration of oil fields.",
                true,
            ),
            (
                "Acme Pumps, LLC (the “Company”) is a development stage company which was formed in 2005 to develop, own and operate a pump plant.",
                true,
            ),
            ],
        );
        // by its name as the subject, and how clearly
        let identity = |text: &str| {
            let lower = text.to_lowercase();
            says_what_it_is(text, &lower, cue_hits(&lower).identity)
        };
        for (text, expected) in [
            ("Acme develops, makes and sells industrial pumps.", Identity::Clear),
            ("Acme Pump Works supplies pumps to utilities.", Identity::Clear),
            ("Acme plc, based in Ohio, is the leading pump maker.", Identity::Clear),
            ("Acme is now a full-line maker of pumps and valves.", Identity::Clear),
            ("Customers develop their own pump stations.", Identity::None),
            ("Revenue makes up most of what Acme reports.", Identity::None),
            ("Acme is now available in forty states.", Identity::None),
            ("Price is the leading factor in our markets.", Identity::Broad),
            ("Acme is a Delaware holding company for pump makers.", Identity::Broad),
            (
                "Two other subsidiaries, Acme Joists, Inc. and Acme Bars, Inc., are engaged in making joists.",
                Identity::Broad,
            ),
            (
                "Acme was founded in 1949 and today serves utilities in 150 countries.",
                Identity::None,
            ),
            (
                "Acme Corp. is a corporation organized under the laws of Delaware.",
                Identity::None,
            ),
            (
                "Acme Corp. designs pumps and was incorporated in Ohio in 1990.",
                Identity::Clear,
            ),
        ] {
            assert_eq!(identity(text), expected, "{text}");
        }
    }

    #[test]
    fn a_short_list_reads_as_one_sentence_with_its_lead_in() {
        let text = "Overview\n\nWe are a global pump company primarily offering:\n\n\
            • pumps for water utilities;\n\n• valves and meters; and\n\n• repair services.\n\n\
            We sell through dealers in many states of the country.";
        let texts: Vec<String> = section(text).units.into_iter().map(|u| u.text).collect();
        assert_eq!(
            texts,
            [
                "We are a global pump company primarily offering: pumps for water utilities; \
                 valves and meters; and repair services.",
                "We sell through dealers in many states of the country.",
            ]
        );
    }

    #[test]
    fn pieces_of_lists_tables_and_footnotes_are_no_sentences() {
        // what a table row left before a sentence, at its start and further in
        for (text, rest) in [
            (
                "100.0% 100.0% *In 1997 Acme sold its truck business.",
                "In 1997 Acme sold its truck business.",
            ),
            (
                "Total Deliveries 100.0% 100.0% 100.0% All retail sales data are public.",
                "All retail sales data are public.",
            ),
            (
                "Sales were 12.5 million units in 2023.",
                "Sales were 12.5 million units in 2023.",
            ),
            (
                "We were named to the Acme 50 list (2024, 2023, 2022), Acme Fast 500 (2019).",
                "We were named to the Acme 50 list (2024, 2023, 2022), Acme Fast 500 (2019).",
            ),
        ] {
            assert_eq!(&text[after_table_row(text)..], rest, "{text}");
        }
        // footnotes, goals named by a gerund, questions
        judges(
            is_fragment,
            &[
                ("Represents the combined international segments.", true),
                ("Excludes $19.26 billion in certain funds.", true),
                ("Advancing the Acme pump platform.", true),
                ("Is your pump considered ancient technology?", true),
                (
                    "(Acme Point and Acme Ledger); and other business applications.",
                    true,
                ),
                ("(Pumps are sold in Ohio only.)", false),
                ("We earn revenue from pumps in three ways.", true),
                ("Our pump business generates two revenue streams.", true),
                ("We sell pumps in three ways to farms.", false),
                ("Pumps make up two of our five segments.", false),
                (
                    "Including pumps and valves, Acme sells 75% of all units.",
                    false,
                ),
                ("During 2023 sales of pumps rose by a fifth.", false),
                ("Acme includes the Acmeflo line of pumps.", false),
                (
                    "Operating revenues consist of fees paid by customers.",
                    false,
                ),
                ("Manufacturing is performed at our plant in Ohio.", false),
            ],
        );
        assert!(!is_prose("Percent of Acme's total U.S. pump sales..."));
    }

    #[test]
    fn concepts_know_how_often_and_where_they_are_mentioned() {
        let s = section(
            "We make industrial pumps sold under the Acmeflo brand to water utilities. \
             Our Acmeflo pumps are sold through independent dealers across the country. \
             Sales to the largest utility accounted for 31% of revenue in the year. \
             The Acmeflo line was extended with two larger models for farms.",
        );
        let concept = |t: &str| s.concepts.iter().find(|c| c.text == t).unwrap();
        let at = |name: &str| CONCEPT_FEATURES.iter().position(|f| *f == name).unwrap();
        let (brand, share) = (concept("acmeflo"), concept("31%"));
        assert_eq!(brand.features[at("mentions")], 4f64.ln());
        assert_eq!(brand.features[at("first_position")], 1.0);
        assert_eq!(brand.features[at("spread")], 0.75);
        assert_eq!(brand.features[at("figure")], 0.0);
        assert_eq!(share.features[at("mentions")], 2f64.ln());
        assert_eq!(share.features[at("percent")], 1.0);
        let id = s.concepts.iter().position(|c| c.text == "31%").unwrap() as u32;
        assert!(s.units[2].concepts.contains(&id));
    }

    #[test]
    fn run_in_headings_are_found_only_before_a_sentence_opener() {
        // each sentence with the heading run into it, if any
        for (text, heading) in [
            (
                "Product Development The software industry moves fast.",
                Some("Product Development "),
            ),
            ("Our Analog segment generated sales.", None),
            ("Acme Widgets sells pumps.", None),
            (
                "ACME PUMPS INC. The Company owns 44% of it.",
                Some("ACME PUMPS INC. "),
            ),
            ("Acme Pumps Inc. The Company owns it.", None),
            (
                "Space systems — Our engines power launch vehicles.",
                Some("Space systems — "),
            ),
            (
                "Operations – ACRR is a Class I railroad.",
                Some("Operations – "),
            ),
            ("Our engines – the best – sell well.", None),
            ("Patricia A. Acme, his wife, owns 3.34% of the stock.", None),
            (
                "Overview A leading maker of pumps, we sell to utilities.",
                Some("Overview "),
            ),
            ("Acmeflo® – Our pump line for farms.", None),
            ("Sales rose 5% - Revenue was flat.", None),
        ] {
            assert_eq!(run_in_heading(text), heading.map(str::len), "{text}");
        }
        // each sentence with its leading enumerators
        for (text, enumerator) in [
            ("(1) (i) The Registrant makes steel.", "(1) (i) "),
            ("(formerly Acme) makes steel.", ""),
            (
                "2.5 Canadian Patent No. 2,670,510 relates to routing.",
                "2.5 ",
            ),
            ("4. (a) Acme sells pumps.", "4. (a) "),
            ("2.5 million people use it.", ""),
            ("2020 Annual sales rose.", ""),
        ] {
            assert_eq!(enumerators(text), enumerator.len(), "{text}");
        }
    }

    #[test]
    fn an_officers_career_is_told_apart_from_a_person_named() {
        judges(
            is_career,
            &[
                (
                    "Mr. Acme was Senior Vice President, Merchandising, from 2013 to 2018.",
                    true,
                ),
                (
                    "Ms. Acme, 46, has been employed by the Company since 1998 as a director.",
                    true,
                ),
                (
                    "Our sole employee, our President, Mr. Acme, teaches the seminars.",
                    false,
                ),
                ("The president of the board was pleased with sales.", false),
                (
                    "Jane Acme has served as our Chief Financial Officer since July 2002.",
                    true,
                ),
                (
                    "Mr. Acme's spouse, Jane Acme, has served as our Secretary since 2017.",
                    true,
                ),
                (
                    "Dealers have served as our main channel, each under a regional director.",
                    false,
                ),
                ("He spent five years with Acme Oil in Houston.", true),
                ("Shell companies have no operations of their own.", false),
            ],
        );
    }

    #[test]
    fn how_the_fiscal_year_is_defined_is_boilerplate_and_what_happened_in_it_is_not() {
        judges(
            is_boilerplate,
            &[            ("Our fiscal year ends on the last Saturday of March.", true),
            (
                "We use a 52- or 53-week fiscal year ending on the last Saturday.",
                true,
            ),
            (
                "Fiscal year 2023 consisted of the 53 weeks ended on February 3, 2024.",
                true,
            ),
            (
                "During the fiscal year ended March 31, 2010, we had net sales of $4.2 billion.",
                false,
            ),
            (
                "For the 53-week fiscal year, net sales were $4.2 billion.",
                false,
            ),
            ],
        );
    }
}
