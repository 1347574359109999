//! Every low-level operation round-trips against DynamoDB Local.

use std::time::Duration;

use dynamo_blocking::wire::*;
use dynamo_blocking::{
    item, key, Capacity, GlobalIndex, KeySchema, LocalIndex, ScalarType, SecondaryIndex,
};
use dynamo_tests::{client, unique_name, DropTable};

const WAIT: Duration = Duration::from_secs(30);

fn create_simple(client: &dynamo_blocking::Client, prefix: &str) -> DropTable {
    let name = unique_name(prefix);
    let guard = DropTable::new(client, &name);
    client
        .create_table(&CreateTableInput::new(
            &name,
            &KeySchema::hash(("id", ScalarType::S)),
            Capacity::on_demand(),
            &[],
        ))
        .unwrap();
    client.wait_until_active(&name, WAIT).unwrap();
    guard
}

#[test]
fn table_lifecycle_create_describe_update_list_delete() {
    let client = client();
    let name = unique_name("lifecycle");
    let guard = DropTable::new(&client, &name);
    let schema = KeySchema::hash_range(
        ("account_type", ScalarType::S),
        ("last_name", ScalarType::S),
    );
    let indexes: Vec<SecondaryIndex> = vec![
        LocalIndex::all("DateJoinedIndex", ("date_joined", ScalarType::N)).into(),
        LocalIndex::include("NickIndex", ("nick", ScalarType::S), ["email"]).into(),
        GlobalIndex::keys_only("EmailIndex", KeySchema::hash(("email", ScalarType::S)))
            .with_throughput(2, 3)
            .into(),
    ];
    let created = client
        .create_table(&CreateTableInput::new(
            &name,
            &schema,
            Capacity::provisioned(5, 15),
            &indexes,
        ))
        .unwrap();
    assert_eq!(created.table_description.table_name, name);

    let described = client.wait_until_active(&name, WAIT).unwrap();
    assert_eq!(described.schema().unwrap(), schema);
    assert_eq!(described.capacity(), Capacity::provisioned(5, 15));
    let mut found = described.indexes().unwrap();
    found.sort_by(|a, b| a.name().cmp(b.name()));
    let mut expected = indexes.clone();
    expected.sort_by(|a, b| a.name().cmp(b.name()));
    assert_eq!(
        found, expected,
        "indexes, with the global index's own throughput"
    );

    client
        .update_table(&UpdateTableInput::new(&name).capacity(Capacity::provisioned(7, 8)))
        .unwrap();
    let described = client.wait_until_active(&name, WAIT).unwrap();
    assert_eq!(described.capacity(), Capacity::provisioned(7, 8));

    let names: Vec<String> = client.list_tables().collect::<Result<_, _>>().unwrap();
    assert!(names.contains(&name));

    client
        .delete_table(&DeleteTableInput {
            table_name: name.clone(),
        })
        .unwrap();
    client.wait_until_deleted(&name, WAIT).unwrap();
    let err = client.describe_table(&name).unwrap_err();
    assert!(err.is_resource_not_found(), "{err}");
    drop(guard);
}

#[test]
fn list_tables_follows_pages() {
    let client = client();
    let tables: Vec<DropTable> = (0..3).map(|_| create_simple(&client, "listpage")).collect();
    // Pages of one name each: the iterator must follow LastEvaluatedTableName.
    let mut start = None;
    let mut seen = Vec::new();
    loop {
        let page = client
            .list_tables_page(&ListTablesInput {
                exclusive_start_table_name: start,
                limit: Some(1),
            })
            .unwrap();
        assert!(page.table_names.len() <= 1);
        seen.extend(page.table_names);
        start = page.last_evaluated_table_name;
        if start.is_none() {
            break;
        }
    }
    let all: Vec<String> = client.list_tables().collect::<Result<_, _>>().unwrap();
    for t in &tables {
        assert!(seen.iter().any(|n| n == t.name()));
        assert!(all.iter().any(|n| n == t.name()));
    }
}

#[test]
fn single_item_operations_round_trip() {
    let client = client();
    let table = create_simple(&client, "items");
    let name = table.name().to_owned();
    let john = item! { "id" => "john", "first_name" => "John", "age" => 31, "tags" => dynamo_blocking::AttributeValue::Ss(vec!["a".into()]) };

    client
        .put_item(&PutItemInput::new(&name, john.clone()))
        .unwrap();
    let got = client
        .get_item(&GetItemInput::new(&name, key! { "id" => "john" }))
        .unwrap();
    assert_eq!(got.item, Some(john.clone()));

    let mut conditional = PutItemInput::new(&name, john.clone());
    conditional.condition_expression = Some("attribute_not_exists(#id)".into());
    conditional.expression_attribute_names = Some([("#id".to_string(), "id".to_string())].into());
    let err = client.put_item(&conditional).unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");

    let mut update = UpdateItemInput::new(&name, key! { "id" => "john" });
    update.update_expression = Some("SET #f = :f REMOVE #a".into());
    update.expression_attribute_names = Some(
        [
            ("#f".to_string(), "first_name".to_string()),
            ("#a".to_string(), "age".to_string()),
        ]
        .into(),
    );
    update.expression_attribute_values = Some(item! { ":f" => "Johann" });
    update.return_values = Some(ReturnValues::AllNew);
    let updated = client.update_item(&update).unwrap();
    let new = updated.attributes.unwrap();
    assert_eq!(new.get_as::<String>("first_name").unwrap(), "Johann");
    assert!(!new.contains("age"));

    let mut projected = GetItemInput::new(&name, key! { "id" => "john" });
    projected.projection_expression = Some("#f".into());
    projected.expression_attribute_names =
        Some([("#f".to_string(), "first_name".to_string())].into());
    projected.consistent_read = Some(true);
    let got = client.get_item(&projected).unwrap().item.unwrap();
    assert_eq!(got, item! { "first_name" => "Johann" });

    let mut delete = DeleteItemInput::new(&name, key! { "id" => "john" });
    delete.return_values = Some(ReturnValues::AllOld);
    let old = client.delete_item(&delete).unwrap().attributes.unwrap();
    assert_eq!(old.get_as::<String>("first_name").unwrap(), "Johann");
    assert_eq!(
        client
            .get_item(&GetItemInput::new(&name, key! { "id" => "john" }))
            .unwrap()
            .item,
        None
    );
}

#[test]
fn batch_operations_round_trip() {
    let client = client();
    let table = create_simple(&client, "batch");
    let name = table.name().to_owned();
    let mut write = BatchWriteItemInput::default();
    write.request_items.insert(
        name.clone(),
        (0..25)
            .map(|i| WriteRequest::PutRequest {
                item: item! { "id" => format!("k{i}"), "n" => i },
            })
            .collect(),
    );
    let out = client.batch_write_item(&write).unwrap();
    assert!(out.unprocessed_items.is_empty());

    let mut get = BatchGetItemInput::default();
    get.request_items.insert(
        name.clone(),
        KeysAndAttributes {
            keys: (0..30).map(|i| key! { "id" => format!("k{i}") }).collect(),
            consistent_read: Some(true),
            ..Default::default()
        },
    );
    let out = client.batch_get_item(&get).unwrap();
    assert_eq!(
        out.responses[&name].len(),
        25,
        "missing keys are simply absent"
    );

    let mut delete = BatchWriteItemInput::default();
    delete.request_items.insert(
        name.clone(),
        (0..10)
            .map(|i| WriteRequest::DeleteRequest {
                key: key! { "id" => format!("k{i}") },
            })
            .collect(),
    );
    client.batch_write_item(&delete).unwrap();
    let out = client.batch_get_item(&get).unwrap();
    assert_eq!(out.responses[&name].len(), 15);
}

#[test]
fn query_and_scan_pages() {
    let client = client();
    let name = unique_name("readpages");
    let _guard = DropTable::new(&client, &name);
    client
        .create_table(&CreateTableInput::new(
            &name,
            &KeySchema::hash_range(("pk", ScalarType::S), ("sk", ScalarType::N)),
            Capacity::on_demand(),
            &[],
        ))
        .unwrap();
    client.wait_until_active(&name, WAIT).unwrap();
    for i in 0..7 {
        client
            .put_item(&PutItemInput::new(&name, item! { "pk" => "p", "sk" => i }))
            .unwrap();
    }
    let query = QueryInput {
        table_name: name.clone(),
        key_condition_expression: Some("#pk = :pk AND #sk >= :low".into()),
        expression_attribute_names: Some(
            [
                ("#pk".to_string(), "pk".to_string()),
                ("#sk".to_string(), "sk".to_string()),
            ]
            .into(),
        ),
        expression_attribute_values: Some(item! { ":pk" => "p", ":low" => 2 }),
        scan_index_forward: Some(false),
        limit: Some(3),
        ..Default::default()
    };
    let page = client.query(&query).unwrap();
    let sks: Vec<i64> = page.items.iter().map(|i| i.get_as("sk").unwrap()).collect();
    assert_eq!(sks, [6, 5, 4]);
    let next = client
        .query(&QueryInput {
            exclusive_start_key: page.last_evaluated_key.clone(),
            ..query.clone()
        })
        .unwrap();
    let sks: Vec<i64> = next.items.iter().map(|i| i.get_as("sk").unwrap()).collect();
    assert_eq!(sks, [3, 2]);

    let count = client
        .query(&QueryInput {
            select: Some(Select::Count),
            limit: None,
            ..query
        })
        .unwrap();
    assert_eq!(count.count, 5);
    assert!(count.items.is_empty());

    let scan = client
        .scan(&ScanInput {
            table_name: name.clone(),
            segment: Some(0),
            total_segments: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(scan.count, 7);
}

#[test]
fn transactions_round_trip() {
    let client = client();
    let table = create_simple(&client, "transact");
    let name = table.name().to_owned();
    client
        .transact_write_items(&TransactWriteItemsInput {
            transact_items: vec![
                TransactWriteItem::Put(TransactPut {
                    table_name: name.clone(),
                    item: item! { "id" => "a", "v" => 1 },
                    ..Default::default()
                }),
                TransactWriteItem::Put(TransactPut {
                    table_name: name.clone(),
                    item: item! { "id" => "b", "v" => 2 },
                    ..Default::default()
                }),
            ],
            ..Default::default()
        })
        .unwrap();
    let out = client
        .transact_get_items(&TransactGetItemsInput {
            transact_items: ["a", "b", "missing"]
                .iter()
                .map(|k| TransactGetItem {
                    get: TransactGet {
                        table_name: name.clone(),
                        key: key! { "id" => *k },
                        ..Default::default()
                    },
                })
                .collect(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(out.responses.len(), 3);
    assert_eq!(
        out.responses[1]
            .item
            .as_ref()
            .unwrap()
            .get_as::<i64>("v")
            .unwrap(),
        2
    );
    assert!(out.responses[2].item.is_none());

    // One failing condition cancels the whole transaction, with reasons.
    let err = client
        .transact_write_items(&TransactWriteItemsInput {
            transact_items: vec![
                TransactWriteItem::Update(TransactUpdate {
                    table_name: name.clone(),
                    key: key! { "id" => "a" },
                    update_expression: "SET #v = :v".into(),
                    expression_attribute_names: Some([("#v".to_string(), "v".to_string())].into()),
                    expression_attribute_values: Some(item! { ":v" => 10 }),
                    ..Default::default()
                }),
                TransactWriteItem::ConditionCheck(TransactCondition {
                    table_name: name.clone(),
                    key: key! { "id" => "b" },
                    condition_expression: "#v = :v".into(),
                    expression_attribute_names: Some([("#v".to_string(), "v".to_string())].into()),
                    expression_attribute_values: Some(item! { ":v" => 99 }),
                    ..Default::default()
                }),
            ],
            ..Default::default()
        })
        .unwrap_err();
    match err {
        dynamo_blocking::Error::Service(e) => {
            assert_eq!(
                e.kind,
                dynamo_blocking::ServiceErrorKind::TransactionCanceled
            );
            assert_eq!(e.cancellation_reasons.len(), 2);
            assert_eq!(
                e.cancellation_reasons[1].code.as_deref(),
                Some("ConditionalCheckFailed")
            );
        }
        other => panic!("expected a cancelled transaction, got {other:?}"),
    }
    let a = client
        .get_item(&GetItemInput::new(&name, key! { "id" => "a" }))
        .unwrap()
        .item
        .unwrap();
    assert_eq!(
        a.get_as::<i64>("v").unwrap(),
        1,
        "nothing of a cancelled transaction applies"
    );
}

#[test]
fn time_to_live_round_trips() {
    let client = client();
    let table = create_simple(&client, "ttl");
    let name = table.name().to_owned();
    let out = client
        .update_time_to_live(&UpdateTimeToLiveInput {
            table_name: name.clone(),
            time_to_live_specification: TimeToLiveSpecification {
                enabled: true,
                attribute_name: "expires".into(),
            },
        })
        .unwrap();
    assert!(out.time_to_live_specification.enabled);
    let described = client
        .describe_time_to_live(&DescribeTimeToLiveInput { table_name: name })
        .unwrap();
    assert_eq!(
        described.time_to_live_description.attribute_name.as_deref(),
        Some("expires")
    );
    assert_eq!(
        described
            .time_to_live_description
            .time_to_live_status
            .as_deref(),
        Some("ENABLED")
    );
}

#[test]
fn waiting_for_a_missing_table_times_out_with_a_typed_error() {
    let client = client();
    let err = client
        .wait_until_active(&unique_name("never"), Duration::from_millis(300))
        .unwrap_err();
    assert!(
        matches!(err, dynamo_blocking::Error::WaitTimeout { .. }),
        "{err}"
    );
}
