//! Introspection statements, answered from the catalog alone:
//! `SHOW SERVICES`, `SHOW RESOURCES IN aws.connect`,
//! `SHOW METHODS IN aws.connect.instance` and
//! `DESCRIBE [EXTENDED] aws.connect.instance`.

use serde_json::{json, Value};

use crate::catalog::{self, Resource, RESOURCES};
use crate::engine::{Column, ResultSet};
use crate::error::Error;
use crate::sql::planner::unknown_resource;

#[derive(Debug, Clone)]
pub enum Introspection {
    Services,
    Resources,
    Methods(&'static Resource),
    Describe {
        resource: &'static Resource,
        extended: bool,
    },
}

/// The statement's words, without a trailing `;`.
fn words(sql: &str) -> Vec<String> {
    sql.trim()
        .trim_end_matches(';')
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
            "SHOW takes SERVICES, RESOURCES IN aws.connect, or METHODS IN aws.connect.instance",
        ),
        ["DESCRIBE" | "DESC", "EXTENDED", _] => {
            Some(lookup(&w[2]).map(|r| Introspection::Describe {
                resource: r,
                extended: true,
            }))
        }
        ["DESCRIBE" | "DESC", _] => Some(lookup(&w[1]).map(|r| Introspection::Describe {
            resource: r,
            extended: false,
        })),
        ["DESCRIBE" | "DESC", ..] => usage("DESCRIBE [EXTENDED] aws.connect.instance"),
        _ => None,
    }
}

fn lookup(name: &str) -> Result<&'static Resource, Error> {
    catalog::resource(name).ok_or_else(|| unknown_resource(name))
}

fn columns(names: &[&str]) -> Vec<Column> {
    names
        .iter()
        .map(|n| Column {
            name: n.to_string(),
            json: false,
        })
        .collect()
}

pub fn run(i: &Introspection) -> ResultSet {
    match i {
        Introspection::Services => ResultSet {
            columns: columns(&["name", "title", "description"]),
            rows: vec![vec![
                json!(catalog::SERVICE_PATH),
                json!("Amazon Connect"),
                json!("Amazon Connect instances: read, create, update and delete with SQL"),
            ]],
        },
        Introspection::Resources => ResultSet {
            columns: columns(&["name", "id", "description"]),
            rows: RESOURCES
                .iter()
                .map(|r| vec![json!(r.name), json!(r.id), json!(r.description)])
                .collect(),
        },
        Introspection::Methods(r) => ResultSet {
            columns: columns(&["name", "required_params", "sql_verb"]),
            rows: r
                .methods
                .iter()
                .map(|m| {
                    vec![
                        json!(m.name),
                        json!(m.required.join(", ")),
                        json!(m.verb.name()),
                    ]
                })
                .collect(),
        },
        Introspection::Describe { resource, extended } => describe(resource, *extended),
    }
}

fn describe(r: &'static Resource, extended: bool) -> ResultSet {
    let mut names = vec!["name", "type", "description"];
    if extended {
        names.extend(["source", "notes", "permissions"]);
    }
    let rows = r
        .fields
        .iter()
        .map(|f| {
            let mut row: Vec<Value> = vec![json!(f.name), json!(f.ty.name()), json!(f.description)];
            if extended {
                let permission = match f.source {
                    catalog::FieldSource::Request | catalog::FieldSource::Unavailable => {
                        String::new()
                    }
                    catalog::FieldSource::Summary => match r.kind {
                        catalog::ResourceKind::Instance => "connect:DescribeInstance".into(),
                        catalog::ResourceKind::Instances => "connect:ListInstances".into(),
                    },
                    catalog::FieldSource::DescribeOnly => "connect:DescribeInstance".into(),
                    catalog::FieldSource::Attributes => "connect:ListInstanceAttributes".into(),
                };
                row.push(json!(f.source.describe(r)));
                row.push(f.note.map(|n| json!(n)).unwrap_or(Value::Null));
                row.push(json!(permission));
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
        for m in r.methods {
            let mut row = vec![
                json!(format!("{} ({})", m.name, m.verb.name())),
                json!("method"),
                json!(format!("required: {}", m.required.join(", "))),
                json!(""),
                Value::Null,
                json!(m.permissions.join(", ")),
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
            Introspection::Methods(r) if r.id == "aws.connect.instance"
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
        assert!(row[4].as_str().unwrap().contains("never returns"));
        let methods = run(&parse("SHOW METHODS IN aws.connect.instance")
            .unwrap()
            .unwrap());
        assert_eq!(methods.rows[0][1], "data__Identifier, region");
    }
}
