//! One file per resource type: its entry in the catalog.

pub mod agent_status;
pub mod approved_origin;
pub mod contact_flow;
pub mod contact_flow_module;
pub mod hours_of_operation;
pub mod instance;
pub mod instance_storage_config;
pub mod integration_association;
pub mod phone_number;
pub mod prompt;
pub mod queue;
pub mod quick_connect;
pub mod routing_profile;
pub mod security_profile;
pub mod user;
pub mod user_hierarchy_group;

use super::ResourceType;

pub use instance::Attribute;

/// Every resource type, in the order SHOW RESOURCES lists them.
pub static ALL: &[&ResourceType] = &[
    &instance::INSTANCE,
    &user::USER,
    &queue::QUEUE,
    &routing_profile::ROUTING_PROFILE,
    &hours_of_operation::HOURS_OF_OPERATION,
    &contact_flow::CONTACT_FLOW,
    &contact_flow_module::CONTACT_FLOW_MODULE,
    &phone_number::PHONE_NUMBER,
    &security_profile::SECURITY_PROFILE,
    &quick_connect::QUICK_CONNECT,
    &user_hierarchy_group::USER_HIERARCHY_GROUP,
    &prompt::PROMPT,
    &agent_status::AGENT_STATUS,
    &approved_origin::APPROVED_ORIGIN,
    &instance_storage_config::INSTANCE_STORAGE_CONFIG,
    &integration_association::INTEGRATION_ASSOCIATION,
];
