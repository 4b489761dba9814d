//! Wire-level helpers: the restJson1 error format, JSON/empty responses,
//! SigV4 credential-scope parsing, query-string and path decoding.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderValue, Response, StatusCode};
use percent_encoding::percent_decode_str;

/// Header carrying the request id on every response (the SDK reads `x-amzn-requestid`).
pub const REQUEST_ID_HEADER: &str = "x-amzn-RequestId";
/// Header carrying the error code on error responses.
pub const ERROR_TYPE_HEADER: &str = "X-Amzn-ErrorType";

/// An error answered in the restJson1 format:
/// status + `X-Amzn-ErrorType: <code>` + `{"__type": code, "Message": message}`.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }
    pub fn invalid_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "InvalidRequestException", message)
    }
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::BAD_REQUEST,
            "InvalidParameterException",
            message,
        )
    }
    pub fn serialization(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "SerializationException", message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "ResourceNotFoundException", message)
    }
    pub fn duplicate(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "DuplicateResourceException", message)
    }
    pub fn in_use(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "ResourceInUseException", message)
    }
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "ResourceConflictException", message)
    }
    pub fn idempotency(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "IdempotencyException", message)
    }
    pub fn limit_exceeded(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "LimitExceededException",
            message,
        )
    }
    pub fn flow_not_published(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "ContactFlowNotPublishedException",
            message,
        )
    }
    pub fn invalid_flow(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
    pub fn quota_exceeded(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::PAYMENT_REQUIRED,
            "ServiceQuotaExceededException",
            message,
        )
    }
    pub fn throttling() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "ThrottlingException",
            "Rate exceeded",
        )
    }
    pub fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServiceException",
            "Internal service error (injected by the connectql emulator)",
        )
    }
    pub fn internal_after_apply() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalServiceException",
            "Internal service error (injected by the connectql emulator after the change was applied)",
        )
    }
    pub fn missing_auth() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        )
    }
    pub fn expired_token() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "ExpiredTokenException",
            "The security token included in the request is expired",
        )
    }
    pub fn access_denied(account: &str, region: &str, op: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "AccessDeniedException",
            format!(
                "User: arn:aws:iam::{account}:user/connectql-emulator is not authorized to perform: \
                 connect:{op} on resource: arn:aws:connect:{region}:{account}:instance/* \
                 because no identity-based policy allows the connect:{op} action"
            ),
        )
    }
    /// A Connect ARN of another account than the caller's (see
    /// [`super::state::foreign_account`]).
    pub fn cross_account(caller: &str, arn: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "AccessDeniedException",
            format!(
                "User: arn:aws:iam::{caller}:user/connectql-emulator is not authorized to access \
                 resource: {} because no resource-based policy allows access from account {caller}",
                arn.chars().take(300).collect::<String>()
            ),
        )
    }
    /// An operation of the table the emulator does not serve.
    pub fn unknown_operation_named(op: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "UnknownOperationException",
            format!("The connectql emulator does not implement {op}"),
        )
    }
    pub fn unknown_operation() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "UnknownOperationException",
            "Unknown operation",
        )
    }
}

/// Build a response with the headers every emulator response carries.
pub fn base_response(
    status: StatusCode,
    content_type: &'static str,
    body: Vec<u8>,
    request_id: &str,
) -> Response<Body> {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = status;
    let headers = resp.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(request_id) {
        headers.insert(REQUEST_ID_HEADER, v);
    }
    resp
}

/// A JSON response (`Content-Type: application/json`), body may be empty.
pub fn json_response(status: StatusCode, body: Vec<u8>, request_id: &str) -> Response<Body> {
    base_response(status, "application/json", body, request_id)
}

/// A response whose body fails at once: the server closes the connection
/// without sending a complete answer (apply-then-fail `drop`).
pub fn dropped_response() -> Response<Body> {
    let stream = futures::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by the connectql emulator",
        ))
    });
    let mut resp = Response::new(Body::from_stream(stream));
    resp.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    resp
}

/// The restJson1 error response for `err`.
pub fn error_response(err: &ApiError, request_id: &str) -> Response<Body> {
    let body = serde_json::json!({"__type": err.code, "Message": err.message});
    let mut resp = json_response(err.status, body.to_string().into_bytes(), request_id);
    resp.headers_mut()
        .insert(ERROR_TYPE_HEADER, HeaderValue::from_static(err.code));
    resp
}

/// The parts of a SigV4 credential scope we care about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CredentialScope {
    pub access_key: String,
    pub date: String,
    pub region: String,
    pub service: String,
}

/// A plausible region name: 1..64 of `[a-z0-9-]`.
pub fn valid_region(region: &str) -> bool {
    !region.is_empty()
        && region.len() <= 64
        && region
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Parse `AKID/20261126/us-east-1/connect/aws4_request`.
fn parse_scope(credential: &str) -> Option<CredentialScope> {
    let parts: Vec<&str> = credential.trim().split('/').collect();
    if parts.len() != 5 || parts[4] != "aws4_request" {
        return None;
    }
    let (akid, date, region, service) = (parts[0], parts[1], parts[2], parts[3]);
    let region_ok = valid_region(region);
    let date_ok = date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit());
    if akid.is_empty() || !region_ok || !date_ok || service.is_empty() {
        return None;
    }
    Some(CredentialScope {
        access_key: akid.to_string(),
        date: date.to_string(),
        region: region.to_string(),
        service: service.to_string(),
    })
}

/// Extract the credential scope from an `Authorization: AWS4-HMAC-SHA256 Credential=..., ...`
/// header. The signature is not verified. Connect's API takes no presigned query
/// strings, so `X-Amz-Credential` in the query does not authenticate. Returns `None`
/// when there is no usable SigV4 authentication for `connect`.
pub fn credential_scope(headers: &HeaderMap) -> Option<CredentialScope> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let rest = value.trim().strip_prefix("AWS4-HMAC-SHA256")?;
    let scope = rest
        .split(',')
        .map(str::trim)
        .find_map(|part| part.strip_prefix("Credential="))
        .and_then(parse_scope)?;
    (scope.service == "connect").then_some(scope)
}

/// Decode a raw query string into (name, value) pairs, percent-decoding both.
/// `+` is kept literally (SigV4 clients encode spaces as `%20`).
pub fn parse_query(raw: Option<&str>) -> Result<Vec<(String, String)>, ApiError> {
    let mut out = Vec::new();
    let Some(raw) = raw else { return Ok(out) };
    for pair in raw.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        out.push((decode(k)?, decode(v)?));
    }
    Ok(out)
}

/// First value of query parameter `name`.
pub fn query_get<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// All values of a repeated query parameter.
pub fn query_all<'a>(query: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    query
        .iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// Percent-decode a path segment or query component into UTF-8.
pub fn decode(s: &str) -> Result<String, ApiError> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| {
            ApiError::serialization("Invalid percent-encoding or UTF-8 in the request URI")
        })
}

/// Render a JSON value as response bytes.
pub fn to_body(v: &serde_json::Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_authorization_scope() {
        let mut h = HeaderMap::new();
        h.insert(
            header::AUTHORIZATION,
            HeaderValue::from_static(
                "AWS4-HMAC-SHA256 Credential=test/20261126/eu-west-2/connect/aws4_request, \
                 SignedHeaders=host;x-amz-date, Signature=abcdef",
            ),
        );
        let s = credential_scope(&h).unwrap();
        assert_eq!(s.region, "eu-west-2");
        assert_eq!(s.access_key, "test");
    }

    #[test]
    fn rejects_bad_scopes() {
        for bad in [
            "Bearer abc",
            "AWS4-HMAC-SHA256 SignedHeaders=host",
            "AWS4-HMAC-SHA256 Credential=test/20261126/us-east-1/s3/aws4_request",
            "AWS4-HMAC-SHA256 Credential=test/2026/us-east-1/connect/aws4_request",
            "AWS4-HMAC-SHA256 Credential=test/20261126//connect/aws4_request",
            "AWS4-HMAC-SHA256 Credential=/20261126/us-east-1/connect/aws4_request",
            "AWS4-HMAC-SHA256 Credential=test/20261126/US_EAST/connect/aws4_request",
        ] {
            let mut h = HeaderMap::new();
            h.insert(header::AUTHORIZATION, HeaderValue::from_static(bad));
            assert!(credential_scope(&h).is_none(), "{bad}");
        }
        assert!(credential_scope(&HeaderMap::new()).is_none());
    }

    #[test]
    fn query_repeated() {
        let q = parse_query(Some("tagKeys=a&tagKeys=b%20c&x")).unwrap();
        assert_eq!(query_all(&q, "tagKeys"), vec!["a", "b c"]);
        assert_eq!(query_get(&q, "x"), Some(""));
        assert!(parse_query(Some("a=%FF")).is_err());
    }
}
