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
