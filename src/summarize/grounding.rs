//! How far a summary keeps to its source: the share of its figures (numbers, percentages,
//! amounts) and capitalised names that occur in the Item 1 text.
//!
//! Why: a language model that writes a revenue share, a customer or a product the filing
//! does not contain is the failure an analyst cannot see in the summary alone, and figures
//! and names are what such inventions are made of. The comparison forgives what a faithful
//! summary changes: case, thousands separators, currency signs, a percent sign for the word.
//! An extractive summary is the filing's own sentences, so it scores 1.0 by construction.

use std::collections::HashSet;

/// The share of the summary's figures and names found in `source`, from 0 to 1; 1.0 for a
/// summary that has none.
pub fn grounding(summary: &str, source: &str) -> f64 {
    // words the source writes in lower case: capitalised only to open a sentence, they
    // are common words, not names ("Revenue grew" — but "Verizon accounted" is a name)
    let common: HashSet<&str> = source
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.starts_with(|c: char| c.is_lowercase()))
        .collect();
    let claims = claims(summary, &common);
    if claims.is_empty() {
        return 1.0;
    }
    let source = normalise(source);
    let found = claims
        .iter()
        .filter(|c| source.contains(&format!(" {c} ")))
        .count();
    found as f64 / claims.len() as f64
}

/// The figures and names of a summary, each normalised (`normalise`) without the padding.
/// A name is a run of words with a capital letter ("Smith Micro", "eBay"); a sentence's
/// first word opens one only when it is no `common` word.
fn claims(summary: &str, common: &HashSet<&str>) -> Vec<String> {
    let mut out = Vec::new();
    let mut name: Vec<&str> = Vec::new();
    let mut sentence_start = true;
    for raw in summary.split_whitespace() {
        let word = raw.trim_matches(|c: char| !c.is_alphanumeric() && !CURRENCY.contains(&c));
        let figure = word.chars().any(|c| c.is_ascii_digit());
        let capitalised = !figure && word.chars().any(char::is_uppercase);
        let opener = sentence_start && name.is_empty() && is_plain_word(word);
        if capitalised && !(opener && common.contains(word.to_lowercase().as_str())) {
            name.push(word);
        }
        // a name is a run of capitalised words: any other word, or punctuation, ends it
        let ends_name = !capitalised || raw.ends_with(|c: char| !c.is_alphanumeric());
        if ends_name && !name.is_empty() {
            out.push(normalise(&name.join(" ")));
            name.clear();
        }
        if figure {
            out.push(normalise(word));
        }
        sentence_start = raw.ends_with(['.', '!', '?', ':']);
    }
    if !name.is_empty() {
        out.push(normalise(&name.join(" ")));
    }
    out.retain(|c| !c.trim().is_empty());
    out.iter_mut().for_each(|c| *c = c.trim().to_string());
    out
}

/// A word that may be capitalised only because it opens a sentence ("Revenue", "The"):
/// one capital, first. "IBM" or "eBay" are names anywhere.
fn is_plain_word(word: &str) -> bool {
    word.starts_with(|c: char| c.is_uppercase()) && word.chars().skip(1).all(|c| !c.is_uppercase())
}

const CURRENCY: [char; 5] = ['$', '€', '£', '¥', '₹'];

/// Lower case; currency signs and thousands separators gone; a decimal point kept between
/// digits; every other run of non-alphanumerics (the percent sign among them) one space;
/// padded with a space at both ends, so a claim is looked up as whole words.
fn normalise(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 2);
    out.push(' ');
    for (i, &c) in chars.iter().enumerate() {
        let between_digits = i > 0
            && chars[i - 1].is_ascii_digit()
            && chars.get(i + 1).is_some_and(char::is_ascii_digit);
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if CURRENCY.contains(&c) || (c == ',' && between_digits) {
            continue;
        } else if c == '.' && between_digits {
            out.push('.');
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "Smith Micro Software, Inc. develops software. Sprint accounted for \
        1,234 thousand dollars, or 45 percent of revenues, and SafePath grew to $2.5 million.";

    #[test]
    fn the_sources_own_sentences_are_wholly_grounded() {
        let summary = "Sprint accounted for 1,234 thousand dollars, or 45 percent of revenues, \
            and SafePath grew to $2.5 million.";
        assert_eq!(grounding(summary, SOURCE), 1.0);
    }

    #[test]
    fn case_separators_currency_and_percent_signs_are_forgiven() {
        let summary = "SPRINT accounted for 1234 thousand dollars (45%); SafePath: 2.5 million.";
        assert_eq!(grounding(summary, SOURCE), 1.0);
    }

    #[test]
    fn an_invented_figure_and_an_invented_name_count_against_it() {
        let summary = "Smith Micro Software sells to Verizon, which is 30% of revenue, and 45%.";
        assert_eq!(
            claims(summary, &HashSet::new()),
            ["smith micro software", "verizon", "30", "45"]
        );
        assert_eq!(grounding(summary, SOURCE), 0.5);
        // a name that opens a sentence is a claim too
        let opening = "Verizon accounted for 45 percent of revenues.";
        assert_eq!(grounding(opening, SOURCE), 0.5);
    }

    #[test]
    fn a_word_capitalised_only_to_open_a_sentence_is_no_name() {
        let common = HashSet::from(["revenue", "customers", "the", "it"]);
        assert_eq!(
            claims(
                "Revenue grew. Customers buy SafePath. IBM and eBay resell it.",
                &common
            ),
            ["safepath", "ibm", "ebay"]
        );
        assert!(claims("The company sells software.", &common).is_empty());
        // a figure inside a name parts it
        assert_eq!(
            claims("It filed a Form S-1 Registration Statement.", &common),
            ["form", "s 1", "registration statement"]
        );
    }
}
