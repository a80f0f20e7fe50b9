//! SGML submissions (`.txt`): the complete submission of the 1990s and 2000s, with its PEM
//! wrapper, `<IMS-HEADER>`/`<SEC-HEADER>` and one `<DOCUMENT>` per exhibit, or a bare
//! primary document wrapped only in `<DOCUMENT>`.
//!
//! tenk wants the 10-K itself: the first `<DOCUMENT>` whose `<TYPE>` is of the 10-K family,
//! and only its `<TEXT>`.

use crate::form::is_annual_report;

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

    /// Checks that `annual_report_text` keeps the 10-K's text and nothing of the envelope,
    /// the header (`header_tag`) or the exhibits.
    fn assert_picks_the_10k(text: &str, header_tag: &str) -> String {
        assert!(is_sgml(text));
        let doc = annual_report_text(text).unwrap();
        assert!(text.contains(header_tag) && !doc.contains(header_tag));
        assert!(!doc.contains("<TYPE>") && !doc.contains("<DOCUMENT>"));
        assert!(doc.len() < text.len());
        doc.to_string()
    }

    #[test]
    fn picks_the_10k_document_of_a_full_submission() {
        // the fixture mirror's 10-K405 submission: PEM wrapper, SEC header, the 10-K, then
        // an EX-13 (with an "ITEM 1" line of its own) and an EX-27
        let raw = std::fs::read(
            "tests/fixtures/edgar/Archives/edgar/data/64978/000095013096000896/0000950130-96-000896.txt",
        )
        .unwrap();
        let doc = assert_picks_the_10k(&String::from_utf8_lossy(&raw), "<SEC-HEADER>");
        assert!(doc.contains("ITEM 1. BUSINESS.") && doc.contains("SIGNATURES"));
        assert!(!doc.contains("FINANCIAL REVIEW") && !doc.contains("<ARTICLE>"));
    }

    #[test]
    fn picks_the_10k_document_of_a_real_1994_submission() {
        let Some(corpus) = crate::test_support::corpus("document::sgml real 1994 submission")
        else {
            return;
        };
        let raw = std::fs::read(corpus.join("filings/0000040545-94-000003.txt")).unwrap();
        assert_picks_the_10k(&String::from_utf8_lossy(&raw), "<IMS-HEADER>");
    }

    #[test]
    fn finds_the_10ksb_spelled_without_hyphen() {
        // the type, not the order, makes the annual report: here an exhibit comes first
        let text =
            "<SEC-DOCUMENT>\n<DOCUMENT>\n<TYPE>EX-31.1\n<SEQUENCE>2\n<TEXT>\nCERTIFICATION\n\
                    </TEXT>\n</DOCUMENT>\n<DOCUMENT>\n<TYPE>10KSB\n<SEQUENCE>1\n<TEXT>\n\
                    ITEM 1. DESCRIPTION OF BUSINESS\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n";
        let doc = annual_report_text(text).unwrap();
        assert_eq!(doc.trim(), "ITEM 1. DESCRIPTION OF BUSINESS");
    }
}
