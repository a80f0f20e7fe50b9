//! Text normalization shared by every document format: decoding, invisible and look-alike
//! characters, and page furniture (page numbers, "Table of Contents" back-links, rules,
//! `<PAGE>` markers).
//!
//! Item 1 finding and summarization both work on lines, so the output is one trimmed line
//! per block of text with single blank lines between paragraphs.

use markup5ever::data::C1_REPLACEMENTS;

/// Decodes a document: UTF-8 when valid, otherwise Windows-1252 (what EDGAR filers of the
/// 1990s and 2000s produced), so no byte is lost or turned into U+FFFD.
pub fn decode(raw: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(raw) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => raw.iter().map(|&b| cp1252(b)).collect(),
    }
}

/// Windows-1252 to Unicode for one byte, with the table the HTML parser uses for `&#146;`;
/// the five bytes cp1252 leaves undefined stay the C1 controls they are in Latin-1.
fn cp1252(b: u8) -> char {
    match b {
        0x80..=0x9f => C1_REPLACEMENTS[usize::from(b - 0x80)].unwrap_or(char::from(b)),
        _ => char::from(b),
    }
}

/// Maps one character to what a reader sees: C1 controls (cp1252 bytes mis-decoded as
/// Latin-1) to their cp1252 characters, exotic spaces to a space; `None` for characters
/// that are invisible (soft hyphen, zero-width marks, BOM).
fn visible(c: char) -> Option<char> {
    match c {
        '\u{ad}' | '\u{200b}'..='\u{200d}' | '\u{2060}' | '\u{feff}' => None,
        '\u{80}'..='\u{9f}' => Some(cp1252(c as u8)),
        '\u{a0}' | '\u{2000}'..='\u{200a}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\t' => {
            Some(' ')
        }
        c if c.is_control() => Some(' '),
        c => Some(c),
    }
}

/// Is this line page furniture rather than content?
fn is_furniture(line: &str) -> bool {
    let l = line.trim();
    if l.is_empty() {
        return false;
    }
    let lower = l.to_ascii_lowercase();
    // SGML markers and the table markup of old text filings
    if l.starts_with('<') && l.ends_with('>') && l.len() <= 12 {
        return true;
    }
    if lower == "table of contents" || lower == "index" {
        return true;
    }
    // rules made of dashes, underscores, equals signs or asterisks
    if l.chars()
        .all(|c| matches!(c, '-' | '_' | '=' | '*' | '—' | '–' | ' '))
    {
        return true;
    }
    // page numbers: "12", "- 12 -", "Page 12", "F-3", "ii"
    if page_number(l).is_some() {
        return true;
    }
    let core = page_core(&lower);
    if core.len() <= 5
        && core.starts_with(|c: char| c.is_ascii_alphabetic())
        && core.contains('-')
        && core.split_once('-').is_some_and(|(a, n)| {
            a.len() <= 2 && !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())
        })
    {
        return true;
    }
    matches!(
        core,
        "i" | "ii" | "iii" | "iv" | "v" | "vi" | "vii" | "viii" | "ix" | "x" | "xi" | "xii"
    )
}

/// A page-number line without its dashes and "Page" word, in lower case.
fn page_core(lower: &str) -> &str {
    lower
        .trim_matches(|c: char| c == '-' || c == '—' || c == '–' || c == ' ')
        .trim_start_matches("page")
        .trim()
}

/// The number of a page-number line: "12", "- 12 -", "Page 12".
fn page_number(line: &str) -> Option<u32> {
    let lower = line.trim().to_ascii_lowercase();
    let core = page_core(&lower);
    (!core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit()))
        .then(|| core.parse().ok())
        .flatten()
}

/// The page number a running header or footer carries at its start or end
/// ("Annual Report 2023 | 67").
fn number_at_edge(line: &str) -> Option<u32> {
    let t = line.trim();
    let tail = t.len() - t.trim_end_matches(|c: char| c.is_ascii_digit()).len();
    let head = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let digits = if tail > 0 {
        &t[t.len() - tail..]
    } else {
        &t[..head]
    };
    (!digits.is_empty() && digits.len() <= 4)
        .then(|| digits.parse().ok())
        .flatten()
}

/// A page break in text handed to `normalize`: a form feed (old text filings have them, and
/// the HTML scanner writes one where a page ends) or an SGML `<PAGE>` line.
fn is_page_break(raw_line: &str) -> bool {
    raw_line.contains('\x0c') || raw_line.trim().eq_ignore_ascii_case("<page>")
}

/// How many lines at the top and at the bottom of a page can be running headers or footers.
const EDGE_LINES: usize = 2;
/// On how many pages a line must stand at an edge to count as a running header or footer.
const RUNNING_MIN_PAGES: usize = 3;
const RUNNING_MAX_CHARS: usize = 100;

/// The identity of a running header or footer: the line in lower case without the page
/// number at its start or end, so "Annual Report 2023 | 67" on one page matches
/// "Annual Report 2023 | 68" on the next.
fn running_key(line: &str) -> String {
    let is_number = |c: char| c.is_ascii_digit();
    let core = line
        .trim_end_matches(is_number)
        .trim_start_matches(is_number);
    core.to_lowercase()
}

/// Item and Part headings repeated on every page are left to Item 1 finding, which must see
/// them to tell a heading from a running header.
fn is_heading_like(line: &str) -> bool {
    let l = line.trim_start().as_bytes();
    let starts = |p: &[u8]| l.len() >= p.len() && l[..p.len()].eq_ignore_ascii_case(p);
    starts(b"item") || starts(b"part ")
}

/// One line of normalized text: where it is in the buffer, its page, whether a blank line
/// comes before it.
struct Line {
    start: usize,
    end: usize,
    page: usize,
    blank_before: bool,
}

/// The keys of the lines that stand at a page edge on at least `RUNNING_MIN_PAGES` pages.
fn running_keys(buf: &str, lines: &[Line]) -> std::collections::HashSet<String> {
    let mut pages_of: std::collections::HashMap<String, (usize, usize)> = Default::default();
    for page in lines.chunk_by(|a, b| a.page == b.page) {
        let n = page.len();
        for (i, line) in page.iter().enumerate() {
            let text = &buf[line.start..line.end];
            if (i >= EDGE_LINES && i + EDGE_LINES < n)
                || text.chars().count() > RUNNING_MAX_CHARS
                || is_heading_like(text)
            {
                continue;
            }
            // (pages seen, last page counted): a line twice on one page counts once
            let entry = pages_of.entry(running_key(text)).or_insert((0, usize::MAX));
            if entry.1 != line.page {
                *entry = (entry.0 + 1, line.page);
            }
        }
    }
    pages_of
        .into_iter()
        .filter(|(_, (pages, _))| *pages >= RUNNING_MIN_PAGES)
        .map(|(key, _)| key)
        .collect()
}

/// Where a printed page begins in the clean text: the number printed on it (its page
/// number line, or the number in its running header or footer) and the byte offset of its
/// first line. A cross-reference index that maps items to pages is read through these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageStart {
    pub number: u32,
    pub offset: usize,
}

/// The page numbers found on one page while reading it: one before its first line of
/// content (a header) and the last one after its content (a footer).
#[derive(Debug, Default, Clone, Copy)]
struct PageNumbers {
    content: bool,
    head: Option<u32>,
    tail: Option<u32>,
}

impl PageNumbers {
    fn saw_number(&mut self, n: u32) {
        if self.content {
            self.tail = Some(n);
        } else {
            self.head = self.head.or(Some(n));
        }
    }

    fn saw_content(&mut self) {
        self.content = true;
        self.tail = None;
    }

    fn number(&self) -> Option<u32> {
        self.tail.or(self.head)
    }
}

/// Is this line an entry of an index or a table of contents ("Item 1 Business"), whose page
/// reference ("Page 3") stood on a line of its own?
fn takes_page_reference(line: &str) -> bool {
    is_heading_like(line) && line.len() <= RUNNING_MAX_CHARS
}

/// Normalizes raw text into trimmed lines with single blank lines between blocks, without
/// page furniture: page numbers, rules, "Table of Contents" back-links, and running headers
/// and footers (lines that stand at the top or bottom of at least three pages). The page
/// numbers removed are kept as a table of where each printed page begins; a "Page 3" that
/// belongs to an index entry above it is joined to that entry instead.
///
/// Takes the raw text by value (or borrowed) so that an owned copy is freed as soon as the
/// first pass has read it: a document is then held about three times at most.
pub fn normalize(raw: std::borrow::Cow<'_, str>) -> (String, Vec<PageStart>) {
    let first = read_lines(&raw);
    drop(raw);
    let running = if first.pages >= RUNNING_MIN_PAGES {
        running_keys(&first.buf, &first.lines)
    } else {
        Default::default()
    };
    let kept = keep_lines(&first, &running);
    (
        kept.text,
        page_starts(&first.numbers, &kept.running_numbers, &kept.first_offset),
    )
}

/// The first pass: the document's visible lines in one buffer, without furniture, and the
/// page numbers seen on each page.
struct FirstPass {
    buf: String,
    lines: Vec<Line>,
    numbers: Vec<PageNumbers>,
    /// Page breaks seen (the last page's index).
    pages: usize,
}

/// Appends the visible characters of `raw_line` to `buf`, spaces collapsed and the end
/// trimmed; returns where the line starts and ends in `buf`.
#[inline]
fn push_visible(buf: &mut String, raw_line: &str) -> (usize, usize) {
    let start = buf.len();
    let mut space = true;
    for c in raw_line.chars().filter_map(visible) {
        if c == ' ' {
            if !space {
                buf.push(' ');
                space = true;
            }
        } else {
            buf.push(c);
            space = false;
        }
    }
    let end = start + buf[start..].trim_end().len();
    buf.truncate(end);
    (start, end)
}

/// Reads `raw` line by line into a `FirstPass`: visible characters, spaces collapsed, page
/// breaks counted, page-number lines noted and dropped (a "Page 3" under an index entry
/// joins the entry).
fn read_lines(raw: &str) -> FirstPass {
    let mut p = FirstPass {
        buf: String::with_capacity(raw.len()),
        lines: Vec::new(),
        numbers: vec![PageNumbers::default()],
        pages: 0,
    };
    let mut blank_pending = false;
    for raw_line in raw.lines() {
        if is_page_break(raw_line) {
            p.pages += 1;
            p.numbers.push(PageNumbers::default());
        }
        let (start, end) = push_visible(&mut p.buf, raw_line);
        if start == end {
            blank_pending = !p.lines.is_empty();
            continue;
        }
        let text = &p.buf[start..end];
        if is_furniture(text) {
            if let Some(n) = page_number(text) {
                let reference = text.to_ascii_lowercase().starts_with("page");
                match p.lines.last_mut() {
                    // "Page 3" under an index entry belongs to the entry
                    Some(prev)
                        if reference
                            && !blank_pending
                            && prev.end == start
                            && takes_page_reference(&p.buf[prev.start..prev.end]) =>
                    {
                        p.buf.insert(start, ' ');
                        prev.end = end + 1;
                        continue;
                    }
                    _ => p.numbers[p.pages].saw_number(n),
                }
            }
            p.buf.truncate(start);
            continue;
        }
        p.numbers[p.pages].saw_content();
        p.lines.push(Line {
            start,
            end,
            page: p.pages,
            blank_before: std::mem::take(&mut blank_pending),
        });
    }
    p
}

/// The second pass: the clean text without running headers and footers, and per page
/// where it starts and the numbers its running lines carried.
struct Kept {
    text: String,
    first_offset: Vec<Option<usize>>,
    running_numbers: Vec<Vec<u32>>,
}

/// Keeps the lines of the first pass but the running headers and footers (`running`) at a
/// page's edges, blank lines as paragraph breaks.
fn keep_lines(first: &FirstPass, running: &std::collections::HashSet<String>) -> Kept {
    let (buf, lines) = (&first.buf, &first.lines);
    let mut kept = Kept {
        text: String::with_capacity(buf.len() + lines.len()),
        first_offset: vec![None; first.pages + 1],
        running_numbers: vec![Vec::new(); first.pages + 1],
    };
    let mut blank_pending = false;
    let mut edge_from = 0; // index of the first line of the current page
    for (i, line) in lines.iter().enumerate() {
        if i > 0 && lines[i - 1].page != line.page {
            edge_from = i;
        }
        let text = &buf[line.start..line.end];
        blank_pending |= line.blank_before;
        if !running.is_empty() {
            let page_len = lines[edge_from..]
                .iter()
                .take_while(|l| l.page == line.page)
                .count();
            let at = i - edge_from;
            let at_edge = at < EDGE_LINES || at + EDGE_LINES >= page_len;
            if at_edge && running.contains(&running_key(text)) {
                kept.running_numbers[line.page].extend(number_at_edge(text));
                continue;
            }
        }
        if blank_pending && !kept.text.is_empty() {
            kept.text.push('\n');
        }
        blank_pending = false;
        kept.first_offset[line.page].get_or_insert(kept.text.len());
        kept.text.push_str(text);
        kept.text.push('\n');
    }
    kept
}

/// The printed number and first offset of each page that has both. A page's number is its
/// page-number line, else the last number in its running headers and footers; a number
/// found on several pages (a year in "Annual Report 2023") numbers none of them.
fn page_starts(
    numbers: &[PageNumbers],
    running: &[Vec<u32>],
    first_offset: &[Option<usize>],
) -> Vec<PageStart> {
    let chosen: Vec<Option<u32>> = numbers
        .iter()
        .zip(running)
        .map(|(n, r)| n.number().or(r.last().copied()))
        .collect();
    let mut seen: std::collections::HashMap<u32, usize> = Default::default();
    for n in chosen.iter().flatten() {
        *seen.entry(*n).or_default() += 1;
    }
    chosen
        .iter()
        .zip(first_offset)
        .filter_map(|(n, offset)| {
            let number = (*n)?;
            (seen[&number] == 1).then_some(PageStart {
                number,
                offset: (*offset)?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_cp1252_when_not_utf8() {
        assert_eq!(decode(b"Smith Micro\x92s \x97 ok"), "Smith Micro’s — ok");
        assert_eq!(decode("é".as_bytes()), "é");
    }

    #[test]
    fn removes_furniture_and_invisible_characters() {
        let (t, _) = normalize("Item\u{a0}1.\u{a0}Business\n\n\n12\n- 13 -\nTable of Contents\n<PAGE>\nsoft\u{ad}ware  is   sold\n-----\nF-3\n".into());
        assert_eq!(t, "Item 1. Business\n\nsoftware is sold\n");
    }

    #[test]
    fn removes_running_headers_and_footers_at_page_edges() {
        let page = |n: usize| {
            format!(
                "ACME CORP 2023 ANNUAL REPORT\nItem 1. Business (continued)\nACME CORP 2023 ANNUAL REPORT sells widgets.\nBody text {n}.\n\nAcme Annual Report | {n}\n\x0c\n"
            )
        };
        let text: String = (1..=4).map(page).collect();
        let (t, pages) = normalize(text.as_str().into());
        assert!(!t.contains("Acme Annual Report |"), "{t}");
        assert!(!t.contains("ACME CORP 2023 ANNUAL REPORT\n"), "{t}");
        assert_eq!(t.matches("Item 1. Business (continued)").count(), 4, "{t}");
        assert_eq!(t.matches("sells widgets.").count(), 4, "content kept");
        assert!(t.contains("Body text 4."));
        // two pages are not enough to call a line a running header
        let two: String = (1..=2).map(page).collect();
        assert!(normalize(two.as_str().into())
            .0
            .contains("Acme Annual Report | 2"));
        // the footers' numbers tell where each printed page begins
        let numbers: Vec<u32> = pages.iter().map(|p| p.number).collect();
        assert_eq!(numbers, [1, 2, 3, 4]);
        assert!(t[pages[2].offset..].starts_with("Item 1. Business (continued)\nACME CORP 2023 ANNUAL REPORT sells widgets.\nBody text 3."));
    }

    #[test]
    fn maps_c1_controls_to_cp1252() {
        assert_eq!(normalize("Company\u{92}s\n".into()).0, "Company’s\n");
    }
}
