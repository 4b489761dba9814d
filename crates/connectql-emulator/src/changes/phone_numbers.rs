//! Claimed phone numbers: claim, describe-side metadata, flow association, release.

use super::*;

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
