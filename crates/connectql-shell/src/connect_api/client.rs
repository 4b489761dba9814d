//! One region's client: every Connect call goes through [`RegionClient::paced`].

use std::sync::Arc;

use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::Client;
use aws_smithy_runtime_api::http::Response as HttpResponse;

use super::pacer::{Pacer, Quota};
use super::Place;
use crate::catalog::Op;

/// A region's client with the session's pacer.
#[derive(Clone, Debug)]
pub struct RegionClient {
    pub client: Client,
    pub region: String,
    /// The profile and region (`region` is `place.region`).
    pub place: Place,
    /// Whose rate limits its calls spend (the pacer's lane).
    quota: Quota,
    pacer: Arc<Pacer>,
}

impl RegionClient {
    /// A client of the session's account (its quota is the region's).
    pub fn new(client: Client, place: &Place, pacer: Arc<Pacer>) -> Self {
        let account = place.profile.clone().unwrap_or_default();
        RegionClient::with_quota(client, place, Quota::new(&account, &place.region), pacer)
    }

    pub fn with_quota(client: Client, place: &Place, quota: Quota, pacer: Arc<Pacer>) -> Self {
        RegionClient {
            client,
            region: place.region.clone(),
            place: place.clone(),
            quota,
            pacer,
        }
    }

    /// Runs one call (one page) through the pacer.
    pub async fn paced<T, E, F, Fut>(&self, op: Op, call: F) -> Result<T, SdkError<E, HttpResponse>>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, SdkError<E, HttpResponse>>>,
        E: ProvideErrorMetadata,
    {
        self.pacer.run(&self.quota, op, call).await
    }
}
