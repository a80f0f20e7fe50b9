//! `just bench-crawl`: 300 Archives documents fetched through the client from a local server
//! that adds 100 ms of latency to every response, at SEC's ceiling of 10 requests/s, with 8
//! requests in flight. Reports the achieved rate (target ≥ 9.5/s) and the most requests the
//! server saw in any one second (must be ≤ 10).

mod common;
// the test suite's helpers: the same count of requests per second as tests/crawl.rs uses
#[path = "../tests/common/mod.rs"]
mod testkit;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tenk::config::EdgarConfig;
use tenk::edgar::Client;

const DOCUMENTS: usize = 300;
const LATENCY: Duration = Duration::from_millis(100);

fn main() {
    let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").expect("bind 127.0.0.1"));
    let port = server.server_addr().to_ip().expect("ip").port();
    let arrivals = Arc::new(Mutex::new(Vec::<Instant>::new()));
    let (srv, log) = (server.clone(), arrivals.clone());
    std::thread::spawn(move || {
        for req in srv.incoming_requests() {
            log.lock().unwrap().push(Instant::now());
            // each response on its own thread: latency must not serialize the server
            std::thread::spawn(move || {
                std::thread::sleep(LATENCY);
                let body = vec![b'x'; 64 * 1024];
                let _ = req.respond(tiny_http::Response::from_data(body));
            });
        }
    });
    let cfg = EdgarConfig {
        user_agent: Some("tenk bench-crawl bench@example.com".into()),
        base_url: Some(format!("http://127.0.0.1:{port}")),
        requests_per_second: 10.0,
        cache: false,
        ..EdgarConfig::default()
    };
    let client = Client::new(&cfg).expect("client");
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(8)
        .build()
        .expect("pool");
    let t = Instant::now();
    let ok = pool.install(|| {
        (0..DOCUMENTS)
            .into_par_iter()
            .filter(|i| {
                client
                    .get(&format!(
                        "Archives/edgar/data/{i}/0000000000{:08}/doc.htm",
                        i
                    ))
                    .is_ok()
            })
            .count()
    });
    let wall = t.elapsed();
    let at = arrivals.lock().unwrap().clone();
    let max_in_second = testkit::max_in_one_second(&at);
    let span = at.last().unwrap().duration_since(at[0]).as_secs_f64();
    println!(
        "documents          {ok} of {DOCUMENTS} fetched, {} ms latency each",
        LATENCY.as_millis()
    );
    println!("wall               {:.1} s", wall.as_secs_f64());
    println!(
        "achieved rate      {:.2} requests/s (first to last request), limit 10",
        (at.len() - 1) as f64 / span
    );
    println!("max in any second  {max_in_second}");
    println!("peak RSS           {:.0} MB", common::peak_rss_mb());
}
