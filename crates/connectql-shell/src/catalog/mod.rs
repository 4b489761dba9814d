//! The catalog: the one table every other part reads.
//!
//! It mirrors StackQL's AWS provider — for each CloudFormation type
//! `AWS::Connect::X` a singular table (`aws.connect.user`: get by
//! identifier) and a plural one (`aws.connect.users`: list), with the
//! CloudFormation properties as snake_case fields, the methods with their
//! required params and IAM permissions — and adds what a shell needs to
//! be fast and honest:
//!
//! * for each field, **which Connect call supplies it and how to read it**
//!   from that call's answer ([`Source`], [`Read`]), so the planner makes
//!   only the calls a statement needs and chooses the cheapest (Search over
//!   List + Describe, the largest page);
//! * which fields Connect can filter on server-side ([`SearchKey`]), so
//!   simple predicates become SearchCriteria;
//! * read-only / create-only / write-only flags and the CloudFormation
//!   property name, so changes are checked before any call and a test can
//!   compare the catalog with AWS's CloudFormation schemas.
//!
//! Operations live in one table too ([`operations`]): name, IAM action,
//! page size, rate. Adding a resource is adding one entry in
//! `resources/`, its wire mapping in `connect_api`, and its data in the
//! local endpoint.

/// The operation table, a crate of its own (`crates/connect-operations`) shared
/// with the local endpoint.
pub use connect_operations as operations;
pub mod derived;
mod resources;
pub mod writes;

use std::borrow::Cow;
use std::sync::LazyLock;

use serde_json::Value;

pub use operations::{Op, Operation, OPERATIONS};
pub use resources::{instance::ATTRIBUTES, Attribute};

/// The provider and service every resource lives under.
pub const PROVIDER: &str = "aws";
pub const SERVICE: &str = "connect";
pub const SERVICE_PATH: &str = "aws.connect";

/// The role a read call plays for a resource's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Call {
    /// List*: small summaries, large pages.
    List,
    /// Search*: whole objects, server-side criteria.
    Search,
    /// Describe*: one whole object per call.
    Describe,
}

/// Which calls return a member (the reference's `[L S D]`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Calls {
    pub list: bool,
    pub search: bool,
    pub describe: bool,
}

impl Calls {
    pub const fn has(self, call: Call) -> bool {
        match call {
            Call::List => self.list,
            Call::Search => self.search,
            Call::Describe => self.describe,
        }
    }
}

const fn calls(list: bool, search: bool, describe: bool) -> Calls {
    Calls {
        list,
        search,
        describe,
    }
}
pub const L: Calls = calls(true, false, false);
pub const S: Calls = calls(false, true, false);
pub const D: Calls = calls(false, false, true);
pub const LD: Calls = calls(true, false, true);
pub const SD: Calls = calls(false, true, true);
pub const LSD: Calls = calls(true, true, true);

/// What the rows of one answer know about where they come from.
#[derive(Debug, Clone, Copy)]
pub struct RowContext<'a> {
    pub region: &'a str,
    /// The AWS profile the row was read with (NULL when the session uses
    /// explicit credentials rather than a profile).
    pub profile: Option<&'a str>,
    /// The instance the row belongs to (instance-scoped resources).
    pub instance_arn: Option<&'a str>,
    /// That instance's alias, when the instances were listed.
    pub instance_alias: Option<&'a str>,
}

/// How a value is read from an answer.
#[derive(Clone, Copy)]
pub enum Read {
    /// As the API returns it.
    AsIs,
    /// Epoch seconds → ISO-8601 UTC (`2026-11-26T19:54:36Z`).
    Time,
    /// A string→string map → `[{"Key":..,"Value":..}]` sorted by Key.
    Tags,
    /// An id → the ARN `<instance ARN>/<kind>/<id>`.
    IdToArn(&'static str),
    /// A list of ids → their ARNs.
    IdsToArns(&'static str),
    /// A list of objects → the list of their `member` values.
    Pluck(&'static str),
    /// A resource-specific reshaping into the CloudFormation shape.
    Reshape(fn(&Value, &RowContext<'_>) -> Value),
}

impl std::fmt::Debug for Read {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Read::AsIs => f.write_str("AsIs"),
            Read::Time => f.write_str("Time"),
            Read::Tags => f.write_str("Tags"),
            Read::IdToArn(k) => write!(f, "IdToArn({k})"),
            Read::IdsToArns(k) => write!(f, "IdsToArns({k})"),
            Read::Pluck(m) => write!(f, "Pluck({m})"),
            Read::Reshape(_) => f.write_str("Reshape"),
        }
    }
}

impl Read {
    /// Applies the reading to one value (`Null` stays `Null`).
    pub fn apply(self, value: &Value, ctx: &RowContext<'_>) -> Value {
        if value.is_null() {
            return Value::Null;
        }
        match self {
            Read::AsIs => value.clone(),
            Read::Time => iso_time(value),
            Read::Tags => tags_array(value),
            Read::IdToArn(kind) => match (value.as_str(), ctx.instance_arn) {
                (Some(id), Some(instance)) => Value::String(child_arn(instance, kind, id)),
                _ => Value::Null,
            },
            Read::IdsToArns(kind) => match (value.as_array(), ctx.instance_arn) {
                (Some(ids), Some(instance)) => Value::Array(
                    ids.iter()
                        .filter_map(Value::as_str)
                        .map(|id| Value::String(child_arn(instance, kind, id)))
                        .collect(),
                ),
                _ => Value::Null,
            },
            Read::Pluck(member) => match value.as_array() {
                Some(items) => Value::Array(
                    items
                        .iter()
                        .filter_map(|i| i.get(member).cloned())
                        .collect(),
                ),
                None => Value::Null,
            },
            Read::Reshape(f) => f(value, ctx),
        }
    }
}

/// The ARN of something inside an instance: `<instance ARN>/<kind>/<id>`.
pub fn child_arn(instance_arn: &str, kind: &str, id: &str) -> String {
    format!("{instance_arn}/{kind}/{id}")
}

/// Epoch seconds (a JSON number) as ISO-8601 UTC at second precision.
pub fn iso_time(value: &Value) -> Value {
    let Some(secs) = value.as_f64() else {
        return value.clone();
    };
    match time::OffsetDateTime::from_unix_timestamp(secs.floor() as i64) {
        Ok(t) => t
            .format(&time::format_description::well_known::Rfc3339)
            .map(Value::String)
            .unwrap_or(Value::Null),
        Err(_) => Value::Null,
    }
}

/// A tag map as the CloudFormation array `[{"Key":..,"Value":..}]`, sorted.
pub fn tags_array(value: &Value) -> Value {
    match value.as_object() {
        Some(map) => {
            let mut pairs: Vec<(&String, &Value)> = map.iter().collect();
            pairs.sort_by(|a, b| a.0.cmp(b.0));
            Value::Array(
                pairs
                    .into_iter()
                    .map(|(k, v)| serde_json::json!({"Key": k, "Value": v}))
                    .collect(),
            )
        }
        None => value.clone(),
    }
}

/// A test on a member of an item, e.g. `InstanceStatus = ACTIVE`.
#[derive(Debug, Clone, Copy)]
pub struct Condition {
    pub member: &'static str,
    pub equals: &'static [&'static str],
}

impl Condition {
    pub fn holds(&self, item: &Value) -> bool {
        item.get(self.member)
            .and_then(Value::as_str)
            .is_some_and(|v| self.equals.contains(&v))
    }
}

/// Where a field's value comes from.
#[derive(Debug, Clone, Copy)]
pub enum Source {
    /// The region the request went to.
    Region,
    /// The AWS profile the request was made with.
    Profile,
    /// The 12-digit account of the row, from its ARN (or its instance's).
    Account,
    /// The ARN of the instance the row belongs to.
    InstanceArn,
    /// The alias of the instance the row belongs to (from ListInstances).
    InstanceAlias,
    /// A member of the item these calls return.
    Member {
        calls: Calls,
        member: &'static str,
        read: Read,
    },
    /// A per-item call — a sub-listing (every page) or a single answer —
    /// made only when the field is referenced, and only for items where
    /// `when` holds. It takes the item's id, or the value of field `key`.
    SubListing {
        op: Op,
        read: Read,
        when: Option<Condition>,
        key: Option<&'static str>,
    },
    /// An instance-level listing (every page, once per instance) joined to
    /// the rows whose ARN or id equals its items' `key` member.
    Joined {
        op: Op,
        key: &'static str,
        value: &'static str,
        read: Read,
    },
    /// No read operation returns it (write-only in CloudFormation).
    Unavailable(&'static str),
}

/// How a field is stored in the relational engine and rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    String,
    Integer,
    Number,
    Boolean,
    /// A JSON object (rendered nested in json output).
    Object,
    /// A JSON array (rendered nested in json output).
    Array,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Number => "number",
            FieldType::Boolean => "boolean",
            FieldType::Object => "object",
            FieldType::Array => "array",
        }
    }
    /// Declared column type in SQLite. `JSON` and `BOOLEAN` let the output
    /// layer find those columns again through `sqlite3_column_decltype`.
    pub fn sql_decl(self) -> &'static str {
        match self {
            FieldType::String => "TEXT",
            FieldType::Integer => "INTEGER",
            FieldType::Number => "REAL",
            FieldType::Boolean => "BOOLEAN",
            FieldType::Object | FieldType::Array => "JSON",
        }
    }
    pub fn is_json(self) -> bool {
        matches!(self, FieldType::Object | FieldType::Array)
    }
}

/// How a pushed-down value is turned into a SearchCriteria value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchValue {
    /// The value as written.
    AsIs,
    /// The field holds ARNs, Connect searches by id: the ARN's last part.
    IdOfArn,
}

/// A field Connect's Search* can filter on (a StringCondition FieldName).
#[derive(Debug, Clone, Copy)]
pub struct SearchKey {
    pub field_name: &'static str,
    pub value: SearchValue,
    /// CONTAINS is accepted (Connect limits it to 2..25 characters).
    pub contains: bool,
}

/// A StringCondition comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    Exact,
    StartsWith,
    Contains,
}

impl Comparison {
    pub fn wire(self) -> &'static str {
        match self {
            Comparison::Exact => "EXACT",
            Comparison::StartsWith => "STARTS_WITH",
            Comparison::Contains => "CONTAINS",
        }
    }
}

/// Connect's SearchCriteria, as far as connectql pushes predicates into it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Criteria {
    And(Vec<Criteria>),
    Or(Vec<Criteria>),
    String {
        field_name: &'static str,
        value: String,
        comparison: Comparison,
    },
}

impl Criteria {
    /// The criteria as Connect's JSON (for EXPLAIN and cache keys).
    pub fn to_json(&self) -> Value {
        match self {
            Criteria::And(c) => {
                serde_json::json!({"AndConditions": c.iter().map(Criteria::to_json).collect::<Vec<_>>()})
            }
            Criteria::Or(c) => {
                serde_json::json!({"OrConditions": c.iter().map(Criteria::to_json).collect::<Vec<_>>()})
            }
            Criteria::String {
                field_name,
                value,
                comparison,
            } => serde_json::json!({"StringCondition": {
                "FieldName": field_name, "Value": value, "ComparisonType": comparison.wire()
            }}),
        }
    }
}

/// What a field's value names. Declared, not guessed from the field's
/// name: ARN joins and ARN predicates read it (a Connect ARN names its
/// region and instance), changes resolve names written in place of ARNs
/// with it, DESCRIBE EXTENDED shows it. Other resources are named by their
/// singular table name (`queue`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reference {
    /// A plain value.
    Nothing,
    /// The item's own ARN.
    Own,
    /// The ARN of the instance the item belongs to.
    Instance,
    /// The ARN of an item of another resource.
    Arn(&'static str),
    /// A list of ARNs of items of another resource.
    Arns(&'static str),
    /// The id of an item of another resource.
    Id(&'static str),
    /// An ARN of something outside Connect (a Lambda function, a Lex
    /// bot...): it names no Connect item, so it bounds no region or instance.
    Outside,
}

impl Reference {
    /// The other resource named (by ARN, ARNs or id).
    pub fn other(self) -> Option<&'static ResourceType> {
        match self {
            Reference::Arn(kind) | Reference::Arns(kind) | Reference::Id(kind) => {
                resource_type(kind)
            }
            Reference::Instance => Some(instance_resource()),
            Reference::Nothing | Reference::Own | Reference::Outside => None,
        }
    }

    /// The value is one Connect ARN (the item's own, its instance's or
    /// another item's), which names the item's region and instance.
    pub fn is_connect_arn(self) -> bool {
        matches!(
            self,
            Reference::Own | Reference::Instance | Reference::Arn(_)
        )
    }

    /// How DESCRIBE EXTENDED shows it: `queue`, `[security_profile]`,
    /// `id of user_hierarchy_group`; `None` for plain values.
    pub fn label(self, resource: &ResourceType) -> Option<String> {
        match self {
            Reference::Nothing => None,
            Reference::Own => Some(format!("{} (this item)", resource.singular)),
            Reference::Instance => Some(instance_resource().singular.to_string()),
            Reference::Arn(kind) => Some(kind.to_string()),
            Reference::Arns(kind) => Some(format!("[{kind}]")),
            Reference::Id(kind) => Some(format!("id of {kind}")),
            Reference::Outside => Some("outside Connect".to_string()),
        }
    }
}

/// Whether two instances' values of a field are compared by
/// `aws.connect.instance_differences` (`differences.rs`), and what
/// references hide inside a JSON value. The fields naming the item itself
/// (its id, ARN and matching name) are never compared; nor are those that
/// cannot be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// Compared, references mapped by the field's [`Reference`].
    Compared,
    /// Changes by itself (where it was read, when it last changed): never
    /// a difference.
    Ignored,
    /// Compared; its JSON value holds ARNs or ids of items of these kinds
    /// (their singular names), mapped to those items' names.
    Mentions(&'static [&'static str]),
    /// Compared; a flow's content, which may name an item of any kind
    /// compared.
    Content,
}

/// One field: a column of the resource's tables.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub description: &'static str,
    /// The CloudFormation property; `None` marks connectql's read-only extras.
    pub cfn: Option<&'static str>,
    pub required: bool,
    pub read_only: bool,
    pub create_only: bool,
    pub write_only: bool,
    /// Where the value comes from.
    pub source: Source,
    /// Other places it comes from, tried after `source`.
    pub alternatives: &'static [Source],
    pub search: Option<SearchKey>,
    /// JSON paths inside a JSON column (`.FirstName`, `[0].Day`), for completion.
    pub json_paths: &'static [&'static str],
    /// Extra explanation shown by DESCRIBE.
    pub note: Option<&'static str>,
    /// What the value names (another item, the instance...).
    pub reference: Reference,
    /// How the value goes into a request when its read does not say
    /// (`catalog/writes.rs`).
    pub written: Option<&'static writes::Shape>,
    /// Whether instance differences compare it.
    pub compare: Compare,
    /// Members of its JSON value that change by themselves (a nested
    /// modification time, a sub-item's own id): left out when compared.
    pub ignored_members: &'static [&'static str],
    /// The mirror of this field of the items of its own kind it lists (a
    /// parent hours' children: each child's `parent_hours_of_operations`):
    /// it changes when they do, and by nothing else.
    pub follows: Option<&'static str>,
    /// What a new item has when its create does not take the field
    /// (Connect's default: a new queue is `ENABLED`); a copy does not set
    /// it to that again.
    pub created_as: Option<&'static str>,
}

impl Field {
    pub const fn new(name: &'static str, ty: FieldType, description: &'static str) -> Field {
        Field {
            name,
            ty,
            description,
            cfn: None,
            required: false,
            read_only: false,
            create_only: false,
            write_only: false,
            source: Source::Unavailable("not returned by any read operation"),
            alternatives: &[],
            search: None,
            json_paths: &[],
            note: None,
            reference: Reference::Nothing,
            written: None,
            compare: Compare::Compared,
            ignored_members: &[],
            follows: None,
            created_as: None,
        }
    }
    pub const fn text(name: &'static str, description: &'static str) -> Field {
        Field::new(name, FieldType::String, description)
    }
    /// The request's region (an extra of every resource).
    pub const fn region() -> Field {
        Field::text(REGION, "AWS region.")
            .from(Source::Region)
            .not_compared()
    }
    /// The AWS profile the row was read with (an extra of every resource;
    /// also the `profile` param that chooses the accounts to read).
    pub const fn profile() -> Field {
        Field::text(
            PROFILE,
            "The AWS profile the row was read with (its credentials choose the account).",
        )
        .from(Source::Profile)
        .not_compared()
    }
    /// The account a row belongs to, from its ARN (an extra of every resource).
    pub const fn account_id() -> Field {
        Field::text(
            ACCOUNT_ID,
            "The 12-digit AWS account id the item belongs to (from its ARN).",
        )
        .from(Source::Account)
        .not_compared()
    }
    /// The instance an item belongs to, for resources whose CloudFormation
    /// type has no such property (an extra).
    pub const fn instance_arn_extra() -> Field {
        Field::text(
            INSTANCE_ARN,
            "The Amazon Resource Name (ARN) of the instance the item was read from.",
        )
        .from(Source::InstanceArn)
    }
    /// The instance an item belongs to.
    pub const fn instance_arn() -> Field {
        Field::text(
            INSTANCE_ARN,
            "The Amazon Resource Name (ARN) of the instance.",
        )
        .cfn("InstanceArn")
        .required()
        .from(Source::InstanceArn)
    }
    /// The alias of the instance an item belongs to (an extra of every
    /// resource inside an instance, declared beside its instance's ARN).
    pub const fn instance_alias() -> Field {
        Field::text(
            INSTANCE_ALIAS,
            "The alias of the instance the item belongs to (from ListInstances).",
        )
        .from(Source::InstanceAlias)
        .not_compared()
    }
    /// The last modification time, read-only extra.
    pub const fn last_modified_time(calls: Calls) -> Field {
        Field::text(
            "last_modified_time",
            "The timestamp when this resource was last modified.",
        )
        .from_member(calls, "LastModifiedTime", Read::Time)
        .note("ISO-8601 UTC")
        .not_compared()
    }
    pub const fn last_modified_region(calls: Calls) -> Field {
        Field::text(
            "last_modified_region",
            "The Amazon Web Services Region where this resource was last modified.",
        )
        .from_member(calls, "LastModifiedRegion", Read::AsIs)
        .not_compared()
    }
    pub const fn tags(calls: Calls) -> Field {
        Field::new(
            "tags",
            FieldType::Array,
            "An array of key-value pairs to apply to this resource.",
        )
        .cfn("Tags")
        .from_member(calls, "Tags", Read::Tags)
        .paths(&["[0].Key", "[0].Value"])
        .note("JSON array [{\"Key\":..,\"Value\":..}] sorted by Key")
    }
    pub const fn cfn(mut self, property: &'static str) -> Field {
        self.cfn = Some(property);
        self
    }
    pub const fn required(mut self) -> Field {
        self.required = true;
        self
    }
    pub const fn read_only(mut self) -> Field {
        self.read_only = true;
        self
    }
    pub const fn create_only(mut self) -> Field {
        self.create_only = true;
        self
    }
    pub const fn write_only(mut self) -> Field {
        self.write_only = true;
        self
    }
    pub const fn from(mut self, source: Source) -> Field {
        // The instance's ARN needs no separate declaration, and differs
        // between any two instances.
        if let Source::InstanceArn = source {
            self.reference = Reference::Instance;
            self.compare = Compare::Ignored;
        }
        self.source = source;
        self
    }
    /// What the value names (see [`Reference`]).
    pub const fn refers_to(mut self, reference: Reference) -> Field {
        self.reference = reference;
        self
    }
    /// The item's own ARN.
    pub const fn own_arn(self) -> Field {
        self.refers_to(Reference::Own)
    }
    /// The ARN of an item of the resource `kind` (its singular table name).
    pub const fn arn_of(self, kind: &'static str) -> Field {
        self.refers_to(Reference::Arn(kind))
    }
    /// A list of ARNs of items of the resource `kind`.
    pub const fn arns_of(self, kind: &'static str) -> Field {
        self.refers_to(Reference::Arns(kind))
    }
    /// The id of an item of the resource `kind`.
    pub const fn id_of(self, kind: &'static str) -> Field {
        self.refers_to(Reference::Id(kind))
    }
    /// An ARN outside Connect.
    pub const fn outside_arn(self) -> Field {
        self.refers_to(Reference::Outside)
    }
    /// The common case: one member of the items of `calls`.
    pub const fn from_member(self, calls: Calls, member: &'static str, read: Read) -> Field {
        self.from(Source::Member {
            calls,
            member,
            read,
        })
    }
    /// Other places the value can come from (a member named differently
    /// in another call's answer), tried after the main source.
    pub const fn or(mut self, alternatives: &'static [Source]) -> Field {
        self.alternatives = alternatives;
        self
    }
    pub const fn search(mut self, field_name: &'static str) -> Field {
        self.search = Some(SearchKey {
            field_name,
            value: SearchValue::AsIs,
            contains: false,
        });
        self
    }
    /// Searchable by name/description CONTAINS too.
    pub const fn search_text(mut self, field_name: &'static str) -> Field {
        self.search = Some(SearchKey {
            field_name,
            value: SearchValue::AsIs,
            contains: true,
        });
        self
    }
    pub const fn search_by_id(mut self, field_name: &'static str) -> Field {
        self.search = Some(SearchKey {
            field_name,
            value: SearchValue::IdOfArn,
            contains: false,
        });
        self
    }
    pub const fn paths(mut self, paths: &'static [&'static str]) -> Field {
        self.json_paths = paths;
        self
    }
    pub const fn note(mut self, note: &'static str) -> Field {
        self.note = Some(note);
        self
    }
    pub const fn written(mut self, shape: &'static writes::Shape) -> Field {
        self.written = Some(shape);
        self
    }
    /// Changes by itself: never a difference between instances.
    pub const fn not_compared(mut self) -> Field {
        self.compare = Compare::Ignored;
        self
    }
    /// Its JSON value holds ARNs or ids of items of these kinds.
    pub const fn mentions(mut self, kinds: &'static [&'static str]) -> Field {
        self.compare = Compare::Mentions(kinds);
        self
    }
    /// Members of its JSON value that change by themselves.
    pub const fn ignoring(mut self, members: &'static [&'static str]) -> Field {
        self.ignored_members = members;
        self
    }
    /// The mirror of `field` of the items it lists (see [`Field::follows`]).
    pub const fn follows(mut self, field: &'static str) -> Field {
        self.follows = Some(field);
        self
    }
    /// Connect's value of it on a new item (see [`Field::created_as`]).
    pub const fn created_as(mut self, value: &'static str) -> Field {
        self.created_as = Some(value);
        self
    }
    /// A flow's content: may name an item of any kind.
    pub const fn content(mut self) -> Field {
        self.compare = Compare::Content;
        self
    }

    /// Whether instance differences compare the field of `resource`: not
    /// the item's own id, ARN or matching name, not one no call returns,
    /// not one declared [`Compare::Ignored`].
    pub fn compared(&self, resource: &ResourceType) -> bool {
        let identity = [
            Some(resource.id_field),
            resource.arn_field,
            resource.matched_by,
        ]
        .into_iter()
        .flatten()
        .any(|f| f == self.name);
        !identity
            && self.compare != Compare::Ignored
            && self.reference != Reference::Own
            && !matches!(self.source, Source::Unavailable(_))
    }

    /// Every source, the main one first.
    pub fn sources(&self) -> impl Iterator<Item = &Source> {
        std::iter::once(&self.source).chain(self.alternatives.iter())
    }

    /// True for connectql's extras (no CloudFormation property).
    pub fn is_extra(&self) -> bool {
        self.cfn.is_none() && self.name != REGION
    }

    /// The calls that can supply the field (for DESCRIBE and permissions).
    pub fn supplied_by(&self, resource: &ResourceType) -> Vec<Op> {
        let mut out = Vec::new();
        for s in self.sources() {
            match s {
                Source::Member { calls, .. } => {
                    for (call, op) in resource.read_calls() {
                        if calls.has(call) && !out.contains(&op) {
                            out.push(op);
                        }
                    }
                }
                Source::SubListing { op, .. } | Source::Joined { op, .. } if !out.contains(op) => {
                    out.push(*op)
                }
                Source::InstanceAlias if !out.contains(&Op::ListInstances) => {
                    out.push(Op::ListInstances)
                }
                _ => {}
            }
        }
        out
    }
}

/// The SQL verb a method is reached by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlVerb {
    Select,
    Insert,
    Update,
    Delete,
}

impl SqlVerb {
    pub fn name(self) -> &'static str {
        match self {
            SqlVerb::Select => "SELECT",
            SqlVerb::Insert => "INSERT",
            SqlVerb::Update => "UPDATE",
            SqlVerb::Delete => "DELETE",
        }
    }
}

/// An IAM permission a method needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// A Connect operation (its IAM action comes from the operation table).
    Call(Op),
    /// An action of another service (`ds:DescribeDirectories`...).
    Other(&'static str),
}

impl Permission {
    pub fn action(self) -> String {
        match self {
            Permission::Call(op) => op.iam_action(),
            Permission::Other(a) => a.to_string(),
        }
    }
}

#[derive(Debug)]
pub struct Method {
    pub name: &'static str,
    pub verb: SqlVerb,
    /// On the plural table (list, create, delete) or the singular one.
    pub plural: bool,
    /// Required params, in StackQL's spelling.
    pub required: &'static [&'static str],
    /// Declared for the change methods, derived for the SELECT ones.
    pub permissions: Cow<'static, [Permission]>,
    /// A statement that calls the method correctly, shown in errors.
    pub example: &'static str,
}

impl Method {
    pub fn permission_actions(&self) -> Vec<String> {
        self.permissions.iter().map(|p| p.action()).collect()
    }

    /// A resource's SELECT method, from its read operations: StackQL's
    /// get_resource on the singular table (by identifier), list_resources
    /// on the plural one. Both may make every read call of the resource,
    /// and ListInstances to find the instances.
    fn select(resource: &ResourceType, plural: bool) -> Method {
        let mut permissions: Vec<Permission> = resource
            .read_operations()
            .into_iter()
            .map(Permission::Call)
            .collect();
        if !permissions.contains(&Permission::Call(Op::ListInstances)) {
            permissions.push(Permission::Call(Op::ListInstances));
        }
        permissions.extend(resource.select.also);
        let (name, required, example): (_, &'static [&'static str], _) = if plural {
            ("list_resources", &[REGION], resource.select.list_example)
        } else {
            (
                "get_resource",
                &[IDENTIFIER, REGION],
                resource.select.get_example,
            )
        };
        Method {
            name,
            verb: SqlVerb::Select,
            plural,
            required,
            permissions: Cow::Owned(permissions),
            example,
        }
    }
}

impl Method {
    /// The SELECT of `aws.connect.instance_differences`: every read of
    /// the kinds it compares, in both instances.
    fn differences() -> Method {
        let mut permissions = vec![Permission::Call(Op::ListInstances)];
        for r in compared_resources() {
            for op in r.read_operations() {
                if !permissions.contains(&Permission::Call(op)) {
                    permissions.push(Permission::Call(op));
                }
            }
        }
        Method {
            name: "list_resources",
            verb: SqlVerb::Select,
            plural: true,
            required: &[derived::SOURCE_INSTANCE, derived::TARGET_INSTANCE],
            permissions: Cow::Owned(permissions),
            example: derived::INSTANCE_DIFFERENCES.select.list_example,
        }
    }
}

/// What a resource's SELECT methods need beyond its read calls.
#[derive(Debug)]
pub struct SelectMethods {
    /// Statements that call get_resource and list_resources correctly,
    /// shown in errors and help.
    pub get_example: &'static str,
    pub list_example: &'static str,
    /// Permissions of other services CloudFormation's handlers ask for
    /// (`ds:DescribeDirectories` for instances), which StackQL lists.
    pub also: &'static [Permission],
}

impl SelectMethods {
    pub const fn new(get_example: &'static str, list_example: &'static str) -> SelectMethods {
        SelectMethods {
            get_example,
            list_example,
            also: &[],
        }
    }
    pub const fn also(mut self, permissions: &'static [Permission]) -> SelectMethods {
        self.also = permissions;
        self
    }
}

/// The form of a resource's own ARN.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArnForm {
    /// `arn:aws:connect:REGION:ACCOUNT:<kind>/ID` (instances, phone numbers).
    Account(&'static str),
    /// `arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE/<kind>/ID`.
    Instance(&'static str),
    /// No ARN a statement can name it by.
    None,
}

/// A List operation that takes one value of an enum per call: the listing
/// is one call (all pages) per value, and the value is a field.
#[derive(Debug, Clone, Copy)]
pub struct ListOver {
    /// The field holding the value (its source reads `member`).
    pub field: &'static str,
    /// The member the executor adds to each item with the value.
    pub member: &'static str,
    pub values: &'static [&'static str],
}

/// Where a resource lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Directly in an account's region (instances).
    Account,
    /// Inside an instance: calls take the instance id.
    Instance,
}

/// One CloudFormation type and everything connectql knows about it.
#[derive(Debug)]
pub struct ResourceType {
    /// Table names: `user` / `users`.
    pub singular: &'static str,
    pub plural: &'static str,
    pub cfn_type: &'static str,
    pub description: &'static str,
    pub scope: Scope,
    pub arn: ArnForm,
    /// Fields holding the item's id, ARN and name (by field name).
    pub id_field: &'static str,
    pub arn_field: Option<&'static str>,
    pub name_field: &'static str,
    pub list: Option<Op>,
    pub search: Option<Op>,
    pub describe: Option<Op>,
    pub fields: &'static [Field],
    /// The SELECT methods' examples; the methods themselves come from the
    /// read operations ([`Table::methods`]).
    pub select: SelectMethods,
    /// The change methods (INSERT, UPDATE, DELETE), in StackQL's names.
    pub methods: &'static [Method],
    /// Items are cached only while this holds (settled states).
    pub cache_when: Option<Condition>,
    /// The List operation is one call per value of an enum.
    pub list_over: Option<ListOver>,
    /// What creates, changes and deletes an item (`catalog/writes.rs`).
    pub writes: &'static writes::Writes,
    /// The field that matches an item of one instance with the same item
    /// of another (Connect's unique name per kind: `username` for users);
    /// `None`: not compared by `aws.connect.instance_differences`.
    pub matched_by: Option<&'static str>,
}

impl ResourceType {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
    pub fn field_index(&self, name: &str) -> Option<usize> {
        self.fields
            .iter()
            .position(|f| f.name.eq_ignore_ascii_case(name))
    }
    /// The read calls this resource has, with their operations.
    pub fn read_calls(&self) -> Vec<(Call, Op)> {
        [
            (Call::List, self.list),
            (Call::Search, self.search),
            (Call::Describe, self.describe),
        ]
        .into_iter()
        .filter_map(|(c, op)| op.map(|op| (c, op)))
        .collect()
    }
    pub fn op_for(&self, call: Call) -> Option<Op> {
        match call {
            Call::List => self.list,
            Call::Search => self.search,
            Call::Describe => self.describe,
        }
    }
    /// Every operation a SELECT on this resource may make.
    pub fn read_operations(&self) -> Vec<Op> {
        let mut ops: Vec<Op> = self.read_calls().into_iter().map(|(_, op)| op).collect();
        for f in self.fields {
            for s in f.sources() {
                if let Source::SubListing { op, .. } | Source::Joined { op, .. } = s {
                    if !ops.contains(op) {
                        ops.push(*op);
                    }
                }
            }
        }
        ops
    }
    pub fn method(&self, verb: SqlVerb, plural: bool) -> Option<&'static Method> {
        TABLES
            .iter()
            .find(|t| std::ptr::eq(t.resource, self) && t.plural == plural)?
            .method_for(verb)
    }
    /// CloudFormation properties a change may set (not read-only).
    pub fn writable_properties(&self) -> impl Iterator<Item = &'static Field> {
        self.fields
            .iter()
            .filter(|f| f.cfn.is_some() && !f.read_only)
    }
}

/// One SQL table: a resource type seen singular or plural.
#[derive(Debug)]
pub struct Table {
    /// Fully qualified name, e.g. `aws.connect.users`.
    pub id: String,
    /// The last part of the name, e.g. `users`.
    pub name: &'static str,
    pub resource: &'static ResourceType,
    pub plural: bool,
    /// The SELECT method (get_resource or list_resources).
    select: Method,
    /// Computed from other tables' reads, not read from Connect
    /// ([`derived`]).
    pub derived: bool,
}

impl Table {
    pub fn fields(&self) -> &'static [Field] {
        self.resource.fields
    }
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.resource.field(name)
    }
    /// The SELECT method, then the resource's change methods on this table.
    pub fn methods(&self) -> impl Iterator<Item = &Method> + '_ {
        std::iter::once(&self.select).chain(
            self.resource
                .methods
                .iter()
                .filter(move |m| m.plural == self.plural),
        )
    }
    pub fn method_for(&self, verb: SqlVerb) -> Option<&Method> {
        self.methods().find(|m| m.verb == verb)
    }
    pub fn description(&self) -> String {
        if self.derived {
            self.resource.description.to_string()
        } else if self.plural {
            format!(
                "Lists {} (StackQL list_resources), use {} to read one by identifier.",
                self.resource.plural, self.resource.singular
            )
        } else {
            format!(
                "Gets an individual {} (StackQL get_resource), use {} to list them.",
                self.resource.singular, self.resource.plural
            )
        }
    }
}

/// Every resource type, in the order SHOW RESOURCES lists them.
pub static RESOURCE_TYPES: &[&ResourceType] = resources::ALL;

/// Every table: singular then plural per resource type, then the derived
/// tables.
pub static TABLES: LazyLock<Vec<Table>> = LazyLock::new(|| {
    let mut tables: Vec<Table> = RESOURCE_TYPES
        .iter()
        .flat_map(|r| {
            [(r.singular, false), (r.plural, true)].map(|(name, plural)| Table {
                id: format!("{SERVICE_PATH}.{name}"),
                name,
                resource: r,
                plural,
                select: Method::select(r, plural),
                derived: false,
            })
        })
        .collect();
    let differences = &derived::INSTANCE_DIFFERENCES;
    tables.push(Table {
        id: format!("{SERVICE_PATH}.{}", differences.plural),
        name: differences.plural,
        resource: differences,
        plural: true,
        select: Method::differences(),
        derived: true,
    });
    tables
});

/// The resource types `aws.connect.instance_differences` compares, in
/// the catalog's order.
pub fn compared_resources() -> impl Iterator<Item = &'static ResourceType> {
    RESOURCE_TYPES
        .iter()
        .copied()
        .filter(|r| r.matched_by.is_some())
}

/// The instances' resource type (instance-scoped resources are read per instance).
pub fn instance_resource() -> &'static ResourceType {
    &resources::instance::INSTANCE
}

/// Looks a table up by its qualified name (case-insensitive).
pub fn table(id: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.id.eq_ignore_ascii_case(id))
}

/// The resource type named by a singular or plural table name.
pub fn resource_type(name: &str) -> Option<&'static ResourceType> {
    RESOURCE_TYPES
        .iter()
        .copied()
        .find(|r| r.singular.eq_ignore_ascii_case(name) || r.plural.eq_ignore_ascii_case(name))
}

/// Statement-only params (not columns): the name, its accepted synonyms and
/// what it takes.
#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    pub synonyms: &'static [&'static str],
    pub description: &'static str,
}

pub const IDENTIFIER: &str = "data__Identifier";
pub const PATCH_DOCUMENT: &str = "data__PatchDocument";
pub const INSTANCE_ID: &str = "data__InstanceId";
/// The AWS profile(s) to read with: a param, and a column of every row.
pub const PROFILE: &str = "profile";
/// The columns every row has, named here once: where it lives (a param
/// too), its account, and (inside an instance) its instance.
pub const REGION: &str = "region";
pub const ACCOUNT_ID: &str = "account_id";
pub const INSTANCE_ARN: &str = "instance_arn";
pub const INSTANCE_ALIAS: &str = "instance_alias";

pub static PARAMS: [Param; 4] = [
    Param {
        name: IDENTIFIER,
        synonyms: &["Identifier"],
        description: "the resource: its ARN, its id, or its name (an instance's alias)",
    },
    Param {
        name: PATCH_DOCUMENT,
        synonyms: &["PatchDocument"],
        description: "an RFC 6902 JSON Patch over the resource's CloudFormation model",
    },
    Param {
        name: INSTANCE_ID,
        synonyms: &["InstanceId"],
        description: "the instance whose contents to read: its ARN, its id or its alias",
    },
    Param {
        name: PROFILE,
        synonyms: &[],
        description:
            "the AWS profiles (accounts) to read, from the AWS config and credentials files",
    },
];

/// The 12-digit account of an ARN (`arn:aws:connect:<region>:<account>:...`).
pub fn arn_account(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    let (Some("arn"), Some(_), Some(_), Some(_), Some(account)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// The canonical spelling of a statement param, accepting the newer
/// synonyms (`Identifier`, `PatchDocument`, `InstanceId`), case-insensitively.
pub fn canonical_param(name: &str) -> Option<&'static str> {
    PARAMS
        .iter()
        .find(|p| {
            p.name.eq_ignore_ascii_case(name)
                || p.synonyms.iter().any(|s| s.eq_ignore_ascii_case(name))
        })
        .map(|p| p.name)
}

pub fn attribute_by_cfn_name(cfn_name: &str) -> Option<&'static Attribute> {
    ATTRIBUTES.iter().find(|a| a.cfn_name == cfn_name)
}

/// Regions where Amazon Connect is offered (used for completion and to
/// warn about likely typos; any well-formed region name is still accepted,
/// so new regions and other Connect implementations keep working).
pub static CONNECT_REGIONS: [&str; 12] = [
    "us-east-1",
    "us-west-2",
    "af-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-west-2",
    "us-gov-west-1",
    "il-central-1",
];

/// Every field name of every resource: used for "did you mean" suggestions.
pub fn field_names() -> impl Iterator<Item = &'static str> {
    let mut names: Vec<&'static str> = RESOURCE_TYPES
        .iter()
        .flat_map(|r| r.fields.iter().map(|f| f.name))
        .collect();
    names.sort_unstable();
    names.dedup();
    names.into_iter()
}

/// The closest candidate to `word` by edit distance, if close enough to be
/// a plausible typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word_lower, &c.to_ascii_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests;
