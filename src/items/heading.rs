//! Item headings in the lines of a clean text: every line that starts like "Item 7A." (or
//! "ITEM" with the number on the next line), with the item it opens and where its body
//! starts.
//!
//! One pass over the lines gives every heading of the document, table of contents and
//! cross-references included (and the "SIGNATURES" line that closes Part IV); choosing among them is the sectioner's job (`super`). What is
//! decided here is only what one line says: which item its number and title mean, whether
//! the title is that item's own (`own`) or only looks like a heading (it can end a section
//! but not open one), and whether it is a cross-reference rather than a heading (a quoted
//! title, a line that continues the sentence above it).

use super::id::{normalize_title, rank_of, words, ItemId};

/// One line of the clean text with its byte range.
#[derive(Debug, Clone, Copy)]
pub struct Line<'a> {
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
}

pub fn lines(text: &str) -> Vec<Line<'_>> {
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

/// A line that starts like an item heading: "Item 7A." …
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed<'a> {
    pub number: u8,
    pub letter: Option<char>,
    /// "Items 1 and 2": the last item the heading covers.
    pub through: Option<u8>,
    /// What follows the number and its punctuation.
    pub title: &'a str,
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
pub fn parse(line: &str) -> Option<Parsed<'_>> {
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
    parse_number(skip_ws(s))
}

/// The number, letter, "and 2" and title of a heading, after its word "Item".
fn parse_number(mut s: &str) -> Option<Parsed<'_>> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let number: u8 = s[..digits].parse().ok()?;
    s = &s[digits..];
    // "1.A." and "1(a)": the letter after a period or in parentheses
    if let Some(rest) = s.strip_prefix(['.', '(']) {
        let mut cs = rest.chars();
        let letter = cs.next().map(|c| c.to_ascii_lowercase());
        let closed = cs
            .next()
            .is_none_or(|c| c.is_whitespace() || ".):".contains(c));
        if let (Some(l @ 'a'..='d'), true) = (letter, closed) {
            return finish(number, Some(l), &rest[1..]);
        }
    }
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
    finish(number, letter, s)
}

/// The "and 2" of "Items 1 and 2" and the title, after the number and letter.
fn finish(number: u8, letter: Option<char>, mut s: &str) -> Option<Parsed<'_>> {
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
    Some(Parsed {
        number,
        letter,
        through,
        title: title.trim_end(),
    })
}

/// Does the previous line leave a sentence open, making this line its continuation
/// (hard-wrapped text mentioning "Item 1A" at a line start)? A heading above ("Item 1.
/// Business" in a table of contents) leaves none open.
fn continues_sentence(prev: Option<&Line<'_>>) -> bool {
    prev.is_some_and(|p| {
        let t = p.text.trim_end();
        !t.is_empty() && t.ends_with(|c: char| c.is_lowercase() || c == ',') && parse(t).is_none()
    })
}

/// The first non-blank line after `i`, within two lines.
pub fn next_text_line(ls: &[Line<'_>], i: usize) -> Option<usize> {
    (i + 1..ls.len().min(i + 3)).find(|&j| !ls[j].text.trim().is_empty())
}

/// A heading of the document.
#[derive(Debug, Clone)]
pub struct Mark {
    /// The line the heading starts on.
    pub line: usize,
    /// The line its title stands on (the heading line, or the one below a bare number).
    pub title_line: usize,
    /// The item the heading opens: its title is that item's own.
    pub item: Option<ItemId>,
    /// The title is the item's and the line reads as a heading, not as a sentence that
    /// begins with a cross-reference: such a heading of an earlier item ends a section as
    /// surely as one of a later item.
    pub strong: bool,
    /// Position in the form's order of the first and the last item the heading covers.
    pub rank: u16,
    pub last_rank: u16,
    /// First byte of the body: after the title, or where a run-in body starts on its line.
    pub body_start: usize,
    /// Where a short body run into the heading line starts ("Item 1B. … Comments. None."),
    /// for a section that has nothing below its heading.
    pub inline_body: Option<usize>,
    /// The title says the item is reserved ("Item 6. [Reserved]"): the form has no such
    /// item any more.
    pub reserved: bool,
}

/// Every item heading of the clean text, in order.
pub fn marks(ls: &[Line<'_>]) -> Vec<Mark> {
    (0..ls.len()).filter_map(|i| mark_at(ls, i)).collect()
}

/// The heading on line `i`, parsed, and the line its number stood on ("ITEM" alone on a
/// line with "1A. RISK FACTORS" on the next is one heading).
fn heading_at<'a>(ls: &[Line<'a>], i: usize) -> Option<(Parsed<'a>, usize)> {
    let t = ls[i].text.trim();
    if t.eq_ignore_ascii_case("item") || t.eq_ignore_ascii_case("items") {
        let j = next_text_line(ls, i)?;
        return Some((parse_number(skip_ws(ls[j].text))?, j));
    }
    Some((parse(ls[i].text)?, i))
}

/// Where the signatures begin, Part IV (and with it Items 15 and 16) has ended: a rank
/// after every item.
const SIGNATURES_RANK: u16 = 1000;

fn mark_at(ls: &[Line<'_>], i: usize) -> Option<Mark> {
    let t = ls[i].text.trim();
    if t.eq_ignore_ascii_case("signatures") || t.eq_ignore_ascii_case("signature") {
        return Some(Mark {
            line: i,
            title_line: i,
            item: None,
            strong: false,
            rank: SIGNATURES_RANK,
            last_rank: SIGNATURES_RANK,
            body_start: ls[i].end,
            inline_body: None,
            reserved: false,
        });
    }
    let (h, number_line) = heading_at(ls, i)?;
    if continues_sentence(i.checked_sub(1).map(|p| &ls[p])) {
        return None;
    }
    // the title may stand on its own line below the number
    let (title, title_line) = if h.title.is_empty() {
        match next_text_line(ls, number_line) {
            Some(j) => (ls[j].text.trim(), j),
            None => ("", number_line),
        }
    } else {
        (h.title, number_line)
    };
    if title.starts_with(['"', '“', '\'', '‘']) {
        return None; // a quoted title: a cross-reference
    }
    let norm = normalize_title(title);
    let own = ItemId::from_heading(h.number, h.letter, &norm);
    let bare = h.title.is_empty() && ls[number_line].text.trim().len() < 20;
    let looks_like = ItemId::any_with_title(&norm).is_some() || is_title_cased(title);
    if own.is_none() && !bare && !looks_like {
        return None;
    }
    let rank = own.map_or(rank_of(h.number, h.letter), ItemId::rank);
    let (title_line, body_start, inline_body) = if own.is_some() && h.title.is_empty() {
        (title_line, ls[title_line].end, None)
    } else if h.title.is_empty() {
        // a bare number whose next line is no title of its item: that line is body
        (number_line, ls[number_line].end, None)
    } else {
        let line = &ls[number_line];
        // where the title stands in the line (it is a part of the line's text; trailing
        // whitespace a user's text may carry is not in it)
        let title_pos = line.start + (h.title.as_ptr() as usize - line.text.as_ptr() as usize);
        let (run_in, short) = run_in(own, h.title);
        match (
            run_in,
            own.and_then(|id| wrapped_title(ls, number_line, id, h.title)),
        ) {
            // the title goes on on the next line ("… and Results" / "of Operations")
            (None, Some(j)) => (j, ls[j].end, None),
            _ => (
                number_line,
                run_in.map_or(line.end, |o| title_pos + o),
                short.map(|o| title_pos + o),
            ),
        }
    };
    Some(Mark {
        line: i,
        title_line,
        item: own,
        strong: own.is_some_and(|id| reads_as_heading(id, &norm)),
        rank,
        last_rank: h.through.map_or(rank, |t| rank.max(rank_of(t, None))),
        body_start,
        inline_body,
        reserved: is_reserved(&norm),
    })
}

/// "[Reserved]", "(Removed and Reserved)" …
fn is_reserved(norm: &str) -> bool {
    let t = norm.trim_start_matches(['[', '(']);
    t.starts_with("reserved") || t.starts_with("removed and reserved")
}

/// The next line, when it carries on the item's title that the heading line wraps: the
/// two lines read further into the item's full title than the first alone.
fn wrapped_title(ls: &[Line<'_>], i: usize, id: ItemId, title: &str) -> Option<usize> {
    let j = next_text_line(ls, i).filter(|&j| j == i + 1 || ls[i + 1].text.trim().is_empty())?;
    let next = ls[j].text.trim();
    if next.len() > 100 || parse(next).is_some() {
        return None;
    }
    let alone = words(title);
    let both = words(&format!("{title} {next}"));
    (id.title_fit(&both) > id.title_fit(&alone) && id.title_fit(&both) == both.split(' ').count())
        .then_some(j)
}

/// A title in title case or capitals ("UNSOLVED SEC STAFF COMMENTS", "Mine Safety
/// Disclosures"), short: a heading even when its words are unknown.
fn is_title_cased(title: &str) -> bool {
    let words: Vec<&str> = title.split_whitespace().collect();
    if words.is_empty() || words.len() > 12 || !title.starts_with(char::is_uppercase) {
        return false;
    }
    let long: Vec<&&str> = words
        .iter()
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let capital = long
        .iter()
        .filter(|w| w.starts_with(char::is_uppercase))
        .count();
    capital * 10 >= long.len() * 7
}

/// Does the title read as the item's heading, not as a sentence that starts with it? Its
/// words after the item's title (as far as they follow the full title) are few.
fn reads_as_heading(id: ItemId, norm: &str) -> bool {
    let title = words(norm);
    let rest = title
        .split(' ')
        .count()
        .saturating_sub(id.title_fit(&title).max(3));
    rest <= 4 || norm.contains('(')
}

/// Where a body run into the heading's line starts, as offsets into the title: (a long body,
/// which the section starts at; a short one, used when nothing stands below the heading).
/// Item 1's run-in body follows the word "Business" ("Item 1. Business General Electric
/// is …"); other items' follow a sentence break ("Item 1A. Risk Factors. Investing …").
fn run_in(item: Option<ItemId>, title: &str) -> (Option<usize>, Option<usize>) {
    let after = if item == Some(ItemId::I1) {
        after_business(title)
    } else {
        after_sentence_break(title)
    };
    match after {
        Some(o) if title.len() - o > 60 => (Some(o), None),
        Some(o) if o < title.len() => (None, Some(o)),
        _ => (None, None),
    }
}

/// The offset just after "business" (or "business and properties") and its punctuation.
fn after_business(title: &str) -> Option<usize> {
    let lower = title.to_lowercase();
    // lower-casing may change byte lengths: only a title it leaves alike is measured
    if lower.len() != title.len() {
        return None;
    }
    let word = ["business and properties", "business"]
        .into_iter()
        .find(|w| lower.contains(w))?;
    let after = lower.find(word)? + word.len();
    let rest = title.get(after..)?;
    let trimmed = rest.trim_start_matches(|c: char| c.is_whitespace() || ".:-–—".contains(c));
    Some(title.len() - trimmed.len())
}

/// The offset after the title's first sentence break (". " before a capital or a digit).
fn after_sentence_break(title: &str) -> Option<usize> {
    title.char_indices().find_map(|(i, c)| {
        let mut rest = title[i + c.len_utf8()..].chars();
        let breaks = c == '.'
            && i > 0
            && rest.next() == Some(' ')
            && rest
                .next()
                .is_some_and(|n| n.is_uppercase() || n.is_ascii_digit());
        breaks.then_some(i + 2)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_heading_variants() {
        let h = parse("ITEM 1. BUSINESS").unwrap();
        assert_eq!((h.number, h.letter, h.title), (1, None, "BUSINESS"));
        let h = parse("Item 1A – Risk Factors").unwrap();
        assert_eq!(
            (h.number, h.letter, h.title),
            (1, Some('a'), "Risk Factors")
        );
        let h = parse("Items 1 and 2. Business and Properties").unwrap();
        assert_eq!((h.number, h.through), (1, Some(2)));
        let h = parse("Item 1.Business").unwrap();
        assert_eq!(h.title, "Business");
        let h = parse("Item 1.A. Risk Factors.").unwrap();
        assert_eq!((h.letter, h.title), (Some('a'), "Risk Factors."));
        let h = parse("Item 4(a). Executive Officers").unwrap();
        assert_eq!(
            (h.number, h.letter, h.title),
            (4, Some('a'), "Executive Officers")
        );
        assert_eq!(parse("Item 1.Business").unwrap().letter, None);
        assert!(parse("Items of interest").is_none());
        assert!(parse("Item 10K").is_none());
    }

    fn marks_of(text: &str) -> Vec<Mark> {
        marks(&lines(text))
    }

    #[test]
    fn a_split_heading_and_a_cross_reference() {
        let m = marks_of("ITEM\n1A. RISK FACTORS\nWe may fail.\n");
        assert_eq!(
            (m[0].item, m[0].line, m[0].title_line),
            (Some(ItemId::I1A), 0, 1)
        );
        assert!(marks_of("Item 1A “Risk Factors” for more.\n").is_empty());
        let m = marks_of("Item 7.\nManagement’s Discussion and Analysis\nSales rose.\n");
        assert_eq!((m[0].item, m[0].title_line), (Some(ItemId::I7), 1));
    }

    #[test]
    fn a_title_with_trailing_spaces_and_wide_characters_is_measured_where_it_stands() {
        // the title is trimmed; its body offset must still fall on a character
        let text =
            "Item 1. Business. Über’s pumps — ".to_string() + &"é".repeat(40) + "   \nMore.\n";
        let m = marks_of(&text);
        assert!(text.is_char_boundary(m[0].body_start));
        let long = format!(
            "Item 1. Business. Über’s pumps are sold in {} towns.   ",
            "é".repeat(60)
        );
        let m = marks_of(&long);
        assert!(long[m[0].body_start..].starts_with("Über’s pumps"));
    }

    #[test]
    fn a_title_wrapped_over_two_lines_is_one_heading() {
        let text =
            "ITEM 7. MANAGEMENT’S DISCUSSION AND ANALYSIS OF FINANCIAL CONDITION AND RESULTS\n\
                    OF OPERATIONS\nSales rose.\n";
        let m = marks_of(text);
        assert_eq!((m[0].item, m[0].title_line), (Some(ItemId::I7), 1));
        assert!(text[m[0].body_start..]
            .trim_start()
            .starts_with("Sales rose."));
        // a first line of the body is not the title's
        let m = marks_of("Item 7. Management's Discussion\nOverview of the year\n");
        assert_eq!(m[0].title_line, 0);
    }

    #[test]
    fn run_in_bodies() {
        let m = marks_of("Item 1B. Unresolved Staff Comments. None.\n");
        let line = "Item 1B. Unresolved Staff Comments. None.";
        assert_eq!(m[0].inline_body.map(|o| &line[o..]), Some("None."));
        let long = "Item 1A. Risk Factors. Investing in our shares involves risks that \
                    we describe below in some detail.";
        let m = marks_of(long);
        assert!(long[m[0].body_start..].starts_with("Investing"));
    }
}
