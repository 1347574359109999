//! `#[derive(DynamoItem)]` and `#[derive(DynamoValue)]`, used as a user
//! would: through `dynamo_blocking`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use chrono::{DateTime, TimeZone, Utc};
use dynamo_blocking::expr::Field;
use dynamo_blocking::{
    item, AttributeValue, Attributes, ConvertError, DynamoItem, DynamoValue, GlobalIndex, ItemKey,
    KeyAttribute, KeySchema, KeyedItem, LocalIndex, Number, Projection, ScalarType, SecondaryIndex,
};

/// The item's exact wire JSON (attribute names are ordered).
fn json(item: &Attributes) -> String {
    serde_json::to_string(item).unwrap()
}

fn n(text: &str) -> Number {
    Number::parse(text).unwrap()
}

fn decode_error<T: DynamoItem + std::fmt::Debug>(item: Attributes) -> String {
    T::from_item(item).unwrap_err().to_string()
}

// ---------------------------------------------------------------------------
// Every supported field type

#[derive(DynamoValue, Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Colour {
    Red,
    DarkBlue,
}

#[derive(DynamoItem, Clone, Debug, PartialEq)]
struct Address {
    city: String,
    zip: Option<u32>,
}

#[derive(DynamoItem, Debug, PartialEq)]
struct Everything {
    string: String,
    character: char,
    i8: i8,
    i16: i16,
    i32: i32,
    i64: i64,
    i128: i128,
    isize: isize,
    u8: u8,
    u16: u16,
    u32: u32,
    u64: u64,
    u128: u128,
    usize: usize,
    f32: f32,
    f64: f64,
    flag: bool,
    some: Option<String>,
    none: Option<String>,
    list: Vec<String>,
    numbers: Vec<i32>,
    bytes: Vec<u8>,
    hash_map: HashMap<String, u32>,
    tree_map: BTreeMap<String, String>,
    string_set: BTreeSet<String>,
    number_set: HashSet<i64>,
    byte_set: BTreeSet<Vec<u8>>,
    empty_set: BTreeSet<String>,
    time: DateTime<Utc>,
    number: Number,
    address: Address,
    addresses: Vec<Address>,
    no_address: Option<Address>,
    colour: Colour,
    colours: Vec<Colour>,
    boxed: Box<u8>,
    raw: AttributeValue,
}

fn everything() -> Everything {
    Everything {
        string: "hé".into(),
        character: 'x',
        i8: -8,
        i16: -16,
        i32: -32,
        i64: i64::MIN,
        i128: -(10i128.pow(30)),
        isize: -1,
        u8: 8,
        u16: 16,
        u32: 32,
        u64: u64::MAX,
        u128: 10u128.pow(37),
        usize: 7,
        f32: 0.5,
        f64: -1.25,
        flag: true,
        some: Some("here".into()),
        none: None,
        list: vec!["a".into(), "b".into()],
        numbers: vec![1, 2],
        bytes: vec![0, 255],
        hash_map: HashMap::from([("k".to_string(), 1)]),
        tree_map: BTreeMap::from([("a".to_string(), "x".to_string())]),
        string_set: BTreeSet::from(["s1".to_string(), "s2".to_string()]),
        number_set: HashSet::from([42]),
        byte_set: BTreeSet::from([vec![1u8], vec![2u8]]),
        empty_set: BTreeSet::new(),
        time: Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap(),
        number: n("3.14"),
        address: Address {
            city: "Lisbon".into(),
            zip: Some(1000),
        },
        addresses: vec![Address {
            city: "Porto".into(),
            zip: None,
        }],
        no_address: None,
        colour: Colour::DarkBlue,
        colours: vec![Colour::Red],
        boxed: Box::new(9),
        raw: AttributeValue::Null,
    }
}

#[test]
fn every_field_type_round_trips_with_the_exact_wire_form() {
    let value = everything();
    let item = value.to_item().unwrap();
    let expected = concat!(
        r#"{"address":{"M":{"city":{"S":"Lisbon"},"zip":{"N":"1000"}}},"#,
        r#""addresses":{"L":[{"M":{"city":{"S":"Porto"}}}]},"#,
        r#""boxed":{"N":"9"},"#,
        r#""byte_set":{"BS":["AQ==","Ag=="]},"#,
        r#""bytes":{"B":"AP8="},"#,
        r#""character":{"S":"x"},"#,
        r#""colour":{"S":"DarkBlue"},"#,
        r#""colours":{"L":[{"S":"Red"}]},"#,
        r#""f32":{"N":"0.5"},"#,
        r#""f64":{"N":"-1.25"},"#,
        r#""flag":{"BOOL":true},"#,
        r#""hash_map":{"M":{"k":{"N":"1"}}},"#,
        r#""i128":{"N":"-1000000000000000000000000000000"},"#,
        r#""i16":{"N":"-16"},"#,
        r#""i32":{"N":"-32"},"#,
        r#""i64":{"N":"-9223372036854775808"},"#,
        r#""i8":{"N":"-8"},"#,
        r#""isize":{"N":"-1"},"#,
        r#""list":{"L":[{"S":"a"},{"S":"b"}]},"#,
        r#""number":{"N":"3.14"},"#,
        r#""number_set":{"NS":["42"]},"#,
        r#""numbers":{"L":[{"N":"1"},{"N":"2"}]},"#,
        r#""raw":{"NULL":true},"#,
        r#""some":{"S":"here"},"#,
        r#""string":{"S":"hé"},"#,
        r#""string_set":{"SS":["s1","s2"]},"#,
        r#""time":{"S":"2024-01-02T03:04:05.000000000Z"},"#,
        r#""tree_map":{"M":{"a":{"S":"x"}}},"#,
        r#""u128":{"N":"10000000000000000000000000000000000000"},"#,
        r#""u16":{"N":"16"},"#,
        r#""u32":{"N":"32"},"#,
        r#""u64":{"N":"18446744073709551615"},"#,
        r#""u8":{"N":"8"},"#,
        r#""usize":{"N":"7"}}"#,
    );
    assert_eq!(json(&item), expected);
    // `None`, empty sets and a `None` nested struct are absent.
    for absent in ["none", "empty_set", "no_address"] {
        assert!(!item.contains(absent), "{absent}");
    }
    assert_eq!(Everything::from_item(item).unwrap(), value);
}

#[test]
fn attribute_names_list_stored_fields_in_order() {
    let names = Everything::attribute_names();
    assert_eq!(names.len(), 37);
    assert_eq!(&names[..3], ["string", "character", "i8"]);
    assert_eq!(names.last(), Some(&"raw"));
    assert_eq!(Address::attribute_names(), ["city", "zip"]);
}

#[test]
fn a_derived_struct_nests_as_a_map() {
    use dynamo_blocking::{FromAttribute, ToAttribute};
    let address = Address {
        city: "Faro".into(),
        zip: None,
    };
    let value = address.to_attribute().unwrap();
    assert_eq!(value, AttributeValue::M(item! { "city" => "Faro" }));
    assert_eq!(Address::from_attribute(value).unwrap(), address);
    assert!(!address.to_attribute().unwrap().is_null());
    let err = Address::from_attribute(AttributeValue::from("Faro")).unwrap_err();
    assert_eq!(err.to_string(), "expected M, found S");
}

// ---------------------------------------------------------------------------
// A table item with every option

mod epoch_seconds {
    use chrono::{DateTime, TimeZone, Utc};
    use dynamo_blocking::{AttributeValue, ConvertError, FromAttribute, Number};

    pub fn to_attribute(time: &DateTime<Utc>) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::N(Number::from(time.timestamp())))
    }

    pub fn from_attribute(value: AttributeValue) -> Result<DateTime<Utc>, ConvertError> {
        let seconds = i64::from_attribute(value)?;
        Utc.timestamp_opt(seconds, 0)
            .single()
            .ok_or_else(|| ConvertError::other(format!("{seconds} is out of range")))
    }
}

mod upper {
    use dynamo_blocking::{AttributeValue, ConvertError, FromAttribute};

    // `&str` works too: the field is passed as `&String`, which derefs.
    pub fn to_attribute(text: &str) -> Result<AttributeValue, ConvertError> {
        Ok(AttributeValue::S(text.to_uppercase()))
    }

    pub fn from_attribute(value: AttributeValue) -> Result<String, ConvertError> {
        String::from_attribute(value).map(|s| s.to_lowercase())
    }
}

fn default_nickname() -> String {
    "anonymous".into()
}

#[derive(DynamoValue, Clone, Copy, Debug, PartialEq)]
#[dynamo(rename_all = "snake_case")]
enum AccountType {
    StandardUser,
    #[dynamo(rename = "root")]
    Admin,
}

#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(table = "users")]
#[dynamo(local_index(name = "DateJoinedIndex", range = "date_joined", projection = "all"))]
#[dynamo(
    global_index(name = "EmailIndex", hash = "email", projection = "keys_only"),
    global_index(
        name = "CityIndex",
        hash = "city",
        range = "date_joined",
        projection = include("email", "nickname")
    )
)]
#[dynamo(local_index(name = "AgeIndex", range = "age"))]
struct User {
    #[dynamo(hash_key)]
    account_type: AccountType,
    #[dynamo(range_key)]
    last_name: String,
    first_name: String,
    date_joined: i64,
    #[dynamo(rename = "mail")]
    email: Option<String>,
    city: String,
    age: u8,
    #[dynamo(default)]
    logins: u32,
    #[dynamo(default = "default_nickname")]
    nickname: String,
    #[dynamo(skip)]
    session: Option<String>,
    #[dynamo(with = "upper")]
    shout: String,
    #[dynamo(version)]
    version: u64,
    #[dynamo(ttl, with = "epoch_seconds", rename = "expires_at")]
    expires: DateTime<Utc>,
}

fn john() -> User {
    User {
        account_type: AccountType::StandardUser,
        last_name: "Doe".into(),
        first_name: "John".into(),
        date_joined: 1_700_000_000,
        email: Some("john@example.com".into()),
        city: "Lisbon".into(),
        age: 31,
        logins: 2,
        nickname: "jd".into(),
        session: Some("not stored".into()),
        shout: "hello".into(),
        version: 3,
        expires: Utc.timestamp_opt(1_800_000_000, 0).unwrap(),
    }
}

#[test]
fn a_table_item_round_trips() {
    let user = john();
    let item = user.to_item().unwrap();
    assert_eq!(
        json(&item),
        concat!(
            r#"{"account_type":{"S":"standard_user"},"age":{"N":"31"},"city":{"S":"Lisbon"},"#,
            r#""date_joined":{"N":"1700000000"},"expires_at":{"N":"1800000000"},"#,
            r#""first_name":{"S":"John"},"last_name":{"S":"Doe"},"logins":{"N":"2"},"#,
            r#""mail":{"S":"john@example.com"},"nickname":{"S":"jd"},"shout":{"S":"HELLO"},"#,
            r#""version":{"N":"3"}}"#
        )
    );
    let back = User::from_item(item).unwrap();
    // `skip` is not stored: it comes back as its default.
    assert_eq!(back.session, None);
    assert_eq!(
        back,
        User {
            session: None,
            ..john()
        }
    );
    assert_eq!(
        User::attribute_names(),
        [
            "account_type",
            "last_name",
            "first_name",
            "date_joined",
            "mail",
            "city",
            "age",
            "logins",
            "nickname",
            "shout",
            "version",
            "expires_at"
        ]
    );
}

#[test]
fn defaults_fill_missing_attributes() {
    let mut item = john().to_item().unwrap();
    item.remove("logins");
    item.remove("nickname");
    item.remove("mail");
    let user = User::from_item(item).unwrap();
    assert_eq!(user.logins, 0);
    assert_eq!(user.nickname, "anonymous");
    assert_eq!(user.email, None);
}

#[test]
fn table_metadata() {
    assert_eq!(User::TABLE_NAME, Some("users"));
    assert_eq!(User::VERSION_ATTRIBUTE, Some("version"));
    assert_eq!(User::TTL_ATTRIBUTE, Some("expires_at"));
    assert_eq!(
        User::key_schema(),
        KeySchema::hash_range(
            ("account_type", ScalarType::S),
            ("last_name", ScalarType::S)
        )
    );
    assert_eq!(
        User::indexes(),
        vec![
            SecondaryIndex::Local(LocalIndex::new(
                "DateJoinedIndex",
                KeyAttribute::new("date_joined", ScalarType::N),
                Projection::All
            )),
            SecondaryIndex::Global(GlobalIndex::new(
                "EmailIndex",
                // A sparse index on an `Option<String>`: the key is a string.
                KeySchema::hash(("mail", ScalarType::S)),
                Projection::KeysOnly
            )),
            SecondaryIndex::Global(GlobalIndex::new(
                "CityIndex",
                KeySchema::hash_range(("city", ScalarType::S), ("date_joined", ScalarType::N)),
                // Include names Rust fields; the index lists stored names.
                Projection::Include(vec!["mail".into(), "nickname".into()])
            )),
            // The projection defaults to all.
            SecondaryIndex::Local(LocalIndex::new(
                "AgeIndex",
                KeyAttribute::new("age", ScalarType::N),
                Projection::All
            )),
        ]
    );
}

#[test]
fn the_key_struct() {
    let user = john();
    let key: UserKey = user.key();
    assert_eq!(
        key,
        UserKey {
            account_type: AccountType::StandardUser,
            last_name: "Doe".into(),
        }
    );
    assert_eq!(key.clone(), key);
    assert_eq!(
        format!("{key:?}"),
        r#"UserKey { account_type: StandardUser, last_name: "Doe" }"#
    );
    assert_eq!(
        key.to_key().unwrap(),
        item! { "account_type" => "standard_user", "last_name" => "Doe" }
    );
    // The key matches the schema the struct declares.
    User::key_schema()
        .validate_key(&key.to_key().unwrap())
        .unwrap();
}

#[test]
fn set_version_updates_the_version_field() {
    let mut user = john();
    user.set_version(4).unwrap();
    assert_eq!(user.version, 4);
    assert_eq!(
        user.to_item().unwrap()["version"],
        AttributeValue::N(n("4"))
    );
}

#[test]
fn typed_field_handles_use_stored_names() {
    let fields = User::fields();
    assert_eq!(fields.email.name(), "mail");
    assert_eq!(fields.expires.name(), "expires_at");
    assert_eq!(fields.account_type.name(), "account_type");
    let _typed: Field<Option<String>> = fields.email;
    let _typed: Field<AccountType> = fields.account_type;
    // `fields()` is a const fn.
    const EMAIL: Field<Option<String>> = User::fields().email;
    assert_eq!(EMAIL.name(), "mail");
    assert_eq!(Address::fields().zip.name(), "zip");
}

/// The projections `User` does not use, on each index kind.
#[derive(DynamoItem, Debug, PartialEq)]
#[dynamo(
    local_index(name = "ByScoreKeys", range = "score", projection = "keys_only"),
    local_index(name = "ByScoreSome", range = "score", projection = include("note")),
    global_index(name = "ByNoteAll", hash = "note", range = "score", projection = "all")
)]
struct Game {
    #[dynamo(hash_key)]
    player: String,
    #[dynamo(range_key)]
    played_at: u64,
    score: Option<i32>,
    note: Option<String>,
    #[dynamo(skip, default = "default_nickname")]
    nickname: String,
}

#[test]
fn every_projection_on_each_index_kind() {
    assert_eq!(Game::TABLE_NAME, None);
    assert_eq!(
        Game::indexes(),
        vec![
            SecondaryIndex::Local(LocalIndex::keys_only(
                "ByScoreKeys",
                ("score", ScalarType::N)
            )),
            SecondaryIndex::Local(LocalIndex::include(
                "ByScoreSome",
                ("score", ScalarType::N),
                ["note"]
            )),
            SecondaryIndex::Global(GlobalIndex::all(
                "ByNoteAll",
                KeySchema::hash_range(("note", ScalarType::S), ("score", ScalarType::N))
            )),
        ]
    );
}

#[test]
fn a_skipped_field_can_take_its_value_from_a_function() {
    let game = Game::from_item(item! { "player" => "p", "played_at" => 1 }).unwrap();
    assert_eq!(game.nickname, "anonymous");
    assert_eq!(game.score, None);
    assert_eq!(
        Game::attribute_names(),
        ["player", "played_at", "score", "note"]
    );
}

// ---------------------------------------------------------------------------
// Keys of every scalar type; items without a range key or options

#[derive(DynamoItem, Debug, PartialEq)]
struct Blob {
    #[dynamo(hash_key)]
    digest: Vec<u8>,
    #[dynamo(range_key)]
    at: DateTime<Utc>,
}

#[derive(DynamoItem, Debug, PartialEq)]
struct Counter {
    #[dynamo(hash_key)]
    id: u64,
    #[dynamo(range_key)]
    shard: Number,
    #[dynamo(version)]
    version: Option<u32>,
    #[dynamo(ttl)]
    expires: Option<i64>,
}

#[derive(DynamoItem, Debug, PartialEq)]
struct Letter {
    #[dynamo(hash_key)]
    initial: char,
    weight: f64,
}

#[test]
fn key_scalar_types_come_from_field_types() {
    assert_eq!(
        Blob::key_schema(),
        KeySchema::hash_range(("digest", ScalarType::B), ("at", ScalarType::S))
    );
    assert_eq!(
        Counter::key_schema(),
        KeySchema::hash_range(("id", ScalarType::N), ("shard", ScalarType::N))
    );
    assert_eq!(
        Letter::key_schema(),
        KeySchema::hash(("initial", ScalarType::S))
    );
}

#[test]
fn items_without_options_have_no_metadata() {
    assert_eq!(Letter::TABLE_NAME, None);
    assert_eq!(Letter::VERSION_ATTRIBUTE, None);
    assert_eq!(Letter::TTL_ATTRIBUTE, None);
    assert!(Letter::indexes().is_empty());
    let mut letter = Letter {
        initial: 'a',
        weight: 1.0,
    };
    // No version field: setting it does nothing.
    letter.set_version(9).unwrap();
    assert_eq!(letter.key().to_key().unwrap(), item! { "initial" => "a" });
}

#[test]
fn binary_and_time_keys() {
    let blob = Blob {
        digest: vec![1, 2, 3],
        at: Utc.with_ymd_and_hms(2020, 5, 6, 7, 8, 9).unwrap(),
    };
    let key = blob.key().to_key().unwrap();
    assert_eq!(key["digest"], AttributeValue::B(vec![1, 2, 3]));
    assert_eq!(key["at"].as_s(), Some("2020-05-06T07:08:09.000000000Z"));
    assert_eq!(Blob::from_item(blob.to_item().unwrap()).unwrap(), blob);
}

#[test]
fn optional_version_and_ttl() {
    assert_eq!(Counter::VERSION_ATTRIBUTE, Some("version"));
    assert_eq!(Counter::TTL_ATTRIBUTE, Some("expires"));
    let mut counter = Counter {
        id: 1,
        shard: n("0.5"),
        version: None,
        expires: None,
    };
    assert_eq!(
        json(&counter.to_item().unwrap()),
        r#"{"id":{"N":"1"},"shard":{"N":"0.5"}}"#
    );
    counter.set_version(1).unwrap();
    assert_eq!(counter.version, Some(1));
    // A version that does not fit the field is an error, not a wrap.
    let err = counter.set_version(u64::MAX).unwrap_err().to_string();
    assert!(
        err.starts_with("converting `Counter`: attribute `version`: "),
        "{err}"
    );
    assert_eq!(counter.version, Some(1));
}

// ---------------------------------------------------------------------------
// rename_all

macro_rules! rename_all_case {
    ($name:ident, $rule:literal, $expected:expr) => {
        #[derive(DynamoItem)]
        #[dynamo(rename_all = $rule)]
        #[allow(dead_code)]
        struct $name {
            date_joined: u8,
            #[dynamo(rename = "kept_As_Is")]
            renamed: u8,
        }
        assert_eq!($name::attribute_names(), [$expected, "kept_As_Is"], $rule);
    };
}

#[test]
fn rename_all_rules() {
    rename_all_case!(Lower, "lowercase", "date_joined");
    rename_all_case!(Upper, "UPPERCASE", "DATE_JOINED");
    rename_all_case!(Pascal, "PascalCase", "DateJoined");
    rename_all_case!(Camel, "camelCase", "dateJoined");
    rename_all_case!(Snake, "snake_case", "date_joined");
    rename_all_case!(ScreamingSnake, "SCREAMING_SNAKE_CASE", "DATE_JOINED");
    rename_all_case!(Kebab, "kebab-case", "date-joined");
    rename_all_case!(ScreamingKebab, "SCREAMING-KEBAB-CASE", "DATE-JOINED");
}

#[test]
fn rename_all_applies_to_keys_and_indexes() {
    #[derive(DynamoItem)]
    #[dynamo(rename_all = "PascalCase")]
    #[dynamo(global_index(name = "ByOwner", hash = "owner_id"))]
    #[allow(dead_code)]
    struct Order {
        #[dynamo(hash_key)]
        order_id: String,
        owner_id: String,
    }
    assert_eq!(
        Order::key_schema(),
        KeySchema::hash(("OrderId", ScalarType::S))
    );
    assert_eq!(
        Order::indexes(),
        vec![SecondaryIndex::Global(GlobalIndex::all(
            "ByOwner",
            KeySchema::hash(("OwnerId", ScalarType::S))
        ))]
    );
    assert_eq!(Order::fields().owner_id.name(), "OwnerId");
}

#[derive(DynamoValue, Debug, PartialEq)]
#[dynamo(rename_all = "SCREAMING-KEBAB-CASE")]
enum Level {
    VeryHigh,
    Low,
}

#[derive(DynamoValue, Debug, PartialEq)]
#[dynamo(rename_all = "camelCase")]
enum Camel {
    VeryHigh,
}

#[derive(DynamoValue, Debug, PartialEq)]
#[dynamo(rename_all = "lowercase")]
enum Lower {
    VeryHigh,
}

#[test]
fn value_enums() {
    use dynamo_blocking::{FromAttribute, KeyType, ToAttribute};
    let cases = [
        (Level::VeryHigh.to_attribute().unwrap(), "VERY-HIGH"),
        (Level::Low.to_attribute().unwrap(), "LOW"),
        (Camel::VeryHigh.to_attribute().unwrap(), "veryHigh"),
        (Lower::VeryHigh.to_attribute().unwrap(), "veryhigh"),
        (
            AccountType::StandardUser.to_attribute().unwrap(),
            "standard_user",
        ),
        (AccountType::Admin.to_attribute().unwrap(), "root"),
        (Colour::DarkBlue.to_attribute().unwrap(), "DarkBlue"),
    ];
    for (value, expected) in cases {
        assert_eq!(value, AttributeValue::from(expected));
    }
    assert_eq!(
        Level::from_attribute(AttributeValue::from("VERY-HIGH")).unwrap(),
        Level::VeryHigh
    );
    assert_eq!(
        AccountType::from_attribute(AttributeValue::from("root")).unwrap(),
        AccountType::Admin
    );
    let err = AccountType::from_attribute(AttributeValue::from("Admin")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "unknown `AccountType` value `Admin`; expected one of `standard_user`, `root`"
    );
    let err = Level::from_attribute(AttributeValue::from(1)).unwrap_err();
    assert_eq!(err.to_string(), "expected S, found N");
    assert_eq!(<AccountType as KeyType>::SCALAR, ScalarType::S);
}

// ---------------------------------------------------------------------------
// Decode errors name the struct, the attribute, what was expected and found

#[test]
fn decode_errors() {
    let good = || john().to_item().unwrap();

    let mut item = good();
    item.insert("age", "old");
    assert_eq!(
        decode_error::<User>(item),
        "converting `User`: attribute `age`: expected N, found S"
    );

    let mut item = good();
    item.remove("first_name");
    assert_eq!(
        decode_error::<User>(item),
        "converting `User`: attribute `first_name`: required attribute is missing"
    );

    // Renamed fields are reported by their stored name.
    let mut item = good();
    item.insert("mail", 5);
    assert_eq!(
        decode_error::<User>(item),
        "converting `User`: attribute `mail`: expected S, found N"
    );

    // A `with` field that is missing is an error (no `default`).
    let mut item = good();
    item.remove("shout");
    assert_eq!(
        decode_error::<User>(item),
        "converting `User`: attribute `shout`: required attribute is missing"
    );

    let mut item = good();
    item.insert("account_type", "nobody");
    assert_eq!(
        decode_error::<User>(item),
        "converting `User`: attribute `account_type`: unknown `AccountType` value `nobody`; \
         expected one of `standard_user`, `root`"
    );

    let mut item = good();
    item.insert("age", 300);
    let err = decode_error::<User>(item);
    assert!(
        err.starts_with("converting `User`: attribute `age`: ") && err.contains("300"),
        "{err}"
    );
}

#[test]
fn nested_decode_errors_name_the_innermost_struct_and_the_path() {
    let mut item = everything().to_item().unwrap();
    item.insert("address", item! { "city" => 12 });
    assert_eq!(
        decode_error::<Everything>(item),
        "converting `Address`: attribute `address.city`: expected S, found N"
    );

    let mut item = everything().to_item().unwrap();
    item.insert("addresses", vec![AttributeValue::M(item! { "zip" => 1 })]);
    assert_eq!(
        decode_error::<Everything>(item),
        "converting `Address`: attribute `addresses[0].city`: required attribute is missing"
    );

    let mut item = everything().to_item().unwrap();
    item.insert("address", "Lisbon");
    assert_eq!(
        decode_error::<Everything>(item),
        "converting `Everything`: attribute `address`: expected M, found S"
    );
}

#[test]
fn encode_errors_name_the_struct_and_attribute() {
    let value = Everything {
        f64: f64::NAN,
        ..everything()
    };
    let err = value.to_item().unwrap_err().to_string();
    assert!(
        err.starts_with("converting `Everything`: attribute `f64`: "),
        "{err}"
    );
}

#[test]
fn unknown_attributes_are_ignored() {
    let mut item = john().to_item().unwrap();
    item.insert("someone_elses", true);
    assert!(User::from_item(item).is_ok());
}

// ---------------------------------------------------------------------------
// Paths, visibility, raw identifiers

mod models {
    use dynamo_blocking::DynamoItem;

    #[derive(DynamoItem, Debug, PartialEq)]
    #[dynamo(table = "accounts")]
    pub struct Account {
        #[dynamo(hash_key)]
        pub r#type: String,
        pub(crate) r#ref: u32,
    }
}

#[test]
fn generated_types_share_the_struct_visibility() {
    let account = models::Account {
        r#type: "gold".into(),
        r#ref: 1,
    };
    let key: models::AccountKey = account.key();
    assert_eq!(key.r#type, "gold");
    let fields: models::AccountFields = models::Account::fields();
    assert_eq!(fields.r#type.name(), "type");
    assert_eq!(
        json(&account.to_item().unwrap()),
        r#"{"ref":{"N":"1"},"type":{"S":"gold"}}"#
    );
}

/// The derive through `dynamo_core` directly.
mod core_path {
    #[derive(dynamo_blocking::DynamoItem, Debug, PartialEq)]
    #[dynamo(crate = "dynamo_core", table = "things")]
    #[dynamo(global_index(name = "ByState", hash = "state"))]
    pub struct Thing {
        #[dynamo(hash_key)]
        pub id: u32,
        pub state: State,
    }

    #[derive(dynamo_blocking::DynamoValue, Debug, PartialEq)]
    #[dynamo(crate = "::dynamo_core")]
    pub enum State {
        On,
    }
}

#[test]
fn the_crate_path_can_be_overridden() {
    use dynamo_core::{DynamoItem as _, KeyedItem as _};
    let thing = core_path::Thing {
        id: 1,
        state: core_path::State::On,
    };
    let item: dynamo_core::Attributes = thing.to_item().unwrap();
    assert_eq!(json(&item), r#"{"id":{"N":"1"},"state":{"S":"On"}}"#);
    assert_eq!(core_path::Thing::TABLE_NAME, Some("things"));
    assert_eq!(core_path::Thing::from_item(item).unwrap(), thing);
    let by_state: dynamo_core::IndexPartition<_, (), dynamo_core::GlobalIndex> =
        core_path::Thing::by_state(core_path::State::On);
    assert_eq!(by_state.index_name(), "ByState");
}

#[test]
fn an_empty_struct_is_an_empty_item() {
    #[derive(DynamoItem, Debug, PartialEq)]
    struct Nothing {}
    assert!(Nothing {}.to_item().unwrap().is_empty());
    assert_eq!(Nothing::from_item(Attributes::new()).unwrap(), Nothing {});
    assert!(Nothing::attribute_names().is_empty());
}

#[test]
fn conversion_errors_are_convert_errors() {
    fn takes(_: Result<User, ConvertError>) {}
    takes(User::from_item(Attributes::new()));
}

#[derive(DynamoValue, Clone, Copy, Debug, PartialEq)]
enum Shelf {
    Front,
    Back,
}

/// Every template field lives only in the keys; `shelf` is in both.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(hash = "pk", range = "sk")]
#[dynamo(key(
    hash = "STORE#{store}#{shelf}",
    range = "{shelf}#{slot}",
    store_fields = false
))]
struct Slot {
    store: String,
    shelf: Shelf,
    slot: u16,
    label: Option<String>,
}

#[test]
fn store_fields_false_reads_the_fields_back_from_the_keys() {
    let slot = Slot {
        store: "north".into(),
        shelf: Shelf::Back,
        slot: 7,
        label: Some("tea".into()),
    };
    let item = slot.to_item().unwrap();
    assert_eq!(
        json(&item),
        r#"{"label":{"S":"tea"},"pk":{"S":"STORE#north#Back"},"sk":{"S":"Back#00007"}}"#
    );
    assert_eq!(Slot::attribute_names(), ["label"]);
    assert_eq!(Slot::from_item(item).unwrap(), slot);
    assert_eq!(slot.key().to_key().unwrap().len(), 2);

    let read = |pk: &str, sk: &str| Slot::from_item(item! {"pk" => pk, "sk" => sk});
    assert_eq!(read("STORE#s#Front", "Front#65535").unwrap().slot, u16::MAX);
    // Keys that do not follow the templates are refused with the attribute
    // and the struct named.
    for (pk, sk, expected) in [
        ("SHOP#s#Front", "Front#00001", "attribute `pk`"),
        ("STORE#s#Side", "Front#00001", "`{shelf}`"),
        ("STORE#s#Front", "Front#1", "`{slot}`"),
        ("STORE#s#Front", "Front#00001#", "follows the end"),
        (
            "STORE#s#Front",
            "Front00001",
            "`{shelf}`: unknown `Shelf` value",
        ),
    ] {
        let err = read(pk, sk).unwrap_err();
        assert!(
            matches!(
                err.kind(),
                dynamo_blocking::ConvertErrorKind::KeyTemplateMismatch(_)
            ),
            "{pk} {sk}: {err}"
        );
        assert!(err.to_string().contains(expected), "{pk} {sk}: {err}");
        assert!(err.to_string().starts_with("converting `Slot`"), "{err}");
    }
    let err = Slot::from_item(item! {"pk" => "STORE#s#Front"}).unwrap_err();
    assert_eq!(
        err.to_string(),
        "converting `Slot`: attribute `sk`: required attribute is missing"
    );
}

/// A plain-keyed item with an index whose keys are composed by templates.
#[derive(DynamoItem, Debug, Clone, PartialEq)]
#[dynamo(global_index(
    name = "orders-by-day2",
    hash = "gsi_pk",
    range = "gsi_sk",
    key(hash = "DAY#{day}", range = "{seq}"),
    projection = "keys_only"
))]
struct Ticket {
    #[dynamo(hash_key)]
    id: String,
    day: String,
    seq: i8,
}

#[test]
fn index_key_templates_are_written_and_declared() {
    let t = Ticket {
        id: "t1".into(),
        day: "mon".into(),
        seq: -1,
    };
    assert_eq!(
        json(&t.to_item().unwrap()),
        r#"{"day":{"S":"mon"},"gsi_pk":{"S":"DAY#mon"},"gsi_sk":{"S":"127"},"id":{"S":"t1"},"seq":{"N":"-1"}}"#
    );
    let SecondaryIndex::Global(index) = &Ticket::indexes()[0] else {
        panic!("a global index")
    };
    assert_eq!(
        index.key_schema,
        KeySchema::hash_range(
            KeyAttribute::new("gsi_pk", ScalarType::S),
            KeyAttribute::new("gsi_sk", ScalarType::S)
        )
    );
    // Builders are named after the index in snake case.
    assert_eq!(
        Ticket::orders_by_day2_hash(&"mon".to_owned())
            .unwrap()
            .as_str(),
        "DAY#mon"
    );
    assert_eq!(
        Ticket::orders_by_day2_range_key(&0).unwrap().as_str(),
        "128"
    );
    assert_eq!(Ticket::orders_by_day2_range_prefix().unwrap().as_str(), "");
}

/// Every declared index gets a function naming one of its partitions, typed
/// by the index's keys (the compile-time-checked query path; misuse is in
/// `compile_fail/index_query_order.rs`).
#[test]
fn every_index_has_a_typed_partition_function() {
    use dynamo_blocking::{IndexPartition, KeyText};

    // A local index: the table's hash key, then its own sort key.
    let joined: IndexPartition<User, (i64, ()), LocalIndex> =
        User::date_joined_index(AccountType::Admin);
    assert_eq!(joined.index_name(), "DateJoinedIndex");
    assert!(format!("{joined:?}").contains("root"), "{joined:?}");
    let by_age: IndexPartition<User, (u8, ()), LocalIndex> = User::age_index(AccountType::Admin);
    assert_eq!(by_age.index_name(), "AgeIndex");
    // Global indexes: an optional key field takes its inner type.
    let by_email: IndexPartition<User, (), GlobalIndex> = User::email_index("john@example.com");
    assert_eq!(by_email.index_name(), "EmailIndex");
    let by_city: IndexPartition<User, (i64, ()), GlobalIndex> = User::city_index("Lisbon");
    assert!(format!("{by_city:?}").contains("Lisbon"), "{by_city:?}");
    // A templated index key takes the composed values.
    let day = Ticket::orders_by_day2_hash(&"mon".to_owned()).unwrap();
    let by_day: IndexPartition<Ticket, (KeyText, ()), GlobalIndex> = Ticket::orders_by_day2(day);
    assert_eq!(by_day.index_name(), "orders-by-day2");
    assert!(format!("{by_day:?}").contains("DAY#mon"), "{by_day:?}");

    // A name that would be a keyword or another generated function gets
    // `_index`.
    #[derive(DynamoItem)]
    #[dynamo(
        global_index(name = "Match", hash = "a"),
        global_index(name = "Key", hash = "b")
    )]
    struct Named {
        #[dynamo(hash_key)]
        id: u8,
        a: String,
        b: u32,
    }
    assert_eq!(Named::match_index("x").index_name(), "Match");
    assert_eq!(Named::key_index(7u32).index_name(), "Key");
}
