//! A global index with a multi-attribute key (up to four partition-key and
//! four sort-key attributes), declared on the derive, created, described
//! and queried against DynamoDB Local.

use dynamo_blocking::{Capacity, DynamoItem, Error, ExprError, GlobalIndex, TypedTable};
use dynamo_tests::{client, unique_name, DropTable};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "matches")]
#[dynamo(global_index(
    name = "ByTournamentRegion",
    hash = ["tournament", "region"],
    range = ["round", "bracket"]
))]
struct Match {
    #[dynamo(hash_key)]
    match_id: String,
    tournament: String,
    region: String,
    round: String,
    bracket: String,
    score: u32,
}

fn game(id: &str, region: &str, round: &str, bracket: &str) -> Match {
    Match {
        match_id: id.into(),
        tournament: "WINTER2024".into(),
        region: region.into(),
        round: round.into(),
        bracket: bracket.into(),
        score: 1,
    }
}

fn matches() -> (TypedTable<Match>, DropTable) {
    let client = client();
    let name = unique_name("matches");
    let guard = DropTable::new(&client, &name);
    let table = TypedTable::<Match>::create_named(&client, &name, Capacity::on_demand()).unwrap();
    for m in [
        game("m1", "NA-EAST", "FINAL", "UPPER"),
        game("m2", "NA-EAST", "SEMI", "LOWER"),
        game("m3", "NA-EAST", "SEMI", "UPPER"),
        game("m4", "EU-WEST", "SEMI", "UPPER"),
    ] {
        table.put(&m).unwrap();
    }
    (table, guard)
}

fn ids(found: impl IntoIterator<Item = Result<Match, Error>>) -> Vec<String> {
    let mut ids: Vec<String> = found.into_iter().map(|m| m.unwrap().match_id).collect();
    ids.sort();
    ids
}

#[test]
fn the_index_is_created_with_every_key_attribute_and_described_back() {
    let (table, _guard) = matches();
    // A table opened by name learns its schema from DescribeTable.
    let described = dynamo_blocking::Table::new(&client(), table.table().name())
        .meta()
        .unwrap();
    let index = described
        .indexes
        .iter()
        .find_map(|i| match i {
            dynamo_blocking::SecondaryIndex::Global(g) => Some(g.clone()),
            _ => None,
        })
        .expect("the global index");
    let names = |keys: Vec<&dynamo_blocking::KeyAttribute>| -> Vec<String> {
        keys.into_iter().map(|k| k.name.clone()).collect()
    };
    assert_eq!(
        names(index.hash_attributes().collect()),
        ["tournament", "region"]
    );
    assert_eq!(
        names(index.range_attributes().collect()),
        ["round", "bracket"]
    );
    let declared: GlobalIndex = match &<Match as dynamo_blocking::KeyedItem>::indexes()[0] {
        dynamo_blocking::SecondaryIndex::Global(g) => g.clone(),
        _ => unreachable!(),
    };
    assert_eq!(
        index.key_attributes().count(),
        declared.key_attributes().count()
    );
}

#[test]
fn queries_need_every_partition_attribute_and_sort_conditions_left_to_right() {
    let (table, _guard) = matches();
    let index = "ByTournamentRegion";
    let both = ["WINTER2024", "NA-EAST"];
    assert_eq!(ids(table.query_index_keys(index, both)), ["m1", "m2", "m3"]);
    assert_eq!(
        ids(table.query_index_keys(index, both).range_eq("SEMI")),
        ["m2", "m3"]
    );
    assert_eq!(
        ids(table
            .query_index_keys(index, both)
            .range_eq("SEMI")
            .range_begins_with("UP")),
        ["m3"]
    );
    assert_eq!(
        ids(table.query_index_keys(index, ["WINTER2024", "EU-WEST"])),
        ["m4"]
    );

    // A range condition before the last sort-key condition is refused
    // before sending.
    let client_before = table.table().client().requests_sent("Query");
    let wrong: Vec<Result<Match, Error>> = table
        .query_index_keys(index, both)
        .range_gt("A")
        .range_eq("UPPER")
        .into_iter()
        .collect();
    assert_eq!(wrong.len(), 1);
    let Err(Error::Expression(ExprError::IndexKeyOrder { name, .. })) = &wrong[0] else {
        panic!("expected IndexKeyOrder, got {:?}", wrong[0])
    };
    assert_eq!(name, "bracket");
    // One partition-key value missing is refused too.
    let missing: Vec<Result<Match, Error>> = table
        .query_index_keys(index, ["WINTER2024"])
        .into_iter()
        .collect();
    assert!(
        matches!(&missing[0], Err(Error::Expression(ExprError::MissingHashCondition { hash_key })) if hash_key == "region"),
        "{missing:?}"
    );
    assert_eq!(table.table().client().requests_sent("Query"), client_before);
}

#[test]
fn the_compile_time_checked_path_returns_what_the_run_time_path_returns() {
    let (table, _guard) = matches();
    let index = "ByTournamentRegion";
    let both = ["WINTER2024", "NA-EAST"];
    let by = || Match::by_tournament_region("WINTER2024", "NA-EAST");
    assert_eq!(by().index_name(), index);

    let cases: Vec<(Vec<String>, Vec<String>)> = vec![
        (
            ids(table.query_by(by())),
            ids(table.query_index_keys(index, both)),
        ),
        (
            ids(table.query_by(by()).range_eq("SEMI")),
            ids(table.query_index_keys(index, both).range_eq("SEMI")),
        ),
        (
            ids(table
                .query_by(by())
                .range_eq("SEMI")
                .range_begins_with("UP")),
            ids(table
                .query_index_keys(index, both)
                .range_eq("SEMI")
                .range_begins_with("UP")),
        ),
        (
            ids(table.query_by(by()).range_eq("SEMI").range_eq("LOWER")),
            ids(table
                .query_index_keys(index, both)
                .range_eq("SEMI")
                .range_eq("LOWER")),
        ),
        (
            ids(table.query_by(by()).range_gt("GRAND")),
            ids(table.query_index_keys(index, both).range_gt("GRAND")),
        ),
        (
            ids(table.query_by(by()).range_between("A", "G")),
            ids(table.query_index_keys(index, both).range_between("A", "G")),
        ),
        (
            ids(table.query_by(Match::by_tournament_region(
                "WINTER2024".to_owned(),
                "EU-WEST",
            ))),
            ids(table.query_index_keys(index, ["WINTER2024", "EU-WEST"])),
        ),
    ];
    let expected: [&[&str]; 7] = [
        &["m1", "m2", "m3"],
        &["m2", "m3"],
        &["m3"],
        &["m2"],
        &["m2", "m3"],
        &["m1"],
        &["m4"],
    ];
    for ((typed, run_time), expected) in cases.into_iter().zip(expected) {
        assert_eq!(typed, run_time);
        assert_eq!(typed, expected);
    }

    // The modifiers: descending order, a limit, a count.
    let newest_first: Vec<String> = table
        .query_by(by())
        .reverse()
        .limit(2)
        .into_iter()
        .map(|m| m.unwrap().match_id)
        .collect();
    assert_eq!(newest_first, ["m3", "m2"]);
    assert_eq!(table.query_by(by()).range_eq("SEMI").count().unwrap(), 2);
}

/// A date sort key: the typed index query's `range_begins_with` takes a
/// text prefix of the stored date (a date itself cannot say "May 2026").
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "events")]
#[dynamo(global_index(name = "ByVenue", hash = "venue", range = "at"))]
struct Event {
    #[dynamo(hash_key)]
    id: String,
    venue: String,
    at: chrono::DateTime<chrono::Utc>,
}

#[test]
fn a_date_sort_key_is_queried_by_a_text_prefix() {
    use chrono::TimeZone;
    let client = client();
    let name = unique_name("events");
    let _guard = DropTable::new(&client, &name);
    let events = TypedTable::<Event>::create_named(&client, &name, Capacity::on_demand()).unwrap();
    for (id, month, day) in [("e1", 5, 3), ("e2", 5, 28), ("e3", 6, 1)] {
        let at = chrono::Utc
            .with_ymd_and_hms(2026, month, day, 10, 0, 0)
            .unwrap();
        events
            .put(&Event {
                id: id.into(),
                venue: "hall".into(),
                at,
            })
            .unwrap();
    }
    let may: Vec<String> = events
        .query_by(Event::by_venue("hall"))
        .range_begins_with("2026-05")
        .into_iter()
        .map(|e| e.unwrap().id)
        .collect();
    assert_eq!(may, ["e1", "e2"]);
}
