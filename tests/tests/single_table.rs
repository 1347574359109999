//! Single-table design against DynamoDB Local: customers and their orders in
//! one table with keys composed by templates, read back by one query into an
//! enum, and typed prefix queries built from template fields.

use chrono::{DateTime, TimeZone, Utc};
use dynamo_blocking::{
    item, Attributes, Capacity, ConvertErrorKind, DynamoEntity, DynamoItem, Error, Table,
    TypedTable,
};
use dynamo_tests::{client, unique_name, DropTable};

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "shop", hash = "pk", range = "sk", entity = "customer")]
#[dynamo(key(hash = "CUSTOMER#{customer_id}", range = "PROFILE"))]
struct Customer {
    customer_id: String,
    name: String,
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(table = "shop", hash = "pk", range = "sk", entity = "order")]
#[dynamo(key(
    hash = "CUSTOMER#{customer_id}",
    range = "ORDER#{placed_at}#{order_id}"
))]
struct Order {
    customer_id: String,
    placed_at: DateTime<Utc>,
    order_id: u64,
    total: i64,
}

#[derive(DynamoEntity, Debug, PartialEq)]
enum ShopRow {
    Customer(Customer),
    Order(Order),
}

#[derive(DynamoEntity, Debug, PartialEq)]
enum ShopRowOrOther {
    Customer(Customer),
    #[dynamo(unknown)]
    Other(Attributes),
}

fn day(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, d, 9, 30, 0).unwrap()
}

fn order(customer: &str, d: u32, id: u64) -> Order {
    Order {
        customer_id: customer.into(),
        placed_at: day(d),
        order_id: id,
        total: 100 * id as i64,
    }
}

fn shop() -> (TypedTable<Customer>, TypedTable<Order>, DropTable) {
    let client = client();
    let name = unique_name("shop");
    let guard = DropTable::new(&client, &name);
    Table::create_for_entities::<ShopRow>(&client, &name, Capacity::on_demand()).unwrap();
    (
        TypedTable::named(&client, &name),
        TypedTable::named(&client, &name),
        guard,
    )
}

#[test]
fn customer_and_orders_are_one_query_into_the_enum() {
    let (customers, orders, _guard) = shop();
    let ada = Customer {
        customer_id: "42".into(),
        name: "Ada".into(),
    };
    customers.put(&ada).unwrap();
    // Written out of order; ids of different widths sort as numbers.
    for o in [order("42", 3, 10), order("42", 1, 9), order("42", 1, 100)] {
        orders.put(&o).unwrap();
    }
    orders.put(&order("7", 1, 1)).unwrap();
    customers
        .put(&Customer {
            customer_id: "7".into(),
            name: "Bob".into(),
        })
        .unwrap();

    // The stored keys are composed from the fields.
    let raw = orders
        .table()
        .get_item(item! {"pk" => "CUSTOMER#42", "sk" => "ORDER#2026-12-01T09:30:00.000000000Z#00000000000000000009"})
        .unwrap()
        .expect("the order is stored under its composed key");
    assert_eq!(raw["entity"].as_s(), Some("order"));
    assert_eq!(
        raw["order_id"].as_n().map(|n| n.to_string()),
        Some("9".to_owned())
    );

    let rows: Vec<ShopRow> = customers
        .query("42".to_owned())
        .entities::<ShopRow>()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        rows,
        vec![
            ShopRow::Order(order("42", 1, 9)),
            ShopRow::Order(order("42", 1, 100)),
            ShopRow::Order(order("42", 3, 10)),
            ShopRow::Customer(ada.clone()),
        ]
    );

    // Reads by key go through the key struct and compose the same keys.
    assert_eq!(customers.get(&ada.key()).unwrap(), Some(ada));
    let o = order("42", 3, 10);
    assert_eq!(orders.get(&o.key()).unwrap(), Some(o));
}

#[test]
fn prefix_queries_are_built_from_template_fields() {
    let (customers, orders, _guard) = shop();
    customers
        .put(&Customer {
            customer_id: "42".into(),
            name: "Ada".into(),
        })
        .unwrap();
    for o in [
        order("42", 1, 1),
        order("42", 1, 2),
        order("42", 2, 3),
        order("42", 4, 4),
    ] {
        orders.put(&o).unwrap();
    }
    let ids = |q: dynamo_blocking::TypedQuery<Order>| -> Vec<u64> {
        q.into_iter().map(|o| o.unwrap().order_id).collect()
    };
    // Every order of the customer, and not the profile item.
    assert_eq!(
        ids(orders
            .query("42".to_owned())
            .range_begins_with(Order::range_prefix().unwrap())),
        vec![1, 2, 3, 4]
    );
    // The orders of one day.
    let first = Order::range_prefix_placed_at(&day(1)).unwrap();
    assert_eq!(
        ids(orders.query("42".to_owned()).range_begins_with(first)),
        vec![1, 2]
    );
    // A date range, newest first.
    let from = Order::range_prefix_placed_at(&day(2)).unwrap();
    let to = Order::range_key(&day(4), &u64::MAX).unwrap();
    assert_eq!(
        ids(orders
            .query("42".to_owned())
            .range_between(from, to)
            .reverse()),
        vec![4, 3]
    );
}

#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(hash = "pk", range = "sk", entity = "note")]
#[dynamo(key(hash = "CUSTOMER#{customer_id}", range = "NOTE#{topic}#{seq}"))]
struct Note {
    customer_id: String,
    topic: String,
    seq: u32,
}

#[test]
fn a_separator_inside_a_field_is_refused_before_sending() {
    let (customers, _orders, _guard) = shop();
    let notes: TypedTable<Note> = TypedTable::named(&client(), customers.table().name());
    let bad = Note {
        customer_id: "42".into(),
        topic: "billing#urgent".into(),
        seq: 1,
    };
    let err = notes.put(&bad).unwrap_err();
    let Error::Convert(e) = &err else {
        panic!("expected a conversion error, got {err:?}")
    };
    assert!(matches!(e.kind(), ConvertErrorKind::Other(_)), "{e}");
    assert!(e.to_string().contains("topic"), "{e}");
    assert!(e.to_string().contains("ambiguous"), "{e}");
    assert_eq!(notes.scan().into_iter().count(), 0, "nothing was written");

    // The last field of a template has nothing after it to be confused
    // with, so it may hold the separator.
    let fine = Note {
        customer_id: "4#2".into(),
        topic: "billing".into(),
        seq: 1,
    };
    notes.put(&fine).unwrap();
    assert_eq!(notes.get(&fine.key()).unwrap(), Some(fine));
}

#[test]
fn unknown_entities_are_an_error_or_the_unknown_variant() {
    let (customers, orders, _guard) = shop();
    customers
        .put(&Customer {
            customer_id: "1".into(),
            name: "Ada".into(),
        })
        .unwrap();
    orders.put(&order("1", 1, 1)).unwrap();
    let rows: Vec<ShopRowOrOther> = customers
        .query("1".to_owned())
        .entities::<ShopRowOrOther>()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(matches!(&rows[0], ShopRowOrOther::Other(a) if a["entity"].as_s() == Some("order")));
    assert!(matches!(&rows[1], ShopRowOrOther::Customer(c) if c.name == "Ada"));

    // Decoding an order as a customer is refused, not half-read.
    let results: Vec<Result<Customer, Error>> =
        customers.query("1".to_owned()).into_iter().collect();
    let err = results[0].as_ref().unwrap_err();
    assert!(err.to_string().contains("entity"), "{err}");
    assert!(results[1].is_ok());
}

#[derive(DynamoItem)]
#[dynamo(hash = "pk", range = "other_sk", entity = "stray")]
#[dynamo(key(hash = "X#{id}", range = "Y"))]
struct Stray {
    id: String,
}

#[derive(DynamoEntity)]
enum Mismatched {
    Customer(Customer),
    Stray(Stray),
}

#[test]
fn entity_types_that_disagree_on_keys_make_no_table() {
    let client = client();
    let name = unique_name("mismatch");
    let err = Table::create_for_entities::<Mismatched>(&client, &name, Capacity::on_demand())
        .unwrap_err();
    let Error::EntityLayout(mismatch) = &err else {
        panic!("expected EntityLayout, got {err:?}")
    };
    assert_eq!((mismatch.first, mismatch.second), ("customer", "stray"));
    let names: Vec<String> = client.list_tables().collect::<Result<_, _>>().unwrap();
    assert!(!names.contains(&name));
}

/// An order whose fields live only in its composed keys.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(hash = "pk", range = "sk", entity = "invoice")]
#[dynamo(key(
    hash = "CUSTOMER#{customer_id}",
    range = "INVOICE#{issued_on}#{number}",
    store_fields = false
))]
struct Invoice {
    customer_id: String,
    issued_on: chrono::NaiveDate,
    number: i32,
    amount: u32,
}

#[test]
fn store_fields_false_keeps_the_fields_only_in_the_key_and_reads_them_back() {
    let (customers, _orders, _guard) = shop();
    let invoices: TypedTable<Invoice> = TypedTable::named(&client(), customers.table().name());
    let invoice = Invoice {
        customer_id: "42".into(),
        issued_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap(),
        number: -3,
        amount: 250,
    };
    invoices.put(&invoice).unwrap();

    let raw = invoices
        .table()
        .get_item(item! {"pk" => "CUSTOMER#42", "sk" => "INVOICE#2026-12-01#2147483645"})
        .unwrap()
        .expect("the invoice is stored under its composed key");
    let mut names: Vec<&str> = raw.iter().map(|(name, _)| name.as_str()).collect();
    names.sort();
    assert_eq!(names, ["amount", "entity", "pk", "sk"]);

    assert_eq!(invoices.get(&invoice.key()).unwrap(), Some(invoice.clone()));
    let listed: Vec<Invoice> = invoices
        .query("42".to_owned())
        .range_begins_with(Invoice::range_prefix().unwrap())
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(listed, vec![invoice]);

    // A stored key that does not follow the template is a typed error.
    invoices
        .table()
        .put_item(
            item! {"pk" => "CUSTOMER#42", "sk" => "INVOICE#2026-13-01#2147483645",
            "entity" => "invoice", "amount" => 1},
            dynamo_blocking::Overwrite::Yes,
        )
        .unwrap();
    let results: Vec<Result<Invoice, Error>> = invoices
        .query("42".to_owned())
        .range_begins_with(Invoice::range_prefix().unwrap())
        .into_iter()
        .collect();
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    let err = results[1].as_ref().unwrap_err();
    let Error::Convert(e) = &err else {
        panic!("expected a conversion error, got {err:?}")
    };
    assert!(
        matches!(e.kind(), ConvertErrorKind::KeyTemplateMismatch(m)
            if m.key == "INVOICE#2026-13-01#2147483645" && m.template == "INVOICE#{issued_on}#{number}"),
        "{e}"
    );
    assert!(e.to_string().contains("issued_on"), "{e}");
}

/// A shipment found by status through an index whose keys are composed by
/// templates too.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(hash = "pk", range = "sk", entity = "shipment")]
#[dynamo(key(hash = "CUSTOMER#{customer_id}", range = "SHIPMENT#{id}"))]
#[dynamo(global_index(
    name = "ByStatus",
    hash = "gsi1pk",
    range = "gsi1sk",
    key(hash = "STATUS#{status}", range = "{shipped_on}#{id}")
))]
struct Shipment {
    customer_id: String,
    id: u32,
    status: String,
    shipped_on: DateTime<Utc>,
}

#[derive(DynamoEntity, Debug, PartialEq)]
enum ShipRow {
    Shipment(Shipment),
}

#[test]
fn index_keys_composed_by_templates_are_written_and_queried_by_prefix() {
    let client = client();
    let name = unique_name("ship");
    let _guard = DropTable::new(&client, &name);
    Table::create_for_entities::<ShipRow>(&client, &name, Capacity::on_demand()).unwrap();
    let shipments: TypedTable<Shipment> = TypedTable::named(&client, &name);
    let on = day;
    let ship = |customer: &str, id: u32, status: &str, d: u32| Shipment {
        customer_id: customer.into(),
        id,
        status: status.into(),
        shipped_on: on(d),
    };
    let all = [
        ship("1", 1, "sent", 2),
        ship("2", 2, "sent", 1),
        ship("1", 3, "lost", 1),
        ship("3", 4, "sent", 2),
    ];
    for s in &all {
        shipments.put(s).unwrap();
    }
    let raw = shipments
        .table()
        .get_item(item! {"pk" => "CUSTOMER#1", "sk" => "SHIPMENT#0000000001"})
        .unwrap()
        .unwrap();
    assert_eq!(raw["gsi1pk"].as_s(), Some("STATUS#sent"));
    assert_eq!(
        raw["gsi1sk"].as_s(),
        Some("2026-12-02T09:30:00.000000000Z#0000000001")
    );

    let sent = |q: dynamo_blocking::TypedIndexQuery<Shipment>| -> Vec<u32> {
        q.into_iter().map(|s| s.unwrap().id).collect()
    };
    let hash = Shipment::by_status_hash(&"sent".to_owned()).unwrap();
    assert_eq!(
        sent(shipments.query_index("ByStatus", hash.clone())),
        [2, 1, 4],
        "sorted by day, then id"
    );
    assert_eq!(
        sent(
            shipments
                .query_index("ByStatus", hash.clone())
                .range_begins_with(Shipment::by_status_range_prefix_shipped_on(&on(2)).unwrap())
        ),
        [1, 4]
    );
    assert_eq!(
        sent(
            shipments
                .query_index("ByStatus", hash.clone())
                .range_lt(Shipment::by_status_range_key(&on(2), &4).unwrap())
        ),
        [2, 1]
    );
    // The typed partition of the index takes the composed values.
    let typed: Vec<u32> = shipments
        .query_by(Shipment::by_status(hash))
        .range_begins_with(Shipment::by_status_range_prefix_shipped_on(&on(2)).unwrap())
        .into_iter()
        .map(|s| s.unwrap().id)
        .collect();
    assert_eq!(typed, [1, 4]);
}
