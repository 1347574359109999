//! Generated code compiles without a warning under strict lints, including
//! for public types in a library-like module.
#![deny(warnings, missing_docs, missing_debug_implementations, rust_2018_idioms)]
#![deny(unused_qualifications, unreachable_pub, trivial_casts, unused_results)]

/// Public models.
pub mod models {
    use dynamo_blocking::{DynamoItem, DynamoValue};

    /// A status.
    #[derive(DynamoValue, Clone, Copy, Debug, PartialEq)]
    pub enum Status {
        /// On.
        Active,
    }

    /// A user.
    #[derive(DynamoItem, Debug)]
    #[dynamo(table = "users", rename_all = "camelCase")]
    #[dynamo(global_index(name = "EmailIndex", hash = "email"))]
    #[dynamo(local_index(name = "ByVersion", range = "version"))]
    #[dynamo(global_index(name = "Type", hash = ["status", "email"], range = ["ttl", "version"]))]
    pub struct User {
        /// Id.
        #[dynamo(hash_key)]
        pub user_id: String,
        /// Status.
        #[dynamo(range_key)]
        pub status: Status,
        /// Email.
        pub email: Option<String>,
        /// Version.
        #[dynamo(version)]
        pub version: u64,
        /// Expiry.
        #[dynamo(ttl)]
        pub ttl: Option<u64>,
        /// Not stored.
        #[dynamo(skip)]
        pub cache: Vec<u8>,
    }
}

/// A private item with private fields, never read.
#[derive(dynamo_blocking::DynamoItem)]
struct Private {
    #[dynamo(hash_key)]
    id: u32,
}

/// An empty item.
#[derive(dynamo_blocking::DynamoItem)]
struct Empty {}

fn main() {
    use dynamo_blocking::DynamoItem;
    let user = models::User {
        user_id: "u".into(),
        status: models::Status::Active,
        email: None,
        version: 0,
        ttl: None,
        cache: Vec::new(),
    };
    let _item = user.to_item().unwrap();
    let _key: models::UserKey = user.key();
    let _ = Private::from_item(dynamo_blocking::Attributes::new());
    let _ = Empty::from_item(dynamo_blocking::Attributes::new());
}
