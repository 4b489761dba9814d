//! Instance-level lists: approved origins, storage configurations, integration associations.

use super::*;

pub fn associate_approved_origin(cx: &mut Cx<'_>, m: &Body) -> Result<Value, ApiError> {
    let origin = required(get_str(m, "Origin")?, "Origin")?;
    check_len(origin, "Origin", 1, 267)?;
    if origin.chars().any(char::is_control) {
        return Err(ApiError::invalid_parameter(
            "Origin must not contain control characters",
        ));
    }
    if cx.content.approved_origins.iter().any(|o| o == origin) {
        return Err(ApiError::conflict(format!(
            "Origin {origin} is already approved for this instance"
        )));
    }
    cx.content.approved_origins.push(origin.to_string());
    Ok(Value::Null)
}

/// `DisassociateApprovedOrigin`: 404 for an origin the instance does not approve.
pub fn disassociate_approved_origin(cx: &mut Cx<'_>, origin: &str) -> Result<Value, ApiError> {
    check_len(origin, "Origin", 1, 267)?;
    let before = cx.content.approved_origins.len();
    cx.content.approved_origins.retain(|o| o != origin);
    if cx.content.approved_origins.len() == before {
        return Err(ApiError::not_found(format!(
            "Origin {} is not approved for this instance",
            origin.chars().take(267).collect::<String>()
        )));
    }
    Ok(Value::Null)
}

fn encryption_config(m: &Body, at: &str) -> Result<Value, ApiError> {
    let t = required(
        get_str(m, "EncryptionType")?,
        &format!("{at}.EncryptionType"),
    )?;
    check_enum(t, &format!("{at}.EncryptionType"), &["KMS"])?;
    let k = required(get_str(m, "KeyId")?, &format!("{at}.KeyId"))?;
    check_len(k, &format!("{at}.KeyId"), 1, 128)?;
    Ok(json!({"EncryptionType": t, "KeyId": k}))
}

/// A validated `InstanceStorageConfig` (without `AssociationId`).
fn storage_config(m: &Body) -> Result<Value, ApiError> {
    let st = required(get_str(m, "StorageType")?, "StorageConfig.StorageType")?;
    check_enum(
        st,
        "StorageConfig.StorageType",
        &[
            "S3",
            "KINESIS_VIDEO_STREAM",
            "KINESIS_STREAM",
            "KINESIS_FIREHOSE",
        ],
    )?;
    let member = match st {
        "S3" => "S3Config",
        "KINESIS_VIDEO_STREAM" => "KinesisVideoStreamConfig",
        "KINESIS_STREAM" => "KinesisStreamConfig",
        _ => "KinesisFirehoseConfig",
    };
    let sub = get_obj(m, member)?.ok_or_else(|| {
        ApiError::invalid_parameter(format!(
            "StorageConfig.{member} is required when StorageType is {st}"
        ))
    })?;
    let at = format!("StorageConfig.{member}");
    let sub_out = match st {
        "S3" => {
            let mut o = json!({
                "BucketName": req_str(sub, "BucketName", 1, 128)?,
                "BucketPrefix": req_str(sub, "BucketPrefix", 1, 128)?,
            });
            if let Some(e) = get_obj(sub, "EncryptionConfig")? {
                o["EncryptionConfig"] = encryption_config(e, &at)?;
            }
            o
        }
        "KINESIS_VIDEO_STREAM" => {
            let hours = required(
                get_i64(sub, "RetentionPeriodHours")?,
                "RetentionPeriodHours",
            )?;
            check_range(hours, "RetentionPeriodHours", 0, 87_600)?;
            json!({
                "Prefix": req_str(sub, "Prefix", 1, 128)?,
                "RetentionPeriodHours": hours,
                "EncryptionConfig": encryption_config(
                    required(get_obj(sub, "EncryptionConfig")?, "EncryptionConfig")?, &at)?,
            })
        }
        "KINESIS_STREAM" => json!({"StreamArn": req_str(sub, "StreamArn", 1, 2048)?}),
        _ => json!({"FirehoseArn": req_str(sub, "FirehoseArn", 1, 2048)?}),
    };
    Ok(json!({"StorageType": st, member: sub_out}))
}

pub fn associate_instance_storage_config(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let rt = required(get_str(m, "ResourceType")?, "ResourceType")?;
    check_enum(rt, "ResourceType", &STORAGE_RESOURCE_TYPES)?;
    let cfg = storage_config(required(get_obj(m, "StorageConfig")?, "StorageConfig")?)?;
    if cx.content.storage.iter().any(|s| s.resource_type == rt) {
        return Err(ApiError::conflict(format!(
            "A storage configuration for {rt} already exists on this instance"
        )));
    }
    let assoc = id.unwrap_or_else(|| {
        let a = uuid::Uuid::new_v4().simple().to_string();
        let b = uuid::Uuid::new_v4().simple().to_string();
        format!("{a}{b}")
    });
    let mut full = json!({"AssociationId": assoc});
    if let (Some(f), Value::Object(c)) = (full.as_object_mut(), cfg) {
        f.extend(c);
    }
    cx.content.storage.push(crate::content::StorageConfig {
        resource_type: rt.to_string(),
        config: full,
    });
    Ok(json!({"AssociationId": assoc}))
}

pub fn create_integration_association(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let t = required(get_str(m, "IntegrationType")?, "IntegrationType")?;
    check_enum(t, "IntegrationType", &INTEGRATION_TYPES)?;
    let integration = required(get_str(m, "IntegrationArn")?, "IntegrationArn")?;
    check_len(integration, "IntegrationArn", 1, 2048)?;
    if !integration.starts_with("arn:") {
        return Err(ApiError::invalid_request(format!(
            "IntegrationArn '{}' is not an ARN",
            integration.chars().take(200).collect::<String>()
        )));
    }
    let url = opt_str(m, "SourceApplicationUrl", 1, 2000)?;
    let app = opt_str(m, "SourceApplicationName", 1, 100)?;
    if let Some(a) = app {
        check_pattern(
            a,
            "SourceApplicationName",
            &SOURCE_APP_RE,
            "^[a-zA-Z0-9_ -]+$",
        )?;
    }
    let source_type = get_str(m, "SourceType")?;
    if let Some(s) = source_type {
        check_enum(s, "SourceType", &["SALESFORCE", "ZENDESK", "CASES"])?;
    }
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    if cx
        .content
        .items(Kind::IntegrationAssociation)
        .iter()
        .any(|i| i.doc_str("IntegrationArn") == Some(integration))
    {
        return Err(ApiError::duplicate(format!(
            "{integration} is already associated with this instance"
        )));
    }
    let mut doc = Map::new();
    doc.insert("InstanceId".into(), json!(cx.instance));
    doc.insert("IntegrationType".into(), json!(t));
    doc.insert("IntegrationArn".into(), json!(integration));
    put_opt(&mut doc, "SourceApplicationUrl", url);
    put_opt(&mut doc, "SourceApplicationName", app);
    put_opt(&mut doc, "SourceType", source_type);
    let (id, arn) = insert_item(cx, Kind::IntegrationAssociation, id, doc, Map::new(), tags);
    Ok(json!({"IntegrationAssociationId": id, "IntegrationAssociationArn": arn}))
}

/// The position of the storage configuration `association` of `resource_type`, or 404.
fn storage_position(
    cx: &Cx<'_>,
    association: &str,
    resource_type: &str,
) -> Result<usize, ApiError> {
    check_len(association, "AssociationId", 1, 100)?;
    check_enum(resource_type, "ResourceType", &STORAGE_RESOURCE_TYPES)?;
    cx.content
        .storage
        .iter()
        .position(|s| {
            s.resource_type == resource_type
                && s.config["AssociationId"].as_str() == Some(association)
        })
        .ok_or_else(|| {
            ApiError::not_found(format!(
                "Storage config {} not found for {resource_type}",
                association.chars().take(100).collect::<String>()
            ))
        })
}

/// `UpdateInstanceStorageConfig`: the whole `StorageConfig` is replaced; the
/// association keeps its id.
pub fn update_instance_storage_config(
    cx: &mut Cx<'_>,
    association: &str,
    resource_type: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let cfg = storage_config(required(get_obj(m, "StorageConfig")?, "StorageConfig")?)?;
    let at = storage_position(cx, association, resource_type)?;
    let mut full = json!({"AssociationId": association});
    if let (Some(f), Value::Object(c)) = (full.as_object_mut(), cfg) {
        f.extend(c);
    }
    cx.content.storage[at].config = full;
    Ok(Value::Null)
}

pub fn disassociate_instance_storage_config(
    cx: &mut Cx<'_>,
    association: &str,
    resource_type: &str,
) -> Result<Value, ApiError> {
    let at = storage_position(cx, association, resource_type)?;
    cx.content.storage.remove(at);
    Ok(Value::Null)
}

/// `DeleteIntegrationAssociation` (the model has no InvalidParameterException:
/// a bad id is a 400 InvalidRequestException).
pub fn delete_integration_association(cx: &mut Cx<'_>, id: &str) -> Result<Value, ApiError> {
    check_len(id, "IntegrationAssociationId", 1, 200)
        .map_err(|e| ApiError::invalid_request(e.message))?;
    cx.need(Kind::IntegrationAssociation, id)?;
    cx.content
        .items_mut(Kind::IntegrationAssociation)
        .remove(Kind::IntegrationAssociation, id);
    Ok(Value::Null)
}
