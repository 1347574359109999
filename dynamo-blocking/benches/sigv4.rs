//! SigV4 signing of a typical PutItem (a 1 KB item): the client's cached
//! [`Signer`] against the stand-alone `sign`, which derives the key each time.

mod fixtures;

use std::time::Duration;

use chrono::{TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use dynamo_blocking::sigv4::{sign, SignableRequest, Signer, SigningParams, SigningSettings};
use dynamo_blocking::{wire, Credentials};

fn signing(c: &mut Criterion) {
    let (_, item) = fixtures::order_of_size(1, 1024);
    let body = serde_json::to_vec(&wire::PutItemInput::new("orders", item)).unwrap();
    let headers = [
        ("host", "dynamodb.eu-west-1.amazonaws.com"),
        ("content-type", "application/x-amz-json-1.0"),
        ("x-amz-target", "DynamoDB_20120810.PutItem"),
    ];
    let request = SignableRequest {
        method: "POST",
        url_path: "/",
        query: "",
        headers: &headers,
        payload: &body,
    };
    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let time = Utc.with_ymd_and_hms(2024, 5, 1, 8, 0, 0).unwrap();
    let signer = Signer::dynamodb(credentials.clone(), "eu-west-1");

    let mut group = c.benchmark_group(format!("sigv4/put_item_{}B", body.len()));
    group.throughput(Throughput::Elements(1));
    group.bench_function("cached_signer", |b| {
        b.iter(|| signer.sign(std::hint::black_box(&request), time))
    });
    group.bench_function("uncached_sign", |b| {
        let params = SigningParams {
            credentials: &credentials,
            region: "eu-west-1",
            service: "dynamodb",
            time,
            settings: SigningSettings::default(),
        };
        b.iter(|| sign(std::hint::black_box(&request), &params))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = signing
}
criterion_main!(benches);
