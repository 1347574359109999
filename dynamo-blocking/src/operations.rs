//! The low-level API (boto's `layer1`): one method per DynamoDB operation,
//! the ListTables iterator and the table waiters.

use std::time::{Duration, Instant};

use dynamo_core::wire::*;

use crate::paging::PageTokens;
use crate::{Client, Error};

macro_rules! operations {
    ($($method:ident: $req:ident => $out:ident),* $(,)?) => {
        impl Client {$(
            #[doc = concat!("Sends one `", stringify!($req), "` request; see [`Client::send`].")]
            pub fn $method(&self, request: &$req) -> Result<$out, Error> {
                self.send(request)
            }
        )*}
    };
}

operations! {
    create_table: CreateTableInput => CreateTableOutput,
    update_table: UpdateTableInput => UpdateTableOutput,
    delete_table: DeleteTableInput => DeleteTableOutput,
    list_tables_page: ListTablesInput => ListTablesOutput,
    describe_time_to_live: DescribeTimeToLiveInput => DescribeTimeToLiveOutput,
    update_time_to_live: UpdateTimeToLiveInput => UpdateTimeToLiveOutput,
    put_item: PutItemInput => PutItemOutput,
    get_item: GetItemInput => GetItemOutput,
    update_item: UpdateItemInput => UpdateItemOutput,
    delete_item: DeleteItemInput => DeleteItemOutput,
    batch_write_item: BatchWriteItemInput => BatchWriteItemOutput,
    batch_get_item: BatchGetItemInput => BatchGetItemOutput,
    query: QueryInput => QueryOutput,
    scan: ScanInput => ScanOutput,
    transact_write_items: TransactWriteItemsInput => TransactWriteItemsOutput,
    transact_get_items: TransactGetItemsInput => TransactGetItemsOutput,
    list_streams_page: ListStreamsInput => ListStreamsOutput,
    describe_stream: DescribeStreamInput => DescribeStreamOutput,
    get_shard_iterator: GetShardIteratorInput => GetShardIteratorOutput,
    get_records: GetRecordsInput => GetRecordsOutput,
}

/// How often waiters poll DescribeTable.
const POLL: Duration = Duration::from_millis(100);

impl Client {
    /// The description of `table`.
    pub fn describe_table(&self, table: &str) -> Result<TableDescription, Error> {
        let out = self.send(&DescribeTableInput {
            table_name: table.to_owned(),
        })?;
        Ok(out.table)
    }

    /// Every table name, fetched lazily page by page.
    ///
    /// ```no_run
    /// # let client = dynamo_blocking::Client::from_env()?;
    /// let names: Vec<String> = client.list_tables().collect::<Result<_, _>>()?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn list_tables(&self) -> TableNames {
        TableNames {
            client: self.clone(),
            page: Vec::new().into_iter(),
            next_start: None,
            tokens: PageTokens::new("ListTables", "LastEvaluatedTableName"),
            done: false,
        }
    }

    /// Blocks until `table` and its global indexes are `ACTIVE`, polling
    /// DescribeTable, and returns the final description.
    pub fn wait_until_active(
        &self,
        table: &str,
        timeout: Duration,
    ) -> Result<TableDescription, Error> {
        let start = Instant::now();
        loop {
            match self.describe_table(table) {
                Ok(d) if d.is_active() => return Ok(d),
                Ok(_) => {}
                // Right after CreateTable a table may not be visible yet.
                Err(e) if e.is_resource_not_found() => {}
                Err(e) => return Err(e),
            }
            wait_or_give_up(start, timeout, table, "ACTIVE")?;
        }
    }

    /// Blocks until `table` no longer exists.
    pub fn wait_until_deleted(&self, table: &str, timeout: Duration) -> Result<(), Error> {
        let start = Instant::now();
        loop {
            match self.describe_table(table) {
                Err(e) if e.is_resource_not_found() => return Ok(()),
                Err(e) => return Err(e),
                Ok(_) => {}
            }
            wait_or_give_up(start, timeout, table, "deleted")?;
        }
    }
}

fn wait_or_give_up(
    start: Instant,
    timeout: Duration,
    table: &str,
    awaited: &'static str,
) -> Result<(), Error> {
    let waited = start.elapsed();
    if waited >= timeout {
        return Err(Error::WaitTimeout {
            table: table.to_owned(),
            awaited,
            waited,
        });
    }
    std::thread::sleep(POLL.min(timeout - waited));
    Ok(())
}

/// Table names across ListTables pages; see [`Client::list_tables`].
pub struct TableNames {
    client: Client,
    page: std::vec::IntoIter<String>,
    next_start: Option<String>,
    tokens: PageTokens,
    done: bool,
}

impl Iterator for TableNames {
    type Item = Result<String, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(name) = self.page.next() {
                return Some(Ok(name));
            }
            if self.done {
                return None;
            }
            let request = ListTablesInput {
                exclusive_start_table_name: self.next_start.take(),
                limit: None,
            };
            let page = self.client.send(&request).and_then(|out| {
                let next = self.tokens.follow(out.last_evaluated_table_name)?;
                Ok((out.table_names, next))
            });
            match page {
                Ok((names, next)) => {
                    self.done = next.is_none();
                    self.next_start = next;
                    self.page = names.into_iter();
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}
