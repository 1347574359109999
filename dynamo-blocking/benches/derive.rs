//! The derive's conversions of a 20-field struct to and from an attribute map.

mod fixtures;

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use dynamo_blocking::DynamoItem;
use fixtures::Wide;

fn wide_struct(c: &mut Criterion) {
    let value = fixtures::wide();
    let item = value.to_item().unwrap();
    assert_eq!(item.len(), 19, "20 fields, one None left out");
    assert_eq!(Wide::from_item(item.clone()).unwrap(), value);

    let mut group = c.benchmark_group("derive_20_fields");
    group.bench_function("to_item", |b| {
        b.iter(|| black_box(&value).to_item().unwrap())
    });
    // from_item takes the map by value: the clone is made outside the timing.
    group.bench_function("from_item", |b| {
        b.iter_batched(
            || item.clone(),
            |item| Wide::from_item(item).unwrap(),
            BatchSize::SmallInput,
        )
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
    targets = wide_struct
}
criterion_main!(benches);
