//! Boundaries: names that EDGAR data hands tenk (primary documents in the submissions)
//! cannot make it read outside the configured server's EDGAR paths or write outside its
//! cache, and responses above the size cap are refused.

mod common;

use std::path::{Path, PathBuf};

use common::{stderr, stdout, tenk_with_env, Mirror, Server, USER_AGENT};

const CIK: u64 = 999;

/// Primary document names as a hostile or broken submissions file could give them, and
/// the request path (below `Archives/edgar/data/999/<accession>/`) each may lead to; None
/// when no request may be made.
fn hostile_names() -> Vec<(String, Option<&'static str>)> {
    let escape = format!(
        "../../../../../../../../../../tmp/tenk-escape-{}.htm",
        std::process::id()
    );
    vec![
        (escape, Some("tenk-escape-")),
        ("..".into(), None),
        ("/etc/passwd".into(), Some("passwd")),
        ("C:\\Windows\\win.ini".into(), None),
        // a fragment is cut as in viewer links; `?` and `=` stay part of the name
        ("a?b=c#d.htm".into(), Some("a%3Fb%3Dc")),
        ("https://evil.example.com/x.htm".into(), Some("x.htm")),
        (
            "ünï cödé%2e%2e.htm".into(),
            Some("%C3%BCn%C3%AF%20c%C3%B6d%C3%A9%252e%252e.htm"),
        ),
        ("doc.htm".into(), Some("doc.htm")),
    ]
}

/// A company with one 10-K per hostile name in its submissions; the last one is real.
fn hostile_company(mirror: &Path) -> Vec<String> {
    let names: Vec<String> = hostile_names().into_iter().map(|(n, _)| n).collect();
    let accessions = common::company_with_10ks(mirror, CIK, &names);
    let real = accessions.last().unwrap().replace('-', "");
    let folder = mirror.join(format!("Archives/edgar/data/{CIK}/{real}"));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(
        mirror.join("Archives/edgar/data/948708/000094870821000010/smsi-20201231.htm"),
        folder.join("doc.htm"),
    )
    .unwrap();
    accessions
}

#[test]
fn document_names_cannot_leave_the_edgar_paths_or_the_cache() {
    let mirror = Mirror::new();
    let accessions = hostile_company(mirror.path());
    let server = Server::serve(mirror.path());
    let dir = tempfile::tempdir().unwrap();
    let cache = dir.path().join("cache");
    let out = dir.path().join("s.parquet");
    let n = accessions.len().to_string();
    let o = tenk_with_env(
        &[
            "run",
            "--cik",
            &CIK.to_string(),
            "--latest",
            &n,
            "--base-url",
            &server.url,
            "--user-agent",
            USER_AGENT,
            "--out",
            out.to_str().unwrap(),
        ],
        &[("TENK_CACHE_DIR", cache.to_str().unwrap())],
    );
    let said = format!("stdout:\n{}\nstderr:\n{}", stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(3), "{said}");

    // every row is there; only the real document is ok, the others say why not
    let df = tenk::output::read(&out).unwrap();
    assert_eq!(df.height(), accessions.len(), "{said}");
    for (a, status, error) in common::status_rows(&df) {
        if &a == accessions.last().unwrap() {
            assert_eq!(status, "ok", "{said}");
        } else {
            assert_eq!(status, "fetch_error", "{a}");
            let e = error.unwrap();
            assert!(
                e.contains("not found") || e.contains("not a path below the EDGAR root"),
                "{a}: {e}"
            );
        }
    }

    // requests only for the company's own paths, with the names encoded, never followed
    let prefix = format!("Archives/edgar/data/{CIK}/");
    let docs: Vec<String> = server
        .requests()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| !p.starts_with("submissions/"))
        .collect();
    assert!(
        docs.iter()
            .all(|p| p.starts_with(&prefix) && !p.contains("..")),
        "{docs:?}"
    );
    for (name, expect) in hostile_names() {
        let asked = docs
            .iter()
            .filter(|p| expect.is_some_and(|e| p.rsplit('/').next().unwrap().starts_with(e)))
            .count();
        match expect {
            Some(_) => assert_eq!(asked, 1, "{name:?} is requested once: {docs:?}"),
            None => assert_eq!(asked, 0),
        }
    }
    assert_eq!(
        docs.len(),
        hostile_names().iter().filter(|(_, e)| e.is_some()).count(),
        "{docs:?}"
    );

    // the cache holds entries only below its folder for this server (next to the request
    // budget every tenk process shares), and nothing escaped
    let host = server.url.trim_start_matches("http://").replace(':', "_");
    let budget = cache.join(tenk::edgar::limiter::BUDGET_FILE);
    let cached: Vec<PathBuf> = common::files_below(&cache)
        .into_iter()
        .filter(|f| *f != budget)
        .collect();
    assert!(!cached.is_empty());
    assert!(
        cached.iter().all(|f| f.starts_with(cache.join(&host))),
        "{cached:?}"
    );
    let escaped = PathBuf::from(format!("/tmp/tenk-escape-{}.htm", std::process::id()));
    assert!(!escaped.exists());
}

#[test]
fn responses_above_the_size_cap_are_refused() {
    let mirror = Mirror::new();
    let server = Server::serve(mirror.path());
    // the SMSI document is 19 KB; its submissions file is smaller than the cap
    let (o, dir) = common::run_with_edgar(
        &server.url,
        "max_response_bytes = 16000",
        &["--cik", "948708"],
    );
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let df = tenk::output::read(&dir.path().join("s.parquet")).unwrap();
    let error = common::strings(&df, "error").remove(0);
    assert!(
        error.contains("larger than the limit of 16000 bytes"),
        "{error}"
    );
}
