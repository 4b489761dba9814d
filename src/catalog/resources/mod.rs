//! One file per resource type: its entry in the catalog.

pub mod hours_of_operation;
pub mod instance;
pub mod queue;
pub mod routing_profile;
pub mod user;

use super::ResourceType;

pub use instance::Attribute;

/// Every resource type, in the order SHOW RESOURCES lists them.
pub static ALL: &[&ResourceType] = &[
    &instance::INSTANCE,
    &user::USER,
    &queue::QUEUE,
    &routing_profile::ROUTING_PROFILE,
    &hours_of_operation::HOURS_OF_OPERATION,
];
