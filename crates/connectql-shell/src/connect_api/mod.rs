//! The Connect API mapping: every call connectql makes goes through here,
//! through aws-sdk-connect and the pacer ([`RegionClient::paced`]). Answers
//! come back as their wire JSON ([`wire::ToWire`]) for the catalog to read;
//! failures become [`ApiError`], which knows the operation, the region, the
//! IAM action and what to tell the user.
//!
//! * [`read`]: List*/Search* pages, Describe*, sub-listings — generic over
//!   the operation table.
//! * [`write`]: any write operation of the table, its input and answer as
//!   wire JSON ([`wire::FromWire`] back into the SDK's types) — generated
//!   from botocore's model by `tools/gen_wire.py` (`write_ops.rs`).
//! * [`instance`]: the instance's changes (attributes, tags, create, delete).
//! * [`client`], [`pacer`]: one region's client and Connect's rate limits.

pub mod client;
pub mod pacer;
pub mod read;
mod shapes;
pub mod wire;
pub mod write;
mod write_ops;

pub use client::RegionClient;

use std::fmt;

/// Where a call goes: the account a profile's credentials reach (or the
/// session's, `profile: None`) and a region. Connect's rate limits, the
/// client pool and the cache are all per place.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Place {
    /// The AWS profile whose credentials are used; `None`: the session's
    /// (`--profile`, `AWS_PROFILE`, the default chain).
    pub profile: Option<String>,
    pub region: String,
}

impl Place {
    pub fn new(profile: Option<&str>, region: &str) -> Place {
        Place {
            profile: profile.map(str::to_string),
            region: region.to_string(),
        }
    }
}

/// A profile of the AWS config and credentials files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileInfo {
    pub name: String,
    /// Its `region` setting.
    pub region: Option<String>,
    /// The account it reaches, when its settings name it (`sso_account_id`,
    /// or the account of its `role_arn`).
    pub account: Option<String>,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.profile {
            Some(p) => write!(f, "{} (profile {p})", self.region),
            None => write!(f, "{}", self.region),
        }
    }
}

use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_smithy_runtime_api::http::Response as HttpResponse;
use aws_smithy_types::error::display::DisplayErrorContext;

use crate::catalog::Op;

/// The message of a credential chain that found nothing.
const NO_CREDENTIALS: &str =
    "no usable AWS credentials (tried the environment, the profile files, \
                              web identity, SSO and instance metadata)";

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
    pub operation: Op,
    pub region: String,
    /// The profile the call was made with, when the statement chose one
    /// (boxed: errors travel in `Result`s and are kept small).
    pub profile: Option<Box<str>>,
    pub kind: ApiErrorKind,
    /// The AWS error code (`ResourceNotFoundException`...), when there is one.
    pub code: Option<String>,
    pub message: String,
    /// What the call was about (an instance id...), for the message.
    pub subject: Option<String>,
}

impl ApiError {
    pub fn new(
        operation: Op,
        region: &str,
        kind: ApiErrorKind,
        message: impl Into<String>,
    ) -> Self {
        ApiError {
            operation,
            region: region.to_string(),
            profile: None,
            kind,
            code: None,
            message: message.into(),
            subject: None,
        }
    }

    /// Names the profile the failed call was made with.
    pub fn in_profile(mut self, profile: Option<&str>) -> Self {
        if self.profile.is_none() {
            if let Some(p) = profile {
                self.profile = Some(p.into());
                // A named profile's credentials come from that profile alone.
                if let Some(cause) = self.message.strip_prefix(NO_CREDENTIALS) {
                    self.message = format!("the profile gave no usable credentials{cause}");
                }
            }
        }
        self
    }

    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// Builds an ApiError from any SDK error, classifying it by code first
    /// (the SDK turns codes it does not model for an operation into
    /// `Unhandled`, so matching typed variants would miss them).
    pub fn from_sdk<E>(operation: Op, region: &str, err: SdkError<E, HttpResponse>) -> Self
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
                format!(
                    "the {what}response could not be read: {}",
                    short_cause(&detail)
                )
            }
            ApiErrorKind::Timeout => "no response before the timeout (see --timeout)".to_string(),
            ApiErrorKind::Connection => {
                format!("could not reach the endpoint: {}", short_cause(&detail))
            }
            ApiErrorKind::Credentials if code.is_none() => {
                format!("{NO_CREDENTIALS}: {}", short_cause(&detail))
            }
            _ => match (service_message, status) {
                (Some(m), _) if !m.is_empty() => m,
                (_, Some(s)) if !(200..300).contains(&s) => {
                    format!("HTTP {s}: {}", short_cause(&detail))
                }
                _ => short_cause(&detail),
            },
        };
        ApiError {
            operation,
            region: region.to_string(),
            profile: None,
            kind,
            code,
            message,
            subject: None,
        }
    }

    pub fn iam_action(&self) -> String {
        self.operation.iam_action()
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
        if let Some(p) = &self.profile {
            write!(f, " (profile {p})")?;
        }
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
                "\n  hint: the caller{} needs the IAM action `{}` on this instance",
                self.profile
                    .as_deref()
                    .map(|p| format!(" (profile `{p}`)"))
                    .unwrap_or_default(),
                self.iam_action()
            ),
            ApiErrorKind::Credentials if self.profile.is_some() => write!(
                f,
                "\n  hint: the credentials of profile `{p}` are missing, invalid or expired: for an SSO profile run \
                 `aws sso login --profile {p}`; otherwise check its keys or role in the AWS config and credentials files",
                p = self.profile.as_deref().unwrap_or_default()
            ),
            ApiErrorKind::Credentials => write!(
                f,
                "\n  hint: AWS credentials are missing, invalid or expired. Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
                 (and AWS_SESSION_TOKEN), pick a profile with --profile or AWS_PROFILE, or run `aws sso login --profile <name>` \
                 for an SSO profile; `connectql --demo` needs none"
            ),
            ApiErrorKind::NotFound => match &self.subject {
                Some(s) => write!(f, "\n  hint: no {s} in region {}; check the region and the identifier", self.region),
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
