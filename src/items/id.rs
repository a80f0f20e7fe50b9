//! The items of Form 10-K, what their headings are called, and how a Form 10-KSB numbers them.
//!
//! An `ItemId` always means the Form 10-K item: analysts ask for "Item 7" meaning the MD&A,
//! whatever number the filing printed. A 10-KSB printed its MD&A ("Management's Discussion
//! and Analysis or Plan of Operation") as Item 6 and its financial statements as Item 7, so a
//! heading is identified by its number *and* its title: a number whose title is the 10-KSB's
//! item of that number is that item's Form 10-K counterpart. The titles are data (tables),
//! not code, so a newcomer adds a wording by adding a line.

use serde::Serialize;

/// An item of Form 10-K, in the form's order (the derived order is the form's order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ItemId {
    I1,
    I1A,
    I1B,
    I1C,
    I2,
    I3,
    I4,
    I5,
    I6,
    I7,
    I7A,
    I8,
    I9,
    I9A,
    I9B,
    I9C,
    I10,
    I11,
    I12,
    I13,
    I14,
    I15,
    I16,
}

/// Every item with its number, letter, title prefixes (lower case, straight apostrophes, as
/// `normalize_title` gives them) and the full title an index entry may repeat.
struct Spec {
    id: ItemId,
    number: u8,
    letter: Option<char>,
    titles: &'static [&'static str],
    full_title: &'static str,
}

const SPECS: &[Spec] = &[
    spec(ItemId::I1, 1, None, &["business"], "business"),
    spec(ItemId::I1A, 1, Some('a'), &["risk factors"], "risk factors"),
    spec(
        ItemId::I1B,
        1,
        Some('b'),
        &["unresolved staff", "unresolved sec staff"],
        "unresolved staff comments",
    ),
    spec(ItemId::I1C, 1, Some('c'), &["cybersecurity"], "cybersecurity"),
    spec(
        ItemId::I2,
        2,
        None,
        &["properties", "property", "description of propert"],
        "properties",
    ),
    spec(ItemId::I3, 3, None, &["legal proceedings"], "legal proceedings"),
    spec(
        ItemId::I4,
        4,
        None,
        &[
            "mine safety",
            "submission of matters",
            "[reserved]",
            "reserved",
            "removed and reserved",
            "(removed and reserved)",
        ],
        "mine safety disclosures",
    ),
    spec(
        ItemId::I5,
        5,
        None,
        // the stock performance graph is Item 5 matter (Regulation S-K 201(e))
        &["market for", "stock performance graph"],
        "market for registrant's common equity related stockholder matters and issuer purchases of equity securities",
    ),
    spec(
        ItemId::I6,
        6,
        None,
        &["selected financial", "selected consolidated financial", "[reserved]", "reserved", "removed and reserved", "(reserved)"],
        "selected financial data",
    ),
    spec(
        ItemId::I7,
        7,
        None,
        &["management's discussion", "management discussion", "managements discussion"],
        "management's discussion and analysis of financial condition and results of operations",
    ),
    spec(
        ItemId::I7A,
        7,
        Some('a'),
        &["quantitative and qualitative"],
        "quantitative and qualitative disclosures about market risk",
    ),
    spec(
        ItemId::I8,
        8,
        None,
        &[
            "financial statements",
            "consolidated financial statements",
            // the statements themselves under the number ("Item 8. Consolidated Statements of
            // Operations")
            "consolidated statement",
            "consolidated balance sheet",
        ],
        "financial statements and supplementary data",
    ),
    spec(
        ItemId::I9,
        9,
        None,
        &["changes in and disagreements", "changes in and disagreement"],
        "changes in and disagreements with accountants on accounting and financial disclosure",
    ),
    spec(
        ItemId::I9A,
        9,
        Some('a'),
        &["controls and procedures", "control and procedures"],
        "controls and procedures",
    ),
    spec(ItemId::I9B, 9, Some('b'), &["other information"], "other information"),
    spec(
        ItemId::I9C,
        9,
        Some('c'),
        &["disclosure regarding foreign"],
        "disclosure regarding foreign jurisdictions that prevent inspections",
    ),
    spec(
        ItemId::I10,
        10,
        None,
        &["directors"],
        "directors executive officers and corporate governance",
    ),
    spec(ItemId::I11, 11, None, &["executive compensation"], "executive compensation"),
    spec(
        ItemId::I12,
        12,
        None,
        &["security ownership"],
        "security ownership of certain beneficial owners and management and related stockholder matters",
    ),
    spec(
        ItemId::I13,
        13,
        None,
        &["certain relationships"],
        "certain relationships and related transactions and director independence",
    ),
    spec(
        ItemId::I14,
        14,
        None,
        &["principal account"],
        "principal accountant fees and services",
    ),
    spec(
        ItemId::I15,
        15,
        None,
        &["exhibits"],
        "exhibits and financial statement schedules",
    ),
    spec(ItemId::I16, 16, None, &["form 10-k summary"], "form 10-k summary"),
];

const fn spec(
    id: ItemId,
    number: u8,
    letter: Option<char>,
    titles: &'static [&'static str],
    full_title: &'static str,
) -> Spec {
    Spec {
        id,
        number,
        letter,
        titles,
        full_title,
    }
}

/// The MD&A's title as some filers order it, results before financial condition.
const MDNA_RESULTS_FIRST: &str =
    "management's discussion and analysis of results of operations and financial condition";

/// Form 10-KSB's items whose number means another Form 10-K item: (number, letter, the Form
/// 10-K item, the 10-KSB titles).
const KSB: &[(u8, Option<char>, ItemId, &[&str])] = &[
    (
        6,
        None,
        ItemId::I7,
        &[
            "management's discussion",
            "management discussion",
            "plan of operation",
        ],
    ),
    (7, None, ItemId::I8, &["financial statements"]),
    (8, None, ItemId::I9, &["changes in and disagreement"]),
    (8, Some('a'), ItemId::I9A, &["controls and procedures"]),
    (8, Some('b'), ItemId::I9B, &["other information"]),
    (9, None, ItemId::I10, &["directors"]),
    (10, None, ItemId::I11, &["executive compensation"]),
    (11, None, ItemId::I12, &["security ownership"]),
    (12, None, ItemId::I13, &["certain relationships"]),
    (13, None, ItemId::I15, &["exhibits"]),
];

/// A title in the form the tables above use: lower case, curly apostrophes straight, runs
/// of whitespace one space, leading punctuation (but `[` of "[Reserved]") dropped.
pub fn normalize_title(title: &str) -> String {
    let t = title
        .trim_start_matches(|c: char| !c.is_alphanumeric() && c != '[' && c != '(')
        .to_lowercase()
        .replace(['\u{2019}', '\u{2018}', '`'], "'");
    t.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Lower case, every run of other characters than letters and digits one space: titles
/// compared word by word ("Management’s Discussion" → "management s discussion").
pub fn words(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// "Business", "Description of Business", "The Business", "Our Business" …
fn is_business(t: &str) -> bool {
    let t = t.strip_prefix("description of ").unwrap_or(t);
    let t = t.strip_prefix("narrative description of ").unwrap_or(t);
    let t = t.strip_prefix("general description of ").unwrap_or(t);
    let t = t.strip_prefix("the ").unwrap_or(t);
    let t = t.strip_prefix("our ").unwrap_or(t);
    t.starts_with("business")
}

fn starts_with_any(t: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| t.starts_with(p))
}

impl ItemId {
    /// Every item, in the form's order.
    pub const ALL: [ItemId; 23] = [
        ItemId::I1,
        ItemId::I1A,
        ItemId::I1B,
        ItemId::I1C,
        ItemId::I2,
        ItemId::I3,
        ItemId::I4,
        ItemId::I5,
        ItemId::I6,
        ItemId::I7,
        ItemId::I7A,
        ItemId::I8,
        ItemId::I9,
        ItemId::I9A,
        ItemId::I9B,
        ItemId::I9C,
        ItemId::I10,
        ItemId::I11,
        ItemId::I12,
        ItemId::I13,
        ItemId::I14,
        ItemId::I15,
        ItemId::I16,
    ];

    fn spec(self) -> &'static Spec {
        &SPECS[self as usize]
    }

    /// The Form 10-K item a printed number stands for, by the 10-K's numbering.
    pub fn from_parts(number: u8, letter: Option<char>) -> Option<ItemId> {
        SPECS
            .iter()
            .find(|s| s.number == number && s.letter == letter)
            .map(|s| s.id)
    }

    /// Position in the form's order, comparable with `rank_of` of printed numbers that are
    /// no Form 10-K item ("Item 4A").
    pub fn rank(self) -> u16 {
        let s = self.spec();
        rank_of(s.number, s.letter)
    }

    /// Does a (normalized) title name this item?
    pub fn has_title(self, normalized: &str) -> bool {
        match self {
            ItemId::I1 => is_business(normalized),
            _ => starts_with_any(normalized, self.spec().titles),
        }
    }

    /// How many leading words of `title` (as `words` gives them) are the item's full
    /// title's: what of a heading or an index entry is the item's title, and what follows.
    pub fn title_fit(self, title: &str) -> usize {
        let fit = |full: &str| {
            let full = words(full);
            title
                .split(' ')
                .zip(full.split(' '))
                .take_while(|(a, b)| a == b)
                .count()
        };
        let other = match self {
            ItemId::I7 => fit(MDNA_RESULTS_FIRST),
            _ => 0,
        };
        fit(self.spec().full_title).max(other)
    }

    /// The item a heading means, from its printed number and its (normalized) title: the
    /// Form 10-K item of that number when the title is that item's, else the 10-KSB item of
    /// that number when the title is the 10-KSB's. `None`: the title is neither.
    pub fn from_heading(number: u8, letter: Option<char>, normalized: &str) -> Option<ItemId> {
        let tenk = ItemId::from_parts(number, letter).filter(|id| id.has_title(normalized));
        tenk.or_else(|| {
            KSB.iter()
                .find(|(n, l, _, titles)| {
                    *n == number && *l == letter && starts_with_any(normalized, titles)
                })
                .map(|(_, _, id, _)| *id)
        })
    }

    /// Some item's title, for a heading whose number does not match its title.
    pub fn any_with_title(normalized: &str) -> Option<ItemId> {
        ItemId::ALL.into_iter().find(|id| id.has_title(normalized))
    }

    /// "1A": as users write it and the JSON shows it.
    pub fn as_str(self) -> &'static str {
        const NAMES: [&str; 23] = [
            "1", "1A", "1B", "1C", "2", "3", "4", "5", "6", "7", "7A", "8", "9", "9A", "9B", "9C",
            "10", "11", "12", "13", "14", "15", "16",
        ];
        NAMES[self as usize]
    }

    /// The stem of the item's Parquet columns: `item_1a` (`item_1a_status`, `item_1a_text`).
    pub fn column_stem(self) -> String {
        format!("item_{}", self.as_str().to_ascii_lowercase())
    }
}

/// Rank of a printed item number in the form's order ("Item 4A" sits between 4 and 5).
pub fn rank_of(number: u8, letter: Option<char>) -> u16 {
    u16::from(number) * 10 + letter.map_or(0, |c| u16::from(c as u8 - b'a' + 1))
}

impl std::fmt::Display for ItemId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for ItemId {
    type Err = String;

    /// "1A", "1a", "Item 1A", "7".
    fn from_str(s: &str) -> Result<ItemId, String> {
        let t = s.trim();
        let t = t
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("item"))
            .map_or(t, |_| t[4..].trim_start());
        ItemId::ALL
            .into_iter()
            .find(|id| id.as_str().eq_ignore_ascii_case(t))
            .ok_or_else(|| {
                format!(
                    "{s:?} is not an item of Form 10-K (1, 1A, 1B, 1C, 2, 3, 4, 5, 6, 7, 7A, 8, \
                     9, 9A, 9B, 9C, 10 … 16)"
                )
            })
    }
}

impl Serialize for ItemId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A list of items as users write it: "1,1A,7" or "all"; sorted in the form's order,
/// each once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemList(pub Vec<ItemId>);

impl std::str::FromStr for ItemList {
    type Err = String;

    fn from_str(s: &str) -> Result<ItemList, String> {
        if s.trim().eq_ignore_ascii_case("all") {
            return Ok(ItemList(ItemId::ALL.to_vec()));
        }
        let mut items = s
            .split(',')
            .filter(|p| !p.trim().is_empty())
            .map(str::parse)
            .collect::<Result<Vec<ItemId>, String>>()?;
        if items.is_empty() {
            return Err(format!("{s:?} names no item (e.g. 1,1A,7 or all)"));
        }
        items.sort();
        items.dedup();
        Ok(ItemList(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_in_the_order_of_the_enum() {
        for (i, s) in SPECS.iter().enumerate() {
            assert_eq!(s.id as usize, i);
            assert_eq!(ItemId::ALL[i], s.id);
        }
        assert!(ItemId::ALL.windows(2).all(|w| w[0].rank() < w[1].rank()));
    }

    #[test]
    fn ids_parse_and_print_as_users_write_them() {
        assert_eq!("1a".parse::<ItemId>(), Ok(ItemId::I1A));
        assert_eq!("Item 7A".parse::<ItemId>(), Ok(ItemId::I7A));
        assert!("17".parse::<ItemId>().is_err());
        assert_eq!(ItemId::I9C.to_string(), "9C");
        assert_eq!(ItemId::I1A.column_stem(), "item_1a");
        let list = |s: &str| s.parse::<ItemList>().map(|l| l.0);
        assert_eq!(
            list("7, 1,1A"),
            Ok(vec![ItemId::I1, ItemId::I1A, ItemId::I7])
        );
        assert_eq!(list("all").unwrap().len(), 23);
        assert!(list(",").is_err());
    }

    #[test]
    fn a_10ksb_heading_means_its_form_10k_item() {
        let t = |s: &str| normalize_title(s);
        assert_eq!(
            ItemId::from_heading(6, None, &t("PLAN OF OPERATION")),
            Some(ItemId::I7)
        );
        assert_eq!(
            ItemId::from_heading(7, None, &t("Financial Statements")),
            Some(ItemId::I8)
        );
        assert_eq!(
            ItemId::from_heading(7, None, &t("Management’s Discussion and Analysis")),
            Some(ItemId::I7)
        );
        assert_eq!(
            ItemId::from_heading(6, None, &t("[Reserved]")),
            Some(ItemId::I6)
        );
        assert_eq!(ItemId::from_heading(7, None, &t("Properties")), None);
    }
}
