//! Consistency of the catalog: with AWS's CloudFormation schemas (copies in
//! `tests/data/cfn/`), with the operation table, and with itself.

use std::collections::BTreeSet;

use serde_json::Value;

use super::*;

fn schema(r: &ResourceType) -> Value {
    let short = r
        .cfn_type
        .strip_prefix("AWS::Connect::")
        .unwrap()
        .to_ascii_lowercase();
    let path = format!(
        "{}/../../tests/data/cfn/aws-connect-{short}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn pointer_list(schema: &Value, key: &str) -> BTreeSet<String> {
    schema[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|p| p.trim_start_matches("/properties/").to_string())
        .collect()
}

/// StackQL's field name for a CloudFormation property.
fn snake_case(property: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = property.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower = i > 0 && !chars[i - 1].is_ascii_uppercase();
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if i > 0 && (prev_lower || next_lower) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(*c);
        }
    }
    out
}

fn schema_type(schema: &Value, property: &Value) -> String {
    if let Some(t) = property.get("type").and_then(Value::as_str) {
        return t.to_string();
    }
    if let Some(r) = property.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/definitions/");
        return schema["definitions"][name]
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("object")
            .to_string();
    }
    "object".to_string()
}

#[test]
fn every_resource_matches_its_cloudformation_schema() {
    for r in RESOURCE_TYPES {
        let s = schema(r);
        assert_eq!(s["typeName"], r.cfn_type, "{}", r.singular);
        let properties = s["properties"].as_object().unwrap();
        let required = pointer_list(&s, "required");
        let read_only = pointer_list(&s, "readOnlyProperties");
        let create_only = pointer_list(&s, "createOnlyProperties");
        let write_only = pointer_list(&s, "writeOnlyProperties");
        let in_catalog: BTreeSet<&str> = r.fields.iter().filter_map(|f| f.cfn).collect();
        for p in properties.keys() {
            assert!(
                in_catalog.contains(p.as_str()),
                "{}: CloudFormation property {p} has no field",
                r.cfn_type
            );
        }
        for f in r.fields {
            let Some(p) = f.cfn else { continue };
            let who = format!("{}.{} ({p})", r.singular, f.name);
            let property = properties
                .get(p)
                .unwrap_or_else(|| panic!("{who}: not in the schema"));
            assert_eq!(f.name, snake_case(p), "{who}: StackQL name");
            assert_eq!(f.required, required.contains(p), "{who}: required");
            assert_eq!(f.read_only, read_only.contains(p), "{who}: read-only");
            assert_eq!(f.create_only, create_only.contains(p), "{who}: create-only");
            assert_eq!(f.write_only, write_only.contains(p), "{who}: write-only");
            let expected = match schema_type(&s, property).as_str() {
                "string" => vec![FieldType::String],
                "integer" => vec![FieldType::Integer],
                "number" => vec![FieldType::Number, FieldType::String],
                "boolean" => vec![FieldType::Boolean],
                "array" => vec![FieldType::Array],
                _ => vec![FieldType::Object],
            };
            assert!(
                expected.contains(&f.ty),
                "{who}: {:?} but the schema says {expected:?}",
                f.ty
            );
        }
    }
}

#[test]
fn fields_are_unique_and_well_formed() {
    for r in RESOURCE_TYPES {
        let mut names = BTreeSet::new();
        assert!(r.fields.len() <= 64, "field sets are 64-bit masks");
        for f in r.fields {
            assert!(names.insert(f.name), "{}: {} twice", r.singular, f.name);
            assert!(
                f.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{}",
                f.name
            );
            if !f.json_paths.is_empty() {
                assert!(
                    f.ty.is_json(),
                    "{}.{}: paths on a non-JSON field",
                    r.singular,
                    f.name
                );
            }
        }
        for special in [Some(r.id_field), r.arn_field, Some(r.name_field)]
            .into_iter()
            .flatten()
        {
            assert!(r.field(special).is_some(), "{}: {special}", r.singular);
        }
        assert_eq!(r.fields[0].name, "region", "{}", r.singular);
        if r.scope == Scope::Instance {
            let has_instance = r.field("instance_arn").is_some()
                || r.field("instance_id").is_some()
                || r.field("target_arn").is_some();
            assert!(has_instance, "{}", r.singular);
        }
    }
}

#[test]
fn sources_name_calls_the_resource_has() {
    for r in RESOURCE_TYPES {
        for f in r.fields {
            for s in f.sources() {
                match s {
                    Source::Member { calls, .. } => {
                        for (call, op) in [
                            (Call::List, r.list),
                            (Call::Search, r.search),
                            (Call::Describe, r.describe),
                        ] {
                            if calls.has(call) {
                                assert!(
                                    op.is_some(),
                                    "{}.{}: no {call:?} call",
                                    r.singular,
                                    f.name
                                );
                            }
                        }
                    }
                    Source::SubListing { op, key, .. } => {
                        assert!(op.def().is_read(), "{op}");
                        if let Some(k) = key {
                            assert!(r.field(k).is_some(), "{}.{}: key {k}", r.singular, f.name);
                        }
                    }
                    Source::Joined { op, .. } => {
                        assert!(op.def().is_read() && op.def().max_results.is_some(), "{op}");
                    }
                    _ => {}
                }
            }
            if let Some(key) = f.search {
                assert!(r.search.is_some(), "{}.{}", r.singular, f.name);
                assert!(!key.field_name.is_empty());
            }
        }
        for op in [r.list, r.search].into_iter().flatten() {
            assert!(op.def().max_results.is_some(), "{op} is paged");
        }
        if let Some(op) = r.describe {
            assert!(op.def().is_read() && op.def().max_results.is_none(), "{op}");
        }
    }
}

#[test]
fn methods_cover_every_call_their_statements_make() {
    for r in RESOURCE_TYPES {
        for plural in [false, true] {
            let m = r.method(SqlVerb::Select, plural).unwrap();
            let allowed: Vec<Op> = m
                .permissions
                .iter()
                .filter_map(|p| match p {
                    Permission::Call(op) => Some(*op),
                    Permission::Other(_) => None,
                })
                .collect();
            for op in r.read_operations() {
                assert!(allowed.contains(&op), "{}.{}: {op}", r.singular, m.name);
            }
            if r.scope == Scope::Instance || !plural {
                // Instances are resolved (aliases, or all instances) with ListInstances.
                assert!(
                    allowed.contains(&Op::ListInstances),
                    "{}.{}",
                    r.singular,
                    m.name
                );
            }
        }
    }
}

#[test]
fn seed_fields_in_order() {
    let names: Vec<_> = table("aws.connect.instance")
        .unwrap()
        .fields()
        .iter()
        .map(|f| f.name)
        .collect();
    assert_eq!(
        names,
        [
            "region",
            "profile",
            "account_id",
            "id",
            "arn",
            "identity_management_type",
            "instance_alias",
            "created_time",
            "service_role",
            "instance_status",
            "directory_id",
            "attributes",
            "tags"
        ]
    );
}

#[test]
fn methods_match_the_seed() {
    let instance = table("aws.connect.instance").unwrap();
    let get = instance.method_for(SqlVerb::Select).unwrap();
    assert_eq!(get.name, "get_resource");
    assert_eq!(get.required, ["data__Identifier", "region"]);
    let update = instance.method_for(SqlVerb::Update).unwrap();
    assert_eq!(
        update.required,
        ["data__Identifier", "data__PatchDocument", "region"]
    );
    let instances = table("AWS.CONNECT.INSTANCES").unwrap();
    assert_eq!(
        instances.method_for(SqlVerb::Select).unwrap().required,
        ["region"]
    );
    assert_eq!(
        instances.method_for(SqlVerb::Insert).unwrap().required,
        ["IdentityManagementType", "Attributes", "region"]
    );
    assert_eq!(
        instances.method_for(SqlVerb::Delete).unwrap().name,
        "delete_resource"
    );
    let read: Vec<String> = get.permission_actions();
    assert!(read.contains(&"connect:DescribeInstance".to_string()));
    assert!(read.contains(&"ds:DescribeDirectories".to_string()));
}

#[test]
fn tables_singular_and_plural() {
    // One derived table: aws.connect.instance_differences.
    assert_eq!(TABLES.len(), RESOURCE_TYPES.len() * 2 + 1);
    assert!(table("aws.connect.instance_differences").is_some_and(|t| t.derived));
    let users = table("aws.connect.users").unwrap();
    assert!(users.plural);
    assert_eq!(users.resource.singular, "user");
    assert!(table("aws.connect.user").is_some_and(|t| !t.plural));
    assert!(resource_type("routing_profiles").is_some());
}

#[test]
fn synonyms_and_suggestions() {
    assert_eq!(canonical_param("Identifier"), Some("data__Identifier"));
    assert_eq!(
        canonical_param("data__identifier"),
        Some("data__Identifier")
    );
    assert_eq!(
        canonical_param("PatchDocument"),
        Some("data__PatchDocument")
    );
    assert_eq!(canonical_param("InstanceId"), Some("data__InstanceId"));
    assert_eq!(canonical_param("region"), None);
    assert_eq!(
        suggest("instance_alais", field_names()),
        Some("instance_alias")
    );
    assert_eq!(suggest("zzzzzz", field_names()), None);
    assert_eq!(
        attribute_by_cfn_name("HighVolumeOutBound")
            .unwrap()
            .api_type,
        "HIGH_VOLUME_OUTBOUND"
    );
}

#[test]
fn reads() {
    let ctx = RowContext {
        region: "us-east-1",
        profile: None,
        instance_arn: Some("arn:aws:connect:us-east-1:123456789012:instance/i-1"),
        instance_alias: Some("acme-support"),
    };
    assert_eq!(
        Read::IdToArn("queue").apply(&Value::from("q1"), &ctx),
        "arn:aws:connect:us-east-1:123456789012:instance/i-1/queue/q1"
    );
    assert_eq!(
        Read::Time.apply(&Value::from(1764186876.577), &ctx),
        "2025-11-26T19:54:36Z"
    );
    assert_eq!(
        Read::Tags.apply(&serde_json::json!({"b":"2","a":"1"}), &ctx),
        serde_json::json!([{"Key":"a","Value":"1"},{"Key":"b","Value":"2"}])
    );
    assert_eq!(
        Read::Pluck("Arn").apply(&serde_json::json!([{"Arn":"x"},{"Arn":"y"}]), &ctx),
        serde_json::json!(["x", "y"])
    );
    assert!(Read::IdToArn("queue").apply(&Value::Null, &ctx).is_null());
}

/// The write side names only what exists, never changes what cannot
/// change, and leaves no changeable property without a path unless the
/// gap is listed here with its reason.
#[test]
fn writes_are_consistent_with_fields_and_operations() {
    use crate::catalog::writes::Deletion;
    // CloudFormation properties that can change but have no operation in
    // the catalog yet, and why.
    const GAPS: &[(&str, &str)] = &[
        (
            "user.username",
            "Connect has no operation that renames a user",
        ),
        (
            "user.password",
            "UpdateUserPassword needs the user's own credentials",
        ),
        ("user.directory_user_id", "no Connect operation changes it"),
        (
            "queue.outbound_email_config",
            "email addresses are not modelled yet",
        ),
        (
            "queue.additional_email_addresses",
            "email addresses are not modelled yet",
        ),
        (
            "contact_flow.status",
            "a flow's status is set by the content it is saved with",
        ),
        (
            "hours_of_operation.child_hours_of_operations",
            "changed on each child's side (its parent_hours_of_operations)",
        ),
        (
            "contact_flow_module.external_invocation_configuration",
            "no Update operation takes it",
        ),
        (
            "phone_number.address",
            "a claimed number's address is fixed",
        ),
        (
            "agent_status.type",
            "CreateAgentStatus makes CUSTOM statuses; ROUTABLE and OFFLINE are built in",
        ),
        (
            "instance.identity_management_type",
            "fixed when the instance is created",
        ),
        (
            "instance.directory_id",
            "fixed when the instance is created",
        ),
        (
            "instance.instance_alias",
            "fixed when the instance is created",
        ),
    ];
    let mut missing = Vec::new();
    for r in RESOURCE_TYPES {
        let w = r.writes;
        let named: Vec<(&str, Op)> = w
            .create
            .iter()
            .chain(w.updates.iter())
            .flat_map(|c| c.fields().map(move |f| (f, c.op)))
            .collect();
        for (field, op) in &named {
            assert!(
                r.field(field).is_some(),
                "{}: {op} names the unknown field {field}",
                r.singular
            );
        }
        for op in w.operations() {
            assert!(!op.def().is_read(), "{}: {op} is a read", r.singular);
        }
        for u in w.updates {
            for field in u.fields() {
                // Every field an update names is written back in the
                // request's shape (declared beside the field when its read
                // reshapes it); instances change through their own patch.
                if r.singular != "instance" {
                    let refused = crate::sql::change::contents::not_writable(r, field);
                    assert!(refused.is_none(), "{}.{field}: {refused:?}", r.singular);
                }
                let f = r.field(field).expect("checked above");
                assert!(
                    !f.read_only && !f.create_only,
                    "{}: {} changes {field}, which CloudFormation says cannot change",
                    r.singular,
                    u.op
                );
            }
        }
        // A removal takes elements away from a set (a JSON array) or
        // clears one value; a declared shape fits its field's type.
        for u in w.updates {
            let Some(removal) = &u.remove else { continue };
            for field in u.fields() {
                let f = r.field(field).expect("checked above");
                assert_eq!(
                    removal.member.is_some() || removal.own_id.is_some(),
                    f.ty == FieldType::Array,
                    "{}.{field}: a set's removal names its member, a value's does not",
                    r.singular
                );
                assert!(
                    removal.member.is_some()
                        || removal.own_id.is_some()
                        || (removal.key.is_none() && removal.change.is_none()),
                    "{}.{field}: a single value has no key and no change operation",
                    r.singular
                );
            }
            assert_eq!(u.members.len(), 1, "{}: {} takes one set", r.singular, u.op);
            // Elements that are items of their own: each one's members go
            // at the top of its own request, named by its id there.
            if let Some(id) = removal.own_id {
                assert_eq!(u.members[0].0, crate::catalog::writes::EACH_ELEMENT);
                for op in [Some(removal.op), removal.change].into_iter().flatten() {
                    assert!(
                        crate::sql::change::contents::uri_labels(op).contains(&id),
                        "{}: {op} names an element by {id} in its URI",
                        r.singular
                    );
                }
            }
        }
        for f in r.fields {
            match f.written {
                Some(crate::catalog::writes::Shape::Id(_)) => assert_eq!(
                    f.ty,
                    FieldType::String,
                    "{}.{}: an ARN written as an id is text",
                    r.singular,
                    f.name
                ),
                Some(
                    crate::catalog::writes::Shape::Ids(_)
                    | crate::catalog::writes::Shape::Refs(_)
                    | crate::catalog::writes::Shape::Renamed(_),
                ) => assert!(
                    matches!(f.ty, FieldType::Object | FieldType::Array),
                    "{}.{}: ids inside a value need an object or a list of them",
                    r.singular,
                    f.name
                ),
                None => {}
            }
        }
        // A create's default is declared only for what the create does not
        // take, and an operation can change.
        for f in r.fields.iter().filter(|f| f.created_as.is_some()) {
            assert!(
                !w.created_with(f.name) && w.changed_by(f.name).is_some(),
                "{}.{}: a default of the create for a field it takes, or no operation changes",
                r.singular,
                f.name
            );
        }
        if let Deletion::By(op) = w.delete {
            assert!(
                ["Delete", "Disassociate", "Release"]
                    .iter()
                    .any(|p| op.name().starts_with(p)),
                "{}: {op} does not delete",
                r.singular
            );
        }
        if w.tags {
            assert!(
                r.field("tags").is_some(),
                "{}: tags without a field",
                r.singular
            );
        }
        // Every property CloudFormation can change has a path, or a
        // listed reason (resources without a write side yet are listed in
        // the README, not here).
        if w.create.is_none() && w.updates.is_empty() {
            continue;
        }
        for f in r.fields {
            // The place an item lives is where it is created, not a property.
            let place = f.name == "region" || f.name == "instance_arn";
            let changeable = f.cfn.is_some() && !f.read_only && !f.create_only && !place;
            let key = format!("{}.{}", r.singular, f.name);
            let has_path = w.changed_by(f.name).is_some();
            let gap = GAPS.iter().any(|(k, _)| *k == key);
            if changeable && !has_path && !gap {
                missing.push(key.clone());
            }
            assert!(
                !(has_path && gap),
                "{key} is listed as a gap but has a path"
            );
        }
    }
    assert!(
        missing.is_empty(),
        "CloudFormation can change these, but no operation in the catalog does: {missing:?}"
    );
    for (key, _) in GAPS {
        let (resource, field) = key.split_once('.').unwrap();
        let r = RESOURCE_TYPES.iter().find(|r| r.singular == resource);
        assert!(
            r.is_some_and(|r| r.field(field).is_some()),
            "the gap {key} names no field"
        );
    }
}

#[test]
fn references_are_declared_and_name_real_resources() {
    for r in RESOURCE_TYPES {
        let mut own = Vec::new();
        for f in r.fields {
            let key = format!("{}.{}", r.singular, f.name);
            let reference = f.reference;
            // A name that says ARN must say what the ARN names.
            if f.name == "arn" || f.name.ends_with("_arn") || f.name.ends_with("_arns") {
                assert_ne!(reference, Reference::Nothing, "{key} declares no reference");
            }
            match reference {
                Reference::Arns(_) => assert_eq!(f.ty, FieldType::Array, "{key}: a list"),
                Reference::Nothing => {}
                _ => assert_eq!(f.ty, FieldType::String, "{key}: one value"),
            }
            if let Reference::Arn(kind) | Reference::Arns(kind) | Reference::Id(kind) = reference {
                let other = reference
                    .other()
                    .unwrap_or_else(|| panic!("{key} references `{kind}`, no resource"));
                assert_eq!(other.singular, kind, "{key}: the singular table name");
                if !matches!(reference, Reference::Id(_)) {
                    assert_ne!(other.arn, ArnForm::None, "{key}: `{kind}` has no ARN");
                }
            }
            if reference == Reference::Own {
                own.push(f.name);
            }
            for source in f.sources() {
                match source {
                    Source::InstanceArn => {
                        assert_eq!(reference, Reference::Instance, "{key}")
                    }
                    // The id-to-ARN reading and the declaration name the same kind.
                    Source::Member {
                        read: Read::IdToArn(kind),
                        ..
                    } => match reference {
                        Reference::Arn(_) => assert_eq!(
                            reference.other().unwrap().arn,
                            ArnForm::Instance(kind),
                            "{key}"
                        ),
                        other => panic!("{key} reads ids of `{kind}` but references {other:?}"),
                    },
                    Source::Member {
                        read: Read::IdsToArns(kind),
                        ..
                    } => match reference {
                        Reference::Arns(_) => assert_eq!(
                            reference.other().unwrap().arn,
                            ArnForm::Instance(kind),
                            "{key}"
                        ),
                        other => panic!("{key} reads ids of `{kind}` but references {other:?}"),
                    },
                    _ => {}
                }
            }
        }
        // The item's own ARN is its `arn_field`, declared once.
        assert!(own.len() <= 1, "{}: {own:?}", r.singular);
        if let Some(arn) = r.arn_field {
            assert_eq!(own, [arn], "{}", r.singular);
        }
    }
}

#[test]
fn select_methods_come_from_the_read_operations() {
    for t in TABLES.iter().filter(|t| !t.derived) {
        let r = t.resource;
        let methods: Vec<&Method> = t.methods().collect();
        let select = methods[0];
        assert_eq!(select.verb, SqlVerb::Select, "{}", t.id);
        assert_eq!(
            methods.iter().filter(|m| m.verb == SqlVerb::Select).count(),
            1,
            "{}",
            t.id
        );
        let (name, required): (_, &[&str]) = if t.plural {
            ("list_resources", &["region"])
        } else {
            ("get_resource", &["data__Identifier", "region"])
        };
        assert_eq!((select.name, select.required), (name, required), "{}", t.id);
        // Each table's example reads that table.
        assert!(
            select.example.contains(&format!("FROM {} ", t.id)),
            "{}: {}",
            t.id,
            select.example
        );
        let mut expected: Vec<Permission> = r
            .read_operations()
            .into_iter()
            .map(Permission::Call)
            .collect();
        if !expected.contains(&Permission::Call(Op::ListInstances)) {
            expected.push(Permission::Call(Op::ListInstances));
        }
        expected.extend(r.select.also);
        assert_eq!(select.permissions.as_ref(), expected.as_slice(), "{}", t.id);
        // The declared methods are the change ones.
        assert!(
            r.methods.iter().all(|m| m.verb != SqlVerb::Select),
            "{}",
            r.singular
        );
    }
    let instances = table("aws.connect.instances").unwrap();
    let names: Vec<&str> = instances.methods().map(|m| m.name).collect();
    assert_eq!(
        names,
        ["list_resources", "create_resource", "delete_resource"]
    );
}

#[test]
fn references_read_as_describe_shows_them() {
    let label = |table: &str, field: &str| {
        let t = super::table(table).unwrap();
        t.field(field).unwrap().reference.label(t.resource)
    };
    let l = |s: &str| Some(s.to_string());
    assert_eq!(
        label("aws.connect.queues", "hours_of_operation_arn"),
        l("hours_of_operation")
    );
    assert_eq!(
        label("aws.connect.users", "security_profile_arns"),
        l("[security_profile]")
    );
    assert_eq!(label("aws.connect.users", "instance_arn"), l("instance"));
    assert_eq!(
        label("aws.connect.users", "user_arn"),
        l("user (this item)")
    );
    assert_eq!(
        label(
            "aws.connect.security_profiles",
            "allowed_access_control_hierarchy_group_id"
        ),
        l("id of user_hierarchy_group")
    );
    assert_eq!(
        label("aws.connect.integration_associations", "integration_arn"),
        l("outside Connect")
    );
    assert_eq!(label("aws.connect.users", "username"), None);
}

#[test]
fn every_table_inside_an_instance_has_its_alias_beside_its_arn() {
    for r in RESOURCE_TYPES {
        let alias: Vec<usize> = (0..r.fields.len())
            .filter(|&i| matches!(r.fields[i].source, Source::InstanceAlias))
            .collect();
        if r.scope != Scope::Instance {
            assert!(alias.is_empty(), "{}", r.singular);
            continue;
        }
        let arn = r
            .fields
            .iter()
            .position(|f| f.reference == Reference::Instance)
            .unwrap_or_else(|| panic!("{} has no instance ARN", r.singular));
        assert_eq!(
            alias,
            [arn + 1],
            "{}: instance_alias beside the instance's ARN",
            r.singular
        );
        let f = &r.fields[arn + 1];
        assert_eq!(f.name, INSTANCE_ALIAS, "{}", r.singular);
        assert!(f.is_extra(), "{}", r.singular);
        assert_eq!(f.supplied_by(r), [Op::ListInstances], "{}", r.singular);
    }
}

#[test]
fn compared_kinds_match_by_a_field_and_mention_real_kinds() {
    let compared: Vec<&str> = compared_resources().map(|r| r.singular).collect();
    assert!(compared.contains(&"queue") && compared.contains(&"user"));
    assert!(!compared.contains(&"instance"), "{compared:?}");
    for r in RESOURCE_TYPES {
        if let Some(f) = r.matched_by {
            assert!(r.field(f).is_some(), "{}: matched_by {f}", r.singular);
            assert_eq!(r.scope, Scope::Instance, "{}", r.singular);
        }
        for f in r.fields {
            if let Compare::Mentions(kinds) = f.compare {
                for k in kinds {
                    assert!(resource_type(k).is_some(), "{}.{}: {k}", r.singular, f.name);
                }
            }
            // What names the item or where it was read is never compared.
            if r.matched_by.is_some()
                && [
                    REGION,
                    PROFILE,
                    ACCOUNT_ID,
                    INSTANCE_ARN,
                    INSTANCE_ALIAS,
                    "last_modified_time",
                    "last_modified_region",
                ]
                .contains(&f.name)
                || Some(f.name) == r.arn_field
                || f.name == r.id_field
            {
                assert!(!f.compared(r), "{}.{} is compared", r.singular, f.name);
            }
        }
    }
    // Users match by username, a queue's references are compared.
    let user = resource_type("user").unwrap();
    assert_eq!(user.matched_by, Some("username"));
    assert!(!user.field("username").unwrap().compared(user));
    let queue = resource_type("queue").unwrap();
    assert!(queue
        .field("hours_of_operation_arn")
        .unwrap()
        .compared(queue));
}
