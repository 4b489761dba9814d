//! `SearchCriteria` and `SearchFilter` of the Search* operations, parsed into a
//! condition tree and evaluated against items.
//!
//! Rules (Connect documents neither the case rule nor a total order):
//!
//! * `StringCondition` on the kind's `FieldName`s (see [`KindDef::search_fields`]);
//!   `EXACT` is case-sensitive, `STARTS_WITH` and `CONTAINS` are case-insensitive
//!   by Unicode default case folding, not lowercasing (`'ΑΣ'` folds to `'ασ'`, as
//!   do `'ας'` and `'Ας'`; lowercasing would make the final sigma `ς`).
//!   A multi-valued field (`SecurityProfileId`, `associatedQueueIds`) matches when
//!   any value does. `CONTAINS` on `name`/`description` needs 2..25 characters
//!   (400 InvalidParameterException otherwise).
//! * Every member set in one criteria object must hold (they are ANDed);
//!   `AndConditions` all, `OrConditions` at least one; `{}` matches everything.
//! * Simple enum conditions: `QueueTypeCondition`, `TypeCondition`,
//!   `StateCondition`, `StatusCondition`; users' `HierarchyGroupCondition`
//!   (`EXACT`: the user's group; `WITH_CHILD_GROUPS`: that group or below it).
//! * Filters: `TagFilter` (`TagCondition`, `AndConditions`, `OrConditions` = OR of
//!   ANDs), `AttributeFilter`/`UserAttributeFilter`/`FlowAttributeFilter`
//!   (`TagCondition`, `AndCondition`, `OrConditions`, plus their hierarchy-group or
//!   flow-type conditions). A `TagCondition` without `TagValue` asks for the key.
//! * Anything else the model has but the emulator does not evaluate (an unknown
//!   `FieldName`, `ListCondition`, `NumberCondition`, an unknown member) is
//!   answered 400 InvalidRequestException naming it, never a wrong result.

use serde_json::{Map, Value};

use super::content::{Content, Item, Kind, KindDef};
use super::wire::ApiError;

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    All(Vec<Cond>),
    Any(Vec<Cond>),
    Str {
        source: &'static str,
        cmp: Cmp,
        value: String,
        /// Case-folded `value` (for the case-insensitive comparisons).
        folded: String,
    },
    /// A source equal to a value (enum conditions).
    Equals {
        source: &'static str,
        value: String,
    },
    Tag {
        key: String,
        value: Option<String>,
    },
    Hierarchy {
        group: String,
        with_children: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    Exact,
    StartsWith,
    Contains,
}

fn unsupported(what: &str) -> ApiError {
    ApiError::invalid_request(format!("{what} is not supported by the connectql emulator"))
}

fn shape_error(member: &str, expected: &str) -> ApiError {
    ApiError::serialization(format!(
        "Unexpected value type for member '{member}': expected {expected}"
    ))
}

fn obj<'a>(v: &'a Value, member: &str) -> Result<&'a Map<String, Value>, ApiError> {
    v.as_object()
        .ok_or_else(|| shape_error(member, "a structure"))
}

fn arr<'a>(v: &'a Value, member: &str) -> Result<&'a [Value], ApiError> {
    v.as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| shape_error(member, "a list"))
}

fn string<'a>(m: &'a Map<String, Value>, key: &str, at: &str) -> Result<Option<&'a str>, ApiError> {
    match m.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(shape_error(&format!("{at}.{key}"), "a string")),
    }
}

fn enum_value<'a>(v: &'a Value, member: &str, allowed: &[&str]) -> Result<&'a str, ApiError> {
    let s = v.as_str().ok_or_else(|| shape_error(member, "a string"))?;
    if allowed.contains(&s) {
        Ok(s)
    } else {
        Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{}' at '{member}' failed to satisfy constraint: \
             Member must satisfy enum value set: [{}]",
            s.chars().take(100).collect::<String>(),
            allowed.join(", ")
        )))
    }
}

/// Allowed values of the simple enum conditions.
fn enum_values(condition: &str) -> &'static [&'static str] {
    match condition {
        "QueueTypeCondition" => &["STANDARD"],
        "TypeCondition" => &FLOW_TYPES,
        "StateCondition" => &["ACTIVE", "ARCHIVED"],
        "StatusCondition" => &["PUBLISHED", "SAVED"],
        _ => &[],
    }
}

/// `ContactFlowType` values.
pub const FLOW_TYPES: [&str; 10] = [
    "CONTACT_FLOW",
    "CUSTOMER_QUEUE",
    "CUSTOMER_HOLD",
    "CUSTOMER_WHISPER",
    "AGENT_HOLD",
    "AGENT_WHISPER",
    "OUTBOUND_WHISPER",
    "AGENT_TRANSFER",
    "QUEUE_TRANSFER",
    "CAMPAIGN",
];

/// Parse a `SearchCriteria`.
pub fn parse_criteria(def: &KindDef, v: &Value, at: &str) -> Result<Cond, ApiError> {
    let m = obj(v, at)?;
    let mut all = Vec::new();
    for (key, val) in m {
        if val.is_null() {
            continue;
        }
        let here = format!("{at}.{key}");
        match key.as_str() {
            "AndConditions" => {
                let subs = arr(val, &here)?
                    .iter()
                    .map(|c| parse_criteria(def, c, &here))
                    .collect::<Result<Vec<_>, _>>()?;
                all.push(Cond::All(subs));
            }
            "OrConditions" => {
                let subs = arr(val, &here)?
                    .iter()
                    .map(|c| parse_criteria(def, c, &here))
                    .collect::<Result<Vec<_>, _>>()?;
                all.push(Cond::Any(subs));
            }
            "StringCondition" => all.push(parse_string_condition(def, val, &here)?),
            "HierarchyGroupCondition" if def.kind == Kind::User => {
                all.push(parse_hierarchy(val, &here)?)
            }
            "ListCondition" | "NumberCondition" | "BooleanCondition" | "DateTimeCondition"
            | "DecimalCondition" => return Err(unsupported(&here)),
            other => match def.enum_conditions.iter().find(|(c, _)| *c == other) {
                Some((cond, source)) => {
                    let value = enum_value(val, &here, enum_values(cond))?;
                    all.push(Cond::Equals {
                        source,
                        value: value.to_string(),
                    });
                }
                None => return Err(unsupported(&here)),
            },
        }
    }
    Ok(Cond::All(all))
}

fn parse_string_condition(def: &KindDef, v: &Value, at: &str) -> Result<Cond, ApiError> {
    let m = obj(v, at)?;
    if let Some(k) = m
        .keys()
        .find(|k| !matches!(k.as_str(), "FieldName" | "Value" | "ComparisonType"))
    {
        return Err(unsupported(&format!("{at}.{k}")));
    }
    let field = string(m, "FieldName", at)?
        .ok_or_else(|| ApiError::invalid_parameter(format!("{at}.FieldName is required")))?;
    let value = string(m, "Value", at)?
        .ok_or_else(|| ApiError::invalid_parameter(format!("{at}.Value is required")))?;
    let cmp = match string(m, "ComparisonType", at)? {
        Some("EXACT") => Cmp::Exact,
        Some("STARTS_WITH") => Cmp::StartsWith,
        Some("CONTAINS") => Cmp::Contains,
        Some(other) => {
            return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value '{}' at '{at}.ComparisonType' failed to satisfy \
                 constraint: Member must satisfy enum value set: [STARTS_WITH, CONTAINS, EXACT]",
            other.chars().take(100).collect::<String>()
        )))
        }
        None => {
            return Err(ApiError::invalid_parameter(format!(
                "{at}.ComparisonType is required"
            )))
        }
    };
    let Some((_, source)) = def.search_fields.iter().find(|(f, _)| *f == field) else {
        let known: Vec<&str> = def.search_fields.iter().map(|(f, _)| *f).collect();
        return Err(ApiError::invalid_request(format!(
            "FieldName '{}' is not supported by the connectql emulator for this search; \
             supported: {}",
            field.chars().take(100).collect::<String>(),
            known.join(", ")
        )));
    };
    if cmp == Cmp::Contains && matches!(field, "name" | "description") {
        let n = value.chars().count();
        if !(2..=25).contains(&n) {
            return Err(ApiError::invalid_parameter(format!(
                "A CONTAINS condition on {field} needs a value of 2 to 25 characters (got {n})"
            )));
        }
    }
    Ok(Cond::Str {
        source,
        cmp,
        value: value.to_string(),
        folded: fold(value),
    })
}

fn parse_hierarchy(v: &Value, at: &str) -> Result<Cond, ApiError> {
    let m = obj(v, at)?;
    if let Some(k) = m
        .keys()
        .find(|k| !matches!(k.as_str(), "Value" | "HierarchyGroupMatchType"))
    {
        return Err(unsupported(&format!("{at}.{k}")));
    }
    let group = string(m, "Value", at)?
        .ok_or_else(|| ApiError::invalid_parameter(format!("{at}.Value is required")))?;
    let with_children = match m.get("HierarchyGroupMatchType") {
        None | Some(Value::Null) => false,
        Some(t) => {
            enum_value(
                t,
                &format!("{at}.HierarchyGroupMatchType"),
                &["EXACT", "WITH_CHILD_GROUPS"],
            )? == "WITH_CHILD_GROUPS"
        }
    };
    Ok(Cond::Hierarchy {
        group: group.to_string(),
        with_children,
    })
}

fn parse_tag(v: &Value, at: &str) -> Result<Cond, ApiError> {
    let m = obj(v, at)?;
    if let Some(k) = m
        .keys()
        .find(|k| !matches!(k.as_str(), "TagKey" | "TagValue"))
    {
        return Err(unsupported(&format!("{at}.{k}")));
    }
    let key = string(m, "TagKey", at)?
        .ok_or_else(|| ApiError::invalid_parameter(format!("{at}.TagKey is required")))?;
    Ok(Cond::Tag {
        key: key.to_string(),
        value: string(m, "TagValue", at)?.map(str::to_string),
    })
}

fn parse_tags(v: &Value, at: &str) -> Result<Vec<Cond>, ApiError> {
    arr(v, at)?.iter().map(|t| parse_tag(t, at)).collect()
}

/// `ControlPlaneTagFilter`.
fn parse_tag_filter(v: &Value, at: &str) -> Result<Cond, ApiError> {
    let m = obj(v, at)?;
    let mut all = Vec::new();
    for (key, val) in m {
        if val.is_null() {
            continue;
        }
        let here = format!("{at}.{key}");
        match key.as_str() {
            "TagCondition" => all.push(parse_tag(val, &here)?),
            "AndConditions" => all.push(Cond::All(parse_tags(val, &here)?)),
            "OrConditions" => {
                let groups = arr(val, &here)?
                    .iter()
                    .map(|g| parse_tags(g, &here).map(Cond::All))
                    .collect::<Result<Vec<_>, _>>()?;
                all.push(Cond::Any(groups));
            }
            _ => return Err(unsupported(&here)),
        }
    }
    Ok(Cond::All(all))
}

/// One AND-group of an attribute filter: `TagConditions` plus the kind's extra condition.
fn parse_attribute_and(kind: Kind, v: &Value, at: &str) -> Result<Cond, ApiError> {
    let m = obj(v, at)?;
    let mut all = Vec::new();
    for (key, val) in m {
        if val.is_null() {
            continue;
        }
        let here = format!("{at}.{key}");
        match key.as_str() {
            "TagConditions" => all.extend(parse_tags(val, &here)?),
            "HierarchyGroupCondition" if kind == Kind::User => {
                all.push(parse_hierarchy(val, &here)?)
            }
            "ContactFlowTypeCondition" if kind == Kind::ContactFlow => {
                all.push(parse_flow_type(val, &here)?)
            }
            _ => return Err(unsupported(&here)),
        }
    }
    Ok(Cond::All(all))
}

fn parse_flow_type(v: &Value, at: &str) -> Result<Cond, ApiError> {
    let m = obj(v, at)?;
    let mut all = Vec::new();
    for (key, val) in m {
        if val.is_null() {
            continue;
        }
        let here = format!("{at}.{key}");
        match key.as_str() {
            "ContactFlowType" => all.push(Cond::Equals {
                source: "Type",
                value: enum_value(val, &here, &FLOW_TYPES)?.to_string(),
            }),
            _ => return Err(unsupported(&here)),
        }
    }
    Ok(Cond::All(all))
}

/// `ControlPlaneAttributeFilter`, `ControlPlaneUserAttributeFilter`,
/// `ContactFlowAttributeFilter`.
fn parse_attribute_filter(kind: Kind, v: &Value, at: &str) -> Result<Cond, ApiError> {
    let m = obj(v, at)?;
    let mut all = Vec::new();
    for (key, val) in m {
        if val.is_null() {
            continue;
        }
        let here = format!("{at}.{key}");
        match key.as_str() {
            "TagCondition" => all.push(parse_tag(val, &here)?),
            "AndCondition" => all.push(parse_attribute_and(kind, val, &here)?),
            "OrConditions" => {
                let groups = arr(val, &here)?
                    .iter()
                    .map(|g| parse_attribute_and(kind, g, &here))
                    .collect::<Result<Vec<_>, _>>()?;
                all.push(Cond::Any(groups));
            }
            "HierarchyGroupCondition" if kind == Kind::User => {
                all.push(parse_hierarchy(val, &here)?)
            }
            "ContactFlowTypeCondition" if kind == Kind::ContactFlow => {
                all.push(parse_flow_type(val, &here)?)
            }
            _ => return Err(unsupported(&here)),
        }
    }
    Ok(Cond::All(all))
}

/// Parse a `SearchFilter`.
pub fn parse_filter(def: &KindDef, v: &Value) -> Result<Cond, ApiError> {
    let m = obj(v, "SearchFilter")?;
    let mut all = Vec::new();
    for (key, val) in m {
        if val.is_null() {
            continue;
        }
        let here = format!("SearchFilter.{key}");
        if !def.filters.contains(&key.as_str()) {
            return Err(unsupported(&here));
        }
        match key.as_str() {
            "TagFilter" => all.push(parse_tag_filter(val, &here)?),
            _ => all.push(parse_attribute_filter(def.kind, val, &here)?),
        }
    }
    Ok(Cond::All(all))
}

/// Unicode default case folding (full folding: `ß` → `ss`, final `ς` → `σ`).
fn fold(s: &str) -> String {
    caseless::default_case_fold_str(s)
}

fn str_matches(cmp: Cmp, value: &str, folded: &str, candidate: &str) -> bool {
    match cmp {
        Cmp::Exact => candidate == value,
        Cmp::StartsWith => fold(candidate).starts_with(folded),
        Cmp::Contains => fold(candidate).contains(folded),
    }
}

/// Whether hierarchy group `group` is `target` or (with children) below it.
fn group_within(content: &Content, group: &str, target: &str, with_children: bool) -> bool {
    if group == target {
        return true;
    }
    if !with_children {
        return false;
    }
    let mut cur = group.to_string();
    for _ in 0..8 {
        let Some(parent) = content
            .get(Kind::HierarchyGroup, &cur)
            .and_then(|g| g.extra_str("ParentId"))
        else {
            return false;
        };
        if parent == target {
            return true;
        }
        cur = parent.to_string();
    }
    false
}

impl Cond {
    /// Evaluate against an item of the instance `content`.
    pub fn matches(&self, content: &Content, item: &Item) -> bool {
        match self {
            Cond::All(cs) => cs.iter().all(|c| c.matches(content, item)),
            Cond::Any(cs) => cs.iter().any(|c| c.matches(content, item)),
            Cond::Str {
                source,
                cmp,
                value,
                folded,
            } => item
                .values_at(source)
                .iter()
                .any(|c| str_matches(*cmp, value, folded, c)),
            Cond::Equals { source, value } => item.values_at(source).iter().any(|c| c == value),
            Cond::Tag { key, value } => match (item.tags.get(key), value) {
                (Some(_), None) => true,
                (Some(v), Some(want)) => v == want,
                (None, _) => false,
            },
            Cond::Hierarchy {
                group,
                with_children,
            } => item
                .doc_str("HierarchyGroupId")
                .is_some_and(|g| group_within(content, g, group, *with_children)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::collections::BTreeMap;

    fn user(name: &str, first: &str, tags: &[(&str, &str)]) -> Item {
        let doc = json!({
            "Username": name,
            "IdentityInfo": {"FirstName": first, "LastName": "Smith"},
            "SecurityProfileIds": ["sp1", "sp2"],
        });
        Item {
            seq: 0,
            id: format!("id-{name}"),
            arn: String::new(),
            doc: doc.as_object().unwrap().clone(),
            extra: Map::new(),
            tags: tags
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<BTreeMap<_, _>>(),
        }
    }

    #[test]
    fn string_conditions() {
        let def = Kind::User.def();
        let c = Content::new();
        let u = user("alice.jones", "Alice", &[("team", "blue")]);
        let cond = |v: Value| parse_criteria(def, &v, "SearchCriteria").unwrap();
        let sc = |f: &str, v: &str, t: &str| json!({"StringCondition": {"FieldName": f, "Value": v, "ComparisonType": t}});
        assert!(cond(sc("Username", "alice.jones", "EXACT")).matches(&c, &u));
        assert!(!cond(sc("Username", "ALICE.jones", "EXACT")).matches(&c, &u));
        assert!(cond(sc("Username", "ALI", "STARTS_WITH")).matches(&c, &u));
        assert!(cond(sc("FirstName", "lic", "CONTAINS")).matches(&c, &u));
        assert!(cond(sc("SecurityProfileId", "sp2", "EXACT")).matches(&c, &u));
        assert!(cond(json!({})).matches(&c, &u));
        let or = json!({"OrConditions": [sc("Username", "bob", "EXACT"), sc("LastName", "smi", "STARTS_WITH")]});
        assert!(cond(or).matches(&c, &u));
        let and = json!({"AndConditions": [sc("Username", "bob", "EXACT"), sc("LastName", "smi", "STARTS_WITH")]});
        assert!(!cond(and).matches(&c, &u));
        for bad in [
            sc("Email", "x", "EXACT"),
            json!({"ListCondition": {}}),
            json!({"Bogus": 1}),
        ] {
            let e = parse_criteria(def, &bad, "SearchCriteria").unwrap_err();
            assert_eq!(e.code, "InvalidRequestException", "{bad}");
        }
        let qdef = Kind::Queue.def();
        let e = parse_criteria(qdef, &sc("name", "a", "CONTAINS"), "SearchCriteria").unwrap_err();
        assert_eq!(e.code, "InvalidParameterException");
        assert!(parse_criteria(qdef, &sc("name", "ab", "CONTAINS"), "SearchCriteria").is_ok());
    }

    #[test]
    fn case_insensitive_means_case_folded() {
        let def = Kind::User.def();
        let c = Content::new();
        let cond = |v: &str, t: &str| {
            parse_criteria(
                def,
                &json!({"StringCondition": {"FieldName": "FirstName", "Value": v, "ComparisonType": t}}),
                "SearchCriteria",
            )
            .unwrap()
        };
        let named = |first: &str| user("u", first, &[]);
        // Lowercasing makes a final capital sigma 'ς' and a medial one 'σ';
        // folding makes both 'σ'.
        assert!(cond("ας", "STARTS_WITH").matches(&c, &named("ΑΣ")));
        assert!(cond("ΑΣ", "STARTS_WITH").matches(&c, &named("ας")));
        assert!(cond("ΑΣ", "STARTS_WITH").matches(&c, &named("ΑΣΑ")));
        assert!(cond("ας", "CONTAINS").matches(&c, &named("ΑΣΑ")));
        assert!(cond("σα", "CONTAINS").matches(&c, &named("ΑΣ ΑΣΑ")));
        assert!(cond("STRASSE", "STARTS_WITH").matches(&c, &named("Straße")));
        assert!(
            !cond("ΑΣ", "EXACT").matches(&c, &named("ας")),
            "EXACT keeps case"
        );
        assert!(!cond("αβ", "CONTAINS").matches(&c, &named("ΑΣΑ")));
    }

    #[test]
    fn tag_filters() {
        let def = Kind::User.def();
        let c = Content::new();
        let u = user("a", "A", &[("team", "blue"), ("env", "prod")]);
        let f = |v: Value| parse_filter(def, &v).unwrap();
        assert!(
            f(json!({"TagFilter": {"TagCondition": {"TagKey": "team", "TagValue": "blue"}}}))
                .matches(&c, &u)
        );
        assert!(!f(json!({"TagFilter": {"AndConditions": [{"TagKey": "team", "TagValue": "blue"}, {"TagKey": "env", "TagValue": "dev"}]}}))
            .matches(&c, &u));
        assert!(f(json!({"TagFilter": {"OrConditions": [[{"TagKey": "x"}], [{"TagKey": "env", "TagValue": "prod"}]]}}))
            .matches(&c, &u));
        assert!(
            f(json!({"UserAttributeFilter": {"TagCondition": {"TagKey": "team"}}})).matches(&c, &u)
        );
        assert!(parse_filter(Kind::Queue.def(), &json!({"AttributeFilter": {}})).is_err());
    }
}
