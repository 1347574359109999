//! The expression builder end to end: requests filled from the builders,
//! compared with the exact JSON DynamoDB receives.

use dynamo_core::expr::{
    apply_to_put_item, apply_to_query, apply_to_scan, apply_to_update_item, attr, Condition,
    ExprError, Field, KeyCondition, Placeholders, Update,
};
use dynamo_core::wire::{PutItemInput, QueryInput, ScanInput, UpdateItemInput};
use dynamo_core::{item, key, AttributeValue, Attributes, KeySchema, ScalarType};

fn users_schema() -> KeySchema {
    KeySchema::hash_range(
        ("account_type", ScalarType::S),
        ("last_name", ScalarType::S),
    )
}

/// What `#[derive(DynamoItem)]` generates for a `User` struct, by hand.
struct UserFields {
    email: Field<String>,
    age: Field<u32>,
    last_name: Field<String>,
}

fn user_fields() -> UserFields {
    UserFields {
        email: Field::new("email"),
        age: Field::new("age"),
        last_name: Field::new("last_name"),
    }
}

#[test]
fn query_json_is_exact() {
    let key =
        KeyCondition::hash_eq("account_type", "standard_user").range_begins_with("last_name", "D");
    key.validate(&users_schema()).unwrap();
    let filter = attr("date").ge(1_700_000_000).and(
        attr("status")
            .is_in(["active", "trial"])
            .or(attr("name").not_exists()),
    );
    let projection = vec!["last_name".to_string(), "name".to_string()];

    let mut query = QueryInput {
        table_name: "users".into(),
        limit: Some(10),
        ..Default::default()
    };
    apply_to_query(&mut query, Some(&key), Some(&filter), Some(&projection)).unwrap();

    let json = serde_json::to_string(&query).unwrap();
    let expected = concat!(
        r##"{"TableName":"users","##,
        r##""KeyConditionExpression":"#n0 = :v0 AND begins_with(#n1, :v1)","##,
        r##""FilterExpression":"#n2 >= :v2 AND (#n3 IN (:v3, :v4) OR attribute_not_exists(#n4))","##,
        r##""ProjectionExpression":"#n1, #n4","##,
        r##""ExpressionAttributeNames":{"#n0":"account_type","#n1":"last_name","#n2":"date","#n3":"status","#n4":"name"},"##,
        r##""ExpressionAttributeValues":{":v0":{"S":"standard_user"},":v1":{"S":"D"},":v2":{"N":"1700000000"},":v3":{"S":"active"},":v4":{"S":"trial"}},"##,
        r##""Limit":10}"##,
    );
    assert_eq!(json, expected);
}

#[test]
fn query_with_a_key_only_sends_no_empty_maps() {
    let mut query = QueryInput {
        table_name: "users".into(),
        ..Default::default()
    };
    let key = KeyCondition::hash_eq("account_type", "admin");
    apply_to_query(&mut query, Some(&key), None, None).unwrap();
    assert_eq!(
        serde_json::to_string(&query).unwrap(),
        r##"{"TableName":"users","KeyConditionExpression":"#n0 = :v0","ExpressionAttributeNames":{"#n0":"account_type"},"ExpressionAttributeValues":{":v0":{"S":"admin"}}}"##
    );
}

#[test]
fn scan_with_exists_filter_sends_no_values() {
    let mut scan = ScanInput {
        table_name: "users".into(),
        ..Default::default()
    };
    apply_to_scan(&mut scan, Some(&user_fields().email.exists()), Some(&[])).unwrap();
    assert_eq!(
        serde_json::to_string(&scan).unwrap(),
        r##"{"TableName":"users","FilterExpression":"attribute_exists(#n0)","ExpressionAttributeNames":{"#n0":"email"}}"##
    );
}

#[test]
fn failed_apply_leaves_the_request_untouched() {
    let mut scan = ScanInput {
        table_name: "users".into(),
        ..Default::default()
    };
    let before = scan.clone();
    let err = apply_to_scan(&mut scan, Some(&attr("x").is_in(Vec::<u8>::new())), None);
    assert!(matches!(err, Err(ExprError::InListSize { .. })));
    assert_eq!(scan, before);
}

#[test]
fn typed_fields_have_the_path_methods() {
    let f = user_fields();
    let c = f.age.between(18, 65) & f.email.begins_with("j") & !f.last_name.eq("Doe");
    let mut ph = Placeholders::new();
    assert_eq!(
        c.render(&mut ph).unwrap(),
        "(#n0 BETWEEN :v0 AND :v1) AND begins_with(#n1, :v2) AND NOT (#n2 = :v3)"
    );
    assert_eq!(
        f.age.size().gt(1).render(&mut ph).unwrap(),
        "size(#n0) > :v4"
    );
}

/// The shape of `partial_save`: SET changed and added attributes, REMOVE
/// deleted ones, guarded by each touched attribute's original state.
#[test]
fn partial_save_update_item_json_is_exact() {
    let original = item! { "first_name" => "John", "nick" => "jd", "age" => 31 };
    let current = item! { "first_name" => "Johnny", "age" => 31, "date" => 5 };

    let mut update = Update::new();
    let mut guards = Vec::new();
    for (name, value) in &current {
        if original.get(name) != Some(value) {
            update = update.set(name, value);
            guards.push(Condition::unchanged(name, original.get(name)));
        }
    }
    for name in original.names() {
        if !current.contains(name) {
            update = update.remove(name);
            guards.push(Condition::unchanged(name, original.get(name)));
        }
    }
    let guard = Condition::all(guards).unwrap();

    let mut req = UpdateItemInput::new("users", key! { "username" => "johndoe" });
    apply_to_update_item(&mut req, &update, Some(&guard)).unwrap();
    let expected = concat!(
        r##"{"TableName":"users","Key":{"username":{"S":"johndoe"}},"##,
        r##""UpdateExpression":"SET #n0 = :v0, #n1 = :v1 REMOVE #n2","##,
        r##""ConditionExpression":"attribute_not_exists(#n0) AND #n1 = :v2 AND #n2 = :v3","##,
        r##""ExpressionAttributeNames":{"#n0":"date","#n1":"first_name","#n2":"nick"},"##,
        r##""ExpressionAttributeValues":{":v0":{"N":"5"},":v1":{"S":"Johnny"},":v2":{"S":"John"},":v3":{"S":"jd"}}}"##,
    );
    assert_eq!(serde_json::to_string(&req).unwrap(), expected);
}

#[test]
fn conditional_put_json_is_exact() {
    let mut put = PutItemInput::new("users", item! { "username" => "johndoe" });
    apply_to_put_item(&mut put, Some(&attr("username").not_exists())).unwrap();
    assert_eq!(
        serde_json::to_string(&put).unwrap(),
        r##"{"TableName":"users","Item":{"username":{"S":"johndoe"}},"ConditionExpression":"attribute_not_exists(#n0)","ExpressionAttributeNames":{"#n0":"username"}}"##
    );
}

#[test]
fn index_key_schemas_validate_index_keys() {
    let by_email = KeySchema::hash(("email", ScalarType::S));
    KeyCondition::hash_eq(user_fields().email, "j@example.com")
        .validate(&by_email)
        .unwrap();
    let err = KeyCondition::hash_eq("account_type", "x")
        .validate(&by_email)
        .unwrap_err();
    assert_eq!(
        err,
        ExprError::NotAKeyAttribute {
            name: "account_type".into()
        }
    );
}

#[test]
fn values_map_holds_exact_attribute_values() {
    let mut ph = Placeholders::new();
    attr("m")
        .eq(AttributeValue::M(item! { "k" => vec![1u8, 2] }))
        .render(&mut ph)
        .unwrap();
    let values: Attributes = ph.into_parts().1.unwrap();
    assert_eq!(
        serde_json::to_string(&values).unwrap(),
        r#"{":v0":{"M":{"k":{"B":"AQI="}}}}"#
    );
}
