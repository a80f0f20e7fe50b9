//! Item 1 ("Business"): the section a summary is made from.
//!
//! Item 1 is found by the sectioner of every item (`items`), like any other item; this
//! module is what the summarizer, the pipeline's Item 1 columns and `tenk extract` without
//! `--item` need of it: the section, and the text a summary is made from when a document
//! has no Item 1 heading (a file that holds only the section).

use crate::document::Clean;
use crate::items::{ItemId, Section, Sections};

pub use crate::items::{Method, Status};

/// Item 1 of one filing: where it is in the clean text and what it says.
pub type Item1 = Section;

/// Finds Item 1 in a cleaned document: by item headings; when the body has none, through
/// a cross-reference index that maps Item 1 to a printed page (the document's page table
/// says where each page begins) or to a heading; else by bare section titles.
pub fn locate(doc: &Clean) -> Item1 {
    crate::items::locate(doc, ItemId::I1)
}

/// Finds Item 1 in clean text that comes without its page table (a text a user gives):
/// as `locate`, without a cross-reference index to pages.
pub fn find(text: &str) -> Item1 {
    Sections::with_pages(text, &[]).get(ItemId::I1)
}

/// The text a summary of `doc` is made from: its Item 1, or, when it has no Item 1 heading,
/// the whole text (a file that holds only the section).
pub fn summary_source<'a>(doc: &'a Clean, item: &'a Item1) -> &'a str {
    if item.status.has_text() {
        &item.text
    } else {
        &doc.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_in_title_before_non_ascii_text_and_trailing_spaces_does_not_panic() {
        for text in [
            "Item 1. Business. Über uns — wir verkaufen Pumpen.   ",
            "Item 1. Business.   \u{a0}Ünternehmen ☃ ",
            "ITEM 1. BUSINESS. é   \nItem 2. Properties.   ",
            "Item 1. Business. ",
        ] {
            let item = find(text);
            assert!(item.text.len() <= text.len(), "{text:?}");
        }
    }
}
