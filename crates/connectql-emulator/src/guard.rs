//! The endpoint serves SDKs and CLIs, never browsers or foreign hosts.
//!
//! A web page can reach a loopback port: `fetch(url, {mode: 'no-cors', body})`
//! sends a "simple" request (an `Origin` header, a `text/plain`, form or
//! multipart body, no `Authorization`) without a preflight, and DNS rebinding
//! makes a page's own host name resolve to 127.0.0.1 (its `Host` header stays
//! that name). So on every route, API and control, before anything runs:
//!
//! * a request with an `Origin` header is refused;
//! * a `Host` that is not the listening address, nor `localhost`, `127.0.0.1`
//!   or `[::1]` with its port, is refused (when listening on an unspecified
//!   address such as `0.0.0.0`, any IP literal with its port is the address
//!   it listens on; a name never is, unless it is the `--listen` host);
//! * a `Content-Type` other than `application/json` is refused, and so is a
//!   body without one (botocore and aws-sdk-connect send `application/json`
//!   with every restJson1 body and no content type on a body-less GET/DELETE).
//!
//! Refusals answer 403 `AccessDeniedException` with a message saying why. The
//! SigV4 `Authorization` requirement of API calls is checked by the dispatcher
//! ([`super::wire::credential_scope`]).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, Response, StatusCode, Uri};
use axum::middleware::Next;

use super::wire::{error_response, ApiError};

/// The `Host` values the endpoint answers to.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    addr: SocketAddr,
    /// The host part of `--listen` when it is a name (`myhost.lan:8411`).
    listen_name: Option<String>,
}

impl AllowedHosts {
    /// `addr` is the bound socket; `listen` the address text it was bound from.
    pub fn new(addr: SocketAddr, listen: &str) -> Self {
        let listen_name = split_host_port(listen)
            .map(|(h, _)| h.to_ascii_lowercase())
            .filter(|h| h.parse::<IpAddr>().is_err() && !h.is_empty());
        AllowedHosts { addr, listen_name }
    }

    /// Whether a `Host` header value names this endpoint.
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host_port(host) else {
            return false;
        };
        let port = match port {
            None => 80,
            Some(p) => match p.parse::<u16>() {
                Ok(p) => p,
                Err(_) => return false,
            },
        };
        if port != self.addr.port() {
            return false;
        }
        let name = name.to_ascii_lowercase();
        if name == "localhost" || self.listen_name.as_deref() == Some(name.as_str()) {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.addr.ip() || self.addr.ip().is_unspecified(),
            Err(_) => false,
        }
    }
}

/// `host:port`, `[v6]:port`, `host` or `[v6]` → (host without brackets, port).
fn split_host_port(s: &str) -> Option<(&str, Option<&str>)> {
    if let Some(rest) = s.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        return match after {
            "" => Some((ip, None)),
            _ => Some((ip, Some(after.strip_prefix(':')?))),
        };
    }
    match s.rsplit_once(':') {
        Some((h, _)) if h.contains(':') => None,
        Some((h, p)) => Some((h, Some(p))),
        None => Some((s, None)),
    }
}

/// The `Host` of a request: the header (HTTP/1.1) or the URI's authority (HTTP/2).
fn request_host<'a>(headers: &'a HeaderMap, uri: &'a Uri) -> Option<&'a str> {
    match headers.get(header::HOST) {
        Some(v) => v.to_str().ok(),
        None => uri.authority().map(|a| a.as_str()),
    }
}

fn is_json(headers: &HeaderMap) -> Option<bool> {
    let v = headers.get(header::CONTENT_TYPE)?;
    let essence = v
        .to_str()
        .ok()
        .and_then(|v| v.split(';').next())
        .unwrap_or("");
    Some(essence.trim().eq_ignore_ascii_case("application/json"))
}

fn has_body(headers: &HeaderMap) -> bool {
    let length = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    headers.contains_key(header::TRANSFER_ENCODING) || length.is_some_and(|l| l != "0")
}

/// Why a request is refused, if it is.
pub fn refusal(
    allowed: &AllowedHosts,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
) -> Option<String> {
    if headers.contains_key(header::ORIGIN) {
        return Some(
            "Refused a browser request (it carries an Origin header); the endpoint serves \
             SDKs and CLIs"
                .to_string(),
        );
    }
    match request_host(headers, uri) {
        None => return Some("Refused a request without a Host header".to_string()),
        Some(host) if !allowed.allows(host) => {
            return Some(format!(
                "Refused a request for a foreign Host {host:?}; address this endpoint as {} \
                 or localhost:{}",
                allowed.addr,
                allowed.addr.port()
            ))
        }
        Some(_) => {}
    }
    let control = uri.path().starts_with("/_emulator/");
    let writes = matches!(*method, Method::POST | Method::PUT | Method::DELETE);
    match is_json(headers) {
        Some(true) => None,
        Some(false) => Some(format!(
            "Refused a browser-shaped request: Content-Type {:?}; the endpoint takes \
             application/json",
            headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("(not text)")
        )),
        // A page can POST without a body and without a content type; control
        // routes change state on such a request, so they need the JSON type.
        None if control && writes => Some(
            "Refused a browser-shaped request: control routes need Content-Type: \
             application/json on POST and DELETE"
                .to_string(),
        ),
        None if has_body(headers) => Some(
            "Refused a browser-shaped request: a body without Content-Type: application/json"
                .to_string(),
        ),
        None => None,
    }
}

/// Middleware on every route: refuse browser-shaped requests and foreign hosts.
pub async fn refuse_browsers(
    State(allowed): State<Arc<AllowedHosts>>,
    req: Request,
    next: Next,
) -> Response<Body> {
    match refusal(&allowed, req.method(), req.uri(), req.headers()) {
        Some(why) => {
            tracing::info!(target: "connectql::emulator", method = %req.method(),
                path = %req.uri().path(), reason = %why, "request refused");
            error_response(
                &ApiError::new(StatusCode::FORBIDDEN, "AccessDeniedException", why),
                &uuid::Uuid::new_v4().to_string(),
            )
        }
        None => next.run(req).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn allowed() -> AllowedHosts {
        AllowedHosts::new("127.0.0.1:8411".parse().unwrap(), "127.0.0.1:8411")
    }

    #[test]
    fn hosts() {
        let a = allowed();
        for ok in [
            "127.0.0.1:8411",
            "localhost:8411",
            "LOCALHOST:8411",
            "[::1]:8411",
        ] {
            assert!(a.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:8411",
            "evil.example",
            "127.0.0.1:8412",
            "localhost",
            "127.0.0.1:x",
            "10.0.0.1:8411",
            "::1:8411",
            "[::1",
            "",
        ] {
            assert!(!a.allows(bad), "{bad}");
        }
        let any = AllowedHosts::new("0.0.0.0:8411".parse().unwrap(), "0.0.0.0:8411");
        assert!(any.allows("192.168.1.5:8411"));
        assert!(!any.allows("evil.example:8411"));
        let named = AllowedHosts::new("192.168.1.5:80".parse().unwrap(), "box.lan:80");
        assert!(named.allows("box.lan"));
        assert!(named.allows("192.168.1.5"));
        assert!(!named.allows("evil.example"));
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_static(v));
        }
        h
    }

    #[test]
    fn refusals() {
        let a = allowed();
        let api: Uri = "/instance/x/attribute/CONTACT_LENS".parse().unwrap();
        let host = ("host", "127.0.0.1:8411");
        let refused = |m: Method, u: &Uri, h: &[(&'static str, &'static str)]| {
            refusal(&a, &m, u, &headers(h))
        };
        // What the SDK and the AWS CLI send.
        assert_eq!(
            refused(
                Method::POST,
                &api,
                &[
                    host,
                    ("content-type", "application/json"),
                    ("content-length", "2")
                ]
            ),
            None
        );
        assert_eq!(refused(Method::GET, &api, &[host]), None);
        assert_eq!(
            refused(Method::DELETE, &api, &[host, ("content-length", "0")]),
            None
        );
        // What a page sends.
        for h in [
            vec![host, ("origin", "null")],
            vec![host, ("content-type", "text/plain;charset=UTF-8")],
            vec![host, ("content-type", "multipart/form-data; boundary=x")],
            vec![host, ("content-type", "application/x-www-form-urlencoded")],
            vec![host, ("content-length", "5")],
            vec![("host", "evil.example:8411")],
            vec![],
        ] {
            assert!(refused(Method::POST, &api, &h).is_some(), "{h:?}");
        }
        let control: Uri = "/_emulator/reset".parse().unwrap();
        assert!(refused(Method::POST, &control, &[host]).is_some());
        assert!(refused(Method::GET, &"/_emulator/stats".parse().unwrap(), &[host]).is_none());
    }
}
