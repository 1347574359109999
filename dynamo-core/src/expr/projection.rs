//! Projection expressions: which attributes to read.

use crate::expr::Placeholders;

/// Renders a `ProjectionExpression` listing top-level attributes by name:
/// `#n0, #n1`. A name listed twice appears once (DynamoDB rejects
/// duplicates). An empty list gives an empty string, which is not a valid
/// expression: leave the projection out instead.
///
/// ```
/// use dynamo_core::expr::{projection, Placeholders};
/// let mut ph = Placeholders::new();
/// assert_eq!(projection(&["username", "date", "username"], &mut ph), "#n0, #n1");
/// assert_eq!(ph.names()["#n1"], "date");
/// ```
pub fn projection<S: AsRef<str>>(names: &[S], ph: &mut Placeholders) -> String {
    let mut seen: Vec<&str> = Vec::with_capacity(names.len());
    let mut parts = Vec::with_capacity(names.len());
    for name in names {
        let name = name.as_ref();
        if !seen.contains(&name) {
            seen.push(name);
            parts.push(ph.name(name));
        }
    }
    parts.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::attr;

    #[test]
    fn shares_placeholders_with_conditions() {
        let mut ph = Placeholders::new();
        let filter = attr("status").eq("x").render(&mut ph).unwrap();
        let proj = projection(&[String::from("name"), String::from("status")], &mut ph);
        assert_eq!(filter, "#n0 = :v0");
        assert_eq!(proj, "#n1, #n0");
        assert_eq!(ph.names().len(), 2);
    }

    #[test]
    fn empty_projection_allocates_nothing() {
        let mut ph = Placeholders::new();
        assert_eq!(projection::<&str>(&[], &mut ph), "");
        assert!(ph.is_empty());
    }
}
