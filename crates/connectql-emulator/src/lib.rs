//! A local Amazon Connect endpoint speaking the real restJson1 wire protocol, with
//! state per account and region taken from the SigV4 credential scope (the account
//! from its access key, see [Accounts](#accounts)) and run-time fault injection. Works unchanged with the AWS CLI (`aws --endpoint-url
//! http://127.0.0.1:PORT ...`), boto3 and aws-sdk-connect (`endpoint_url`).
//!
//! # Operations
//!
//! It serves every row of the operation table
//! ([`connect_operations::OPERATIONS`]): requests are routed by method and
//! URI template ([`router`]), throttled per row's documented rate, and answered
//! with botocore's output shapes:
//!
//! * the instance operations ([`handlers`]): List/Describe/Create/DeleteInstance,
//!   instance attributes, and the tag operations for any taggable ARN (instance,
//!   any item inside one, a claimed phone number, an integration association);
//! * the contents of an instance ([`dispatch`]): for users, queues, routing
//!   profiles, hours of operation, contact flows, flow modules, phone numbers,
//!   security profiles, quick connects, user hierarchy groups, prompts, agent
//!   statuses, approved origins, instance storage configs and integration
//!   associations, every List*, Describe*, Search* and sub-listing of the table
//!   ([`reads`], [`search`]) and the Create/Update/Associate/Delete operations of
//!   the table ([`changes`]). Items are kept as their Describe JSON in one generic
//!   store, one descriptor per kind ([`content::KIND_DEFS`]). Wherever an
//!   operation takes `InstanceId`, the instance id or its ARN works. Deleting an
//!   instance deletes its contents.
//!
//! A new instance holds what Connect puts in every instance ([`defaults`]);
//! `--demo-data` loads four contact centres ([`demo_content`]; what each holds:
//! [`demo::demo_facts`]).
//!
//! Pages: `MaxResults` outside 1..the row's maximum is a 400
//! InvalidParameterException (absent = 100, or the maximum when smaller); `NextToken`
//! is opaque and valid only for the operation that issued it; order is creation
//! order; every list answer carries its list member, even empty; Search* pages carry
//! `ApproximateTotalCount`. Search rules (case: EXACT case-sensitive, STARTS_WITH and
//! CONTAINS case-insensitive; anything not modeled → 400 InvalidRequestException
//! naming it) are in [`search`]. Validation, status codes and `ClientToken`
//! idempotency of the changes are in [`changes`] and [`dispatch`].
//!
//! Not modeled: AGENT queues (one per user in real Connect; only STANDARD queues
//! exist), queue email addresses (always empty), creating hours-of-operation overrides (no
//! operation of the table does; the demo has a few), traffic distribution groups, flow
//! versions and `FlowContentSha256`.
//!
//! # Accounts
//!
//! The endpoint holds several AWS accounts, each with its own instances (and all they
//! hold), ARNs, service roles, instance quota, ClientToken records and throttling
//! buckets. The account of a request is chosen by the access key id of its SigV4
//! `Authorization` header (`Credential=KEY/date/region/connect/aws4_request`; the
//! signature is not verified):
//!
//! * a key mapped by `--account KEY=ACCOUNT_ID` (repeatable;
//!   [`EmulatorArgs::accounts`]) or by `--demo-accounts` goes to that account;
//! * every other key goes to the `--account-id` account (default `123456789012`), so
//!   a client with any credentials (`test`/`test`) sees one account as before.
//!
//! A key mapped to two accounts, a malformed account id, or `--demo-accounts` with an
//! `--account-id` of a demo account is refused at start-up.
//!
//! A Connect ARN naming another account than the caller's — as an `InstanceId`
//! (label or body), a tag operation's `resourceArn`, a phone number ARN — is refused
//! 403 AccessDeniedException (`User: arn:aws:iam::CALLER:user/connectql-emulator is
//! not authorized to access resource: ARN because no resource-based policy allows
//! access from account CALLER`), whether or not the endpoint holds that account:
//! IAM authorizes on the resource ARN before Connect looks anything up, and Connect
//! has no resource-based policies, so a cross-account ARN never reaches the
//! resource. A bare id of another account's instance is simply not found (404
//! ResourceNotFoundException), as is an item ARN of another account given as a
//! parameter inside an instance of one's own (e.g. a `QueueId`). ARNs of other
//! regions stay 404.
//!
//! `--demo-accounts` adds two accounts ([`DEMO_ACCOUNTS`]):
//!
//! | profile | access key ([`DEMO_DEV_KEY`], [`DEMO_PROD_KEY`]) | account | holds |
//! |---|---|---|---|
//! | `demo-dev` | `AKIADEMODEVACCOUNT01` | `111111111111` | the four `--demo-data` contact centres (same aliases and contents, own ids and ARNs), tagged `env=dev` |
//! | `demo-prod` | `AKIADEMOPRODACCOUNT1` | `222222222222` | three of them promoted, with the differences of [`demo::PROD_DIFFERENCES`] |
//!
//! The secret key is never checked; [`DEMO_SECRET_KEY`] is the one a throw-away
//! AWS config writes. Prod differs from dev by: aliases `acme-support-prod`,
//! `acme-sales-prod`, `acme-uk-prod` and no `acme-anz` (ap-southeast-2); no
//! `Escalations` queue in acme-support-prod (nor its quick connect; Tier 2 Agents
//! routes to the other two queues); `dana.reports` on `Tier 1 Agents` instead of
//! `Back Office`; `US Business Hours` weekdays 07:00–21:00 instead of 08:00–20:00;
//! `env=prod` tags. `--demo-data` still loads the `--account-id` account.
//!
//! Not modeled: instance aliases are unique per account and region, not globally;
//! both demo accounts claim the same demo phone numbers; control routes and fault
//! settings are shared by all accounts (`regions` can limit faults; of the faults,
//! only throttling can be limited to some accounts: `--throttle-account ID` or
//! `throttle_accounts`).
//!
//! # Control routes
//!
//! No authentication, not counted, not delayed; JSON in and out; a bad body is
//! answered 400 `InvalidRequestException`. Neither they nor the API can be driven
//! by a web page ([`guard`]): a request with an `Origin` header, a foreign `Host`
//! (DNS rebinding) or a body that is not `application/json` is refused 403 on every
//! route, and so is a control POST or DELETE without `Content-Type:
//! application/json`. API requests without a SigV4 `Authorization` header are
//! refused 403 `MissingAuthenticationTokenException` (Connect's API takes no
//! presigned query strings).
//!
//! * `GET /_emulator/faults` → the settings in force:
//!   `{"latency_ms":0,"error_rate":0.0,"throttle":false,"throttle_accounts":[],
//!   "malformed":null,"deny":[],
//!   "expired_token":false,"stall_ms":0,"regions":[],"apply_then_fail":null,
//!   "repeat_page_token":null,"not_found":null}`.
//! * `POST /_emulator/faults` with any subset of those keys (absent = unchanged,
//!   `null` = off); all-or-nothing; answers the new settings. `throttle_accounts` is a
//!   list of account ids throttled as `throttle` throttles every account (the token
//!   buckets of Connect, per account, region and operation), the other accounts
//!   answering freely; `--throttle-account ID` (repeatable) sets it at start-up.
//!   `malformed` is
//!   `{"kind":"truncated"|"wrong_types"|"html"|"empty","operations":["DescribeInstance"],
//!   "count":N}` (`operations` absent/empty = all, `count` absent = until cleared);
//!   `deny` is a list of operation names answered 403 AccessDeniedException.
//!   `regions` limits every fault to requests scoped to those regions.
//!   `apply_then_fail` is `{"mode":"error"|"drop","rate":F,"operations":["CreateUser"],
//!   "count":N}`: a call that changes something takes effect, then is answered 500
//!   InternalServiceException (`error`, the default) or its connection is closed
//!   without a response (`drop`), so that client retries meet a change already made.
//!   `rate` (default 1) is the share of eligible calls, `operations` (absent/empty =
//!   every operation that is not a List/Describe/Search/Get) limits it, `count`
//!   (absent = until cleared) the number of failures.
//!   `repeat_page_token` is `{"operations":["SearchUsers"]}`: every page of those
//!   paginated operations that has a next page answers the NextToken it was asked
//!   with (page 1 its own), so a client following it reads 1 → 2 → 2 → 2 …
//!   (`operations` absent/empty = every paginated operation). `not_found` is
//!   `{"operations":["DescribeUser"],"count":N}`: the next N calls answer 404
//!   ResourceNotFoundException without running (`operations` absent/empty = all,
//!   `count` absent = until cleared).
//! * `DELETE /_emulator/faults` → back to the command-line settings.
//! * `GET /_emulator/stats` → `{"calls":{"DescribeInstance":3},"calls_by_region":
//!   {"us-east-1":{"DescribeInstance":3}},"calls_by_account":{"123456789012":
//!   {"DescribeInstance":3}},"throttled":0,"errors_injected":0,"denied":0,
//!   "expired_token":0,"malformed":0,"unauthenticated":0,"unknown_operations":0,
//!   "applied_then_failed":0,"not_found_injected":0,"last_answer_ms_by_account":
//!   {"123456789012":1520.4},"client_token_replays":0,"uptime_ms":2210.9}`
//!   (`client_token_replays`: retries of CreateInstance, UpdateInstanceAttribute and
//!   DeleteInstance answered from their ClientToken's record, not applied again; all
//!   accounts. `last_answer_ms_by_account`: when each account's latest successful
//!   answer was sent and `uptime_ms`: now, both in milliseconds since the emulator
//!   started — read `uptime_ms` before a run and each account's last answer after it
//!   to see when that account's calls finished).
//! * `POST /_emulator/reset` → clears every account's instances, statistics and
//!   run-time faults; body `{"reseed": true}` reloads the start-up data (`--demo-data`,
//!   `--seed-instances`, `--demo-accounts`).
//! * `POST /_emulator/seed` with `{"region":"us-east-1","count":2000,"alias_prefix":"load"}`
//!   → creates ACTIVE instances `load-0001`… directly (no quota check; they do count
//!   towards it afterwards) and answers `{"region","created","total","ids"}`.
//! * `POST /_emulator/seed` with `{"region":"us-east-1","instance":"<id, ARN or alias>",
//!   "resource":"users"|"queues","count":N}` → adds N generated users (usernames
//!   `first.last.NNNNN`, names, emails; the instance's Basic Routing Profile and Agent
//!   security profile) or queues (`Seed Queue NNNNN`) directly, and answers
//!   `{"region","instance","resource","created","total"}`. 10,000 users take about
//!   3 s in a debug build; searching them pages by position (no quadratic work).
//!   Both forms take `"account":"111111111111"` (default: the `--account-id`
//!   account); an account the endpoint does not hold is a 400.
//!
//! The start-up data (`--demo-data`, `--demo-accounts`, `--seed-instances`) is built
//! on a thread beside the listener: [`start`] returns once the socket is bound (so
//! `connectql --demo` shows its prompt without waiting for the sample contact
//! centres) and every request, API or control, waits until the data is complete.
//! `connectql emulator` prints its `listening on` line once the data is loaded.
//!
//! Order of checks on an API request: route (404 UnknownOperationException) →
//! statistics → latency + stall → SigV4 scope and its account (403
//! MissingAuthenticationTokenException)
//! → expired_token → deny → throttle (or throttle_accounts) → error_rate → not_found → malformed html/empty
//! (the operation does not run) → the operation → repeat_page_token → apply_then_fail
//! (it did run) → malformed truncated/wrong_types (it did run). Before all of them, on
//! every route: the browser and Host guards ([`guard`]).
//!
//! `--listen` on an address that is not loopback prints a warning on stderr.

pub mod changes;
pub mod content;
pub mod defaults;
pub mod demo;
pub mod demo_content;
pub mod dispatch;
pub mod faults;
pub mod guard;
pub mod handlers;
pub mod reads;
pub mod router;
pub mod scope;
pub mod search;
pub mod state;
pub mod validate;
pub mod wire;

use std::collections::{BTreeMap, HashMap};
use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Response, StatusCode};
use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use serde_json::{json, Value};
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use connect_operations::Op;
pub use demo::{
    DemoAccount, DemoVariant, DEMO_ACCOUNTS, DEMO_DEV_ACCOUNT, DEMO_DEV_KEY, DEMO_PROD_ACCOUNT,
    DEMO_PROD_KEY, DEMO_SECRET_KEY,
};
pub use faults::{ApplyThenFail, FailMode, FaultSettings, Malformed, MalformedKind};

use faults::Buckets;
use state::{Stats, Store};
use wire::{error_response, json_response, to_body, ApiError};

/// Largest request body accepted.
const BODY_LIMIT: usize = 1 << 20;
/// Largest `count` accepted by `POST /_emulator/seed`.
const SEED_LIMIT: u64 = 100_000;

/// Options of the emulator (`connectql emulator ...`).
#[derive(clap::Args, Debug, Clone)]
pub struct EmulatorArgs {
    /// Address to listen on; port 0 picks a free port.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8411")]
    pub listen: String,
    /// Load sample instances in us-east-1, eu-west-2 and ap-southeast-2 (in the
    /// --account-id account).
    #[arg(long)]
    pub demo_data: bool,
    /// Delay every API response by this many milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
    /// Throttle like Amazon Connect: 2 requests/s, burst 5, per account, region and
    /// operation (CreateInstance/DeleteInstance: 0.1/s, burst 1) → 429 ThrottlingException.
    #[arg(long)]
    pub throttle: bool,
    /// Throttle only this account's calls (12 digits), as --throttle throttles every
    /// account's; the others answer freely. Repeatable.
    #[arg(long = "throttle-account", value_name = "ID", value_parser = parse_account)]
    pub throttle_accounts: Vec<String>,
    /// Share of API responses (0..1) answered 500 InternalServiceException.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub error_rate: f64,
    /// How long a new instance stays CREATION_IN_PROGRESS.
    #[arg(long, value_name = "MS", default_value_t = 500)]
    pub create_delay_ms: u64,
    /// Maximum number of instances per account and region for CreateInstance
    /// (402 ServiceQuotaExceededException beyond it; the real default is 2).
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub instance_quota: usize,
    /// Create this many generated ACTIVE instances at start-up.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed_instances: usize,
    /// Region of the --seed-instances instances.
    #[arg(long, value_name = "REGION", default_value = "us-east-1")]
    pub seed_region: String,
    /// The emulated AWS account id (12 digits): the account of every request signed
    /// with an access key that no --account (or --demo-accounts) maps elsewhere.
    #[arg(long, value_name = "ID", default_value = "123456789012", value_parser = parse_account)]
    pub account_id: String,
    /// Requests signed with access key id KEY (the Credential= of the SigV4
    /// Authorization header) belong to account ACCOUNT_ID (12 digits), which has its
    /// own instances, ARNs, quota and throttling. Repeatable.
    #[arg(long = "account", value_name = "KEY=ACCOUNT_ID", value_parser = parse_account_key)]
    pub accounts: Vec<(String, String)>,
    /// Add two demo accounts. Access key AKIADEMODEVACCOUNT01 → 111111111111 (profile
    /// demo-dev): the --demo-data contact centres. AKIADEMOPRODACCOUNT1 → 222222222222
    /// (demo-prod): three of them in production, as acme-support-prod, acme-sales-prod
    /// and acme-uk-prod, with a queue missing (Escalations), a user on another routing
    /// profile (dana.reports) and other opening hours (US Business Hours).
    #[arg(long)]
    pub demo_accounts: bool,
}

impl Default for EmulatorArgs {
    /// Listen on 127.0.0.1:0 (a free port), no data, no faults.
    fn default() -> Self {
        EmulatorArgs {
            listen: "127.0.0.1:0".to_string(),
            demo_data: false,
            latency_ms: 0,
            throttle: false,
            throttle_accounts: Vec::new(),
            error_rate: 0.0,
            create_delay_ms: 500,
            instance_quota: 10,
            seed_instances: 0,
            seed_region: "us-east-1".to_string(),
            account_id: "123456789012".to_string(),
            accounts: Vec::new(),
            demo_accounts: false,
        }
    }
}

fn parse_rate(s: &str) -> Result<f64, String> {
    let r: f64 = s.parse().map_err(|_| format!("{s:?} is not a number"))?;
    if (0.0..=1.0).contains(&r) {
        Ok(r)
    } else {
        Err("must be between 0 and 1".to_string())
    }
}

fn parse_account(s: &str) -> Result<String, String> {
    if s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(s.to_string())
    } else {
        Err("an AWS account id is 12 digits".to_string())
    }
}

/// `KEY=ACCOUNT_ID`: a non-empty access key id without `/` (the SigV4 scope
/// separator) and a 12-digit account id.
fn parse_account_key(s: &str) -> Result<(String, String), String> {
    let (key, account) = s
        .split_once('=')
        .ok_or_else(|| format!("{s:?} is not KEY=ACCOUNT_ID"))?;
    let key = check_access_key(key.trim())?;
    let account = parse_account(account.trim())?;
    Ok((key.to_string(), account))
}

fn check_access_key(key: &str) -> Result<&str, String> {
    if key.is_empty() || key.contains('/') || key.contains(char::is_whitespace) {
        return Err(format!(
            "{key:?} is not an access key id (non-empty, no '/', no spaces)"
        ));
    }
    Ok(key)
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// The start-up data (`--demo-data`, `--demo-accounts`, `--seed-instances`): built
/// on a thread of its own beside the listener, so that `--demo`'s first prompt does
/// not wait for the sample contact centres; every route waits for it
/// ([`wait_loaded`]), so no request sees half of it.
#[derive(Debug, Clone)]
enum Loading {
    Pending,
    Done,
    Failed(String),
}

/// Waits until the start-up data is loaded; its failure (or the loader's death)
/// as an error.
async fn loaded(mut loading: watch::Receiver<Loading>) -> Result<(), String> {
    match loading.wait_for(|l| !matches!(l, Loading::Pending)).await {
        Ok(l) => match &*l {
            Loading::Failed(e) => Err(format!("the start-up data could not be loaded: {e}")),
            _ => Ok(()),
        },
        Err(_) => Err("the start-up data could not be loaded".to_string()),
    }
}

/// Every route (control and API) waits for the start-up data first.
async fn wait_loaded(
    State(emu): State<Arc<Emulator>>,
    req: Request,
    next: middleware::Next,
) -> Response<Body> {
    match loaded(emu.loading.clone()).await {
        Ok(()) => next.run(req).await,
        Err(e) => error_response(
            &ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServiceException",
                e,
            ),
            &new_request_id(),
        ),
    }
}

/// Shared state of one emulator.
struct Emulator {
    args: EmulatorArgs,
    base_faults: FaultSettings,
    /// The `--account-id` account: unmapped access keys.
    default_store: Mutex<Store>,
    /// The other accounts (`--account` targets, the demo accounts), by id. Fixed at
    /// start-up, so no lock around the map.
    stores: BTreeMap<String, Mutex<Store>>,
    /// Access key id → account id (`--account`, `--demo-accounts`).
    keys: HashMap<String, String>,
    faults: Mutex<FaultSettings>,
    buckets: Mutex<Buckets>,
    stats: Mutex<Stats>,
    /// When the emulator started: the clock of `/_emulator/stats`' times.
    started: Instant,
    /// Whether the start-up data is loaded ([`Loading`]); every route waits for it.
    loading: watch::Receiver<Loading>,
    /// Becomes `true` (or its sender is dropped) when the server shuts down.
    stopping: watch::Receiver<bool>,
}

/// The access key → account map of `args`; a key mapped to two accounts is refused,
/// and so is a demo account used as the `--account-id` account.
fn account_keys(args: &EmulatorArgs) -> Result<HashMap<String, String>, String> {
    let mut keys: HashMap<String, String> = HashMap::new();
    let demo = args
        .demo_accounts
        .then_some(DEMO_ACCOUNTS.iter())
        .into_iter()
        .flatten()
        .map(|d| (d.access_key.to_string(), d.account_id.to_string()));
    for (key, account) in args.accounts.iter().cloned().chain(demo) {
        check_access_key(&key)?;
        parse_account(&account).map_err(|e| format!("account {account:?} of {key}: {e}"))?;
        match keys.get(&key) {
            Some(prev) if *prev != account => {
                return Err(format!(
                    "access key {key} is mapped to two accounts, {prev} and {account}"
                ))
            }
            _ => {
                keys.insert(key, account);
            }
        }
    }
    if args.demo_accounts {
        if let Some(d) = DEMO_ACCOUNTS
            .iter()
            .find(|d| d.account_id == args.account_id)
        {
            return Err(format!(
                "--account-id {} is the {} demo account of --demo-accounts; choose another",
                args.account_id, d.profile
            ));
        }
    }
    Ok(keys)
}

impl Emulator {
    fn new(
        args: EmulatorArgs,
        stopping: watch::Receiver<bool>,
        loading: watch::Receiver<Loading>,
    ) -> Result<Self, String> {
        let mut base_faults = FaultSettings::new(args.latency_ms, args.error_rate, args.throttle);
        base_faults.throttle_accounts = args.throttle_accounts.clone();
        let keys = account_keys(&args)?;
        let stores = keys
            .values()
            .filter(|a| **a != args.account_id)
            .map(|a| (a.clone(), Mutex::new(Store::new(a))))
            .collect();
        Ok(Emulator {
            default_store: Mutex::new(Store::new(&args.account_id)),
            stores,
            keys,
            faults: Mutex::new(base_faults.clone()),
            buckets: Mutex::new(Buckets::default()),
            stats: Mutex::new(Stats::default()),
            started: Instant::now(),
            loading,
            stopping,
            base_faults,
            args,
        })
    }

    /// The account of a request signed with `access_key`: its `--account` (or demo)
    /// mapping, else the `--account-id` account.
    fn account_for(&self, access_key: &str) -> &str {
        self.keys
            .get(access_key)
            .map_or(self.args.account_id.as_str(), String::as_str)
    }

    /// The store of an account ([`Emulator::account_for`] only names accounts
    /// that have one).
    fn store(&self, account: &str) -> &Mutex<Store> {
        self.stores.get(account).unwrap_or(&self.default_store)
    }

    /// Every account id, the default account's first.
    fn account_ids(&self) -> Vec<&str> {
        std::iter::once(self.args.account_id.as_str())
            .chain(self.stores.keys().map(String::as_str))
            .collect()
    }

    /// Every account's store, the default account's first.
    fn all_stores(&self) -> impl Iterator<Item = &Mutex<Store>> {
        std::iter::once(&self.default_store).chain(self.stores.values())
    }

    /// Load an account's start-up data: `--demo-data` and `--seed-instances` in the
    /// `--account-id` account, the demo contact centres in the demo accounts.
    fn load_startup_data(&self, store: &mut Store) -> Result<(), String> {
        let now = Instant::now();
        if store.account_id == self.args.account_id {
            if self.args.demo_data {
                demo::load_demo(store, now);
            }
            if self.args.seed_instances > 0 {
                demo::seed(
                    store,
                    &self.args.seed_region,
                    self.args.seed_instances,
                    "seed",
                    now,
                )?;
            }
        }
        if self.args.demo_accounts {
            if let Some(d) = DEMO_ACCOUNTS
                .iter()
                .find(|d| d.account_id == store.account_id)
            {
                demo::load_demo_account(store, d.variant, now);
            }
        }
        Ok(())
    }

    /// Injected delay; cut short when the server shuts down.
    async fn sleep(&self, d: Duration) {
        if d.is_zero() {
            return;
        }
        let mut stopping = self.stopping.clone();
        tokio::select! {
            _ = tokio::time::sleep(d) => {}
            _ = stopping.wait_for(|s| *s) => {}
        }
    }

    /// Handle one Amazon Connect API request.
    async fn dispatch(
        &self,
        req: Request,
        rid: &str,
    ) -> (Response<Body>, Option<Op>, Option<String>) {
        let (parts, body) = req.into_parts();
        let mut faults = lock(&self.faults).clone();
        let mut delay = Duration::from_millis(faults.latency_ms.saturating_add(faults.stall_ms));

        let Some(route) = router::route(parts.method.as_str(), parts.uri.path()) else {
            lock(&self.stats).unknown_operations += 1;
            self.sleep(delay).await;
            return (
                error_response(&ApiError::unknown_operation(), rid),
                None,
                None,
            );
        };
        let op = route.op;
        let query = wire::parse_query(parts.uri.query());
        let scope = wire::credential_scope(&parts.headers);
        // The account is chosen once, here, by the access key of the signature.
        let account = scope
            .as_ref()
            .map(|s| self.account_for(&s.access_key).to_string());
        let region = scope.map(|s| s.region);
        if !faults.applies_to_region(region.as_deref()) {
            faults = FaultSettings::new(0, 0.0, false);
            delay = Duration::ZERO;
        }
        lock(&self.stats).count_call(op.name(), region.as_deref(), account.as_deref());
        self.sleep(delay).await;

        let fail = |e: ApiError| (error_response(&e, rid), Some(op), region.clone());
        let (Some(reg), Some(acct)) = (region.as_deref(), account.as_deref()) else {
            lock(&self.stats).unauthenticated += 1;
            return fail(ApiError::missing_auth());
        };
        if faults.expired_token {
            lock(&self.stats).expired_token += 1;
            return fail(ApiError::expired_token());
        }
        if faults.denies(op) {
            lock(&self.stats).denied += 1;
            return fail(ApiError::access_denied(acct, reg, op.name()));
        }
        if faults.throttles(acct) && !lock(&self.buckets).try_take(acct, reg, op, Instant::now()) {
            lock(&self.stats).throttled += 1;
            return fail(ApiError::throttling());
        }
        if faults.error_rate > 0.0 && fastrand::f64() < faults.error_rate {
            lock(&self.stats).errors_injected += 1;
            return fail(ApiError::internal());
        }
        if faults.not_found.is_some() && lock(&self.faults).take_not_found(op) {
            lock(&self.stats).not_found_injected += 1;
            return fail(ApiError::not_found(format!(
                "The resource of this {} call was not found (deleted; injected by the \
                 connectql emulator)",
                op.name()
            )));
        }

        // Malformed responses that replace the call entirely (no state change).
        let early = {
            let mut f = lock(&self.faults);
            match f.malformed_for(op) {
                Some(MalformedKind::Html) => Some(MalformedKind::Html),
                Some(MalformedKind::Empty) if handlers::has_output_body(op) => {
                    Some(MalformedKind::Empty)
                }
                _ => None,
            }
            .inspect(|_| f.consume_malformed())
        };
        if let Some(kind) = early {
            lock(&self.stats).malformed += 1;
            let resp = if kind == MalformedKind::Html {
                wire::base_response(
                    StatusCode::BAD_GATEWAY,
                    "text/html",
                    faults::HTML_502.as_bytes().to_vec(),
                    rid,
                )
            } else {
                json_response(StatusCode::OK, Vec::new(), rid)
            };
            return (resp, Some(op), region.clone());
        }

        let bytes = match axum::body::to_bytes(body, BODY_LIMIT).await {
            Ok(b) => b,
            Err(_) => {
                return fail(ApiError::serialization(
                    "Could not read the request body (larger than 1 MiB?)",
                ))
            }
        };
        let query = match query {
            Ok(q) => q,
            Err(e) => return fail(e),
        };
        let ctx = handlers::Ctx {
            region: reg,
            now: Instant::now(),
            create_delay: Duration::from_millis(self.args.create_delay_ms),
            instance_quota: self.args.instance_quota,
        };
        let result = {
            let mut store = lock(self.store(acct));
            handlers::handle(&mut store, &ctx, &route, &query, &bytes)
                .map_err(|e| handlers::as_modeled(op, e))
        };
        let mut body = match result {
            Ok(body) => body,
            Err(e) => return fail(e),
        };
        if faults.repeats_page_token(op) {
            if let Some(asked_with) = page_token_asked(&query, &bytes) {
                body = faults::repeat_token(body, &asked_with);
            }
        }

        // Apply-then-fail: the change took effect, the answer is lost.
        let lost = lock(&self.faults).take_apply_then_fail(op);
        if let Some(mode) = lost {
            lock(&self.stats).applied_then_failed += 1;
            return match mode {
                FailMode::Error => fail(ApiError::internal_after_apply()),
                FailMode::Drop => (wire::dropped_response(), Some(op), region.clone()),
            };
        }

        // Malformed responses that corrupt the real answer (the call took effect).
        let late = {
            let mut f = lock(&self.faults);
            match f.malformed_for(op) {
                Some(k @ (MalformedKind::Truncated | MalformedKind::WrongTypes)) => Some(k),
                _ => None,
            }
            .inspect(|_| f.consume_malformed())
        };
        let body = match late {
            Some(MalformedKind::Truncated) => faults::truncate(&body),
            Some(MalformedKind::WrongTypes) => faults::wrong_types(&body),
            _ => body,
        };
        {
            let mut stats = lock(&self.stats);
            stats.malformed += u64::from(late.is_some());
            stats.answered(acct, self.started.elapsed());
        }
        (
            json_response(StatusCode::OK, body, rid),
            Some(op),
            region.clone(),
        )
    }
}

/// The page token a paged call was asked with: `nextToken` in the query (GET
/// List*) or `NextToken` in the body (Search*, POST List*); absent or empty = none.
fn page_token_asked(query: &[(String, String)], body: &[u8]) -> Option<String> {
    let token = match wire::query_get(query, "nextToken") {
        Some(t) => Some(t.to_string()),
        None => serde_json::from_slice::<Value>(body)
            .ok()?
            .get("NextToken")?
            .as_str()
            .map(str::to_string),
    };
    token.filter(|t| !t.is_empty())
}

/// Fallback handler: every Amazon Connect API request.
async fn connect_api(State(emu): State<Arc<Emulator>>, req: Request) -> Response<Body> {
    let started = Instant::now();
    let rid = new_request_id();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let (resp, op, region) = emu.dispatch(req, &rid).await;
    tracing::debug!(
        target: "connectql::emulator",
        request_id = %rid,
        method = %method,
        path = %path,
        operation = op.map_or("-", Op::name),
        region = region.as_deref().unwrap_or("-"),
        status = resp.status().as_u16(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "request"
    );
    resp
}

fn control_ok(v: &Value) -> Response<Body> {
    json_response(StatusCode::OK, to_body(v), &new_request_id())
}

fn control_err(msg: impl Into<String>) -> Response<Body> {
    error_response(&ApiError::invalid_request(msg), &new_request_id())
}

/// Read a control-route JSON body; empty = `{}`.
async fn control_body(req: Request) -> Result<Value, Response<Body>> {
    let bytes = axum::body::to_bytes(req.into_body(), BODY_LIMIT)
        .await
        .map_err(|_| control_err("could not read the request body"))?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Ok(json!({}));
    }
    serde_json::from_slice(&bytes).map_err(|e| control_err(format!("invalid JSON: {e}")))
}

fn faults_json(f: &FaultSettings) -> Value {
    serde_json::to_value(f).unwrap_or(Value::Null)
}

async fn get_faults(State(emu): State<Arc<Emulator>>) -> Response<Body> {
    let v = faults_json(&lock(&emu.faults));
    control_ok(&v)
}

async fn post_faults(State(emu): State<Arc<Emulator>>, req: Request) -> Response<Body> {
    let body = match control_body(req).await {
        Ok(b) => b,
        Err(resp) => return resp,
    };
    let result = {
        let mut f = lock(&emu.faults);
        f.apply_json(&body).map(|()| faults_json(&f))
    };
    match result {
        Ok(v) => {
            if body.get("throttle").is_some() || body.get("throttle_accounts").is_some() {
                lock(&emu.buckets).clear();
            }
            tracing::info!(target: "connectql::emulator", faults = %v, "fault settings changed");
            control_ok(&v)
        }
        Err(msg) => control_err(msg),
    }
}

async fn delete_faults(State(emu): State<Arc<Emulator>>) -> Response<Body> {
    let v = {
        let mut f = lock(&emu.faults);
        *f = emu.base_faults.clone();
        faults_json(&f)
    };
    lock(&emu.buckets).clear();
    control_ok(&v)
}

async fn get_stats(State(emu): State<Arc<Emulator>>) -> Response<Body> {
    let mut v = serde_json::to_value(&*lock(&emu.stats)).unwrap_or(Value::Null);
    let replays: u64 = emu.all_stores().map(|s| lock(s).token_replays).sum();
    if let Some(o) = v.as_object_mut() {
        o.insert("client_token_replays".into(), json!(replays));
        o.insert(
            "uptime_ms".into(),
            json!(emu.started.elapsed().as_secs_f64() * 1e3),
        );
    }
    control_ok(&v)
}

async fn post_reset(State(emu): State<Arc<Emulator>>, req: Request) -> Response<Body> {
    let body = match control_body(req).await {
        Ok(b) => b,
        Err(resp) => return resp,
    };
    let reseed = match body.get("reseed") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => return control_err("reseed must be a boolean"),
    };
    let reloaded = emu.all_stores().try_for_each(|s| {
        let mut store = lock(s);
        store.clear();
        if reseed {
            emu.load_startup_data(&mut store)
        } else {
            Ok(())
        }
    });
    *lock(&emu.stats) = Stats::default();
    *lock(&emu.faults) = emu.base_faults.clone();
    lock(&emu.buckets).clear();
    match reloaded {
        Ok(()) => control_ok(&json!({"reset": true, "reseeded": reseed})),
        Err(e) => control_err(e),
    }
}

async fn post_seed(State(emu): State<Arc<Emulator>>, req: Request) -> Response<Body> {
    let body = match control_body(req).await {
        Ok(b) => b,
        Err(resp) => return resp,
    };
    let Some(obj) = body.as_object() else {
        return control_err("the body must be a JSON object");
    };
    let content = obj.contains_key("instance") || obj.contains_key("resource");
    let allowed: &[&str] = if content {
        &["account", "region", "count", "instance", "resource"]
    } else {
        &["account", "region", "count", "alias_prefix"]
    };
    if let Some(k) = obj.keys().find(|k| !allowed.contains(&k.as_str())) {
        return control_err(format!(
            "unknown key {k:?}; expected account, region, count, alias_prefix (instances) or \
             account, region, instance, resource, count (users, queues or contact_flows)"
        ));
    }
    let store = match obj.get("account") {
        None => &emu.default_store,
        Some(Value::String(a)) if *a == emu.args.account_id => &emu.default_store,
        Some(Value::String(a)) => match emu.stores.get(a) {
            Some(s) => s,
            None => {
                return control_err(format!(
                    "account {a:?} is not one of the emulator's accounts ({})",
                    emu.account_ids().join(", ")
                ))
            }
        },
        Some(_) => return control_err("account must be a 12-digit account id string"),
    };
    let region = match obj.get("region") {
        None => "us-east-1",
        Some(Value::String(r)) if wire::valid_region(r) => r.as_str(),
        Some(_) => return control_err("region must be a region name such as \"us-east-1\""),
    };
    let count = match obj.get("count").and_then(Value::as_u64) {
        Some(c) if (1..=SEED_LIMIT).contains(&c) => c as usize,
        _ => return control_err(format!("count must be an integer from 1 to {SEED_LIMIT}")),
    };
    if content {
        let Some(instance) = obj.get("instance").and_then(Value::as_str) else {
            return control_err("instance must be an instance id, ARN or alias");
        };
        let resource = match obj.get("resource").and_then(Value::as_str) {
            Some("users") => demo::SeedResource::Users,
            Some("queues") => demo::SeedResource::Queues,
            Some("contact_flows") => demo::SeedResource::ContactFlows,
            _ => return control_err("resource must be \"users\", \"queues\" or \"contact_flows\""),
        };
        let result = {
            let mut store = lock(store);
            demo::seed_content(&mut store, region, instance, resource, count)
        };
        return match result {
            Ok((created, total)) => control_ok(&json!({
                "region": region,
                "instance": instance,
                "resource": obj.get("resource"),
                "created": created,
                "total": total,
            })),
            Err(e) => control_err(e),
        };
    }
    let prefix = match obj.get("alias_prefix") {
        None => "seed",
        Some(Value::String(p)) => p.as_str(),
        Some(_) => return control_err("alias_prefix must be a string"),
    };
    let result = {
        let mut store = lock(store);
        demo::seed(&mut store, region, count, prefix, Instant::now())
            .map(|ids| (ids, store.instance_count(region)))
    };
    match result {
        Ok((ids, total)) => control_ok(&json!({
            "region": region,
            "created": ids.len(),
            "total": total,
            "ids": ids,
        })),
        Err(e) => control_err(e),
    }
}

/// Any method not served on a control route.
async fn unknown_control() -> Response<Body> {
    error_response(&ApiError::unknown_operation(), &new_request_id())
}

fn router(emu: Arc<Emulator>, allowed: guard::AllowedHosts) -> Router {
    let control = Router::new()
        .route(
            "/_emulator/faults",
            get(get_faults)
                .post(post_faults)
                .delete(delete_faults)
                .fallback(unknown_control),
        )
        .route("/_emulator/stats", get(get_stats).fallback(unknown_control))
        .route(
            "/_emulator/reset",
            post(post_reset).fallback(unknown_control),
        )
        .route("/_emulator/seed", post(post_seed).fallback(unknown_control));
    control
        .fallback(connect_api)
        .layer(middleware::from_fn_with_state(emu.clone(), wait_loaded))
        .with_state(emu)
        .layer(middleware::from_fn_with_state(
            Arc::new(allowed),
            guard::refuse_browsers,
        ))
}

/// A running emulator. Dropping it stops the server (like [`RunningEmulator::shutdown`],
/// without waiting).
#[derive(Debug)]
pub struct RunningEmulator {
    addr: SocketAddr,
    loading: watch::Receiver<Loading>,
    stop: watch::Sender<bool>,
    join: JoinHandle<()>,
}

impl RunningEmulator {
    /// Base URL, e.g. `http://127.0.0.1:8411`, for `endpoint_url` / `--endpoint-url`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Waits until the start-up data is loaded (requests wait for it anyway);
    /// fails when it could not be.
    pub async fn ready(&self) -> io::Result<()> {
        loaded(self.loading.clone()).await.map_err(invalid_input)
    }

    /// Stop accepting connections and wait (at most 5 s) for the server task to finish.
    pub async fn shutdown(self) {
        let RunningEmulator { stop, mut join, .. } = self;
        let _ = stop.send(true);
        if tokio::time::timeout(Duration::from_secs(5), &mut join)
            .await
            .is_err()
        {
            join.abort();
        }
    }
}

fn invalid_input(msg: impl Into<String>) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, msg.into())
}

/// Bind, spawn the server on the current tokio runtime and load the start-up data
/// on a thread beside it. Returns as soon as the socket is bound; requests wait for
/// the data ([`RunningEmulator::ready`] says when it is there, or why not).
pub async fn start(args: EmulatorArgs) -> io::Result<RunningEmulator> {
    parse_rate(&args.error_rate.to_string())
        .map_err(|e| invalid_input(format!("error_rate {e}")))?;
    parse_account(&args.account_id).map_err(invalid_input)?;
    if !wire::valid_region(&args.seed_region) {
        return Err(invalid_input(format!(
            "invalid seed region {:?}",
            args.seed_region
        )));
    }
    let (stop, stopping) = watch::channel(false);
    let (loaded_tx, loading) = watch::channel(Loading::Pending);
    let emu =
        Arc::new(Emulator::new(args, stopping.clone(), loading.clone()).map_err(invalid_input)?);
    let listener = tokio::net::TcpListener::bind(emu.args.listen.as_str()).await?;
    let addr = listener.local_addr()?;
    let loader = emu.clone();
    std::thread::Builder::new()
        .name("emulator-startup-data".into())
        .spawn(move || {
            let result = loader
                .all_stores()
                .try_for_each(|s| loader.load_startup_data(&mut lock(s)));
            let _ = loaded_tx.send(match result {
                Ok(()) => Loading::Done,
                Err(e) => Loading::Failed(e),
            });
        })?;
    let allowed = guard::AllowedHosts::new(addr, &emu.args.listen);
    let app = router(emu, allowed);
    let mut stopping = stopping;
    let join = tokio::spawn(async move {
        let result = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                // Resolves on `true` and also when the sender (RunningEmulator) is dropped.
                let _ = stopping.wait_for(|s| *s).await;
            })
            .await;
        if let Err(e) = result {
            tracing::error!(target: "connectql::emulator", error = %e, "emulator server failed");
        }
    });
    tracing::debug!(target: "connectql::emulator", %addr, "emulator started");
    Ok(RunningEmulator {
        addr,
        loading,
        stop,
        join,
    })
}

/// CLI entry point: start, print `listening on http://HOST:PORT` as the first stdout
/// line, run until Ctrl-C or SIGTERM.
pub async fn serve(args: EmulatorArgs) -> io::Result<()> {
    // Install the handlers before announcing the address, so that a supervisor that
    // waits for the line and then sends SIGTERM always gets a clean shutdown.
    let signals = Signals::install()?;
    let running = start(args).await?;
    // Announced with its data: a start-up data error is a start-up error.
    running.ready().await?;
    {
        let mut out = io::stdout().lock();
        writeln!(out, "listening on {}", running.url())?;
        out.flush()?;
    }
    tracing::info!(target: "connectql::emulator", url = %running.url(), "emulator listening");
    if !running.addr().ip().is_loopback() {
        eprintln!(
            "warning: the emulator listens on {}, which is not a loopback address: anyone who \
             can reach it can read and change its data and control routes (no real \
             authentication is checked)",
            running.addr()
        );
    }
    signals.wait().await;
    tracing::info!(target: "connectql::emulator", "shutting down");
    running.shutdown().await;
    Ok(())
}

/// SIGINT / SIGTERM, registered at once.
#[cfg(unix)]
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    fn install() -> io::Result<Self> {
        use tokio::signal::unix::{signal, SignalKind};
        Ok(Signals {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn wait(mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// Ctrl-C elsewhere.
#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn install() -> io::Result<Self> {
        Ok(Signals)
    }

    async fn wait(self) {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_key_arguments() {
        assert_eq!(
            parse_account_key("AKIAX=111111111111"),
            Ok(("AKIAX".to_string(), "111111111111".to_string()))
        );
        for bad in [
            "AKIAX",
            "=111111111111",
            "a/b=111111111111",
            "AKIAX=1111",
            "K=11111111111x",
        ] {
            assert!(parse_account_key(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn unmapped_keys_go_to_the_default_account() {
        let (_stop, stopping) = watch::channel(false);
        let (_loaded, loading) = watch::channel(Loading::Done);
        let emu = Emulator::new(
            EmulatorArgs {
                accounts: vec![("K1".into(), "111111111111".into())],
                demo_accounts: true,
                ..Default::default()
            },
            stopping,
            loading,
        )
        .unwrap();
        assert_eq!(emu.account_for("K1"), "111111111111");
        assert_eq!(emu.account_for(DEMO_PROD_KEY), DEMO_PROD_ACCOUNT);
        assert_eq!(emu.account_for("test"), "123456789012");
        assert_eq!(emu.account_for("k1"), "123456789012");
        // K1 and the dev demo key share one account, so one store.
        assert_eq!(
            emu.account_ids(),
            ["123456789012", "111111111111", "222222222222"]
        );
        assert_eq!(lock(emu.store("222222222222")).account_id, "222222222222");
    }
}
