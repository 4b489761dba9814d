//! The catalog: one table of definitions that drives planning, completion,
//! `DESCRIBE`, `SHOW` and error messages.
//!
//! It mirrors StackQL's AWS provider (`aws.connect.instance` and
//! `aws.connect.instances`): the same field names, datatypes, methods,
//! required params and IAM permissions, plus what connectql adds: which
//! Connect API call supplies each field, and the CloudFormation attribute
//! names used in the `attributes` object.

pub mod operations;

pub use operations::{Op, Operation, OPERATIONS};

/// The provider and service every resource lives under.
pub const PROVIDER: &str = "aws";
pub const SERVICE: &str = "connect";
pub const SERVICE_PATH: &str = "aws.connect";

/// Which Connect API call supplies a field. Drives call pruning in the
/// planner ("make only the calls a statement needs") and `DESCRIBE EXTENDED`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldSource {
    /// Known from the request itself (the region the row came from).
    Request,
    /// In both ListInstances' summaries and DescribeInstance.
    Summary,
    /// Only DescribeInstance returns it (tags).
    DescribeOnly,
    /// ListInstanceAttributes, all pages.
    Attributes,
    /// Not returned by any Connect API call: always NULL.
    Unavailable,
}

impl FieldSource {
    pub fn describe(self, resource: &Resource) -> &'static str {
        match (self, resource.kind) {
            (FieldSource::Request, _) => "the request's region",
            (FieldSource::Summary, ResourceKind::Instance) => "DescribeInstance",
            (FieldSource::Summary, ResourceKind::Instances) => "ListInstances",
            (FieldSource::DescribeOnly, _) => "DescribeInstance",
            (FieldSource::Attributes, _) => "ListInstanceAttributes (all pages)",
            (FieldSource::Unavailable, _) => "none (write-only in CloudFormation)",
        }
    }
}

/// How a field is stored in the relational engine and rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// Plain text.
    String,
    /// A JSON object (rendered nested in json output).
    Object,
    /// A JSON array (rendered nested in json output).
    Array,
}

impl FieldType {
    pub fn name(self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Object => "object",
            FieldType::Array => "array",
        }
    }
    /// Declared column type in SQLite; `JSON` lets the output layer find
    /// JSON columns again through `sqlite3_column_decltype`.
    pub fn sql_decl(self) -> &'static str {
        match self {
            FieldType::String => "TEXT",
            FieldType::Object | FieldType::Array => "JSON",
        }
    }
}

#[derive(Debug)]
pub struct Field {
    pub name: &'static str,
    pub ty: FieldType,
    pub description: &'static str,
    pub source: FieldSource,
    /// Extra explanation shown by DESCRIBE (e.g. why a field is always NULL).
    pub note: Option<&'static str>,
}

/// The eleven fields of the seed, in the seed's SELECT order. Both resources
/// share them.
pub static FIELDS: [Field; 11] = [
    Field {
        name: "region",
        ty: FieldType::String,
        description: "AWS region.",
        source: FieldSource::Request,
        note: None,
    },
    Field {
        name: "id",
        ty: FieldType::String,
        description: "An instanceId is automatically generated on creation and assigned as the unique identifier.",
        source: FieldSource::Summary,
        note: None,
    },
    Field {
        name: "arn",
        ty: FieldType::String,
        description: "An instanceArn is automatically generated on creation based on instanceId.",
        source: FieldSource::Summary,
        note: None,
    },
    Field {
        name: "identity_management_type",
        ty: FieldType::String,
        description: "Specifies the type of directory integration for new instance.",
        source: FieldSource::Summary,
        note: None,
    },
    Field {
        name: "instance_alias",
        ty: FieldType::String,
        description: "Alias of the new directory created as part of new instance creation.",
        source: FieldSource::Summary,
        note: None,
    },
    Field {
        name: "created_time",
        ty: FieldType::String,
        description: "Timestamp of instance creation logged as part of instance creation.",
        source: FieldSource::Summary,
        note: Some("ISO-8601 UTC, e.g. 2026-11-26T19:54:36Z"),
    },
    Field {
        name: "service_role",
        ty: FieldType::String,
        description: "Service linked role created as part of instance creation.",
        source: FieldSource::Summary,
        note: None,
    },
    Field {
        name: "instance_status",
        ty: FieldType::String,
        description: "Specifies the creation status of new instance.",
        source: FieldSource::Summary,
        note: Some("CREATION_IN_PROGRESS | ACTIVE | CREATION_FAILED"),
    },
    Field {
        name: "directory_id",
        ty: FieldType::String,
        description: "Existing directoryId user wants to map to the new Connect instance.",
        source: FieldSource::Unavailable,
        note: Some(
            "always NULL: the Connect API never returns the directory id (DirectoryId is write-only in the CloudFormation schema)",
        ),
    },
    Field {
        name: "attributes",
        ty: FieldType::Object,
        description: "The attributes for the instance.",
        source: FieldSource::Attributes,
        note: Some("JSON object of CloudFormation attribute names to booleans"),
    },
    Field {
        name: "tags",
        ty: FieldType::Array,
        description: "An array of key-value pairs to apply to this resource.",
        source: FieldSource::DescribeOnly,
        note: Some("JSON array [{\"Key\":..,\"Value\":..}] sorted by Key"),
    },
];

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

#[derive(Debug)]
pub struct Method {
    pub name: &'static str,
    pub verb: SqlVerb,
    /// Required params, in the seed's spelling.
    pub required: &'static [&'static str],
    /// IAM actions the method needs (the seed's and CloudFormation's lists).
    pub permissions: &'static [&'static str],
    /// A statement that calls the method correctly, shown in errors.
    pub example: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceKind {
    /// `aws.connect.instance`: one instance, by identifier.
    Instance,
    /// `aws.connect.instances`: all instances of a region.
    Instances,
}

#[derive(Debug)]
pub struct Resource {
    /// Fully qualified name, e.g. `aws.connect.instance`.
    pub id: &'static str,
    /// The last part of the name, e.g. `instance`.
    pub name: &'static str,
    pub kind: ResourceKind,
    pub description: &'static str,
    pub fields: &'static [Field],
    pub methods: &'static [Method],
}

impl Resource {
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
    pub fn method_for(&self, verb: SqlVerb) -> Option<&'static Method> {
        self.methods.iter().find(|m| m.verb == verb)
    }
}

const READ_PERMISSIONS: &[&str] = &[
    "connect:DescribeInstance",
    "connect:ListInstanceAttributes",
    "ds:DescribeDirectories",
];

pub static RESOURCES: [Resource; 2] = [
    Resource {
        id: "aws.connect.instance",
        name: "instance",
        kind: ResourceKind::Instance,
        description: "Gets or updates an individual instance resource, use instances to retrieve a list of resources or to create or delete a resource.",
        fields: &FIELDS,
        methods: &[
            Method {
                name: "get_resource",
                verb: SqlVerb::Select,
                required: &["data__Identifier", "region"],
                permissions: READ_PERMISSIONS,
                example: "SELECT * FROM aws.connect.instance WHERE region = 'us-east-1' AND data__Identifier = '<arn, id or alias>';",
            },
            Method {
                name: "update_resource",
                verb: SqlVerb::Update,
                required: &["data__Identifier", "data__PatchDocument", "region"],
                permissions: &[
                    "connect:ListInstanceAttributes",
                    "connect:UpdateInstanceAttribute",
                    "iam:CreateServiceLinkedRole",
                    "iam:PutRolePolicy",
                    "connect:TagResource",
                    "connect:UntagResource",
                ],
                example: "UPDATE aws.connect.instance SET data__PatchDocument = string('[{\"op\":\"replace\",\"path\":\"/Attributes/ContactLens\",\"value\":false}]') WHERE region = 'us-east-1' AND data__Identifier = '<arn, id or alias>';",
            },
        ],
    },
    Resource {
        id: "aws.connect.instances",
        name: "instances",
        kind: ResourceKind::Instances,
        description: "Creates, lists or deletes instance resources, use instance to read or update an individual resource.",
        fields: &FIELDS,
        methods: &[
            Method {
                name: "list_resources",
                verb: SqlVerb::Select,
                required: &["region"],
                permissions: &[
                    "connect:ListInstances",
                    "connect:ListInstanceAttributes",
                    "ds:DescribeDirectories",
                ],
                example: "SELECT region, id, instance_alias, instance_status FROM aws.connect.instances WHERE region = 'us-east-1';",
            },
            Method {
                name: "create_resource",
                verb: SqlVerb::Insert,
                required: &["IdentityManagementType", "Attributes", "region"],
                permissions: &[
                    "connect:CreateInstance",
                    "connect:DescribeInstance",
                    "connect:UpdateInstanceAttribute",
                    "connect:TagResource",
                    "ds:CheckAlias",
                    "ds:CreateAlias",
                    "ds:AuthorizeApplication",
                    "ds:UnauthorizeApplication",
                    "ds:CreateIdentityPoolDirectory",
                    "ds:CreateDirectory",
                    "ds:DescribeDirectories",
                    "iam:CreateServiceLinkedRole",
                    "iam:PutRolePolicy",
                    "logs:CreateLogGroup",
                ],
                example: "INSERT INTO aws.connect.instances (IdentityManagementType, InstanceAlias, Attributes, region) SELECT 'CONNECT_MANAGED', 'my-instance', '{\"InboundCalls\":true,\"OutboundCalls\":true}', 'us-east-1';",
            },
            Method {
                name: "delete_resource",
                verb: SqlVerb::Delete,
                required: &["data__Identifier", "region"],
                permissions: &[
                    "connect:DeleteInstance",
                    "connect:DescribeInstance",
                    "connect:UntagResource",
                    "ds:DeleteDirectory",
                    "ds:UnauthorizeApplication",
                    "ds:DescribeDirectories",
                ],
                example: "DELETE FROM aws.connect.instances WHERE region = 'us-east-1' AND data__Identifier = '<arn, id or alias>';",
            },
        ],
    },
];

/// Statement-only params (not columns): the name, its accepted synonyms and
/// what it takes.
#[derive(Debug)]
pub struct Param {
    pub name: &'static str,
    pub synonyms: &'static [&'static str],
    pub description: &'static str,
}

pub static PARAMS: [Param; 2] = [
    Param {
        name: "data__Identifier",
        synonyms: &["Identifier"],
        description: "the instance: its ARN, its id, or its alias",
    },
    Param {
        name: "data__PatchDocument",
        synonyms: &["PatchDocument"],
        description: "an RFC 6902 JSON Patch over the instance's CloudFormation model",
    },
];

/// The canonical spelling of a statement param, accepting the newer
/// synonyms (`Identifier`, `PatchDocument`), case-insensitively.
pub fn canonical_param(name: &str) -> Option<&'static str> {
    PARAMS
        .iter()
        .find(|p| {
            p.name.eq_ignore_ascii_case(name)
                || p.synonyms.iter().any(|s| s.eq_ignore_ascii_case(name))
        })
        .map(|p| p.name)
}

/// The create_resource properties (INSERT columns), in CloudFormation spelling.
pub static CREATE_PROPERTIES: [(&str, &str); 6] = [
    (
        "IdentityManagementType",
        "SAML | CONNECT_MANAGED | EXISTING_DIRECTORY (required)",
    ),
    (
        "InstanceAlias",
        "1..45 letters, digits and hyphens, not starting with d-",
    ),
    ("DirectoryId", "d-xxxxxxxxxx, only with EXISTING_DIRECTORY"),
    (
        "Attributes",
        "JSON object of attribute booleans; InboundCalls and OutboundCalls required",
    ),
    ("Tags", "JSON array [{\"Key\":..,\"Value\":..}]"),
    ("region", "the region to create the instance in"),
];

/// One instance attribute: the CloudFormation property name used in the
/// `attributes` object and the Connect API's InstanceAttributeType.
#[derive(Debug)]
pub struct Attribute {
    pub cfn_name: &'static str,
    pub api_type: &'static str,
}

/// All 14 attributes, in the order of the API's InstanceAttributeType enum.
pub static ATTRIBUTES: [Attribute; 14] = [
    Attribute {
        cfn_name: "InboundCalls",
        api_type: "INBOUND_CALLS",
    },
    Attribute {
        cfn_name: "OutboundCalls",
        api_type: "OUTBOUND_CALLS",
    },
    Attribute {
        cfn_name: "ContactflowLogs",
        api_type: "CONTACTFLOW_LOGS",
    },
    Attribute {
        cfn_name: "ContactLens",
        api_type: "CONTACT_LENS",
    },
    Attribute {
        cfn_name: "AutoResolveBestVoices",
        api_type: "AUTO_RESOLVE_BEST_VOICES",
    },
    Attribute {
        cfn_name: "UseCustomTTSVoices",
        api_type: "USE_CUSTOM_TTS_VOICES",
    },
    Attribute {
        cfn_name: "EarlyMedia",
        api_type: "EARLY_MEDIA",
    },
    Attribute {
        cfn_name: "MultiPartyConference",
        api_type: "MULTI_PARTY_CONFERENCE",
    },
    Attribute {
        cfn_name: "HighVolumeOutBound",
        api_type: "HIGH_VOLUME_OUTBOUND",
    },
    Attribute {
        cfn_name: "EnhancedContactMonitoring",
        api_type: "ENHANCED_CONTACT_MONITORING",
    },
    Attribute {
        cfn_name: "EnhancedChatMonitoring",
        api_type: "ENHANCED_CHAT_MONITORING",
    },
    Attribute {
        cfn_name: "MultiPartyChatConference",
        api_type: "MULTI_PARTY_CHAT_CONFERENCE",
    },
    Attribute {
        cfn_name: "MessageStreaming",
        api_type: "MESSAGE_STREAMING",
    },
    Attribute {
        cfn_name: "AutoMuteAgentOnHold",
        api_type: "AUTO_MUTE_AGENT_ON_HOLD",
    },
];

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

/// The IAM action for a Connect operation name.
pub fn iam_action(operation: &str) -> String {
    format!("connect:{operation}")
}

/// Looks a resource up by its qualified name (case-insensitive).
pub fn resource(id: &str) -> Option<&'static Resource> {
    RESOURCES.iter().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Every name the catalog knows that could appear where a field is
/// expected: used for "did you mean" suggestions.
pub fn field_names() -> impl Iterator<Item = &'static str> {
    FIELDS.iter().map(|f| f.name)
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
mod tests {
    use super::*;

    #[test]
    fn seed_fields_in_order() {
        let names: Vec<_> = FIELDS.iter().map(|f| f.name).collect();
        assert_eq!(
            names,
            [
                "region",
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
        let instance = resource("aws.connect.instance").unwrap();
        let get = instance.method_for(SqlVerb::Select).unwrap();
        assert_eq!(get.name, "get_resource");
        assert_eq!(get.required, ["data__Identifier", "region"]);
        let update = instance.method_for(SqlVerb::Update).unwrap();
        assert_eq!(
            update.required,
            ["data__Identifier", "data__PatchDocument", "region"]
        );
        let instances = resource("AWS.CONNECT.INSTANCES").unwrap();
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
}
