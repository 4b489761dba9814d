//! Users' per-channel config, the routing profile availability timer, and
//! hours of operation: overrides, parents, hours in use.

use super::*;
use aws_sdk_connect::types::{
    AgentAvailabilityTimer, AutoAcceptConfig, Channel, HoursOfOperationConfig,
    HoursOfOperationDays, HoursOfOperationOverrideConfig, HoursOfOperationTimeSlice, OverrideDays,
    OverrideTimeSlice, OverrideType, ParentHoursOfOperationConfig, RecurrenceConfig,
    RecurrenceFrequency, RecurrencePattern,
};

#[tokio::test]
async fn user_config_and_routing_profile_timer() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "usercfg").await;
    let agent = id_by_name(&c, &inst, "security profile", "Agent").await;
    let user = new_user(&c, &inst, "lee", &agent).await;
    c.update_user_config()
        .instance_id(&inst)
        .user_id(&user)
        .auto_accept_configs(
            AutoAcceptConfig::builder()
                .channel(Channel::Chat)
                .auto_accept(true)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    let described = c
        .describe_user()
        .instance_id(&inst)
        .user_id(&user)
        .send()
        .await
        .unwrap();
    let configs = described.user().unwrap().auto_accept_configs();
    assert_eq!(configs.len(), 1);
    assert_eq!(configs[0].channel(), &Channel::Chat);
    assert!(configs[0].auto_accept());
    let bad_channel = c
        .update_user_config()
        .instance_id(&inst)
        .user_id(&user)
        .auto_accept_configs(
            AutoAcceptConfig::builder()
                .channel(Channel::from("FAX"))
                .auto_accept(true)
                .build()
                .unwrap(),
        )
        .send()
        .await;
    assert_eq!(failure(bad_channel), is(400, "InvalidParameterException"));

    let rp = id_by_name(&c, &inst, "routing profile", "Basic Routing Profile").await;
    c.update_routing_profile_agent_availability_timer()
        .instance_id(&inst)
        .routing_profile_id(&rp)
        .agent_availability_timer(AgentAvailabilityTimer::TimeSinceLastInbound)
        .send()
        .await
        .unwrap();
    let described = c
        .describe_routing_profile()
        .instance_id(&inst)
        .routing_profile_id(&rp)
        .send()
        .await
        .unwrap();
    assert_eq!(
        described
            .routing_profile()
            .unwrap()
            .agent_availability_timer(),
        Some(&AgentAvailabilityTimer::TimeSinceLastInbound)
    );
    let unknown = c
        .update_routing_profile_agent_availability_timer()
        .instance_id(&inst)
        .routing_profile_id("00000000-0000-4000-8000-000000000000")
        .agent_availability_timer(AgentAvailabilityTimer::TimeSinceLastActivity)
        .send()
        .await;
    assert_eq!(failure(unknown), is(404, "ResourceNotFoundException"));
}

#[tokio::test]
async fn parent_hours_are_in_use() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "hours").await;
    let parent = basic_hours(&c, &inst).await;
    let child = c
        .create_hours_of_operation()
        .instance_id(&inst)
        .name("Holidays")
        .time_zone("Europe/Dublin")
        .config(
            HoursOfOperationConfig::builder()
                .day(HoursOfOperationDays::Monday)
                .start_time(
                    HoursOfOperationTimeSlice::builder()
                        .hours(9)
                        .minutes(0)
                        .build()
                        .unwrap(),
                )
                .end_time(
                    HoursOfOperationTimeSlice::builder()
                        .hours(12)
                        .minutes(0)
                        .build()
                        .unwrap(),
                )
                .build()
                .unwrap(),
        )
        .parent_hours_of_operation_configs(
            ParentHoursOfOperationConfig::builder()
                .hours_of_operation_id(&parent)
                .build(),
        )
        .send()
        .await
        .unwrap()
        .hours_of_operation_id()
        .unwrap()
        .to_string();
    // Basic Hours is used by BasicQueue and is the parent of Holidays:
    // the model's 400 InvalidRequestException (it has no ResourceInUseException).
    let in_use = c
        .delete_hours_of_operation()
        .instance_id(&inst)
        .hours_of_operation_id(&parent)
        .send()
        .await;
    assert_eq!(failure(in_use), is(400, "InvalidRequestException"));
    c.delete_hours_of_operation()
        .instance_id(&inst)
        .hours_of_operation_id(&child)
        .send()
        .await
        .unwrap();
    let gone = c
        .describe_hours_of_operation()
        .instance_id(&inst)
        .hours_of_operation_id(&child)
        .send()
        .await;
    assert_eq!(failure(gone), is(404, "ResourceNotFoundException"));
}

async fn new_hours(c: &Client, inst: &str, name: &str) -> String {
    c.create_hours_of_operation()
        .instance_id(inst)
        .name(name)
        .time_zone("Europe/Dublin")
        .set_config(Some(vec![]))
        .send()
        .await
        .unwrap()
        .hours_of_operation_id()
        .unwrap()
        .to_string()
}

fn override_slice(h: i32) -> OverrideTimeSlice {
    OverrideTimeSlice::builder()
        .hours(h)
        .minutes(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn hours_overrides_create_update_delete() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "overrides").await;
    let hours = basic_hours(&c, &inst).await;
    let create = |name: &'static str, from: &'static str, till: &'static str| {
        c.create_hours_of_operation_override()
            .instance_id(&inst)
            .hours_of_operation_id(&hours)
            .name(name)
            .set_config(Some(vec![]))
            .effective_from(from)
            .effective_till(till)
            .override_type(OverrideType::Closed)
            .send()
    };
    let christmas = create("Christmas", "2026-12-25", "2026-12-26")
        .await
        .unwrap()
        .hours_of_operation_override_id()
        .unwrap()
        .to_string();
    create("New Year", "2027-01-01", "2027-01-01")
        .await
        .unwrap();

    c.update_hours_of_operation_override()
        .instance_id(&inst)
        .hours_of_operation_id(&hours)
        .hours_of_operation_override_id(&christmas)
        .description("Short day")
        .override_type(OverrideType::Open)
        .config(
            HoursOfOperationOverrideConfig::builder()
                .day(OverrideDays::Friday)
                .start_time(override_slice(9))
                .end_time(override_slice(13))
                .build(),
        )
        .recurrence_config(
            RecurrenceConfig::builder()
                .recurrence_pattern(
                    RecurrencePattern::builder()
                        .frequency(RecurrenceFrequency::Yearly)
                        .interval(1)
                        .by_month(12)
                        .by_month_day(25)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .send()
        .await
        .unwrap();
    let listed = c
        .list_hours_of_operation_overrides()
        .instance_id(&inst)
        .hours_of_operation_id(&hours)
        .send()
        .await
        .unwrap();
    assert_eq!(listed.last_modified_region(), Some(REGION));
    let all = listed.hours_of_operation_override_list();
    assert_eq!(all.len(), 2);
    let o = all
        .iter()
        .find(|o| o.hours_of_operation_override_id() == Some(christmas.as_str()))
        .unwrap();
    assert_eq!(o.name(), Some("Christmas"));
    assert_eq!(o.description(), Some("Short day"));
    assert_eq!(o.override_type(), Some(&OverrideType::Open));
    assert_eq!(o.effective_from(), Some("2026-12-25"));
    assert_eq!(o.hours_of_operation_id(), Some(hours.as_str()));
    assert_eq!(o.config().len(), 1);
    assert_eq!(o.config()[0].day(), Some(&OverrideDays::Friday));
    let pattern = o
        .recurrence_config()
        .and_then(|r| r.recurrence_pattern())
        .unwrap();
    assert_eq!(pattern.frequency(), &RecurrenceFrequency::Yearly);
    assert_eq!(pattern.by_month(), [12]);

    // Errors: a taken name, dates in the wrong order, a bad date, an unknown override.
    let taken = c
        .update_hours_of_operation_override()
        .instance_id(&inst)
        .hours_of_operation_id(&hours)
        .hours_of_operation_override_id(&christmas)
        .name("new year")
        .send()
        .await;
    assert_eq!(failure(taken), is(409, "DuplicateResourceException"));
    let backwards = create("Backwards", "2027-02-02", "2027-02-01").await;
    assert_eq!(failure(backwards), is(400, "InvalidRequestException"));
    let bad_date = create("Bad date", "25/12/2026", "2026-12-26").await;
    assert_eq!(failure(bad_date), is(400, "InvalidParameterException"));
    let unknown = c
        .delete_hours_of_operation_override()
        .instance_id(&inst)
        .hours_of_operation_id(&hours)
        .hours_of_operation_override_id("00000000-0000-4000-8000-000000000000")
        .send()
        .await;
    assert_eq!(failure(unknown), is(404, "ResourceNotFoundException"));

    c.delete_hours_of_operation_override()
        .instance_id(&inst)
        .hours_of_operation_id(&hours)
        .hours_of_operation_override_id(&christmas)
        .send()
        .await
        .unwrap();
    let listed = c
        .list_hours_of_operation_overrides()
        .instance_id(&inst)
        .hours_of_operation_id(&hours)
        .send()
        .await
        .unwrap();
    let names: Vec<_> = listed
        .hours_of_operation_override_list()
        .iter()
        .filter_map(|o| o.name())
        .collect();
    assert_eq!(names, ["New Year"]);
}

#[tokio::test]
async fn parent_hours_associate_rename_and_disassociate() {
    let emu = start().await;
    let c = client(&emu.url());
    let inst = new_instance(&c, "parents").await;
    let child = new_hours(&c, &inst, "Dublin").await;
    let parents = [
        new_hours(&c, &inst, "Ireland").await,
        new_hours(&c, &inst, "EU").await,
        new_hours(&c, &inst, "Global").await,
        new_hours(&c, &inst, "Extra").await,
    ];
    let parent_config = |id: &str| {
        ParentHoursOfOperationConfig::builder()
            .hours_of_operation_id(id)
            .build()
    };
    c.associate_hours_of_operations()
        .instance_id(&inst)
        .hours_of_operation_id(&child)
        .parent_hours_of_operation_configs(parent_config(&parents[0]))
        .parent_hours_of_operation_configs(parent_config(&parents[1]))
        .send()
        .await
        .unwrap();
    c.update_hours_of_operation()
        .instance_id(&inst)
        .hours_of_operation_id(&parents[0])
        .name("Republic of Ireland")
        .send()
        .await
        .unwrap();
    let described = c
        .describe_hours_of_operation()
        .instance_id(&inst)
        .hours_of_operation_id(&child)
        .send()
        .await
        .unwrap();
    let shown: Vec<_> = described
        .hours_of_operation()
        .unwrap()
        .parent_hours_of_operations()
        .iter()
        .map(|p| p.name())
        .collect();
    assert_eq!(shown, ["Republic of Ireland", "EU"]);
    let children = c
        .list_child_hours_of_operations()
        .instance_id(&inst)
        .hours_of_operation_id(&parents[1])
        .send()
        .await
        .unwrap();
    let ids: Vec<_> = children
        .child_hours_of_operations_summary_list()
        .iter()
        .map(|h| h.id())
        .collect();
    assert_eq!(ids, [child.as_str()]);

    // Errors: a fourth parent (quota), itself, an unknown parent.
    let fourth = c
        .associate_hours_of_operations()
        .instance_id(&inst)
        .hours_of_operation_id(&child)
        .parent_hours_of_operation_configs(parent_config(&parents[2]))
        .parent_hours_of_operation_configs(parent_config(&parents[3]))
        .send()
        .await;
    assert_eq!(failure(fourth), is(402, "ServiceQuotaExceededException"));
    let itself = c
        .associate_hours_of_operations()
        .instance_id(&inst)
        .hours_of_operation_id(&child)
        .parent_hours_of_operation_configs(parent_config(&child))
        .send()
        .await;
    assert_eq!(failure(itself), is(400, "InvalidRequestException"));
    let unknown = c
        .associate_hours_of_operations()
        .instance_id(&inst)
        .hours_of_operation_id(&child)
        .parent_hours_of_operation_configs(parent_config("00000000-0000-4000-8000-000000000000"))
        .send()
        .await;
    assert_eq!(failure(unknown), is(404, "ResourceNotFoundException"));

    c.disassociate_hours_of_operations()
        .instance_id(&inst)
        .hours_of_operation_id(&child)
        .parent_hours_of_operation_ids(&parents[0])
        .send()
        .await
        .unwrap();
    let not_parent = c
        .disassociate_hours_of_operations()
        .instance_id(&inst)
        .hours_of_operation_id(&child)
        .parent_hours_of_operation_ids(&parents[0])
        .send()
        .await;
    assert_eq!(failure(not_parent), is(404, "ResourceNotFoundException"));
    let described = c
        .describe_hours_of_operation()
        .instance_id(&inst)
        .hours_of_operation_id(&child)
        .send()
        .await
        .unwrap();
    let shown: Vec<_> = described
        .hours_of_operation()
        .unwrap()
        .parent_hours_of_operations()
        .iter()
        .map(|p| p.id())
        .collect();
    assert_eq!(shown, [parents[1].as_str()]);
}
