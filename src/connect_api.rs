//! The Connect API mapping: each function makes one logical Connect call
//! through aws-sdk-connect (following every page) and turns the answer into
//! the catalog's shapes: CloudFormation attribute names, tags as a sorted
//! Key/Value list, ISO-8601 timestamps. Failures become [`ApiError`], which
//! knows the operation, the region, the IAM action and what to tell the user.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;

use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::primitives::DateTime;
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::display::DisplayErrorContext;

use crate::catalog;
use crate::executor::RegionClient;

/// What the API tells us about one instance. Tags are `None` when the call
/// that produced the record (ListInstances) does not return them.
#[derive(Debug, Clone, PartialEq)]
pub struct InstanceRecord {
    pub region: String,
    pub id: String,
    pub arn: Option<String>,
    pub identity_management_type: Option<String>,
    pub instance_alias: Option<String>,
    pub created_time: Option<String>,
    pub service_role: Option<String>,
    pub instance_status: Option<String>,
    pub status_reason: Option<String>,
    pub inbound_calls: Option<bool>,
    pub outbound_calls: Option<bool>,
    /// Sorted by key (a BTreeMap), rendered as `[{"Key":..,"Value":..}]`.
    pub tags: Option<BTreeMap<String, String>>,
}

/// The `attributes` object: CloudFormation attribute name to boolean, in the
/// catalog's order.
pub type Attributes = serde_json::Map<String, serde_json::Value>;

/// Broad classes of failure, each with its own advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiErrorKind {
    NotFound,
    AccessDenied,
    Credentials,
    Throttled,
    Timeout,
    Connection,
    /// The response could not be understood (truncated, wrong types, HTML).
    MalformedResponse,
    InvalidRequest,
    Quota,
    Service,
}

#[derive(Debug, Clone)]
pub struct ApiError {
    pub operation: &'static str,
    pub region: String,
    pub kind: ApiErrorKind,
    /// The AWS error code (`ResourceNotFoundException`...), when there is one.
    pub code: Option<String>,
    pub message: String,
    /// What the call was about (an instance id...), for the message.
    pub subject: Option<String>,
}

impl ApiError {
    pub fn new(
        operation: &'static str,
        region: &str,
        kind: ApiErrorKind,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            operation,
            region: region.to_string(),
            kind,
            code: None,
            message: message.into(),
            subject: None,
        }
    }

    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Builds an ApiError from any SDK error, classifying it by code first
    /// (the SDK turns codes it does not model for an operation into
    /// `Unhandled`, so matching typed variants would miss them).
    pub fn from_sdk<E>(
        operation: &'static str,
        region: &str,
        err: SdkError<E, HttpResponse>,
    ) -> Self
    where
        E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    {
        let code = err.code().map(str::to_string);
        let status = err.raw_response().map(|r| r.status().as_u16());
        let detail = error_chain(&err);
        let service_message = err.message().map(str::to_string);
        let kind = match (&err, code.as_deref()) {
            // Credential resolution fails before dispatch; say so first.
            (SdkError::DispatchFailure(_) | SdkError::ConstructionFailure(_), _)
                if looks_like_credentials(&detail) =>
            {
                ApiErrorKind::Credentials
            }
            (SdkError::TimeoutError(_), _) => ApiErrorKind::Timeout,
            (SdkError::DispatchFailure(d), _) if d.is_timeout() => ApiErrorKind::Timeout,
            (SdkError::DispatchFailure(_), _) => ApiErrorKind::Connection,
            (SdkError::ConstructionFailure(_), _) if looks_like_credentials(&detail) => {
                ApiErrorKind::Credentials
            }
            (SdkError::ResponseError(_), _) => ApiErrorKind::MalformedResponse,
            (_, Some(c)) => kind_for_code(c),
            (SdkError::ServiceError(_), None)
                if status.is_some_and(|s| (200..300).contains(&s)) =>
            {
                ApiErrorKind::MalformedResponse
            }
            _ if looks_like_credentials(&detail) => ApiErrorKind::Credentials,
            _ => ApiErrorKind::Service,
        };
        let message = match kind {
            ApiErrorKind::MalformedResponse => {
                let what = status.map(|s| format!("HTTP {s} ")).unwrap_or_default();
                format!("the {what}response could not be read: {}", short_cause(&detail))
            }
            ApiErrorKind::Timeout => "no response before the timeout (see --timeout)".to_string(),
            ApiErrorKind::Connection => format!("could not reach the endpoint: {}", short_cause(&detail)),
            ApiErrorKind::Credentials if code.is_none() => {
                "no usable AWS credentials (tried the environment, the profile files, web identity, SSO and instance metadata)"
                    .to_string()
            }
            _ => match (service_message, status) {
                (Some(m), _) if !m.is_empty() => m,
                (_, Some(s)) if !(200..300).contains(&s) => format!("HTTP {s}: {}", short_cause(&detail)),
                _ => short_cause(&detail),
            },
        };
        ApiError {
            operation,
            region: region.to_string(),
            kind,
            code,
            message,
            subject: None,
        }
    }

    pub fn iam_action(&self) -> String {
        catalog::iam_action(self.operation)
    }
}

fn kind_for_code(code: &str) -> ApiErrorKind {
    match code {
        "ResourceNotFoundException" => ApiErrorKind::NotFound,
        "AccessDeniedException" | "AccessDenied" | "UnauthorizedOperation" => {
            ApiErrorKind::AccessDenied
        }
        "ExpiredTokenException"
        | "ExpiredToken"
        | "UnrecognizedClientException"
        | "InvalidSignatureException"
        | "MissingAuthenticationTokenException"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch" => ApiErrorKind::Credentials,
        "ThrottlingException"
        | "Throttling"
        | "TooManyRequestsException"
        | "LimitExceededException" => ApiErrorKind::Throttled,
        "InvalidRequestException" | "InvalidParameterException" | "SerializationException" => {
            ApiErrorKind::InvalidRequest
        }
        "ServiceQuotaExceededException" => ApiErrorKind::Quota,
        _ => ApiErrorKind::Service,
    }
}

/// The error and its sources as one readable line ("a: b: c"), without
/// the Debug dump DisplayErrorContext appends.
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = e.to_string();
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    if parts.is_empty() {
        DisplayErrorContext(err).to_string()
    } else {
        parts.join(": ")
    }
}

fn looks_like_credentials(detail: &str) -> bool {
    let d = detail.to_ascii_lowercase();
    d.contains("credential") || d.contains("no identity") || d.contains("identity resolver")
}

/// The innermost useful part of an error chain, on one line.
fn short_cause(detail: &str) -> String {
    let one_line = detail.replace('\n', " ");
    let trimmed = one_line.trim();
    const MAX: usize = 300;
    if trimmed.chars().count() > MAX {
        format!("{}…", trimmed.chars().take(MAX).collect::<String>())
    } else {
        trimmed.to_string()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} in {}", self.operation, self.region)?;
        if let Some(s) = &self.subject {
            write!(f, " for {s}")?;
        }
        write!(f, " failed: ")?;
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        write!(f, "{}", self.message)?;
        match self.kind {
            ApiErrorKind::AccessDenied => write!(
                f,
                "\n  hint: the caller needs the IAM action `{}` on this instance",
                self.iam_action()
            ),
            ApiErrorKind::Credentials => write!(
                f,
                "\n  hint: AWS credentials are missing, invalid or expired. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
                 (and AWS_SESSION_TOKEN), pick a profile with --profile or AWS_PROFILE, or run `aws sso login --profile <name>` \
                 for an SSO profile; `connectql --demo` needs none"
            ),
            ApiErrorKind::NotFound => match &self.subject {
                Some(s) => write!(f, "\n  hint: no instance {s} in region {}; check the region", self.region),
                None => Ok(()),
            },
            ApiErrorKind::Throttled => write!(
                f,
                "\n  hint: Connect allows about 2 requests per second per operation and region; retries were exhausted"
            ),
            ApiErrorKind::Connection => write!(f, "\n  hint: check --endpoint-url, AWS_ENDPOINT_URL and the network"),
            _ => Ok(()),
        }
    }
}

impl std::error::Error for ApiError {}

/// ISO-8601 UTC at second precision, e.g. `2026-11-26T19:54:36Z`.
pub fn iso_time(t: &DateTime) -> String {
    DateTime::from_secs(t.secs())
        .fmt(Format::DateTime)
        .unwrap_or_else(|_| t.secs().to_string())
}

/// ListInstances as a stream of instances, page after page (each page paced
/// on its own): callers can start per-instance calls while later pages are
/// still on their way.
pub fn list_instances_stream(
    rc: &RegionClient,
) -> impl futures::Stream<Item = Result<InstanceRecord, ApiError>> + '_ {
    struct Pages {
        token: Option<String>,
        buffered: VecDeque<InstanceRecord>,
        done: bool,
    }
    let start = Pages {
        token: None,
        buffered: VecDeque::new(),
        done: false,
    };
    futures::stream::unfold(start, move |mut st| async move {
        let region = rc.region.as_str();
        loop {
            if let Some(item) = st.buffered.pop_front() {
                return Some((Ok(item), st));
            }
            if st.done {
                return None;
            }
            let call = rc
                .client
                .list_instances()
                .max_results(10)
                .set_next_token(st.token.clone());
            let page = match rc.paced("ListInstances", || call.clone().send()).await {
                Ok(page) => page,
                Err(e) => {
                    st.done = true;
                    return Some((Err(ApiError::from_sdk("ListInstances", region, e)), st));
                }
            };
            // Connect always sends the list, even empty: without it the body
            // was not a real answer, and "no instances" would be a lie.
            if page.instance_summary_list.is_none() {
                st.done = true;
                let e = ApiError::new(
                    "ListInstances",
                    region,
                    ApiErrorKind::MalformedResponse,
                    "the response has no InstanceSummaryList (an empty or foreign body)",
                );
                return Some((Err(e), st));
            }
            st.buffered.extend(
                page.instance_summary_list()
                    .iter()
                    .filter_map(|s| summary_record(region, s)),
            );
            // A token the server repeats would loop forever: stop on it.
            let next = page
                .next_token()
                .filter(|t| !t.is_empty())
                .map(str::to_string);
            st.done = next.is_none() || next == st.token;
            st.token = next;
        }
    })
}

fn summary_record(
    region: &str,
    s: &aws_sdk_connect::types::InstanceSummary,
) -> Option<InstanceRecord> {
    Some(InstanceRecord {
        region: region.to_string(),
        id: s.id()?.to_string(),
        arn: s.arn().map(str::to_string),
        identity_management_type: s.identity_management_type().map(|t| t.as_str().to_string()),
        instance_alias: s.instance_alias().map(str::to_string),
        created_time: s.created_time().map(iso_time),
        service_role: s.service_role().map(str::to_string),
        instance_status: s.instance_status().map(|t| t.as_str().to_string()),
        status_reason: None,
        inbound_calls: s.inbound_calls_enabled(),
        outbound_calls: s.outbound_calls_enabled(),
        tags: None,
    })
}

/// ListInstances, every page.
pub async fn list_instances(rc: &RegionClient) -> Result<Vec<InstanceRecord>, ApiError> {
    use futures::TryStreamExt;
    list_instances_stream(rc).try_collect().await
}

/// DescribeInstance, including its tags.
pub async fn describe_instance(
    rc: &RegionClient,
    instance_id: &str,
) -> Result<InstanceRecord, ApiError> {
    let region = rc.region.as_str();
    let about = || format!("instance `{instance_id}`");
    let call = rc.client.describe_instance().instance_id(instance_id);
    let out = rc
        .paced("DescribeInstance", || call.clone().send())
        .await
        .map_err(|e| ApiError::from_sdk("DescribeInstance", region, e).about(about()))?;
    let Some(i) = out.instance() else {
        return Err(ApiError::new(
            "DescribeInstance",
            region,
            ApiErrorKind::MalformedResponse,
            "the response has no Instance",
        )
        .about(about()));
    };
    Ok(InstanceRecord {
        region: region.to_string(),
        id: i.id().unwrap_or(instance_id).to_string(),
        arn: i.arn().map(str::to_string),
        identity_management_type: i.identity_management_type().map(|t| t.as_str().to_string()),
        instance_alias: i.instance_alias().map(str::to_string),
        created_time: i.created_time().map(iso_time),
        service_role: i.service_role().map(str::to_string),
        instance_status: i.instance_status().map(|t| t.as_str().to_string()),
        status_reason: i
            .status_reason()
            .and_then(|r| r.message())
            .map(str::to_string),
        inbound_calls: i.inbound_calls_enabled(),
        outbound_calls: i.outbound_calls_enabled(),
        tags: Some(
            i.tags()
                .map(|t| t.clone().into_iter().collect())
                .unwrap_or_default(),
        ),
    })
}

/// ListInstanceAttributes, every page, as the CloudFormation-shaped object.
/// Values are parsed like CloudFormation's handler does (`"true"` is true,
/// anything else false); types the catalog does not know are kept under
/// their API name so nothing is silently dropped.
pub async fn list_attributes(rc: &RegionClient, instance_id: &str) -> Result<Attributes, ApiError> {
    let region = rc.region.as_str();
    let about = || format!("instance `{instance_id}`");
    let mut found: BTreeMap<String, bool> = BTreeMap::new();
    let mut token: Option<String> = None;
    loop {
        let call = rc
            .client
            .list_instance_attributes()
            .instance_id(instance_id)
            .max_results(7)
            .set_next_token(token.clone());
        let page = rc
            .paced("ListInstanceAttributes", || call.clone().send())
            .await
            .map_err(|e| ApiError::from_sdk("ListInstanceAttributes", region, e).about(about()))?;
        if page.attributes.is_none() {
            return Err(ApiError::new(
                "ListInstanceAttributes",
                region,
                ApiErrorKind::MalformedResponse,
                "the response has no Attributes (an empty or foreign body)",
            )
            .about(about()));
        }
        for a in page.attributes() {
            let (Some(t), Some(v)) = (a.attribute_type(), a.value()) else {
                continue;
            };
            found.insert(t.as_str().to_string(), v.eq_ignore_ascii_case("true"));
        }
        let next = page
            .next_token()
            .filter(|t| !t.is_empty())
            .map(str::to_string);
        if next.is_none() || next == token {
            break;
        }
        token = next;
    }
    let mut attrs = Attributes::new();
    for a in &catalog::ATTRIBUTES {
        if let Some(v) = found.remove(a.api_type) {
            attrs.insert(a.cfn_name.to_string(), serde_json::Value::Bool(v));
        }
    }
    for (api_type, v) in found {
        attrs.insert(api_type, serde_json::Value::Bool(v));
    }
    Ok(attrs)
}

/// Tags as the seed's array: `[{"Key":..,"Value":..}]` sorted by Key.
pub fn tags_json(tags: &BTreeMap<String, String>) -> serde_json::Value {
    serde_json::Value::Array(
        tags.iter()
            .map(|(k, v)| serde_json::json!({"Key": k, "Value": v}))
            .collect(),
    )
}

/// UpdateInstanceAttribute: sets one attribute to `"true"` or `"false"`.
/// The ClientToken is fixed before the first attempt, so retries are safe.
pub async fn update_attribute(
    rc: &RegionClient,
    instance_id: &str,
    api_type: &str,
    value: bool,
) -> Result<(), ApiError> {
    let call = rc
        .client
        .update_instance_attribute()
        .instance_id(instance_id)
        .attribute_type(aws_sdk_connect::types::InstanceAttributeType::from(
            api_type,
        ))
        .value(if value { "true" } else { "false" })
        .client_token(uuid::Uuid::new_v4().to_string());
    rc.paced("UpdateInstanceAttribute", || call.clone().send())
        .await
        .map(|_| ())
        .map_err(|e| {
            ApiError::from_sdk("UpdateInstanceAttribute", &rc.region, e)
                .about(format!("instance `{instance_id}`"))
        })
}

/// TagResource: adds or overwrites tags (idempotent).
pub async fn tag_resource(
    rc: &RegionClient,
    arn: &str,
    tags: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    let call = rc
        .client
        .tag_resource()
        .resource_arn(arn)
        .set_tags(Some(tags.clone().into_iter().collect()));
    rc.paced("TagResource", || call.clone().send())
        .await
        .map(|_| ())
        .map_err(|e| ApiError::from_sdk("TagResource", &rc.region, e).about(format!("`{arn}`")))
}

/// UntagResource: removes tags by key (idempotent).
pub async fn untag_resource(rc: &RegionClient, arn: &str, keys: &[String]) -> Result<(), ApiError> {
    let call = rc
        .client
        .untag_resource()
        .resource_arn(arn)
        .set_tag_keys(Some(keys.to_vec()));
    rc.paced("UntagResource", || call.clone().send())
        .await
        .map(|_| ())
        .map_err(|e| ApiError::from_sdk("UntagResource", &rc.region, e).about(format!("`{arn}`")))
}

/// What CreateInstance needs, validated beforehand by the planner.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateRequest {
    pub region: String,
    pub identity_management_type: String,
    pub instance_alias: Option<String>,
    pub directory_id: Option<String>,
    pub inbound_calls: bool,
    pub outbound_calls: bool,
    pub tags: BTreeMap<String, String>,
    /// Idempotency token: a retry of the same create makes one instance.
    pub client_token: String,
}

/// CreateInstance: returns (id, arn).
pub async fn create_instance(
    rc: &RegionClient,
    req: &CreateRequest,
) -> Result<(String, String), ApiError> {
    let mut call = rc
        .client
        .create_instance()
        .identity_management_type(aws_sdk_connect::types::DirectoryType::from(
            req.identity_management_type.as_str(),
        ))
        .inbound_calls_enabled(req.inbound_calls)
        .outbound_calls_enabled(req.outbound_calls)
        .client_token(&req.client_token)
        .set_instance_alias(req.instance_alias.clone())
        .set_directory_id(req.directory_id.clone());
    if !req.tags.is_empty() {
        call = call.set_tags(Some(req.tags.clone().into_iter().collect()));
    }
    let out = rc
        .paced("CreateInstance", || call.clone().send())
        .await
        .map_err(|e| ApiError::from_sdk("CreateInstance", &req.region, e))?;
    match (out.id(), out.arn()) {
        (Some(id), Some(arn)) => Ok((id.to_string(), arn.to_string())),
        _ => Err(ApiError::new(
            "CreateInstance",
            &req.region,
            ApiErrorKind::MalformedResponse,
            "the response has no Id or Arn",
        )),
    }
}

/// DeleteInstance (its ClientToken makes a retry safe).
pub async fn delete_instance(rc: &RegionClient, instance_id: &str) -> Result<(), ApiError> {
    let call = rc
        .client
        .delete_instance()
        .instance_id(instance_id)
        .client_token(uuid::Uuid::new_v4().to_string());
    rc.paced("DeleteInstance", || call.clone().send())
        .await
        .map(|_| ())
        .map_err(|e| {
            ApiError::from_sdk("DeleteInstance", &rc.region, e)
                .about(format!("instance `{instance_id}`"))
        })
}
