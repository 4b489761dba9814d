//! One region's client: every Connect call goes through [`RegionClient::paced`].

use std::sync::Arc;

use aws_sdk_connect::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_connect::Client;
use aws_smithy_runtime_api::http::Response as HttpResponse;

use super::pacer::Pacer;
use super::Place;
use crate::catalog::Op;

/// A region's client with the session's pacer.
#[derive(Clone, Debug)]
pub struct RegionClient {
    pub client: Client,
    pub region: String,
    /// The profile and region (`region` is `place.region`).
    pub place: Place,
    pacer: Arc<Pacer>,
}

impl RegionClient {
    pub fn new(client: Client, place: &Place, pacer: Arc<Pacer>) -> Self {
        RegionClient {
            client,
            region: place.region.clone(),
            place: place.clone(),
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
        self.pacer.run(&self.place, op, call).await
    }
}
