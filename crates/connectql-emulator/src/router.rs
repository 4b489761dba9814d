//! Routing driven by the operation table ([`OPERATIONS`]): a request's method and
//! raw path are matched against every row's method and URI template.
//!
//! * Labels (`{InstanceId}`) match one non-empty path segment, percent-decoded.
//! * `{resourceArn}` (the tag operations) takes the rest of the path, so an ARN
//!   works whether the client percent-encodes its `/` or not.
//! * An unencoded instance ARN in `{InstanceId}` spans two segments
//!   (`arn:aws:connect:REGION:ACCOUNT:instance` + `ID`); it is joined back.
//! * When two rows match, the one with more literal segments wins
//!   (`/phone-number/list` before `/phone-number/{PhoneNumberId}`).

use std::sync::LazyLock;

use percent_encoding::percent_decode_str;

use connect_operations::{Op, OPERATIONS};

/// A request matched to an operation, with its (percent-decoded) path labels.
#[derive(Debug, Clone, PartialEq)]
pub struct Route {
    pub op: Op,
    pub labels: Vec<(&'static str, String)>,
}

impl Route {
    /// The value of the path label `name` (as spelled in the URI template).
    pub fn label(&self, name: &str) -> Option<&str> {
        self.labels
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
enum Seg {
    Literal(&'static str),
    Label(&'static str),
    /// A label that takes the rest of the path.
    Greedy(&'static str),
}

struct Template {
    op: Op,
    method: &'static str,
    segs: Vec<Seg>,
    literals: usize,
}

/// Labels that take the rest of the path.
const GREEDY_LABELS: [&str; 1] = ["resourceArn"];

static TEMPLATES: LazyLock<Vec<Template>> = LazyLock::new(|| {
    OPERATIONS
        .iter()
        .map(|row| {
            let parts: Vec<&'static str> = row.uri.trim_start_matches('/').split('/').collect();
            let n = parts.len();
            let segs: Vec<Seg> = parts
                .into_iter()
                .enumerate()
                .map(
                    |(i, p)| match p.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                        Some(l) if i + 1 == n && GREEDY_LABELS.contains(&l) => Seg::Greedy(l),
                        Some(l) => Seg::Label(l),
                        None => Seg::Literal(p),
                    },
                )
                .collect();
            let literals = segs.iter().filter(|s| matches!(s, Seg::Literal(_))).count();
            Template {
                op: row.op,
                method: row.method,
                segs,
                literals,
            }
        })
        .collect()
});

fn decode_lossy(s: &str) -> String {
    percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn match_template(t: &Template, raw: &[&str]) -> Option<Vec<(&'static str, String)>> {
    let mut labels = Vec::new();
    let mut i = 0;
    for (k, seg) in t.segs.iter().enumerate() {
        match seg {
            Seg::Literal(l) => {
                if raw.get(i)? != l {
                    return None;
                }
                i += 1;
            }
            Seg::Greedy(name) => {
                let rest = raw.get(i..)?.join("/");
                if rest.is_empty() || raw[i].is_empty() {
                    return None;
                }
                labels.push((*name, decode_lossy(&rest)));
                i = raw.len();
            }
            Seg::Label(name) => {
                let v = decode_lossy(raw.get(i)?);
                if v.is_empty() {
                    return None;
                }
                i += 1;
                // An unencoded instance ARN: "arn:...:instance" "/" "<id>".
                let more = t.segs.len() - k - 1;
                if *name == "InstanceId"
                    && v.starts_with("arn:")
                    && v.ends_with(":instance")
                    && raw.len() > i + more
                {
                    let id = decode_lossy(raw[i]);
                    if id.is_empty() {
                        return None;
                    }
                    i += 1;
                    labels.push((*name, format!("{v}/{id}")));
                } else {
                    labels.push((*name, v));
                }
            }
        }
    }
    (i == raw.len()).then_some(labels)
}

/// Match method + raw (still percent-encoded) path to an operation.
pub fn route(method: &str, raw_path: &str) -> Option<Route> {
    let raw: Vec<&str> = raw_path.strip_prefix('/')?.split('/').collect();
    let mut best: Option<(usize, Route)> = None;
    for t in TEMPLATES.iter().filter(|t| t.method == method) {
        if let Some(labels) = match_template(t, &raw) {
            if best.as_ref().is_none_or(|(n, _)| t.literals > *n) {
                best = Some((t.literals, Route { op: t.op, labels }));
            }
        }
    }
    best.map(|(_, r)| r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_routes() {
        let r = route("GET", "/instance").unwrap();
        assert_eq!(r.op, Op::ListInstances);
        assert_eq!(route("PUT", "/instance").unwrap().op, Op::CreateInstance);
        assert!(route("POST", "/instance").is_none());
        let r = route("GET", "/instance/abc/attribute/CONTACT_LENS").unwrap();
        assert_eq!(r.op, Op::DescribeInstanceAttribute);
        assert_eq!(r.label("AttributeType"), Some("CONTACT_LENS"));
        let enc =
            "/instance/arn%3Aaws%3Aconnect%3Aus-east-1%3A123456789012%3Ainstance%2Fabc/attributes";
        let r = route("GET", enc).unwrap();
        assert_eq!(r.op, Op::ListInstanceAttributes);
        assert_eq!(
            r.label("InstanceId"),
            Some("arn:aws:connect:us-east-1:123456789012:instance/abc")
        );
        let raw = "/instance/arn:aws:connect:us-east-1:123456789012:instance/abc";
        let r = route("DELETE", raw).unwrap();
        assert_eq!(r.op, Op::DeleteInstance);
        assert_eq!(
            r.label("InstanceId"),
            Some("arn:aws:connect:us-east-1:123456789012:instance/abc")
        );
        let raw = "/users/arn:aws:connect:us-east-1:123456789012:instance/abc/u1/proficiencies";
        let r = route("GET", raw).unwrap();
        assert_eq!(r.op, Op::ListUserProficiencies);
        assert_eq!(r.label("UserId"), Some("u1"));
        for (m, p) in [
            (
                "GET",
                "/tags/arn%3Aaws%3Aconnect%3Aus-east-1%3A1%3Ainstance%2Fx",
            ),
            ("GET", "/tags/arn:aws:connect:us-east-1:1:instance/x"),
        ] {
            let r = route(m, p).unwrap();
            assert_eq!(r.op, Op::ListTagsForResource);
            assert_eq!(
                r.label("resourceArn"),
                Some("arn:aws:connect:us-east-1:1:instance/x")
            );
        }
        let r = route(
            "POST",
            "/tags/arn:aws:connect:us-east-1:1:instance/x/agent/y",
        )
        .unwrap();
        assert_eq!(r.op, Op::TagResource);
        assert_eq!(
            r.label("resourceArn"),
            Some("arn:aws:connect:us-east-1:1:instance/x/agent/y")
        );
        assert!(route("GET", "/tags/").is_none());
        assert!(route("GET", "/instance/").is_none());
        assert!(route("GET", "/instance/x/").is_none());
        assert!(route("GET", "/nope").is_none());
        assert!(route("GET", "").is_none());
        assert!(route("PATCH", "/instance/x").is_none());
    }

    #[test]
    fn literal_segments_win() {
        assert_eq!(
            route("POST", "/phone-number/list").unwrap().op,
            Op::ListPhoneNumbersV2
        );
        assert_eq!(
            route("POST", "/phone-number/claim").unwrap().op,
            Op::ClaimPhoneNumber
        );
        assert_eq!(
            route("GET", "/phone-number/abc").unwrap().op,
            Op::DescribePhoneNumber
        );
        assert_eq!(
            route("POST", "/routing-profiles/i/r/queues").unwrap().op,
            Op::UpdateRoutingProfileQueues
        );
        assert_eq!(
            route("GET", "/routing-profiles/i/r/queues").unwrap().op,
            Op::ListRoutingProfileQueues
        );
    }

    #[test]
    fn every_row_is_reachable() {
        for row in OPERATIONS {
            let path: String = row
                .uri
                .split('/')
                .map(|s| if s.starts_with('{') { "x" } else { s })
                .collect::<Vec<_>>()
                .join("/");
            assert_eq!(
                route(row.method, &path).map(|r| r.op),
                Some(row.op),
                "{}",
                row.name
            );
        }
    }
}
