//! The executor: runs the API calls a plan needs, through the client pool
//! (one client per region) and the session cache, concurrently where the
//! calls are independent and with a bound on how many run at once.
//!
//! It never hides a failure: a region that failed, or an instance whose
//! enrichment call failed, is reported in [`Fetched::warnings`] and marks
//! the result partial.

pub mod cache;
pub mod changes;
pub mod clients;
pub mod pacer;

use std::sync::Arc;

use futures::stream::{self, StreamExt};

use crate::catalog::ResourceKind;
use crate::connect_api::{self, ApiError, ApiErrorKind, Attributes, InstanceRecord};
use crate::error::Error;
use crate::sql::planner::{FieldNeeds, InstanceRef, SourceSpec};

pub use cache::{SeenInstance, SessionCache};
pub use clients::{CallCounters, ClientPool, ConnectionOptions, RegionClient};

/// One row of either resource: what DescribeInstance or ListInstances said,
/// plus the attributes when they were asked for.
#[derive(Debug, Clone)]
pub struct InstanceRow {
    pub record: InstanceRecord,
    pub attributes: Option<Attributes>,
}

/// The rows of one source, and what could not be fetched.
#[derive(Debug, Default)]
pub struct Fetched {
    pub rows: Vec<InstanceRow>,
    /// Human-readable notes on missing parts (printed on stderr).
    pub warnings: Vec<String>,
    /// True when rows or fields are missing because a call failed.
    pub partial: bool,
}

/// Default bound on concurrent calls per region.
pub const DEFAULT_CONCURRENCY: usize = 16;

pub struct Executor {
    pool: ClientPool,
    cache: Arc<SessionCache>,
    counters: Arc<CallCounters>,
    concurrency: usize,
}

impl Executor {
    pub fn new(options: ConnectionOptions, cache_enabled: bool, concurrency: usize) -> Self {
        let counters = Arc::new(CallCounters::default());
        Executor {
            pool: ClientPool::new(options, counters.clone()),
            cache: Arc::new(SessionCache::new(cache_enabled)),
            counters,
            concurrency: concurrency.max(1),
        }
    }

    pub fn pool(&self) -> &ClientPool {
        &self.pool
    }
    pub fn cache(&self) -> &Arc<SessionCache> {
        &self.cache
    }
    pub fn counters(&self) -> &Arc<CallCounters> {
        &self.counters
    }
    /// The bound on concurrent calls per region.
    pub fn concurrency(&self) -> usize {
        self.concurrency
    }

    /// Fetches the rows of one source across its regions, concurrently.
    pub async fn fetch(&self, spec: &SourceSpec, needs: FieldNeeds) -> Result<Fetched, Error> {
        let per_region = futures::future::join_all(spec.regions.iter().map(|region| async move {
            let result = match spec.resource.kind {
                ResourceKind::Instance => self.fetch_gets(region, &spec.identifiers, needs).await,
                ResourceKind::Instances => self.fetch_list(region, &spec.identifiers, needs).await,
            };
            (region.clone(), result)
        }))
        .await;

        let mut out = Fetched::default();
        let mut failures: Vec<ApiError> = Vec::new();
        let mut not_found: Vec<(String, Vec<String>)> = Vec::new();
        for (region, result) in per_region {
            match result {
                Ok(region_rows) => {
                    out.rows.extend(region_rows.rows);
                    out.warnings.extend(region_rows.warnings);
                    out.partial |= region_rows.partial;
                    not_found.push((region, region_rows.not_found));
                }
                Err(e) => failures.push(e),
            }
        }

        // An identifier found in no region is an error, not an empty answer.
        if spec.resource.kind == ResourceKind::Instance {
            for ident in &spec.identifiers {
                let searched: Vec<&str> = spec
                    .regions
                    .iter()
                    .filter(|r| !failures.iter().any(|f| &f.region == *r))
                    .map(String::as_str)
                    .collect();
                let missing_everywhere = !searched.is_empty()
                    && not_found
                        .iter()
                        .filter(|(r, _)| searched.contains(&r.as_str()))
                        .all(|(_, nf)| nf.iter().any(|n| n == ident.display()));
                if missing_everywhere {
                    let e = ApiError::new(
                        "DescribeInstance",
                        &searched.join(", "),
                        ApiErrorKind::NotFound,
                        "no such instance",
                    )
                    .about(format!("`{}`", ident.display()));
                    if out.rows.is_empty() && failures.is_empty() {
                        return Err(e.into());
                    }
                    out.warnings.push(e.to_string());
                    out.partial = true;
                }
            }
        }

        if !failures.is_empty() {
            if out.rows.is_empty() && failures.len() == spec.regions.len() {
                return Err(if failures.len() == 1 {
                    failures.remove(0).into()
                } else {
                    Error::AllRegionsFailed(failures)
                });
            }
            out.partial = true;
            for f in failures {
                out.warnings.push(format!(
                    "region {} failed, its rows are missing: {f}",
                    f.region
                ));
            }
        }
        Ok(out)
    }

    /// get_resource in one region: each identifier resolved, described and
    /// (when needed) its attributes listed, identifiers concurrently.
    async fn fetch_gets(
        &self,
        region: &str,
        idents: &[InstanceRef],
        needs: FieldNeeds,
    ) -> Result<RegionRows, ApiError> {
        let ids = self.resolve_all(region, idents).await?;
        let results = stream::iter(ids.into_iter().map(|id| async move {
            let Some(id) = id else {
                return Ok::<_, ApiError>(None);
            };
            // DescribeInstance runs concurrently with the attribute pages.
            let (record, attributes) = tokio::join!(self.describe(region, &id), async {
                if needs.attributes {
                    Some(self.attributes(region, &id).await)
                } else {
                    None
                }
            });
            let record = match record {
                Ok(r) => r,
                Err(e) if e.kind == ApiErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e),
            };
            Ok(Some((record, attributes)))
        }))
        .buffered(self.concurrency)
        .collect::<Vec<_>>()
        .await;

        let mut out = RegionRows::default();
        for (ident, result) in idents.iter().zip(results) {
            match result? {
                None => out.not_found.push(ident.display().to_string()),
                Some((record, attributes)) => {
                    let attributes = self.settle_attributes(&record, attributes, &mut out);
                    out.rows.push(InstanceRow { record, attributes });
                }
            }
        }
        Ok(out)
    }

    /// list_resources in one region: ListInstances, and per instance the
    /// calls for fields the listing lacks. Those start as soon as each page
    /// arrives, with bounded concurrency.
    async fn fetch_list(
        &self,
        region: &str,
        idents: &[InstanceRef],
        needs: FieldNeeds,
    ) -> Result<RegionRows, ApiError> {
        let client = self.pool.client(region).await;
        let mut listing_error: Option<ApiError> = None;
        let mut listed: Vec<InstanceRecord> = Vec::new();
        let enriched = connect_api::list_instances_stream(&client)
            .filter_map(|item| {
                let keep = match item {
                    Ok(summary) => {
                        listed.push(summary.clone());
                        (idents.is_empty() || idents.iter().any(|i| matches_ref(&summary, i)))
                            .then_some(summary)
                    }
                    Err(e) => {
                        listing_error.get_or_insert(e);
                        None
                    }
                };
                futures::future::ready(keep)
            })
            .map(|summary| async move {
                let (described, attributes) = tokio::join!(
                    async {
                        if needs.tags {
                            Some(self.describe(region, &summary.id).await)
                        } else {
                            None
                        }
                    },
                    async {
                        if needs.attributes && summary.instance_status.as_deref() == Some("ACTIVE")
                        {
                            Some(self.attributes(region, &summary.id).await)
                        } else {
                            None
                        }
                    }
                );
                (summary, described, attributes)
            })
            .buffered(self.concurrency)
            .collect::<Vec<_>>()
            .await;
        if let Some(e) = listing_error {
            return Err(e);
        }
        self.cache.put_listing(region, &listed);

        let mut out = RegionRows::default();
        for (summary, described, attributes) in enriched {
            let record = match described {
                None => summary,
                Some(Ok(r)) => r,
                Some(Err(e)) if e.kind == ApiErrorKind::NotFound => continue, // deleted meanwhile
                Some(Err(e)) => {
                    out.partial = true;
                    out.warnings
                        .push(format!("tags missing for instance {}: {e}", summary.id));
                    summary
                }
            };
            let attributes = self.settle_attributes(&record, attributes, &mut out);
            out.rows.push(InstanceRow { record, attributes });
        }
        Ok(out)
    }

    /// Attributes exist only for ACTIVE instances (CloudFormation's read
    /// handler asks only then); a failed listing is a warning, not silence.
    fn settle_attributes(
        &self,
        record: &InstanceRecord,
        attributes: Option<Result<Attributes, ApiError>>,
        out: &mut RegionRows,
    ) -> Option<Attributes> {
        match attributes {
            Some(Ok(a)) => Some(a),
            Some(Err(e)) if record.instance_status.as_deref() != Some("ACTIVE") => {
                tracing::debug!("attributes of a {:?} instance: {e}", record.instance_status);
                None
            }
            Some(Err(e)) => {
                out.partial = true;
                out.warnings.push(format!(
                    "attributes missing for instance {}: {e}",
                    record.id
                ));
                None
            }
            None => None,
        }
    }

    /// The instance id an identifier names in `region` (None: no such
    /// instance there). Aliases resolve through ListInstances, cached.
    pub async fn resolve(
        &self,
        region: &str,
        ident: &InstanceRef,
    ) -> Result<Option<String>, ApiError> {
        Ok(self
            .resolve_all(region, std::slice::from_ref(ident))
            .await?
            .remove(0))
    }

    /// Resolves several identifiers with at most one ListInstances, however
    /// many aliases need it.
    pub async fn resolve_all(
        &self,
        region: &str,
        idents: &[InstanceRef],
    ) -> Result<Vec<Option<String>>, ApiError> {
        let mut listing: Option<Vec<InstanceRecord>> = None;
        let mut out = Vec::with_capacity(idents.len());
        for ident in idents {
            out.push(match ident {
                InstanceRef::Arn { id, region: r, .. } => (r == region).then(|| id.clone()),
                InstanceRef::Id(id) => Some(id.clone()),
                InstanceRef::Alias(alias) => {
                    if let Some(id) = self.cache.alias(region, alias) {
                        self.counters.hit();
                        Some(id)
                    } else {
                        if listing.is_none() {
                            let client = self.pool.client(region).await;
                            let list = connect_api::list_instances(&client).await?;
                            self.cache.put_listing(region, &list);
                            listing = Some(list);
                        }
                        listing
                            .iter()
                            .flatten()
                            .find(|s| s.instance_alias.as_deref() == Some(alias.as_str()))
                            .map(|s| s.id.clone())
                    }
                }
            });
        }
        Ok(out)
    }

    /// DescribeInstance through the session cache.
    pub async fn describe(&self, region: &str, id: &str) -> Result<InstanceRecord, ApiError> {
        if let Some(r) = self.cache.describe(region, id) {
            self.counters.hit();
            return Ok(r);
        }
        let client = self.pool.client(region).await;
        let record = connect_api::describe_instance(&client, id).await?;
        self.cache.put_describe(&record);
        Ok(record)
    }

    /// ListInstanceAttributes (all pages) through the session cache.
    pub async fn attributes(&self, region: &str, id: &str) -> Result<Attributes, ApiError> {
        if let Some(a) = self.cache.attributes(region, id) {
            self.counters.hit();
            return Ok(a);
        }
        let client = self.pool.client(region).await;
        let attrs = connect_api::list_attributes(&client, id).await?;
        self.cache.put_attributes(region, id, &attrs);
        Ok(attrs)
    }
}

#[derive(Default)]
struct RegionRows {
    rows: Vec<InstanceRow>,
    warnings: Vec<String>,
    partial: bool,
    /// Identifiers (as written) with no instance in this region.
    not_found: Vec<String>,
}

fn matches_ref(s: &InstanceRecord, r: &InstanceRef) -> bool {
    match r {
        InstanceRef::Arn { arn, .. } => s.arn.as_deref() == Some(arn.as_str()),
        InstanceRef::Id(id) => &s.id == id,
        InstanceRef::Alias(a) => s.instance_alias.as_deref() == Some(a.as_str()),
    }
}
