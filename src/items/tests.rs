//! The sectioner on constructed texts (each rule and trap), and each status on real corpus
//! filings.

use super::*;

fn find(text: &str, item: ItemId) -> Section {
    Sections::with_pages(text, &[]).get(item)
}

/// A body of `n` lines of prose.
fn prose(line: &str, n: usize) -> String {
    format!("{line}\n").repeat(n)
}

#[test]
fn skips_the_table_of_contents() {
    let body = prose(
        "We sell widgets to retailers across the country and abroad.",
        5,
    );
    let text = format!(
        "PART I\nItem 1. Business 3\nItem 1A. Risk Factors 9\nItem 2. Properties 12\n\
         PART I\nItem 1. Business\n{body}See Item 1A. Risk Factors below.\n\
         Item 1A. Risk Factors\nWidgets may fail.\nItem 2. Properties\nA plant.\n"
    );
    let text = text.as_str();
    let r = find(text, ItemId::I1);
    assert_eq!(r.status, Status::Ok);
    assert!(r.text.starts_with("We sell widgets"), "{:?}", r.text);
    assert!(r.text.ends_with("See Item 1A. Risk Factors below."));
    assert_eq!(&text[r.start_byte..r.end_byte], r.text);
    let r = find(text, ItemId::I1A);
    assert_eq!(
        (r.status, r.text.as_str()),
        (Status::Ok, "Widgets may fail.")
    );
    assert_eq!(r.heading, "Item 1A. Risk Factors");
}

#[test]
fn combined_items_end_at_item_3() {
    let body = prose(
        "We drill wells in the basin and sell the oil to refiners.",
        5,
    );
    let text = format!(
        "ITEMS 1 AND 2. BUSINESS AND PROPERTIES\n{body}ITEM 2. PROPERTIES\nFields.\n\
         ITEM 3. LEGAL PROCEEDINGS\nNone.\n"
    );
    assert!(find(&text, ItemId::I1).text.contains("Fields."));
    assert_eq!(find(&text, ItemId::I3).text, "None.");
}

#[test]
fn a_heading_without_body_is_not_a_section() {
    let text = "Item 1. Business\nItem 1A. Risk Factors\nItem 2. Properties\n";
    assert_eq!(find(text, ItemId::I1).status, Status::NotFound);
    assert_eq!(find(text, ItemId::I1A).status, Status::NotFound);
    assert_eq!(find(text, ItemId::I7).status, Status::Absent);
}

#[test]
fn each_status_and_one_line_bodies() {
    let business = prose("The Company makes pumps and sells them to utilities.", 5);
    let text = format!(
        "Item 1. Business\n{business}Item 1A. Risk Factors\n\
         Not applicable to a smaller reporting company.\n\
         Item 1B. Unresolved Staff Comments. None.\n\
         Item 7. Management's Discussion and Analysis\n\
         The information required by this item is incorporated by reference to the \
         Annual Report to Shareholders.\nItem 7A. Quantitative and Qualitative Disclosures\n\
         Not applicable.\n"
    );
    let get = |id| find(&text, id);
    assert_eq!(
        get(ItemId::I1A).text,
        "Not applicable to a smaller reporting company."
    );
    assert_eq!(
        (get(ItemId::I1B).status, get(ItemId::I1B).text.as_str()),
        (Status::Ok, "None.")
    );
    let mdna = get(ItemId::I7);
    assert_eq!(mdna.status, Status::ByReference);
    assert!(mdna.text.starts_with("The information required"));
    assert_eq!(get(ItemId::I2).status, Status::Absent);
    // a heading that says the item is reserved, without a body: the form has no such item
    let reserved = format!(
        "Item 1. Business\n{business}Item 6. [Reserved]\nItem 7. Management's \
                            Discussion and Analysis\nSales rose.\n"
    );
    assert_eq!(find(&reserved, ItemId::I6).status, Status::Absent);
    let all = Sections::with_pages(&text, &[]).all();
    assert_eq!(all.len(), 23);
    assert!(all.iter().zip(ItemId::ALL).all(|(s, id)| s.item == id));
}

#[test]
fn a_cross_reference_at_a_line_start_is_not_the_section() {
    // Item 1 mentions Item 7 at a line start; the real Item 7 comes after Items 1A and 2
    let business = prose("The Company makes pumps and sells them to utilities.", 8);
    let mdna = prose("Sales rose by a tenth on higher volumes.", 3);
    let text = format!(
        "Item 1. Business\n{business}\
         Item 7. Management's Discussion and Analysis of Financial Condition\n\
         {business}Item 1A. Risk Factors\nPumps may fail.\nItem 2. Properties\nA plant.\n\
         Item 7. Management's Discussion and Analysis of Financial Condition\n{mdna}\
         Item 7. Management's Discussion and Analysis (Continued)\n{mdna}\
         Item 8. Financial Statements\nSee page F-1.\n"
    );
    let r = find(&text, ItemId::I7);
    assert!(r.text.starts_with("Sales rose"), "{:?}", r.text);
    assert_eq!(
        r.text.matches("Sales rose").count(),
        6,
        "running header kept inside"
    );
    assert!(!r.text.contains("pumps"));
}

#[test]
fn a_10ksb_item_6_is_form_10k_item_7() {
    let text = "ITEM 1. DESCRIPTION OF BUSINESS\nWe explore for gold in Nevada.\n\
                ITEM 6. PLAN OF OPERATION\nWe will drill two holes next year.\n\
                ITEM 7. FINANCIAL STATEMENTS\nSee page F-1.\n\
                ITEM 8. CHANGES IN AND DISAGREEMENTS WITH ACCOUNTANTS\nNone.\n";
    let r = find(text, ItemId::I7);
    assert_eq!(r.heading, "ITEM 6. PLAN OF OPERATION");
    assert_eq!(r.text, "We will drill two holes next year.");
    assert_eq!(find(text, ItemId::I8).text, "See page F-1.");
    assert_eq!(find(text, ItemId::I9).text, "None.");
    assert_eq!(find(text, ItemId::I6).status, Status::Absent);
}

#[test]
fn a_skipped_numbered_heading_ends_at_its_bare_title() {
    let mdna = prose("Sales rose by a tenth on higher volumes.", 3);
    let text = format!(
        "Item 7. Management's Discussion and Analysis 9\nItem 8. Financial Statements 20\n\
         Item 9. Changes in and Disagreements with Accountants 40\n\
         ITEM 7. MANAGEMENT'S DISCUSSION AND ANALYSIS\n{mdna}\
         FINANCIAL STATEMENTS AND SUPPLEMENTARY DATA\nBalance sheet.\n\
         ITEM 9. CHANGES IN AND DISAGREEMENTS WITH ACCOUNTANTS\nNone.\n"
    );
    assert_eq!(find(&text, ItemId::I7).text, mdna.trim_end());
}

#[test]
fn bare_titles_when_the_body_has_no_item_headings() {
    let body = prose(
        "The Company franchises restaurants and earns rent and royalties.",
        5,
    );
    let text = format!(
        "Business Summary\nManagement's Discussion and Analysis\n\
         BUSINESS SUMMARY\n{body}MANAGEMENT'S DISCUSSION AND ANALYSIS\nSales rose.\n\
         RISK FACTORS\nCosts may rise.\n\
         Form 10-K Cross-Reference Index\nItem 1 Business\nItem 1A Risk Factors\n"
    );
    let r = find(&text, ItemId::I1);
    assert_eq!((r.status, r.method), (Status::Ok, Method::TitleHeading));
    assert_eq!(r.text, body.trim_end());
    assert_eq!(find(&text, ItemId::I7).text, "Sales rose.");
}

/// Pages 2..=9 of a report in its own order whose index, at the end, maps the items to
/// pages: the text and its page table.
fn report_with_page_index() -> (String, Vec<PageStart>) {
    let about = "About the Company: a forward-looking statement notice.\n";
    let body = prose(
        "The Company franchises restaurants and earns rent and royalties.",
        5,
    );
    let mut text = String::new();
    let mut pages = Vec::new();
    for (number, page) in [
        (2, "Contents\nBusiness Summary\n".to_string()),
        (3, format!("{about}BUSINESS OVERVIEW\n{body}")),
        (4, body.clone()),
        (
            5,
            "MANAGEMENT'S DISCUSSION AND ANALYSIS\nSales rose.\n".to_string(),
        ),
        (
            6,
            "Other Key Information\nSTOCK PERFORMANCE GRAPH\nShares rose.\n".to_string(),
        ),
        (7, "RISK FACTORS\nCosts may rise.\n".to_string()),
        (8, "CYBERSECURITY\nWe guard our data.\n".to_string()),
        (
            9,
            "Form 10-K Cross-Reference Index\nItem 1 Business Page 3\n\
             Item 1A Risk Factors Pages 7, 10\nItem 1C Cybersecurity Page 8\n\
             Item 5 Market for Common Equity\nItem 7 Management's Discussion Page 5\n"
                .to_string(),
        ),
    ] {
        pages.push(PageStart {
            number,
            offset: text.len(),
        });
        text.push_str(&page);
    }
    (text, pages)
}

#[test]
fn a_cross_reference_index_maps_items_to_their_pages() {
    let (text, pages) = report_with_page_index();
    let sections = Sections::with_pages(&text, &pages);
    let r = sections.get(ItemId::I1);
    assert_eq!((r.status, r.method), (Status::Ok, Method::CrossReference));
    assert_eq!(r.heading, "BUSINESS OVERVIEW");
    let body = prose(
        "The Company franchises restaurants and earns rent and royalties.",
        5,
    );
    assert_eq!(r.text, format!("{body}{body}").trim_end());
    // MD&A ends at the page of the next item's matter (the performance graph), not at
    // the next heading of another item on a later page
    assert_eq!(sections.get(ItemId::I7).text, "Sales rose.");
    assert_eq!(sections.get(ItemId::I1A).text, "Costs may rise.");
    // without the page table the index cannot be used
    assert_ne!(find(&text, ItemId::I1).method, Method::CrossReference);
}

#[test]
fn a_cross_reference_index_maps_items_to_headings() {
    let body = prose(
        "The Company franchises restaurants and earns rent and royalties.",
        5,
    );
    let text = format!(
        "Contents\nOur Business\nFinancial Review\nCross-Reference Index\n\
         OUR BUSINESS\n{body}FINANCIAL REVIEW\nSales rose by a tenth.\n\
         RISKS TO CONSIDER\nCosts may rise.\n\
         Form 10-K Cross-Reference Index\nItem 1 Business Our Business\n\
         Item 1A Risk Factors Risks to Consider\n\
         Item 7 Management's Discussion and Analysis Financial Review\n"
    );
    let r = find(&text, ItemId::I1);
    assert_eq!((r.status, r.method), (Status::Ok, Method::CrossReference));
    assert_eq!(r.heading, "OUR BUSINESS");
    assert_eq!(r.text, body.trim_end());
    assert_eq!(find(&text, ItemId::I7).text, "Sales rose by a tenth.");
}

#[test]
fn a_pointer_to_pages_of_the_document_is_followed() {
    let mut text = String::new();
    let mut pages = Vec::new();
    let mdna = prose("Net sales rose on better prices.", 4);
    for (number, page) in [
        (
            1,
            "ITEM 7. MANAGEMENT'S DISCUSSION AND ANALYSIS.\nSee the information under \
             the caption “Management's Discussion and Analysis” on pages 2 through 3.\n\
             ITEM 8. FINANCIAL STATEMENTS.\nSee pages 4 to 9.\n"
                .to_string(),
        ),
        (2, format!("MANAGEMENT'S DISCUSSION AND ANALYSIS\n{mdna}")),
        (3, mdna.clone()),
        (4, "STATEMENT OF CONSOLIDATED INCOME\n".to_string()),
    ] {
        pages.push(PageStart {
            number,
            offset: text.len(),
        });
        text.push_str(&page);
    }
    let r = Sections::with_pages(&text, &pages).get(ItemId::I7);
    assert_eq!((r.status, r.method), (Status::Ok, Method::PagePointer));
    assert_eq!(r.text, format!("{mdna}{mdna}").trim_end());
}

#[test]
fn no_heading_is_not_found() {
    let r = find(
        "Quarterly report\nItem 1. Financial Statements\n",
        ItemId::I1,
    );
    assert_eq!(r.status, Status::NotFound);
}

/// Each status on a real filing of the corpus: (file, item, status, method, heading start).
#[test]
fn each_status_on_real_filings() {
    let Some(corpus) = crate::test_support::corpus("items statuses on corpus filings") else {
        return;
    };
    let cases = [
        ("0001493152-22-034621.htm", "1A", Status::Ok, "Item 1A"),
        (
            "0000080661-24-000007.htm",
            "7",
            Status::ByReference,
            "ITEM 7.",
        ),
        ("0000021344-98-000004.txt", "1A", Status::Absent, ""),
        // named in the table of contents ("omitted pursuant to item 305(e)"), no section
        ("0000862668-23-000022.htm", "7A", Status::NotFound, ""),
        // a 10-KSB: its Item 6 is the MD&A
        (
            "0000930413-08-001093.txt",
            "7",
            Status::Ok,
            "ITEM 6. PLAN OF OPERATION",
        ),
        ("0000930413-08-001093.txt", "1A", Status::Absent, ""),
        // a report in its own order, through its cross-reference index
        ("0000063908-24-000072.htm", "1A", Status::Ok, "RISK FACTORS"),
    ];
    for (file, item, status, heading) in cases {
        let raw = std::fs::read(corpus.join("filings").join(file)).unwrap();
        let doc = crate::document::clean(&raw, crate::document::TableMode::Drop);
        let s = locate(&doc, item.parse().unwrap());
        assert_eq!(s.status, status, "{file} item {item}");
        assert!(
            s.heading.starts_with(heading),
            "{file} item {item}: {:?}",
            s.heading
        );
        assert_eq!(doc.text[s.start_byte..s.end_byte], s.text);
    }
}
