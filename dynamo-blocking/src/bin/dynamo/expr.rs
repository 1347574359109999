//! The `--key` and `--filter` mini-language.
//!
//! ```text
//! --key NAME=VALUE        equality (the hash key needs one)
//! --key NAME<VALUE        also <=, >, >=          (range key)
//! --key NAME^=PREFIX      begins_with             (range key)
//! --key NAME=LOW..HIGH    BETWEEN, both included  (range key)
//!
//! --filter PATH=VALUE     also !=, <, <=, >, >=, and PATH=LOW..HIGH
//! --filter PATH^=PREFIX   begins_with
//! --filter 'PATH exists'  / 'PATH not-exists'
//! --filter 'PATH contains VALUE' / 'PATH not-contains VALUE'
//! ```
//!
//! A VALUE is read as JSON when it is JSON: `30` and `-1.5` are numbers,
//! `"30"` is a string, `true`/`false` booleans, `null` NULL, `[..]` and
//! `{..}` lists and maps, and a one-member object with a type tag such as
//! `{"B":"aGk="}` is a DynamoDB JSON value. Anything else is taken literally
//! as a string, so `name=John`, `zip=007` and `day=2024-01-01` are strings.
//! Quote a string that looks like something else: `code="42"`,
//! `range="a..b"`. Spaces around operators are ignored.
//!
//! A filter PATH names a top-level attribute or goes inside maps and lists:
//! `address.city`, `tags[0]`.

use dynamo_blocking::expr::{attr, Condition, Path};
use dynamo_blocking::{AttributeValue, Query};

use crate::convert::{from_dynamodb_json, from_plain_json, looks_like_dynamodb_value};
use crate::json;

/// A comparison as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    BeginsWith,
    Between,
}

/// Operators, longest first so `<=` is not read as `<`.
const OPERATORS: [(&str, Op); 8] = [
    ("!=", Op::Ne),
    ("<>", Op::Ne),
    ("<=", Op::Le),
    (">=", Op::Ge),
    ("^=", Op::BeginsWith),
    ("=", Op::Eq),
    ("<", Op::Lt),
    (">", Op::Gt),
];

/// One `--key` condition.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyTerm {
    name: String,
    op: Op,
    values: Vec<AttributeValue>,
}

impl KeyTerm {
    /// Adds this condition to a query.
    pub fn apply(self, query: Query) -> Query {
        let mut values = self.values.into_iter();
        let (Some(v), rest) = (values.next(), values.next()) else {
            return query;
        };
        let name = self.name;
        match self.op {
            Op::Eq => query.key_eq(name, v),
            Op::Lt => query.key_lt(name, v),
            Op::Le => query.key_le(name, v),
            Op::Gt => query.key_gt(name, v),
            Op::Ge => query.key_ge(name, v),
            Op::BeginsWith => query.key_begins_with(name, v),
            Op::Between => match rest {
                Some(high) => query.key_between(name, v, high),
                None => query,
            },
            // Refused by `parse_key`.
            Op::Ne => query,
        }
    }
}

/// Parses `--key` text.
pub fn parse_key(text: &str) -> Result<KeyTerm, String> {
    let (name, op, values) = parse_comparison(text)?;
    if op == Op::Ne {
        return Err(format!(
            "`{text}`: a key condition cannot use != (use --filter for that)"
        ));
    }
    Ok(KeyTerm {
        name: name.to_owned(),
        op,
        values,
    })
}

/// Parses `--filter` text into a condition.
pub fn parse_filter(text: &str) -> Result<Condition, String> {
    let trimmed = text.trim();
    // Word forms: `PATH exists`, `PATH contains VALUE`...
    if let Some((first, rest)) = trimmed.split_once(char::is_whitespace) {
        if !first.contains(|c| "=<>!^".contains(c)) {
            let rest = rest.trim_start();
            let (word, arg) = match rest.split_once(char::is_whitespace) {
                Some((w, a)) => (w, Some(a.trim())),
                None => (rest, None),
            };
            let path = || parse_path(first);
            let value = |a: Option<&str>| match a {
                Some(a) if !a.is_empty() => parse_value(a),
                _ => Err(format!("`{text}`: `{word}` needs a value after it")),
            };
            match word {
                "exists" | "not-exists" if arg.is_some() => {
                    return Err(format!("`{text}`: nothing may follow `{word}`"))
                }
                "exists" => return Ok(path()?.exists()),
                "not-exists" => return Ok(path()?.not_exists()),
                "contains" => return Ok(path()?.contains(value(arg)?)),
                "not-contains" => return Ok(path()?.not_contains(value(arg)?)),
                _ => {}
            }
        }
    }
    let (name, op, values) = parse_comparison(text)?;
    let path = parse_path(name)?;
    let mut values = values.into_iter();
    let v = values
        .next()
        .ok_or_else(|| format!("`{text}`: missing value"))?;
    Ok(match op {
        Op::Eq => path.eq(v),
        Op::Ne => path.ne(v),
        Op::Lt => path.lt(v),
        Op::Le => path.le(v),
        Op::Gt => path.gt(v),
        Op::Ge => path.ge(v),
        Op::BeginsWith => path.begins_with(v),
        Op::Between => {
            let high = values
                .next()
                .ok_or_else(|| format!("`{text}`: missing value"))?;
            path.between(v, high)
        }
    })
}

/// Splits `NAME OP VALUE`; `=LOW..HIGH` becomes `Between` with two values.
fn parse_comparison(text: &str) -> Result<(&str, Op, Vec<AttributeValue>), String> {
    let Some(at) = text.find(|c| "=<>!^".contains(c)) else {
        return Err(format!(
            "`{text}`: expected NAME=VALUE (or !=, <, <=, >, >=, ^=, =LOW..HIGH)"
        ));
    };
    let name = text[..at].trim();
    if name.is_empty() {
        return Err(format!(
            "`{text}`: missing attribute name before the operator"
        ));
    }
    let (symbol, op) = OPERATORS
        .iter()
        .find(|(symbol, _)| text[at..].starts_with(symbol))
        .copied()
        .ok_or_else(|| format!("`{text}`: unknown operator (expected =, !=, <, <=, >, >=, ^=)"))?;
    let raw = text[at + symbol.len()..].trim();
    if raw.is_empty() {
        return Err(format!("`{text}`: missing value after `{symbol}`"));
    }
    let context = |e: String| format!("`{text}`: {e}");
    if op == Op::Eq {
        if let Some((low, high)) = split_range(raw) {
            let low = parse_value(low).map_err(context)?;
            let high = parse_value(high).map_err(context)?;
            return Ok((name, Op::Between, vec![low, high]));
        }
    }
    Ok((name, op, vec![parse_value(raw).map_err(context)?]))
}

/// `LOW..HIGH` → `(LOW, HIGH)`, unless `..` is inside a quoted LOW.
fn split_range(raw: &str) -> Option<(&str, &str)> {
    let search_from = if raw.starts_with('"') {
        // Past the closing quote of a JSON string literal.
        let bytes = raw.as_bytes();
        let mut i = 1;
        loop {
            match bytes.get(i)? {
                b'\\' => i += 2,
                b'"' => break i + 1,
                _ => i += 1,
            }
        }
    } else {
        0
    };
    let at = raw[search_from..].find("..")? + search_from;
    let (low, high) = (raw[..at].trim(), raw[at + 2..].trim());
    Some((low, high))
}

/// A value as written on the command line (see the module doc).
pub fn parse_value(raw: &str) -> Result<AttributeValue, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Err("missing value".into());
    }
    match json::parse(raw) {
        Ok(value) if looks_like_dynamodb_value(&value) => from_dynamodb_json(value, "value"),
        Ok(value) => from_plain_json(value, "value"),
        // Something meant as JSON but broken is an error, not a string.
        Err(e) if raw.starts_with(['"', '{', '[']) => Err(e.to_string()),
        Err(_) => Ok(AttributeValue::S(raw.to_owned())),
    }
}

/// `a.b[0].c` → the path.
fn parse_path(text: &str) -> Result<Path, String> {
    let bad =
        || format!("`{text}` is not an attribute path (write `name`, `map.key` or `list[0]`)");
    let mut path: Option<Path> = None;
    for segment in text.trim().split('.') {
        let (name, mut indexes) = match segment.find('[') {
            Some(at) => (&segment[..at], &segment[at..]),
            None => (segment, ""),
        };
        if name.is_empty() || name.contains(char::is_whitespace) || name.contains(']') {
            return Err(bad());
        }
        let mut current = match path.take() {
            None => attr(name),
            Some(p) => p.field(name),
        };
        while !indexes.is_empty() {
            let close = indexes.find(']').ok_or_else(bad)?;
            let index: usize = indexes[1..close].parse().map_err(|_| bad())?;
            current = current.index(index);
            indexes = &indexes[close + 1..];
            if !indexes.is_empty() && !indexes.starts_with('[') {
                return Err(bad());
            }
        }
        path = Some(current);
    }
    path.ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dynamo_blocking::expr::Placeholders;
    use dynamo_blocking::{item, Number};

    fn n(s: &str) -> AttributeValue {
        AttributeValue::N(Number::parse(s).unwrap())
    }

    /// The rendered expression with names and values filled back in.
    fn show(c: &Condition) -> String {
        let mut ph = Placeholders::new();
        let mut text = c.render(&mut ph).unwrap();
        let (names, values) = ph.into_parts();
        let mut names: Vec<_> = names.unwrap_or_default().into_iter().collect();
        names.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        for (k, v) in names {
            text = text.replace(&k, &v);
        }
        let mut values: Vec<_> = values.unwrap_or_default().into_iter().collect();
        values.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        for (k, v) in values {
            text = text.replace(&k, &serde_json::to_string(&v).unwrap());
        }
        text
    }

    #[test]
    fn values_are_json_when_they_are_json() {
        assert_eq!(parse_value("30").unwrap(), n("30"));
        assert_eq!(parse_value("-1.50").unwrap(), n("-1.50"));
        assert_eq!(
            parse_value("\"30\"").unwrap(),
            AttributeValue::S("30".into())
        );
        assert_eq!(
            parse_value("John Smith").unwrap(),
            AttributeValue::S("John Smith".into())
        );
        assert_eq!(parse_value("007").unwrap(), AttributeValue::S("007".into()));
        assert_eq!(parse_value("true").unwrap(), AttributeValue::Bool(true));
        assert_eq!(parse_value("null").unwrap(), AttributeValue::Null);
        assert_eq!(
            parse_value("{\"B\":\"aGk=\"}").unwrap(),
            AttributeValue::B(b"hi".to_vec())
        );
        assert_eq!(
            parse_value("{\"a\":1}").unwrap(),
            AttributeValue::M(item! { "a" => n("1") })
        );
        assert!(parse_value("\"open").is_err());
        assert!(parse_value("1e999").is_err());
    }

    #[test]
    fn key_terms() {
        let k = parse_key("username=johndoe").unwrap();
        assert_eq!((k.name.as_str(), k.op), ("username", Op::Eq));
        assert_eq!(k.values, vec![AttributeValue::S("johndoe".into())]);
        assert_eq!(parse_key("n >= 5").unwrap().op, Op::Ge);
        assert_eq!(parse_key("n<=5").unwrap().op, Op::Le);
        assert_eq!(parse_key("n<5").unwrap().op, Op::Lt);
        assert_eq!(parse_key("n>5").unwrap().op, Op::Gt);
        assert_eq!(parse_key("name^=Jo").unwrap().op, Op::BeginsWith);
        let b = parse_key("d=10..20").unwrap();
        assert_eq!((b.op, b.values), (Op::Between, vec![n("10"), n("20")]));
        let q = parse_key("d=\"a..b\"").unwrap();
        assert_eq!(q.values, vec![AttributeValue::S("a..b".into())]);
        let q = parse_key("d=\"a..b\"..\"c\"").unwrap();
        assert_eq!(q.values, vec!["a..b".into(), "c".into()]);
        for bad in ["username", "=x", "a!=b", "a=", "a=1..", "a!x"] {
            assert!(parse_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn filters_render_to_dynamodb_expressions() {
        let cases = [
            ("age>30", r#"age > {"N":"30"}"#),
            ("age >= 30", r#"age >= {"N":"30"}"#),
            ("status!=x", r#"status <> {"S":"x"}"#),
            ("status<>x", r#"status <> {"S":"x"}"#),
            ("name^=Jo", r#"begins_with(name, {"S":"Jo"})"#),
            ("email exists", "attribute_exists(email)"),
            ("email not-exists", "attribute_not_exists(email)"),
            ("tags contains red", r#"contains(tags, {"S":"red"})"#),
            (
                "tags not-contains \"a b\"",
                r#"NOT contains(tags, {"S":"a b"})"#,
            ),
            ("age=18..65", r#"age BETWEEN {"N":"18"} AND {"N":"65"}"#),
            ("address.city=Lisbon", r#"address.city = {"S":"Lisbon"}"#),
            ("tags[1]=x", r#"tags[1] = {"S":"x"}"#),
            ("ok=true", r#"ok = {"BOOL":true}"#),
        ];
        for (text, expected) in cases {
            assert_eq!(show(&parse_filter(text).unwrap()), expected, "{text}");
        }
        for bad in [
            "age",
            "email exists now",
            "tags contains",
            "a..b=1",
            "a[x]=1",
            "a b=1",
            ">3",
        ] {
            assert!(parse_filter(bad).is_err(), "{bad}");
        }
    }
}
