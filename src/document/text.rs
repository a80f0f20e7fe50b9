//! Text normalization shared by every document format: decoding, invisible and look-alike
//! characters, and page furniture (page numbers, "Table of Contents" back-links, rules,
//! `<PAGE>` markers).
//!
//! Item 1 finding and summarization both work on lines, so the output is one trimmed line
//! per block of text with single blank lines between paragraphs.

/// Decodes a document: UTF-8 when valid, otherwise Windows-1252 (what EDGAR filers of the
/// 1990s and 2000s produced), so no byte is lost or turned into U+FFFD.
pub fn decode(raw: &[u8]) -> String {
    match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) => raw.iter().map(|&b| cp1252(b)).collect(),
    }
}

/// Windows-1252 to Unicode for one byte.
fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
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
    let core = lower
        .trim_matches(|c: char| c == '-' || c == '—' || c == '–' || c == ' ')
        .trim_start_matches("page")
        .trim();
    if !core.is_empty() && core.len() <= 4 && core.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
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

/// Normalizes raw text into trimmed lines with single blank lines between blocks.
pub fn normalize(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut blank_pending = false;
    let mut line = String::new();
    for raw_line in raw.lines() {
        line.clear();
        let mut space = true;
        for c in raw_line.chars().filter_map(visible) {
            if c == ' ' {
                if !space {
                    line.push(' ');
                    space = true;
                }
            } else {
                line.push(c);
                space = false;
            }
        }
        let l = line.trim_end();
        if l.is_empty() {
            blank_pending = !out.is_empty();
            continue;
        }
        if is_furniture(l) {
            continue;
        }
        if blank_pending {
            out.push('\n');
            blank_pending = false;
        }
        out.push_str(l);
        out.push('\n');
    }
    out
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
        let t = normalize("Item\u{a0}1.\u{a0}Business\n\n\n12\n- 13 -\nTable of Contents\n<PAGE>\nsoft\u{ad}ware  is   sold\n-----\nF-3\n");
        assert_eq!(t, "Item 1. Business\n\nsoftware is sold\n");
    }

    #[test]
    fn maps_c1_controls_to_cp1252() {
        assert_eq!(normalize("Company\u{92}s\n"), "Company’s\n");
    }
}
