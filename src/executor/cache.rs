//! The session cache: DescribeInstance and attribute results keyed by
//! (region, instance id), and alias resolutions keyed by (region, alias).
//! It also remembers every instance the session has seen, which feeds
//! completion of `data__Identifier` values without any network call.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::connect_api::{Attributes, InstanceRecord};

type Key = (String, String);

/// An instance the session has seen, for completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenInstance {
    pub region: String,
    pub id: String,
    pub arn: Option<String>,
    pub alias: Option<String>,
}

#[derive(Default)]
struct Entries {
    describe: HashMap<Key, InstanceRecord>,
    attributes: HashMap<Key, Attributes>,
    aliases: HashMap<Key, String>,
    seen: BTreeMap<Key, SeenInstance>,
    /// What `seen_instances` hands out, built on the first read after a
    /// change: completion asks on every keystroke (hints), and must not copy
    /// thousands of instances each time.
    seen_snapshot: Option<Arc<[SeenInstance]>>,
}

pub struct SessionCache {
    enabled: AtomicBool,
    entries: Mutex<Entries>,
}

fn key(region: &str, id: &str) -> Key {
    (region.to_string(), id.to_string())
}

impl SessionCache {
    pub fn new(enabled: bool) -> Self {
        SessionCache {
            enabled: AtomicBool::new(enabled),
            entries: Mutex::new(Entries::default()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }

    pub fn set_enabled(&self, on: bool) {
        self.enabled.store(on, Ordering::Relaxed);
        if !on {
            self.clear();
        }
    }

    /// Drops every cached answer (what was seen stays, for completion).
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.describe.clear();
            e.attributes.clear();
            e.aliases.clear();
        }
    }

    /// (descriptions, attribute sets, aliases) held.
    pub fn sizes(&self) -> (usize, usize, usize) {
        self.entries
            .lock()
            .map(|e| (e.describe.len(), e.attributes.len(), e.aliases.len()))
            .unwrap_or_default()
    }

    fn with<T>(&self, f: impl FnOnce(&mut Entries) -> T) -> Option<T> {
        self.entries.lock().ok().map(|mut e| f(&mut e))
    }

    pub fn describe(&self, region: &str, id: &str) -> Option<InstanceRecord> {
        if !self.enabled() {
            return None;
        }
        self.with(|e| e.describe.get(&key(region, id)).cloned())
            .flatten()
    }

    /// Remembers a description. Instances still being created change under
    /// us, so only settled states are cached.
    pub fn put_describe(&self, record: &InstanceRecord) {
        self.see(record);
        let settled = matches!(
            record.instance_status.as_deref(),
            Some("ACTIVE") | Some("CREATION_FAILED")
        );
        if !self.enabled() || !settled {
            return;
        }
        self.with(|e| {
            e.describe
                .insert(key(&record.region, &record.id), record.clone())
        });
    }

    pub fn attributes(&self, region: &str, id: &str) -> Option<Attributes> {
        if !self.enabled() {
            return None;
        }
        self.with(|e| e.attributes.get(&key(region, id)).cloned())
            .flatten()
    }

    pub fn put_attributes(&self, region: &str, id: &str, attributes: &Attributes) {
        if self.enabled() {
            self.with(|e| e.attributes.insert(key(region, id), attributes.clone()));
        }
    }

    pub fn alias(&self, region: &str, alias: &str) -> Option<String> {
        if !self.enabled() {
            return None;
        }
        self.with(|e| e.aliases.get(&key(region, alias)).cloned())
            .flatten()
    }

    /// Remembers what a listing showed: aliases resolve without another
    /// ListInstances, and completion learns the instances.
    pub fn put_listing(&self, region: &str, records: &[InstanceRecord]) {
        let enabled = self.enabled();
        self.with(|e| {
            if enabled {
                e.aliases.retain(|(r, _), _| r != region);
            }
            for r in records {
                if enabled {
                    if let Some(a) = &r.instance_alias {
                        e.aliases.insert(key(region, a), r.id.clone());
                    }
                }
                let fresh = seen_of(r);
                if e.seen.get(&key(&r.region, &r.id)) != Some(&fresh) {
                    e.seen.insert(key(&r.region, &r.id), fresh);
                    e.seen_snapshot = None;
                }
            }
        });
    }

    pub fn see(&self, record: &InstanceRecord) {
        self.with(|e| {
            let fresh = seen_of(record);
            if e.seen.get(&key(&record.region, &record.id)) != Some(&fresh) {
                e.seen.insert(key(&record.region, &record.id), fresh);
                e.seen_snapshot = None;
            }
        });
    }

    /// Forgets everything about one instance (after a change or a delete).
    pub fn invalidate(&self, region: &str, id: &str) {
        self.with(|e| {
            e.describe.remove(&key(region, id));
            e.attributes.remove(&key(region, id));
            e.aliases.retain(|(r, _), v| !(r == region && v == id));
        });
    }

    pub fn forget_seen(&self, region: &str, id: &str) {
        self.invalidate(region, id);
        self.with(|e| {
            e.seen.remove(&key(region, id));
            e.seen_snapshot = None;
        });
    }

    /// Every instance seen this session, by region then id. Cheap to call
    /// repeatedly: the list is shared until the next change.
    pub fn seen_instances(&self) -> Arc<[SeenInstance]> {
        self.with(|e| {
            e.seen_snapshot
                .get_or_insert_with(|| e.seen.values().cloned().collect())
                .clone()
        })
        .unwrap_or_else(|| Arc::from(Vec::new()))
    }
}

fn seen_of(r: &InstanceRecord) -> SeenInstance {
    SeenInstance {
        region: r.region.clone(),
        id: r.id.clone(),
        arn: r.arn.clone(),
        alias: r.instance_alias.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(status: &str) -> InstanceRecord {
        InstanceRecord {
            region: "us-east-1".into(),
            id: "i1".into(),
            arn: None,
            identity_management_type: None,
            instance_alias: Some("acme".into()),
            created_time: None,
            service_role: None,
            instance_status: Some(status.into()),
            status_reason: None,
            inbound_calls: None,
            outbound_calls: None,
            tags: None,
        }
    }

    #[test]
    fn caches_settled_descriptions_only() {
        let c = SessionCache::new(true);
        c.put_describe(&record("CREATION_IN_PROGRESS"));
        assert!(c.describe("us-east-1", "i1").is_none());
        c.put_describe(&record("ACTIVE"));
        assert!(c.describe("us-east-1", "i1").is_some());
        assert_eq!(c.seen_instances().len(), 1);
        let first = c.seen_instances();
        assert!(
            Arc::ptr_eq(&first, &c.seen_instances()),
            "shared until a change"
        );
        c.put_listing("us-east-1", &[record("ACTIVE")]);
        c.see(&record("ACTIVE"));
        assert!(
            Arc::ptr_eq(&first, &c.seen_instances()),
            "the same facts change nothing"
        );
        c.forget_seen("us-east-1", "i1");
        assert!(c.seen_instances().is_empty());
        c.invalidate("us-east-1", "i1");
        assert!(c.describe("us-east-1", "i1").is_none());
    }

    #[test]
    fn disabled_cache_holds_nothing_but_still_sees() {
        let c = SessionCache::new(false);
        c.put_describe(&record("ACTIVE"));
        c.put_listing("us-east-1", &[record("ACTIVE")]);
        assert!(c.describe("us-east-1", "i1").is_none());
        assert!(c.alias("us-east-1", "acme").is_none());
        assert_eq!(c.seen_instances()[0].alias.as_deref(), Some("acme"));
    }
}
