//! The session cache: Connect's answers, as wire JSON, keyed by where they
//! came from — (region, instance, operation, item or criteria) — so a
//! repeated statement, a join's second side, or completion never asks
//! twice. A change drops everything cached for what it touched.
//!
//! Answers are true only for a while: changes made elsewhere (the console,
//! another admin) are invisible to a cache. Every entry expires after a
//! time-to-live ([`DEFAULT_TTL`], five minutes as Steampipe's query cache;
//! `.cache ttl N`, `--cache-ttl N`), and the cache remembers the age of the
//! oldest answer it served, so `.timing` can say how old an answer is.
//!
//! It also remembers every instance and every item name the session has
//! seen, which feeds completion of `data__Identifier`, `data__InstanceId`
//! and string literals compared with a name field, without a network call.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::catalog::{Op, ResourceType, RESOURCE_TYPES};
use crate::connect_api::Place;

/// What an answer is about: region, instance ("" at account level),
/// operation, and the item id or the search criteria ("" for none).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// The profile of the place (`None`: the session's).
    pub profile: Option<String>,
    pub region: String,
    pub instance: String,
    pub op: Op,
    pub subject: String,
}

impl Key {
    pub fn new(region: &str, instance: Option<&str>, op: Op, subject: &str) -> Key {
        Key {
            profile: None,
            region: region.to_string(),
            instance: instance.unwrap_or("").to_string(),
            op,
            subject: subject.to_string(),
        }
    }

    /// The key of an answer read at `place`: two accounts' answers never mix.
    pub fn at(place: &Place, instance: Option<&str>, op: Op, subject: &str) -> Key {
        Key {
            profile: place.profile.clone(),
            ..Key::new(&place.region, instance, op, subject)
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

/// How long an answer is served from the cache by default.
pub const DEFAULT_TTL: Duration = Duration::from_secs(5 * 60);

/// Expired entries are swept out every this many stores, so a long
/// session's cache holds at most one time-to-live's worth of answers.
const SWEEP_EVERY: usize = 256;

/// A time-to-live in whole seconds: 0 (nothing is served from the cache)
/// up to a week.
pub fn parse_ttl(text: &str) -> Result<u64, String> {
    const WEEK: u64 = 7 * 24 * 3600;
    match text.parse::<u64>() {
        Ok(n) if n <= WEEK => Ok(n),
        Ok(_) => Err(format!(
            "a time-to-live of at most {WEEK} s (a week), not `{text}`"
        )),
        Err(_) => Err(format!("expected a number of seconds, got `{text}`")),
    }
}

/// An age for people: `12 s`, `2 min`, `1 h 5 min`.
pub fn age_text(age: Duration) -> String {
    let s = age.as_secs();
    match s {
        0..=59 => format!("{s} s"),
        60..=3599 => format!("{} min", s / 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

/// A listing as JSON text, written item by item: the cache keeps answers
/// as text (a few times smaller than parsed JSON), so a cached answer does
/// not hold a second parsed copy of what the rows already hold.
#[derive(Debug)]
pub struct ListingText(String);

impl Default for ListingText {
    fn default() -> Self {
        ListingText(String::from("["))
    }
}

impl ListingText {
    pub fn push(&mut self, item: &Value) {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        self.0.push_str(&item.to_string());
    }
    fn finish(mut self) -> Box<str> {
        self.0.push(']');
        self.0.into_boxed_str()
    }
}

/// A cached answer and when it was received.
struct Stored<T> {
    at: Instant,
    value: T,
}

#[derive(Default)]
struct Entries {
    /// Complete listings (every page), by listing key, as JSON text.
    listings: HashMap<Key, Stored<Box<str>>>,
    /// Described items and sub-listings, by item key, as JSON text.
    items: HashMap<Key, Stored<Box<str>>>,
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
    /// The time-to-live, in milliseconds.
    ttl_ms: AtomicU64,
    /// Stores since the last sweep of expired entries.
    stores: AtomicUsize,
    /// When the oldest answer served since [`SessionCache::take_oldest_served`]
    /// was received.
    oldest_served: Mutex<Option<Instant>>,
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
            ttl_ms: AtomicU64::new(DEFAULT_TTL.as_millis() as u64),
            stores: AtomicUsize::new(0),
            oldest_served: Mutex::new(None),
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

    /// How long an answer is served from the cache.
    pub fn ttl(&self) -> Duration {
        Duration::from_millis(self.ttl_ms.load(Ordering::Relaxed))
    }

    /// Sets the time-to-live; entries older than it are no longer served.
    pub fn set_ttl(&self, ttl: Duration) {
        let ms = u64::try_from(ttl.as_millis()).unwrap_or(u64::MAX);
        self.ttl_ms.store(ms, Ordering::Relaxed);
    }

    fn fresh(&self, at: Instant) -> bool {
        at.elapsed() < self.ttl()
    }

    /// Notes that an answer received at `at` was served.
    fn served(&self, at: Instant) {
        if let Ok(mut oldest) = self.oldest_served.lock() {
            if oldest.is_none_or(|o| at < o) {
                *oldest = Some(at);
            }
        }
    }

    /// The age of the oldest answer served since the last call (None: no
    /// answer came from the cache), and starts counting afresh.
    pub fn take_oldest_served(&self) -> Option<Duration> {
        self.oldest_served
            .lock()
            .ok()
            .and_then(|mut o| o.take())
            .map(|at| at.elapsed())
    }

    /// Counts a store, and every [`SWEEP_EVERY`] stores drops what expired.
    fn stored(&self) {
        if self.stores.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1 {
            self.sweep();
        }
    }

    /// Drops the entries older than the time-to-live, and the fetch locks
    /// nobody holds or waits for.
    fn sweep(&self) {
        let ttl = self.ttl();
        self.with(|e| {
            e.listings.retain(|_, s| s.at.elapsed() < ttl);
            e.items.retain(|_, s| s.at.elapsed() < ttl);
        });
        if let Ok(mut f) = self.flights.lock() {
            f.retain(|_, lock| Arc::strong_count(lock) > 1);
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

    /// Live cached answers per resource type: (resource, listings, items,
    /// age of the oldest).
    pub fn sizes(&self) -> Vec<(&'static str, usize, usize, Duration)> {
        self.sweep();
        let mut out: BTreeMap<&'static str, (usize, usize, Duration)> = BTreeMap::new();
        self.with(|e| {
            for (k, s) in &e.listings {
                let r = out.entry(resource_of(k.op)).or_default();
                r.0 += 1;
                r.2 = r.2.max(s.at.elapsed());
            }
            for (k, s) in &e.items {
                let r = out.entry(resource_of(k.op)).or_default();
                r.1 += 1;
                r.2 = r.2.max(s.at.elapsed());
            }
        });
        out.into_iter().map(|(r, (l, i, a))| (r, l, i, a)).collect()
    }

    /// The total number of cached answers.
    pub fn len(&self) -> usize {
        self.with(|e| e.listings.len() + e.items.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A complete listing, if cached within the time-to-live.
    pub fn listing(&self, key: &Key) -> Option<Arc<Vec<Value>>> {
        let text = self.cached(key, |e| &e.listings)?;
        serde_json::from_str(&text).ok().map(Arc::new)
    }

    pub fn put_listing(&self, key: Key, items: Vec<Value>) -> Arc<Vec<Value>> {
        if self.enabled() {
            let mut text = ListingText::default();
            for item in &items {
                text.push(item);
            }
            self.put_listing_text(key, text);
        }
        Arc::new(items)
    }

    /// Stores a listing written item by item as it streamed past.
    pub fn put_listing_text(&self, key: Key, text: ListingText) {
        if self.enabled() {
            self.store(key, text.finish(), |e| &mut e.listings);
        }
    }

    /// A described item or sub-listing, if cached within the time-to-live.
    pub fn item(&self, key: &Key) -> Option<Value> {
        let text = self.cached(key, |e| &e.items)?;
        serde_json::from_str(&text).ok()
    }

    /// Whether [`SessionCache::item`] would answer `key` now (without
    /// counting it as served): the call budget leaves such calls out.
    pub fn holds_item(&self, key: &Key) -> bool {
        self.enabled()
            && self
                .with(|e| e.items.get(key).is_some_and(|s| self.fresh(s.at)))
                .unwrap_or(false)
    }

    pub fn put_item(&self, key: Key, value: &Value) {
        if self.enabled() {
            self.store(key, value.to_string().into(), |e| &mut e.items);
        }
    }

    /// A stored answer's text, when fresh (and counted as served).
    fn cached(
        &self,
        key: &Key,
        table: impl FnOnce(&Entries) -> &HashMap<Key, Stored<Box<str>>>,
    ) -> Option<Box<str>> {
        if !self.enabled() {
            return None;
        }
        let (at, text) = self
            .with(|e| table(e).get(key).map(|s| (s.at, s.value.clone())))
            .flatten()?;
        self.fresh(at).then(|| {
            self.served(at);
            text
        })
    }

    fn store(
        &self,
        key: Key,
        text: Box<str>,
        table: impl FnOnce(&mut Entries) -> &mut HashMap<Key, Stored<Box<str>>>,
    ) {
        self.with(|e| {
            table(e).insert(
                key,
                Stored {
                    at: Instant::now(),
                    value: text,
                },
            )
        });
        self.stored();
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

    /// Forgets a region's instance listing (an instance was created or
    /// deleted there, or may have been).
    pub fn invalidate_instance_listing(&self, region: &str) {
        self.with(|e| {
            e.listings
                .retain(|k, _| !(k.region == region && k.op == Op::ListInstances));
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

    #[test]
    fn entries_expire_after_the_time_to_live() {
        let c = SessionCache::new(true);
        assert_eq!(c.ttl(), DEFAULT_TTL);
        let k = Key::new("us-east-1", Some("i1"), Op::SearchUsers, "");
        let d = Key::new("us-east-1", Some("i1"), Op::DescribeUser, "u1");
        c.put_listing(k.clone(), vec![json!({"Id": "u1"})]);
        c.put_item(d.clone(), &json!({"Id": "u1"}));
        assert!(c.listing(&k).is_some() && c.item(&d).is_some());
        c.set_ttl(Duration::ZERO);
        assert!(c.listing(&k).is_none() && c.item(&d).is_none());
        // Expired entries are not held either, nor idle fetch locks.
        let held = c.flight(&k);
        c.flight(&d);
        assert!(c.sizes().is_empty());
        assert_eq!(c.flights.lock().unwrap().len(), 1, "only the held lock");
        drop(held);
        c.set_ttl(Duration::from_millis(50));
        c.put_item(d.clone(), &json!({"Id": "u1"}));
        assert!(c.item(&d).is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert!(c.item(&d).is_none());
    }

    #[test]
    fn the_oldest_answer_served_is_remembered_until_taken() {
        let c = SessionCache::new(true);
        let k = Key::new("us-east-1", None, Op::ListInstances, "");
        c.put_listing(k.clone(), vec![]);
        assert_eq!(c.take_oldest_served(), None, "stored, not served");
        std::thread::sleep(Duration::from_millis(20));
        let d = Key::new("us-east-1", None, Op::DescribeInstance, "i1");
        c.put_item(d.clone(), &json!({}));
        c.item(&d);
        c.listing(&k);
        let age = c.take_oldest_served().expect("served");
        assert!(
            age >= Duration::from_millis(20),
            "the older of the two: {age:?}"
        );
        assert_eq!(c.take_oldest_served(), None);
    }

    #[test]
    fn ages_and_ttls_read_well() {
        assert_eq!(age_text(Duration::from_secs(12)), "12 s");
        assert_eq!(age_text(Duration::from_secs(150)), "2 min");
        assert_eq!(age_text(Duration::from_secs(3900)), "1 h 5 min");
        assert_eq!(parse_ttl("0"), Ok(0));
        assert_eq!(parse_ttl("300"), Ok(300));
        assert!(parse_ttl("-1").is_err() && parse_ttl("1.5").is_err());
        assert!(parse_ttl("604801").unwrap_err().contains("a week"));
    }
}
