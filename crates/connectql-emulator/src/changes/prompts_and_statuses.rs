//! Prompts and agent statuses.

use super::*;

pub fn create_prompt(cx: &mut Cx<'_>, m: &Body, id: Option<String>) -> Result<Value, ApiError> {
    let name = req_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 1, 250)?;
    let uri = req_str(m, "S3Uri", 1, 2000)?;
    check_pattern(
        uri,
        "S3Uri",
        &S3_URI_RE,
        r"s3://\S+/.+|https://\\S+\\.s3\\.\\S+\\.amazonaws\\.com/\\S+",
    )?;
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    unique_name(cx, Kind::Prompt, name, None)?;
    let mut doc = Map::new();
    doc.insert("Name".into(), json!(name));
    put_opt(&mut doc, "Description", description);
    let mut extra = Map::new();
    extra.insert("S3Uri".into(), json!(uri));
    let (id, arn) = insert_item(cx, Kind::Prompt, id, doc, extra, tags);
    Ok(json!({"PromptARN": arn, "PromptId": id}))
}

/// `CreateAgentStatus`; the defaults of a new instance pass `~Type` (ROUTABLE,
/// OFFLINE), requests always create CUSTOM statuses.
pub fn create_agent_status(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let name = req_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 1, 250)?;
    let state = required(get_str(m, "State")?, "State")?;
    check_enum(state, "State", &["ENABLED", "DISABLED"])?;
    let order = get_i64(m, "DisplayOrder")?;
    if let Some(o) = order {
        check_range(o, "DisplayOrder", 1, 50)?;
    }
    let status_type = match m.get("~Type").and_then(Value::as_str) {
        Some(t @ ("ROUTABLE" | "OFFLINE")) if id.is_some() => t,
        _ => "CUSTOM",
    };
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    unique_name(cx, Kind::AgentStatus, name, None)?;
    let mut doc = Map::new();
    doc.insert("Name".into(), json!(name));
    put_opt(&mut doc, "Description", description);
    doc.insert("Type".into(), json!(status_type));
    if let Some(o) = order {
        doc.insert("DisplayOrder".into(), json!(o));
    }
    doc.insert("State".into(), json!(state));
    let (id, arn) = insert_item(cx, Kind::AgentStatus, id, doc, Map::new(), tags);
    Ok(json!({"AgentStatusARN": arn, "AgentStatusId": id}))
}

/// `UpdatePrompt`: name, description and recording, each optional; answers
/// the prompt's id and ARN. The model has no DuplicateResourceException here,
/// so a name taken by another prompt is a 400 InvalidRequestException.
pub fn update_prompt(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let name = opt_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 1, 250)?;
    let uri = opt_str(m, "S3Uri", 1, 2000)?;
    if let Some(u) = uri {
        check_pattern(
            u,
            "S3Uri",
            &S3_URI_RE,
            r"s3://\S+/.+|https://\\S+\\.s3\\.\\S+\\.amazonaws\\.com/\\S+",
        )?;
    }
    cx.need(Kind::Prompt, id)?;
    if let Some(n) = name {
        unique_name(cx, Kind::Prompt, n, Some(id))
            .map_err(|e| ApiError::invalid_request(e.message))?;
        cx.content
            .items_mut(Kind::Prompt)
            .rename(Kind::Prompt, id, n);
    }
    let prompt = cx.need_mut(Kind::Prompt, id)?;
    put_opt(&mut prompt.doc, "Description", description);
    if let Some(u) = uri {
        prompt.extra.insert("S3Uri".into(), json!(u));
    }
    let arn = prompt.arn.clone();
    touch(cx, Kind::Prompt, id);
    Ok(json!({"PromptARN": arn, "PromptId": id}))
}

pub fn delete_prompt(cx: &mut Cx<'_>, id: &str) -> Result<Value, ApiError> {
    cx.need(Kind::Prompt, id)?;
    cx.content.items_mut(Kind::Prompt).remove(Kind::Prompt, id);
    Ok(Value::Null)
}

/// `UpdateAgentStatus`. `ResetOrderNumber` removes the display order (it
/// cannot come with a `DisplayOrder`); the system statuses (Available,
/// Offline) can be renamed but not disabled.
pub fn update_agent_status(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    let name = opt_str(m, "Name", 1, 127)?;
    let description = opt_str(m, "Description", 0, 250)?;
    let state = get_str(m, "State")?;
    if let Some(s) = state {
        check_enum(s, "State", &["ENABLED", "DISABLED"])?;
    }
    let order = get_i64(m, "DisplayOrder")?;
    if let Some(o) = order {
        check_range(o, "DisplayOrder", 1, 50)?;
    }
    let reset = get_bool(m, "ResetOrderNumber")?.unwrap_or(false);
    if reset && order.is_some() {
        return Err(ApiError::invalid_request(
            "DisplayOrder and ResetOrderNumber cannot both be set",
        ));
    }
    let status = cx.need(Kind::AgentStatus, id)?;
    if state == Some("DISABLED") && status.doc_str("Type") != Some("CUSTOM") {
        return Err(ApiError::invalid_request(format!(
            "The {} status cannot be disabled",
            status.name(Kind::AgentStatus)
        )));
    }
    if let Some(n) = name {
        unique_name(cx, Kind::AgentStatus, n, Some(id))?;
        cx.content
            .items_mut(Kind::AgentStatus)
            .rename(Kind::AgentStatus, id, n);
    }
    let status = cx.need_mut(Kind::AgentStatus, id)?;
    put_opt(&mut status.doc, "Description", description);
    put_opt(&mut status.doc, "State", state);
    if let Some(o) = order {
        status.doc.insert("DisplayOrder".into(), json!(o));
    } else if reset {
        status.doc.remove("DisplayOrder");
    }
    touch(cx, Kind::AgentStatus, id);
    Ok(Value::Null)
}
