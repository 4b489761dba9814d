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
