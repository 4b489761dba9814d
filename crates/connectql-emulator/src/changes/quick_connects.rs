//! Quick connects: create, name, config, delete.

use super::*;

pub fn create_quick_connect(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let name = req_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 1, 250)?;
    let cfg = required(get_obj(m, "QuickConnectConfig")?, "QuickConnectConfig")?;
    let qtype = required(
        get_str(cfg, "QuickConnectType")?,
        "QuickConnectConfig.QuickConnectType",
    )?;
    check_enum(
        qtype,
        "QuickConnectConfig.QuickConnectType",
        &["USER", "QUEUE", "PHONE_NUMBER", "FLOW"],
    )?;
    let member = match qtype {
        "USER" => "UserConfig",
        "QUEUE" => "QueueConfig",
        "PHONE_NUMBER" => "PhoneConfig",
        _ => "FlowConfig",
    };
    let sub = get_obj(cfg, member)?.ok_or_else(|| {
        ApiError::invalid_parameter(format!(
            "QuickConnectConfig.{member} is required when QuickConnectType is {qtype}"
        ))
    })?;
    let flow = |cx: &Cx<'_>| -> Result<String, ApiError> {
        let f = required(
            get_str(sub, "ContactFlowId")?,
            &format!("QuickConnectConfig.{member}.ContactFlowId"),
        )?;
        existing(cx, Kind::ContactFlow, f)
    };
    let sub_out = match qtype {
        "USER" => {
            let u = required(
                get_str(sub, "UserId")?,
                "QuickConnectConfig.UserConfig.UserId",
            )?;
            json!({"UserId": existing(cx, Kind::User, u)?, "ContactFlowId": flow(cx)?})
        }
        "QUEUE" => {
            let q = required(
                get_str(sub, "QueueId")?,
                "QuickConnectConfig.QueueConfig.QueueId",
            )?;
            json!({"QueueId": existing(cx, Kind::Queue, q)?, "ContactFlowId": flow(cx)?})
        }
        "PHONE_NUMBER" => {
            let n = required(
                get_str(sub, "PhoneNumber")?,
                "QuickConnectConfig.PhoneConfig.PhoneNumber",
            )?;
            check_e164(n, "QuickConnectConfig.PhoneConfig.PhoneNumber")?;
            json!({"PhoneNumber": n})
        }
        _ => json!({"ContactFlowId": flow(cx)?}),
    };
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    unique_name(cx, Kind::QuickConnect, name, None)?;

    let mut doc = Map::new();
    doc.insert("Name".into(), json!(name));
    put_opt(&mut doc, "Description", description);
    doc.insert(
        "QuickConnectConfig".into(),
        json!({"QuickConnectType": qtype, member: sub_out}),
    );
    let (id, arn) = insert_item(cx, Kind::QuickConnect, id, doc, Map::new(), tags);
    Ok(json!({"QuickConnectARN": arn, "QuickConnectId": id}))
}
