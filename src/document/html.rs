//! HTML and inline-XBRL documents to plain text, with scraper (html5ever).
//!
//! The parser gives the tree a browser would build; this module walks it without recursion
//! (deeply nested input must not overflow the stack) and emits the text a reader sees:
//! hidden blocks (`ix:header`, `display:none`), scripts and styles are dropped, block
//! elements and table rows become line breaks, table cells are separated by spaces.
//! html5ever already decodes entities, including the cp1252 numeric references
//! (`&#146;`, `&#151;`) that old filings use, to the characters a browser shows.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::TableMode;

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "tr"
            | "li"
            | "ul"
            | "ol"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "blockquote"
            | "pre"
            | "hr"
            | "center"
            | "title"
            | "dl"
            | "dt"
            | "dd"
            | "body"
            | "page"
            | "form"
            | "address"
    )
}

fn is_skipped(el: &scraper::node::Element) -> bool {
    let name = el.name();
    if matches!(name, "script" | "style" | "head" | "noscript" | "template")
        || name.eq_ignore_ascii_case("ix:header")
    {
        return true;
    }
    el.attr("style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.contains("display:none")
    })
}

/// Does the element's style put space before it ("Item 1.<span style="margin-left:18pt">
/// Business")? Such words are apart on screen and must be apart in the text.
fn is_spaced_by_css(el: &scraper::node::Element) -> bool {
    el.attr("style").is_some_and(|s| {
        let s = s.to_ascii_lowercase();
        [
            "margin-left",
            "padding-left",
            "text-indent",
            "margin:",
            "padding:",
        ]
        .iter()
        .any(|p| s.contains(p))
    })
}

/// Does a style attribute's value matter to the text (hidden blocks, CSS word spacing)?
fn style_matters(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    ["display", "margin", "padding", "indent"]
        .iter()
        .any(|k| v.contains(k))
}

/// Removes what is bulky but never visible before parsing: inline-XBRL `ix:header` blocks
/// and `style` attributes that neither hide nor space anything (a third of a modern
/// filing's bytes). The parser's cost is linear in its input, so this halves the work.
fn strip_invisible_markup(html: &str) -> String {
    const HEADER: &str = "<ix:header>";
    const HEADER_END: &str = "</ix:header>";
    let mut out = String::with_capacity(html.len());
    let mut pos = 0; // everything before `pos` is handled
                     // the next ix:header, searched for again only once `pos` has passed it
    let mut header = html.find(HEADER);
    while let Some(i) = html[pos..].find("style=\"").map(|i| pos + i) {
        if let Some(h) = header.filter(|h| *h < i) {
            out.push_str(&html[pos..h]);
            pos = html[h..]
                .find(HEADER_END)
                .map_or(html.len(), |e| h + e + HEADER_END.len());
            header = html[pos..].find(HEADER).map(|n| pos + n);
            continue;
        }
        let value_start = i + "style=\"".len();
        let Some(len) = html[value_start..].find('"') else {
            break;
        };
        let value_end = value_start + len + 1;
        if style_matters(&html[value_start..value_end - 1]) {
            out.push_str(&html[pos..value_end]);
        } else {
            out.push_str(&html[pos..i]);
        }
        pos = value_end;
    }
    if let Some(h) = header.filter(|h| *h >= pos) {
        out.push_str(&html[pos..h]);
        pos = html[h..]
            .find(HEADER_END)
            .map_or(html.len(), |e| h + e + HEADER_END.len());
    }
    out.push_str(&html[pos..]);
    out
}

/// The visible text of an HTML document, one block per line (not yet normalized).
pub fn to_text(html: &str, numeric_tables: TableMode) -> String {
    let doc = Html::parse_document(&strip_invisible_markup(html));
    let mut out = String::with_capacity(html.len() / 3);
    let mut skip_depth = 0usize;
    let mut pre_depth = 0usize;
    // per open table row: where its text starts in `out`, cells of figures, cells of words
    let mut rows: Vec<(usize, usize, usize)> = Vec::new();
    let mut cell_start = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(el) => {
                    if skip_depth > 0 || is_skipped(el) {
                        skip_depth += 1;
                        continue;
                    }
                    let name = el.name();
                    if name == "pre" {
                        pre_depth += 1;
                    }
                    if is_block(name) {
                        out.push('\n');
                    } else if matches!(name, "td" | "th") || is_spaced_by_css(el) {
                        out.push(' ');
                    }
                    match name {
                        "tr" => rows.push((out.len(), 0, 0)),
                        "td" | "th" => cell_start = out.len(),
                        _ => {}
                    }
                }
                Node::Text(t) if skip_depth == 0 => {
                    if pre_depth > 0 {
                        out.push_str(t);
                    } else {
                        push_collapsed(&mut out, t);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(el) = node.value() {
                    if skip_depth > 0 {
                        skip_depth -= 1;
                        continue;
                    }
                    let name = el.name();
                    if name == "pre" {
                        pre_depth = pre_depth.saturating_sub(1);
                    }
                    match name {
                        "td" | "th" => {
                            let cell = out.get(cell_start..).unwrap_or("");
                            if let Some(row) = rows.last_mut() {
                                if is_figure(cell) {
                                    row.1 += 1;
                                } else if cell.chars().any(char::is_alphabetic) {
                                    row.2 += 1;
                                }
                            }
                        }
                        "tr" => {
                            // a row of figures: more number cells than word cells
                            if let Some((start, figures, words)) = rows.pop() {
                                if numeric_tables == TableMode::Drop
                                    && figures >= 2
                                    && figures > words
                                {
                                    out.truncate(start);
                                }
                            }
                        }
                        _ => {}
                    }
                    if is_block(name) {
                        out.push('\n');
                    } else if matches!(name, "td" | "th") {
                        out.push(' ');
                    }
                }
            }
        }
    }
    out
}

/// Is this table cell a figure ("$ 1,234.5", "(12)%", "—") rather than words?
fn is_figure(cell: &str) -> bool {
    let t = cell.trim();
    t.chars().any(|c| c.is_ascii_digit())
        && t.chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || "$€£¥%.,()-–—+x\u{a0}".contains(c))
}

/// Appends `t` with each run of HTML whitespace (not the non-breaking space) as one space.
fn push_collapsed(out: &mut String, t: &str) {
    let mut in_space = out.ends_with(' ');
    for c in t.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c') {
            if !in_space {
                out.push(' ');
                in_space = true;
            }
        } else {
            out.push(c);
            in_space = false;
        }
    }
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
            <p>Smith&nbsp;Micro&#146;s  products</p><script>var x;</script></body></html>"#;
        let t = to_text(html, TableMode::Drop);
        assert!(!t.contains("SECRET") && !t.contains("HIDDEN") && !t.contains("var x"));
        assert!(t.contains("Item 1.  Business") || t.contains("Item 1. Business"));
        assert!(t.contains("Smith\u{a0}Micro\u{2019}s products"));
    }

    #[test]
    fn stripping_keeps_styles_that_matter() {
        let html = r#"<p style="font-size:10pt">a</p><ix:header>x</ix:header><div style="display:none">b</div><p style="margin-left:5pt">c"#;
        assert_eq!(
            strip_invisible_markup(html),
            r#"<p >a</p><div style="display:none">b</div><p style="margin-left:5pt">c"#
        );
        assert_eq!(
            strip_invisible_markup("<p style=\"unclosed"),
            "<p style=\"unclosed"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow() {
        let html = "<div>".repeat(5_000) + "deep" + &"</div>".repeat(5_000);
        assert!(to_text(&html, TableMode::Drop).contains("deep"));
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
