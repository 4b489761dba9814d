//! Contact flows and flow modules: create, content, metadata, delete.

use super::*;

/// Check that flow content is a flow-language document.
fn check_flow_content(content: &str, code: &'static str) -> Result<(), ApiError> {
    let v: Value = serde_json::from_str(content).map_err(|e| {
        ApiError::invalid_flow(code, format!("The flow content is not valid JSON: {e}"))
    })?;
    let ok = v.get("Version").is_some_and(Value::is_string)
        && v.get("Actions").is_some_and(Value::is_array);
    if ok {
        Ok(())
    } else {
        Err(ApiError::invalid_flow(
            code,
            "The flow content must be a flow-language document with Version and Actions",
        ))
    }
}

pub fn create_contact_flow(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let name = req_str(m, "Name", 1, 127)?;
    let flow_type = required(get_str(m, "Type")?, "Type")?;
    check_enum(flow_type, "Type", &FLOW_TYPES)?;
    let description = opt_str(m, "Description", 0, 500)?;
    let content = required(get_str(m, "Content")?, "Content")?;
    check_len(content, "Content", 1, 256_000)?;
    check_flow_content(content, "InvalidContactFlowException")?;
    let status = get_str(m, "Status")?.unwrap_or("PUBLISHED");
    check_enum(status, "Status", &["PUBLISHED", "SAVED"])?;
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    unique_name(cx, Kind::ContactFlow, name, None)?;

    let mut doc = Map::new();
    doc.insert("Name".into(), json!(name));
    doc.insert("Type".into(), json!(flow_type));
    doc.insert("State".into(), json!("ACTIVE"));
    doc.insert("Status".into(), json!(status));
    put_opt(&mut doc, "Description", description);
    doc.insert("Content".into(), json!(content));
    let mut extra = Map::new();
    extra.insert("Published".into(), json!(status == "PUBLISHED"));
    let (id, arn) = insert_item(cx, Kind::ContactFlow, id, doc, extra, tags);
    Ok(json!({"ContactFlowId": id, "ContactFlowArn": arn}))
}

pub fn create_contact_flow_module(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let name = req_str(m, "Name", 1, 127)?;
    check_pattern(name, "Name", &NON_BLANK_LINE_RE, r".*\S.*")?;
    let description = opt_str(m, "Description", 0, 500)?;
    if let Some(d) = description {
        check_pattern(d, "Description", &NON_BLANK_LINE_RE, r".*\S.*")?;
    }
    let content = req_str(m, "Content", 1, 256_000)?;
    check_flow_content(content, "InvalidContactFlowModuleException")?;
    let settings = get_str(m, "Settings")?;
    let external = match get_obj(m, "ExternalInvocationConfiguration")? {
        Some(e) => Some(json!({"Enabled": get_bool(e, "Enabled")?.unwrap_or(false)})),
        None => None,
    };
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    unique_name(cx, Kind::ContactFlowModule, name, None)?;

    let mut doc = Map::new();
    doc.insert("Name".into(), json!(name));
    doc.insert("Content".into(), json!(content));
    put_opt(&mut doc, "Description", description);
    doc.insert("State".into(), json!("ACTIVE"));
    doc.insert("Status".into(), json!("PUBLISHED"));
    put_opt(&mut doc, "Settings", settings);
    if let Some(e) = external {
        doc.insert("ExternalInvocationConfiguration".into(), e);
    }
    let (id, arn) = insert_item(cx, Kind::ContactFlowModule, id, doc, Map::new(), tags);
    Ok(json!({"Id": id, "Arn": arn}))
}

/// `UpdateContactFlowContent`: new flow-language content; the status stays.
pub fn update_contact_flow_content(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let content = required(get_str(m, "Content")?, "Content")?;
    check_len(content, "Content", 1, 256_000)?;
    cx.need(Kind::ContactFlow, id)?;
    check_flow_content(content, "InvalidContactFlowException")?;
    cx.need_mut(Kind::ContactFlow, id)?
        .doc
        .insert("Content".into(), json!(content));
    touch(cx, Kind::ContactFlow, id);
    Ok(Value::Null)
}

/// `UpdateContactFlowName` and `UpdateContactFlowMetadata` (which can also
/// archive or reactivate the flow): members left out keep their value.
pub fn update_contact_flow_metadata(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
    with_state: bool,
) -> Result<Value, ApiError> {
    let name = opt_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 0, 500)?;
    let state = if with_state {
        get_str(m, "ContactFlowState")?
    } else {
        None
    };
    if let Some(s) = state {
        check_enum(s, "ContactFlowState", &["ACTIVE", "ARCHIVED"])?;
    }
    cx.need(Kind::ContactFlow, id)?;
    if let Some(n) = name {
        unique_name(cx, Kind::ContactFlow, n, Some(id))?;
        cx.content
            .items_mut(Kind::ContactFlow)
            .rename(Kind::ContactFlow, id, n);
    }
    let flow = cx.need_mut(Kind::ContactFlow, id)?;
    put_opt(&mut flow.doc, "Description", description);
    put_opt(&mut flow.doc, "State", state);
    touch(cx, Kind::ContactFlow, id);
    Ok(Value::Null)
}

/// What still points at a flow: a phone number's flow association, a queue's
/// outbound whisper flow, a quick connect's transfer flow.
fn flow_user(cx: &Cx<'_>, flow: &Item) -> Option<String> {
    if let Some((phone, _)) = cx
        .content
        .flow_associations
        .iter()
        .find(|(_, f)| *f == flow.arn)
    {
        return Some(format!("phone number {phone}"));
    }
    let id = flow.id.as_str();
    if let Some(q) = cx.content.items(Kind::Queue).iter().find(|q| {
        q.values_at("OutboundCallerConfig.OutboundFlowId")
            .iter()
            .any(|f| f == id)
    }) {
        return Some(format!("queue {}", q.id));
    }
    cx.content
        .items(Kind::QuickConnect)
        .iter()
        .find(|qc| {
            ["UserConfig", "QueueConfig", "FlowConfig"].iter().any(|c| {
                qc.values_at(&format!("QuickConnectConfig.{c}.ContactFlowId"))
                    .iter()
                    .any(|f| f == id)
            })
        })
        .map(|qc| format!("quick connect {}", qc.id))
}

/// `DeleteContactFlow`. A flow still in use is refused with the 400
/// InvalidRequestException the model allows (it has no ResourceInUseException).
pub fn delete_contact_flow(cx: &mut Cx<'_>, id: &str) -> Result<Value, ApiError> {
    let flow = cx.need(Kind::ContactFlow, id)?;
    if let Some(user) = flow_user(cx, flow) {
        return Err(ApiError::invalid_request(format!(
            "Contact flow {id} is in use by {user}"
        )));
    }
    cx.content
        .items_mut(Kind::ContactFlow)
        .remove(Kind::ContactFlow, id);
    Ok(Value::Null)
}

/// `UpdateContactFlowModuleContent`: content and settings, each optional.
pub fn update_contact_flow_module_content(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let content = opt_str(m, "Content", 1, 256_000)?;
    let settings = get_str(m, "Settings")?;
    cx.need(Kind::ContactFlowModule, id)?;
    if let Some(c) = content {
        check_flow_content(c, "InvalidContactFlowModuleException")?;
    }
    let module = cx.need_mut(Kind::ContactFlowModule, id)?;
    put_opt(&mut module.doc, "Content", content);
    put_opt(&mut module.doc, "Settings", settings);
    Ok(Value::Null)
}

pub fn update_contact_flow_module_metadata(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let name = opt_str(m, "Name", 1, 127)?;
    if let Some(n) = name {
        check_pattern(n, "Name", &NON_BLANK_LINE_RE, r".*\S.*")?;
    }
    let description = opt_str(m, "Description", 0, 500)?;
    if let Some(d) = description {
        check_pattern(d, "Description", &NON_BLANK_LINE_RE, r".*\S.*")?;
    }
    let state = get_str(m, "State")?;
    if let Some(s) = state {
        check_enum(s, "State", &["ACTIVE", "ARCHIVED"])?;
    }
    cx.need(Kind::ContactFlowModule, id)?;
    if let Some(n) = name {
        unique_name(cx, Kind::ContactFlowModule, n, Some(id))?;
        cx.content
            .items_mut(Kind::ContactFlowModule)
            .rename(Kind::ContactFlowModule, id, n);
    }
    let module = cx.need_mut(Kind::ContactFlowModule, id)?;
    put_opt(&mut module.doc, "Description", description);
    put_opt(&mut module.doc, "State", state);
    Ok(Value::Null)
}

/// `DeleteContactFlowModule`; security profiles that allowed it no longer list it.
pub fn delete_contact_flow_module(cx: &mut Cx<'_>, id: &str) -> Result<Value, ApiError> {
    cx.need(Kind::ContactFlowModule, id)?;
    cx.content
        .items_mut(Kind::ContactFlowModule)
        .remove(Kind::ContactFlowModule, id);
    for profile in cx.content.items_mut(Kind::SecurityProfile).iter_mut() {
        let mut modules = profile.extra_list("AllowedFlowModules");
        let before = modules.len();
        modules.retain(|f| f["FlowModuleId"].as_str() != Some(id));
        if modules.len() != before {
            profile
                .extra
                .insert("AllowedFlowModules".into(), Value::Array(modules));
        }
    }
    Ok(Value::Null)
}
