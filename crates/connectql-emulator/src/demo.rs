//! Sample data: the `--demo-data` instances, the two `--demo-accounts` accounts and
//! generated instances for load tests.

use std::collections::BTreeMap;
use std::time::Instant;

use super::demo_content::{self, DemoFacts};
use super::scope::open;
use super::state::{now_epoch, NewInstance, Store};
use super::validate::validate_alias;

struct DemoInstance {
    region: &'static str,
    id: &'static str,
    alias: &'static str,
    identity: &'static str,
    directory_id: Option<&'static str>,
    created: f64,
    role_suffix: &'static str,
    inbound: bool,
    outbound: bool,
    tags: [(&'static str, &'static str); 3],
    overrides: &'static [(&'static str, bool)],
}

const DEMO: [DemoInstance; 4] = [
    DemoInstance {
        region: "us-east-1",
        id: "7c3a1f0e-2b4d-4e8a-9f61-0d5b8c2e4a11",
        alias: "acme-support",
        identity: "CONNECT_MANAGED",
        directory_id: None,
        created: 1_718_012_345.123, // 2024-06-10
        role_suffix: "Xk3Pq9LmT2vW8rYb4NzA",
        inbound: true,
        outbound: true,
        tags: [
            ("env", "prod"),
            ("team", "support"),
            ("cost-centre", "cc-1001"),
        ],
        overrides: &[
            ("CONTACTFLOW_LOGS", true),
            ("ENHANCED_CONTACT_MONITORING", true),
            ("MULTI_PARTY_CONFERENCE", true),
        ],
    },
    DemoInstance {
        region: "us-east-1",
        id: "2e9b6d34-8f1a-4c7e-b5d2-6a4f0c9e7b38",
        alias: "acme-sales",
        identity: "SAML",
        directory_id: None,
        created: 1_726_498_765.456, // 2024-09-16
        role_suffix: "Hq7Rt2WxK9mPz4LsV6cB",
        inbound: false,
        outbound: true,
        tags: [
            ("env", "prod"),
            ("team", "sales"),
            ("cost-centre", "cc-2002"),
        ],
        overrides: &[("HIGH_VOLUME_OUTBOUND", true), ("CONTACT_LENS", false)],
    },
    DemoInstance {
        region: "eu-west-2",
        id: "5f1d8a72-3c6e-4b9f-a0d4-e7b2c5f8913d",
        alias: "acme-uk",
        identity: "CONNECT_MANAGED",
        directory_id: None,
        created: 1_733_011_122.789, // 2024-12-01
        role_suffix: "Bn5Yc8QfJ3tR7wLk2MxD",
        inbound: true,
        outbound: false,
        tags: [
            ("env", "staging"),
            ("team", "support"),
            ("cost-centre", "cc-1001"),
        ],
        overrides: &[
            ("CONTACTFLOW_LOGS", true),
            ("ENHANCED_CHAT_MONITORING", true),
            ("MULTI_PARTY_CHAT_CONFERENCE", true),
            ("AUTO_RESOLVE_BEST_VOICES", false),
        ],
    },
    DemoInstance {
        region: "ap-southeast-2",
        id: "9a4c2e61-7d5b-4f3a-8e19-b6d0f2a7c845",
        alias: "acme-anz",
        identity: "EXISTING_DIRECTORY",
        directory_id: Some("d-97672a4b1c"),
        created: 1_740_033_444.25, // 2025-02-20
        role_suffix: "Tz6Gv1NpE8sK4hWq9RjC",
        inbound: true,
        outbound: true,
        tags: [
            ("env", "dev"),
            ("team", "platform"),
            ("cost-centre", "cc-3003"),
        ],
        overrides: &[
            ("MESSAGE_STREAMING", true),
            ("AUTO_MUTE_AGENT_ON_HOLD", true),
            ("USE_CUSTOM_TTS_VOICES", true),
        ],
    },
];

/// The regions and aliases `--demo-data` creates, for documentation and tests.
pub fn demo_instances() -> Vec<(&'static str, &'static str, &'static str)> {
    DEMO.iter().map(|d| (d.region, d.alias, d.id)).collect()
}

/// What each demo instance holds (counts and notable rows by name).
pub fn demo_facts() -> Vec<DemoFacts> {
    DEMO.iter()
        .enumerate()
        .map(|(n, d)| demo_content::facts(n, d.region, d.id))
        .collect()
}

/// Insert the demo instances (fixed ids, CreatedTime and service roles; all ACTIVE)
/// and their contact centres ([`demo_content`]).
pub fn load_demo(store: &mut Store, now: Instant) {
    for (n, d) in DEMO.iter().enumerate() {
        let tags = d.tags.iter().map(|(k, v)| (*k, *v)).collect();
        insert_demo(store, n, d.id.to_string(), d.alias, d.created, tags, now);
    }
}

/// Insert demo instance `n` under `id` and `alias` and build its contact centre;
/// nothing when `id` exists already.
fn insert_demo(
    store: &mut Store,
    n: usize,
    id: String,
    alias: &str,
    created: f64,
    tags: Vec<(&str, &str)>,
    now: Instant,
) -> Option<String> {
    let d = &DEMO[n];
    if store.region(d.region).is_some_and(|r| r.get(&id).is_some()) {
        return None;
    }
    let mut spec = NewInstance::new(alias, d.identity, d.inbound, d.outbound);
    spec.id = Some(id.clone());
    spec.directory_id = d.directory_id.map(str::to_string);
    spec.created_time = created;
    spec.service_role_suffix = Some(d.role_suffix.to_string());
    spec.tags = tags
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    spec.attribute_overrides = d.overrides.to_vec();
    store.insert(d.region, spec, now);
    if let Ok(mut cx) = open(store, d.region, &id, created) {
        demo_content::build(&mut cx, n);
    }
    Some(id)
}

/// Which contact centres a `--demo-accounts` account holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoVariant {
    /// The four `--demo-data` contact centres (same aliases and contents), with
    /// this account's own instance ids and ARNs, tagged `env=dev`.
    Dev,
    /// Three of them promoted to production (see [`PROD_DIFFERENCES`]).
    Prod,
}

/// One account of `--demo-accounts`: the access key that selects it and the AWS
/// CLI profile name a throw-away config gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoAccount {
    pub profile: &'static str,
    pub access_key: &'static str,
    /// Any secret works (signatures are not verified); this one is written to configs.
    pub secret_key: &'static str,
    pub account_id: &'static str,
    pub variant: DemoVariant,
}

/// Access key id of the demo dev account ([`DEMO_DEV_ACCOUNT`]).
pub const DEMO_DEV_KEY: &str = "AKIADEMODEVACCOUNT01";
/// Access key id of the demo prod account ([`DEMO_PROD_ACCOUNT`]).
pub const DEMO_PROD_KEY: &str = "AKIADEMOPRODACCOUNT1";
/// The secret key written for both demo profiles (never checked).
pub const DEMO_SECRET_KEY: &str = "connectql-demo-secret-not-checked";
/// The demo dev account id.
pub const DEMO_DEV_ACCOUNT: &str = "111111111111";
/// The demo prod account id.
pub const DEMO_PROD_ACCOUNT: &str = "222222222222";

/// The `--demo-accounts` accounts: profile `demo-dev` and profile `demo-prod`.
pub const DEMO_ACCOUNTS: [DemoAccount; 2] = [
    DemoAccount {
        profile: "demo-dev",
        access_key: DEMO_DEV_KEY,
        secret_key: DEMO_SECRET_KEY,
        account_id: DEMO_DEV_ACCOUNT,
        variant: DemoVariant::Dev,
    },
    DemoAccount {
        profile: "demo-prod",
        access_key: DEMO_PROD_KEY,
        secret_key: DEMO_SECRET_KEY,
        account_id: DEMO_PROD_ACCOUNT,
        variant: DemoVariant::Prod,
    },
];

/// How the prod demo account differs from the dev one, for documentation and tests.
pub const PROD_DIFFERENCES: &[&str] = &[
    "instance aliases end in -prod (acme-support-prod, acme-sales-prod, acme-uk-prod); \
     acme-anz (ap-southeast-2) exists in dev only",
    "acme-support-prod has no Escalations queue (nor its quick connect Transfer to \
     Escalations; Tier 2 Agents routes to Technical Support and VIP Support only)",
    "dana.reports is on routing profile Tier 1 Agents in prod, Back Office in dev",
    "US Business Hours of acme-support-prod are weekdays 07:00-21:00 (dev: 08:00-20:00)",
    "every instance is tagged env=prod in prod and env=dev in dev",
];

/// The demo spec numbers of each variant, with their aliases.
fn variant_instances(variant: DemoVariant) -> Vec<(usize, String)> {
    match variant {
        DemoVariant::Dev => (0..DEMO.len()).map(|n| (n, DEMO[n].alias.into())).collect(),
        DemoVariant::Prod => (0..3)
            .map(|n| (n, format!("{}-prod", DEMO[n].alias)))
            .collect(),
    }
}

/// Instance id of demo instance `n` in `account`: derived from both, so that ids
/// differ across accounts like real ones do.
fn account_instance_id(account: &str, n: usize) -> String {
    super::content::det_uuid(&[account, DEMO[n].id])
}

/// (region, alias, id) of the instances of a demo account.
pub fn demo_account_instances(account: &DemoAccount) -> Vec<(&'static str, String, String)> {
    variant_instances(account.variant)
        .into_iter()
        .map(|(n, alias)| {
            (
                DEMO[n].region,
                alias,
                account_instance_id(account.account_id, n),
            )
        })
        .collect()
}

/// Load a `--demo-accounts` account's contact centres into its store.
pub fn load_demo_account(store: &mut Store, variant: DemoVariant, now: Instant) {
    let account = store.account_id.clone();
    let env = match variant {
        DemoVariant::Dev => "dev",
        DemoVariant::Prod => "prod",
    };
    for (n, alias) in variant_instances(variant) {
        let d = &DEMO[n];
        let id = account_instance_id(&account, n);
        let tags = d
            .tags
            .iter()
            .map(|(k, v)| (*k, if *k == "env" { env } else { *v }))
            .collect();
        // Prod was set up a month after dev.
        let created = match variant {
            DemoVariant::Dev => d.created,
            DemoVariant::Prod => d.created + 30.0 * 86_400.0,
        };
        let Some(id) = insert_demo(store, n, id, &alias, created, tags, now) else {
            continue;
        };
        if variant == DemoVariant::Prod && n == 0 {
            if let Ok(mut cx) = open(store, d.region, &id, created + 2.0 * 86_400.0) {
                promote_support(&mut cx);
            }
        }
    }
}

/// The acme-support differences of [`PROD_DIFFERENCES`], made with the same code as
/// the API's changes (so references stay consistent).
fn promote_support(cx: &mut super::scope::Cx<'_>) {
    use super::changes as ch;
    use super::content::Kind;
    use super::defaults::item_id;
    use serde_json::{json, Value};

    let inst = cx.instance.clone();
    let id = |kind: Kind, name: &str| item_id(&inst, kind, name);
    let body = |v: Value| match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    let log = |what: &str, r: Result<Value, super::wire::ApiError>| {
        if let Err(e) = r {
            tracing::error!(target: "connectql::emulator", what, error = %e.message,
                "demo prod change refused");
        }
    };

    // Escalations never made it to prod: no quick connect, no routing profile, no queue.
    let queue = id(Kind::Queue, "Escalations");
    log(
        "Transfer to Escalations",
        ch::delete_quick_connect(cx, &id(Kind::QuickConnect, "Transfer to Escalations")),
    );
    let holders: Vec<(String, Vec<Value>)> = cx
        .content
        .items(Kind::RoutingProfile)
        .iter()
        .map(|rp| {
            let refs = rp
                .extra_list("QueueConfigs")
                .into_iter()
                .filter(|c| c["QueueId"].as_str() == Some(queue.as_str()))
                .map(|c| json!({"QueueId": c["QueueId"], "Channel": c["Channel"]}))
                .collect();
            (rp.id.clone(), refs)
        })
        .filter(|(_, refs): &(String, Vec<Value>)| !refs.is_empty())
        .collect();
    for (rp, refs) in holders {
        log(
            "Escalations routing",
            ch::disassociate_routing_profile_queues(
                cx,
                &rp,
                &body(json!({"QueueReferences": refs})),
            ),
        );
    }
    log("Escalations", ch::delete_queue(cx, &queue));

    log(
        "dana.reports",
        ch::update_user_routing_profile(
            cx,
            &id(Kind::User, "dana.reports"),
            &body(json!({"RoutingProfileId": id(Kind::RoutingProfile, "Tier 1 Agents")})),
        ),
    );
    let config: Vec<Value> = super::changes::DAYS[1..6]
        .iter()
        .map(|d| {
            json!({"Day": d, "StartTime": {"Hours": 7, "Minutes": 0},
                   "EndTime": {"Hours": 21, "Minutes": 0}})
        })
        .collect();
    log(
        "US Business Hours",
        ch::update_hours_of_operation(
            cx,
            &id(Kind::HoursOfOperation, "US Business Hours"),
            &body(json!({"Config": config})),
        ),
    );
}

const ENVS: [&str; 3] = ["prod", "staging", "dev"];
const TEAMS: [&str; 4] = ["support", "sales", "billing", "platform"];

/// Create `count` ACTIVE instances named `<prefix>-0001`, ... in `region`, skipping
/// aliases already in use. Not subject to the instance quota. Returns the new ids.
pub fn seed(
    store: &mut Store,
    region: &str,
    count: usize,
    alias_prefix: &str,
    now: Instant,
) -> Result<Vec<String>, String> {
    validate_alias(&format!("{alias_prefix}-{count:04}"))
        .map_err(|e| format!("alias_prefix {alias_prefix:?} gives invalid aliases: {e}"))?;
    let base = now_epoch() - count as f64 * 60.0;
    let mut ids = Vec::with_capacity(count);
    let mut n = 0usize;
    while ids.len() < count {
        n += 1;
        let alias = format!("{alias_prefix}-{n:04}");
        if store.region(region).is_some_and(|r| r.alias_in_use(&alias)) {
            continue;
        }
        validate_alias(&alias)?;
        let i = ids.len();
        let identity = if i % 5 == 4 {
            "SAML"
        } else {
            "CONNECT_MANAGED"
        };
        let mut spec = NewInstance::new(&alias, identity, i % 7 != 6, i % 2 == 0);
        spec.created_time = ((base + i as f64 * 60.0) * 1000.0).round() / 1000.0;
        let mut tags = BTreeMap::new();
        tags.insert("env".to_string(), ENVS[i % ENVS.len()].to_string());
        tags.insert("team".to_string(), TEAMS[i % TEAMS.len()].to_string());
        tags.insert("cost-centre".to_string(), format!("cc-{}", 1001 + i % 5));
        spec.tags = tags;
        spec.attribute_overrides = vec![
            ("CONTACTFLOW_LOGS", i % 3 == 0),
            ("ENHANCED_CONTACT_MONITORING", i % 4 == 1),
            ("MULTI_PARTY_CONFERENCE", i % 2 == 1),
        ];
        let (id, _) = store.insert(region, spec, now);
        ids.push(id);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_and_seed() {
        let mut s = Store::new("123456789012");
        let now = Instant::now();
        load_demo(&mut s, now);
        load_demo(&mut s, now);
        assert_eq!(s.instance_count("us-east-1"), 2);
        assert_eq!(s.instance_count("eu-west-2"), 1);
        assert_eq!(s.instance_count("ap-southeast-2"), 1);
        let ids = seed(&mut s, "us-east-1", 25, "load", now).unwrap();
        assert_eq!(ids.len(), 25);
        let more = seed(&mut s, "us-east-1", 3, "load", now).unwrap();
        assert_eq!(more.len(), 3);
        assert_eq!(s.instance_count("us-east-1"), 30);
        assert!(s.region("us-east-1").unwrap().alias_in_use("load-0028"));
        assert!(seed(&mut s, "us-east-1", 1, "d", now).is_err());
        assert!(seed(&mut s, "us-east-1", 1, "bad_prefix", now).is_err());
    }

    #[test]
    fn demo_accounts_differ_as_documented() {
        use super::super::content::Kind;
        let now = Instant::now();
        let [dev_acct, prod_acct] = DEMO_ACCOUNTS;
        let mut dev = Store::new(dev_acct.account_id);
        load_demo_account(&mut dev, DemoVariant::Dev, now);
        load_demo_account(&mut dev, DemoVariant::Dev, now);
        let mut prod = Store::new(prod_acct.account_id);
        load_demo_account(&mut prod, DemoVariant::Prod, now);

        let aliases = |s: &Store| {
            let mut a: Vec<String> = s
                .regions
                .values()
                .flat_map(|r| r.instances.values().map(|i| i.alias.clone()))
                .collect();
            a.sort();
            a
        };
        assert_eq!(
            aliases(&dev),
            ["acme-anz", "acme-sales", "acme-support", "acme-uk"]
        );
        assert_eq!(
            aliases(&prod),
            ["acme-sales-prod", "acme-support-prod", "acme-uk-prod"]
        );
        // Ids and ARNs are the account's own.
        for (s, acct) in [(&dev, &dev_acct), (&prod, &prod_acct)] {
            let listed = demo_account_instances(acct);
            assert_eq!(listed.len(), aliases(s).len());
            for (region, alias, id) in listed {
                let inst = s.region(region).and_then(|r| r.get(&id)).unwrap();
                assert_eq!(inst.alias, alias);
                assert!(inst
                    .arn
                    .contains(&format!(":{}:instance/", acct.account_id)));
                assert!(DEMO.iter().all(|d| d.id != id));
                let env = if acct.variant == DemoVariant::Dev {
                    "dev"
                } else {
                    "prod"
                };
                assert_eq!(inst.tags["env"], env);
            }
        }

        let support = |s: &mut Store, acct: &DemoAccount| {
            let (region, _, id) = demo_account_instances(acct).remove(0);
            let cx = open(s, region, &id, 0.0).unwrap();
            let c = &*cx.content;
            let queues: Vec<String> = c
                .items(Kind::Queue)
                .iter()
                .map(|q| q.name(Kind::Queue).to_string())
                .collect();
            let rp_name = |rp_id: &str| {
                c.items(Kind::RoutingProfile)
                    .get(rp_id)
                    .map(|rp| rp.name(Kind::RoutingProfile).to_string())
            };
            let dana = c.items(Kind::User).by_name("dana.reports").unwrap();
            let dana_rp = rp_name(dana.doc_str("RoutingProfileId").unwrap()).unwrap();
            let hours = c
                .items(Kind::HoursOfOperation)
                .by_name("US Business Hours")
                .unwrap();
            let opens = hours.doc["Config"][0]["StartTime"]["Hours"].clone();
            let qcs = c.items(Kind::QuickConnect).len();
            let users = c.items(Kind::User).len();
            // Every queue a routing profile names exists.
            let dangling = c.items(Kind::RoutingProfile).iter().any(|rp| {
                rp.values_at("AssociatedQueueIds")
                    .iter()
                    .any(|q| c.items(Kind::Queue).get(q).is_none())
            });
            assert!(!dangling);
            (queues, dana_rp, opens, qcs, users)
        };
        let (dev_q, dev_rp, dev_open, dev_qc, dev_users) = support(&mut dev, &dev_acct);
        let (prod_q, prod_rp, prod_open, prod_qc, prod_users) = support(&mut prod, &prod_acct);
        let missing: Vec<&String> = dev_q.iter().filter(|q| !prod_q.contains(q)).collect();
        assert_eq!(missing, ["Escalations"]);
        assert!(prod_q.iter().all(|q| dev_q.contains(q)));
        assert_eq!(
            (dev_rp.as_str(), prod_rp.as_str()),
            ("Back Office", "Tier 1 Agents")
        );
        assert_eq!(
            (dev_open, prod_open),
            (serde_json::json!(8), serde_json::json!(7))
        );
        assert_eq!(dev_qc, prod_qc + 1);
        assert_eq!(dev_users, prod_users);
    }
}

/// What `POST /_emulator/seed` can add to an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeedResource {
    Users,
    Queues,
    /// Inbound flows, each transferring to one of the instance's queues.
    ContactFlows,
}

/// Add `count` generated users or queues to an instance (by id, ARN or alias),
/// directly: valid usernames (`first.last.NNNNN`), names and emails, on the
/// instance's default routing profile (`Basic Routing Profile`, else the first)
/// and `Agent` security profile (else the first); queues `Seed Queue NNNNN` on
/// the first hours of operation. Returns (created, total of that kind).
pub fn seed_content(
    store: &mut Store,
    region: &str,
    instance: &str,
    resource: SeedResource,
    count: usize,
) -> Result<(usize, usize), String> {
    use super::changes;
    use super::content::Kind;
    use serde_json::{json, Value};

    let id = match store.resolve_instance(region, instance) {
        Ok(id) => id,
        Err(_) => store
            .region(region)
            .and_then(|r| {
                r.instances
                    .values()
                    .find(|i| i.alias.eq_ignore_ascii_case(instance))
            })
            .map(|i| i.id.clone())
            .ok_or_else(|| format!("no instance {instance:?} in {region}"))?,
    };
    let mut cx = open(store, region, &id, now_epoch()).map_err(|e| e.message)?;
    let pick = |cx: &super::scope::Cx<'_>, kind: Kind, name: &str| {
        let items = cx.content.items(kind);
        items
            .by_name(name)
            .or_else(|| items.iter().next())
            .map(|i| i.id.clone())
    };
    let body = |v: Value| match v {
        Value::Object(m) => m,
        _ => serde_json::Map::new(),
    };
    let mut created = 0;
    let mut n = cx
        .content
        .items(match resource {
            SeedResource::Users => Kind::User,
            SeedResource::Queues => Kind::Queue,
            SeedResource::ContactFlows => Kind::ContactFlow,
        })
        .len();
    match resource {
        SeedResource::Users => {
            let rp = pick(
                &cx,
                Kind::RoutingProfile,
                super::defaults::BASIC_ROUTING_PROFILE,
            )
            .ok_or("the instance has no routing profile")?;
            let sp = pick(&cx, Kind::SecurityProfile, "Agent")
                .ok_or("the instance has no security profile")?;
            let password = (cx.identity == "CONNECT_MANAGED").then_some("Seed-Passw0rd");
            while created < count {
                n += 1;
                let (first, last) = demo_content::agent_name(7, n);
                let username = format!("{}.{}.{n:05}", first.to_lowercase(), last.to_lowercase());
                if cx.content.items(Kind::User).by_name(&username).is_some() {
                    continue;
                }
                let mut b = json!({
                    "Username": username,
                    "IdentityInfo": {"FirstName": first, "LastName": last,
                                     "Email": format!("{username}@load.example.com")},
                    "PhoneConfig": {"PhoneType": "SOFT_PHONE", "AfterContactWorkTimeLimit": 30},
                    "SecurityProfileIds": [sp],
                    "RoutingProfileId": rp,
                });
                if let Some(p) = password {
                    b["Password"] = json!(p);
                }
                changes::create_user(&mut cx, &body(b), None).map_err(|e| e.message)?;
                created += 1;
            }
            Ok((created, cx.content.items(Kind::User).len()))
        }
        SeedResource::Queues => {
            let hours = cx
                .content
                .items(Kind::HoursOfOperation)
                .iter()
                .next()
                .map(|h| h.id.clone())
                .ok_or("the instance has no hours of operation")?;
            while created < count {
                n += 1;
                let name = format!("Seed Queue {n:05}");
                if cx.content.items(Kind::Queue).by_name(&name).is_some() {
                    continue;
                }
                let b = json!({"Name": name, "HoursOfOperationId": hours,
                    "Description": "Generated by /_emulator/seed", "MaxContacts": 10 + n % 40});
                changes::create_queue(&mut cx, &body(b), None).map_err(|e| e.message)?;
                created += 1;
            }
            Ok((created, cx.content.items(Kind::Queue).len()))
        }
        SeedResource::ContactFlows => {
            let queues: Vec<String> = cx
                .content
                .items(Kind::Queue)
                .iter()
                .map(|q| {
                    super::content::item_arn(
                        Kind::Queue,
                        cx.region,
                        cx.account,
                        &cx.instance,
                        &q.id,
                    )
                })
                .collect();
            if queues.is_empty() {
                return Err("the instance has no queue".into());
            }
            while created < count {
                n += 1;
                let name = format!("Seed Flow {n:05}");
                if cx.content.items(Kind::ContactFlow).by_name(&name).is_some() {
                    continue;
                }
                let queue = &queues[n % queues.len()];
                let content = super::defaults::flow_content(
                    &name,
                    &[
                        ("UpdateContactTargetQueue", json!({"QueueId": queue})),
                        ("TransferContactToQueue", json!({})),
                        ("DisconnectParticipant", json!({})),
                    ],
                );
                let b = json!({"Name": name, "Type": "CONTACT_FLOW", "Content": content,
                    "Description": "Generated by /_emulator/seed"});
                changes::create_contact_flow(&mut cx, &body(b), None).map_err(|e| e.message)?;
                created += 1;
            }
            Ok((created, cx.content.items(Kind::ContactFlow).len()))
        }
    }
}
