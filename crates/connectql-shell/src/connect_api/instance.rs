//! The instance's changes, as CloudFormation's handler for
//! AWS::Connect::Instance makes them: UpdateInstanceAttribute,
//! TagResource / UntagResource, CreateInstance, DeleteInstance.
//!
//! Every call that changes something is safe to retry: CreateInstance,
//! UpdateInstanceAttribute and DeleteInstance carry a ClientToken fixed
//! before the first attempt (the SDK's retries and the pacer's resend the
//! same request), TagResource and UntagResource are idempotent.

use std::collections::BTreeMap;

use super::{ApiError, ApiErrorKind, RegionClient};
use crate::catalog::Op;

/// UpdateInstanceAttribute: sets one attribute to `"true"` or `"false"`.
/// The ClientToken is fixed before the first attempt, so retries are safe.
pub async fn update_attribute(
    rc: &RegionClient,
    instance_id: &str,
    api_type: &str,
    value: bool,
) -> Result<(), ApiError> {
    let call = rc
        .client
        .update_instance_attribute()
        .instance_id(instance_id)
        .attribute_type(aws_sdk_connect::types::InstanceAttributeType::from(
            api_type,
        ))
        .value(if value { "true" } else { "false" })
        .client_token(uuid::Uuid::new_v4().to_string());
    rc.paced(Op::UpdateInstanceAttribute, || call.clone().send())
        .await
        .map(|_| ())
        .map_err(|e| {
            ApiError::from_sdk(Op::UpdateInstanceAttribute, &rc.region, e)
                .about(format!("instance `{instance_id}`"))
        })
}

/// TagResource: adds or overwrites tags (idempotent).
pub async fn tag_resource(
    rc: &RegionClient,
    arn: &str,
    tags: &BTreeMap<String, String>,
) -> Result<(), ApiError> {
    let call = rc
        .client
        .tag_resource()
        .resource_arn(arn)
        .set_tags(Some(tags.clone().into_iter().collect()));
    rc.paced(Op::TagResource, || call.clone().send())
        .await
        .map(|_| ())
        .map_err(|e| ApiError::from_sdk(Op::TagResource, &rc.region, e).about(format!("`{arn}`")))
}

/// UntagResource: removes tags by key (idempotent).
pub async fn untag_resource(rc: &RegionClient, arn: &str, keys: &[String]) -> Result<(), ApiError> {
    let call = rc
        .client
        .untag_resource()
        .resource_arn(arn)
        .set_tag_keys(Some(keys.to_vec()));
    rc.paced(Op::UntagResource, || call.clone().send())
        .await
        .map(|_| ())
        .map_err(|e| ApiError::from_sdk(Op::UntagResource, &rc.region, e).about(format!("`{arn}`")))
}

/// What CreateInstance needs, validated beforehand by the planner.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateRequest {
    pub region: String,
    pub identity_management_type: String,
    pub instance_alias: Option<String>,
    pub directory_id: Option<String>,
    pub inbound_calls: bool,
    pub outbound_calls: bool,
    pub tags: BTreeMap<String, String>,
    /// Idempotency token: a retry of the same create makes one instance.
    pub client_token: String,
}

/// CreateInstance: returns (id, arn).
pub async fn create_instance(
    rc: &RegionClient,
    req: &CreateRequest,
) -> Result<(String, String), ApiError> {
    let mut call = rc
        .client
        .create_instance()
        .identity_management_type(aws_sdk_connect::types::DirectoryType::from(
            req.identity_management_type.as_str(),
        ))
        .inbound_calls_enabled(req.inbound_calls)
        .outbound_calls_enabled(req.outbound_calls)
        .client_token(&req.client_token)
        .set_instance_alias(req.instance_alias.clone())
        .set_directory_id(req.directory_id.clone());
    if !req.tags.is_empty() {
        call = call.set_tags(Some(req.tags.clone().into_iter().collect()));
    }
    let out = rc
        .paced(Op::CreateInstance, || call.clone().send())
        .await
        .map_err(|e| ApiError::from_sdk(Op::CreateInstance, &req.region, e))?;
    match (out.id(), out.arn()) {
        (Some(id), Some(arn)) => Ok((id.to_string(), arn.to_string())),
        _ => Err(ApiError::new(
            Op::CreateInstance,
            &req.region,
            ApiErrorKind::MalformedResponse,
            "the response has no Id or Arn",
        )),
    }
}

/// DeleteInstance (its ClientToken makes a retry safe).
pub async fn delete_instance(rc: &RegionClient, instance_id: &str) -> Result<(), ApiError> {
    let call = rc
        .client
        .delete_instance()
        .instance_id(instance_id)
        .client_token(uuid::Uuid::new_v4().to_string());
    rc.paced(Op::DeleteInstance, || call.clone().send())
        .await
        .map(|_| ())
        .map_err(|e| {
            ApiError::from_sdk(Op::DeleteInstance, &rc.region, e)
                .about(format!("instance `{instance_id}`"))
        })
}
