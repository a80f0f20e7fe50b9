//! Locating Item 1 ("Business") in the clean text of a 10-K.
//!
//! Real filings state Item 1 many ways ("ITEM 1. BUSINESS", "Item 1 – Business",
//! "Items 1 and 2. Business and Properties", "Item 1. Description of Business", the number
//! and the title on separate lines) and list it first in a table of contents, again in
//! running page headers and in cross-references. This module reads every line that starts
//! like an item heading, treats each Item 1 heading as a candidate, ends each candidate at the
//! next item heading of a later item, and keeps the candidate with the longest section: a
//! table-of-contents entry ends at the next entry, a running header inside the section ends
//! where the section ends, so the body heading wins. Nothing here knows any company.

use serde::Serialize;

use crate::document::{text::PageStart, Clean};

/// A section shorter than this that does not incorporate its text by reference is a
/// heading without a body, not an Item 1.
const MIN_SECTION_BYTES: usize = 200;

/// What became of the search for Item 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The section was found and holds its own text.
    Ok,
    /// The section was found but only incorporates the information from elsewhere.
    ByReference,
    /// No Item 1 heading was found.
    NotFound,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::ByReference => "by_reference",
            Status::NotFound => "not_found",
        }
    }
}

/// Item 1 of one filing: where it is in the clean text and what it says.
#[derive(Debug, Clone, Serialize)]
pub struct Item1 {
    pub status: Status,
    /// The heading as it reads in the document.
    pub heading: String,
    /// How the heading was recognised.
    pub method: &'static str,
    /// 0–1: how sure the finder is of the boundaries.
    pub confidence: f32,
    /// Byte offsets of the section body in the clean text.
    pub start_byte: usize,
    pub end_byte: usize,
    /// Char offsets of the same span.
    pub start_char: usize,
    pub end_char: usize,
    pub text: String,
}

impl Item1 {
    fn not_found() -> Self {
        Item1 {
            status: Status::NotFound,
            heading: String::new(),
            method: "none",
            confidence: 0.0,
            start_byte: 0,
            end_byte: 0,
            start_char: 0,
            end_char: 0,
            text: String::new(),
        }
    }
}

/// A line that starts like an item heading: "Item 7A." …
#[derive(Debug, Clone, PartialEq)]
struct ItemHeading<'a> {
    number: u8,
    letter: Option<char>,
    /// "Items 1 and 2": the last item the heading covers.
    through: Option<u8>,
    /// What follows the number and its punctuation.
    title: &'a str,
}

impl ItemHeading<'_> {
    /// "Item 1. Business" and its variants, the title on the heading's line.
    fn is_business(&self) -> bool {
        self.number == 1 && self.letter.is_none() && is_business_title(self.title)
    }

    /// Position of the item in the form's order, for "is this a later item?".
    fn rank(&self) -> u16 {
        let n = u16::from(self.through.unwrap_or(self.number));
        n * 10 + self.letter.map_or(0, |c| u16::from(c as u8 - b'a' + 1))
    }
}

fn skip_ws(s: &str) -> &str {
    s.trim_start_matches(|c: char| c.is_whitespace())
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Parses "Item 1.", "ITEMS 1 AND 2.", "Part I, Item 1A –", "I TEM 2:" at the start of a line.
fn parse_item_heading(line: &str) -> Option<ItemHeading<'_>> {
    let mut s = skip_ws(line);
    if let Some(rest) = strip_prefix_ci(s, "part i") {
        let rest = rest.trim_start_matches(|c: char| c.is_whitespace() || ",.-–—:".contains(c));
        if strip_prefix_ci(rest, "item").is_some() {
            s = rest;
        }
    }
    s = strip_prefix_ci(s, "items")
        .or_else(|| strip_prefix_ci(s, "item"))
        .or_else(|| strip_prefix_ci(s, "i tem"))?;
    s = skip_ws(s);
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let number: u8 = s[..digits].parse().ok()?;
    s = &s[digits..];
    let mut letter = None;
    let mut chars = s.chars();
    if let Some(c) = chars.next() {
        let next_is_alpha = chars.next().is_some_and(char::is_alphabetic);
        if ('a'..='d').contains(&c.to_ascii_lowercase()) && !next_is_alpha {
            letter = Some(c.to_ascii_lowercase());
            s = &s[1..];
        } else if c.is_ascii_digit() || (c.is_alphabetic() && !next_is_alpha) {
            // "Item 100", "Item 10K": not an item heading
            return None;
        }
    }
    let mut through = None;
    let t = skip_ws(s);
    for joiner in ["and", "&", ",", "through", "-", "–"] {
        if let Some(rest) = strip_prefix_ci(t, joiner) {
            let rest = skip_ws(rest);
            let d = rest.bytes().take_while(u8::is_ascii_digit).count();
            if d > 0 && d <= 2 {
                through = rest[..d].parse().ok();
                s = &rest[d..];
                break;
            }
        }
    }
    let title = s.trim_start_matches(|c: char| c.is_whitespace() || ".:-–—()".contains(c));
    Some(ItemHeading {
        number,
        letter,
        through,
        title: title.trim_end(),
    })
}

/// Titles of the items that can follow Item 1 (lower case prefixes).
const LATER_ITEM_TITLES: &[&str] = &[
    "risk factors",
    "unresolved staff",
    "cybersecurity",
    "properties",
    "property",
    "description of propert",
    "legal proceedings",
    "submission of matters",
    "mine safety",
    "[reserved]",
    "reserved",
    "removed and reserved",
    "executive officers",
    "market for",
    "selected financial",
    "management's discussion",
    "management’s discussion",
    "quantitative and qualitative",
    "financial statements",
    "changes in and disagreements",
    "controls and procedures",
    "other information",
    "directors",
    "executive compensation",
    "security ownership",
    "certain relationships",
    "principal account",
    "exhibits",
];

fn is_business_title(title: &str) -> bool {
    let t = title.to_lowercase();
    let t = t.trim_start_matches(|c: char| !c.is_alphanumeric());
    let t = t.strip_prefix("description of ").unwrap_or(t);
    let t = t.strip_prefix("narrative description of ").unwrap_or(t);
    let t = t.strip_prefix("general description of ").unwrap_or(t);
    let t = t.strip_prefix("the ").unwrap_or(t);
    let t = t.strip_prefix("our ").unwrap_or(t);
    t.starts_with("business")
}

fn is_later_item_title(title: &str) -> bool {
    let t = title.to_lowercase();
    let t = t.trim_start_matches(|c: char| !c.is_alphanumeric() && c != '[');
    LATER_ITEM_TITLES.iter().any(|p| t.starts_with(p))
}

/// One line of the clean text with its byte range.
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    text: &'a str,
    start: usize,
    end: usize,
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut pos = 0;
    for l in text.split_inclusive('\n') {
        let body = l.trim_end_matches(['\n', '\r']);
        out.push(Line {
            text: body,
            start: pos,
            end: pos + body.len(),
        });
        pos += l.len();
    }
    out
}

/// Does the previous line leave a sentence open, making this line its continuation
/// (hard-wrapped text mentioning "Item 1A" at a line start)?
fn continues_sentence(prev: Option<&Line<'_>>) -> bool {
    prev.is_some_and(|p| {
        let t = p.text.trim_end();
        !t.is_empty() && t.ends_with(|c: char| c.is_lowercase() || c == ',')
    })
}

/// The first non-blank line after `i`, within two lines.
fn next_text_line<'a>(ls: &[Line<'a>], i: usize) -> Option<(usize, &'a str)> {
    ls.iter()
        .enumerate()
        .skip(i + 1)
        .take(2)
        .find(|(_, l)| !l.text.trim().is_empty())
        .map(|(j, l)| (j, l.text))
}

/// Where a section may start: line, rank of the item it opens, first byte of its body.
type Start = (usize, u16, usize);
/// Where a section may end: line, rank of the item that begins there.
type End = (usize, u16);

/// A way of finding section starts and ends in the lines of a document.
type Candidates = fn(&[Line<'_>]) -> (Vec<Start>, Vec<End>);

/// Candidates from item headings ("Item 1. Business" … "Item 2. Properties").
fn item_headings(ls: &[Line<'_>]) -> (Vec<Start>, Vec<End>) {
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for (i, line) in ls.iter().enumerate() {
        let Some(h) = parse_item_heading(line.text) else {
            continue;
        };
        if continues_sentence(i.checked_sub(1).map(|p| &ls[p])) {
            continue;
        }
        // the title may stand on its own line below the number
        let (title, body_start) = if h.title.is_empty() {
            match next_text_line(ls, i) {
                Some((j, t)) => (t, ls[j].end),
                None => ("", line.end),
            }
        } else {
            (h.title, title_end(line, h.title))
        };
        if h.number == 1 && h.letter.is_none() {
            if is_business_title(title) {
                starts.push((i, h.rank(), body_start));
            }
        } else if is_later_item_title(title) || (h.title.is_empty() && line.text.len() < 20) {
            ends.push((i, h.rank()));
        }
    }
    (starts, ends)
}

/// Does this line read like a heading (short, no sentence punctuation at the end)?
fn is_heading_like(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.len() <= 120
        && t.split_whitespace().count() <= 14
        && !t.ends_with(['.', ',', ';', ':'])
        && t.starts_with(|c: char| c.is_uppercase())
}

/// Candidates from bare titles, for filings in their own order that have no item headings
/// in the body ("BUSINESS SUMMARY" … "MANAGEMENT'S DISCUSSION AND ANALYSIS").
fn title_headings(ls: &[Line<'_>]) -> (Vec<Start>, Vec<End>) {
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for (i, line) in ls.iter().enumerate() {
        if !is_heading_like(line.text) {
            continue;
        }
        if is_business_title(line.text) {
            starts.push((i, 10, line.end));
        } else if is_later_item_title(line.text) {
            ends.push((i, u16::MAX));
        } else if let Some(h) = parse_item_heading(line.text) {
            if h.number > 1 {
                ends.push((i, h.rank()));
            }
        }
    }
    (starts, ends)
}

/// The candidate with the longest section.
fn longest_section(text: &str, ls: &[Line<'_>], starts: &[Start], ends: &[End]) -> Option<Span> {
    let mut best: Option<(usize, Span)> = None;
    for &(i, own_rank, body_start) in starts {
        let end_line = ends
            .iter()
            .find(|(j, rank)| *j > i && *rank > own_rank)
            .map(|(j, _)| *j);
        let end = end_line.map_or(text.len(), |j| ls[j].start).max(body_start);
        let len = end - body_start;
        if best.is_none_or(|(b, _)| len > b) {
            best = Some((len, (i, body_start, end, end_line.is_some())));
        }
    }
    best.map(|(_, b)| b)
}

/// The text a summary of `doc` is made from: its Item 1, or, when it has no Item 1 heading,
/// the whole text (a file that holds only the section).
pub fn summary_source<'a>(doc: &'a Clean, item: &'a Item1) -> &'a str {
    if item.status == Status::NotFound {
        &doc.text
    } else {
        &item.text
    }
}

/// Finds Item 1 in a cleaned document: by item headings; when the body has none, through
/// a cross-reference index that maps Item 1 to a printed page (the document's page table
/// says where each page begins); else by bare section titles.
pub fn locate(doc: &Clean) -> Item1 {
    find_with_pages(&doc.text, &doc.pages)
}

/// Finds Item 1 in clean text that comes without its page table (a text a user gives):
/// as `locate`, without the cross-reference index.
pub fn find(text: &str) -> Item1 {
    find_with_pages(text, &[])
}

fn find_with_pages(text: &str, pages: &[PageStart]) -> Item1 {
    let ls = lines(text);
    let by = |candidates: Candidates| {
        let (starts, ends) = candidates(&ls);
        longest_section(text, &ls, &starts, &ends)
    };
    let as_section =
        |method, found: Option<Span>| found.and_then(|f| section(text, &ls, f, method));
    as_section("item_heading", by(item_headings))
        .or_else(|| {
            let index = cross_reference(&ls, pages).or_else(|| by(index_headings));
            as_section("cross_reference", index)
        })
        .or_else(|| as_section("title_heading", by(title_headings)))
        .unwrap_or_else(Item1::not_found)
}

/// A chosen section: heading line, body start, end, whether an end was found.
type Span = (usize, usize, usize, bool);

/// The page an index entry refers to: "Business Page 3", "Business 3", "Business 3-7",
/// "Business Pages 3 – 7".
fn page_reference(title: &str) -> Option<u32> {
    let mut words: Vec<&str> = title.split_whitespace().collect();
    let mut last = words.pop()?;
    if matches!(last, "-" | "–" | "—") || last.chars().all(|c| c.is_ascii_digit()) {
        // "3 - 7" or "3 – 7": the range's first page
        if let [.., first, dash] = words.as_slice() {
            if matches!(*dash, "-" | "–" | "—") {
                last = first;
                words.truncate(words.len() - 2);
            }
        }
    }
    let first = last.split(['-', '–', '—']).next()?;
    if first.is_empty() || first.len() > 3 || !first.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    if words
        .last()
        .is_some_and(|w| w.eq_ignore_ascii_case("page") || w.eq_ignore_ascii_case("pages"))
    {
        words.pop();
    }
    // the entry must still have a title
    words
        .iter()
        .any(|w| w.chars().any(char::is_alphabetic))
        .then(|| first.parse().ok())?
}

/// The entries of a cross-reference index (or a table of contents): each line that starts
/// like an item heading, as (is it Item 1 Business, its title). Fewer than three entries
/// are no index.
fn index_entries<'a>(ls: &[Line<'a>]) -> Vec<(bool, &'a str)> {
    let entries: Vec<(bool, &str)> = ls
        .iter()
        .filter_map(|l| {
            let h = parse_item_heading(l.text)?;
            Some((h.is_business(), h.title))
        })
        .collect();
    if entries.len() < 3 {
        return Vec::new();
    }
    entries
}

/// Lower case, every run of other characters than letters and digits one space.
fn normalized(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Candidates from a cross-reference index that maps items to the headings of a report in
/// its own order ("Item 1 Business Our Business", "Item 7 Management's Discussion Financial
/// Review"): Item 1 starts at a heading named as its entry's title after "Business"; it ends
/// at a heading that another entry ends with. Needs at least three entries.
fn index_headings(ls: &[Line<'_>]) -> (Vec<Start>, Vec<End>) {
    let entries: Vec<(bool, String)> = index_entries(ls)
        .into_iter()
        .map(|(item1, title)| (item1, normalized(title)))
        .collect();
    let Some(target) = entries
        .iter()
        .find(|e| e.0)
        .and_then(|(_, title)| title.split_once(' '))
        .map(|(_, rest)| rest.to_string())
    else {
        return (Vec::new(), Vec::new());
    };
    let others: Vec<&String> = entries.iter().filter(|e| !e.0).map(|e| &e.1).collect();
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for (i, line) in ls.iter().enumerate() {
        if !is_heading_like(line.text) || parse_item_heading(line.text).is_some() {
            continue;
        }
        let name = normalized(line.text);
        if name == target {
            starts.push((i, 10, line.end));
        } else if name.contains(' ')
            && others
                .iter()
                .any(|t| t.ends_with(&name) && t[..t.len() - name.len()].ends_with(' '))
        {
            ends.push((i, u16::MAX));
        }
    }
    (starts, ends)
}

/// Item 1 through a cross-reference index ("Item 1 Business … Page 3"): the section runs
/// from the page the index gives to the next page the index gives another item, starting
/// at a business title on those pages when there is one. Needs the printed pages' offsets;
/// used when the body has no item headings.
fn cross_reference(ls: &[Line<'_>], pages: &[PageStart]) -> Option<Span> {
    // (is Item 1 Business, page) of every index entry with a page reference
    let entries: Vec<(bool, u32)> = index_entries(ls)
        .into_iter()
        .filter_map(|(item1, title)| Some((item1, page_reference(title)?)))
        .collect();
    // one entry alone is no index
    if entries.len() < 3 {
        return None;
    }
    let first = entries.iter().find(|e| e.0)?.1;
    let next = entries.iter().map(|e| e.1).filter(|&p| p > first).min()?;
    let offset = |n: u32| pages.iter().find(|p| p.number == n).map(|p| p.offset);
    let (start, end) = (offset(first)?, offset(next)?);
    if end <= start {
        return None;
    }
    let first_line = ls.iter().position(|l| l.start >= start)?;
    let titled = ls
        .iter()
        .enumerate()
        .skip(first_line)
        .take_while(|(_, l)| l.start < end)
        .find(|(_, l)| is_heading_like(l.text) && is_business_title(l.text));
    Some(match titled {
        Some((i, l)) => (i, l.end, end, true),
        None => (first_line, start, end, true),
    })
}

/// The `Item1` for a chosen span, or `None` when the span holds no section.
fn section(
    text: &str,
    ls: &[Line<'_>],
    (line_idx, start, end, has_end): Span,
    method: &'static str,
) -> Option<Item1> {
    let heading_line = ls[line_idx].text.trim();
    let (start, end) = trim_span(text, start, end);
    let body = &text[start..end];
    let status = if body.len() < 1500 && mentions_incorporation(body) {
        Status::ByReference
    } else if body.len() < MIN_SECTION_BYTES {
        // only a heading with nothing under it (a table of contents, an index): no section
        return None;
    } else {
        Status::Ok
    };
    let confidence = match (method, has_end, body.len() > 1000) {
        ("item_heading", true, true) => 0.9,
        (_, true, true) => 0.7,
        (_, true, false) => 0.5,
        (_, false, _) => 0.3,
    };
    let start_char = text[..start].chars().count();
    Some(Item1 {
        status,
        heading: heading_line.to_string(),
        method,
        confidence,
        start_byte: start,
        end_byte: end,
        start_char,
        end_char: start_char + body.chars().count(),
        text: body.to_string(),
    })
}

/// Byte offset just after the heading's title on its line, so that a body that starts on
/// the heading line ("Item 1. Business. General Electric is …") keeps its first words.
fn title_end(line: &Line<'_>, title: &str) -> usize {
    let title_pos = line.end - title.len();
    let lower = title.to_lowercase();
    for word in ["business and properties", "business"] {
        if let Some(i) = lower.find(word) {
            let after = i + word.len();
            if after <= title.len() && title.is_char_boundary(after) {
                let rest = &title[after..];
                let trimmed =
                    rest.trim_start_matches(|c: char| c.is_whitespace() || ".:-–—".contains(c));
                // a long remainder is the body; a short one ("of the Company") is the title
                if trimmed.len() > 60 {
                    return title_pos + title.len() - trimmed.len();
                }
            }
            break;
        }
    }
    line.end
}

/// Trims surrounding whitespace and trailing "PART II"-style lines from a span.
fn trim_span(text: &str, start: usize, mut end: usize) -> (usize, usize) {
    loop {
        let s = &text[start..end];
        let t = s.trim_end();
        end = start + t.len();
        let last_line = t.rsplit('\n').next().unwrap_or("");
        let l = last_line.trim().to_ascii_lowercase();
        if !l.is_empty() && l.len() <= 12 && l.starts_with("part ") {
            end -= last_line.len();
            continue;
        }
        break;
    }
    let s = &text[start..end];
    let lead = s.len() - s.trim_start().len();
    (start + lead, end)
}

fn mentions_incorporation(body: &str) -> bool {
    let l = body.to_lowercase();
    l.contains("incorporated by reference")
        || l.contains("incorporated herein by reference")
        || l.contains("is incorporated herein")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_heading_variants() {
        let h = parse_item_heading("ITEM 1. BUSINESS").unwrap();
        assert_eq!((h.number, h.letter, h.title), (1, None, "BUSINESS"));
        let h = parse_item_heading("Item 1A – Risk Factors").unwrap();
        assert_eq!(
            (h.number, h.letter, h.title),
            (1, Some('a'), "Risk Factors")
        );
        let h = parse_item_heading("Items 1 and 2. Business and Properties").unwrap();
        assert_eq!((h.number, h.through), (1, Some(2)));
        let h = parse_item_heading("Item 1.Business").unwrap();
        assert_eq!(h.title, "Business");
        assert!(parse_item_heading("Items of interest").is_none());
        assert!(parse_item_heading("Item 10K").is_none());
    }

    #[test]
    fn skips_the_table_of_contents() {
        let body = "We sell widgets to retailers across the country and abroad.\n".repeat(5);
        let text = format!(
            "PART I\nItem 1. Business 3\nItem 1A. Risk Factors 9\nItem 2. Properties 12\n\
             PART I\nItem 1. Business\n{body}See Item 1A. Risk Factors below.\n\
             Item 1A. Risk Factors\nWidgets may fail.\nItem 2. Properties\nA plant.\n"
        );
        let text = text.as_str();
        let r = find(text);
        assert_eq!(r.status, Status::Ok);
        assert!(r.text.starts_with("We sell widgets"), "{:?}", r.text);
        assert!(
            r.text.ends_with("See Item 1A. Risk Factors below."),
            "{:?}",
            r.text
        );
        assert_eq!(&text[r.start_byte..r.end_byte], r.text);
    }

    #[test]
    fn combined_items_end_at_item_3() {
        let body = "We drill wells in the basin and sell the oil to refiners.\n".repeat(5);
        let text = format!(
            "ITEMS 1 AND 2. BUSINESS AND PROPERTIES\n{body}ITEM 2. PROPERTIES\nFields.\n\
             ITEM 3. LEGAL PROCEEDINGS\nNone.\n"
        );
        let r = find(&text);
        assert!(r.text.contains("Fields."), "{:?}", r.text);
    }

    #[test]
    fn a_heading_without_body_is_not_a_section() {
        let text = "Item 1. Business\nItem 1A. Risk Factors\nItem 2. Properties\n";
        assert_eq!(find(text).status, Status::NotFound);
    }

    #[test]
    fn bare_titles_when_the_body_has_no_item_headings() {
        let body = "The Company franchises restaurants and earns rent and royalties.\n".repeat(5);
        let text = format!(
            "Business Summary\nManagement's Discussion and Analysis\n\
             BUSINESS SUMMARY\n{body}MANAGEMENT'S DISCUSSION AND ANALYSIS\nSales rose.\n\
             Form 10-K Cross-Reference Index\nItem 1 Business\nItem 1A Risk Factors\n"
        );
        let r = find(&text);
        assert_eq!((r.status, r.method), (Status::Ok, "title_heading"));
        assert_eq!(r.text, body.trim_end());
    }

    #[test]
    fn index_entries_give_their_page() {
        assert_eq!(page_reference("Business Page 3"), Some(3));
        assert_eq!(page_reference("Business 3"), Some(3));
        assert_eq!(page_reference("Business 3-7"), Some(3));
        assert_eq!(page_reference("Business Pages 3 – 7"), Some(3));
        assert_eq!(page_reference("Business"), None);
        assert_eq!(page_reference("Directors Page 36, (a)"), None);
        assert_eq!(page_reference("Page 3"), None, "a page without a title");
        assert_eq!(page_reference("Business 2023"), None);
    }

    #[test]
    fn a_cross_reference_index_maps_item1_to_its_pages() {
        // pages 2..=5 of a report in its own order; the index at the end maps the items
        let about = "About the Company: a forward-looking statement notice.\n";
        let body = "The Company franchises restaurants and earns rent and royalties.\n".repeat(5);
        let mut text = String::new();
        let mut pages = Vec::new();
        for (number, page) in [
            (2, "Contents\nBusiness Summary\n".to_string()),
            (3, format!("{about}BUSINESS OVERVIEW\n{body}")),
            (4, body.clone()),
            (5, "Financial review\nSales rose.\n".to_string()),
            (
                6,
                "Form 10-K Cross-Reference Index\nItem 1 Business Page 3\n\
                 Item 1A Risk Factors Page 9\nItem 7 Management's Discussion Page 5\n"
                    .to_string(),
            ),
        ] {
            pages.push(PageStart {
                number,
                offset: text.len(),
            });
            text.push_str(&page);
        }
        let r = find_with_pages(&text, &pages);
        assert_eq!((r.status, r.method), (Status::Ok, "cross_reference"));
        assert_eq!(r.heading, "BUSINESS OVERVIEW");
        assert_eq!(r.text, format!("{body}{body}").trim_end());
        // without the page table the index cannot be used
        assert_ne!(find(&text).method, "cross_reference");
    }

    #[test]
    fn a_cross_reference_index_maps_item1_to_a_heading() {
        let body = "The Company franchises restaurants and earns rent and royalties.\n".repeat(5);
        let text = format!(
            "Contents\nOur Business\nFinancial Review\nCross-Reference Index\n\
             OUR BUSINESS\n{body}FINANCIAL REVIEW\nSales rose by a tenth.\n\
             RISKS TO CONSIDER\nCosts may rise.\n\
             Form 10-K Cross-Reference Index\nItem 1 Business Our Business\n\
             Item 1A Risk Factors Risks to Consider\n\
             Item 7 Management's Discussion and Analysis Financial Review\n"
        );
        let r = find(&text);
        assert_eq!((r.status, r.method), (Status::Ok, "cross_reference"));
        assert_eq!(r.heading, "OUR BUSINESS");
        assert_eq!(r.text, body.trim_end());
    }

    #[test]
    fn no_heading_is_not_found() {
        assert_eq!(
            find("Quarterly report\nItem 1. Financial Statements\n").status,
            Status::NotFound
        );
    }
}
