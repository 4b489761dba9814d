//! The session cache: Connect's answers, as wire JSON, keyed by where they
//! came from — (region, instance, operation, item or criteria) — so a
//! repeated statement, a join's second side, or completion never asks
//! twice. A change drops everything cached for what it touched.
//!
//! It also remembers every instance and every item name the session has
//! seen, which feeds completion of `data__Identifier`, `data__InstanceId`
//! and string literals compared with a name field, without a network call.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::Value;

use crate::catalog::{Op, ResourceType, RESOURCE_TYPES};

/// What an answer is about: region, instance ("" at account level),
/// operation, and the item id or the search criteria ("" for none).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    pub region: String,
    pub instance: String,
    pub op: Op,
    pub subject: String,
}

impl Key {
    pub fn new(region: &str, instance: Option<&str>, op: Op, subject: &str) -> Key {
        Key {
            region: region.to_string(),
            instance: instance.unwrap_or("").to_string(),
            op,
            subject: subject.to_string(),
        }
    }
}

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
    /// Complete listings (every page), by listing key.
    listings: HashMap<Key, Arc<Vec<Value>>>,
    /// Described items and sub-listings, by item key.
    items: HashMap<Key, Value>,
    seen: BTreeMap<(String, String), SeenInstance>,
    /// Names seen per resource type (singular name).
    names: BTreeMap<&'static str, BTreeSet<String>>,
    /// What `seen_instances` / `seen_names` hand out, rebuilt on the first
    /// read after a change: completion asks on every keystroke.
    seen_snapshot: Option<Arc<[SeenInstance]>>,
    names_snapshot: HashMap<&'static str, Arc<[String]>>,
}

pub struct SessionCache {
    enabled: AtomicBool,
    entries: Mutex<Entries>,
    /// One fetch at a time per listing key, so concurrent statements (a
    /// join's sides resolving the same instances) share one answer.
    flights: Mutex<HashMap<Key, Arc<tokio::sync::Mutex<()>>>>,
}

/// The resource type an operation reads (for `.cache` statistics).
fn resource_of(op: Op) -> &'static str {
    RESOURCE_TYPES
        .iter()
        .find(|r| r.read_operations().contains(&op))
        .map(|r| r.singular)
        .unwrap_or("other")
}

impl SessionCache {
    pub fn new(enabled: bool) -> Self {
        SessionCache {
            enabled: AtomicBool::new(enabled),
            entries: Mutex::new(Entries::default()),
            flights: Mutex::new(HashMap::new()),
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

    fn with<T>(&self, f: impl FnOnce(&mut Entries) -> T) -> Option<T> {
        self.entries.lock().ok().map(|mut e| f(&mut e))
    }

    /// Drops every cached answer (what was seen stays, for completion).
    pub fn clear(&self) {
        self.with(|e| {
            e.listings.clear();
            e.items.clear();
        });
    }

    /// Cached answers per resource type: (resource, listings, items).
    pub fn sizes(&self) -> Vec<(&'static str, usize, usize)> {
        let mut out: BTreeMap<&'static str, (usize, usize)> = BTreeMap::new();
        self.with(|e| {
            for k in e.listings.keys() {
                out.entry(resource_of(k.op)).or_default().0 += 1;
            }
            for k in e.items.keys() {
                out.entry(resource_of(k.op)).or_default().1 += 1;
            }
        });
        out.into_iter().map(|(r, (l, i))| (r, l, i)).collect()
    }

    /// The total number of cached answers.
    pub fn len(&self) -> usize {
        self.with(|e| e.listings.len() + e.items.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn listing(&self, key: &Key) -> Option<Arc<Vec<Value>>> {
        if !self.enabled() {
            return None;
        }
        self.with(|e| e.listings.get(key).cloned()).flatten()
    }

    pub fn put_listing(&self, key: Key, items: Vec<Value>) -> Arc<Vec<Value>> {
        let items = Arc::new(items);
        if self.enabled() {
            self.with(|e| e.listings.insert(key, items.clone()));
        }
        items
    }

    pub fn item(&self, key: &Key) -> Option<Value> {
        if !self.enabled() {
            return None;
        }
        self.with(|e| e.items.get(key).cloned()).flatten()
    }

    pub fn put_item(&self, key: Key, value: &Value) {
        if self.enabled() {
            self.with(|e| e.items.insert(key, value.clone()));
        }
    }

    /// The lock that makes one fetch of `key` at a time.
    pub fn flight(&self, key: &Key) -> Arc<tokio::sync::Mutex<()>> {
        match self.flights.lock() {
            Ok(mut f) => f.entry(key.clone()).or_default().clone(),
            Err(_) => Arc::default(),
        }
    }

    /// Forgets everything cached about one instance: its description and
    /// attributes, its contents, and the region's instance listing.
    pub fn invalidate_instance(&self, region: &str, instance_id: &str) {
        self.with(|e| {
            let gone = |k: &Key| {
                k.region == region
                    && (k.instance == instance_id
                        || k.subject == instance_id
                        || (k.instance.is_empty() && k.subject.is_empty()))
            };
            e.listings.retain(|k, _| !gone(k));
            e.items.retain(|k, _| !gone(k));
        });
    }

    /// Forgets what one resource type's answers said in one instance
    /// (after a change to one of its items).
    pub fn invalidate_resource(&self, region: &str, instance_id: &str, resource: &ResourceType) {
        let ops = resource.read_operations();
        self.with(|e| {
            let gone =
                |k: &Key| k.region == region && k.instance == instance_id && ops.contains(&k.op);
            e.listings.retain(|k, _| !gone(k));
            e.items.retain(|k, _| !gone(k));
        });
    }

    /// Remembers an instance (completion of identifiers).
    pub fn see_instance(&self, seen: SeenInstance) {
        self.with(|e| {
            let key = (seen.region.clone(), seen.id.clone());
            if e.seen.get(&key) != Some(&seen) {
                e.seen.insert(key, seen);
                e.seen_snapshot = None;
            }
        });
    }

    /// Forgets an instance that no longer exists.
    pub fn forget_instance(&self, region: &str, id: &str) {
        self.invalidate_instance(region, id);
        self.with(|e| {
            if e.seen
                .remove(&(region.to_string(), id.to_string()))
                .is_some()
            {
                e.seen_snapshot = None;
            }
        });
    }

    /// Remembers names of a resource's items (completion of literals).
    pub fn see_names<'a>(&self, resource: &'static str, names: impl IntoIterator<Item = &'a str>) {
        self.with(|e| {
            let set = e.names.entry(resource).or_default();
            let before = set.len();
            for n in names {
                if !set.contains(n) {
                    set.insert(n.to_string());
                }
            }
            if set.len() != before {
                e.names_snapshot.remove(resource);
            }
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

    /// The names seen this session for a resource type, sorted.
    pub fn seen_names(&self, resource: &'static str) -> Arc<[String]> {
        self.with(|e| {
            if let Some(s) = e.names_snapshot.get(resource) {
                return s.clone();
            }
            let list: Arc<[String]> = e
                .names
                .get(resource)
                .map(|s| s.iter().cloned().collect())
                .unwrap_or_default();
            e.names_snapshot.insert(resource, list.clone());
            list
        })
        .unwrap_or_else(|| Arc::from(Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn listings_items_and_invalidation() {
        let c = SessionCache::new(true);
        let k = Key::new("us-east-1", Some("i1"), Op::SearchUsers, "");
        c.put_listing(k.clone(), vec![json!({"Id": "u1"})]);
        assert_eq!(c.listing(&k).unwrap().len(), 1);
        let d = Key::new("us-east-1", None, Op::DescribeInstance, "i1");
        c.put_item(d.clone(), &json!({"Id": "i1"}));
        let other = Key::new("eu-west-2", Some("i2"), Op::SearchUsers, "");
        c.put_listing(other.clone(), vec![]);
        assert_eq!(c.sizes().len(), 2);
        c.invalidate_instance("us-east-1", "i1");
        assert!(c.listing(&k).is_none() && c.item(&d).is_none());
        assert!(c.listing(&other).is_some());
        c.set_enabled(false);
        assert!(c.listing(&other).is_none());
    }

    #[test]
    fn seen_snapshots_are_shared_until_a_change() {
        let c = SessionCache::new(true);
        c.see_instance(SeenInstance {
            region: "us-east-1".into(),
            id: "i1".into(),
            arn: None,
            alias: Some("acme".into()),
        });
        let first = c.seen_instances();
        assert!(Arc::ptr_eq(&first, &c.seen_instances()));
        c.see_names("user", ["jdoe", "asmith"]);
        let names = c.seen_names("user");
        assert_eq!(&*names, ["asmith".to_string(), "jdoe".to_string()]);
        assert!(Arc::ptr_eq(&names, &c.seen_names("user")));
        c.see_names("user", ["jdoe"]);
        assert!(Arc::ptr_eq(&names, &c.seen_names("user")), "nothing new");
    }
}
