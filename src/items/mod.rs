//! The items of a 10-K in its clean text: where each of Items 1 … 16 begins and ends.
//!
//! Finding where Item 1 ends already means knowing where the next item begins, so one
//! sectioner serves every item (and `item1` is one of its clients). Real filings print the
//! same heading in a table of contents, in running headers ("Item 7 … (Continued)"), in
//! cross-references ("see Item 7. Management's Discussion …" at a line start) and over two
//! lines; some have no item headings in the body at all and map the items to their own
//! sections through a cross-reference index. The rules, in order:
//!
//! 1. **Item headings** (`heading`): every heading of the item is a candidate; a candidate's
//!    section ends at the next heading of a later item. A candidate whose next heading is a
//!    real heading of an *earlier* item was a cross-reference, and is dropped. Of the rest
//!    the longest section wins: a table-of-contents entry ends at the next entry, a running
//!    header inside the section ends where the section does, so the body heading wins.
//! 2. **A report in its own order** (no Item 1 heading opens a section, but its index or its
//!    titles give Item 1; the item headings it has are its index's): the cross-reference
//!    index, to printed pages or to the report's own headings, else bare section titles
//!    (`index`).
//! 3. A short body that only points to pages of this same document under a caption ("See
//!    … under the caption “Management's Discussion and Analysis” on pages 16 through 23") is
//!    followed to those pages; one that refers to another document (the annual report
//!    exhibit, the proxy statement) is the item's text with status `by_reference`.
//!
//! Nothing here names a company or a filing. Offsets are into the clean text.

mod heading;
mod id;
mod index;

use std::cell::OnceCell;

use serde::Serialize;

use crate::document::{text::PageStart, Clean};
use heading::{Line, Mark};
pub use id::{ItemId, ItemList};

/// What became of the search for an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The section was found and holds its own text.
    Ok,
    /// The section was found but refers to another document for its information (the
    /// annual report exhibit, the proxy statement); its text is the referral.
    ByReference,
    /// The filing has no such item: no heading or index entry names it (an item the form
    /// of its year did not have, or one the filing leaves out).
    Absent,
    /// The filing names the item (in its table of contents or index) but its section could
    /// not be told apart: nothing is returned rather than a wrong section.
    NotFound,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::ByReference => "by_reference",
            Status::Absent => "absent",
            Status::NotFound => "not_found",
        }
    }

    /// Has the section a text (its own or the referral)?
    pub fn has_text(self) -> bool {
        matches!(self, Status::Ok | Status::ByReference)
    }
}

/// How a section was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Under its item heading ("Item 7. Management's Discussion …").
    ItemHeading,
    /// Through a Form 10-K cross-reference index that maps the item to a printed page or to
    /// a heading of a report in its own order.
    CrossReference,
    /// Under a bare section title, in a report in its own order without an index.
    TitleHeading,
    /// Under the caption of this document's pages that the item's heading points to.
    PagePointer,
    /// Not found.
    None,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::ItemHeading => "item_heading",
            Method::CrossReference => "cross_reference",
            Method::TitleHeading => "title_heading",
            Method::PagePointer => "page_pointer",
            Method::None => "none",
        }
    }
}

/// One item of one filing: where it is in the clean text and what it says.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// The Form 10-K item (a 10-KSB's Item 6 MD&A is item 7; `heading` says what it read).
    pub item: ItemId,
    pub status: Status,
    /// The heading as it reads in the document.
    pub heading: String,
    pub method: Method,
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

impl Section {
    fn missing(item: ItemId, status: Status) -> Section {
        Section {
            item,
            status,
            heading: String::new(),
            method: Method::None,
            confidence: 0.0,
            start_byte: 0,
            end_byte: 0,
            start_char: 0,
            end_char: 0,
            text: String::new(),
        }
    }
}

/// A chosen section: its heading line, body start and end, whether an end was found.
#[derive(Debug, Clone, Copy)]
struct Span {
    heading: usize,
    start: usize,
    end: usize,
    ended: bool,
}

/// Item 1 always has a body; a shorter one is a heading without a section (a table of
/// contents entry) unless it refers elsewhere. Other items may be one line ("None.").
const MIN_ITEM1_BYTES: usize = 200;

/// A section shorter than this may be a referral or a pointer to pages.
const SHORT_SECTION_BYTES: usize = 1500;

/// The sectioner of one document: its lines and item headings, read once for every item
/// asked of it.
pub struct Sections<'a> {
    text: &'a str,
    pages: &'a [PageStart],
    lines: Vec<Line<'a>>,
    marks: Vec<Mark>,
    /// Is the report in its own order: no Item 1 heading opens a section, and its index or
    /// its titles give Item 1?
    own_order: OnceCell<bool>,
    /// What the rules for a report in its own order read, once.
    report: OnceCell<index::Report>,
}

impl<'a> Sections<'a> {
    /// The sectioner of a cleaned document, with its page table.
    pub fn new(doc: &'a Clean) -> Sections<'a> {
        Sections::with_pages(&doc.text, &doc.pages)
    }

    /// The sectioner of a clean text and the offsets of its printed pages (none for a text
    /// a user gives: cross-reference indexes to pages are then not used).
    pub fn with_pages(text: &'a str, pages: &'a [PageStart]) -> Sections<'a> {
        let lines = heading::lines(text);
        let marks = heading::marks(&lines);
        Sections {
            text,
            pages,
            lines,
            marks,
            own_order: OnceCell::new(),
            report: OnceCell::new(),
        }
    }

    /// The section of `item`.
    pub fn get(&self, item: ItemId) -> Section {
        // in a report in its own order, the item headings are those of its index
        let own_order = *self.own_order.get_or_init(|| {
            self.best_under_headings(ItemId::I1).is_none()
                && self.in_own_order(ItemId::I1).is_some()
        });
        let found = if own_order {
            self.in_own_order(item)
        } else {
            self.by_item_headings(item).map(|s| self.follow_pointer(s))
        };
        found.unwrap_or_else(|| Section::missing(item, self.missing_status(item)))
    }

    /// Why an item has no section: the filing names it (in a table of contents, an index,
    /// a heading without a body) but it could not be told apart, or the filing has no such
    /// item (none names it, or its heading says it is reserved). Item 1 is in every form:
    /// not finding it is never its absence.
    fn missing_status(&self, item: ItemId) -> Status {
        let named_unreserved = self
            .marks
            .iter()
            .any(|m| m.item == Some(item) && !m.reserved);
        if item == ItemId::I1 || named_unreserved {
            Status::NotFound
        } else {
            Status::Absent
        }
    }

    /// Every item of Form 10-K, in the form's order.
    pub fn all(&self) -> Vec<Section> {
        ItemId::ALL.into_iter().map(|id| self.get(id)).collect()
    }

    /// Rule 1: the longest section under a heading of the item that does not run into a
    /// heading of an earlier item.
    fn by_item_headings(&self, item: ItemId) -> Option<Section> {
        self.best_under_headings(item)
            .map(|(span, status)| self.build(item, span, status, Method::ItemHeading))
    }

    /// The span and status of rule 1's section, before it is built.
    fn best_under_headings(&self, item: ItemId) -> Option<(Span, Status)> {
        let mut best: Option<(Span, Status)> = None;
        for (k, start) in self.marks.iter().enumerate() {
            if start.item != Some(item) {
                continue;
            }
            let Some((end, ended)) = self.end_of(k) else {
                continue;
            };
            let mut span = Span {
                heading: start.line,
                start: start.body_start,
                end: end.max(start.body_start),
                ended,
            };
            if let (true, Some(inline)) = (self.is_blank(span), start.inline_body) {
                span.start = inline;
                span.end = span.end.max(inline);
            }
            let Some(judged) = self.judge(item, span) else {
                continue;
            };
            if best.is_none_or(|(b, _)| judged.0.end - judged.0.start > b.end - b.start) {
                best = Some(judged);
            }
        }
        best
    }

    /// Where the section under heading `k` ends: at the next heading of a later item, or at
    /// the end of the text. `None` when a real heading of an earlier item comes first (the
    /// candidate was a cross-reference).
    fn end_of(&self, k: usize) -> Option<(usize, bool)> {
        let start = &self.marks[k];
        for m in &self.marks[k + 1..] {
            if m.line <= start.title_line {
                continue;
            }
            if m.rank > start.last_rank {
                let end = self.skipped_title(start, m).unwrap_or(m.line);
                return Some((self.lines[end].start, true));
            }
            if m.rank < start.rank && m.strong {
                return None;
            }
        }
        Some((self.text.len(), false))
    }

    /// The bare title of an item that the document names (in its table of contents) but
    /// whose numbered heading the body skips between `start` and `next` ("FINANCIAL
    /// STATEMENTS AND SUPPLEMENTARY DATA" without "Item 8."): where the section really ends.
    fn skipped_title(&self, start: &Mark, next: &Mark) -> Option<usize> {
        let skipped: Vec<ItemId> = ItemId::ALL
            .into_iter()
            .filter(|id| (start.last_rank + 1..next.rank).contains(&id.rank()))
            .filter(|&id| self.marks.iter().any(|m| m.item == Some(id)))
            .collect();
        if skipped.is_empty() {
            return None;
        }
        (start.title_line + 1..next.line).find(|&i| {
            let line = self.lines[i].text;
            index::is_title_line(line)
                && heading::parse(line).is_none()
                && skipped
                    .iter()
                    .any(|id| id.has_title(&id::normalize_title(line)))
        })
    }

    fn is_blank(&self, span: Span) -> bool {
        self.text[span.start..span.end].trim().is_empty()
    }

    /// Rule 2: a report in its own order.
    fn in_own_order(&self, item: ItemId) -> Option<Section> {
        let report = self.report.get_or_init(|| index::Report::new(&self.lines));
        let ls = &self.lines;
        let index = report
            .by_pages(ls, self.pages, item)
            .or_else(|| report.by_index_headings(self.text, ls, item));
        if let Some(s) = index.and_then(|span| self.section(item, span, Method::CrossReference)) {
            return Some(s);
        }
        report
            .by_titles(self.text, ls, item)
            .and_then(|span| self.section(item, span, Method::TitleHeading))
    }

    /// Rule 3: a short section that points to pages of this document under a caption
    /// becomes the section on those pages.
    fn follow_pointer(&self, s: Section) -> Section {
        if s.text.len() >= SHORT_SECTION_BYTES {
            return s;
        }
        let Some(span) = index::pointed_pages(&s.text, &self.lines, self.pages) else {
            return s;
        };
        self.section(s.item, span, Method::PagePointer)
            .filter(|p| p.start_byte > s.end_byte && p.status == Status::Ok)
            .unwrap_or(s)
    }

    /// The `Section` for a chosen span, or `None` when the span holds no section.
    fn section(&self, item: ItemId, span: Span, method: Method) -> Option<Section> {
        let (span, status) = self.judge(item, span)?;
        Some(self.build(item, span, status, method))
    }

    /// The span trimmed to its body and the body's status, or `None` when the span holds
    /// no section (only a heading: a table of contents entry).
    fn judge(&self, item: ItemId, span: Span) -> Option<(Span, Status)> {
        let (start, end) = trim_span(self.text, span.start, span.end);
        let body = &self.text[start..end];
        let status = if body.len() < SHORT_SECTION_BYTES && refers_elsewhere(body) {
            Status::ByReference
        } else if has_body(item, body) {
            Status::Ok
        } else {
            return None;
        };
        Some((Span { start, end, ..span }, status))
    }

    fn build(&self, item: ItemId, span: Span, status: Status, method: Method) -> Section {
        let body = &self.text[span.start..span.end];
        let confidence = match (method, span.ended, body.len() > 1000) {
            (Method::ItemHeading, true, true) => 0.9,
            (_, true, true) => 0.7,
            (_, true, false) => 0.5,
            (_, false, _) => 0.3,
        };
        let start_char = self.text[..span.start].chars().count();
        Section {
            item,
            status,
            heading: self.lines[span.heading].text.trim().to_string(),
            method,
            confidence,
            start_byte: span.start,
            end_byte: span.end,
            start_char,
            end_char: start_char + body.chars().count(),
            text: body.to_string(),
        }
    }
}

/// The section of `item` in a cleaned document.
pub fn locate(doc: &Clean, item: ItemId) -> Section {
    Sections::new(doc).get(item)
}

/// Is there a body, not only a heading (a table of contents entry, a page number)?
fn has_body(item: ItemId, body: &str) -> bool {
    if item == ItemId::I1 {
        return body.len() >= MIN_ITEM1_BYTES;
    }
    body.split(|c: char| !c.is_alphabetic())
        .any(|w| w.chars().count() >= 2)
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

/// Does a (short) body give its information by reference to another document?
fn refers_elsewhere(body: &str) -> bool {
    let l = body.to_lowercase();
    [
        "incorporated by reference",
        "incorporated herein by reference",
        "is incorporated herein",
        "annual report to",
    ]
    .iter()
    .any(|p| l.contains(p))
}

#[cfg(test)]
mod tests;
