//! The forms tenk processes: the 10-K family as EDGAR spells it. A leaf of its own because
//! both the crawler (which filings to take) and the document reader (which document of an
//! SGML submission is the report) must know it, and neither may depend on the other.

/// Is `form` one of the 10-K family tenk processes? EDGAR spells 10-KSB both `10-KSB` and
/// `10KSB`; amendments (`/A`) are accepted only when asked for.
pub fn is_annual_report(form: &str, include_amendments: bool) -> bool {
    let f = form.trim().to_ascii_uppercase();
    let (base, amended) = match f.strip_suffix("/A") {
        Some(b) => (b, true),
        None => (f.as_str(), false),
    };
    if amended && !include_amendments {
        return false;
    }
    matches!(
        base,
        "10-K" | "10-K405" | "10-KSB" | "10KSB" | "10-KSB40" | "10KSB40" | "10-KT" | "10-KT405"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annual_report_forms() {
        assert!(is_annual_report("10-K", false));
        assert!(is_annual_report("10KSB", false));
        assert!(is_annual_report("10-K405", false));
        assert!(!is_annual_report("10-K/A", false));
        assert!(is_annual_report("10-K/A", true));
        assert!(!is_annual_report("10-Q", true));
    }
}
