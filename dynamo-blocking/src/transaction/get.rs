//! TransactGetItems for a typed table.

use dynamo_core::wire::{TransactGet, TransactGetItem, TransactGetItemsInput};
use dynamo_core::{ItemKey, KeyedItem};

use crate::{Error, TypedTable};

impl<T: KeyedItem> TypedTable<T> {
    /// Reads these items from one consistent snapshot (TransactGetItems, up
    /// to 100 keys), in request order: `None` where there is no item.
    pub fn transact_get<'k, I>(&self, keys: I) -> Result<Vec<Option<T>>, Error>
    where
        I: IntoIterator<Item = &'k T::Key>,
        T::Key: 'k,
    {
        let schema = T::key_schema();
        let mut reads = Vec::new();
        for key in keys {
            let key = key.to_key()?;
            schema.validate_key(&key)?;
            reads.push(TransactGetItem {
                get: TransactGet {
                    table_name: self.table().name().to_owned(),
                    key,
                    ..Default::default()
                },
            });
        }
        let asked = reads.len();
        let out = self
            .table()
            .client()
            .transact_get_items(&TransactGetItemsInput {
                transact_items: reads,
                ..Default::default()
            })?;
        if out.responses.len() != asked {
            return Err(Error::Response(Box::new(crate::ResponseError {
                kind: crate::ResponseErrorKind::Malformed,
                status: 200,
                request_id: None,
                body_start: String::new(),
                detail: format!(
                    "TransactGetItems answered {} responses for {asked} reads",
                    out.responses.len()
                ),
                attempts: 1,
            })));
        }
        out.responses
            .into_iter()
            .map(|r| r.item.map(T::from_item).transpose().map_err(Error::from))
            .collect()
    }
}
