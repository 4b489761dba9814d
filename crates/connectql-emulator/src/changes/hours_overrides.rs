//! Hours of operation: overrides (dated exceptions) and parent hours.

use super::*;

/// botocore's `^[\P{C}\r\n\t]{1,N}$` (CommonHumanReadableName/Description):
/// no control, format, private-use or unassigned characters but line breaks
/// and tabs.
static HUMAN_READABLE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\P{C}\r\n\t]+$").expect("human readable regex"));

fn check_human_readable(value: &str, member: &str, max: usize) -> Result<(), ApiError> {
    let n = value.chars().count();
    if (1..=max).contains(&n) && HUMAN_READABLE_RE.is_match(value) {
        Ok(())
    } else {
        Err(ApiError::invalid_parameter(constraint(
            value,
            member,
            &format!(
                r"Member must satisfy regular expression pattern: ^[\P{{C}}\r\n\t]{{1,{max}}}$"
            ),
        )))
    }
}

/// `^\d{4}-\d{2}-\d{2}$` with Java's ASCII `\d`.
static DATE_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$").expect("date regex"));

fn override_date<'a>(m: &'a Body, member: &str) -> Result<Option<&'a str>, ApiError> {
    let d = get_str(m, member)?;
    if let Some(d) = d {
        check_pattern(d, member, &DATE_RE, r"^\d{4}-\d{2}-\d{2}$")?;
    }
    Ok(d)
}

/// `HoursOfOperationOverrideConfig` list (0..100; Day, StartTime, EndTime).
fn override_config(m: &Body) -> Result<Option<Vec<Value>>, ApiError> {
    let Some(list) = obj_list(m, "Config")? else {
        return Ok(None);
    };
    if list.len() > 100 {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'config' failed to satisfy constraint: \
             Member must have length less than or equal to 100",
        ));
    }
    let mut out = Vec::new();
    for c in list {
        known_members(c, "Config", &["Day", "StartTime", "EndTime"])?;
        let mut one = Map::new();
        if let Some(day) = get_str(c, "Day")? {
            check_enum(day, "Config.Day", &DAYS)?;
            one.insert("Day".into(), json!(day));
        }
        for key in ["StartTime", "EndTime"] {
            if let Some(t) = get_obj(c, key)? {
                one.insert(key.into(), time_slice(t, &format!("Config.{key}"))?);
            }
        }
        out.push(Value::Object(one));
    }
    Ok(Some(out))
}

/// A validated `RecurrenceConfig`.
fn recurrence_config(m: &Body) -> Result<Option<Value>, ApiError> {
    let Some(r) = get_obj(m, "RecurrenceConfig")? else {
        return Ok(None);
    };
    let p = required(
        get_obj(r, "RecurrencePattern")?,
        "RecurrenceConfig.RecurrencePattern",
    )?;
    let at = "RecurrenceConfig.RecurrencePattern";
    let frequency = required(get_str(p, "Frequency")?, &format!("{at}.Frequency"))?;
    check_enum(
        frequency,
        &format!("{at}.Frequency"),
        &["WEEKLY", "MONTHLY", "YEARLY"],
    )?;
    let interval = required(get_i64(p, "Interval")?, &format!("{at}.Interval"))?;
    check_range(interval, &format!("{at}.Interval"), 1, 6)?;
    let mut out = json!({"Frequency": frequency, "Interval": interval});
    for (key, lo, hi, most) in [
        ("ByMonth", 1, 12, usize::MAX),
        ("ByMonthDay", -1, 31, usize::MAX),
        ("ByWeekdayOccurrence", -5, 5, 1),
    ] {
        let Some(list) = get_array(p, key)? else {
            continue;
        };
        if list.len() > most {
            return Err(ApiError::invalid_parameter(format!(
                "1 validation error detected: Value at '{key}' failed to satisfy constraint: \
                 Member must have length less than or equal to {most}"
            )));
        }
        let mut values = Vec::new();
        for v in list {
            let n = v.as_i64().ok_or_else(|| type_error(key, "an integer"))?;
            check_range(n, &format!("{at}.{key}"), lo, hi)?;
            values.push(n);
        }
        out[key] = json!(values);
    }
    Ok(Some(json!({"RecurrencePattern": out})))
}

/// The members of an override request, validated; `None` = not sent.
struct OverrideFields<'a> {
    name: Option<&'a str>,
    description: Option<&'a str>,
    config: Option<Vec<Value>>,
    from: Option<&'a str>,
    till: Option<&'a str>,
    recurrence: Option<Value>,
    override_type: Option<&'a str>,
}

fn override_fields(m: &Body) -> Result<OverrideFields<'_>, ApiError> {
    let name = get_str(m, "Name")?;
    if let Some(n) = name {
        check_human_readable(n, "Name", 127)?;
    }
    let description = get_str(m, "Description")?;
    if let Some(d) = description {
        check_human_readable(d, "Description", 250)?;
    }
    let override_type = get_str(m, "OverrideType")?;
    if let Some(t) = override_type {
        check_enum(t, "OverrideType", &["STANDARD", "OPEN", "CLOSED"])?;
    }
    Ok(OverrideFields {
        name,
        description,
        config: override_config(m)?,
        from: override_date(m, "EffectiveFrom")?,
        till: override_date(m, "EffectiveTill")?,
        recurrence: recurrence_config(m)?,
        override_type,
    })
}

impl OverrideFields<'_> {
    fn apply(self, o: &mut Value) {
        let set = |o: &mut Value, key: &str, v: Option<Value>| {
            if let Some(v) = v {
                o[key] = v;
            }
        };
        set(o, "Name", self.name.map(|v| json!(v)));
        set(o, "Description", self.description.map(|v| json!(v)));
        set(o, "Config", self.config.map(Value::Array));
        set(o, "EffectiveFrom", self.from.map(|v| json!(v)));
        set(o, "EffectiveTill", self.till.map(|v| json!(v)));
        set(o, "RecurrenceConfig", self.recurrence);
        set(o, "OverrideType", self.override_type.map(|v| json!(v)));
    }
}

/// The dates of an override in order (ISO dates compare as strings).
fn check_dates(o: &Value) -> Result<(), ApiError> {
    match (o["EffectiveFrom"].as_str(), o["EffectiveTill"].as_str()) {
        (Some(from), Some(till)) if till < from => Err(ApiError::invalid_request(format!(
            "EffectiveTill {till} is before EffectiveFrom {from}"
        ))),
        _ => Ok(()),
    }
}

/// 409 when another override of the same hours has this name.
fn unique_override_name(
    overrides: &[Value],
    name: &str,
    except: Option<&str>,
) -> Result<(), ApiError> {
    let taken = overrides.iter().any(|o| {
        o["Name"]
            .as_str()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
            && o["HoursOfOperationOverrideId"].as_str() != except
    });
    if taken {
        return Err(ApiError::duplicate(format!(
            "An override named '{}' already exists for these hours of operation",
            name.chars().take(127).collect::<String>()
        )));
    }
    Ok(())
}

pub fn create_hours_of_operation_override(
    cx: &mut Cx<'_>,
    hours: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    required(get_str(m, "Name")?, "Name")?;
    required(get_array(m, "Config")?, "Config")?;
    required(get_str(m, "EffectiveFrom")?, "EffectiveFrom")?;
    required(get_str(m, "EffectiveTill")?, "EffectiveTill")?;
    let fields = override_fields(m)?;
    let h = cx.need(Kind::HoursOfOperation, hours)?;
    let mut overrides = h.extra_list("Overrides");
    unique_override_name(&overrides, fields.name.unwrap_or_default(), None)?;
    let id = uuid::Uuid::new_v4().to_string();
    let mut o = json!({
        "HoursOfOperationOverrideId": id,
        "HoursOfOperationId": h.id,
        "HoursOfOperationArn": h.arn,
    });
    fields.apply(&mut o);
    check_dates(&o)?;
    overrides.push(o);
    cx.need_mut(Kind::HoursOfOperation, hours)?
        .extra
        .insert("Overrides".into(), Value::Array(overrides));
    touch(cx, Kind::HoursOfOperation, hours);
    Ok(json!({"HoursOfOperationOverrideId": id}))
}

/// The position of override `id` in the hours' overrides, or 404.
fn override_position(overrides: &[Value], id: &str) -> Result<usize, ApiError> {
    check_len(id, "HoursOfOperationOverrideId", 1, 36)?;
    overrides
        .iter()
        .position(|o| o["HoursOfOperationOverrideId"].as_str() == Some(id))
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Hours of operation override not found: {}",
                id.chars().take(36).collect::<String>()
            ))
        })
}

pub fn update_hours_of_operation_override(
    cx: &mut Cx<'_>,
    hours: &str,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let fields = override_fields(m)?;
    let mut overrides = cx
        .need(Kind::HoursOfOperation, hours)?
        .extra_list("Overrides");
    let at = override_position(&overrides, id)?;
    if let Some(n) = fields.name {
        unique_override_name(&overrides, n, Some(id))?;
    }
    let mut o = overrides[at].clone();
    fields.apply(&mut o);
    check_dates(&o)?;
    overrides[at] = o;
    cx.need_mut(Kind::HoursOfOperation, hours)?
        .extra
        .insert("Overrides".into(), Value::Array(overrides));
    touch(cx, Kind::HoursOfOperation, hours);
    Ok(Value::Null)
}

pub fn delete_hours_of_operation_override(
    cx: &mut Cx<'_>,
    hours: &str,
    id: &str,
) -> Result<Value, ApiError> {
    let mut overrides = cx
        .need(Kind::HoursOfOperation, hours)?
        .extra_list("Overrides");
    let at = override_position(&overrides, id)?;
    overrides.remove(at);
    cx.need_mut(Kind::HoursOfOperation, hours)?
        .extra
        .insert("Overrides".into(), Value::Array(overrides));
    touch(cx, Kind::HoursOfOperation, hours);
    Ok(Value::Null)
}

/// `AssociateHoursOfOperations`: add parents (at most three in all; 402
/// ServiceQuotaExceededException beyond). Hours cannot be their own parent.
pub fn associate_hours_of_operations(
    cx: &mut Cx<'_>,
    hours: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let list = required(
        obj_list(m, "ParentHoursOfOperationConfigs")?,
        "ParentHoursOfOperationConfigs",
    )?;
    if list.len() > 3 {
        return Err(ApiError::invalid_parameter(
            "1 validation error detected: Value at 'parentHoursOfOperationConfigs' failed to \
             satisfy constraint: Member must have length less than or equal to 3",
        ));
    }
    let h = cx.need(Kind::HoursOfOperation, hours)?;
    let mut parents = h
        .doc
        .get("ParentHoursOfOperations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for p in list {
        let pid = required(
            get_str(p, "HoursOfOperationId")?,
            "ParentHoursOfOperationConfigs.HoursOfOperationId",
        )?;
        let pid = existing(cx, Kind::HoursOfOperation, pid)?;
        if pid == hours {
            return Err(ApiError::invalid_request(
                "Hours of operation cannot be their own parent",
            ));
        }
        if parents
            .iter()
            .any(|x| x["Id"].as_str() == Some(pid.as_str()))
        {
            continue;
        }
        let parent = cx.need(Kind::HoursOfOperation, &pid)?;
        parents.push(json!({
            "Name": parent.name(Kind::HoursOfOperation),
            "Id": parent.id,
            "Arn": parent.arn,
        }));
    }
    if parents.len() > 3 {
        return Err(ApiError::quota_exceeded(
            "Hours of operation can have at most 3 parent hours of operation",
        ));
    }
    cx.need_mut(Kind::HoursOfOperation, hours)?
        .doc
        .insert("ParentHoursOfOperations".into(), Value::Array(parents));
    touch(cx, Kind::HoursOfOperation, hours);
    Ok(Value::Null)
}

/// `DisassociateHoursOfOperations`: 404 for an id that is not a parent.
pub fn disassociate_hours_of_operations(
    cx: &mut Cx<'_>,
    hours: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let ids = required(
        str_list(m, "ParentHoursOfOperationIds", 1, 3)?,
        "ParentHoursOfOperationIds",
    )?;
    let h = cx.need(Kind::HoursOfOperation, hours)?;
    let mut parents = h
        .doc
        .get("ParentHoursOfOperations")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for id in &ids {
        let before = parents.len();
        parents.retain(|p| p["Id"].as_str() != Some(id.as_str()));
        if parents.len() == before {
            return Err(ApiError::not_found(format!(
                "Hours of operation {} is not a parent of {hours}",
                id.chars().take(100).collect::<String>()
            )));
        }
    }
    let h = cx.need_mut(Kind::HoursOfOperation, hours)?;
    if parents.is_empty() {
        h.doc.remove("ParentHoursOfOperations");
    } else {
        h.doc
            .insert("ParentHoursOfOperations".into(), Value::Array(parents));
    }
    touch(cx, Kind::HoursOfOperation, hours);
    Ok(Value::Null)
}

/// After a rename: the children's `ParentHoursOfOperations` show the new name.
pub fn rename_in_children(cx: &mut Cx<'_>, hours: &str, name: &str) {
    for child in cx.content.items_mut(Kind::HoursOfOperation).iter_mut() {
        if let Some(Value::Array(parents)) = child.doc.get_mut("ParentHoursOfOperations") {
            for p in parents.iter_mut() {
                if p["Id"].as_str() == Some(hours) {
                    p["Name"] = json!(name);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn human_readable_names() {
        assert!(check_human_readable("Christmas\tDay\r\n", "Name", 127).is_ok());
        assert!(check_human_readable("Noël", "Name", 127).is_ok());
        for bad in ["", "bell\u{7}", "soft\u{ad}hyphen", "private\u{e000}"] {
            assert!(check_human_readable(bad, "Name", 127).is_err(), "{bad:?}");
        }
        assert!(check_human_readable(&"x".repeat(128), "Name", 127).is_err());
        assert!(check_human_readable(&"x".repeat(250), "Description", 250).is_ok());
    }

    #[test]
    fn dates_are_ascii() {
        assert!(DATE_RE.is_match("2026-12-25"));
        assert!(!DATE_RE.is_match("2026-12-2\u{665}"));
        assert!(!DATE_RE.is_match("25/12/2026"));
    }
}
