//! Sentence segmentation for 10-K prose.
//!
//! Item 1 text mixes hard-wrapped paragraphs (old `.txt` filings), one-block-per-line HTML
//! text, bullets laid out as tables, headings and table rows. Paragraphs are the blank-line
//! separated blocks; lines inside a paragraph are joined; sentences end at `.`, `!` or `?`
//! followed by a space and a capital, digit, quote or bullet — unless the period closes a
//! known abbreviation ("Inc.", "U.S.", "No.", "e.g.") or an initial. What is a heading
//! (`is_heading`: a short, mostly capitalised line; `is_title`: every word capitalised but
//! the small connectors, even with a period) is decided here too, since a heading line must
//! stay apart from the paragraph under it. A page break can cut a sentence in two and leave
//! a running header, a page number or a footnote in between: those are taken out and the
//! halves joined again (`rejoin`). A short list laid out as bullets, a lead-in ending with a
//! colon and items ending with semicolons, is one sentence and is joined into one
//! paragraph (`join_lists`).

const ABBREVIATIONS: &[&str] = &[
    "inc", "corp", "co", "ltd", "llc", "l.l.c", "plc", "n.a", "s.a", "n.v", "b.v", "no", "nos",
    "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "messrs", "mmes", "dr", "prof", "st", "jr", "sr",
    "u.s", "u.k", "u.s.a", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
    "nov", "dec", "approx", "fig", "dept", "est", "ave", "blvd", "cf", "al", "sec", "bros", "intl",
    "assn", "sdn", "bhd", "pty", "pte", "gmbh", "s.p.a", "k.k",
];

/// Is the word ending just before a period an abbreviation or an initial?
fn is_abbreviation(word: &str) -> bool {
    let w = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    if w.chars().count() == 1 && w.chars().all(char::is_alphabetic) {
        return true; // an initial: "J. Smith", "U.S." piecewise
    }
    let lower = w.to_lowercase();
    // dotted initials of any kind: "S.W", "A.M", "N.Y"
    let dotted = w.contains('.')
        && w.split('.')
            .all(|p| (1..=2).contains(&p.chars().count()) && p.chars().all(char::is_alphabetic));
    dotted || ABBREVIATIONS.contains(&lower.as_str())
}

/// Bullet characters that start list items.
fn strip_bullet(s: &str) -> &str {
    s.trim_start_matches(|c: char| {
        matches!(
            c,
            '•' | '●'
                | '◦'
                | '▪'
                | '■'
                | '·'
                | '|'
                | '-'
                | '*'
                | '–'
                | '—'
                | '○'
                | '§'
                | '✓'
                | '♦'
        ) || c.is_whitespace()
    })
}

/// Splits `text` into paragraphs, each a single line of joined text: sentences a page break
/// cut in two mended (`rejoin`), short lists joined to their lead-ins (`join_lists`).
pub fn paragraphs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if is_page_furniture(l) {
            continue;
        }
        let l = strip_bullet(l);
        if l.is_empty() {
            continue;
        }
        // a heading on a line of its own, after a finished sentence or another heading,
        // is a paragraph of its own, even without a blank line under it ("General" above
        // its text): joined, it would run into the sentence
        let after_sentence = cur.is_empty() || cur.ends_with(['.', ':', ';', '!', '?']);
        let last_word = l.rsplit(' ').next().unwrap_or_default();
        let continues = TITLE_CONNECTORS
            .iter()
            .any(|c| c.eq_ignore_ascii_case(last_word));
        if after_sentence && !l.ends_with('.') && !continues && is_heading(l) {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            out.push(l.to_string());
            continue;
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(l);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    join_lists(rejoin(out))
}

/// The most words a list joined to its lead-in may have (`join_lists`).
const LIST_WORDS: usize = 90;

/// Joins a short list to the paragraph that leads into it ("We are a global pump company
/// primarily offering:" and the items "pumps for utilities;", "valves; and", "meters."),
/// so that the list reads as the one sentence it is; apart, none of them is one. A list
/// is two or more items, each but the last ending with a semicolon, the last with a stop,
/// of at most `LIST_WORDS` words with its lead-in.
fn join_lists(paragraphs: Vec<String>) -> Vec<String> {
    // an item that is a clause, not a label and its sentences ("Advisory. Advisory
    // includes…")
    let one_clause = |p: &str| !p.trim_end_matches('.').contains(". ");
    let ends_item = |p: &str| without_conjunction(p).ends_with(';') && one_clause(p);
    let mut out: Vec<String> = Vec::with_capacity(paragraphs.len());
    let mut i = 0;
    while i < paragraphs.len() {
        let lead = &paragraphs[i];
        // a heading ("Customers:") keeps its place as one
        let items = if lead.trim_end().ends_with(':') && !is_heading(lead) {
            let run = paragraphs[i + 1..]
                .iter()
                .take_while(|p| ends_item(p))
                .count();
            let last = paragraphs.get(i + 1 + run);
            // the closing item follows "…; and" or is short: not the prose after a list
            let before_last = paragraphs[i + run].trim_end();
            let announced = without_conjunction(before_last).len() < before_last.len();
            let closed = last.is_some_and(|p| {
                p.trim_end().ends_with('.')
                    && one_clause(p)
                    && (announced || p.split_whitespace().count() <= 30)
            });
            let words: usize = paragraphs[i..=(i + 1 + run).min(paragraphs.len() - 1)]
                .iter()
                .map(|p| p.split_whitespace().count())
                .sum();
            (run >= 1 && closed && words <= LIST_WORDS).then_some(run + 1)
        } else {
            None
        };
        match items {
            Some(n) => {
                out.push(paragraphs[i..=i + n].join(" "));
                i += n + 1;
            }
            None => {
                out.push(lead.clone());
                i += 1;
            }
        }
    }
    out
}

/// Is `para` the tail of a list item the paragraph before it leads into, no sentence of its
/// own: the item after "…; and" or "…; or", which closes the list, or, after a colon or an
/// item ending with a semicolon, an item that opens with a figure ("$2.0 billion for…") or
/// with an action named as a noun ("Launch of two new cards…", "Announcement of…")? Items
/// that are sentences ("Acme Rx provides…") stay.
pub fn list_tail(before: &str, para: &str) -> bool {
    let end = without_conjunction(before);
    if !end.ends_with([';', ':']) {
        return false;
    }
    // the item that closes a list ("…; and" / "the fair value of our rights.")
    if end.len() < before.trim_end().len() && end.ends_with(';') {
        return true;
    }
    let (first, rest) = para.split_once(' ').unwrap_or((para, ""));
    let first = first.to_lowercase();
    let action = rest.starts_with("of ")
        && (["tion", "sion", "ment", "ance", "ence"]
            .iter()
            .any(|e| first.ends_with(e))
            || ["launch", "opening", "purchase"].contains(&first.as_str()));
    action || para.starts_with(|c: char| c.is_ascii_digit() || c == '$')
}

/// A list item's text without the conjunction that announces the last item ("valves; and"
/// → "valves;").
fn without_conjunction(item: &str) -> &str {
    let item = item.trim_end();
    item.strip_suffix(" and")
        .or_else(|| item.strip_suffix(" or"))
        .unwrap_or(item)
}

/// A running header or page number a page break left in the text: "Item 1. Business
/// (Continued)", "-12-", "Page 12".
fn is_page_furniture(line: &str) -> bool {
    // a page number is short and a running header ends in ")": most lines are neither
    if line.len() > 12 && !line.ends_with(')') {
        return false;
    }
    let lower = line.to_lowercase();
    let header = lower.starts_with("item ")
        && (lower.ends_with("(continued)")
            || lower.ends_with("(cont'd)")
            || lower.ends_with("(cont.)"));
    let number = |s: &str| !s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit());
    let page = lower
        .strip_prefix('-')
        .and_then(|r| r.strip_suffix('-'))
        .or_else(|| lower.strip_prefix("page "))
        .is_some_and(|n| number(n.trim()));
    header || page
}

/// Does a paragraph stop mid-sentence: prose of some length that ends without a stop?
fn unfinished(paragraph: &str) -> bool {
    !paragraph.ends_with(['.', '!', '?', ':', ';', '"', '”', ')'])
        && paragraph.split_whitespace().nth(5).is_some()
        && !is_heading(paragraph)
}

/// Does a paragraph open with a footnote marker: "{2}", "(1)", "*"?
fn is_footnote(paragraph: &str) -> bool {
    let marked = |open: char, close: char| {
        paragraph
            .strip_prefix(open)
            .and_then(|r| r.split_once(close))
            .is_some_and(|(n, _)| {
                (1..=2).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit())
            })
    };
    marked('{', '}') || marked('(', ')') || paragraph.starts_with('*')
}

/// Mends sentences a page break cut in two: a paragraph that stops mid-sentence goes on
/// with the next one when that opens in lower case, or with the one after a footnote that
/// the page put in between (the footnote follows the mended paragraph).
fn rejoin(paragraphs: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(paragraphs.len());
    let mut footnotes: Vec<String> = Vec::new();
    let mut open = false;
    for p in paragraphs {
        if open && is_footnote(&p) {
            footnotes.push(p);
            continue;
        }
        let goes_on = |last: &str| {
            p.starts_with(|c: char| c.is_lowercase())
                || bracketed_word(&p)
                || (mid_clause(last) && !is_heading(&p))
        };
        match out.last_mut() {
            Some(last) if open && (!footnotes.is_empty() || goes_on(last)) => {
                last.push(' ');
                last.push_str(&p);
            }
            _ => out.push(p),
        }
        open = out.last().is_some_and(|l| unfinished(l));
        if !open {
            out.append(&mut footnotes);
        }
    }
    out.append(&mut footnotes);
    out
}

/// Does a paragraph open with a bracketed word, "(acmetoxin sodium), …": the rest of a
/// sentence whose name the page break left behind. An enumerator, "(a)", "(iv)", is short.
fn bracketed_word(paragraph: &str) -> bool {
    paragraph.strip_prefix('(').is_some_and(|rest| {
        let word = rest
            .split(|c: char| !c.is_alphabetic())
            .next()
            .unwrap_or_default();
        word.chars().count() >= 5 && word.starts_with(char::is_lowercase)
    })
}

/// Does a long paragraph stop in the middle of a clause, "…participate in one of
/// three": at least `MID_CLAUSE_WORDS` words, ending in a word in lower case that closes
/// no list item ("…; and").
fn mid_clause(paragraph: &str) -> bool {
    let mut words = paragraph.split_whitespace().rev();
    let last = words.next().unwrap_or_default();
    let before = words.next().unwrap_or_default();
    last.chars().all(char::is_lowercase)
        && !before.ends_with([',', ';'])
        && paragraph
            .split_whitespace()
            .nth(MID_CLAUSE_WORDS - 1)
            .is_some()
}

/// The fewest words of a paragraph that `mid_clause` takes for prose cut by a page break
/// (a list item or a heading in lower case is shorter).
const MID_CLAUSE_WORDS: usize = 20;

/// Is this paragraph (or short sentence) a heading: a few words, no closing punctuation
/// other than a period, starting with a capital, mostly capitalised words?
pub fn is_heading(s: &str) -> bool {
    let t = s.trim().trim_end_matches(['.', ':']);
    // at most 80 characters, so at most 320 bytes: a paragraph is known long at a glance
    if t.len() > 320 || t.chars().count() > 80 {
        return false;
    }
    let words: Vec<&str> = t.split_whitespace().collect();
    if words.is_empty() || words.len() > 8 {
        return false;
    }
    if t.ends_with([',', ';']) || !t.starts_with(|c: char| c.is_uppercase()) {
        return false;
    }
    let capitalised = words
        .iter()
        .filter(|w| w.starts_with(|c: char| c.is_uppercase() || !c.is_alphabetic()))
        .count();
    capitalised * 3 >= words.len() * 2
}

/// Small words a title leaves in lower case ("Transfer of Funds from Subsidiary Banks").
pub const TITLE_CONNECTORS: &[&str] = &[
    "and", "of", "&", "the", "for", "to", "from", "in", "on", "with", "a", "an", "or", "by", "at",
];

/// The most words a title has.
const TITLE_MAX_WORDS: usize = 16;

/// Is this sentence a title (a heading with a period, a name and position in a list of
/// officers): a few words, every one capitalised but the small connecting ones, so no verb
/// or noun in lower case says anything about it? A sentence in capitals is no title (older
/// filings shout whole paragraphs).
pub fn is_title(s: &str) -> bool {
    if !s.chars().any(char::is_lowercase) {
        return false;
    }
    let mut words = 0;
    for w in s.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric() && c != '&');
        if !w.starts_with(|c: char| c.is_alphabetic() || c == '&') {
            continue;
        }
        words += 1;
        let small = TITLE_CONNECTORS.iter().any(|k| k.eq_ignore_ascii_case(w));
        if words > TITLE_MAX_WORDS || !(w.starts_with(char::is_uppercase) || small) {
            return false;
        }
    }
    words >= 2
}

/// Splits one paragraph into sentences.
pub fn split(paragraph: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = paragraph.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if matches!(b, b'.' | b'!' | b'?') {
            // closing quotes and brackets belong to the sentence they end
            let closers: usize = paragraph[i + 1..]
                .chars()
                .take_while(|c| matches!(c, '"' | '\'' | ')' | ']' | '”' | '’'))
                .map(char::len_utf8)
                .sum();
            let j = i + 1 + closers;
            let rest = &paragraph[j..];
            let followed_by_break = rest.is_empty()
                || (rest.starts_with(' ')
                    && rest.trim_start().chars().next().is_some_and(|c| {
                        c.is_uppercase()
                            || c.is_ascii_digit()
                            || matches!(c, '"' | '“' | '(' | '•' | '$')
                    }));
            if followed_by_break {
                let before = &paragraph[start..i];
                let last_word = before.rsplit(' ').next().unwrap_or("");
                // a quote the stop closes ends the title with the sentence
                let in_title = || quoted_item(before) && !paragraph[i + 1..j].contains('”');
                if b != b'.' || !(is_abbreviation(last_word) || in_title()) {
                    let s = paragraph[start..j].trim();
                    if !s.is_empty() {
                        out.push(s);
                    }
                    start = j;
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    let tail = paragraph[start..].trim();
    if !tail.is_empty() {
        out.push(tail);
    }
    out
}

/// Does `before` end inside a quoted title at an item's number ("…described in “Item 1.
/// Business - Plan of Operation” below.")? The period is the item's, not the sentence's.
fn quoted_item(before: &str) -> bool {
    let mut words = before.rsplit(' ');
    let (number, item) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let open = before.matches('“').count() > before.matches('”').count();
    open && item.trim_start_matches('“').eq_ignore_ascii_case("item")
        && number.len() <= 3
        && number.starts_with(|c: char| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_abbreviations_and_decimals_inside_sentences() {
        let p = "Acme Micro Software, Inc. generated $7.9 million in cash. We sell in the U.S. and Europe. See No. 5, e.g. Acme Corp. today! Done?";
        assert_eq!(
            split(p),
            vec![
                "Acme Micro Software, Inc. generated $7.9 million in cash.",
                "We sell in the U.S. and Europe.",
                "See No. 5, e.g. Acme Corp. today!",
                "Done?"
            ]
        );
        let r = "Directors other than Messrs. Doe and Roe qualify as independent. It grew.";
        assert_eq!(
            split(r),
            vec![
                "Directors other than Messrs. Doe and Roe qualify as independent.",
                "It grew."
            ]
        );
        let q = "Offices are at 702 S.W. 8th Street. A.M. Best rates it A+. It grew.";
        assert_eq!(
            split(q),
            vec![
                "Offices are at 702 S.W. 8th Street.",
                "A.M. Best rates it A+.",
                "It grew."
            ]
        );
    }

    #[test]
    fn an_items_number_inside_a_quoted_title_ends_no_sentence() {
        let p = "The deadlines are detailed in “Item 1. Business - Plan of Operation” below. \
            For more, see Item 7. Management believes the plan is sound. \
            Risks are set out in “Item 1A.” Customers buy our pumps.";
        assert_eq!(
            split(p),
            vec![
                "The deadlines are detailed in “Item 1. Business - Plan of Operation” below.",
                "For more, see Item 7.",
                "Management believes the plan is sound.",
                "Risks are set out in “Item 1A.”",
                "Customers buy our pumps."
            ]
        );
    }

    #[test]
    fn joins_wrapped_lines_and_strips_bullets() {
        let t = "We make\nwidgets for cars.\n\n• | Fast delivery;\n";
        assert_eq!(
            paragraphs(t),
            vec!["We make widgets for cars.", "Fast delivery;"]
        );
    }

    #[test]
    fn a_sentence_cut_by_a_page_break_or_a_footnote_is_mended() {
        let text =
            "The principal business of the Bank consists of attracting savings deposits from\n\
            Item 1. Business (Continued)\n\n-2-\n\n\
            the public and making loans on real estate.\n\n\
            Acme Bottling and its subsidiaries accounted for approximately 48% of the\n\n\
            {2} The Company measures sales volume in two ways.\n\n\
            Company's gallon shipments in 1997. The Company holds 44% of Acme Bottling.";
        assert_eq!(
            paragraphs(text),
            vec![
                "The principal business of the Bank consists of attracting savings deposits from \
                 the public and making loans on real estate.",
                "Acme Bottling and its subsidiaries accounted for approximately 48% of the \
                 Company's gallon shipments in 1997. The Company holds 44% of Acme Bottling.",
                "{2} The Company measures sales volume in two ways.",
            ]
        );
    }

    #[test]
    fn a_page_break_before_a_bracketed_word_or_after_a_clause_is_mended() {
        let text = "This is the case with the following major products: Acme, Acmexin\n\n\
            (acmetoxin sodium), Acmerox and Acmecor.\n\n\
            Membership levels are aligned with specific card products to better meet the \
            needs of cardmembers, who participate in one of three\n\n\
            Loyalty Plus levels based on the card they have.\n\n\
            We offer three programs to our many loyal and valued customers across the nation, \
            the first for households, the second for small companies; and\n\n\
            Corporate programs for large companies.\n\n\
            (a) Acme sells pumps.";
        assert_eq!(
            paragraphs(text),
            vec![
                "This is the case with the following major products: Acme, Acmexin \
                 (acmetoxin sodium), Acmerox and Acmecor.",
                "Membership levels are aligned with specific card products to better meet the \
                 needs of cardmembers, who participate in one of three Loyalty Plus \
                 levels based on the card they have.",
                "We offer three programs to our many loyal and valued customers across the \
                 nation, the first for households, the second for small companies; and",
                "Corporate programs for large companies.",
                "(a) Acme sells pumps.",
            ]
        );
    }

    #[test]
    fn a_heading_line_stays_apart_from_the_text_under_it() {
        let t = "Item 1. BUSINESS\nGeneral\n Providing software is our mission. We sell\nSoftware Products And Services\nto carriers.\nCustomers\nCarriers buy it.\nAcme Corporation and\nZenco buy it.";
        assert_eq!(
            paragraphs(t),
            vec![
                "Item 1. BUSINESS",
                "General",
                "Providing software is our mission. We sell Software Products And Services to carriers.",
                "Customers",
                "Carriers buy it. Acme Corporation and Zenco buy it."
            ]
        );
    }

    #[test]
    fn titles_are_no_sentences() {
        for t in [
            "Transfer of Funds from Subsidiary Banks.",
            "Development Boards, Kits and Configuration Products.",
            "Jane Acme Executive Vice President, General Counsel & Corporate Secretary.",
        ] {
            assert!(is_title(t), "{t}");
        }
        for s in [
            "Acme launched Acmeview XP in October 2001.",
            "Customers include OEMs, distributors and system integrators.",
            "AND WILL NEED ADDITIONAL FINANCING TO EXECUTE ANY BUSINESS PLAN.",
        ] {
            assert!(!is_title(s), "{s}");
        }
    }

    #[test]
    fn a_short_list_is_one_paragraph_with_its_lead_in() {
        let list = "We make:\n\npumps for water utilities;\n\nvalves; and\n\nrepair services.";
        assert_eq!(
            paragraphs(list),
            ["We make: pumps for water utilities; valves; and repair services."]
        );
        // a long list stays apart, and an unclosed one too
        let long = format!(
            "Our products include:\n\n{}valves.",
            "pumps of every size and kind for utilities, farms and homes;\n\n".repeat(8)
        );
        assert_eq!(paragraphs(&long).len(), 10);
        let open = "Our products include:\n\npumps;\n\nvalves;";
        assert_eq!(paragraphs(open).len(), 3);
        // items that are a label and its sentences are no clauses of one sentence
        let labels = "Our work is of two kinds:\n\nAdvisory. Advisory covers mergers; and\n\n\
            Lending. Lending covers loans.";
        assert_eq!(paragraphs(labels).len(), 3);
        // a heading keeps its place; the prose after an unclosed list is no item
        let heading = "Customers:\n\nutilities;\n\nfarms; and\n\nhomes.";
        assert_eq!(paragraphs(heading).len(), 4);
        let prose =
            "We sell:\n\npumps;\n\nvalves;\n\nOur largest customer is a utility that has bought \
            pumps from us for more than thirty years and plans to buy many more of them in every \
            one of the coming years.";
        assert_eq!(paragraphs(prose).len(), 4);
    }

    #[test]
    fn the_tail_of_a_list_item_is_known_by_what_came_before() {
        // the tail of a list item, after a lead-in or a semicolon
        assert!(list_tail(
            "• $2.4 billion for a first event in Ohio; and",
            "$2.0 billion for any other event."
        ));
        assert!(list_tail(
            "Highlights of the year included:",
            "Launch of two new pump lines with our partners."
        ));
        assert!(list_tail(
            "• The gain on our forward commitments; and",
            "The fair value of our servicing rights."
        ));
        assert!(!list_tail(
            "We have three segments:",
            "Acme Rx provides pharmacy services to members."
        ));
        assert!(!list_tail(
            "We make pumps.",
            "$2.0 billion of sales came from pumps."
        ));
    }
}
