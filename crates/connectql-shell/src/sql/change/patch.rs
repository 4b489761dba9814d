//! StackQL's `SET data__PatchDocument = '[…]'`: an RFC 6902 JSON Patch over
//! the item's CloudFormation model, on any table. Each operation's path
//! names a CloudFormation property; the patch becomes, per property, one
//! SET expression over SQLite's JSON functions (`json_set`, `json_insert`,
//! `json_remove`), so it goes through the same target SELECT, difference
//! and calls as `SET field = value`. A `test` operation becomes a column of
//! that SELECT: an item where it does not hold refuses the whole change.
//!
//! Everything the catalog can say is checked before any read: the path
//! names a property that can change (not read-only, not create-only), and
//! the keys and values of a field whose keys change one call each.

use json_patch::PatchOperation;
use serde_json::Value;

use crate::catalog::{self, ResourceType, PATCH_DOCUMENT};
use crate::error::Error;

/// A patch as SET expressions: (field index, SQL expression), in the order
/// the fields are first touched; `tests` are SQL conditions that must hold
/// on every target (with what they check, for the refusal).
#[derive(Debug, Clone, Default)]
pub struct PatchSets {
    pub sets: Vec<(usize, String)>,
    pub tests: Vec<(String, String)>,
    /// The keys named below a field whose keys change one call each
    /// (`/Attributes/ContactLens`), for EXPLAIN.
    pub keys: Vec<String>,
}

/// SQL string literal.
fn quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A JSON value as a SQL value of the field's column: scalars as SQL
/// literals, objects and arrays as their JSON text.
fn sql_value(v: &Value) -> String {
    match v {
        Value::Null => "NULL".into(),
        Value::Bool(b) => if *b { "1" } else { "0" }.into(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => quoted(s),
        other => quoted(&other.to_string()),
    }
}

/// A JSON value inside a JSON document (`json('…')` keeps its type).
fn json_value(v: &Value) -> String {
    format!("json({})", quoted(&v.to_string()))
}

/// JSON pointer tokens, unescaped.
fn tokens(path: &str) -> Vec<String> {
    path.split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The SQLite JSON path of pointer tokens below a property.
fn sqlite_path(rest: &[String]) -> Result<String, String> {
    let mut out = String::from("$");
    for t in rest {
        if t == "-" {
            out.push_str("[#]");
        } else if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{t}]"));
        } else if t.contains('"') {
            return Err(format!("the key {t:?} has a double quote"));
        } else {
            out.push_str(&format!(".\"{t}\""));
        }
    }
    Ok(out)
}

/// Translates a patch document on `r` into SET expressions.
pub fn translate(r: &ResourceType, text: &str) -> Result<PatchSets, Error> {
    let value: Value = serde_json::from_str(text).map_err(|e| Error::InvalidParam {
        param: PATCH_DOCUMENT.into(),
        message: format!(
            "not valid JSON ({e}); expected an RFC 6902 array such as [{{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}}]"
        ),
    })?;
    if !value.is_array() {
        return Err(Error::InvalidParam {
            param: PATCH_DOCUMENT.into(),
            message: "a JSON Patch is an array of operations".into(),
        });
    }
    let patch: json_patch::Patch =
        serde_json::from_value(value).map_err(|e| Error::InvalidParam {
            param: PATCH_DOCUMENT.into(),
            message: format!("not an RFC 6902 JSON Patch: {e}"),
        })?;
    if patch.0.is_empty() {
        return Err(Error::InvalidParam {
            param: PATCH_DOCUMENT.into(),
            message: "the patch has no operations".into(),
        });
    }
    let mut out = PatchSets::default();
    for op in &patch.0 {
        match op {
            PatchOperation::Add(o) => {
                apply(r, &mut out, "add", &o.path.to_string(), Some(&o.value))?
            }
            PatchOperation::Replace(o) => {
                apply(r, &mut out, "replace", &o.path.to_string(), Some(&o.value))?
            }
            PatchOperation::Remove(o) => apply(r, &mut out, "remove", &o.path.to_string(), None)?,
            PatchOperation::Test(o) => test(r, &mut out, &o.path.to_string(), &o.value)?,
            PatchOperation::Move(_) | PatchOperation::Copy(_) => return Err(Error::Unsupported(
                "`move` and `copy` in data__PatchDocument; write the value with `add` or `replace`"
                    .into(),
            )),
        }
    }
    Ok(out)
}

/// The property a path names, checked: it exists, and can change.
fn property(r: &ResourceType, op: &str, path: &str) -> Result<(usize, Vec<String>), Error> {
    let refuse =
        |message: String| Error::Refused(format!("patch operation `{op}` on `{path}`: {message}"));
    if path.is_empty() {
        return Err(refuse(
            "the whole document cannot be replaced; patch one property (/Name…)".into(),
        ));
    }
    let t = tokens(path);
    let top = t[0].as_str();
    let Some(index) = r.fields.iter().position(|f| f.cfn == Some(top)) else {
        let known: Vec<&str> = r.fields.iter().filter_map(|f| f.cfn).collect();
        return Err(Error::Unknown {
            what: "patch path",
            name: format!("/{top}"),
            suggestion: catalog::suggest(top, known.iter().copied()).map(|s| format!("/{s}")),
            known: known
                .iter()
                .map(|p| format!("/{p}"))
                .collect::<Vec<_>>()
                .join(", "),
        });
    };
    let f = &r.fields[index];
    if f.read_only {
        return Err(refuse(format!("{top} is read-only")));
    }
    if f.create_only {
        return Err(refuse(format!(
            "{top} is create-only: it can only be set when the {} is created (INSERT INTO aws.connect.{})",
            r.singular.replace('_', " "),
            r.plural
        )));
    }
    Ok((index, t))
}

/// The expression a field has so far in this patch (its column at first).
fn current(out: &PatchSets, r: &ResourceType, index: usize) -> String {
    out.sets
        .iter()
        .find(|(i, _)| *i == index)
        .map(|(_, e)| e.clone())
        .unwrap_or_else(|| format!("\"{}\"", r.fields[index].name))
}

fn set(out: &mut PatchSets, index: usize, expr: String) {
    match out.sets.iter_mut().find(|(i, _)| *i == index) {
        Some((_, e)) => *e = expr,
        None => out.sets.push((index, expr)),
    }
}

fn apply(
    r: &ResourceType,
    out: &mut PatchSets,
    op: &str,
    path: &str,
    value: Option<&Value>,
) -> Result<(), Error> {
    let (index, t) = property(r, op, path)?;
    let f = &r.fields[index];
    let refuse =
        |message: String| Error::Refused(format!("patch operation `{op}` on `{path}`: {message}"));
    check_keys(r, f.name, &t, op, value).map_err(refuse)?;
    if t.len() == 1 {
        let expr = match value {
            Some(v) => sql_value(v),
            None if f.required => {
                return Err(refuse(format!(
                    "{} cannot be removed: it is required",
                    t[0]
                )))
            }
            None => "NULL".into(),
        };
        set(out, index, expr);
        return Ok(());
    }
    let json_path = sqlite_path(&t[1..]).map_err(refuse)?;
    let numbered = t
        .last()
        .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()));
    let base = current(out, r, index);
    let expr =
        match (op, value) {
            // RFC 6902 inserts at an array position; SQLite would not shift.
            ("add", Some(_)) if numbered => return Err(refuse(
                "adding at a position inside an array; append with `/-` or replace the whole list"
                    .into(),
            )),
            ("add", Some(v)) if t.last().is_some_and(|l| l == "-") => format!(
                "json_insert(coalesce({base}, '[]'), {}, {})",
                quoted(&json_path),
                json_value(v)
            ),
            (_, Some(v)) => format!(
                "json_set(coalesce({base}, '{{}}'), {}, {})",
                quoted(&json_path),
                json_value(v)
            ),
            (_, None) => format!("json_remove({base}, {})", quoted(&json_path)),
        };
    set(out, index, expr);
    if let Some(k) = r.writes.each_key.filter(|k| k.field == f.name) {
        if let Some(key) = t.get(1).and_then(|key| k.api_name(key)) {
            out.keys.push(key.to_string());
        }
    }
    Ok(())
}

/// A field whose keys change one call each takes only its known keys, with
/// values of their type, and keeps them (a key cannot be unset).
fn check_keys(
    r: &ResourceType,
    field: &str,
    t: &[String],
    op: &str,
    value: Option<&Value>,
) -> Result<(), String> {
    let Some(k) = r.writes.each_key.filter(|k| k.field == field) else {
        return Ok(());
    };
    let known = |key: &str| -> Result<(), String> {
        if k.api_name(key).is_some() {
            return Ok(());
        }
        let suggestion = catalog::suggest(key, k.keys.iter().map(|(n, _)| *n))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        Err(format!(
            "unknown key `{key}` of {}{suggestion}; known: {}",
            t[0],
            k.keys
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
        ))
    };
    let boolean = |key: &str, v: &Value| -> Result<(), String> {
        if v.is_boolean() {
            Ok(())
        } else {
            Err(format!("{key} must be true or false, not {v}"))
        }
    };
    match t.len() {
        1 => match value {
            Some(Value::Object(map)) => {
                for (key, v) in map {
                    known(key)?;
                    boolean(key, v)?;
                }
                Ok(())
            }
            Some(_) => Err(format!(
                "{} must be an object of names to true or false",
                t[0]
            )),
            None => Ok(()),
        },
        2 => {
            known(&t[1])?;
            match value {
                Some(v) => boolean(&t[1], v),
                None if op == "remove" => Err(format!(
                    "{} cannot be removed from {}; replace it with false to turn it off",
                    t[1], t[0]
                )),
                None => Ok(()),
            }
        }
        _ => Err(format!(
            "{} holds true or false: there is nothing below it",
            t[1]
        )),
    }
}

fn test(r: &ResourceType, out: &mut PatchSets, path: &str, value: &Value) -> Result<(), Error> {
    let (index, t) = property(r, "test", path)?;
    let base = current(out, r, index);
    let refuse =
        |message: String| Error::Refused(format!("patch operation `test` on `{path}`: {message}"));
    let condition = if t.len() == 1 {
        match value {
            Value::Object(_) | Value::Array(_) => {
                format!("json({base}) IS json({})", quoted(&value.to_string()))
            }
            other => format!("{base} IS {}", sql_value(other)),
        }
    } else {
        let json_path = sqlite_path(&t[1..]).map_err(refuse)?;
        format!(
            "json_extract({base}, {}) IS json_extract({}, '$[0]')",
            quoted(&json_path),
            quoted(&Value::Array(vec![value.clone()]).to_string())
        )
    };
    out.tests
        .push((format!("({condition})"), format!("{path} is {value}")));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn instance() -> &'static ResourceType {
        catalog::instance_resource()
    }

    #[test]
    fn paths_become_json_functions_over_the_column() {
        let q = catalog::resource_type("queues").unwrap();
        let p = translate(q, r#"[{"op":"replace","path":"/MaxContacts","value":5}]"#).unwrap();
        let max = q.field_index("max_contacts").unwrap();
        assert_eq!(p.sets, vec![(max, "5".to_string())]);
        let p = translate(
            instance(),
            r#"[{"op":"replace","path":"/Attributes/ContactLens","value":false},{"op":"add","path":"/Tags/-","value":{"Key":"a","Value":"b"}}]"#,
        )
        .unwrap();
        assert_eq!(p.sets.len(), 2);
        assert!(
            p.sets[0].1.starts_with("json_set(coalesce(\"attributes\""),
            "{:?}",
            p.sets
        );
        assert!(p.sets[1].1.contains("'$[#]'"), "{:?}", p.sets);
        assert_eq!(p.keys, ["CONTACT_LENS"]);
        let p = translate(
            instance(),
            r#"[{"op":"test","path":"/Tags/2/Key","value":"owner"},{"op":"remove","path":"/Tags/2"}]"#,
        )
        .unwrap();
        assert_eq!(p.tests.len(), 1);
        assert!(p.sets[0].1.starts_with("json_remove(\"tags\", '$[2]')"));
    }

    #[test]
    fn refused_patches() {
        let cases = [
            (
                r#"[{"op":"replace","path":"/InstanceAlias","value":"x"}]"#,
                "create-only",
            ),
            (
                r#"[{"op":"replace","path":"/Id","value":"x"}]"#,
                "read-only",
            ),
            (
                r#"[{"op":"replace","path":"/Attributes/ContactLens","value":"yes"}]"#,
                "true or false",
            ),
            (
                r#"[{"op":"replace","path":"/Attributes/ContactLenz","value":true}]"#,
                "ContactLens",
            ),
            (
                r#"[{"op":"replace","path":"/Foo","value":true}]"#,
                "unknown patch path `/Foo`",
            ),
            (
                r#"[{"op":"remove","path":"/Attributes/InboundCalls"}]"#,
                "cannot be removed",
            ),
            (
                r#"[{"op":"remove","path":"/Attributes"}]"#,
                "cannot be removed",
            ),
            (
                r#"[{"op":"add","path":"/Tags/0","value":{"Key":"a","Value":"b"}}]"#,
                "/-",
            ),
            (r#"{"op":"replace"}"#, "array"),
            (r#"[{"op":"replace""#, "not valid JSON"),
            (r#"[{"op":"frobnicate","path":"/Tags"}]"#, "RFC 6902"),
            (r#"[]"#, "no operations"),
        ];
        for (patch, expect) in cases {
            let e = translate(instance(), patch).unwrap_err().to_string();
            assert!(e.contains(expect), "{patch}: {e}");
        }
    }
}
