//! `--summarizer llm` against a local OpenAI-compatible server on 127.0.0.1 that checks the
//! request shape and answers with scripted completions.

mod common;

use std::path::PathBuf;

use common::{completion, stderr, stdout, tenk_with_env, ChatServer, Mirror, USER_AGENT};

const KEY: &str = "sk-test-5ecret-k3y-never-shown";

/// A configuration file with `[summarizer.llm]` settings, in a temporary folder.
fn config(dir: &tempfile::TempDir, llm: &str) -> PathBuf {
    let p = dir.path().join("tenk.toml");
    std::fs::write(&p, format!("[summarizer.llm]\n{llm}\n")).unwrap();
    p
}

fn summarize(server: &ChatServer, file: &str, extra: &[&str]) -> std::process::Output {
    let mut args = vec![
        "summarize",
        file,
        "--summarizer",
        "llm",
        "--llm-model",
        "test-model",
    ];
    args.extend_from_slice(extra);
    tenk_with_env(
        &args,
        &[("OPENAI_BASE_URL", &server.url), ("OPENAI_API_KEY", KEY)],
    )
}

/// `tenk summarize` of `copies` of the seed section, whole (no condensed input) and in
/// parts of a 2,048-token window, with more `[summarizer.llm]` settings: the summary and
/// the requests the server saw.
fn summarize_in_parts(
    server: &ChatServer,
    dir: &tempfile::TempDir,
    copies: usize,
    settings: &str,
) -> (String, Vec<common::ChatRequest>) {
    let cfg = config(
        dir,
        &format!("context_window = 2048\ninput_tokens = 0\n{settings}"),
    );
    let file = common::seed_section_file(dir.path(), copies);
    let o = summarize(
        server,
        file.to_str().unwrap(),
        &["--config", cfg.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    (stdout(&o), server.requests())
}

/// `tenk run --summarizer llm` of `tickers` from the fixture mirror against `server`, with
/// `[summarizer.llm]` settings, into `s.parquet` in the folder it returns.
fn run_llm(
    server: &ChatServer,
    llm: &str,
    tickers: &[&str],
    extra: &[&str],
) -> (std::process::Output, tempfile::TempDir) {
    let mirror = Mirror::new();
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(&dir, llm);
    let out = dir.path().join("s.parquet");
    let mut args = vec!["run", "--mirror", mirror.path().to_str().unwrap()];
    for t in tickers {
        args.extend(["--ticker", t]);
    }
    args.extend([
        "--user-agent",
        USER_AGENT,
        "--out",
        out.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
        "--summarizer",
        "llm",
    ]);
    args.extend_from_slice(extra);
    let o = tenk_with_env(
        &args,
        &[("OPENAI_BASE_URL", &server.url), ("OPENAI_API_KEY", KEY)],
    );
    (o, dir)
}

fn assert_no_key(o: &std::process::Output) {
    assert!(
        !stdout(o).contains(KEY) && !stderr(o).contains(KEY),
        "API key leaked"
    );
}

#[test]
fn sends_the_seed_prompt_with_the_section_and_prints_the_answer() {
    let server = ChatServer::start(|_, _| {
        completion("The company licenses software to carriers and earns fees per subscriber.")
    });
    let dir = tempfile::tempdir().unwrap();
    let file = common::seed_section_file(dir.path(), 1);
    let o = summarize(&server, file.to_str().unwrap(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o).trim(),
        "The company licenses software to carriers and earns fees per subscriber."
    );
    assert_no_key(&o);
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1);
    let body = &reqs[0].body;
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["max_tokens"], 512);
    assert_eq!(body["messages"][0]["role"], "user");
    let content = body["messages"][0]["content"].as_str().unwrap();
    assert!(content.starts_with("Prompt: Summarize the business model from the following text."));
    // the section follows the prompt, as tenk reads text: runs of spaces made one
    let section = std::fs::read_to_string(&file).unwrap();
    let first_line = section.lines().find(|l| l.len() > 40).unwrap();
    let first_line = first_line.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(content.contains(&first_line), "{first_line}");
    assert_eq!(
        reqs[0].authorization.as_deref(),
        Some(&*format!("Bearer {KEY}"))
    );
}

#[test]
fn an_over_long_answer_is_cut_at_a_sentence_within_the_cap() {
    let server = ChatServer::start(|_, _| {
        completion(&"The company sells pumps through distributors in Europe. ".repeat(150))
    });
    let dir = tempfile::tempdir().unwrap();
    let file = common::seed_section_file(dir.path(), 1);
    let o = summarize(&server, file.to_str().unwrap(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.trim().ends_with("in Europe."));
    let tokens = tenk::summarize::tokens::Tokenizer::by_name("cl100k_base")
        .unwrap()
        .count(text.trim());
    assert!(tokens <= 512 && tokens > 400, "{tokens} tokens");
    assert!(stderr(&o).contains("cut"), "{}", stderr(&o));
}

#[test]
fn a_429_is_retried_after_the_time_the_server_asks() {
    let server = ChatServer::start(|n, _| {
        if n == 0 {
            (429, vec![("Retry-After", "1".into())], "slow down".into())
        } else {
            completion("Revenue comes from subscriptions.")
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let file = common::seed_section_file(dir.path(), 1);
    let o = summarize(&server, file.to_str().unwrap(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "Revenue comes from subscriptions.");
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn the_model_reads_the_condensed_section_in_one_request() {
    let server = ChatServer::start(|_, _| completion("Revenue comes from licences."));
    let dir = tempfile::tempdir().unwrap();
    let file = common::seed_section_file(dir.path(), 12); // about 200 kB of text
    let o = summarize(&server, file.to_str().unwrap(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 1, "one request, no map-reduce");
    let content = reqs[0].body["messages"][0]["content"].as_str().unwrap();
    let tok = tenk::summarize::tokens::Tokenizer::by_name("cl100k_base").unwrap();
    let section = content.split("text:").nth(1).unwrap().trim();
    let n = tok.count(section);
    let whole = std::fs::read_to_string(&file).unwrap();
    // within the budget, and the twelve copies of the seed read once
    assert!(
        n <= 4000 && n * 10 < tok.count(&whole),
        "{n} tokens of input"
    );
    // verbatim sentences of the section, the products among them
    let flat = whole.split_whitespace().collect::<Vec<_>>().join(" ");
    for sentence in tenk::summarize::sentences::split(section)
        .into_iter()
        .take(20)
    {
        assert!(flat.contains(sentence), "not verbatim: {sentence}");
    }
    assert!(section.contains("SafePath") && section.contains("CommSuite"));
}

#[test]
fn a_section_longer_than_the_context_window_is_summarized_in_parts() {
    let server = ChatServer::start(|n, _| completion(&format!("Partial summary {n}.")));
    let dir = tempfile::tempdir().unwrap();
    // the whole section, not the condensed input
    let (summary, reqs) = summarize_in_parts(&server, &dir, 12, ""); // about 200 kB of text
    assert!(reqs.len() > 10, "{} requests", reqs.len());
    let tok = tenk::summarize::tokens::Tokenizer::by_name("cl100k_base").unwrap();
    for r in &reqs {
        let content = r.body["messages"][0]["content"].as_str().unwrap();
        assert!(tok.count(content) + 512 <= 2048, "request over the window");
    }
    // the last request merges the partial summaries and its answer is the summary
    let last = reqs.last().unwrap().body["messages"][0]["content"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(last.contains("Partial summary 0.") && last.contains("Partial summary 1."));
    assert_eq!(
        summary.trim(),
        format!("Partial summary {}.", reqs.len() - 1)
    );
}

#[test]
fn a_server_failing_with_500_becomes_the_rows_error_and_the_key_stays_secret() {
    let server = ChatServer::start(|_, _| (500, vec![], format!("internal error for {KEY}")));
    let (o, dir) = run_llm(&server, "max_retries = 1", &["SMSI"], &[]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert_no_key(&o);
    assert_eq!(server.requests().len(), 2, "one try and one retry");
    let df = tenk::output::read(&dir.path().join("s.parquet")).unwrap();
    let err = common::strings(&df, "error").remove(0);
    assert!(err.contains("HTTP 500"), "{err}");
    // nowhere: messages, the Parquet file, the run report next to it
    let all = common::everything_said_and_written(&o, dir.path());
    assert!(
        all.contains("internal error for"),
        "the server's answer is reported"
    );
    assert!(all.contains("\"rows_failed\": 1"), "the report was read");
    assert!(!all.contains(KEY), "the API key leaked");
    let summarizer = df.column("summarizer").unwrap().str().unwrap().get(0);
    assert_eq!(summarizer, Some("llm"));
    // the section is kept even though the summary failed
    assert!(
        df.column("item1_text")
            .unwrap()
            .str()
            .unwrap()
            .get(0)
            .unwrap()
            .len()
            > 1000
    );
}

#[test]
fn a_run_summarizes_on_its_own_stage_with_the_configured_concurrency() {
    // each answer takes a while, so a stage that sends requests in parallel shows it
    let server = ChatServer::start(|_, _| {
        std::thread::sleep(std::time::Duration::from_millis(400));
        completion("The company sells products to customers.")
    });
    let tickers = ["SMSI", "MRK", "AAPL", "NKE"];
    let (o, dir) = run_llm(&server, "concurrency = 2", &tickers, &["--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let df = tenk::output::read(&dir.path().join("s.parquet")).unwrap();
    assert_eq!(df.height(), 4);
    let summaries = df.column("summary").unwrap().str().unwrap().clone();
    assert!(summaries
        .iter()
        .all(|s| s == Some("The company sells products to customers.")));
    assert_eq!(server.requests().len(), 4, "one request per filing");
    assert_eq!(
        server.max_in_flight(),
        2,
        "the summary stage keeps exactly its configured concurrency in flight"
    );
}

/// OpenAI's answer to a request field a model does not support.
fn unsupported(code: &str, param: &str) -> common::ChatReply {
    let body = serde_json::json!({"error": {
        "message": format!("Unsupported parameter: '{param}' is not supported with this model."),
        "type": "invalid_request_error", "param": param, "code": code}});
    (400, vec![], body.to_string())
}

#[test]
fn a_model_that_refuses_max_tokens_and_temperature_gets_the_other_form_for_the_whole_run() {
    let server = ChatServer::start(|n, body| {
        if body.get("max_tokens").is_some() {
            unsupported("unsupported_parameter", "max_tokens")
        } else if body.get("temperature").is_some() {
            unsupported("unsupported_value", "temperature")
        } else {
            completion(&format!("Partial summary {n}."))
        }
    });
    let dir = tempfile::tempdir().unwrap();
    // the whole section in parts, one request at a time: many requests in one run
    let (_, reqs) = summarize_in_parts(&server, &dir, 4, "concurrency = 1");
    assert!(reqs.len() > 4, "{} requests", reqs.len());
    assert!(reqs[0].body.get("max_tokens").is_some());
    assert_eq!(reqs[1].body["max_completion_tokens"], 512);
    assert!(reqs[1].body.get("temperature").is_some());
    // from the third request on, the form the server accepts, and nothing refused again
    for r in &reqs[2..] {
        assert_eq!(r.body["max_completion_tokens"], 512);
        assert!(r.body.get("max_tokens").is_none() && r.body.get("temperature").is_none());
    }
}

#[test]
fn a_400_about_anything_else_is_not_retried() {
    let server = ChatServer::start(|_, _| unsupported("invalid_value", "messages"));
    let dir = tempfile::tempdir().unwrap();
    let file = common::seed_section_file(dir.path(), 1);
    let o = summarize(&server, file.to_str().unwrap(), &[]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("HTTP 400"), "{}", stderr(&o));
    assert_eq!(server.requests().len(), 1);
}

/// The run report a run wrote next to `s.parquet` in `dir`.
fn run_report(dir: &std::path::Path) -> serde_json::Value {
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("s.run-"))
        .expect("a run report");
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn tokens_are_counted_per_row_and_priced_and_an_invented_figure_is_flagged() {
    // Smith Micro's answer counts its tokens and invents a figure; Merck's counts none
    const INVENTED: &str = "Smith Micro sells SafePath to carriers and shipped 987,654 licences.";
    let server = ChatServer::start(|_, body| {
        let prompt = body["messages"][0]["content"].as_str().unwrap();
        if prompt.contains("SafePath") {
            common::completion_with_usage(INVENTED, 3000, 40)
        } else {
            completion("The company sells medicines to wholesalers.")
        }
    });
    let prices = "price_per_million_input = 0.5\nprice_per_million_output = 2.0";
    let (o, dir) = run_llm(&server, prices, &["SMSI", "MRK"], &["--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let df = tenk::output::read(&dir.path().join("s.parquet")).unwrap();
    let tok = tenk::summarize::tokens::Tokenizer::by_name("cl100k_base").unwrap();
    let merck_prompt = server
        .requests()
        .into_iter()
        .map(|r| {
            r.body["messages"][0]["content"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .find(|p| !p.contains("SafePath"))
        .unwrap();
    let counts =
        |col: &str| -> Vec<Option<i64>> { df.column(col).unwrap().i64().unwrap().iter().collect() };
    let grounding: Vec<Option<f64>> = df
        .column("summary_grounding")
        .unwrap()
        .f64()
        .unwrap()
        .iter()
        .collect();
    let names = common::strings(&df, "company_name");
    let smsi = names
        .iter()
        .position(|n| n.contains("SMITH MICRO"))
        .unwrap();
    let mrk = 1 - smsi;
    // the server's counts where it gives them, the tokenizer's where it does not
    assert_eq!(counts("llm_input_tokens")[smsi], Some(3000));
    assert_eq!(counts("llm_output_tokens")[smsi], Some(40));
    let merck_in = tok.count(&merck_prompt) as i64;
    let merck_out = tok.count("The company sells medicines to wholesalers.") as i64;
    assert_eq!(counts("llm_input_tokens")[mrk], Some(merck_in));
    assert_eq!(counts("llm_output_tokens")[mrk], Some(merck_out));
    // "Smith Micro" and "SafePath" are in Item 1, 987,654 is not
    let g = grounding[smsi].unwrap();
    assert!((g - 2.0 / 3.0).abs() < 1e-9, "grounding {g}");
    assert_eq!(grounding[mrk], Some(1.0));
    assert_eq!(common::strings(&df, "summary_status"), ["ok", "ok"]);
    // the report's totals, cost and the flagged summary
    let s = &run_report(dir.path())["summaries"];
    let (input, output) = (3000 + merck_in, 40 + merck_out);
    assert_eq!(s["llm_input_tokens"], input);
    assert_eq!(s["llm_output_tokens"], output);
    let cost = s["llm_cost"].as_f64().unwrap();
    assert!((cost - (input as f64 * 0.5 + output as f64 * 2.0) / 1e6).abs() < 1e-12);
    assert_eq!(s["below_min_grounding"], 1);
    let accession = common::strings(&df, "accession_number").remove(smsi);
    assert_eq!(
        s["below_min_grounding_rows"],
        serde_json::json!([accession])
    );
    assert!(stdout(&o).contains(&accession) && stdout(&o).contains("LLM cost"));
}

/// `tenk run --summarizer llm --llm-batch DIR/<requests>` of SMSI, MRK and AAPL from
/// `mirror` into the dataset DIR/ds.
fn batch_run(
    mirror: &Mirror,
    server: &ChatServer,
    dir: &tempfile::TempDir,
    requests: &str,
) -> std::process::Output {
    let (cfg, ds, file) = (
        dir.path().join("tenk.toml"),
        dir.path().join("ds"),
        dir.path().join(requests),
    );
    let args = [
        "run",
        "--mirror",
        mirror.path().to_str().unwrap(),
        "--ticker",
        "SMSI",
        "--ticker",
        "MRK",
        "--ticker",
        "AAPL",
        "--user-agent",
        USER_AGENT,
        "--dataset",
        ds.to_str().unwrap(),
        "--config",
        cfg.to_str().unwrap(),
        "--summarizer",
        "llm",
        "--llm-model",
        "test-model",
        "--llm-batch",
        file.to_str().unwrap(),
    ];
    tenk_with_env(
        &args,
        &[("OPENAI_BASE_URL", &server.url), ("OPENAI_API_KEY", KEY)],
    )
}

/// The requests of a batch's requests file.
fn batch_lines(path: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// accession number → (summary_status, summary, error) of a dataset's rows.
fn summary_states(
    ds: &std::path::Path,
) -> std::collections::BTreeMap<String, (String, Option<String>, Option<String>)> {
    let df = tenk::output::read_columns(
        ds,
        &["accession_number", "summary_status", "summary", "error"],
    )
    .unwrap();
    let acc = common::strings(&df, "accession_number");
    let status = common::strings(&df, "summary_status");
    let (summary, error) = (common::texts(&df, "summary"), common::texts(&df, "error"));
    acc.into_iter()
        .zip(status)
        .zip(summary.into_iter().zip(error))
        .map(|((a, st), (su, e))| (a, (st, su, e)))
        .collect()
}

#[test]
fn a_batch_round_trip_fills_the_pending_rows_and_a_failed_result_stays_retryable() {
    let server = ChatServer::start(|_, _| panic!("a batch run sends no request"));
    let mirror = Mirror::new();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("tenk.toml"),
        "[summarizer.llm]\nmin_grounding = 0.9\n",
    )
    .unwrap();
    let ds = dir.path().join("ds");

    // the run: rows with their sections and a pending summary; one request per filing
    let o = batch_run(&mirror, &server, &dir, "requests.jsonl");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(server.requests().is_empty());
    let requests = batch_lines(&dir.path().join("requests.jsonl"));
    assert_eq!(requests.len(), 3);
    let states = summary_states(&ds);
    assert!(states
        .values()
        .all(|(st, su, e)| st == "pending" && su.is_none() && e.is_none()));
    let tok = tenk::summarize::tokens::Tokenizer::by_name("cl100k_base").unwrap();
    let prompt = tok.count(&tenk::config::DEFAULT_PROMPT.replace("{section}", ""));
    for r in &requests {
        assert!(states.contains_key(r["custom_id"].as_str().unwrap()));
        assert_eq!(
            (&r["method"], &r["url"]),
            (&"POST".into(), &"/v1/chat/completions".into())
        );
        assert_eq!(
            (&r["body"]["model"], &r["body"]["max_tokens"]),
            (&"test-model".into(), &512.into())
        );
        let content = r["body"]["messages"][0]["content"].as_str().unwrap();
        assert!(
            tok.count(content) <= 4000 + prompt + 2,
            "condensed input within input_tokens"
        );
    }
    // a rerun does not redo the pending rows
    let o = batch_run(&mirror, &server, &dir, "requests.jsonl");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(batch_lines(&dir.path().join("requests.jsonl")).len(), 3);

    // the results, as the Batch API writes them: Smith Micro answered, Merck failed, Apple
    // is missing
    let id_of = |name: &str| -> String {
        let has = |r: &&serde_json::Value| {
            r["body"]["messages"][0]["content"]
                .as_str()
                .unwrap()
                .contains(name)
        };
        let r = requests.iter().find(has).unwrap();
        r["custom_id"].as_str().unwrap().to_string()
    };
    let (smsi, mrk) = (id_of("SafePath"), id_of("Merck"));
    let answer = "Smith Micro sells SafePath and CommSuite to wireless carriers.";
    let body = serde_json::from_str::<serde_json::Value>(
        &common::completion_with_usage(answer, 3100, 14).2,
    )
    .unwrap();
    let results = [
        serde_json::json!({"id": "batch_req_1", "custom_id": smsi,
            "response": {"status_code": 200, "request_id": "req_1", "body": body}, "error": null}),
        serde_json::json!({"id": "batch_req_2", "custom_id": mrk,
            "response": {"status_code": 500, "request_id": "req_2",
                         "body": {"error": {"message": "server overloaded"}}}, "error": null}),
    ];
    let mut lines: Vec<String> = results.iter().map(|r| r.to_string()).collect();
    lines.push("{\"torn".into());
    let results_path = dir.path().join("results.jsonl");
    std::fs::write(&results_path, lines.join("\n") + "\n").unwrap();
    let cfg = dir.path().join("tenk.toml");
    let ingest = |extra: &[&str]| {
        let mut args = vec![
            "batch-ingest",
            results_path.to_str().unwrap(),
            "--dataset",
            ds.to_str().unwrap(),
            "--config",
            cfg.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        common::tenk(&args)
    };
    let requests_path = dir.path().join("requests.jsonl");
    let o = ingest(&["--requests", requests_path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(3), "{}{}", stdout(&o), stderr(&o));
    let report = std::fs::read_dir(ds.join("_runs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().contains("ingest-"))
        .expect("an ingest report");
    let report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(report).unwrap()).unwrap();
    assert_eq!(
        (
            &report["filled"],
            &report["failed"],
            &report["unreadable_lines"]
        ),
        (&1.into(), &2.into(), &1.into())
    );
    let states = summary_states(&ds);
    assert_eq!(states[&smsi], ("ok".into(), Some(answer.into()), None));
    let (st, su, e) = &states[&mrk];
    assert!(
        st == "failed" && su.is_none() && e.as_deref().unwrap().contains("HTTP 500"),
        "{e:?}"
    );
    let apple = states
        .keys()
        .find(|a| **a != smsi && **a != mrk)
        .unwrap()
        .clone();
    let (st, _, e) = &states[&apple];
    assert!(
        st == "failed" && e.as_deref().unwrap().contains("no result for this request"),
        "{e:?}"
    );
    // the filled row counts its tokens and is grounded; the readers agree on every row
    let df = tenk::output::read_columns(
        &ds,
        &["accession_number", "llm_input_tokens", "summary_grounding"],
    )
    .unwrap();
    let at = common::strings(&df, "accession_number")
        .iter()
        .position(|a| *a == smsi)
        .unwrap();
    assert_eq!(
        df.column("llm_input_tokens")
            .unwrap()
            .i64()
            .unwrap()
            .get(at),
        Some(3100)
    );
    assert_eq!(
        df.column("summary_grounding")
            .unwrap()
            .f64()
            .unwrap()
            .get(at),
        Some(1.0)
    );
    common::read_items(&common::python(), &ds, Some(3), &[]);

    // ingesting again changes nothing, and says so
    let o = ingest(&[]);
    assert_eq!(o.status.code(), Some(3));
    assert!(
        stderr(&o).contains("no result matched a pending row"),
        "{}",
        stderr(&o)
    );
    assert_eq!(summary_states(&ds)[&smsi].0, "ok");
    // the failed filings are redone by the next run, into a new requests file: the old one
    // holds their answered requests
    let o = batch_run(&mirror, &server, &dir, "requests.jsonl");
    assert!(!o.status.success());
    assert!(
        stderr(&o).contains("write this batch to a new file"),
        "{}",
        stderr(&o)
    );
    assert_eq!(batch_lines(&requests_path).len(), 3);
    let o = batch_run(&mirror, &server, &dir, "requests-2.jsonl");
    assert!(o.status.success(), "{}", stderr(&o));
    let again: std::collections::BTreeSet<String> =
        batch_lines(&dir.path().join("requests-2.jsonl"))
            .iter()
            .map(|r| r["custom_id"].as_str().unwrap().to_string())
            .collect();
    assert_eq!(again, [mrk, apple].into_iter().collect());
    assert_eq!(summary_states(&ds).len(), 3, "no duplicate rows");
}

#[test]
fn a_map_reduce_counts_the_tokens_of_all_its_requests() {
    let server =
        ChatServer::start(|n, _| common::completion_with_usage(&format!("Part {n}."), 100, 7));
    let settings = "context_window = 2048\ninput_tokens = 0";
    let (o, dir) = run_llm(&server, settings, &["SMSI"], &["--quiet"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let n = server.requests().len() as i64;
    assert!(n > 2, "{n} requests: parts, then the merge");
    let df = tenk::output::read(&dir.path().join("s.parquet")).unwrap();
    let count = |c: &str| df.column(c).unwrap().i64().unwrap().get(0);
    assert_eq!(count("llm_input_tokens"), Some(100 * n));
    assert_eq!(count("llm_output_tokens"), Some(7 * n));
}
