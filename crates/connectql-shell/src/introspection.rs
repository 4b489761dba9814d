//! Introspection statements, answered from the catalog alone:
//! `SHOW SERVICES`, `SHOW RESOURCES IN aws.connect`,
//! `SHOW METHODS IN aws.connect.instance` and
//! `DESCRIBE [EXTENDED] aws.connect.instance`.

use serde_json::{json, Value};

use crate::catalog::{self, Op, ResourceType, Source, Table, TABLES};
use crate::engine::{Column, ResultSet, Weight};
use crate::error::Error;
use crate::sql::planner::unknown_resource;

#[derive(Debug, Clone)]
pub enum Introspection {
    Services,
    /// `SHOW PROFILES`: the AWS profiles a statement can name (answered by
    /// the session, from the AWS config files).
    Profiles,
    Resources,
    Methods(&'static Table),
    Describe {
        table: &'static Table,
        extended: bool,
    },
}

/// The statement's words, without comments and a trailing `;`
/// (`SHOW /* all */ SERVICES; -- here` is `SHOW SERVICES`).
fn words(sql: &str) -> Vec<String> {
    let mut text = String::with_capacity(sql.len());
    let mut rest = sql;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("--") {
            rest = r.find('\n').map_or("", |i| &r[i..]);
            text.push(' ');
        } else if let Some(r) = rest.strip_prefix("/*") {
            rest = r.find("*/").map_or("", |i| &r[i + 2..]);
            text.push(' ');
        } else {
            let c = rest.chars().next().unwrap_or(' ');
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    text.trim()
        .trim_end_matches(|c: char| c == ';' || c.is_whitespace())
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Reads an introspection statement; `None` when `sql` is not one.
pub fn parse(sql: &str) -> Option<Result<Introspection, Error>> {
    let w = words(sql);
    let upper: Vec<String> = w.iter().map(|s| s.to_ascii_uppercase()).collect();
    let u: Vec<&str> = upper.iter().map(String::as_str).collect();
    let usage = |m: &str| Some(Err(Error::Unsupported(m.to_string())));
    match u.as_slice() {
        ["SHOW", "SERVICES"] | ["SHOW", "SERVICES", "IN", "AWS"] => {
            Some(Ok(Introspection::Services))
        }
        ["SHOW", "RESOURCES"] => Some(Ok(Introspection::Resources)),
        ["SHOW", "PROFILES"] => Some(Ok(Introspection::Profiles)),
        ["SHOW", "RESOURCES", "IN", _] => {
            if w[3].eq_ignore_ascii_case(catalog::SERVICE_PATH) {
                Some(Ok(Introspection::Resources))
            } else {
                Some(Err(Error::Unknown {
                    what: "service",
                    name: w[3].clone(),
                    suggestion: Some(catalog::SERVICE_PATH.into()),
                    known: catalog::SERVICE_PATH.into(),
                }))
            }
        }
        ["SHOW", "METHODS", "IN", _] => Some(lookup(&w[3]).map(Introspection::Methods)),
        ["SHOW", ..] => usage(
            "SHOW takes SERVICES, RESOURCES IN aws.connect, METHODS IN aws.connect.instance, or PROFILES",
        ),
        ["DESCRIBE" | "DESC", "EXTENDED", _] => {
            Some(lookup(&w[2]).map(|t| Introspection::Describe {
                table: t,
                extended: true,
            }))
        }
        ["DESCRIBE" | "DESC", _] => Some(lookup(&w[1]).map(|t| Introspection::Describe {
            table: t,
            extended: false,
        })),
        ["DESCRIBE" | "DESC", ..] => usage("DESCRIBE [EXTENDED] aws.connect.instance"),
        _ => None,
    }
}

fn lookup(name: &str) -> Result<&'static Table, Error> {
    catalog::table(name).ok_or_else(|| unknown_resource(name))
}

/// Plain columns, but `name` (which field, table or method a row is
/// about) is never cut in a narrow terminal.
fn columns(names: &[&str]) -> Vec<Column> {
    names
        .iter()
        .map(|&n| {
            let c = Column::plain(n);
            if n == "name" {
                c.weighing(Weight::Name)
            } else {
                c
            }
        })
        .collect()
}

/// The profiles of the AWS config files: what `WHERE profile IN (...)` can
/// name. `session` marks those `read` by a statement that names none (the
/// default profiles, else the session's).
pub fn profiles(list: &[crate::connect_api::ProfileInfo], read: &[String]) -> ResultSet {
    ResultSet {
        columns: columns(&["name", catalog::ACCOUNT_ID, catalog::REGION, "session"]),
        rows: list
            .iter()
            .map(|p| {
                vec![
                    json!(p.name),
                    json!(p.account),
                    json!(p.region),
                    json!(read.contains(&p.name)),
                ]
            })
            .collect(),
    }
}

pub fn run(i: &Introspection) -> ResultSet {
    match i {
        // Answered by the session (`profiles`): the catalog has none.
        Introspection::Profiles => profiles(&[], &[]),
        Introspection::Services => ResultSet {
            columns: columns(&["name", "title", "description"]),
            rows: vec![vec![
                json!(catalog::SERVICE_PATH),
                json!("Amazon Connect"),
                json!("Amazon Connect instances and their contents (users, queues, routing profiles, hours of operation...): read with SQL; create, update and delete instances"),
            ]],
        },
        Introspection::Resources => ResultSet {
            columns: columns(&["name", "id", "description"]),
            rows: TABLES
                .iter()
                .map(|t| {
                    vec![
                        json!(t.name),
                        json!(t.id),
                        json!(format!("{} {}", t.resource.description, t.description())),
                    ]
                })
                .collect(),
        },
        Introspection::Methods(t) => ResultSet {
            columns: columns(&["name", "required_params", "sql_verb"]),
            rows: t
                .methods()
                .map(|m| {
                    vec![
                        json!(m.name),
                        json!(m.required.join(", ")),
                        json!(m.verb.name()),
                    ]
                })
                .collect(),
        },
        Introspection::Describe { table, extended } => describe(table, *extended),
    }
}

/// The Connect operation that changes a field of an existing item, from
/// the catalog's write side: `UpdateQueueMaxContacts`, a set's pair of
/// operations, or only the create operation.
fn changed_by(r: &ResourceType, field: &str) -> String {
    let w = r.writes;
    if w.tags && field == "tags" {
        return format!("{} / {}", Op::TagResource, Op::UntagResource);
    }
    if let Some(u) = w.updates.iter().find(|u| u.fields().any(|f| f == field)) {
        return u
            .operations()
            .iter()
            .map(Op::to_string)
            .collect::<Vec<_>>()
            .join(" / ");
    }
    if let Some(followed) = r.field(field).and_then(|f| f.follows) {
        return format!("follows the {followed} of the items it lists");
    }
    let create_only = r.field(field).is_some_and(|f| f.create_only);
    match &w.create {
        Some(c) if c.fields().any(|f| f == field) && create_only => {
            format!("only when created ({})", c.op)
        }
        // Not create-only for CloudFormation, yet no operation in the
        // catalog changes it: said, not hidden.
        Some(c) if c.fields().any(|f| f == field) => {
            format!(
                "set when created ({}); no operation in the catalog changes it",
                c.op
            )
        }
        _ => String::new(),
    }
}

fn describe(t: &'static Table, extended: bool) -> ResultSet {
    let r = t.resource;
    let mut names = vec!["name", "type", "description"];
    if extended {
        names.extend([
            "property",
            "flags",
            "source",
            "notes",
            "permissions",
            "changed_by",
            "references",
        ]);
    }
    let rows = r
        .fields
        .iter()
        .map(|f| {
            let mut row: Vec<Value> = vec![json!(f.name), json!(f.ty.name()), json!(f.description)];
            if extended {
                let ops = f.supplied_by(r);
                let source = match f.source {
                    Source::Region => "the request's region".to_string(),
                    Source::Profile => "the profile the request was made with".to_string(),
                    Source::Account => "the account in the row's ARN".to_string(),
                    Source::InstanceArn => "the instance the row belongs to".to_string(),
                    Source::InstanceAlias => {
                        "the alias of the instance the row belongs to (ListInstances)".to_string()
                    }
                    Source::Unavailable(why) => format!("none: {why}"),
                    Source::SubListing { op, .. } => {
                        format!("{op} per item, only when referenced")
                    }
                    Source::Joined { op, .. } => {
                        format!("{op} once per instance (all pages), only when referenced")
                    }
                    Source::Member { .. } => {
                        ops.iter().map(|o| o.name()).collect::<Vec<_>>().join(", ")
                    }
                };
                let mut flags = Vec::new();
                for (on, flag) in [
                    (f.required, "required"),
                    (f.read_only, "read-only"),
                    (f.create_only, "create-only"),
                    (f.write_only, "write-only"),
                ] {
                    if on {
                        flags.push(flag);
                    }
                }
                if f.search.is_some() {
                    flags.push("searchable");
                }
                row.push(match f.cfn {
                    Some(p) => json!(p),
                    None if f.name == catalog::REGION || f.name == catalog::PROFILE => {
                        json!("(param)")
                    }
                    None => json!("(extra)"),
                });
                row.push(json!(flags.join(", ")));
                row.push(json!(source));
                row.push(f.note.map(|n| json!(n)).unwrap_or(Value::Null));
                row.push(json!(ops
                    .iter()
                    .map(|o| o.iam_action())
                    .collect::<Vec<_>>()
                    .join(", ")));
                row.push(json!(changed_by(r, f.name)));
                row.push(f.reference.label(r).map_or(Value::Null, |l| json!(l)));
            }
            row
        })
        .collect::<Vec<_>>();
    let mut rs = ResultSet {
        columns: columns(&names),
        rows,
    };
    if extended {
        // The methods and their permissions, after the fields.
        for m in t.methods() {
            let mut row = vec![
                json!(format!("{} ({})", m.name, m.verb.name())),
                json!("method"),
                json!(format!("required: {}", m.required.join(", "))),
                Value::Null,
                Value::Null,
                json!(""),
                Value::Null,
                json!(m.permission_actions().join(", ")),
                Value::Null,
                Value::Null,
            ];
            row.truncate(rs.columns.len());
            rs.rows.push(row);
        }
    }
    rs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_statements() {
        assert!(matches!(
            parse("SHOW SERVICES;").unwrap().unwrap(),
            Introspection::Services
        ));
        assert!(matches!(
            parse("show resources in aws.connect").unwrap().unwrap(),
            Introspection::Resources
        ));
        assert!(matches!(
            parse("SHOW METHODS IN aws.connect.instance").unwrap().unwrap(),
            Introspection::Methods(t) if t.id == "aws.connect.instance"
        ));
        assert!(matches!(
            parse("DESCRIBE EXTENDED aws.connect.instances")
                .unwrap()
                .unwrap(),
            Introspection::Describe { extended: true, .. }
        ));
        assert!(parse("SELECT 1").is_none());
        assert!(parse("DESCRIBE aws.connect.instanse").unwrap().is_err());
    }

    #[test]
    fn describe_explains_directory_id() {
        let rs = run(&parse("DESCRIBE EXTENDED aws.connect.instance")
            .unwrap()
            .unwrap());
        let row = rs.rows.iter().find(|r| r[0] == "directory_id").unwrap();
        assert!(row[6].as_str().unwrap().contains("never returns"));
        assert_eq!(row[3], "DirectoryId");
        let users = run(&parse("DESCRIBE EXTENDED aws.connect.users")
            .unwrap()
            .unwrap());
        let id = users.rows.iter().find(|r| r[0] == "id").unwrap();
        assert_eq!(id[3], "(extra)");
        let info = users.rows.iter().find(|r| r[0] == "identity_info").unwrap();
        assert_eq!(info[5], "DescribeUser");
        let methods = run(&parse("SHOW METHODS IN aws.connect.instance")
            .unwrap()
            .unwrap());
        assert_eq!(methods.rows[0][1], "data__Identifier, region");
    }
}
