//! Dates that sort like time, keys in hash sets, dates as TTL (issue 14,
//! problems 4 and 7), against DynamoDB Local.

use std::collections::HashSet;

use chrono::{DateTime, Duration, TimeZone, Utc};
use dynamo_blocking::{Capacity, DynamoItem, TypedTable};
use dynamo_tests::{client, unique_name, DropTable};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
struct Reading {
    #[dynamo(hash_key)]
    sensor: String,
    #[dynamo(range_key)]
    at: DateTime<Utc>,
    value: i64,
    #[dynamo(with = "dynamo_blocking::time::epoch_millis")]
    received: DateTime<Utc>,
    #[dynamo(ttl)]
    expires: Option<DateTime<Utc>>,
}

fn noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 5, 1, 12, 0, 0).unwrap()
}

fn reading(at: DateTime<Utc>, value: i64) -> Reading {
    Reading {
        sensor: "s1".into(),
        at,
        value,
        received: noon(),
        expires: Some(noon() + Duration::days(30)),
    }
}

fn readings() -> (TypedTable<Reading>, DropTable) {
    let client = client();
    let name = unique_name("dates");
    let guard = DropTable::new(&client, &name);
    let table = TypedTable::<Reading>::create_named(&client, &name, Capacity::on_demand()).unwrap();
    (table, guard)
}

/// Problem 4: with a date range key, string order must be time order.
#[test]
fn date_range_keys_sort_and_compare_like_time() {
    let (table, _guard) = readings();
    let times = [
        noon(),
        noon() + Duration::milliseconds(500),
        noon() + Duration::seconds(1),
        noon() + Duration::nanoseconds(1),
    ];
    for (i, t) in times.iter().enumerate() {
        table.put(&reading(*t, i as i64)).unwrap();
    }
    let newest_first: Vec<DateTime<Utc>> = table
        .query("s1")
        .reverse()
        .into_iter()
        .map(|r| r.unwrap().at)
        .collect();
    let mut expected = times.to_vec();
    expected.sort();
    expected.reverse();
    assert_eq!(newest_first, expected);

    let up_to_noon: Vec<DateTime<Utc>> = table
        .query("s1")
        .range_le(noon())
        .into_iter()
        .map(|r| r.unwrap().at)
        .collect();
    assert_eq!(up_to_noon, [noon()]);

    let stored = table
        .table()
        .get_item(dynamo_blocking::ItemKey::to_key(&reading(noon(), 0).key()).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.get_as::<String>("at").unwrap(),
        "2024-05-01T12:00:00.000000000Z"
    );
    assert_eq!(
        stored.get_as::<i64>("received").unwrap(),
        noon().timestamp_millis(),
        "epoch_millis option"
    );
    assert_eq!(
        stored.get_as::<i64>("expires").unwrap(),
        (noon() + Duration::days(30)).timestamp(),
        "a DateTime ttl is stored as epoch seconds"
    );
    let back = table.get(&reading(noon(), 0).key()).unwrap().unwrap();
    assert_eq!(back, reading(noon(), 0));
}

/// Problem 7: `<Name>Key` is Eq + Hash; a ttl can be a DateTime.
#[test]
fn keys_go_in_hash_sets() {
    let a = reading(noon(), 1).key();
    let b = reading(noon(), 2).key();
    let c = reading(noon() + Duration::seconds(1), 3).key();
    let set: HashSet<ReadingKey> = [a.clone(), b, c].into_iter().collect();
    assert_eq!(set.len(), 2);
    assert!(set.contains(&a));

    let (table, _guard) = readings();
    let mut never = reading(noon(), 1);
    never.expires = None;
    table.put(&never).unwrap();
    let key = dynamo_blocking::ItemKey::to_key(&never.key()).unwrap();
    let stored = table.table().get_item(key).unwrap().unwrap();
    assert!(stored.get("expires").is_none(), "None never expires");
    assert_eq!(table.get(&never.key()).unwrap().unwrap().expires, None);
}
