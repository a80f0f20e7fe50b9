//! Sections of a report that does not follow the form's order, and pointers to pages.
//!
//! Some 10-Ks are an annual report in their own order with a "Form 10-K Cross-Reference
//! Index" that maps each item to printed pages ("Item 7 … Page 8"), or to the report's own
//! headings ("Item 7 Management's Discussion … Financial Review"); some have neither and
//! only bare section titles. Others keep the item headings but print under one only a
//! pointer to pages of the same document ("See … under the caption “Management's
//! Discussion and Analysis” on pages 16 through 23."). Each of these is read here into a
//! span of the clean text; the document's page table (printed page number → offset) turns
//! page references into offsets.

use super::heading::{self, Line};
use super::id::{normalize_title, words, ItemId};
use super::Span;
use crate::document::text::PageStart;

/// Does this line read like a heading (short, no sentence punctuation at the end)?
pub fn is_title_line(line: &str) -> bool {
    let t = line.trim();
    !t.is_empty()
        && t.len() <= 120
        && t.split_whitespace().count() <= 14
        && !t.ends_with(['.', ',', ';', ':'])
        && t.starts_with(|c: char| c.is_uppercase())
}

/// Is `w` a page or a page range ("3", "3-7", "28–33,")?
fn is_pages(w: &str) -> bool {
    let w = w.trim_end_matches([',', ';']);
    let mut parts = w.split(['-', '–', '—']);
    let first_ok = parts
        .next()
        .is_some_and(|p| !p.is_empty() && p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit()));
    first_ok
        && parts.all(|p| p.is_empty() || (p.len() <= 3 && p.bytes().all(|b| b.is_ascii_digit())))
}

/// The first page an index entry refers to: "Business Page 3", "Business 3", "Business
/// 3-7", "Business Pages 3 – 7", "Risk Factors 28-33, 40" (the body starts at the first
/// range). The page references must close the entry, after a title.
pub fn page_reference(title: &str) -> Option<u32> {
    let words: Vec<&str> = title.split_whitespace().collect();
    let page_word = |w: &str| {
        is_pages(w)
            || matches!(w, "-" | "–" | "—" | "and" | "&")
            || w.eq_ignore_ascii_case("page")
            || w.eq_ignore_ascii_case("pages")
    };
    // the references: the longest run of page words at the end
    let tail = words.iter().rev().take_while(|w| page_word(w)).count();
    let (head, refs) = words.split_at(words.len() - tail);
    if !head.iter().any(|w| w.chars().any(char::is_alphabetic)) {
        return None; // a page without a title
    }
    let first = refs.iter().find(|w| is_pages(w))?;
    first
        .trim_end_matches([',', ';'])
        .split(['-', '–', '—'])
        .next()?
        .parse()
        .ok()
}

/// A heading-like line of the text: its line, its title normalized two ways, and whether
/// it is an item heading ("Item 7 …").
struct Head {
    line: usize,
    /// As `normalize_title` gives it, for the item titles.
    title: String,
    /// As `words` gives it, for the headings an index names.
    words: String,
    item_heading: bool,
}

/// What the rules for a report in its own order read of a document, read once for every
/// item: the index entries (lines that start like an item heading) and the heading-like
/// lines.
pub struct Report {
    /// (the item an entry names, its title); fewer than three entries are no index.
    entries: Vec<(Option<ItemId>, String)>,
    heads: Vec<Head>,
}

impl Report {
    pub fn new(ls: &[Line<'_>]) -> Report {
        let mut entries = Vec::new();
        let mut heads = Vec::new();
        for (i, l) in ls.iter().enumerate() {
            let parsed = heading::parse(l.text);
            if let Some(h) = &parsed {
                let id = ItemId::from_heading(h.number, h.letter, &normalize_title(h.title));
                entries.push((id, h.title.to_string()));
            }
            if is_title_line(l.text) {
                heads.push(Head {
                    line: i,
                    title: normalize_title(l.text),
                    words: words(l.text),
                    item_heading: parsed.is_some(),
                });
            }
        }
        if entries.len() < 3 {
            entries.clear();
        }
        Report { entries, heads }
    }
}

/// The offset where printed page `n` begins.
fn page_offset(pages: &[PageStart], n: u32) -> Option<usize> {
    pages.iter().find(|p| p.number == n).map(|p| p.offset)
}

/// The offset of the page the byte `at` lies on.
fn page_start_of(pages: &[PageStart], at: usize) -> Option<usize> {
    pages.iter().map(|p| p.offset).filter(|&o| o <= at).max()
}

impl Report {
    /// The item through a cross-reference index to printed pages ("Item 1A Risk Factors
    /// Page 28"): from the item's heading on its first page (else the page's top) to the
    /// page on which the next heading of another item stands (an index maps items to pages,
    /// so each begins a page), else to the next page the index gives.
    pub fn by_pages(&self, ls: &[Line<'_>], pages: &[PageStart], item: ItemId) -> Option<Span> {
        let entries: Vec<(Option<ItemId>, u32)> = self
            .entries
            .iter()
            .filter_map(|(id, title)| Some((*id, page_reference(title)?)))
            .collect();
        if entries.len() < 3 {
            return None;
        }
        let first = entries.iter().find(|e| e.0 == Some(item))?.1;
        let next = entries.iter().map(|e| e.1).filter(|&p| p > first).min();
        let start = page_offset(pages, first)?;
        let next_page = match next {
            Some(n) => page_offset(pages, n)?,
            None => ls.last().map_or(start, |l| l.end),
        };
        if next_page <= start {
            return None;
        }
        let first_line = ls.iter().position(|l| l.start >= start)?;
        let titled = self
            .heads
            .iter()
            .skip_while(|h| h.line < first_line)
            .take_while(|h| ls[h.line].start < next_page)
            .find(|h| item.has_title(&h.title));
        let (heading, body) = titled.map_or((first_line, start), |h| (h.line, ls[h.line].end));
        let other = self.heads.iter().find(|h| {
            h.line > heading
                && !h.item_heading
                && ItemId::any_with_title(&h.title).is_some_and(|id| id != item)
        });
        // the page the next item's heading stands on begins where this item ends; when it
        // is this item's own page, the next item begins mid-page, at its heading
        let end = other.map_or(next_page, |h| {
            page_start_of(pages, ls[h.line].start)
                .filter(|&o| o > body)
                .unwrap_or(ls[h.line].start)
        });
        Some(Span {
            heading,
            start: body,
            end: end.max(body),
            ended: true,
        })
    }

    /// The item through a cross-reference index to the report's own headings: from a
    /// heading named as the item's entry names it to a heading another entry names.
    pub fn by_index_headings(&self, text: &str, ls: &[Line<'_>], item: ItemId) -> Option<Span> {
        let entries: Vec<(Option<ItemId>, String)> = self
            .entries
            .iter()
            .map(|(id, title)| (*id, words(title)))
            .collect();
        let target = entries
            .iter()
            .find(|e| e.0 == Some(item))
            .and_then(|(id, title)| own_heading(*id, title))?;
        let others: Vec<&String> = entries
            .iter()
            .filter(|e| e.0 != Some(item))
            .map(|e| &e.1)
            .collect();
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        for h in self.heads.iter().filter(|h| !h.item_heading) {
            let name = &h.words;
            if *name == target {
                starts.push((h.line, ls[h.line].end));
            } else if name.contains(' ')
                && others
                    .iter()
                    .any(|t| t.ends_with(name.as_str()) && t[..t.len() - name.len()].ends_with(' '))
            {
                ends.push(h.line);
            }
        }
        longest_section(text, ls, &starts, &ends)
    }

    /// The item under bare section titles, for a report in its own order without an
    /// index: from a title of the item to a title of another item or an item heading.
    pub fn by_titles(&self, text: &str, ls: &[Line<'_>], item: ItemId) -> Option<Span> {
        let mut starts = Vec::new();
        let mut ends = Vec::new();
        for h in &self.heads {
            if h.item_heading {
                ends.push(h.line);
                continue;
            }
            match ItemId::any_with_title(&h.title) {
                Some(id) if id == item => starts.push((h.line, ls[h.line].end)),
                Some(_) => ends.push(h.line),
                None => {}
            }
        }
        longest_section(text, ls, &starts, &ends)
    }
}

/// The report's own heading an index entry names after the item's title ("Item 7
/// Management's Discussion and Analysis Financial Review" → "financial review").
fn own_heading(id: Option<ItemId>, title: &str) -> Option<String> {
    let title = words(title);
    let t: Vec<&str> = title.split(' ').collect();
    let fit = id.map_or(0, |id| id.title_fit(&title)).max(1);
    (fit < t.len()).then(|| t[fit..].join(" "))
}

/// Of sections from each start to the next end, the longest.
fn longest_section(
    text: &str,
    ls: &[Line<'_>],
    starts: &[(usize, usize)],
    ends: &[usize],
) -> Option<Span> {
    starts
        .iter()
        .map(|&(i, body)| {
            let end_line = ends.iter().find(|&&j| j > i);
            Span {
                heading: i,
                start: body,
                end: end_line.map_or(text.len(), |&j| ls[j].start).max(body),
                ended: end_line.is_some(),
            }
        })
        .max_by_key(|s| s.end - s.start)
}

/// The pages a short section points to under a caption of this same document: "See the
/// information under the caption “Management's Discussion and Analysis” on pages 16
/// through 23." A section that names another document (an annual report, an exhibit, a
/// proxy statement) is a referral, not a pointer. The span runs from the caption's heading
/// on those pages to the page after the last.
pub fn pointed_pages(body: &str, ls: &[Line<'_>], pages: &[PageStart]) -> Option<Span> {
    let lower = body.to_lowercase();
    if ["annual report", "exhibit", "proxy", "incorporated"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return None;
    }
    let caption = quoted_after(body, "caption")?;
    let (first, last) = page_range(&lower)?;
    let start = page_offset(pages, first)?;
    let end = pages
        .iter()
        .filter(|p| p.number > last && p.offset > start)
        .map(|p| p.offset)
        .min()?;
    let want = words(caption);
    let heading = ls
        .iter()
        .position(|l| l.start >= start && l.start < end && words(l.text) == want)?;
    Some(Span {
        heading,
        start: ls[heading].end,
        end,
        ended: true,
    })
}

/// The quoted words after `word`: `caption “X”` → `X`.
fn quoted_after<'a>(body: &'a str, word: &str) -> Option<&'a str> {
    let at = body.to_lowercase().find(word)?;
    let rest = body.get(at + word.len()..)?;
    let open = rest.find(['“', '"'])?;
    let rest = &rest[open..];
    let rest = &rest[rest.chars().next()?.len_utf8()..];
    let close = rest.find(['”', '"'])?;
    Some(&rest[..close])
}

/// "pages 16 through 23", "pages 16-23", "pages 16 to 23", "page 16": (first, last).
fn page_range(lower: &str) -> Option<(u32, u32)> {
    let at = lower.find("page")?;
    let rest = lower[at..]
        .trim_start_matches("pages")
        .trim_start_matches("page")
        .replace(['-', '–'], " to ");
    let number = |w: &str| w.trim_end_matches(['.', ',', ';']).parse::<u32>().ok();
    let mut words = rest.split_whitespace();
    let first = number(words.next()?)?;
    let last = match (words.next(), words.next().and_then(number)) {
        (Some("through" | "to" | "and"), Some(b)) if b >= first => b,
        _ => first,
    };
    Some((first, last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_entries_give_their_first_page() {
        assert_eq!(page_reference("Business Page 3"), Some(3));
        assert_eq!(page_reference("Business 3"), Some(3));
        assert_eq!(page_reference("Business 3-7"), Some(3));
        assert_eq!(page_reference("Business Pages 3 – 7"), Some(3));
        assert_eq!(page_reference("Risk Factors 28-33, 40"), Some(28));
        assert_eq!(
            page_reference("Risk Factors Pages 28 – 33 and 40"),
            Some(28)
        );
        assert_eq!(page_reference("Business"), None);
        assert_eq!(page_reference("Directors Page 36, (a)"), None);
        assert_eq!(page_reference("Page 3"), None, "a page without a title");
        assert_eq!(page_reference("Business 2023"), None);
    }

    #[test]
    fn page_ranges_of_pointers() {
        assert_eq!(page_range("on pages 16 through 23."), Some((16, 23)));
        assert_eq!(page_range("on page 16."), Some((16, 16)));
        assert_eq!(page_range("see pages 4-9"), Some((4, 9)));
        assert_eq!(
            quoted_after("under the caption “Management’s Discussion” on", "caption"),
            Some("Management’s Discussion")
        );
    }
}
