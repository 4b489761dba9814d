//! An item's row as the AWS CLI answers it, derived from the CLI's JSON and
//! the CloudFormation schemas in `tests/data/cfn/` alone, never through
//! connectql's catalog: every CloudFormation property is a field named in
//! snake_case holding the CLI member of the same name, or the ARN of the
//! member that names an item by id (`DefaultOutboundQueueId` →
//! `DefaultOutboundQueueArn`, looked up in the CLI's own listing), or null
//! where the CLI's answer has neither. The fields Describe does not supply
//! are read with the CLI call that does. (The rules of
//! `tests/contents_awscli.rs`, shared by the write cross-checks.)
#![allow(dead_code)]

use std::collections::{BTreeSet, HashMap};

use serde_json::{json, Map, Value};

use crate::common::Emulator;
use crate::statements::REGION;

/// An instance as the CLI lists it: (id, ARN).
pub fn instance(emu: &Emulator, alias: &str) -> (String, String) {
    let list = emu.aws(REGION, &["connect", "list-instances"]);
    let i = list["InstanceSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["InstanceAlias"] == alias)
        .unwrap_or_else(|| panic!("the demo's {alias}"))
        .clone();
    (
        i["Id"].as_str().unwrap().to_string(),
        i["Arn"].as_str().unwrap().to_string(),
    )
}

/// The alias of the instance with this ARN, as the CLI lists it.
pub fn alias_of(emu: &Emulator, instance_arn: &str) -> String {
    let list = emu.aws(REGION, &["connect", "list-instances"]);
    list["InstanceSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["Arn"] == instance_arn)
        .and_then(|i| i["InstanceAlias"].as_str())
        .unwrap_or_else(|| panic!("no instance {instance_arn} listed"))
        .to_string()
}

/// `aws connect <args>` in the test region.
pub fn cli(emu: &Emulator, args: &[&str]) -> Value {
    let mut full = vec!["connect"];
    full.extend_from_slice(args);
    emu.aws(REGION, &full)
}

/// `HoursOfOperationArn` → `hours_of_operation_arn`.
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// `number_of_associated_queues` → `NumberOfAssociatedQueues`.
pub fn pascal(name: &str) -> String {
    name.split('_')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The property names of a CloudFormation type (`aws-connect-queue.json`).
pub fn cfn_properties(file: &str) -> Vec<String> {
    let path = format!("{}/tests/data/cfn/{file}", env!("CARGO_MANIFEST_DIR"));
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    schema["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("{path}: no properties"))
        .keys()
        .cloned()
        .collect()
}

/// The id → ARN pairs of the queues the CLI lists in an instance, to turn a
/// `...QueueId` member into its ARN.
pub fn queue_arns(emu: &Emulator, iid: &str) -> HashMap<String, String> {
    let listed = cli(emu, &["list-queues", "--instance-id", iid]);
    listed["QueueSummaryList"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["Id"].as_str().unwrap().to_string(),
                q["Arn"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// A CLI timestamp (epoch seconds) as connectql shows times: RFC 3339, UTC,
/// whole seconds.
pub fn iso(epoch: &Value) -> Value {
    let secs = epoch.as_f64().expect("epoch seconds") as i64;
    let t = time::OffsetDateTime::from_unix_timestamp(secs).unwrap();
    json!(t
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap())
}

/// A CLI tag map as CloudFormation's Key/Value list, by key.
pub fn tag_list(tags: &Value) -> Value {
    let mut list: Vec<Value> = tags
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| json!({"Key": k, "Value": v}))
                .collect()
        })
        .unwrap_or_default();
    list.sort_by(|a, b| a["Key"].as_str().cmp(&b["Key"].as_str()));
    Value::Array(list)
}

/// How to read one item's CLI answer.
pub struct Source<'a> {
    /// The describe (or list) answer for the item.
    pub doc: &'a Value,
    /// The CloudFormation name of the item's own ARN (`QueueArn`), which
    /// some answers call just `Arn`.
    pub own_arn: &'a str,
    /// The CLI member holding the item's id (`QueueId`, or `Id`).
    pub own_id: &'a str,
    /// Properties the CLI names otherwise (`Address` is `PhoneNumber`).
    pub renames: &'a [(&'a str, &'a str)],
    pub instance_arn: &'a str,
    /// That instance's alias, as `list-instances` gives it.
    pub instance_alias: &'a str,
    pub arns: &'a HashMap<String, String>,
}

impl Source<'_> {
    fn arn_of(&self, id: &Value) -> Value {
        let id = id.as_str().expect("an id");
        json!(self
            .arns
            .get(id)
            .unwrap_or_else(|| panic!("no ARN listed for {id}")))
    }

    /// The value of the property `p` (PascalCase) from the CLI's answer.
    pub fn value(&self, p: &str) -> Value {
        let d = self.doc;
        let p = self
            .renames
            .iter()
            .find(|(cfn, _)| *cfn == p)
            .map_or(p, |(_, cli)| *cli);
        match p {
            "InstanceArn" => return json!(self.instance_arn),
            "Tags" => return tag_list(&d["Tags"]),
            "Id" => return d.get(self.own_id).cloned().unwrap_or(Value::Null),
            _ => {}
        }
        if let Some(v) = d.get(p) {
            return if p.ends_with("Time") {
                iso(v)
            } else {
                v.clone()
            };
        }
        if p == self.own_arn {
            // `Arn`, or the ARN spelled in capitals (`PromptARN`).
            let caps = format!("{}ARN", p.trim_end_matches("Arn"));
            return d
                .get("Arn")
                .or_else(|| d.get(&caps))
                .cloned()
                .unwrap_or(Value::Null);
        }
        if let Some(stem) = p.strip_suffix("Arns") {
            if let Some(ids) = d.get(format!("{stem}Ids")).and_then(Value::as_array) {
                return ids.iter().map(|id| self.arn_of(id)).collect();
            }
        }
        if let Some(stem) = p.strip_suffix("Arn") {
            if let Some(id) = d.get(format!("{stem}Id")) {
                return self.arn_of(id);
            }
        }
        Value::Null
    }
}

/// The row connectql must return for an item: every CloudFormation
/// property of `cfn` in snake_case, `region`, its account and instance
/// alias, and the read-only `extras`
/// (snake_case of CLI members), each from the CLI's answer; `elsewhere`
/// gives the fields another CLI call supplies.
pub fn expected_row(
    cfn: &str,
    extras: &[&str],
    source: &Source<'_>,
    elsewhere: &[(&str, Value)],
) -> Map<String, Value> {
    let mut row = Map::new();
    row.insert("region".into(), json!(REGION));
    // Every row says where it lives: no profile named (the session's
    // credentials), and the endpoint's default account, which its ARNs name.
    row.insert("profile".into(), Value::Null);
    row.insert("account_id".into(), json!("123456789012"));
    // And, inside an instance, the instance's alias.
    row.insert("instance_alias".into(), json!(source.instance_alias));
    for p in cfn_properties(cfn) {
        row.insert(snake(&p), source.value(&p));
    }
    for e in extras {
        row.insert(e.to_string(), source.value(&pascal(e)));
    }
    for (field, v) in elsewhere {
        assert!(row.contains_key(*field), "{cfn}: no field {field}");
        row.insert(field.to_string(), v.clone());
    }
    row
}

/// Tag lists compare by key.
fn by_key(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(list) = v.as_array_mut() {
        list.sort_by(|a, b| a["Key"].as_str().cmp(&b["Key"].as_str()));
    }
    v
}

/// connectql's row equals the expected one: the same fields, each equal
/// (tag lists compared by key), nulls included.
pub fn assert_row(what: &str, row: &Value, expected: &Map<String, Value>) {
    let got = row.as_object().unwrap();
    let got_fields: BTreeSet<&String> = got.keys().collect();
    let want_fields: BTreeSet<&String> = expected.keys().collect();
    assert_eq!(got_fields, want_fields, "{what}: the fields");
    for (field, want) in expected {
        let have = if field == "tags" {
            by_key(&got[field])
        } else {
            got[field].clone()
        };
        assert_eq!(&have, want, "{what}.{field}");
    }
}
