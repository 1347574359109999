//! Filling a request's expression fields from the builders in one go.
//!
//! Each function renders everything into one fresh [`Placeholders`] and
//! overwrites the request's expression fields (expressions, names and
//! values); on error the request is left untouched. Use [`Placeholders`]
//! directly for requests not covered here (the transaction items).

use crate::expr::{
    projection, Condition, ExprError, KeyCondition, MultiKeyCondition, Placeholders, Update,
};
use crate::wire;

/// A projection, or `None` for an absent or empty list.
fn render_projection(names: Option<&[String]>, ph: &mut Placeholders) -> Option<String> {
    names
        .filter(|names| !names.is_empty())
        .map(|names| projection(names, ph))
}

fn render_condition(
    condition: Option<&Condition>,
    ph: &mut Placeholders,
) -> Result<Option<String>, ExprError> {
    condition.map(|c| c.render(ph)).transpose()
}

/// Sets a Query's `KeyConditionExpression`, `FilterExpression` and
/// `ProjectionExpression` with their placeholders. Validate the key
/// condition against the table's (or index's) schema first with
/// [`KeyCondition::validate`].
///
/// ```
/// use dynamo_core::expr::{apply_to_query, attr, KeyCondition};
/// use dynamo_core::wire::QueryInput;
/// let mut q = QueryInput { table_name: "users".into(), ..Default::default() };
/// let key = KeyCondition::hash_eq("account_type", "standard_user");
/// apply_to_query(&mut q, Some(&key), Some(&attr("age").gt(30)), None)?;
/// assert_eq!(q.key_condition_expression.as_deref(), Some("#n0 = :v0"));
/// assert_eq!(q.filter_expression.as_deref(), Some("#n1 > :v1"));
/// # Ok::<(), dynamo_core::expr::ExprError>(())
/// ```
pub fn apply_to_query(
    req: &mut wire::QueryInput,
    key: Option<&KeyCondition>,
    filter: Option<&Condition>,
    projection: Option<&[String]>,
) -> Result<(), ExprError> {
    query_expressions(
        req,
        |ph| key.map(|k| k.render(ph)).transpose(),
        filter,
        projection,
    )
}

/// [`apply_to_query`] for a query of a multi-attribute index key.
pub fn apply_multi_key_to_query(
    req: &mut wire::QueryInput,
    key: &MultiKeyCondition,
    filter: Option<&Condition>,
    projection: Option<&[String]>,
) -> Result<(), ExprError> {
    query_expressions(req, |ph| key.render(ph).map(Some), filter, projection)
}

fn query_expressions(
    req: &mut wire::QueryInput,
    key: impl FnOnce(&mut Placeholders) -> Result<Option<String>, ExprError>,
    filter: Option<&Condition>,
    projection: Option<&[String]>,
) -> Result<(), ExprError> {
    let mut ph = Placeholders::new();
    let key = key(&mut ph)?;
    let filter = render_condition(filter, &mut ph)?;
    let projection = render_projection(projection, &mut ph);
    let (names, values) = ph.into_parts();
    req.key_condition_expression = key;
    req.filter_expression = filter;
    req.projection_expression = projection;
    req.expression_attribute_names = names;
    req.expression_attribute_values = values;
    Ok(())
}

/// Sets a Scan's `FilterExpression` and `ProjectionExpression` with their
/// placeholders.
pub fn apply_to_scan(
    req: &mut wire::ScanInput,
    filter: Option<&Condition>,
    projection: Option<&[String]>,
) -> Result<(), ExprError> {
    let mut ph = Placeholders::new();
    let filter = render_condition(filter, &mut ph)?;
    let projection = render_projection(projection, &mut ph);
    let (names, values) = ph.into_parts();
    req.filter_expression = filter;
    req.projection_expression = projection;
    req.expression_attribute_names = names;
    req.expression_attribute_values = values;
    Ok(())
}

/// Sets a GetItem's `ProjectionExpression` with its name placeholders.
pub fn apply_to_get_item(
    req: &mut wire::GetItemInput,
    projection: Option<&[String]>,
) -> Result<(), ExprError> {
    let mut ph = Placeholders::new();
    req.projection_expression = render_projection(projection, &mut ph);
    req.expression_attribute_names = ph.into_parts().0;
    Ok(())
}

/// Sets an UpdateItem's `UpdateExpression` and `ConditionExpression` with
/// their placeholders.
pub fn apply_to_update_item(
    req: &mut wire::UpdateItemInput,
    update: &Update,
    condition: Option<&Condition>,
) -> Result<(), ExprError> {
    let mut ph = Placeholders::new();
    let update = update.render(&mut ph)?;
    let condition = render_condition(condition, &mut ph)?;
    let (names, values) = ph.into_parts();
    req.update_expression = Some(update);
    req.condition_expression = condition;
    req.expression_attribute_names = names;
    req.expression_attribute_values = values;
    Ok(())
}

/// A condition rendered on its own: the expression and its placeholders, as
/// PutItem and DeleteItem take them.
type ConditionParts = (
    Option<String>,
    Option<wire::ExpressionNames>,
    Option<crate::Attributes>,
);

fn condition_alone(condition: Option<&Condition>) -> Result<ConditionParts, ExprError> {
    let mut ph = Placeholders::new();
    let condition = render_condition(condition, &mut ph)?;
    let (names, values) = ph.into_parts();
    Ok((condition, names, values))
}

/// Sets a PutItem's `ConditionExpression` with its placeholders.
pub fn apply_to_put_item(
    req: &mut wire::PutItemInput,
    condition: Option<&Condition>,
) -> Result<(), ExprError> {
    let (condition, names, values) = condition_alone(condition)?;
    req.condition_expression = condition;
    req.expression_attribute_names = names;
    req.expression_attribute_values = values;
    Ok(())
}

/// Sets a DeleteItem's `ConditionExpression` with its placeholders.
pub fn apply_to_delete_item(
    req: &mut wire::DeleteItemInput,
    condition: Option<&Condition>,
) -> Result<(), ExprError> {
    let (condition, names, values) = condition_alone(condition)?;
    req.condition_expression = condition;
    req.expression_attribute_names = names;
    req.expression_attribute_values = values;
    Ok(())
}
