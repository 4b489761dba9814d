//! The way back from a field's CloudFormation shape to a request's: ARNs
//! written as ids (under the request's member names), tag lists as maps,
//! and the difference of two sets of elements, each named by its key, as
//! what is added, changed and taken away. The catalog declares which
//! (`catalog/writes.rs`: `Shape`, `Removal`); this module only applies it.

use serde_json::{Map, Value};

use crate::catalog::writes::{NestedId, Shape};
use crate::catalog::{Read, ResourceType, Source};
use crate::error::Error;

/// The member of an element of a [`Shape::Refs`] list that may name its
/// item alone (its read shows `{Name, Id, Arn}`).
pub(super) const REF_NAME: &str = "Name";

/// How a field's value is written back: the inverse of how it is read.
#[derive(Debug, Clone, Copy)]
pub(super) enum Put {
    AsIs,
    /// An ARN written as its id (the last part).
    ArnToId,
    /// A list of ARNs written as ids.
    ArnsToIds,
    /// CloudFormation's `[{"Key","Value"}]` written as Connect's map.
    TagMap,
    /// As the catalog declares beside the field.
    Shaped(&'static Shape),
}

/// The way back for field `index` of `r`; `None` when the catalog does
/// not know it.
pub(super) fn put_form(r: &ResourceType, index: usize) -> Option<Put> {
    let f = &r.fields[index];
    if let Some(shape) = f.written {
        return Some(Put::Shaped(shape));
    }
    let read = match f.source {
        Source::Member { read, .. }
        | Source::SubListing { read, .. }
        | Source::Joined { read, .. } => read,
        // Not returned by any read (a prompt's S3 URI): written as given,
        // and always sent, since there is no current value to compare.
        Source::Unavailable(_) => Read::AsIs,
        _ => return None,
    };
    match read {
        Read::AsIs => Some(Put::AsIs),
        Read::IdToArn(_) => Some(Put::ArnToId),
        Read::IdsToArns(_) | Read::Pluck("Arn") => Some(Put::ArnsToIds),
        Read::Tags => Some(Put::TagMap),
        _ => None,
    }
}

/// The part of an ARN after its last `/` (an id stays itself).
fn id_of(s: &str) -> String {
    s.rsplit('/').next().unwrap_or(s).to_string()
}

/// The request's form of a field's value (`Null` stays `Null`).
pub(super) fn to_api(v: &Value, put: Put, field: &str) -> Result<Value, Error> {
    Ok(match (put, v) {
        (_, Value::Null) => Value::Null,
        (Put::ArnToId, Value::String(s)) => Value::String(id_of(s)),
        (Put::ArnsToIds, Value::Array(list)) => Value::Array(
            list.iter()
                .map(|x| match x {
                    Value::String(s) => Value::String(id_of(s)),
                    other => other.clone(),
                })
                .collect(),
        ),
        (Put::TagMap, _) => tag_map(v, field)?,
        (Put::Shaped(Shape::Id(_)), Value::String(s)) => Value::String(id_of(s)),
        (Put::Shaped(Shape::Ids(renames)), Value::Array(list)) => Value::Array(
            list.iter()
                .map(|element| with_ids(element, renames))
                .collect(),
        ),
        (Put::Shaped(Shape::Ids(renames)), Value::Object(_)) => with_ids(v, renames),
        (Put::Shaped(Shape::Refs((path, to, _))), Value::Array(list)) => Value::Array(
            list.iter()
                .map(|element| {
                    // By ARN, else id, else the name, which the planner
                    // has resolved to an ARN in place.
                    let named = values_at(element, path)
                        .into_iter()
                        .chain(element.get("Id"))
                        .chain(element.get(REF_NAME))
                        .find_map(Value::as_str);
                    match named {
                        Some(s) => Ok(serde_json::json!({ *to: id_of(s) })),
                        None => Err(Error::InvalidParam {
                            param: field.into(),
                            message: format!(
                                "expects objects naming each item by {path} (its ARN, id or name), Id or Name, got {element}"
                            ),
                        }),
                    }
                })
                .collect::<Result<_, _>>()?,
        ),
        (Put::Shaped(Shape::Renamed(renames)), Value::Array(list)) => Value::Array(
            list.iter()
                .map(|element| match element {
                    Value::Object(members) => without_nulls(Value::Object(
                        members
                            .iter()
                            .map(|(k, x)| {
                                let k = renames
                                    .iter()
                                    .find(|(from, _)| from == k)
                                    .map_or(k.as_str(), |(_, to)| to);
                                (k.to_string(), x.clone())
                            })
                            .collect(),
                    )),
                    other => other.clone(),
                })
                .collect(),
        ),
        _ => v.clone(),
    })
}

/// Puts `value` at a request member, nested when the member is dotted
/// (`StorageConfig.S3Config`).
pub(super) fn put_member(input: &mut Map<String, Value>, member: &str, value: Value) {
    match member.split_once('.') {
        None => {
            input.insert(member.to_string(), value);
        }
        Some((parent, rest)) => {
            let inner = input
                .entry(parent.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if !inner.is_object() {
                *inner = Value::Object(Map::new());
            }
            if let Value::Object(map) = inner {
                put_member(map, rest, value);
            }
        }
    }
}

/// The values at a dot-separated path of an object, or of each object of
/// a list (`QueueReference.QueueArn` of each queue config).
pub(super) fn values_at<'a>(v: &'a Value, path: &str) -> Vec<&'a Value> {
    let at = |element: &'a Value| path.split('.').try_fold(element, |x, part| x.get(part));
    match v {
        Value::Array(list) => list.iter().filter_map(at).collect(),
        Value::Object(_) => at(v).into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Replaces each string at a path (as [`values_at`] finds them) by
/// `f`'s answer; `None` leaves it.
pub(super) fn replace_at<E>(
    v: &mut Value,
    path: &str,
    f: &mut impl FnMut(&str) -> Result<Option<String>, E>,
) -> Result<(), E> {
    fn one<E>(
        element: &mut Value,
        path: &str,
        f: &mut impl FnMut(&str) -> Result<Option<String>, E>,
    ) -> Result<(), E> {
        let mut at = Some(element);
        for part in path.split('.') {
            at = at.and_then(|x| x.get_mut(part));
        }
        if let Some(Value::String(s)) = at {
            if let Some(new) = f(s)? {
                *s = new;
            }
        }
        Ok(())
    }
    match v {
        Value::Array(list) => list.iter_mut().try_for_each(|e| one(e, path, f)),
        Value::Object(_) => one(v, path, f),
        _ => Ok(()),
    }
}

/// What a field set to NULL is sent as: an empty map clears a tag map
/// (an absent member would leave it as it is).
pub(super) fn cleared(put: Put) -> Value {
    match put {
        Put::TagMap => Value::Object(Map::new()),
        _ => Value::Null,
    }
}

/// True when two values in the request's form ask for the same thing.
pub(super) fn same_api(a: &Value, b: &Value, put: Put) -> bool {
    let norm = |v: &Value| {
        if v.is_null() {
            cleared(put)
        } else {
            v.clone()
        }
    };
    same(&norm(a), &norm(b))
}

/// Equal as values: numbers by value, arrays as sets.
pub(super) fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().all(|i| y.iter().any(|j| same(i, j)))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// An object with the ARNs at `renames`' paths as ids under the request's
/// names, and no NULL members (the request has no NULLs).
fn with_ids(v: &Value, renames: &[NestedId]) -> Value {
    let mut v = v.clone();
    for (path, to, _) in renames {
        let (parents, last) = match path.rsplit_once('.') {
            Some((parents, last)) => (Some(parents), last),
            None => (None, *path),
        };
        let mut at = Some(&mut v);
        for part in parents.into_iter().flat_map(|p| p.split('.')) {
            at = at.and_then(|x| x.get_mut(part));
        }
        if let Some(Value::Object(parent)) = at {
            if let Some(arn) = parent.remove(last) {
                if let Value::String(s) = &arn {
                    parent.insert(to.to_string(), Value::String(id_of(s)));
                } else {
                    parent.insert(to.to_string(), arn);
                }
            }
        }
    }
    without_nulls(v)
}

fn without_nulls(v: Value) -> Value {
    match v {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, x)| !x.is_null())
                .map(|(k, x)| (k, without_nulls(x)))
                .collect(),
        ),
        Value::Array(list) => Value::Array(list.into_iter().map(without_nulls).collect()),
        other => other,
    }
}

/// CloudFormation's tag list as Connect's map.
pub(super) fn tag_map(v: &Value, field: &str) -> Result<Value, Error> {
    let Value::Array(list) = v else {
        return Err(Error::InvalidParam {
            param: field.into(),
            message: "expects [{\"Key\": ..., \"Value\": ...}, ...]".into(),
        });
    };
    let mut map = Map::new();
    for t in list {
        match (
            t.get("Key").and_then(Value::as_str),
            t.get("Value").and_then(Value::as_str),
        ) {
            (Some(k), Some(v)) => {
                // Connect's tag rules, said before any call.
                let why = if k.is_empty() || k.chars().count() > 128 {
                    Some(format!("tag key `{k}` must be 1 to 128 characters"))
                } else if k.to_ascii_lowercase().starts_with("aws:") {
                    Some(format!("tag key `{k}` may not start with aws:"))
                } else if v.chars().count() > 256 {
                    Some(format!(
                        "the value of tag `{k}` is longer than 256 characters"
                    ))
                } else if map.contains_key(k) {
                    Some(format!("names the key `{k}` twice"))
                } else {
                    None
                };
                if let Some(message) = why {
                    return Err(Error::InvalidParam {
                        param: field.into(),
                        message,
                    });
                }
                map.insert(k.to_string(), Value::String(v.to_string()));
            }
            _ => {
                return Err(Error::InvalidParam {
                    param: field.into(),
                    message: format!("expects {{\"Key\": ..., \"Value\": ...}} items, got {t}"),
                })
            }
        }
    }
    Ok(Value::Object(map))
}

/// The difference between two sets, in the request's form.
#[derive(Debug, Default, PartialEq)]
pub(super) struct Difference {
    /// Elements whose key is new.
    pub added: Vec<Value>,
    /// Elements whose key was there, with other values.
    pub changed: Vec<Value>,
    /// The keys of the elements gone.
    pub removed: Vec<Value>,
}

/// What names an element: its member at a dot-separated path, or, for
/// members joined by `+`, an object of them (see `Removal::key`).
pub(super) fn key_at(element: &Value, key: &str) -> Option<Value> {
    let at = |path: &str| {
        path.split('.')
            .try_fold(element, |v, part| v.get(part))
            .filter(|k| !k.is_null())
            .cloned()
    };
    if !key.contains('+') {
        return at(key);
    }
    let mut out = serde_json::Map::new();
    for path in key.split('+') {
        out.insert(
            path.rsplit('.').next().unwrap_or(path).to_string(),
            at(path)?,
        );
    }
    Some(Value::Object(out))
}

/// `before` → `after`, elements named by their member at `key` (`None`:
/// by themselves). A key given twice in `after` is refused: the set would
/// not say which element it wants.
pub(super) fn difference(
    before: &Value,
    after: &Value,
    key: Option<&str>,
    field: &str,
) -> Result<Difference, Error> {
    let elements = |v: &Value| -> Result<Vec<Value>, Error> {
        match v {
            Value::Null => Ok(Vec::new()),
            Value::Array(list) => Ok(list.clone()),
            other => Err(Error::InvalidParam {
                param: field.into(),
                message: format!("expects a JSON array, got {other}"),
            }),
        }
    };
    let key_of = |element: &Value| -> Result<Value, Error> {
        let Some(path) = key else {
            return Ok(element.clone());
        };
        key_at(element, path).ok_or_else(|| Error::InvalidParam {
            param: field.into(),
            message: format!("each element needs {path}, got {element}"),
        })
    };
    let old: Vec<(Value, Value)> = elements(before)?
        .into_iter()
        .filter_map(|e| key_of(&e).ok().map(|k| (k, e)))
        .collect();
    let mut new: Vec<(Value, Value)> = Vec::new();
    for e in elements(after)? {
        let k = key_of(&e)?;
        if new.iter().any(|(n, _)| same(n, &k)) {
            if key.is_none() {
                continue; // the same element twice is the element once
            }
            return Err(Error::InvalidParam {
                param: field.into(),
                message: format!(
                    "{} {k} is given twice; nothing was changed",
                    key.unwrap_or("the element")
                ),
            });
        }
        new.push((k, e));
    }
    let mut d = Difference::default();
    for (k, e) in &new {
        match old.iter().find(|(o, _)| same(o, k)) {
            None => d.added.push(e.clone()),
            Some((_, was)) if !same(was, e) => d.changed.push(e.clone()),
            Some(_) => {}
        }
    }
    for (k, _) in &old {
        if !new.iter().any(|(n, _)| same(n, k)) {
            d.removed.push(k.clone());
        }
    }
    Ok(d)
}

/// `list` in calls of at most `per_call` elements.
pub(super) fn calls_of(list: Vec<Value>, per_call: Option<usize>) -> Vec<Vec<Value>> {
    if list.is_empty() {
        return Vec::new();
    }
    match per_call {
        Some(n) if n > 0 => list.chunks(n).map(<[Value]>::to_vec).collect(),
        _ => vec![list],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static QUEUE_REFERENCE: Shape = Shape::Ids(&[("QueueReference.QueueArn", "QueueId", "queue")]);
    static CALLER: Shape = Shape::Ids(&[("OutboundFlowArn", "OutboundFlowId", "contact-flow")]);

    #[test]
    fn arns_become_ids_under_the_request_names() {
        let v = json!([{"Delay": 0, "Priority": 1,
            "QueueReference": {"Channel": "VOICE", "QueueArn": "arn:aws:connect:us-east-1:1:instance/i/queue/q1"}}]);
        assert_eq!(
            to_api(&v, Put::Shaped(&QUEUE_REFERENCE), "f").unwrap(),
            json!([{"Delay": 0, "Priority": 1, "QueueReference": {"Channel": "VOICE", "QueueId": "q1"}}])
        );
        let v = json!({"OutboundCallerIdName": "Acme", "OutboundFlowArn": "arn:x/contact-flow/f1", "OutboundCallerIdNumberArn": null});
        assert_eq!(
            to_api(&v, Put::Shaped(&CALLER), "f").unwrap(),
            json!({"OutboundCallerIdName": "Acme", "OutboundFlowId": "f1"})
        );
    }

    #[test]
    fn dotted_members_nest_and_paths_reach_into_each_element() {
        let mut input = Map::new();
        put_member(&mut input, "ResourceType", json!("CALL_RECORDINGS"));
        put_member(&mut input, "StorageConfig.StorageType", json!("S3"));
        put_member(
            &mut input,
            "StorageConfig.S3Config",
            json!({"BucketName": "b"}),
        );
        assert_eq!(
            Value::Object(input),
            json!({"ResourceType": "CALL_RECORDINGS",
                   "StorageConfig": {"StorageType": "S3", "S3Config": {"BucketName": "b"}}})
        );
        let mut v = json!([{"QueueReference": {"QueueArn": "Billing"}}, {"QueueReference": {"QueueArn": 7}}, {}]);
        assert_eq!(
            values_at(&v, "QueueReference.QueueArn"),
            [&json!("Billing"), &json!(7)]
        );
        replace_at(&mut v, "QueueReference.QueueArn", &mut |s: &str| {
            Ok::<_, ()>((s == "Billing").then(|| "arn:q".to_string()))
        })
        .unwrap();
        assert_eq!(v[0]["QueueReference"]["QueueArn"], "arn:q");
        assert_eq!(v[1]["QueueReference"]["QueueArn"], 7);
        let mut one = json!({"OutboundFlowArn": "Default outbound"});
        assert_eq!(
            replace_at(&mut one, "OutboundFlowArn", &mut |_: &str| Err("refused")),
            Err("refused")
        );
    }

    #[test]
    fn tag_lists_become_maps_and_null_clears() {
        let v = json!([{"Key": "team", "Value": "red"}]);
        assert_eq!(
            to_api(&v, Put::TagMap, "f").unwrap(),
            json!({"team": "red"})
        );
        assert!(to_api(&json!([{"Key": "a"}]), Put::TagMap, "f").is_err());
        assert!(to_api(
            &json!([{"Key": "a", "Value": "1"}, {"Key": "a", "Value": "2"}]),
            Put::TagMap,
            "f"
        )
        .is_err());
        assert!(same_api(&Value::Null, &json!({}), Put::TagMap));
        assert!(!same_api(&Value::Null, &json!([]), Put::AsIs));
    }

    #[test]
    fn a_set_changes_by_key() {
        let el = |q: &str, p: i64| json!({"QueueReference": {"QueueId": q, "Channel": "VOICE"}, "Priority": p, "Delay": 0});
        let before = json!([el("a", 1), el("b", 1), el("c", 1)]);
        let after = json!([el("a", 1), el("b", 2), el("d", 1)]);
        let d = difference(&before, &after, Some("QueueReference"), "f").unwrap();
        assert_eq!(d.added, vec![el("d", 1)]);
        assert_eq!(d.changed, vec![el("b", 2)]);
        assert_eq!(d.removed, vec![json!({"QueueId": "c", "Channel": "VOICE"})]);
        assert_eq!(
            difference(&after, &after, Some("QueueReference"), "f").unwrap(),
            Difference::default()
        );
        let twice = json!([el("a", 1), el("a", 2)]);
        let e = difference(&before, &twice, Some("QueueReference"), "f").unwrap_err();
        assert!(e.to_string().contains("given twice"), "{e}");
        let d = difference(&json!(["x", "y"]), &json!(["y", "z", "z"]), None, "f").unwrap();
        assert_eq!((d.added, d.removed), (vec![json!("z")], vec![json!("x")]));
        assert_eq!(
            calls_of((0..23).map(|i| json!(i)).collect(), Some(10)).len(),
            3
        );
        assert!(calls_of(Vec::new(), Some(10)).is_empty());
    }
}
