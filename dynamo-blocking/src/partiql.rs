//! PartiQL: [`Client::execute`] (a lazy iterator over a statement's items,
//! page by page with `NextToken`), [`Client::batch_execute`] (statements
//! that succeed or fail one by one) and [`Client::execute_transaction`]
//! (all or nothing, with the typed [`CancelReason`](crate::CancelReason)s).
//!
//! Values go in as parameters, one per `?` in the statement, through the
//! value model; a statement is never built by pasting values into its text.

use std::collections::VecDeque;
use std::fmt;
use std::marker::PhantomData;

use dynamo_core::wire::{
    BatchExecuteStatementInput, BatchStatementRequest, ExecuteStatementInput,
    ExecuteTransactionInput, ParameterizedStatement,
};
use dynamo_core::{AttributeValue, Attributes, ConvertError, DynamoItem};

use crate::transaction::token::new_token;
use crate::{Client, Error};

/// A PartiQL statement ready to run; from [`Client::execute`].
///
/// Iterate it for the items of a `SELECT` (pages are fetched as they are
/// consumed), or [`run`](Statement::run) it (an `INSERT`, `UPDATE` or
/// `DELETE`, or a `SELECT` whose items are all wanted at once).
///
/// ```no_run
/// use dynamo_blocking::{AttributeValue, Client};
/// let client = Client::from_env()?;
/// client.execute("INSERT INTO users VALUE {'id': ?, 'name': ?}", ["ada".into(), "Ada".into()]).run()?;
/// for item in client.execute("SELECT * FROM users WHERE id = ?", [AttributeValue::from("ada")]) {
///     println!("{:?}", item?);
/// }
/// # Ok::<(), dynamo_blocking::Error>(())
/// ```
#[must_use = "a statement does nothing until iterated or run"]
#[derive(Clone, Debug)]
pub struct Statement {
    client: Client,
    request: ExecuteStatementInput,
    page_size: Option<u32>,
    limit: Option<u64>,
}

impl Statement {
    /// Stops after `n` items in all.
    pub fn limit(mut self, n: u64) -> Self {
        self.limit = Some(n);
        self
    }

    /// Evaluates at most `n` items per request (DynamoDB's `Limit`).
    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = Some(n);
        self
    }

    /// Strongly consistent reads.
    pub fn consistent_read(mut self) -> Self {
        self.request.consistent_read = Some(true);
        self
    }

    /// Runs the statement to the end and returns every item it answered
    /// (none for a write).
    pub fn run(self) -> Result<Vec<Attributes>, Error> {
        self.into_iter().collect()
    }

    /// The items decoded as `T`.
    pub fn decode_as<T: DynamoItem>(self) -> StatementItems<T> {
        self.items(T::from_item)
    }

    fn items<T>(self, decode: fn(Attributes) -> Result<T, ConvertError>) -> StatementItems<T> {
        StatementItems {
            client: self.client,
            request: self.request,
            page_size: self.page_size,
            remaining: self.limit,
            buffer: VecDeque::new(),
            done: false,
            pages: 0,
            decode,
            _items: PhantomData,
        }
    }
}

impl IntoIterator for Statement {
    type Item = Result<Attributes, Error>;
    type IntoIter = StatementItems<Attributes>;

    fn into_iter(self) -> StatementItems<Attributes> {
        self.items(Ok)
    }
}

/// The items of a [`Statement`], fetched page by page as they are consumed.
/// An error ends the iteration (after it is returned), except an item that
/// does not decode, which is an error for that item only.
pub struct StatementItems<T> {
    client: Client,
    request: ExecuteStatementInput,
    page_size: Option<u32>,
    remaining: Option<u64>,
    buffer: VecDeque<Attributes>,
    done: bool,
    pages: u64,
    decode: fn(Attributes) -> Result<T, ConvertError>,
    _items: PhantomData<fn() -> T>,
}

impl<T> StatementItems<T> {
    /// Requests sent so far.
    pub fn pages_fetched(&self) -> u64 {
        self.pages
    }
}

impl<T> fmt::Debug for StatementItems<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StatementItems")
            .field("statement", &self.request.statement)
            .field("pages", &self.pages)
            .field("done", &self.done)
            .finish()
    }
}

impl<T> Iterator for StatementItems<T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.remaining == Some(0) {
            return None;
        }
        // A page can be empty and still have a next one (a filter matched
        // nothing in the items it evaluated): keep going until NextToken
        // is absent.
        while self.buffer.is_empty() {
            if self.done {
                return None;
            }
            let wanted = self.remaining.map(|r| u32::try_from(r).unwrap_or(u32::MAX));
            self.request.limit = match (self.page_size, wanted) {
                (Some(p), Some(w)) => Some(p.min(w)),
                (p, w) => p.or(w),
            };
            self.pages += 1;
            match self.client.send(&self.request) {
                Ok(page) => {
                    self.buffer.extend(page.items);
                    self.request.next_token = page.next_token;
                    self.done = self.request.next_token.is_none();
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
        let item = self.buffer.pop_front()?;
        if let Some(r) = &mut self.remaining {
            *r -= 1;
        }
        Some((self.decode)(item).map_err(Error::from))
    }
}

/// Why one statement of [`Client::batch_execute`] failed.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct StatementError {
    /// DynamoDB's code: `ConditionalCheckFailed`, `DuplicateItem`,
    /// `ValidationError`, `TransactionConflict`, `ResourceNotFound`...
    pub code: String,
    /// DynamoDB's message.
    pub message: String,
    /// The item a condition failed on, when DynamoDB sent it.
    pub item: Option<Attributes>,
}

impl StatementError {
    /// A condition of the statement was false.
    pub fn is_condition_failed(&self) -> bool {
        self.code == "ConditionalCheckFailed"
    }

    /// An `INSERT` of an item that exists.
    pub fn is_duplicate_item(&self) -> bool {
        self.code == "DuplicateItem"
    }
}

impl fmt::Display for StatementError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for StatementError {}

/// What one statement of a batch answered: the item a read found (`None`
/// for a write or a read that found nothing), or why it failed.
pub type StatementResult = Result<Option<Attributes>, StatementError>;

fn parameters(values: impl IntoIterator<Item = AttributeValue>) -> Vec<AttributeValue> {
    values.into_iter().collect()
}

impl Client {
    /// A PartiQL statement with its parameters (one per `?`, in order);
    /// see [`Statement`].
    pub fn execute(
        &self,
        statement: impl Into<String>,
        parameters: impl IntoIterator<Item = AttributeValue>,
    ) -> Statement {
        Statement {
            client: self.clone(),
            request: ExecuteStatementInput::new(statement).parameters(self::parameters(parameters)),
            page_size: None,
            limit: None,
        }
    }

    /// [`Client::execute`] with the items decoded as `T`.
    ///
    /// ```no_run
    /// use dynamo_blocking::{AttributeValue, Client, DynamoItem};
    /// #[derive(DynamoItem)]
    /// struct User { id: String, name: String }
    /// let client = Client::from_env()?;
    /// for user in client.execute_as::<User>("SELECT * FROM users", []) {
    ///     println!("{}", user?.name);
    /// }
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn execute_as<T: DynamoItem>(
        &self,
        statement: impl Into<String>,
        parameters: impl IntoIterator<Item = AttributeValue>,
    ) -> StatementItems<T> {
        self.execute(statement, parameters).decode_as()
    }

    /// Runs up to 25 statements (all reads or all writes) in one request;
    /// each succeeds or fails on its own, and the answer has one result
    /// per statement, in order. A batch of 0 or more than 25 is refused
    /// before sending.
    ///
    /// ```no_run
    /// use dynamo_blocking::{AttributeValue, Client};
    /// let client = Client::from_env()?;
    /// let results = client.batch_execute([
    ///     ("INSERT INTO users VALUE {'id': ?}", vec![AttributeValue::from("a")]),
    ///     ("INSERT INTO users VALUE {'id': ?}", vec![AttributeValue::from("b")]),
    /// ])?;
    /// for result in results {
    ///     if let Err(e) = result {
    ///         eprintln!("{e}");
    ///     }
    /// }
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn batch_execute<S: Into<String>>(
        &self,
        statements: impl IntoIterator<Item = (S, Vec<AttributeValue>)>,
    ) -> Result<Vec<StatementResult>, Error> {
        let statements: Vec<BatchStatementRequest> = statements
            .into_iter()
            .map(|(s, p)| BatchStatementRequest::new(s, p))
            .collect();
        let output = self.send(&BatchExecuteStatementInput::new(statements))?;
        Ok(output
            .responses
            .into_iter()
            .map(|r| match r.error {
                Some(e) => Err(StatementError {
                    code: e.code.unwrap_or_default(),
                    message: e.message.unwrap_or_default(),
                    item: e.item,
                }),
                None => Ok(r.item),
            })
            .collect())
    }

    /// Runs up to 100 statements as one transaction: all apply or none.
    /// A cancelled transaction is an [`Error`] whose
    /// [`cancel_reasons`](Error::cancel_reasons) say why, statement by
    /// statement. Returns, for a read transaction, what each statement read.
    /// Retries reuse one `ClientRequestToken`, so a retried transaction is
    /// applied at most once.
    ///
    /// ```no_run
    /// use dynamo_blocking::{AttributeValue, Client};
    /// let client = Client::from_env()?;
    /// client.execute_transaction([
    ///     ("UPDATE accounts SET balance = balance - 10 WHERE id = ? AND balance >= 10", vec![AttributeValue::from("a")]),
    ///     ("UPDATE accounts SET balance = balance + 10 WHERE id = ?", vec![AttributeValue::from("b")]),
    /// ])?;
    /// # Ok::<(), dynamo_blocking::Error>(())
    /// ```
    pub fn execute_transaction<S: Into<String>>(
        &self,
        statements: impl IntoIterator<Item = (S, Vec<AttributeValue>)>,
    ) -> Result<Vec<Option<Attributes>>, Error> {
        let mut request = ExecuteTransactionInput::new(
            statements
                .into_iter()
                .map(|(s, p)| ParameterizedStatement::new(s, p))
                .collect(),
        );
        request.client_request_token = Some(new_token());
        let output = self.send(&request)?;
        Ok(output.responses.into_iter().map(|r| r.item).collect())
    }
}
