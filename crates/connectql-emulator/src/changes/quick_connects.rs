//! Quick connects: create, name, config, delete.

use super::*;

/// A validated `QuickConnectConfig` whose user, queue and flow exist.
fn quick_connect_config(cx: &Cx<'_>, cfg: &Body) -> Result<Value, ApiError> {
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
    Ok(json!({"QuickConnectType": qtype, member: sub_out}))
}

pub fn create_quick_connect(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let name = req_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 1, 250)?;
    let cfg = quick_connect_config(
        cx,
        required(get_obj(m, "QuickConnectConfig")?, "QuickConnectConfig")?,
    )?;
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    unique_name(cx, Kind::QuickConnect, name, None)?;

    let mut doc = Map::new();
    doc.insert("Name".into(), json!(name));
    put_opt(&mut doc, "Description", description);
    doc.insert("QuickConnectConfig".into(), cfg);
    let (id, arn) = insert_item(cx, Kind::QuickConnect, id, doc, Map::new(), tags);
    Ok(json!({"QuickConnectARN": arn, "QuickConnectId": id}))
}

/// `UpdateQuickConnectName`: name and description, each optional. The model
/// has no DuplicateResourceException here, so a name taken by another quick
/// connect is a 400 InvalidRequestException.
pub fn update_quick_connect_name(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let name = opt_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 0, 250)?;
    cx.need(Kind::QuickConnect, id)?;
    if let Some(n) = name {
        unique_name(cx, Kind::QuickConnect, n, Some(id))
            .map_err(|e| ApiError::invalid_request(e.message))?;
        cx.content
            .items_mut(Kind::QuickConnect)
            .rename(Kind::QuickConnect, id, n);
    }
    put_opt(
        &mut cx.need_mut(Kind::QuickConnect, id)?.doc,
        "Description",
        description,
    );
    touch(cx, Kind::QuickConnect, id);
    Ok(Value::Null)
}

/// `UpdateQuickConnectConfig`: the whole configuration is replaced.
pub fn update_quick_connect_config(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let cfg = required(get_obj(m, "QuickConnectConfig")?, "QuickConnectConfig")?;
    cx.need(Kind::QuickConnect, id)?;
    let cfg = quick_connect_config(cx, cfg)?;
    cx.need_mut(Kind::QuickConnect, id)?
        .doc
        .insert("QuickConnectConfig".into(), cfg);
    touch(cx, Kind::QuickConnect, id);
    Ok(Value::Null)
}

/// `DeleteQuickConnect`: it also leaves every queue's quick connects.
pub fn delete_quick_connect(cx: &mut Cx<'_>, id: &str) -> Result<Value, ApiError> {
    cx.need(Kind::QuickConnect, id)?;
    cx.content
        .items_mut(Kind::QuickConnect)
        .remove(Kind::QuickConnect, id);
    for queue in cx.content.items_mut(Kind::Queue).iter_mut() {
        let mut ids = queue.extra_list("QuickConnectIds");
        let before = ids.len();
        ids.retain(|q| q.as_str() != Some(id));
        if ids.len() != before {
            queue
                .extra
                .insert("QuickConnectIds".into(), Value::Array(ids));
        }
    }
    Ok(Value::Null)
}
