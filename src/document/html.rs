//! HTML and inline-XBRL documents to plain text, in one pass over the bytes.
//!
//! Why not a DOM: a full HTML5 tree builder (html5ever) spent most of the extraction time
//! tokenizing into reference-counted buffers and building a tree that was walked once and
//! thrown away. The text a reader sees needs much less: a scanner that finds tags, keeps a
//! stack of open elements, and applies the few implicit-close rules that decide where lines
//! and table rows end (`<p>` before a block, `<td>` before a cell, `<tr>` before a row, `<li>`
//! before an item). It allocates nothing per tag and never recurses, so deeply nested or
//! hostile input costs linear time and a flat stack.
//!
//! The output: hidden blocks (`ix:header`, `display:none`), scripts, styles and the head are
//! dropped; block elements and table rows become line breaks; table cells are separated by
//! spaces. Entities are decoded with the HTML5 table, and numeric references in the C1 range
//! (`&#146;`, `&#151;`, which old filings use) map to the cp1252 characters a browser shows.

use markup5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};

use super::TableMode;

/// What an element does to the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Para,
    Block,
    List,
    Item,
    Table,
    Row,
    Cell,
    Pre,
    Head,
    /// Never visible, content included (`ix:header`, `template`).
    Hidden,
    /// Never visible, content is raw text up to the end tag (`script`, `style`).
    RawHidden,
    Inline,
}

impl Kind {
    fn of(name: &str) -> Kind {
        let mut buf = [0u8; 16];
        let Some(lower) = buf.get_mut(..name.len()) else {
            return Kind::Inline;
        };
        lower.copy_from_slice(name.as_bytes());
        lower.make_ascii_lowercase();
        match &*lower {
            b"p" => Kind::Para,
            b"ul" | b"ol" | b"dl" => Kind::List,
            b"li" | b"dt" | b"dd" => Kind::Item,
            b"table" => Kind::Table,
            b"tr" => Kind::Row,
            b"td" | b"th" => Kind::Cell,
            b"pre" | b"listing" | b"plaintext" => Kind::Pre,
            b"head" => Kind::Head,
            b"ix:header" | b"template" => Kind::Hidden,
            b"script" | b"style" | b"noscript" | b"noembed" | b"noframes" | b"iframe" | b"xmp"
            | b"textarea" => Kind::RawHidden,
            b"div" | b"br" | b"h1" | b"h2" | b"h3" | b"h4" | b"h5" | b"h6" | b"section"
            | b"article" | b"header" | b"footer" | b"blockquote" | b"hr" | b"center" | b"title"
            | b"body" | b"page" | b"form" | b"address" | b"caption" | b"thead" | b"tbody"
            | b"tfoot" | b"main" | b"nav" | b"aside" | b"figure" => Kind::Block,
            _ => Kind::Inline,
        }
    }

    fn is_block(self) -> bool {
        !matches!(
            self,
            Kind::Cell | Kind::Inline | Kind::Head | Kind::Hidden | Kind::RawHidden
        )
    }

    /// Does opening this element close an open `<p>` (HTML's "closes a p element")?
    fn closes_para(self) -> bool {
        matches!(
            self,
            Kind::Para | Kind::Block | Kind::List | Kind::Item | Kind::Pre
        )
    }
}

fn is_void(name: &str) -> bool {
    [
        "br", "hr", "img", "meta", "link", "input", "col", "area", "base", "wbr", "embed", "param",
        "source", "track",
    ]
    .iter()
    .any(|v| name.eq_ignore_ascii_case(v))
}

/// Elements the head may hold; any other start tag ends the head, as in a browser.
fn belongs_in_head(name: &str) -> bool {
    [
        "title", "meta", "link", "style", "script", "base", "noscript", "template", "object",
    ]
    .iter()
    .any(|v| name.eq_ignore_ascii_case(v))
}

/// What an element's `style` attribute does to the text.
#[derive(Default)]
struct Style {
    /// `display:none`
    hidden: bool,
    /// space before the element ("Item 1.<span style="margin-left:18pt">Business"): such
    /// words are apart on screen and must be apart in the text
    spaced: bool,
    /// a printed page ends here: the text gets a form feed, so that running headers and
    /// footers can be told from content
    page_break: bool,
}

impl Style {
    /// Reads the declarations that matter, without allocating (nearly every tag of an
    /// inline-XBRL filing has a style).
    fn parse(style: &str) -> Style {
        let mut st = Style::default();
        for decl in style.split(';') {
            let Some((prop, value)) = decl.split_once(':') else {
                continue;
            };
            let prop = prop.trim();
            let value = value.trim();
            let is = |p: &str| prop.eq_ignore_ascii_case(p);
            let value_is = |v: &str| {
                value
                    .get(..v.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(v))
            };
            if is("display") && value_is("none") {
                st.hidden = true;
            } else if [
                "margin-left",
                "padding-left",
                "text-indent",
                "margin",
                "padding",
            ]
            .iter()
            .any(|p| is(p))
            {
                st.spaced = true;
            } else if (is("page-break-before") || is("page-break-after")) && value_is("always")
                || (is("break-before") || is("break-after")) && value_is("page")
            {
                st.page_break = true;
            }
        }
        st
    }
}

/// An open element on the stack.
struct Open<'a> {
    name: &'a str,
    kind: Kind,
    hidden: bool,
}

/// How far up the stack an end tag or an implicit close looks for its element. Bounds the
/// work per tag on hostile nesting; real documents never need more.
const SEARCH_DEPTH: usize = 256;

/// Builds the text from open/close/text events.
struct Writer {
    out: String,
    numeric_tables: TableMode,
    /// open elements that hide their content
    hidden: usize,
    pre: usize,
    /// per open table row: where its text starts in `out`, cells of figures, cells of words
    rows: Vec<(usize, usize, usize)>,
    cell_start: usize,
}

impl Writer {
    fn open(&mut self, kind: Kind, hidden: bool, style: &Style) {
        if hidden {
            self.hidden += 1;
        }
        if self.hidden > 0 {
            return;
        }
        if style.page_break {
            self.out.push_str("\n\x0c\n");
        }
        if kind == Kind::Pre {
            self.pre += 1;
        }
        if kind.is_block() {
            self.out.push('\n');
        } else if kind == Kind::Cell || style.spaced {
            self.out.push(' ');
        }
        match kind {
            Kind::Row => self.rows.push((self.out.len(), 0, 0)),
            Kind::Cell => self.cell_start = self.out.len(),
            _ => {}
        }
    }

    fn close(&mut self, kind: Kind, hidden: bool) {
        if hidden {
            self.hidden -= 1;
            return;
        }
        if self.hidden > 0 {
            return;
        }
        match kind {
            Kind::Pre => self.pre = self.pre.saturating_sub(1),
            Kind::Cell => {
                let cell = self.out.get(self.cell_start..).unwrap_or("");
                let figure = is_figure(cell);
                let words = !figure && cell.chars().any(char::is_alphabetic);
                if let Some(row) = self.rows.last_mut() {
                    row.1 += usize::from(figure);
                    row.2 += usize::from(words);
                }
            }
            Kind::Row => {
                // a row of figures: more number cells than word cells
                if let Some((start, figures, words)) = self.rows.pop() {
                    if self.numeric_tables == TableMode::Drop && figures >= 2 && figures > words {
                        self.out.truncate(start);
                    }
                }
            }
            _ => {}
        }
        if kind.is_block() {
            self.out.push('\n');
        } else if kind == Kind::Cell {
            self.out.push(' ');
        }
    }

    /// Appends character data: entities decoded, whitespace runs collapsed outside `<pre>`.
    fn text(&mut self, t: &str) {
        if self.hidden > 0 {
            return;
        }
        let keep_space = self.pre > 0;
        let bytes = t.as_bytes();
        let mut in_space = self.out.ends_with(' ');
        let mut run = 0; // start of the bytes not yet copied
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
            if b == b'&' {
                self.out.push_str(&t[run..i]);
                let (decoded, len) = entity(&t[i..]);
                self.out.push_str(decoded.as_str());
                in_space = false;
                i += len;
                run = i;
                continue;
            }
            if space && !keep_space {
                self.out.push_str(&t[run..i]);
                if !in_space {
                    self.out.push(' ');
                    in_space = true;
                }
                run = i + 1;
            } else {
                in_space = false;
            }
            i += 1;
        }
        self.out.push_str(&t[run..]);
    }
}

/// Up to two characters an entity stands for.
struct Decoded {
    buf: [u8; 8],
    len: usize,
}

impl Decoded {
    fn new(chars: &[char]) -> Decoded {
        let mut d = Decoded {
            buf: [0; 8],
            len: 0,
        };
        for c in chars {
            d.len += c.encode_utf8(&mut d.buf[d.len..]).len();
        }
        d
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }
}

/// Decodes the character reference at the start of `s` (which starts with `&`): what it
/// stands for and how many bytes it takes. A lone `&` stands for itself.
fn entity(s: &str) -> (Decoded, usize) {
    let b = s.as_bytes();
    let literal = (Decoded::new(&['&']), 1);
    if b.get(1) == Some(&b'#') {
        let hex = matches!(b.get(2), Some(b'x' | b'X'));
        let start = if hex { 3 } else { 2 };
        let digits = b[start..]
            .iter()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .count();
        if digits == 0 {
            return literal;
        }
        let value = u32::from_str_radix(&s[start..start + digits], if hex { 16 } else { 10 })
            .unwrap_or(u32::MAX);
        let c = match value {
            0x80..=0x9f => C1_REPLACEMENTS[(value - 0x80) as usize]
                .unwrap_or_else(|| char::from_u32(value).unwrap_or('\u{fffd}')),
            0 => '\u{fffd}',
            v => char::from_u32(v).unwrap_or('\u{fffd}'),
        };
        let semicolon = usize::from(b.get(start + digits) == Some(&b';'));
        return (Decoded::new(&[c]), start + digits + semicolon);
    }
    let name_len = b[1..]
        .iter()
        .take(32)
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    if name_len == 0 {
        return literal;
    }
    let chars = |(first, second): (u32, u32)| {
        let first = char::from_u32(first).unwrap_or('\u{fffd}');
        match char::from_u32(second).filter(|_| second != 0) {
            Some(second) => Decoded::new(&[first, second]),
            None => Decoded::new(&[first]),
        }
    };
    // the table also holds every prefix of a name, mapped to (0, 0)
    let known = |name: &str| NAMED_ENTITIES.get(name).copied().filter(|v| v.0 != 0);
    if b.get(1 + name_len) == Some(&b';') {
        if let Some(v) = known(&s[1..name_len + 2]) {
            return (chars(v), name_len + 2);
        }
    }
    // legacy references without a semicolon ("&nbsp", "&amp"): the longest known prefix
    (2..=name_len.min(6))
        .rev()
        .find_map(|n| known(&s[1..1 + n]).map(|v| (chars(v), 1 + n)))
        .unwrap_or(literal)
}

/// Finds `needle` (ASCII, lower case) in `hay` from `from`, ignoring ASCII case.
fn find_ci(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(p) = hay
        .get(i..)
        .and_then(|h| h.iter().position(|&c| c == needle[0]))
    {
        let at = i + p;
        if hay
            .get(at..at + needle.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(needle))
        {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// Finds `needle` in `hay` from `from`; the end of `hay` when absent (unterminated markup
/// runs to the end of the document, as in a browser).
fn find_or_end(hay: &str, from: usize, needle: &str) -> usize {
    hay.get(from..)
        .and_then(|h| h.find(needle))
        .map_or(hay.len(), |p| from + p)
}

/// As `find_or_end` for one ASCII byte (`>`, a quote), found with memchr: a substring
/// search sets up a two-way searcher per call, which cost a tenth of the cleaning time.
fn byte_or_end(hay: &str, from: usize, b: u8) -> usize {
    hay.get(from..)
        .and_then(|h| h.find(char::from(b)))
        .map_or(hay.len(), |p| from + p)
}

/// A start tag: its name, the value of its `style` attribute, whether it ends with `/>`,
/// and where it ends.
struct StartTag<'a> {
    name: &'a str,
    style: Option<&'a str>,
    self_closing: bool,
    end: usize,
}

/// Parses the start tag at `i` (`html[i] == '<'`, followed by a letter).
fn start_tag(html: &str, i: usize) -> StartTag<'_> {
    let b = html.as_bytes();
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut j = i + 1;
    while j < b.len() && !is_space(b[j]) && b[j] != b'/' && b[j] != b'>' {
        j += 1;
    }
    let mut tag = StartTag {
        name: &html[i + 1..j],
        style: None,
        self_closing: false,
        end: b.len(),
    };
    loop {
        while j < b.len() && (is_space(b[j]) || b[j] == b'/') {
            tag.self_closing = b[j] == b'/';
            j += 1;
        }
        if j >= b.len() {
            return tag;
        }
        if b[j] == b'>' {
            tag.end = j + 1;
            return tag;
        }
        tag.self_closing = false;
        let name_start = j;
        while j < b.len() && !is_space(b[j]) && !matches!(b[j], b'/' | b'>' | b'=') {
            j += 1;
        }
        let attr = &html[name_start..j];
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        if b.get(j) != Some(&b'=') {
            continue;
        }
        j += 1;
        while j < b.len() && is_space(b[j]) {
            j += 1;
        }
        let (value_start, value_end) = match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => {
                let end = byte_or_end(html, j + 1, q);
                (j + 1, end)
            }
            _ => {
                let mut e = j;
                while e < b.len() && !is_space(b[e]) && b[e] != b'>' {
                    e += 1;
                }
                (j, e)
            }
        };
        if attr.eq_ignore_ascii_case("style") {
            tag.style = Some(&html[value_start..value_end]);
        }
        j = if value_end < b.len() && matches!(b[value_end], b'"' | b'\'') {
            value_end + 1
        } else {
            value_end
        };
    }
}

/// The document scanner: the open-element stack and the writer it drives.
struct Scanner<'a> {
    stack: Vec<Open<'a>>,
    /// open `<head>` elements on the stack
    heads: usize,
    w: Writer,
}

impl<'a> Scanner<'a> {
    fn pop(&mut self) {
        if let Some(el) = self.stack.pop() {
            self.heads -= usize::from(el.kind == Kind::Head);
            self.w.close(el.kind, el.hidden);
        }
    }

    /// Closes the nearest open element that `is_target` accepts, and everything opened
    /// after it, unless an element `is_boundary` accepts comes first.
    fn close_nearest(
        &mut self,
        is_target: impl Fn(&Open) -> bool,
        is_boundary: impl Fn(Kind) -> bool,
    ) {
        let found = self
            .stack
            .iter()
            .rev()
            .take(SEARCH_DEPTH)
            .take_while(|el| is_target(el) || !is_boundary(el.kind))
            .position(&is_target);
        if let Some(up) = found {
            for _ in 0..=up {
                self.pop();
            }
        }
    }

    fn start(&mut self, name: &'a str, style: Option<&str>, self_closing: bool) {
        let kind = Kind::of(name);
        if self.heads > 0 && !belongs_in_head(name) {
            self.close_nearest(|el| el.kind == Kind::Head, |_| false);
        }
        match kind {
            Kind::Cell => self.close_nearest(
                |el| el.kind == Kind::Cell,
                |k| matches!(k, Kind::Row | Kind::Table),
            ),
            Kind::Row => self.close_nearest(|el| el.kind == Kind::Row, |k| k == Kind::Table),
            Kind::Item => self.close_nearest(
                |el| el.kind == Kind::Item,
                |k| matches!(k, Kind::List | Kind::Table | Kind::Cell),
            ),
            _ => {}
        }
        if kind.closes_para() {
            self.close_nearest(
                |el| el.kind == Kind::Para,
                |k| matches!(k, Kind::Cell | Kind::Table | Kind::Item),
            );
        }
        let style = style.map(Style::parse).unwrap_or_default();
        let hidden = matches!(kind, Kind::Head | Kind::Hidden | Kind::RawHidden) || style.hidden;
        self.w.open(kind, hidden, &style);
        if self_closing || is_void(name) {
            self.w.close(kind, hidden);
        } else {
            self.heads += usize::from(kind == Kind::Head);
            self.stack.push(Open { name, kind, hidden });
        }
    }

    fn end(&mut self, name: &str) {
        let before = self.stack.len();
        self.close_nearest(|el| el.name.eq_ignore_ascii_case(name), |_| false);
        if self.stack.len() == before && matches!(Kind::of(name), Kind::Para | Kind::Block) {
            // a stray </p> or </br> still breaks the line, as in a browser
            self.w.open(Kind::Block, false, &Style::default());
        }
    }

    fn text(&mut self, t: &str) {
        if self.heads > 0 && !t.trim().is_empty() {
            // text cannot be in the head: it starts the body
            self.close_nearest(|el| el.kind == Kind::Head, |_| false);
        }
        self.w.text(t);
    }
}

/// The visible text of an HTML document, one block per line (not yet normalized).
pub fn to_text(html: &str, numeric_tables: TableMode) -> String {
    let b = html.as_bytes();
    let mut s = Scanner {
        stack: Vec::new(),
        heads: 0,
        w: Writer {
            out: String::with_capacity(html.len() / 4),
            numeric_tables,
            hidden: 0,
            pre: 0,
            rows: Vec::new(),
            cell_start: 0,
        },
    };
    let mut text_start = 0;
    let mut i = 0;
    while let Some(p) = html[i..].find('<') {
        let lt = i + p;
        let next = b.get(lt + 1).copied();
        let after = b.get(lt + 2).copied();
        let tag_end = match next {
            Some(b'!') if html[lt..].starts_with("<!--") => Some(
                find_or_end(html, lt + 4, "-->")
                    .saturating_add(3)
                    .min(b.len()),
            ),
            Some(b'!' | b'?') => Some((byte_or_end(html, lt, b'>') + 1).min(b.len())),
            Some(b'/') if after.is_some_and(|c| c.is_ascii_alphabetic()) => {
                let name_end = html[lt + 2..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>' || c == '/')
                    .map_or(b.len(), |n| lt + 2 + n);
                s.text(&html[text_start..lt]);
                s.end(&html[lt + 2..name_end]);
                text_start = usize::MAX; // already flushed
                Some((byte_or_end(html, name_end, b'>') + 1).min(b.len()))
            }
            Some(b'/') => Some((byte_or_end(html, lt, b'>') + 1).min(b.len())),
            Some(c) if c.is_ascii_alphabetic() => {
                let tag = start_tag(html, lt);
                s.text(&html[text_start..lt]);
                text_start = usize::MAX;
                s.start(tag.name, tag.style, tag.self_closing);
                let mut end = tag.end;
                if Kind::of(tag.name) == Kind::RawHidden && !tag.self_closing {
                    // raw text: nothing inside is markup, up to the matching end tag
                    let close = format!("</{}", tag.name.to_ascii_lowercase());
                    let close_at = find_ci(b, end, close.as_bytes()).unwrap_or(b.len());
                    s.end(tag.name);
                    end = (byte_or_end(html, close_at, b'>') + 1).min(b.len());
                }
                Some(end)
            }
            _ => None, // a lone '<' is text
        };
        match tag_end {
            Some(end) => {
                if text_start != usize::MAX {
                    s.text(&html[text_start..lt]);
                }
                text_start = end;
                i = end;
            }
            None => i = lt + 1,
        }
    }
    if text_start < b.len() {
        s.text(&html[text_start..]);
    }
    while !s.stack.is_empty() {
        s.pop();
    }
    s.w.out
}

/// Is this table cell a figure ("$ 1,234.5", "(12)%", "—") rather than words?
fn is_figure(cell: &str) -> bool {
    let t = cell.trim();
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || "$€£¥%.,()-–—+x\u{a0}".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drops_hidden_blocks_and_keeps_cells_apart() {
        let html = r#"<html><head><style>p{}</style></head><body>
            <ix:header><ix:hidden>SECRET</ix:hidden></ix:header>
            <div style="display: none">HIDDEN</div>
            <table><tr><td>Item 1.</td><td>Business</td></tr></table>
            <p>Smith&nbsp;Micro&#146;s  products</p><script>var x = "<p>";</script></body></html>"#;
        let t = to_text(html, TableMode::Drop);
        assert!(!t.contains("SECRET") && !t.contains("HIDDEN") && !t.contains("var x"));
        assert!(t.contains("Item 1.  Business") || t.contains("Item 1. Business"));
        assert!(t.contains("Smith\u{a0}Micro\u{2019}s products"), "{t:?}");
    }

    #[test]
    fn decodes_entities_like_a_browser() {
        let t = to_text(
            "<p>AT&amp;T &mdash; R&D &#x2019;&#151; &copy &bogus; &#0; &ampx</p>",
            TableMode::Drop,
        );
        assert_eq!(t.trim(), "AT&T — R&D ’— © &bogus; \u{fffd} &x");
    }

    #[test]
    fn implicit_ends_of_paragraphs_cells_and_rows() {
        let html = "<P>one<P>two<TABLE><TR><TD>a<TD>b<TR><TD>c</TABLE><p style='display:none'>gone<div>seen";
        let lines: Vec<String> = to_text(html, TableMode::Drop)
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, ["one", "two", "a b", "c", "seen"]);
    }

    #[test]
    fn css_spacing_separates_words() {
        let t = to_text(
            r#"<p>Item 1.<span style="margin-left:18pt">Business</span></p>"#,
            TableMode::Drop,
        );
        assert_eq!(t.trim(), "Item 1. Business");
    }

    #[test]
    fn unterminated_markup_does_not_panic() {
        for html in [
            "<p style=\"unclosed",
            "<!-- open comment",
            "<script>never closed",
            "a < b and c<d",
            "&#99999999999;&#x;&",
            "</",
            "<",
        ] {
            let _ = to_text(html, TableMode::Drop);
        }
        assert_eq!(to_text("a < b", TableMode::Drop), "a < b");
    }

    #[test]
    fn deep_nesting_is_linear() {
        let html = "<div>".repeat(100_000) + "deep" + &"</div>".repeat(100_000);
        assert!(to_text(&html, TableMode::Drop).contains("deep"));
        let unclosed = "<span><b>".repeat(100_000) + "x" + &"</i>".repeat(100_000);
        assert!(to_text(&unclosed, TableMode::Drop).contains('x'));
    }

    #[test]
    fn numeric_rows_are_dropped_or_kept_by_configuration() {
        let html = "<table><tr><td>•</td><td>We sell 3 products.</td></tr>\
                    <tr><td>Revenue</td><td>$ 1,234.5</td><td>(12.0)%</td></tr>\
                    <tr><td>Item 1.</td><td>Business</td><td>3</td></tr>\
                    <tr><td>Jane Doe</td><td>Chief Executive Officer</td><td>2019</td><td>59</td></tr></table>";
        let flat = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");
        let dropped = flat(to_text(html, TableMode::Drop));
        assert!(dropped.contains("We sell 3 products.") && dropped.contains("Business"));
        assert!(
            dropped.contains("Chief Executive Officer 2019 59"),
            "{dropped}"
        );
        assert!(!dropped.contains("1,234.5"));
        assert!(flat(to_text(html, TableMode::Keep)).contains("Revenue $ 1,234.5"));
    }
}
