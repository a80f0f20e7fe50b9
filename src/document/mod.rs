//! A 10-K primary document (HTML, inline XBRL, SGML `.txt`, or plain text) to clean text.
//!
//! Every later stage works on the same clean text, so offsets reported by `item1` point
//! into exactly what `tenk extract --json` shows.

pub mod html;
pub mod sgml;
pub mod text;

pub use crate::config::TableMode;

/// Does this text carry HTML markup? Plain-text filings of the 1990s use SGML table tags
/// (`<TABLE>`, `<S>`, `<C>`, `<PAGE>`) that must not switch on HTML whitespace rules.
fn looks_like_html(text: &str) -> bool {
    let head = &text[..sgml::floor_char_boundary(text, 8192)].to_ascii_lowercase();
    [
        "<html",
        "<body",
        "<div",
        "<font",
        "<br>",
        "<br/>",
        "<br />",
        "<p ",
        "<p>",
        "</p>",
        "<span",
        "<td",
        "<!doctype html",
        "<?xml",
    ]
    .iter()
    .any(|t| head.contains(t))
}

/// A document's clean text and where its printed pages begin in it.
#[derive(Debug, Clone, Default)]
pub struct Clean {
    pub text: String,
    pub pages: Vec<text::PageStart>,
}

/// The clean text of a document given as raw bytes, with its page table.
pub fn clean(raw: &[u8], numeric_tables: TableMode) -> Clean {
    let decoded = text::decode(raw);
    let body = if sgml::is_sgml(&decoded) {
        sgml::annual_report_text(&decoded).unwrap_or(&decoded)
    } else {
        &decoded
    };
    let visible = if looks_like_html(body) {
        std::borrow::Cow::Owned(html::to_text(body, numeric_tables))
    } else {
        std::borrow::Cow::Borrowed(body)
    };
    let (text, pages) = text::normalize(visible);
    Clean { text, pages }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The clean text of an inline-XBRL 10-K: the body's words, none of the facts and
    /// contexts of its hidden `ix:header`.
    fn assert_header_is_not_text(raw: &[u8]) {
        let t = clean(raw, TableMode::Drop).text;
        assert!(t.contains("Item 1."));
        assert!(!t.contains("<"), "no markup left");
        assert!(!t.contains("us-gaap:"), "hidden ix:header facts dropped");
    }

    #[test]
    fn inline_xbrl_header_is_not_text() {
        let raw = std::fs::read(
            "tests/fixtures/edgar/Archives/edgar/data/320193/000032019325000079/aapl-20250927.htm",
        )
        .unwrap();
        assert!(String::from_utf8_lossy(&raw).contains(">us-gaap:ServiceMember<"));
        assert_header_is_not_text(&raw);
    }

    #[test]
    fn inline_xbrl_header_of_a_real_filing_is_not_text() {
        let Some(corpus) = crate::test_support::corpus("document real inline-XBRL filing") else {
            return;
        };
        assert_header_is_not_text(
            &std::fs::read(corpus.join("filings/0000320193-25-000079.htm")).unwrap(),
        );
    }
}
