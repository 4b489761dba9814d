//! The contents of an instance: one generic store of items per resource kind,
//! each item kept as its wire-shaped Describe JSON (botocore's shape, without
//! `Tags`), plus list-only and internal members, relations and tags.
//!
//! A kind is one [`KindDef`] in [`KIND_DEFS`]: its ARN segment, the URI label
//! and the members holding its id, ARN and name, the members of its List
//! summary, its searchable `FieldName`s and the operations that read it.
//! Adding a kind is adding a row there (and its Create handler).

use std::collections::{BTreeMap, HashMap};

use serde_json::{json, Map, Value};

use connect_operations::Op;

/// A resource kind inside an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    User,
    Queue,
    RoutingProfile,
    HoursOfOperation,
    ContactFlow,
    ContactFlowModule,
    PhoneNumber,
    SecurityProfile,
    QuickConnect,
    HierarchyGroup,
    Prompt,
    AgentStatus,
    IntegrationAssociation,
}

/// Number of kinds.
pub const KIND_COUNT: usize = 13;

/// Everything generic code needs to know about a kind.
#[derive(Debug)]
pub struct KindDef {
    pub kind: Kind,
    /// Used in messages ("User not found").
    pub noun: &'static str,
    /// `…:instance/INSTANCE_ID/<segment>/ID`; phone numbers use
    /// `…:phone-number/ID` (no instance).
    pub arn_segment: &'static str,
    /// The URI label naming an item (`{UserId}`).
    pub id_label: &'static str,
    /// Members of the Describe shape holding the id, ARN and name.
    pub id_member: &'static str,
    pub arn_member: &'static str,
    pub name_member: &'static str,
    /// Names are unique per instance (case-insensitive): 409 DuplicateResourceException.
    pub unique_names: bool,
    /// List summary: (output member, source). Sources: `@id`, `@arn`, a
    /// Describe member path (`QuickConnectConfig.QuickConnectType`) or `~X`
    /// for a list-only member kept beside the Describe shape.
    pub summary: &'static [(&'static str, &'static str)],
    /// Search `StringCondition.FieldName` → source (as above).
    pub search_fields: &'static [(&'static str, &'static str)],
    /// Simple enum conditions of the `SearchCriteria` → source compared for equality.
    pub enum_conditions: &'static [(&'static str, &'static str)],
    /// Members of `SearchFilter` this kind accepts.
    pub filters: &'static [&'static str],
    pub list: Option<Op>,
    pub describe: Option<Op>,
    pub search: Option<Op>,
}

const LAST_MODIFIED: [(&str, &str); 2] = [
    ("LastModifiedTime", "LastModifiedTime"),
    ("LastModifiedRegion", "LastModifiedRegion"),
];

macro_rules! summary {
    ($(($a:literal, $b:literal)),* ; lm) => {
        &[$(($a, $b),)* LAST_MODIFIED[0], LAST_MODIFIED[1]]
    };
    ($(($a:literal, $b:literal)),*) => {
        &[$(($a, $b),)*]
    };
}

/// One row per kind, in the order of [`Kind`].
pub static KIND_DEFS: [KindDef; KIND_COUNT] = [
    KindDef {
        kind: Kind::User,
        noun: "User",
        arn_segment: "agent",
        id_label: "UserId",
        id_member: "Id",
        arn_member: "Arn",
        name_member: "Username",
        unique_names: true,
        summary: summary!(("Id", "@id"), ("Arn", "@arn"), ("Username", "Username"); lm),
        search_fields: &[
            ("Username", "Username"),
            ("FirstName", "IdentityInfo.FirstName"),
            ("LastName", "IdentityInfo.LastName"),
            ("RoutingProfileId", "RoutingProfileId"),
            ("SecurityProfileId", "SecurityProfileIds"),
            ("resourceId", "@id"),
        ],
        enum_conditions: &[],
        filters: &["TagFilter", "UserAttributeFilter"],
        list: Some(Op::ListUsers),
        describe: Some(Op::DescribeUser),
        search: Some(Op::SearchUsers),
    },
    KindDef {
        kind: Kind::Queue,
        noun: "Queue",
        arn_segment: "queue",
        id_label: "QueueId",
        id_member: "QueueId",
        arn_member: "QueueArn",
        name_member: "Name",
        unique_names: true,
        summary: summary!(("Id", "@id"), ("Arn", "@arn"), ("Name", "Name"), ("QueueType", "~QueueType"); lm),
        search_fields: &[
            ("name", "Name"),
            ("description", "Description"),
            ("resourceID", "@id"),
        ],
        enum_conditions: &[("QueueTypeCondition", "~QueueType")],
        filters: &["TagFilter"],
        list: Some(Op::ListQueues),
        describe: Some(Op::DescribeQueue),
        search: Some(Op::SearchQueues),
    },
    KindDef {
        kind: Kind::RoutingProfile,
        noun: "Routing profile",
        arn_segment: "routing-profile",
        id_label: "RoutingProfileId",
        id_member: "RoutingProfileId",
        arn_member: "RoutingProfileArn",
        name_member: "Name",
        unique_names: true,
        summary: summary!(("Id", "@id"), ("Arn", "@arn"), ("Name", "Name"); lm),
        search_fields: &[
            ("associatedQueueIds", "AssociatedQueueIds"),
            ("name", "Name"),
            ("description", "Description"),
            ("resourceID", "@id"),
        ],
        enum_conditions: &[],
        filters: &["TagFilter"],
        list: Some(Op::ListRoutingProfiles),
        describe: Some(Op::DescribeRoutingProfile),
        search: Some(Op::SearchRoutingProfiles),
    },
    KindDef {
        kind: Kind::HoursOfOperation,
        noun: "Hours of operation",
        arn_segment: "operating-hours",
        id_label: "HoursOfOperationId",
        id_member: "HoursOfOperationId",
        arn_member: "HoursOfOperationArn",
        name_member: "Name",
        unique_names: true,
        summary: summary!(("Id", "@id"), ("Arn", "@arn"), ("Name", "Name"); lm),
        search_fields: &[
            ("name", "Name"),
            ("description", "Description"),
            ("timezone", "TimeZone"),
            ("resourceID", "@id"),
        ],
        enum_conditions: &[],
        filters: &["TagFilter"],
        list: Some(Op::ListHoursOfOperations),
        describe: Some(Op::DescribeHoursOfOperation),
        search: Some(Op::SearchHoursOfOperations),
    },
    KindDef {
        kind: Kind::ContactFlow,
        noun: "Contact flow",
        arn_segment: "contact-flow",
        id_label: "ContactFlowId",
        id_member: "Id",
        arn_member: "Arn",
        name_member: "Name",
        unique_names: true,
        summary: summary!(
            ("Id", "@id"),
            ("Arn", "@arn"),
            ("Name", "Name"),
            ("ContactFlowType", "Type"),
            ("ContactFlowState", "State"),
            ("ContactFlowStatus", "Status")
        ),
        search_fields: &[
            ("name", "Name"),
            ("description", "Description"),
            ("resourceID", "@id"),
        ],
        enum_conditions: &[
            ("TypeCondition", "Type"),
            ("StateCondition", "State"),
            ("StatusCondition", "Status"),
        ],
        filters: &["TagFilter", "FlowAttributeFilter"],
        list: Some(Op::ListContactFlows),
        describe: Some(Op::DescribeContactFlow),
        search: Some(Op::SearchContactFlows),
    },
    KindDef {
        kind: Kind::ContactFlowModule,
        noun: "Contact flow module",
        arn_segment: "flow-module",
        id_label: "ContactFlowModuleId",
        id_member: "Id",
        arn_member: "Arn",
        name_member: "Name",
        unique_names: true,
        summary: summary!(
            ("Id", "@id"),
            ("Arn", "@arn"),
            ("Name", "Name"),
            ("State", "State")
        ),
        search_fields: &[
            ("name", "Name"),
            ("description", "Description"),
            ("resourceID", "@id"),
        ],
        enum_conditions: &[("StateCondition", "State"), ("StatusCondition", "Status")],
        filters: &["TagFilter"],
        list: Some(Op::ListContactFlowModules),
        describe: Some(Op::DescribeContactFlowModule),
        search: Some(Op::SearchContactFlowModules),
    },
    KindDef {
        kind: Kind::PhoneNumber,
        noun: "Phone number",
        arn_segment: "phone-number",
        id_label: "PhoneNumberId",
        id_member: "PhoneNumberId",
        arn_member: "PhoneNumberArn",
        name_member: "PhoneNumber",
        unique_names: false,
        summary: summary!(
            ("PhoneNumberId", "@id"),
            ("PhoneNumberArn", "@arn"),
            ("PhoneNumber", "PhoneNumber"),
            ("PhoneNumberCountryCode", "PhoneNumberCountryCode"),
            ("PhoneNumberType", "PhoneNumberType"),
            ("TargetArn", "TargetArn"),
            ("InstanceId", "InstanceId"),
            ("PhoneNumberDescription", "PhoneNumberDescription")
        ),
        search_fields: &[],
        enum_conditions: &[],
        filters: &[],
        list: Some(Op::ListPhoneNumbersV2),
        describe: Some(Op::DescribePhoneNumber),
        search: None,
    },
    KindDef {
        kind: Kind::SecurityProfile,
        noun: "Security profile",
        arn_segment: "security-profile",
        id_label: "SecurityProfileId",
        id_member: "Id",
        arn_member: "Arn",
        name_member: "SecurityProfileName",
        unique_names: true,
        summary: summary!(("Id", "@id"), ("Arn", "@arn"), ("Name", "SecurityProfileName"); lm),
        search_fields: &[("name", "SecurityProfileName")],
        enum_conditions: &[],
        filters: &["TagFilter"],
        list: Some(Op::ListSecurityProfiles),
        describe: Some(Op::DescribeSecurityProfile),
        search: Some(Op::SearchSecurityProfiles),
    },
    KindDef {
        kind: Kind::QuickConnect,
        noun: "Quick connect",
        arn_segment: "transfer-destination",
        id_label: "QuickConnectId",
        id_member: "QuickConnectId",
        arn_member: "QuickConnectARN",
        name_member: "Name",
        unique_names: true,
        summary: summary!(
            ("Id", "@id"),
            ("Arn", "@arn"),
            ("Name", "Name"),
            ("QuickConnectType", "QuickConnectConfig.QuickConnectType");
            lm
        ),
        search_fields: &[
            ("name", "Name"),
            ("description", "Description"),
            ("resourceID", "@id"),
        ],
        enum_conditions: &[],
        filters: &["TagFilter"],
        list: Some(Op::ListQuickConnects),
        describe: Some(Op::DescribeQuickConnect),
        search: Some(Op::SearchQuickConnects),
    },
    KindDef {
        kind: Kind::HierarchyGroup,
        noun: "Hierarchy group",
        arn_segment: "agent-group",
        id_label: "HierarchyGroupId",
        id_member: "Id",
        arn_member: "Arn",
        name_member: "Name",
        unique_names: true,
        summary: summary!(("Id", "@id"), ("Arn", "@arn"), ("Name", "Name"); lm),
        search_fields: &[
            ("name", "Name"),
            ("parentId", "~ParentId"),
            ("levelId", "LevelId"),
            ("resourceID", "@id"),
        ],
        enum_conditions: &[],
        filters: &["AttributeFilter"],
        list: Some(Op::ListUserHierarchyGroups),
        describe: Some(Op::DescribeUserHierarchyGroup),
        search: Some(Op::SearchUserHierarchyGroups),
    },
    KindDef {
        kind: Kind::Prompt,
        noun: "Prompt",
        arn_segment: "prompt",
        id_label: "PromptId",
        id_member: "PromptId",
        arn_member: "PromptARN",
        name_member: "Name",
        unique_names: true,
        summary: summary!(("Id", "@id"), ("Arn", "@arn"), ("Name", "Name"); lm),
        search_fields: &[
            ("name", "Name"),
            ("description", "Description"),
            ("resourceID", "@id"),
        ],
        enum_conditions: &[],
        filters: &["TagFilter"],
        list: Some(Op::ListPrompts),
        describe: Some(Op::DescribePrompt),
        search: Some(Op::SearchPrompts),
    },
    KindDef {
        kind: Kind::AgentStatus,
        noun: "Agent status",
        arn_segment: "agent-state",
        id_label: "AgentStatusId",
        id_member: "AgentStatusId",
        arn_member: "AgentStatusARN",
        name_member: "Name",
        unique_names: true,
        summary: summary!(("Id", "@id"), ("Arn", "@arn"), ("Name", "Name"), ("Type", "Type"); lm),
        search_fields: &[
            ("name", "Name"),
            ("description", "Description"),
            ("state", "State"),
            ("type", "Type"),
            ("displayOrder", "DisplayOrder"),
            ("resourceID", "@id"),
        ],
        enum_conditions: &[],
        filters: &["AttributeFilter"],
        list: Some(Op::ListAgentStatuses),
        describe: Some(Op::DescribeAgentStatus),
        search: Some(Op::SearchAgentStatuses),
    },
    KindDef {
        kind: Kind::IntegrationAssociation,
        noun: "Integration association",
        arn_segment: "integration-association",
        id_label: "IntegrationAssociationId",
        id_member: "IntegrationAssociationId",
        arn_member: "IntegrationAssociationArn",
        name_member: "IntegrationArn",
        unique_names: false,
        summary: summary!(
            ("IntegrationAssociationId", "@id"),
            ("IntegrationAssociationArn", "@arn"),
            ("InstanceId", "InstanceId"),
            ("IntegrationType", "IntegrationType"),
            ("IntegrationArn", "IntegrationArn"),
            ("SourceApplicationUrl", "SourceApplicationUrl"),
            ("SourceApplicationName", "SourceApplicationName"),
            ("SourceType", "SourceType");
            lm
        ),
        search_fields: &[],
        enum_conditions: &[],
        filters: &[],
        list: Some(Op::ListIntegrationAssociations),
        describe: None,
        search: None,
    },
];

impl Kind {
    pub fn def(self) -> &'static KindDef {
        &KIND_DEFS[self as usize]
    }

    /// The kind whose List, Describe or Search operation `op` is.
    pub fn of_list(op: Op) -> Option<Kind> {
        KIND_DEFS
            .iter()
            .find(|d| d.list == Some(op))
            .map(|d| d.kind)
    }
    pub fn of_describe(op: Op) -> Option<Kind> {
        KIND_DEFS
            .iter()
            .find(|d| d.describe == Some(op))
            .map(|d| d.kind)
    }
    pub fn of_search(op: Op) -> Option<Kind> {
        KIND_DEFS
            .iter()
            .find(|d| d.search == Some(op))
            .map(|d| d.kind)
    }
    /// The kind whose ARNs carry `segment`.
    pub fn of_arn_segment(segment: &str) -> Option<Kind> {
        KIND_DEFS
            .iter()
            .find(|d| d.arn_segment == segment)
            .map(|d| d.kind)
    }
}

/// One resource.
#[derive(Debug, Clone)]
pub struct Item {
    pub seq: u64,
    pub id: String,
    pub arn: String,
    /// The Describe shape, without `Tags` and computed members.
    pub doc: Map<String, Value>,
    /// List-only members (`QueueType`), relations (`QueueConfigs`,
    /// `QuickConnectIds`, `Proficiencies`, `Permissions`…) and internal state.
    pub extra: Map<String, Value>,
    pub tags: BTreeMap<String, String>,
}

impl Item {
    pub fn name(&self, kind: Kind) -> &str {
        self.doc
            .get(kind.def().name_member)
            .and_then(Value::as_str)
            .unwrap_or_default()
    }

    /// String values at a source path (see [`KindDef::summary`]); arrays give
    /// one value per element, numbers and booleans their JSON text.
    pub fn values_at(&self, source: &str) -> Vec<String> {
        match source {
            "@id" => return vec![self.id.clone()],
            "@arn" => return vec![self.arn.clone()],
            _ => {}
        }
        let (map, path) = match source.strip_prefix('~') {
            Some(p) => (&self.extra, p),
            None => (&self.doc, source),
        };
        let mut out = Vec::new();
        if let Some(v) = value_at(map, path) {
            scalars(v, &mut out);
        }
        out
    }

    /// The JSON value at a source path.
    pub fn value_at(&self, source: &str) -> Option<Value> {
        match source {
            "@id" => Some(json!(self.id)),
            "@arn" => Some(json!(self.arn)),
            s => match s.strip_prefix('~') {
                Some(p) => value_at(&self.extra, p).cloned(),
                None => value_at(&self.doc, s).cloned(),
            },
        }
    }

    /// A string member of `extra`.
    pub fn extra_str(&self, key: &str) -> Option<&str> {
        self.extra.get(key).and_then(Value::as_str)
    }

    /// A string list member of `extra` (empty when absent).
    pub fn extra_list(&self, key: &str) -> Vec<Value> {
        self.extra
            .get(key)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    }

    pub fn doc_str(&self, key: &str) -> Option<&str> {
        self.doc.get(key).and_then(Value::as_str)
    }

    /// Stamp `LastModifiedTime`/`LastModifiedRegion` (kinds whose shape has them).
    pub fn touch(&mut self, kind: Kind, region: &str, now: f64) {
        if has_last_modified(kind) {
            self.doc.insert("LastModifiedTime".into(), json!(now));
            self.doc
                .insert("LastModifiedRegion".into(), json!(region.to_string()));
        }
    }
}

/// Whether the Describe shape of `kind` has `LastModifiedTime`/`LastModifiedRegion`.
pub fn has_last_modified(kind: Kind) -> bool {
    !matches!(kind, Kind::ContactFlowModule | Kind::PhoneNumber)
}

fn value_at<'a>(map: &'a Map<String, Value>, path: &str) -> Option<&'a Value> {
    let mut parts = path.split('.');
    let mut v = map.get(parts.next()?)?;
    for p in parts {
        v = v.as_object()?.get(p)?;
    }
    Some(v)
}

fn scalars(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Number(n) => out.push(n.to_string()),
        Value::Bool(b) => out.push(b.to_string()),
        Value::Array(a) => a.iter().for_each(|x| scalars(x, out)),
        Value::Null | Value::Object(_) => {}
    }
}

/// The items of one kind in one instance, in creation order.
#[derive(Debug, Default, Clone)]
pub struct Items {
    by_seq: BTreeMap<u64, Item>,
    by_id: HashMap<String, u64>,
    /// Lower-cased name → seq (kinds with unique names).
    by_name: HashMap<String, u64>,
    next: u64,
}

impl Items {
    pub fn len(&self) -> usize {
        self.by_seq.len()
    }
    pub fn is_empty(&self) -> bool {
        self.by_seq.is_empty()
    }
    pub fn get(&self, id: &str) -> Option<&Item> {
        self.by_id.get(id).and_then(|s| self.by_seq.get(s))
    }
    pub fn get_mut(&mut self, id: &str) -> Option<&mut Item> {
        let s = *self.by_id.get(id)?;
        self.by_seq.get_mut(&s)
    }
    /// The item with this name (kinds with unique names; case-insensitive).
    pub fn by_name(&self, name: &str) -> Option<&Item> {
        self.by_name
            .get(&name.to_lowercase())
            .and_then(|s| self.by_seq.get(s))
    }
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Item> {
        self.by_seq.values()
    }
    /// Items from sequence number `seq` on.
    pub fn from_seq(&self, seq: u64) -> impl Iterator<Item = &Item> {
        self.by_seq.range(seq..).map(|(_, i)| i)
    }
    pub fn iter_mut(&mut self) -> impl Iterator<Item = &mut Item> {
        self.by_seq.values_mut()
    }

    /// Insert a new item (the caller checked uniqueness); returns its seq.
    pub fn insert(&mut self, kind: Kind, mut item: Item) -> u64 {
        let seq = self.next;
        self.next += 1;
        item.seq = seq;
        if kind.def().unique_names {
            self.by_name.insert(item.name(kind).to_lowercase(), seq);
        }
        self.by_id.insert(item.id.clone(), seq);
        self.by_seq.insert(seq, item);
        seq
    }

    pub fn remove(&mut self, kind: Kind, id: &str) -> Option<Item> {
        let seq = self.by_id.remove(id)?;
        let item = self.by_seq.remove(&seq)?;
        if kind.def().unique_names {
            let key = item.name(kind).to_lowercase();
            if self.by_name.get(&key) == Some(&seq) {
                self.by_name.remove(&key);
            }
        }
        Some(item)
    }

    /// Rename an item, keeping the name index right.
    pub fn rename(&mut self, kind: Kind, id: &str, name: &str) {
        let Some(&seq) = self.by_id.get(id) else {
            return;
        };
        let def = kind.def();
        if let Some(item) = self.by_seq.get_mut(&seq) {
            let old = item.name(kind).to_lowercase();
            item.doc.insert(def.name_member.into(), json!(name));
            if def.unique_names {
                if self.by_name.get(&old) == Some(&seq) {
                    self.by_name.remove(&old);
                }
                self.by_name.insert(name.to_lowercase(), seq);
            }
        }
    }
}

/// One storage configuration (`AssociateInstanceStorageConfig`).
#[derive(Debug, Clone)]
pub struct StorageConfig {
    pub resource_type: String,
    /// The `InstanceStorageConfig` shape, `AssociationId` included.
    pub config: Value,
}

/// A remembered answer to a request carrying a `ClientToken`.
#[derive(Debug, Clone)]
pub struct TokenAnswer {
    /// The request body, to tell a retry from a different request.
    pub request: Value,
    pub response: Vec<u8>,
}

/// Everything inside one instance.
#[derive(Debug, Clone, Default)]
pub struct Content {
    items: Vec<Items>,
    /// `ListApprovedOrigins`, in association order.
    pub approved_origins: Vec<String>,
    pub storage: Vec<StorageConfig>,
    /// (phone number ARN, flow ARN), `ListFlowAssociations` with VOICE_PHONE_NUMBER.
    pub flow_associations: Vec<(String, String)>,
    /// (operation, ClientToken) → the first answer.
    pub tokens: HashMap<(Op, String), TokenAnswer>,
}

impl Content {
    pub fn new() -> Self {
        Content {
            items: vec![Items::default(); KIND_COUNT],
            ..Default::default()
        }
    }
    pub fn items(&self, kind: Kind) -> &Items {
        &self.items[kind as usize]
    }
    pub fn items_mut(&mut self, kind: Kind) -> &mut Items {
        &mut self.items[kind as usize]
    }
    pub fn get(&self, kind: Kind, id: &str) -> Option<&Item> {
        self.items(kind).get(id)
    }
}

/// `arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE_ID/SEGMENT/ID`, or
/// `arn:aws:connect:REGION:ACCOUNT:phone-number/ID`.
pub fn item_arn(kind: Kind, region: &str, account: &str, instance: &str, id: &str) -> String {
    let seg = kind.def().arn_segment;
    if kind == Kind::PhoneNumber {
        format!("arn:aws:connect:{region}:{account}:{seg}/{id}")
    } else {
        format!("arn:aws:connect:{region}:{account}:instance/{instance}/{seg}/{id}")
    }
}

/// A deterministic UUID (version 4 layout) from some parts: the same parts
/// always give the same id. Used for the contents of new instances and demo
/// data, so that tests and documentation can name exact ids.
pub fn det_uuid(parts: &[&str]) -> String {
    // Two independent FNV-1a 64-bit hashes, then a splitmix64 finaliser.
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x84222325_cbf29ce4;
    for p in parts {
        for byte in p.bytes().chain(std::iter::once(0xff)) {
            a = (a ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3);
            b = (b ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3 ^ 0x9e37);
        }
    }
    let mix = |mut z: u64| {
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let hi = mix(a);
    let lo = mix(b ^ hi);
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&hi.to_be_bytes());
    bytes[8..].copy_from_slice(&lo.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(bytes).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defs_follow_the_enum() {
        for (i, d) in KIND_DEFS.iter().enumerate() {
            assert_eq!(d.kind as usize, i, "{}", d.noun);
            if let Some(op) = d.describe {
                assert!(op.def().result.is_some(), "{}", d.noun);
                assert!(op.def().uri.contains(&format!("{{{}}}", d.id_label)));
            }
            if let Some(op) = d.list {
                assert_eq!(Kind::of_list(op), Some(d.kind));
            }
        }
    }

    #[test]
    fn det_uuids() {
        let a = det_uuid(&["x", "user", "alice"]);
        assert_eq!(a, det_uuid(&["x", "user", "alice"]));
        assert_ne!(a, det_uuid(&["x", "user", "alicf"]));
        assert_ne!(det_uuid(&["ab", "c"]), det_uuid(&["a", "bc"]));
        let u = uuid::Uuid::parse_str(&a).unwrap();
        assert_eq!(u.get_version_num(), 4);
    }

    #[test]
    fn items_index_names() {
        let mut items = Items::default();
        let mut doc = Map::new();
        doc.insert("Name".into(), json!("Sales"));
        let item = Item {
            seq: 0,
            id: "q1".into(),
            arn: "arn".into(),
            doc,
            extra: Map::new(),
            tags: BTreeMap::new(),
        };
        items.insert(Kind::Queue, item);
        assert!(items.by_name("sales").is_some());
        items.rename(Kind::Queue, "q1", "Support");
        assert!(items.by_name("SALES").is_none());
        assert_eq!(items.by_name("support").unwrap().id, "q1");
        assert_eq!(items.get("q1").unwrap().values_at("Name"), vec!["Support"]);
        items.remove(Kind::Queue, "q1");
        assert!(items.is_empty());
    }
}
