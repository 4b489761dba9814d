//! Claimed phone numbers: claim, describe-side metadata, flow association, release.

use super::*;
use crate::content::Content;
use crate::state::{instance_arn, RegionState};

/// Country and number type of an E.164 number (the prefixes the demo and tests use).
pub fn phone_country_and_type(number: &str) -> (&'static str, &'static str) {
    let d = number.trim_start_matches('+');
    let toll_free = |p: &[&str]| p.iter().any(|x| d.starts_with(x));
    let (country, tf) = if d.starts_with('1') {
        (
            "US",
            toll_free(&["1800", "1833", "1844", "1855", "1866", "1877", "1888"]),
        )
    } else if d.starts_with("44") {
        ("GB", toll_free(&["44800", "44808"]))
    } else if d.starts_with("61") {
        ("AU", toll_free(&["611800"]))
    } else if d.starts_with("64") {
        ("NZ", toll_free(&["64800"]))
    } else if d.starts_with("353") {
        ("IE", toll_free(&["3531800"]))
    } else if d.starts_with("49") {
        ("DE", toll_free(&["49800"]))
    } else if d.starts_with("33") {
        ("FR", toll_free(&["33800"]))
    } else if d.starts_with("81") {
        ("JP", toll_free(&["81120"]))
    } else {
        ("US", false)
    };
    (country, if tf { "TOLL_FREE" } else { "DID" })
}

pub fn claim_phone_number(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let number = required(get_str(m, "PhoneNumber")?, "PhoneNumber")?;
    check_e164(number, "PhoneNumber")?;
    let description = opt_str(m, "PhoneNumberDescription", 0, 500)?;
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    if cx
        .content
        .items(Kind::PhoneNumber)
        .iter()
        .any(|p| p.doc_str("PhoneNumber") == Some(number))
    {
        return Err(ApiError::invalid_parameter(format!(
            "Phone number {number} is already claimed"
        )));
    }
    let (country, number_type) = phone_country_and_type(number);
    let mut doc = Map::new();
    doc.insert("PhoneNumber".into(), json!(number));
    doc.insert("PhoneNumberCountryCode".into(), json!(country));
    doc.insert("PhoneNumberType".into(), json!(number_type));
    put_opt(&mut doc, "PhoneNumberDescription", description);
    doc.insert("TargetArn".into(), json!(cx.instance_arn));
    doc.insert("InstanceId".into(), json!(cx.instance));
    doc.insert("PhoneNumberStatus".into(), json!({"Status": "CLAIMED"}));
    let (id, arn) = insert_item(cx, Kind::PhoneNumber, id, doc, Map::new(), tags);
    cx.phone_index.insert(id.clone(), cx.instance.clone());
    Ok(json!({"PhoneNumberId": id, "PhoneNumberArn": arn}))
}

pub fn associate_phone_number_contact_flow(
    cx: &mut Cx<'_>,
    phone_id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let flow = required(get_str(m, "ContactFlowId")?, "ContactFlowId")?;
    check_len(flow, "ContactFlowId", 0, 500)?;
    let phone_id = existing(cx, Kind::PhoneNumber, phone_id)?;
    let flow = existing(cx, Kind::ContactFlow, flow)?;
    let phone_arn = cx.need(Kind::PhoneNumber, &phone_id)?.arn.clone();
    let flow_arn = cx.need(Kind::ContactFlow, &flow)?.arn.clone();
    let assoc = &mut cx.content.flow_associations;
    match assoc.iter_mut().find(|(p, _)| *p == phone_arn) {
        Some(a) => a.1 = flow_arn,
        None => assoc.push((phone_arn, flow_arn)),
    }
    Ok(Value::Null)
}

/// `UpdatePhoneNumberMetadata`: the description (the only metadata).
pub fn update_phone_number_metadata(
    cx: &mut Cx<'_>,
    phone_id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let description = opt_str(m, "PhoneNumberDescription", 0, 500)?;
    let number = cx.need_mut(Kind::PhoneNumber, phone_id)?;
    put_opt(&mut number.doc, "PhoneNumberDescription", description);
    Ok(Value::Null)
}

/// `DisassociatePhoneNumberContactFlow`: 404 when the number reaches no flow.
pub fn disassociate_phone_number_contact_flow(
    cx: &mut Cx<'_>,
    phone_id: &str,
) -> Result<Value, ApiError> {
    let phone_arn = cx.need(Kind::PhoneNumber, phone_id)?.arn.clone();
    let assoc = &mut cx.content.flow_associations;
    let before = assoc.len();
    assoc.retain(|(p, _)| *p != phone_arn);
    if assoc.len() == before {
        return Err(ApiError::not_found(format!(
            "Phone number {phone_id} is not associated with a contact flow"
        )));
    }
    Ok(Value::Null)
}

/// The queue that shows a number as its outbound caller id, if any.
fn caller_id_user(content: &Content, phone_id: &str) -> Option<String> {
    content
        .items(Kind::Queue)
        .iter()
        .find(|q| q.values_at("OutboundCallerConfig.OutboundCallerIdNumberId") == [phone_id])
        .map(|q| q.id.clone())
}

/// `ReleasePhoneNumber`: 409 ResourceInUseException while a queue calls out
/// with it; its flow association goes with it.
pub fn release_phone_number(cx: &mut Cx<'_>, phone_id: &str) -> Result<Value, ApiError> {
    let phone_arn = cx.need(Kind::PhoneNumber, phone_id)?.arn.clone();
    if let Some(q) = caller_id_user(cx.content, phone_id) {
        return Err(ApiError::in_use(format!(
            "Phone number {phone_id} is the outbound caller id of queue {q}"
        )));
    }
    cx.content
        .items_mut(Kind::PhoneNumber)
        .remove(Kind::PhoneNumber, phone_id);
    cx.content
        .flow_associations
        .retain(|(p, _)| *p != phone_arn);
    cx.phone_index.remove(phone_id);
    Ok(Value::Null)
}

/// `UpdatePhoneNumber`: move a claimed number from instance `from` to `to`
/// (both of this region, contents open). Its flow association stays behind
/// (the flow belongs to the old instance); a queue of the old instance that
/// calls out with it makes it 409 ResourceInUseException.
pub fn move_phone_number(
    r: &mut RegionState,
    region: &str,
    account: &str,
    phone_id: &str,
    to: &str,
) -> Result<Value, ApiError> {
    let from = r
        .phone_index
        .get(phone_id)
        .cloned()
        .ok_or_else(|| not_found(Kind::PhoneNumber, phone_id))?;
    let answer = |arn: &str| json!({"PhoneNumberId": phone_id, "PhoneNumberArn": arn});
    let old = r
        .contents
        .get_mut(&from)
        .ok_or_else(|| not_found(Kind::PhoneNumber, phone_id))?;
    let arn = old
        .get(Kind::PhoneNumber, phone_id)
        .ok_or_else(|| not_found(Kind::PhoneNumber, phone_id))?
        .arn
        .clone();
    if from == to {
        return Ok(answer(&arn));
    }
    if let Some(q) = caller_id_user(old, phone_id) {
        return Err(ApiError::in_use(format!(
            "Phone number {phone_id} is the outbound caller id of queue {q}"
        )));
    }
    let Some(mut item) = old
        .items_mut(Kind::PhoneNumber)
        .remove(Kind::PhoneNumber, phone_id)
    else {
        return Err(not_found(Kind::PhoneNumber, phone_id));
    };
    old.flow_associations.retain(|(p, _)| *p != arn);
    item.doc
        .insert("TargetArn".into(), json!(instance_arn(region, account, to)));
    item.doc.insert("InstanceId".into(), json!(to));
    let new = r
        .contents
        .get_mut(to)
        .ok_or_else(|| ApiError::not_found("Instance not found"))?;
    new.items_mut(Kind::PhoneNumber)
        .insert(Kind::PhoneNumber, item);
    r.phone_index.insert(phone_id.to_string(), to.to_string());
    Ok(answer(&arn))
}
