//! Typed transactions against DynamoDB Local (issue 14): typed and dynamic
//! actions in one call, typed cancellation reasons, limits checked before
//! sending, idempotency tokens, transact_get in order, and 8 threads making
//! 1,000 transfers through a proxy that loses answers.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use dynamo_blocking::{
    item, key, CancelReason, Capacity, Client, DynamoItem, Error, KeyAttribute, KeySchema,
    ScalarType, Table, Transaction, TypedTable, Update,
};
use dynamo_tests::fault_proxy::{Fault, FaultProxy};
use dynamo_tests::{client, unique_name, DropTable};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
struct Account {
    #[dynamo(hash_key)]
    id: String,
    balance: i64,
    #[dynamo(version)]
    version: u64,
}

fn account(id: &str, balance: i64) -> Account {
    Account {
        id: id.into(),
        balance,
        version: 0,
    }
}

fn key_of(id: &str) -> AccountKey {
    AccountKey { id: id.into() }
}

fn accounts(client: &Client, prefix: &str) -> (TypedTable<Account>, DropTable) {
    let name = unique_name(prefix);
    let guard = DropTable::new(client, &name);
    let table = TypedTable::<Account>::create_named(client, &name, Capacity::on_demand()).unwrap();
    (table, guard)
}

fn transfer(
    accounts: &TypedTable<Account>,
    from: &str,
    to: &str,
    amount: i64,
) -> Result<Transaction, Error> {
    let f = Account::fields();
    let mut tx = Transaction::new();
    tx.update_if(
        accounts,
        &key_of(from),
        Update::new().increment(f.balance, -amount),
        f.balance.ge(amount),
    )?;
    tx.update(
        accounts,
        &key_of(to),
        Update::new().increment(f.balance, amount),
    )?;
    Ok(tx)
}

#[test]
fn a_transfer_across_typed_and_dynamic_tables() {
    let client = client();
    let (accounts, _guard) = accounts(&client, "txaccounts");
    let log_name = unique_name("txlog");
    let _log_guard = DropTable::new(&client, &log_name);
    let log = Table::create(
        &client,
        &log_name,
        KeySchema::hash(KeyAttribute::new("id", ScalarType::S)),
        Capacity::on_demand(),
        Vec::<dynamo_blocking::SecondaryIndex>::new(),
    )
    .unwrap();
    accounts.put(&account("alice", 100)).unwrap();
    accounts.put(&account("bob", 0)).unwrap();

    let mut tx = transfer(&accounts, "alice", "bob", 30).unwrap();
    tx.put_item(&log, item! { "id" => "t1", "amount" => 30 }, None)
        .unwrap();
    assert_eq!(tx.len(), 3);
    tx.commit(&client).unwrap();

    let got = accounts
        .transact_get(&[key_of("bob"), key_of("nobody"), key_of("alice")])
        .unwrap();
    let balances: Vec<Option<(i64, u64)>> = got
        .iter()
        .map(|a| a.as_ref().map(|a| (a.balance, a.version)))
        .collect();
    assert_eq!(
        balances,
        [Some((30, 2)), None, Some((70, 2))],
        "request order"
    );
    assert!(log.get_item(key! { "id" => "t1" }).unwrap().is_some());

    // Too little money: cancelled, nothing applied, typed reasons per action.
    let err = transfer(&accounts, "alice", "bob", 1000)
        .unwrap()
        .commit(&client)
        .unwrap_err();
    assert!(err.is_conditional_check_failed(), "{err}");
    let reasons = err.cancel_reasons().unwrap();
    assert_eq!(reasons.len(), 2);
    let stored: Account = reasons[0].item().unwrap().unwrap();
    assert_eq!(stored.balance, 70, "the item the condition saw");
    assert_eq!(reasons[1], CancelReason::None);
    assert_eq!(accounts.get(&key_of("bob")).unwrap().unwrap().balance, 30);

    // An update of a missing account never creates it.
    let err = transfer(&accounts, "alice", "carol", 1)
        .unwrap()
        .commit(&client)
        .unwrap_err();
    let reasons = err.cancel_reasons().unwrap();
    assert_eq!(reasons[1], CancelReason::ConditionFailed { item: None });
    assert!(accounts.get(&key_of("carol")).unwrap().is_none());

    // Versions: a put of a stale struct cancels the transaction.
    let mut tx = Transaction::new();
    tx.put(&accounts, &account("alice", 0)).unwrap();
    let err = tx.commit(&client).unwrap_err();
    assert!(matches!(
        err.cancel_reasons().unwrap()[0],
        CancelReason::ConditionFailed { .. }
    ));
    let mut tx = Transaction::new();
    tx.put_new(&accounts, &account("dave", 5))
        .unwrap()
        .check(
            &accounts,
            &key_of("alice"),
            Account::fields().balance.eq(70),
        )
        .unwrap()
        .delete_item(&log, key! { "id" => "t1" }, None)
        .unwrap();
    tx.commit(&client).unwrap();
    assert_eq!(accounts.get(&key_of("dave")).unwrap().unwrap().version, 1);
}

#[test]
fn limits_are_checked_before_sending() {
    // Nothing listens here: any request sent would fail with a transport
    // error, not the errors asserted below.
    let client = dynamo_tests::builder()
        .endpoint("http://127.0.0.1:9")
        .build()
        .unwrap();
    let accounts = TypedTable::<Account>::named(&client, "accounts");
    let f = Account::fields();

    let mut tx = Transaction::new();
    for i in 0..100 {
        tx.put(&accounts, &account(&format!("a{i}"), 1)).unwrap();
    }
    let err = tx.put(&accounts, &account("one-too-many", 1)).unwrap_err();
    assert!(err.to_string().contains("100"), "{err}");

    let mut tx = Transaction::new();
    tx.update(
        &accounts,
        &key_of("x"),
        Update::new().increment(f.balance, 1),
    )
    .unwrap();
    let err = tx
        .check(&accounts, &key_of("x"), f.balance.gt(0))
        .unwrap_err();
    assert!(err.to_string().contains("same item"), "{err}");

    #[derive(DynamoItem)]
    struct Blob {
        #[dynamo(hash_key)]
        id: String,
        data: Vec<u8>,
    }
    let blobs = TypedTable::<Blob>::named(&client, "blobs");
    let mut tx = Transaction::new();
    for i in 0..11 {
        tx.put(
            &blobs,
            &Blob {
                id: format!("b{i}"),
                data: vec![7; 390 * 1024],
            },
        )
        .unwrap();
    }
    let err = tx.commit(&client).unwrap_err();
    assert!(err.to_string().contains("4 MB"), "{err}");
    assert_eq!(err.attempts(), 0, "refused before sending");
    let err = Transaction::new().commit(&client).unwrap_err();
    assert_eq!(err.attempts(), 0, "an empty transaction is refused too");
    let mut tx = Transaction::with_token("x".repeat(37));
    tx.delete(&accounts, &key_of("a")).unwrap();
    let err = tx.commit(&client).unwrap_err();
    assert!(err.to_string().contains("1 to 36"), "{err}");
}

#[test]
fn the_same_token_applies_once() {
    let client = client();
    let (accounts, _guard) = accounts(&client, "txtoken");
    accounts.put(&account("a", 10)).unwrap();
    accounts.put(&account("b", 0)).unwrap();
    let tx = transfer(&accounts, "a", "b", 1).unwrap();
    tx.commit(&client).unwrap();
    tx.commit(&client).unwrap(); // as after a lost answer
    let again = Transaction::with_token(tx.token());
    assert_eq!(again.token(), tx.token());
    assert_eq!(accounts.get(&key_of("a")).unwrap().unwrap().balance, 9);
    assert_eq!(accounts.get(&key_of("b")).unwrap().unwrap().balance, 1);
    assert_ne!(Transaction::new().token(), Transaction::new().token());
}

/// 8 threads, 1,000 transfers between 10 accounts, through a proxy that
/// loses 20% of TransactWriteItems answers after DynamoDB applied them.
/// The client resends the same request (same token); the total stays
/// constant and every account ends exactly where the successful transfers
/// put it.
#[test]
fn concurrent_transfers_keep_the_total_through_lost_answers() {
    const ACCOUNTS: usize = 10;
    const THREADS: usize = 8;
    const TRANSFERS: usize = 1000;
    const START: i64 = 10_000;
    let setup = client();
    let (accounts, _guard) = accounts(&setup, "txconcurrent");
    let ids: Vec<String> = (0..ACCOUNTS).map(|i| format!("acct{i}")).collect();
    for id in &ids {
        accounts.put(&account(id, START)).unwrap();
    }

    let proxy = FaultProxy::builder(dynamo_tests::endpoint())
        .seed(14)
        .fault_rate(0.2)
        .faults(&Fault::FORWARDING)
        .only_operations(&["TransactWriteItems"])
        .start()
        .unwrap();
    let client = dynamo_tests::builder()
        .endpoint(proxy.url())
        .read_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let through_proxy = TypedTable::<Account>::named(&client, accounts.table().name());

    let net: Mutex<BTreeMap<String, i64>> = Mutex::new(BTreeMap::new());
    let refused = Mutex::new(0usize);
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let (ids, table, client) = (&ids, &through_proxy, &client);
            let (net, refused) = (&net, &refused);
            s.spawn(move || {
                let mut seed = 0x9e37_79b9_7f4a_7c15u64 ^ (t as u64 + 1);
                let mut next = || {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed
                };
                for _ in 0..TRANSFERS / THREADS {
                    let from = (next() % ACCOUNTS as u64) as usize;
                    let to = (from + 1 + (next() % (ACCOUNTS as u64 - 1)) as usize) % ACCOUNTS;
                    let amount = 1 + (next() % 50) as i64;
                    match commit_transfer(table, client, &ids[from], &ids[to], amount) {
                        Outcome::Applied => {
                            let mut net = net.lock().unwrap();
                            *net.entry(ids[from].clone()).or_default() -= amount;
                            *net.entry(ids[to].clone()).or_default() += amount;
                        }
                        Outcome::Refused => *refused.lock().unwrap() += 1,
                    }
                }
            });
        }
    });

    let stats = proxy.stats();
    assert!(
        stats.total_injected() > 0,
        "the proxy lost some answers: {stats:?}"
    );
    let net = net.into_inner().unwrap();
    let finals = accounts.transact_get(&ids.iter().map(|id| key_of(id)).collect::<Vec<_>>());
    let finals = finals.unwrap();
    let total: i64 = finals.iter().map(|a| a.as_ref().unwrap().balance).sum();
    assert_eq!(
        total,
        START * ACCOUNTS as i64,
        "money is neither made nor lost"
    );
    for (id, a) in ids.iter().zip(&finals) {
        let expected = START + net.get(id).copied().unwrap_or(0);
        assert_eq!(
            a.as_ref().unwrap().balance,
            expected,
            "{id}: every applied transfer once, no other"
        );
    }
    let refused = refused.into_inner().unwrap();
    eprintln!(
        "{TRANSFERS} transfers: {} refused for funds; proxy {stats:?}",
        refused
    );
}

enum Outcome {
    Applied,
    Refused,
}

/// Commits one transfer: a conflict with another thread is retried as a new
/// transaction (nothing was applied); an error without an answer is retried
/// with the same transaction, hence the same token.
fn commit_transfer(
    table: &TypedTable<Account>,
    client: &Client,
    from: &str,
    to: &str,
    amount: i64,
) -> Outcome {
    let mut tx = transfer(table, from, to, amount).unwrap();
    for _ in 0..200 {
        match tx.commit(client) {
            Ok(()) => return Outcome::Applied,
            Err(e) => match e.cancel_reasons() {
                Some(reasons)
                    if reasons
                        .iter()
                        .any(|r| matches!(r, CancelReason::ConditionFailed { .. })) =>
                {
                    return Outcome::Refused;
                }
                Some(_) => {
                    std::thread::sleep(Duration::from_millis(5));
                    tx = transfer(table, from, to, amount).unwrap();
                }
                None => {
                    let kind = e.service_kind();
                    assert!(
                        matches!(e, Error::Transport(_) | Error::Response(_))
                            || kind
                                == Some(dynamo_blocking::ServiceErrorKind::TransactionInProgress)
                            || kind == Some(dynamo_blocking::ServiceErrorKind::TransactionConflict),
                        "unexpected error: {e}"
                    );
                    std::thread::sleep(Duration::from_millis(5));
                }
            },
        }
    }
    panic!("transfer {from} -> {to} never went through");
}
