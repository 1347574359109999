//! Request encoding and response decoding: a PutItem of a 1 KB and a 100 KB
//! item to JSON, the GetItem answers back to `Attributes` and to a derived
//! struct, and a full 1 MB Query page of 1 KB items.

mod fixtures;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use dynamo_blocking::{wire, DynamoItem};
use fixtures::Order;

fn items(c: &mut Criterion) {
    for (label, bytes) in [("1KB", 1024), ("100KB", 100 * 1024)] {
        let (order, item) = fixtures::order_of_size(7, bytes);
        let request = wire::PutItemInput::new("orders", item.clone());
        let request_len = serde_json::to_vec(&request).unwrap().len();
        let answer = fixtures::get_item_answer(&item);

        let mut group = c.benchmark_group(format!("item_{label}"));
        group.throughput(Throughput::Bytes(request_len as u64));
        group.bench_function("encode_put_item", |b| {
            b.iter(|| serde_json::to_vec(black_box(&request)).unwrap())
        });
        group.throughput(Throughput::Bytes(answer.len() as u64));
        group.bench_function("decode_attributes", |b| {
            b.iter(|| {
                serde_json::from_slice::<wire::GetItemOutput>(black_box(&answer))
                    .unwrap()
                    .item
                    .unwrap()
            })
        });
        group.bench_function("decode_derived", |b| {
            b.iter(|| {
                let out: wire::GetItemOutput = serde_json::from_slice(black_box(&answer)).unwrap();
                Order::from_item(out.item.unwrap()).unwrap()
            })
        });
        group.finish();
        // The decoded struct is the one encoded.
        let out: wire::GetItemOutput = serde_json::from_slice(&answer).unwrap();
        assert_eq!(Order::from_item(out.item.unwrap()).unwrap(), order);
    }
}

fn query_page(c: &mut Criterion) {
    let (page, count) = fixtures::query_page(1024 * 1024);
    let mut group = c.benchmark_group(format!("query_page_1MB_{count}_items"));
    group.throughput(Throughput::Bytes(page.len() as u64));
    group.bench_function("parse_query_output", |b| {
        b.iter_batched(
            || (),
            |()| serde_json::from_slice::<wire::QueryOutput>(black_box(&page)).unwrap(),
            // Dropping the parsed page is left out of the figure (the caller
            // owns the items); one page at a time bounds memory.
            BatchSize::PerIteration,
        )
    });
    group.finish();
    let out: wire::QueryOutput = serde_json::from_slice(&page).unwrap();
    assert_eq!(out.items.len(), count);
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
}

criterion_group! {
    name = benches;
    config = config();
    targets = items, query_page
}
criterion_main!(benches);
