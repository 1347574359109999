//! The proxy's own mechanics, against a fake upstream (no DynamoDB needed).

use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use super::http::{Conn, ReadError, Request};
use super::*;

/// A keep-alive HTTP server answering every request with
/// `{"Echo": <request body as a string>}` (BatchWriteItem:
/// `{"UnprocessedItems":{}}`), with an `x-amz-crc32`. Remembers the bodies.
struct FakeUpstream {
    url: String,
    stop: Arc<AtomicBool>,
    connections: Arc<AtomicU64>,
    bodies: Arc<Mutex<Vec<Vec<u8>>>>,
    thread: Option<JoinHandle<()>>,
}

impl FakeUpstream {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stop = Arc::new(AtomicBool::new(false));
        let connections = Arc::new(AtomicU64::new(0));
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let thread = {
            let (stop, connections, bodies) = (stop.clone(), connections.clone(), bodies.clone());
            std::thread::spawn(move || {
                let mut workers = Vec::new();
                while !stop.load(Ordering::SeqCst) {
                    match listener.accept() {
                        Ok((stream, _)) => {
                            connections.fetch_add(1, Ordering::SeqCst);
                            let (stop, bodies) = (stop.clone(), bodies.clone());
                            workers.push(std::thread::spawn(move || {
                                echo_connection(stream, &stop, &bodies)
                            }));
                        }
                        Err(_) => std::thread::sleep(Duration::from_millis(2)),
                    }
                }
                for w in workers {
                    let _ = w.join();
                }
            })
        };
        FakeUpstream {
            url,
            stop,
            connections,
            bodies,
            thread: Some(thread),
        }
    }

    fn bodies(&self) -> Vec<Vec<u8>> {
        self.bodies.lock().unwrap().clone()
    }
}

impl Drop for FakeUpstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn echo_connection(stream: TcpStream, stop: &AtomicBool, bodies: &Mutex<Vec<Vec<u8>>>) {
    stream.set_nonblocking(false).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let mut conn = Conn::new(stream);
    let started = Instant::now();
    let keep_waiting =
        || !stop.load(Ordering::SeqCst) && started.elapsed() < Duration::from_secs(30);
    while let Ok(request) = conn.read_request(&keep_waiting) {
        bodies.lock().unwrap().push(request.body.clone());
        let body = if request.operation() == Some("BatchWriteItem") {
            br#"{"UnprocessedItems":{}}"#.to_vec()
        } else {
            serde_json::to_vec(&json!({"Echo": String::from_utf8_lossy(&request.body)})).unwrap()
        };
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.0\r\nx-amz-crc32: {}\r\nContent-Length: {}\r\n\r\n",
            crc32fast::hash(&body),
            body.len()
        );
        let mut bytes = head.into_bytes();
        bytes.extend(body);
        if conn.write_all(&bytes).is_err() {
            return;
        }
    }
}

/// A raw keep-alive client connection to the proxy.
struct RawClient {
    conn: Conn,
}

impl RawClient {
    fn connect(proxy: &FaultProxy) -> Self {
        let stream = TcpStream::connect(proxy.addr()).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(20)))
            .unwrap();
        RawClient {
            conn: Conn::new(stream),
        }
    }

    /// Sends one request; the answer's status and body (checked against
    /// `x-amz-crc32`), or the read error.
    fn call(&mut self, operation: &str, body: &[u8]) -> Result<(u16, Vec<u8>), ReadError> {
        let (status, body, crc_ok) = self.call_unchecked(operation, body)?;
        assert!(crc_ok, "only Fault::WrongCrc32 may send a wrong checksum");
        Ok((status, body))
    }

    /// Sends one request; the answer's status, body and whether its
    /// checksum (if any) is right.
    fn call_unchecked(
        &mut self,
        operation: &str,
        body: &[u8],
    ) -> Result<(u16, Vec<u8>, bool), ReadError> {
        let request = Request {
            method: "POST".into(),
            target: "/".into(),
            version: "HTTP/1.1".into(),
            headers: vec![
                ("host".into(), "127.0.0.1".into()),
                (
                    "x-amz-target".into(),
                    format!("DynamoDB_20120810.{operation}"),
                ),
            ],
            body: body.to_vec(),
        };
        self.conn
            .write_all(&request.to_bytes())
            .map_err(ReadError::Io)?;
        let started = Instant::now();
        let response = self
            .conn
            .read_response(&|| started.elapsed() < Duration::from_secs(5))?;
        let crc_ok = response
            .header("x-amz-crc32")
            .is_none_or(|crc| crc.parse::<u32>().ok() == Some(crc32fast::hash(&response.body)));
        Ok((response.status, response.body, crc_ok))
    }
}

#[test]
fn a_transparent_proxy_relays_keep_alive_exchanges_over_one_upstream_connection() {
    let upstream = FakeUpstream::start();
    let proxy = FaultProxy::builder(&upstream.url).start().unwrap();
    let mut client = RawClient::connect(&proxy);
    for i in 0..20 {
        let body = format!("{{\"n\":{i}}}");
        let (status, answer) = client.call("GetItem", body.as_bytes()).unwrap();
        assert_eq!(status, 200);
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        assert_eq!(answer["Echo"], body);
    }
    assert_eq!(upstream.connections.load(Ordering::SeqCst), 1);
    let stats = proxy.stats();
    assert_eq!((stats.requests, stats.forwarded), (20, 20));
    assert_eq!(stats.total_injected(), 0);
}

#[test]
fn the_same_seed_injects_the_same_faults() {
    let upstream = FakeUpstream::start();
    let run = |seed: u64| -> Vec<Action> {
        let proxy = FaultProxy::builder(&upstream.url)
            .seed(seed)
            .fault_rate(0.5)
            .faults(&[
                Fault::Throttling,
                Fault::InternalServerError,
                Fault::BadGatewayHtml,
            ])
            .start()
            .unwrap();
        let mut client = RawClient::connect(&proxy);
        for _ in 0..40 {
            client.call("PutItem", b"{}").unwrap();
        }
        proxy.events().into_iter().map(|e| e.action).collect()
    };
    let first = run(42);
    assert_eq!(first, run(42));
    assert_ne!(first, run(43));
    let faults = first.iter().filter(|a| **a != Action::Forwarded).count();
    assert!((10..=30).contains(&faults), "{faults} of 40 at rate 0.5");
}

#[test]
fn max_faults_and_only_operations_bound_the_injection() {
    let upstream = FakeUpstream::start();
    let proxy = FaultProxy::builder(&upstream.url)
        .fault_rate(1.0)
        .faults(&[Fault::Throttling])
        .max_faults(3)
        .only_operations(&["PutItem"])
        .start()
        .unwrap();
    let mut client = RawClient::connect(&proxy);
    let statuses: Vec<u16> = (0..5)
        .map(|_| client.call("PutItem", b"{}").unwrap().0)
        .collect();
    assert_eq!(statuses, [400, 400, 400, 200, 200]);
    assert_eq!(client.call("GetItem", b"{}").unwrap().0, 200);
    assert_eq!(proxy.injected(Fault::Throttling), 3);
    proxy.set_enabled(false);
    assert_eq!(proxy.stats().requests, 6);
}

#[test]
fn each_fault_does_what_it_says() {
    let upstream = FakeUpstream::start();
    for fault in Fault::ALL.into_iter().chain([Fault::ExpiredIterator]) {
        let proxy = FaultProxy::builder(&upstream.url)
            .fault_rate(1.0)
            .faults(&[fault])
            .max_faults(1)
            .delay(Duration::from_millis(100))
            .start()
            .unwrap();
        let before = upstream.bodies().len();
        let mut client = RawClient::connect(&proxy);
        let started = Instant::now();
        let result = client.call_unchecked("GetItem", b"{\"k\":1}");
        if let Ok((_, _, crc_ok)) = &result {
            assert_eq!(!crc_ok, fault == Fault::WrongCrc32, "{fault}");
        }
        let result = result.map(|(status, body, _)| (status, body));
        let forwarded = upstream.bodies().len() - before;
        assert_eq!(forwarded == 1, fault.forwards_first(), "{fault}");
        match fault {
            Fault::ProvisionedThroughputExceeded | Fault::Throttling | Fault::ExpiredIterator => {
                let (status, body) = result.unwrap();
                assert_eq!(status, 400);
                let body: Value = serde_json::from_slice(&body).unwrap();
                assert!(body["__type"].as_str().unwrap().ends_with(&format!(
                    "#{}",
                    match fault {
                        Fault::Throttling => "ThrottlingException",
                        Fault::ExpiredIterator => "ExpiredIteratorException",
                        _ => "ProvisionedThroughputExceededException",
                    }
                )));
            }
            Fault::InternalServerError => assert_eq!(result.unwrap().0, 500),
            Fault::ServiceUnavailable => assert_eq!(result.unwrap().0, 503),
            Fault::BadGatewayHtml => {
                let (status, body) = result.unwrap();
                assert_eq!(status, 502);
                assert!(body.starts_with(b"<html>"));
            }
            Fault::TruncatedBody => {
                let (status, body) = result.unwrap();
                assert_eq!(status, 200);
                assert!(serde_json::from_slice::<Value>(&body).is_err());
            }
            Fault::ShortBody => assert!(matches!(result, Err(ReadError::Io(_)))),
            Fault::WrongCrc32 => {
                let (status, body) = result.unwrap();
                assert_eq!(status, 200);
                assert!(serde_json::from_slice::<Value>(&body).is_ok());
            }
            Fault::ConnectionReset => {
                assert!(matches!(result, Err(ReadError::Closed | ReadError::Io(_))))
            }
            Fault::Delay => {
                assert!(matches!(result, Err(ReadError::Closed)));
                assert!(started.elapsed() >= Duration::from_millis(100));
            }
        }
        assert_eq!(proxy.injected(fault), 1, "{fault}");
    }
}

#[test]
fn partial_batch_writes_forward_only_what_they_do_not_report() {
    let upstream = FakeUpstream::start();
    let proxy = FaultProxy::builder(&upstream.url)
        .partial_batch_rate(1.0)
        .seed(9)
        .start()
        .unwrap();
    let mut client = RawClient::connect(&proxy);
    let puts: Vec<Value> = (0..10)
        .map(|i| json!({"PutRequest": {"Item": {"id": {"N": i.to_string()}}}}))
        .collect();
    let request = serde_json::to_vec(&json!({"RequestItems": {"t": puts}})).unwrap();
    let (status, answer) = client.call("BatchWriteItem", &request).unwrap();
    assert_eq!(status, 200);
    let answer: Value = serde_json::from_slice(&answer).unwrap();
    let unprocessed = answer["UnprocessedItems"]["t"].as_array().unwrap().clone();
    let forwarded: Value = serde_json::from_slice(upstream.bodies().last().unwrap()).unwrap();
    let forwarded = forwarded["RequestItems"]["t"].as_array().unwrap().clone();
    assert!(!unprocessed.is_empty() && !forwarded.is_empty());
    assert_eq!(unprocessed.len() + forwarded.len(), 10);
    assert!(unprocessed.iter().all(|u| !forwarded.contains(u)));
    let stats = proxy.stats();
    assert_eq!(stats.partial_batch_writes, 1);
    assert_eq!(stats.withheld_writes, unprocessed.len() as u64);
}

#[test]
fn dropping_the_proxy_stops_it_promptly_even_mid_delay() {
    let upstream = FakeUpstream::start();
    let proxy = FaultProxy::builder(&upstream.url)
        .fault_rate(1.0)
        .faults(&[Fault::Delay])
        .delay(Duration::from_secs(60))
        .start()
        .unwrap();
    let addr = proxy.addr();
    let mut client = RawClient::connect(&proxy);
    let waiting = std::thread::spawn(move || client.call("GetItem", b"{}").is_err());
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    drop(proxy);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(waiting.join().unwrap());
    assert!(TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err());
}

#[test]
#[should_panic(expected = "loopback")]
fn only_loopback_upstreams_are_accepted() {
    let _ = FaultProxy::builder("http://192.0.2.1:8000").start();
}
