//! Property tests over the SQL front end and the planner: no input makes
//! them panic. Bounded case counts keep CI fast; raise PROPTEST_CASES to
//! search longer.

use connectql::catalog;
use connectql::sql::change::{patch, plan_change};
use connectql::sql::planner::plan_query;
use connectql::sql::resolve::{ItemRef, PlanContext};
use connectql::sql::{parse_one, split_script, statement_end};
use proptest::prelude::*;

/// Words that steer generated text into the interesting parts of the parser.
const VOCABULARY: &[&str] = &[
    "SELECT",
    "*",
    "FROM",
    "aws.connect.instance",
    "aws.connect.instances",
    "WHERE",
    "region",
    "=",
    "'us-east-1'",
    "'eu-west-2'",
    "IN",
    "(",
    ")",
    ",",
    "AND",
    "OR",
    "NOT",
    "data__Identifier",
    "Identifier",
    "'acme-support'",
    "'arn:aws:connect:us-east-1:123456789012:instance/x'",
    "id",
    "tags",
    "attributes",
    "json_extract",
    "'$.ContactLens'",
    "ORDER",
    "BY",
    "LIMIT",
    "1",
    "GROUP",
    "JOIN",
    "ON",
    "a",
    "b",
    ".",
    "UPDATE",
    "SET",
    "data__PatchDocument",
    "PatchDocument",
    "string",
    "INSERT",
    "INTO",
    "VALUES",
    "DELETE",
    "EXPLAIN",
    "RETURNING",
    "'[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]'",
    "IdentityManagementType",
    "Attributes",
    "'{\"InboundCalls\":true,\"OutboundCalls\":true}'",
    ";",
    "--",
    "/*",
    "*/",
    "'",
    "\"",
    "NULL",
    "->>",
    "WITH",
    "UNION",
    "SELECT 1",
    "x",
    "é",
    "\u{0}",
];

fn sqlish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCABULARY), 0..40).prop_map(|w| w.join(" "))
}

fn ctx() -> PlanContext {
    PlanContext {
        default_regions: vec!["us-east-1".into()],
        ..Default::default()
    }
}

/// Everything the front end does with a statement, none of which may panic.
fn front_end(text: &str) {
    let _ = split_script(text);
    let _ = statement_end(text);
    if let Ok(statement) = parse_one(text) {
        let _ = plan_query(text, statement.clone(), &ctx());
        let _ = plan_change(text, statement, &ctx());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(400)
    ))]

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        front_end(&text);
    }

    #[test]
    fn sql_like_text_never_panics(text in sqlish()) {
        front_end(&text);
    }

    #[test]
    fn identifier_values_never_panic(value in ".{0,120}") {
        if let Ok(r) = ItemRef::parse(catalog::instance_resource(), catalog::IDENTIFIER, &value) {
            // Whatever is accepted is safe to put in a URL path segment.
            let shown = r.display().to_string();
            prop_assert!(!shown.contains('/') || shown.starts_with("arn:aws"));
            prop_assert!(!shown.contains(".."));
            prop_assert!(!shown.chars().any(char::is_control));
        }
    }

    #[test]
    fn patch_documents_never_panic(text in ".{0,200}") {
        let _ = patch::translate(catalog::instance_resource(), &text);
    }

    #[test]
    fn generated_patches_never_panic(
        op in prop::sample::select(vec!["add", "remove", "replace", "move", "copy", "test", "nope"]),
        path in prop::sample::select(vec!["", "/", "/Attributes", "/Attributes/ContactLens", "/Attributes/X", "/Tags", "/Tags/0", "/Tags/-", "/Tags/0/Key", "/Id", "/InstanceAlias", "/a~1b", "/Tags/99/Value/x"]),
        value in prop::sample::select(vec!["true", "false", "1", "\"x\"", "null", "{}", "[]", "{\"Key\":\"k\",\"Value\":\"v\"}"]),
    ) {
        let doc = format!("[{{\"op\":\"{op}\",\"path\":\"{path}\",\"from\":\"/Tags/0\",\"value\":{value}}}]");
        let _ = patch::translate(catalog::instance_resource(), &doc);
    }
}
