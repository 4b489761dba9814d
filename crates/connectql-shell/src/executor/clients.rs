//! The client pool: one `SdkConfig` per profile, loaded once through
//! aws-config (so a profile's credentials — keys, role, SSO — resolve as the
//! AWS CLI resolves them), and one `aws_sdk_connect::Client` per place
//! (profile and region), created on first use.

use std::collections::HashMap;
use std::fmt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use aws_config::meta::region::ProvideRegion;
use aws_config::{BehaviorVersion, SdkConfig};
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_runtime::env_config::file::{EnvConfigFileKind, EnvConfigFiles};
use aws_sdk_connect::config::retry::RetryConfig;
use aws_sdk_connect::config::timeout::TimeoutConfig;
use aws_sdk_connect::config::{Credentials, Region};
use aws_sdk_connect::Client;
use aws_smithy_runtime_api::box_error::BoxError;
use aws_smithy_runtime_api::client::interceptors::context::{
    BeforeTransmitInterceptorContextRef, InterceptorContext,
};
use aws_smithy_runtime_api::client::interceptors::Intercept;
use aws_smithy_runtime_api::client::orchestrator::Metadata;
use aws_smithy_runtime_api::client::retries::classifiers::{
    ClassifyRetry, RetryAction, RetryClassifierPriority,
};
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use aws_smithy_types::config_bag::ConfigBag;
use tokio::sync::OnceCell;

use crate::connect_api::pacer::{self, Pacer, Quota};
use crate::connect_api::{Place, ProfileInfo, RegionClient};
use crate::logging;

/// How to reach Connect. Everything optional falls back to aws-config's
/// default chains (environment, profile, SSO).
#[derive(Clone, Default)]
pub struct ConnectionOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
    /// Bound on one statement's calls, retries included.
    pub timeout: Option<Duration>,
    /// Explicit credentials (the demo and tests), skipping the chain.
    pub static_credentials: Option<(String, String)>,
    /// Attempts per call, first included (adaptive retry).
    pub max_attempts: Option<u32>,
    /// The AWS config and credentials files to read instead of the
    /// default ones (`--demo`'s throw-away pair): the session's profiles.
    pub profile_files: Option<(PathBuf, PathBuf)>,
}

impl fmt::Debug for ConnectionOptions {
    // Never print the secret key.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectionOptions")
            .field("profile", &self.profile)
            .field("region", &self.region)
            .field("endpoint_url", &self.endpoint_url)
            .field("timeout", &self.timeout)
            .field(
                "static_credentials",
                &self.static_credentials.as_ref().map(|_| "** redacted **"),
            )
            .field("max_attempts", &self.max_attempts)
            .field("profile_files", &self.profile_files)
            .finish()
    }
}

pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
pub const DEFAULT_MAX_ATTEMPTS: u32 = 8;

/// Counts of HTTP attempts, fed by an SDK interceptor so
/// retries and pages are counted as what they are: calls.
#[derive(Debug, Default)]
pub struct CallCounters {
    pub api_calls: AtomicU64,
    pub cache_hits: AtomicU64,
    /// Attempts per operation (`DescribeUser`), for the shell's progress.
    per_operation: Mutex<HashMap<String, u64>>,
}

impl CallCounters {
    pub fn api_calls(&self) -> u64 {
        self.api_calls.load(Ordering::Relaxed)
    }
    pub fn cache_hits(&self) -> u64 {
        self.cache_hits.load(Ordering::Relaxed)
    }
    pub fn hit(&self) {
        self.cache_hits.fetch_add(1, Ordering::Relaxed);
    }
    /// The attempts of every operation so far.
    pub fn operation_counts(&self) -> HashMap<String, u64> {
        self.per_operation
            .lock()
            .map(|m| m.clone())
            .unwrap_or_default()
    }
    /// The attempts of one operation so far (`DescribeUser`).
    pub fn operation_calls(&self, operation: &str) -> u64 {
        self.per_operation
            .lock()
            .map(|m| m.get(operation).copied().unwrap_or(0))
            .unwrap_or(0)
    }
    fn record(&self, operation: &str) {
        self.api_calls.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut m) = self.per_operation.lock() {
            match m.get_mut(operation) {
                Some(n) => *n += 1,
                None => {
                    m.insert(operation.to_string(), 1);
                }
            }
        }
    }
}

#[derive(Debug)]
struct CountingInterceptor(Arc<CallCounters>);

impl Intercept for CountingInterceptor {
    fn name(&self) -> &'static str {
        "connectql::CountingInterceptor"
    }
    fn read_before_transmit(
        &self,
        context: &BeforeTransmitInterceptorContextRef<'_>,
        _rc: &RuntimeComponents,
        cfg: &mut ConfigBag,
    ) -> Result<(), BoxError> {
        let operation = cfg
            .load::<Metadata>()
            .map(|m| m.name().to_string())
            .unwrap_or_default();
        self.0.record(&operation);
        let req = context.request();
        // The Authorization header carries a signature and the access key
        // id: log the method and path only.
        tracing::debug!(target: "connectql::http", operation = %operation, method = %req.method(), uri = %redact_uri(req.uri()), "send");
        Ok(())
    }
}

/// Forbids retrying a call whose connection was refused or whose host
/// does not resolve: the endpoint is not there, and retrying with backoff
/// would only turn a clear error into a long wait.
#[derive(Debug)]
struct UnreachableEndpointClassifier;

impl ClassifyRetry for UnreachableEndpointClassifier {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(Err(err)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let Some(connector) = err.as_connector_error() else {
            return RetryAction::NoActionIndicated;
        };
        if connector.is_timeout() {
            return RetryAction::NoActionIndicated;
        }
        let mut source: Option<&(dyn std::error::Error + 'static)> = Some(connector);
        while let Some(e) = source {
            if let Some(io) = e.downcast_ref::<std::io::Error>() {
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::ConnectionRefused | std::io::ErrorKind::AddrNotAvailable
                ) {
                    return RetryAction::RetryForbidden;
                }
            }
            let text = e.to_string().to_ascii_lowercase();
            if text.contains("connection refused")
                || text.contains("dns error")
                || text.contains("failed to lookup")
            {
                return RetryAction::RetryForbidden;
            }
            source = e.source();
        }
        RetryAction::NoActionIndicated
    }

    fn name(&self) -> &'static str {
        "connectql::UnreachableEndpointClassifier"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// Hands throttled attempts back to the caller instead of retrying them
/// with backoff: the [`Pacer`] retries them through its slots, at the rate
/// Connect refills its bucket.
#[derive(Debug)]
struct ThrottleToPacerClassifier;

impl ClassifyRetry for ThrottleToPacerClassifier {
    fn classify_retry(&self, ctx: &InterceptorContext) -> RetryAction {
        let Some(Err(err)) = ctx.output_or_error() else {
            return RetryAction::NoActionIndicated;
        };
        let _ = err;
        let response = ctx.response();
        let status = response.map(|r| r.status().as_u16());
        // The same header aws-sdk-rust reads the error code from first.
        let code = response
            .and_then(|r| r.headers().get("x-amzn-errortype"))
            .map(|v| {
                v.split(':')
                    .next()
                    .unwrap_or(v)
                    .rsplit('#')
                    .next()
                    .unwrap_or(v)
                    .to_string()
            });
        if pacer::is_throttling(code.as_deref(), status) {
            RetryAction::RetryForbidden
        } else {
            RetryAction::NoActionIndicated
        }
    }

    fn name(&self) -> &'static str {
        "connectql::ThrottleToPacerClassifier"
    }

    fn priority(&self) -> RetryClassifierPriority {
        RetryClassifierPriority::run_after(RetryClassifierPriority::transient_error_classifier())
    }
}

/// The provider chain's answer, with every identity it returns registered
/// with the log scrubber ([`logging::register_secret`]) before anything
/// uses it: the exact key id, secret and session token are then replaced
/// in every log line, error, warning and history entry, whatever source
/// (environment, profile files, SSO caches, STS) they came from.
#[derive(Debug)]
struct RegisteringProvider(SharedCredentialsProvider);

impl ProvideCredentials for RegisteringProvider {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        future::ProvideCredentials::new(async move {
            let credentials = self.0.provide_credentials().await?;
            logging::register_secret(credentials.access_key_id());
            logging::register_secret(credentials.secret_access_key());
            if let Some(token) = credentials.session_token() {
                logging::register_secret(token);
            }
            Ok(credentials)
        })
    }
}

/// The URI without its query string values (tokens can be long and noisy).
fn redact_uri(uri: &str) -> String {
    match uri.split_once('?') {
        Some((path, _)) => format!("{path}?…"),
        None => uri.to_string(),
    }
}

pub struct ClientPool {
    options: ConnectionOptions,
    /// Per profile (`None`: the session's).
    sdk_configs: Mutex<HashMap<Option<String>, Arc<OnceCell<SdkConfig>>>>,
    /// The configured default region and where it was read.
    default_region: OnceCell<Option<(String, Option<&'static str>)>>,
    profiles: OnceCell<Result<Vec<ProfileInfo>, String>>,
    /// The account each profile reached, by name, from the ARNs read.
    accounts: Mutex<HashMap<String, String>>,
    clients: Mutex<HashMap<Place, Client>>,
    counters: Arc<CallCounters>,
    pacer: Arc<Pacer>,
}

impl ClientPool {
    pub fn new(options: ConnectionOptions, counters: Arc<CallCounters>) -> Self {
        ClientPool {
            options,
            sdk_configs: Mutex::new(HashMap::new()),
            default_region: OnceCell::new(),
            profiles: OnceCell::new(),
            accounts: Mutex::new(HashMap::new()),
            clients: Mutex::new(HashMap::new()),
            counters,
            pacer: Arc::new(Pacer::default()),
        }
    }

    /// The session's configured default region: the options' region, then
    /// `AWS_REGION` / `AWS_DEFAULT_REGION`, then the profile. Instance
    /// metadata is never asked (it costs seconds off EC2), so statements
    /// name a region there.
    pub async fn default_region(&self) -> Option<String> {
        self.default_region_source().await.map(|(r, _)| r)
    }

    /// The configured default region and where it was read (for
    /// `.region`; `None`: the session's options, e.g. `--demo`'s).
    pub async fn default_region_source(&self) -> Option<(String, Option<&'static str>)> {
        self.default_region
            .get_or_init(|| async {
                if let Some(r) = &self.options.region {
                    return Some((r.clone(), None));
                }
                for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
                    if let Ok(v) = std::env::var(var) {
                        if !v.trim().is_empty() {
                            return Some((v.trim().to_string(), Some(var)));
                        }
                    }
                }
                let mut builder = aws_config::profile::ProfileFileRegionProvider::builder();
                if let Some(p) = &self.options.profile {
                    builder = builder.profile_name(p);
                }
                if let Some(files) = self.profile_files() {
                    builder = builder.profile_files(files);
                }
                let region = builder.build().region().await?;
                Some((region.to_string(), Some("the profile's region setting")))
            })
            .await
            .clone()
    }

    /// The session's own AWS config files, when it has them (`--demo`).
    fn profile_files(&self) -> Option<EnvConfigFiles> {
        let (config, credentials) = self.options.profile_files.as_ref()?;
        Some(
            EnvConfigFiles::builder()
                .include_default_config_file(false)
                .include_default_credentials_file(false)
                .with_file(EnvConfigFileKind::Config, config)
                .with_file(EnvConfigFileKind::Credentials, credentials)
                .build(),
        )
    }

    /// The profiles of the AWS config and credentials files, read as the
    /// AWS CLI reads them (`AWS_CONFIG_FILE`, `AWS_SHARED_CREDENTIALS_FILE`,
    /// `~/.aws/...`) by aws-config, once per session, sorted by name.
    pub async fn configured_profiles(&self) -> Result<Vec<ProfileInfo>, String> {
        self.profiles
            .get_or_init(|| async {
                let set = aws_config::profile::load(
                    &aws_types::os_shim_internal::Fs::real(),
                    &aws_types::os_shim_internal::Env::real(),
                    &self.profile_files().unwrap_or_default(),
                    None,
                )
                .await
                .map_err(|e| format!("the AWS config files could not be read: {e}"))?;
                let mut out: Vec<ProfileInfo> = set
                    .profiles()
                    .filter_map(|name| {
                        let p = set.get_profile(name)?;
                        let account = p.get("sso_account_id").map(str::to_string).or_else(|| {
                            p.get("role_arn")
                                .and_then(crate::catalog::arn_account)
                                .map(str::to_string)
                        });
                        Some(ProfileInfo {
                            name: name.to_string(),
                            region: p.get("region").map(str::to_string),
                            account,
                        })
                    })
                    .collect();
                out.sort_by(|a, b| a.name.cmp(&b.name));
                Ok(out)
            })
            .await
            .clone()
    }

    /// Whose quota a place's calls spend: its profile's account id when
    /// known (the profile's settings, or an ARN it has read), else the
    /// profile's name. Two profiles reaching one account then share the
    /// pacer's lanes, as they share Connect's limits.
    async fn quota_account(&self, place: &Place) -> String {
        let Some(name) = self.profile_name(place) else {
            return String::new();
        };
        if let Some(account) = self.known_account(&name) {
            return account;
        }
        let configured = self.configured_profiles().await.ok().and_then(|list| {
            list.into_iter()
                .find(|p| p.name == name)
                .and_then(|p| p.account)
        });
        configured.unwrap_or_else(|| format!("profile {name}"))
    }

    /// Remembers the account `place`'s profile reached (from an ARN it read).
    pub fn learn_account(&self, place: &Place, arn: &str) {
        let (Some(name), Some(account)) =
            (self.profile_name(place), crate::catalog::arn_account(arn))
        else {
            return;
        };
        if let Ok(mut m) = self.accounts.lock() {
            m.entry(name).or_insert_with(|| account.to_string());
        }
    }

    /// The account a profile reached, when one of its calls has said.
    pub fn known_account(&self, profile: &str) -> Option<String> {
        self.accounts.lock().ok()?.get(profile).cloned()
    }

    /// The session's profile (`--profile`; else aws-config reads `AWS_PROFILE`).
    pub fn session_profile(&self) -> Option<&str> {
        self.options.profile.as_deref()
    }

    /// The name of the profile whose credentials a place's calls use: the
    /// statement's, else `--profile` (both always a profile's, see
    /// `sdk_config`), else `AWS_PROFILE` or `default`; `None` when the
    /// session's credentials are not a profile's (explicit keys, or keys in
    /// the environment, which the default chain prefers to `AWS_PROFILE`).
    pub fn profile_name(&self, place: &Place) -> Option<String> {
        if let Some(p) = place.profile.as_ref().or(self.options.profile.as_ref()) {
            return Some(p.clone());
        }
        let env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if self.options.static_credentials.is_some() || env("AWS_ACCESS_KEY_ID").is_some() {
            return None;
        }
        Some(env("AWS_PROFILE").unwrap_or_else(|| "default".to_string()))
    }

    /// The shared config of `profile` (`None`: the session's), loaded once.
    async fn sdk_config(&self, profile: Option<&str>) -> SdkConfig {
        let cell = match self.sdk_configs.lock() {
            Ok(mut m) => m.entry(profile.map(str::to_string)).or_default().clone(),
            Err(_) => Arc::new(OnceCell::new()),
        };
        cell.get_or_init(|| async {
            let timeout = self.options.timeout.unwrap_or(DEFAULT_TIMEOUT);
            let attempts = self.options.max_attempts.unwrap_or(DEFAULT_MAX_ATTEMPTS);
            let mut loader = aws_config::defaults(BehaviorVersion::latest())
                .retry_config(
                    RetryConfig::adaptive()
                        .with_max_attempts(attempts)
                        .with_initial_backoff(Duration::from_millis(100))
                        .with_max_backoff(Duration::from_secs(5)),
                )
                .timeout_config(
                    TimeoutConfig::builder()
                        .connect_timeout(Duration::from_secs(2).min(timeout))
                        .operation_attempt_timeout(timeout.min(Duration::from_secs(10)))
                        .operation_timeout(timeout)
                        .build(),
                );
            if let Some(p) = profile.or(self.options.profile.as_deref()) {
                loader = loader.profile_name(p);
            }
            // A region is always given explicitly so the region chain never
            // falls through to instance metadata; clients override it.
            let region = self
                .default_region()
                .await
                .unwrap_or_else(|| "us-east-1".to_string());
            loader = loader.region(Region::new(region));
            if let Some(url) = &self.options.endpoint_url {
                loader = loader.endpoint_url(url);
                // An http:// endpoint needs no TLS: the default client
                // would start its TLS stack and load the system's root
                // certificates for nothing (a third of a one-statement
                // process's memory). https:// keeps the default client.
                if url
                    .get(..7)
                    .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
                {
                    loader =
                        loader.http_client(aws_smithy_http_client::Builder::new().build_http());
                }
            }
            if let Some(files) = self.profile_files() {
                loader = loader.profile_files(files);
            }
            // A named profile — the statement's, or the session's
            // `--profile` — uses that profile's credentials (keys, role,
            // SSO), never keys in the environment, which the default chain
            // would try first: as the AWS CLI, where `--profile` beats
            // AWS_ACCESS_KEY_ID. Explicit credentials are the session's
            // when it names no profile.
            match profile.or(self.options.profile.as_deref()) {
                Some(p) => {
                    let mut provider =
                        aws_config::profile::ProfileFileCredentialsProvider::builder()
                            .profile_name(p);
                    if let Some(files) = self.profile_files() {
                        provider = provider.profile_files(files);
                    }
                    loader = loader.credentials_provider(provider.build());
                }
                None => {
                    if let Some((key, secret)) = &self.options.static_credentials {
                        loader = loader.credentials_provider(Credentials::new(
                            key,
                            secret,
                            None,
                            None,
                            "connectql-static",
                        ));
                    }
                }
            }
            let config = loader.load().await;
            match config.credentials_provider() {
                Some(chain) => config
                    .into_builder()
                    .credentials_provider(SharedCredentialsProvider::new(RegisteringProvider(
                        chain,
                    )))
                    .build(),
                None => config,
            }
        })
        .await
        .clone()
    }

    /// The session's client for `region`.
    pub async fn client(&self, region: &str) -> RegionClient {
        self.client_at(&Place::new(None, region)).await
    }

    /// The client for `place`, created on first use from its profile's config.
    pub async fn client_at(&self, place: &Place) -> RegionClient {
        let existing = self.clients.lock().ok().and_then(|m| m.get(place).cloned());
        let client = match existing {
            Some(c) => c,
            None => {
                let sdk = self.sdk_config(place.profile.as_deref()).await;
                let conf = aws_sdk_connect::config::Builder::from(&sdk)
                    .region(Region::new(place.region.clone()))
                    .interceptor(CountingInterceptor(self.counters.clone()))
                    .retry_classifier(UnreachableEndpointClassifier)
                    .retry_classifier(ThrottleToPacerClassifier)
                    .build();
                let client = Client::from_conf(conf);
                match self.clients.lock() {
                    Ok(mut m) => m.entry(place.clone()).or_insert(client).clone(),
                    Err(_) => client,
                }
            }
        };
        let quota = Quota::new(&self.quota_account(place).await, &place.region);
        RegionClient::with_quota(client, place, quota, self.pacer.clone())
    }

    pub fn pacer(&self) -> &Arc<Pacer> {
        &self.pacer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn profiles_of_one_account_share_its_quota() {
        let dir = std::env::temp_dir().join(format!("connectql-quota-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (config, credentials) = (dir.join("config"), dir.join("credentials"));
        std::fs::write(
            &config,
            "[profile sso]\nsso_account_id = 111111111111\nregion = eu-west-2\n\n\
             [profile role]\nrole_arn = arn:aws:iam::111111111111:role/admin\nsource_profile = keys\n\n\
             [profile keys]\nregion = us-east-1\n",
        )
        .unwrap();
        std::fs::write(&credentials, "[keys]\naws_access_key_id = AKIAEXAMPLE\n").unwrap();
        let pool = ClientPool::new(
            ConnectionOptions {
                profile_files: Some((config, credentials)),
                ..ConnectionOptions::default()
            },
            Arc::default(),
        );
        let names: Vec<String> = pool
            .configured_profiles()
            .await
            .unwrap()
            .into_iter()
            .map(|p| p.name)
            .collect();
        assert_eq!(names, ["keys", "role", "sso"]);
        let pool = &pool;
        let quota = |p: &str| {
            let place = Place::new(Some(p), "us-east-1");
            async move { pool.quota_account(&place).await }
        };
        assert_eq!(quota("sso").await, "111111111111");
        assert_eq!(quota("role").await, "111111111111");
        // Until an ARN says which account a key reaches, its profile stands for it.
        assert_eq!(quota("keys").await, "profile keys");
        pool.learn_account(
            &Place::new(Some("keys"), "us-east-1"),
            "arn:aws:connect:us-east-1:222222222222:instance/i-1",
        );
        assert_eq!(quota("keys").await, "222222222222");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
