//! Consumed capacity and rate limits against DynamoDB Local, which reports
//! consumed capacity when asked: running totals equal the sum of what each
//! answer reports, and a rate-limited scan holds its rate.

use std::time::Instant;

use dynamo_blocking::wire::{self, ReturnConsumedCapacity};
use dynamo_blocking::{
    item, key, Attributes, Capacity, CapacityMeter, Client, DynamoItem, Error, KeySchema,
    ScalarType, Table, TypedTable,
};
use dynamo_tests::{client, unique_name, DropTable};

/// A table of `n` items of about 2 KB each.
fn table(client: &Client, n: usize) -> (Table, DropTable) {
    let name = unique_name("capacity");
    let guard = DropTable::new(client, &name);
    let table = Table::create(
        client,
        &name,
        KeySchema::hash(("id", ScalarType::S)),
        Capacity::on_demand(),
        [],
    )
    .unwrap();
    let padding = "x".repeat(2000);
    table
        .batch_write(|b| -> Result<(), Error> {
            for i in 0..n {
                b.put_item(item! { "id" => format!("item{i:04}"), "padding" => padding.clone() })?;
            }
            Ok(())
        })
        .unwrap();
    (table, guard)
}

/// What the pages of a plain paged scan with `limit` report, summed.
fn scan_pages_sum(client: &Client, table: &str, limit: u32) -> (f64, u64) {
    let mut request = wire::ScanInput {
        table_name: table.to_owned(),
        limit: Some(limit),
        return_consumed_capacity: Some(ReturnConsumedCapacity::Total),
        ..Default::default()
    };
    let (mut units, mut pages) = (0.0, 0);
    loop {
        let page = client.send(&request).unwrap();
        units += page.consumed_capacity.unwrap().capacity_units.unwrap();
        pages += 1;
        match page.last_evaluated_key {
            Some(key) => request.exclusive_start_key = Some(key),
            None => return (units, pages),
        }
    }
}

#[test]
fn running_totals_equal_the_sum_of_what_each_answer_reports() {
    let client = client();
    let (table, _guard) = table(&client, 60);

    // The batch writer: 60 puts of 2 KB in 3 requests.
    let written = CapacityMeter::new();
    table
        .batch_write(|b| -> Result<(), Error> {
            b.capacity_meter(&written);
            for i in 0..60 {
                b.put_item(item! { "id" => format!("again{i:02}"), "n" => i })?;
            }
            Ok(())
        })
        .unwrap();
    let total = written.total();
    assert_eq!(total.answers, 3, "{total}");
    // One unit per put of an item under 1 KB.
    assert_eq!(total.units, 60.0, "{total}");

    // A scan, its iterator's total and a meter's, page by page.
    let (expected, pages) = scan_pages_sum(&client, table.name(), 7);
    assert!(expected > 0.0);
    let meter = CapacityMeter::new();
    let mut items = table.scan().page_size(7).capacity_meter(&meter).into_iter();
    let mut seen = 0;
    for item in items.by_ref() {
        item.unwrap();
        seen += 1;
        // Readable during the scan.
        assert!(meter.total().units > 0.0);
    }
    assert_eq!(seen, 120);
    assert_eq!(items.consumed_capacity().units, expected);
    assert_eq!(items.consumed_capacity().answers, pages);
    assert_eq!(meter.total(), items.consumed_capacity());

    // Asking without a meter: the iterator still keeps the total.
    let mut plain = table
        .scan()
        .page_size(7)
        .return_consumed_capacity(ReturnConsumedCapacity::Indexes)
        .into_iter();
    assert_eq!(plain.by_ref().count(), 120);
    assert_eq!(plain.consumed_capacity().units, expected);
    // Not asking: nothing reported, nothing counted.
    let mut silent = table.scan().into_iter();
    assert_eq!(silent.by_ref().count(), 120);
    assert_eq!(silent.consumed_capacity().answers, 0);

    // A parallel scan: the segments add to one total.
    let mut parallel = table
        .scan()
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .parallel(3)
        .into_iter();
    assert_eq!(parallel.by_ref().count(), 120);
    let total = parallel.consumed_capacity();
    assert!(total.answers >= 3 && total.units > 0.0, "{total}");

    // A count with a meter.
    let counted = CapacityMeter::new();
    let n = table
        .query()
        .key_eq("id", "item0001")
        .capacity_meter(&counted)
        .count()
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(counted.total().answers, 1);
    assert!(counted.total().units > 0.0);

    // A batch get, against the same request sent by hand.
    let keys: Vec<Attributes> = (0..30)
        .map(|i| key! { "id" => format!("item{i:04}") })
        .collect();
    let mut got = table
        .batch_get(keys.clone())
        .return_consumed_capacity(ReturnConsumedCapacity::Total)
        .into_iter();
    assert_eq!(got.by_ref().count(), 30);
    let mut by_hand = wire::BatchGetItemInput {
        return_consumed_capacity: Some(ReturnConsumedCapacity::Total),
        ..Default::default()
    };
    let spec = wire::KeysAndAttributes {
        keys,
        ..Default::default()
    };
    by_hand.request_items.insert(table.name().to_owned(), spec);
    let answer = client.send(&by_hand).unwrap();
    let reported: f64 = answer
        .consumed_capacity
        .unwrap()
        .iter()
        .map(|c| c.capacity_units.unwrap())
        .sum();
    assert_eq!(got.consumed_capacity().units, reported);
}

#[test]
fn a_rate_limited_scan_holds_its_rate() {
    const RATE: f64 = 4.0;
    let client = client();
    let (table, _guard) = table(&client, 160);
    let meter = CapacityMeter::new();
    let started = Instant::now();
    let count = table
        .scan()
        .page_size(4)
        .capacity_meter(&meter)
        .max_read_units_per_second(RATE)
        .into_iter()
        .map(Result::unwrap)
        .count();
    assert_eq!(count, 160);
    assert_held(&meter, started, RATE);
}

/// The units `meter` counted since `started` came at `rate` per second,
/// within 15%, over a run of several seconds.
fn assert_held(meter: &CapacityMeter, started: Instant, rate: f64) {
    let elapsed = started.elapsed().as_secs_f64();
    let total = meter.total();
    let held = total.units / elapsed;
    eprintln!("{total} in {elapsed:.2} s: {held:.2} units/s");
    assert!(
        elapsed > 5.0,
        "the run must last several seconds: {elapsed}"
    );
    assert!(
        (held - rate).abs() <= rate * 0.15,
        "held {held:.2} units/s for a limit of {rate}: {total} in {elapsed:.2} s"
    );
}

#[test]
fn a_parallel_scan_shares_its_rate_across_segments() {
    const RATE: f64 = 4.0;
    let client = client();
    let (table, _guard) = table(&client, 120);
    let meter = CapacityMeter::new();
    let started = Instant::now();
    table
        .scan()
        .page_size(4)
        .capacity_meter(&meter)
        .max_read_units_per_second(RATE)
        .parallel(4)
        .for_each(|item| -> Result<(), Error> {
            // Readable from the callback while the segments run.
            assert!(meter.total().units >= 0.0);
            drop(item);
            Ok(())
        })
        .unwrap();
    assert_held(&meter, started, RATE);
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
struct Row {
    #[dynamo(hash_key)]
    id: String,
    padding: String,
}

#[test]
fn typed_reads_and_writes_forward_capacity_settings() {
    let client = client();
    let (table, _guard) = table(&client, 10);
    let typed = TypedTable::<Row>::named(&client, table.name());
    let written = CapacityMeter::new();
    let row = Row {
        id: "typed".into(),
        padding: "p".into(),
    };
    typed
        .batch_write(|b| -> Result<(), Error> {
            b.capacity_meter(&written)
                .max_write_units_per_second(1000.0)?;
            b.put(&row)
        })
        .unwrap();
    assert_eq!(written.total().units, 1.0);

    let mut rows = typed.scan().max_read_units_per_second(1000.0).into_iter();
    assert_eq!(rows.by_ref().map(Result::unwrap).count(), 11);
    assert!(rows.consumed_capacity().units > 0.0);

    let meter = CapacityMeter::new();
    let got: Vec<Row> = typed
        .batch_get([row.key()])
        .capacity_meter(&meter)
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(got, [row]);
    assert_eq!(meter.total().answers, 1);
}

#[test]
fn a_rate_that_is_not_positive_is_a_typed_error() {
    let client = client();
    let table = Table::with_schema(
        &client,
        "never-sent",
        KeySchema::hash(("id", ScalarType::S)),
        [],
    );
    let first = table
        .scan()
        .max_read_units_per_second(0.0)
        .into_iter()
        .next();
    assert!(matches!(first, Some(Err(Error::InvalidRate { .. }))));
    let err = table
        .batch_write(|b| b.max_write_units_per_second(f64::NAN).map(|_| ()))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRate { .. }), "{err}");
    assert_eq!(
        err.to_string(),
        "a rate limit must be a positive number of capacity units per second, not NaN"
    );
    assert_eq!(client.requests_sent("Scan"), 0);
}
