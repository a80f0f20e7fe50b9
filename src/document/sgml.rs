//! SGML submissions (`.txt`): the complete submission of the 1990s and 2000s, with its PEM
//! wrapper, `<IMS-HEADER>`/`<SEC-HEADER>` and one `<DOCUMENT>` per exhibit, or a bare
//! primary document wrapped only in `<DOCUMENT>`.
//!
//! tenk wants the 10-K itself: the first `<DOCUMENT>` whose `<TYPE>` is of the 10-K family,
//! and only its `<TEXT>`.

use crate::edgar::filing::is_annual_report;

/// Does this text look like an SGML submission or document envelope?
pub fn is_sgml(text: &str) -> bool {
    let head = &text[..floor_char_boundary(text, 8192)];
    head.contains("<DOCUMENT>")
        || head.contains("<SEC-DOCUMENT>")
        || head.contains("<IMS-DOCUMENT>")
}

/// The body of the 10-K `<DOCUMENT>` (its `<TEXT>` part), or of the first document when
/// none is typed as a 10-K; `None` when there is no `<DOCUMENT>` at all.
pub fn annual_report_text(text: &str) -> Option<&str> {
    let mut first = None;
    let mut rest = text;
    while let Some(start) = rest.find("<DOCUMENT>") {
        let doc = &rest[start + "<DOCUMENT>".len()..];
        let end = doc.find("</DOCUMENT>").unwrap_or(doc.len());
        let body = &doc[..end];
        let ty = tag_value(body, "<TYPE>").unwrap_or("");
        let inner = text_part(body);
        if is_annual_report(ty, true) {
            return Some(inner);
        }
        first.get_or_insert(inner);
        rest = &doc[end..];
    }
    first
}

fn tag_value<'a>(body: &'a str, tag: &str) -> Option<&'a str> {
    let i = body.find(tag)? + tag.len();
    let line = body[i..].lines().next().unwrap_or("");
    Some(line.trim())
}

fn text_part(body: &str) -> &str {
    let start = body.find("<TEXT>").map(|i| i + "<TEXT>".len()).unwrap_or(0);
    let tail = &body[start..];
    let end = tail.find("</TEXT>").unwrap_or(tail.len());
    &tail[..end]
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_10k_document_of_a_full_submission() {
        let raw = std::fs::read("../shared/corpus/filings/0000040545-94-000003.txt").unwrap();
        let text = String::from_utf8_lossy(&raw);
        assert!(is_sgml(&text));
        let doc = annual_report_text(&text).unwrap();
        assert!(!doc.contains("<IMS-HEADER>"));
        assert!(!doc.contains("<TYPE>EX-"));
        assert!(doc.len() < text.len());
    }

    #[test]
    fn finds_the_10ksb_spelled_without_hyphen() {
        let raw = std::fs::read("../shared/corpus/filings/0000930413-08-001093.txt").unwrap();
        let text = String::from_utf8_lossy(&raw);
        let doc = annual_report_text(&text).unwrap();
        assert!(doc.to_ascii_lowercase().contains("item 1"));
    }
}
