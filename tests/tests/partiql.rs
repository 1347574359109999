//! PartiQL against DynamoDB Local: statements with parameters, paging,
//! typed reads, batches with per-statement errors and transactions
//! cancelled by a condition.

use dynamo_blocking::{
    AttributeValue, CancelReason, Capacity, DynamoItem, Error, KeyAttribute, KeySchema, ScalarType,
    Table,
};
use dynamo_core::wire::RequestError;
use dynamo_tests::{client, unique_name, DropTable};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
struct Account {
    id: String,
    balance: i64,
}

fn accounts() -> (Table, DropTable) {
    let client = client();
    let name = unique_name("partiql");
    let guard = DropTable::new(&client, &name);
    let table = Table::create(
        &client,
        &name,
        KeySchema::hash(KeyAttribute::new("id", ScalarType::S)),
        Capacity::on_demand(),
        [],
    )
    .unwrap();
    (table, guard)
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::from(text)
}

fn n(value: i64) -> AttributeValue {
    AttributeValue::from(value)
}

#[test]
fn insert_select_update_delete() {
    let (table, _guard) = accounts();
    let client = client();
    let name = table.name();
    let insert = format!("INSERT INTO \"{name}\" VALUE {{'id': ?, 'balance': ?}}");
    client.execute(&insert, [s("ada"), n(10)]).run().unwrap();
    client.execute(&insert, [s("bob"), n(5)]).run().unwrap();

    let found = client
        .execute(format!("SELECT * FROM \"{name}\" WHERE id = ?"), [s("ada")])
        .run()
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["balance"], n(10));

    client
        .execute(
            format!("UPDATE \"{name}\" SET balance = balance + ? WHERE id = ?"),
            [n(7), s("ada")],
        )
        .run()
        .unwrap();
    let ada: Vec<Account> = client
        .execute_as::<Account>(format!("SELECT * FROM \"{name}\" WHERE id = ?"), [s("ada")])
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        ada,
        vec![Account {
            id: "ada".into(),
            balance: 17
        }]
    );

    client
        .execute(format!("DELETE FROM \"{name}\" WHERE id = ?"), [s("bob")])
        .run()
        .unwrap();
    let left: Vec<String> = client
        .execute_as::<Account>(format!("SELECT * FROM \"{name}\""), [])
        .map(|a| a.unwrap().id)
        .collect();
    assert_eq!(left, vec!["ada".to_owned()]);

    // A parameter is a value, never statement text.
    let none = client
        .execute(
            format!("SELECT * FROM \"{name}\" WHERE id = ?"),
            [s("ada' OR 'a' = 'a")],
        )
        .run()
        .unwrap();
    assert!(none.is_empty());
}

#[test]
fn a_select_pages_with_next_token() {
    let (table, _guard) = accounts();
    let client = client();
    let name = table.name();
    let statements: Vec<(String, Vec<AttributeValue>)> = (0..7)
        .map(|i| {
            (
                format!("INSERT INTO \"{name}\" VALUE {{'id': ?, 'balance': ?}}"),
                vec![s(&format!("acct{i}")), n(i)],
            )
        })
        .collect();
    for result in client.batch_execute(statements).unwrap() {
        result.unwrap();
    }

    let mut items = client
        .execute(format!("SELECT * FROM \"{name}\""), [])
        .page_size(2)
        .into_iter();
    let mut ids: Vec<String> = items
        .by_ref()
        .map(|i| i.unwrap()["id"].as_s().unwrap().to_owned())
        .collect();
    assert!(
        items.pages_fetched() >= 4,
        "{} pages",
        items.pages_fetched()
    );
    ids.sort();
    assert_eq!(ids, (0..7).map(|i| format!("acct{i}")).collect::<Vec<_>>());

    // `limit` stops after that many items, fetching no page it does not need.
    let mut limited = client
        .execute(format!("SELECT * FROM \"{name}\""), [])
        .page_size(2)
        .limit(3)
        .into_iter();
    assert_eq!(limited.by_ref().count(), 3);
    assert_eq!(limited.pages_fetched(), 2);
}

#[test]
fn a_batch_reports_each_statement() {
    let (table, _guard) = accounts();
    let client = client();
    let name = table.name();
    let insert = format!("INSERT INTO \"{name}\" VALUE {{'id': ?, 'balance': ?}}");
    client.execute(&insert, [s("taken"), n(1)]).run().unwrap();

    let results = client
        .batch_execute([
            (insert.clone(), vec![s("new1"), n(1)]),
            (insert.clone(), vec![s("taken"), n(2)]),
            (insert.clone(), vec![s("new2"), n(3)]),
        ])
        .unwrap();
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok());
    let err = results[1].as_ref().unwrap_err();
    assert!(err.is_duplicate_item(), "{err}");
    assert!(results[2].is_ok());
    let stored = client
        .execute(
            format!("SELECT * FROM \"{name}\" WHERE id = ?"),
            [s("taken")],
        )
        .run()
        .unwrap();
    assert_eq!(
        stored[0]["balance"],
        n(1),
        "the failed insert changed nothing"
    );

    // More than 25 statements are refused before sending.
    let too_many: Vec<(String, Vec<AttributeValue>)> = (0..26)
        .map(|i| (insert.clone(), vec![s(&i.to_string()), n(i)]))
        .collect();
    let err = client.batch_execute(too_many).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Request(RequestError::Count {
                given: 26,
                max: 25,
                ..
            })
        ),
        "{err:?}"
    );
}

#[test]
fn a_transaction_is_cancelled_by_a_condition() {
    let (table, _guard) = accounts();
    let client = client();
    let name = table.name();
    let insert = format!("INSERT INTO \"{name}\" VALUE {{'id': ?, 'balance': ?}}");
    client.execute(&insert, [s("a"), n(5)]).run().unwrap();
    client.execute(&insert, [s("b"), n(0)]).run().unwrap();
    let debit =
        format!("UPDATE \"{name}\" SET balance = balance - ? WHERE id = ? AND balance >= ?");
    let credit = format!("UPDATE \"{name}\" SET balance = balance + ? WHERE id = ?");

    let err = client
        .execute_transaction([
            (debit.clone(), vec![n(10), s("a"), n(10)]),
            (credit.clone(), vec![n(10), s("b")]),
        ])
        .unwrap_err();
    let reasons = err.cancel_reasons().expect("a cancelled transaction");
    assert!(
        matches!(reasons[0], CancelReason::ConditionFailed { .. }),
        "{reasons:?}"
    );
    assert_eq!(reasons[1], CancelReason::None);
    let balances: Vec<Account> = client
        .execute_as::<Account>(format!("SELECT * FROM \"{name}\""), [])
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(balances.iter().all(|a| (a.id == "a") == (a.balance == 5)));

    client
        .execute_transaction([
            (debit, vec![n(5), s("a"), n(5)]),
            (credit, vec![n(5), s("b")]),
        ])
        .unwrap();
    let b = client
        .execute(format!("SELECT * FROM \"{name}\" WHERE id = ?"), [s("b")])
        .run()
        .unwrap();
    assert_eq!(b[0]["balance"], n(5));
}
