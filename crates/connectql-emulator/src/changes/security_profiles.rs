//! Security profiles: create, update, delete.

use super::*;

fn string_items(m: &Body, key: &str, max: usize) -> Result<Option<Vec<String>>, ApiError> {
    let list = str_list(m, key, 0, max)?;
    if let Some(l) = &list {
        for p in l {
            check_len(p, key, 1, 128)?;
        }
    }
    Ok(list)
}

/// `AllowedAccessControlTags`: at most 4 entries, keys 1..128, values ≤ 256.
fn access_control_tags(m: &Body) -> Result<Option<BTreeMap<String, String>>, ApiError> {
    let Some(tags) = get_string_map(m, "AllowedAccessControlTags")? else {
        return Ok(None);
    };
    if tags.len() > 4 {
        return Err(ApiError::invalid_parameter(format!(
            "1 validation error detected: Value at 'allowedAccessControlTags' failed to satisfy \
             constraint: Member must have length less than or equal to 4 (got {})",
            tags.len()
        )));
    }
    for (k, v) in &tags {
        check_len(k, "AllowedAccessControlTags.key", 1, 128)?;
        check_len(v, "AllowedAccessControlTags.value", 0, 256)?;
    }
    Ok(Some(tags))
}

fn applications(m: &Body) -> Result<Option<Vec<Value>>, ApiError> {
    let Some(apps) = obj_list(m, "Applications")? else {
        return Ok(None);
    };
    if apps.len() > 10 {
        return Err(ApiError::invalid_parameter(
            "Applications can have at most 10 entries",
        ));
    }
    let mut out = Vec::new();
    for a in apps {
        let ns = req_str(a, "Namespace", 1, 128)?;
        let perms = str_list(a, "ApplicationPermissions", 1, 50)?.unwrap_or_default();
        let mut one = json!({"Namespace": ns, "ApplicationPermissions": perms});
        if let Some(t) = get_str(a, "Type")? {
            check_enum(t, "Type", &["MCP", "THIRD_PARTY_APPLICATION"])?;
            one["Type"] = json!(t);
        }
        out.push(one);
    }
    Ok(Some(out))
}

fn flow_modules(m: &Body) -> Result<Option<Vec<Value>>, ApiError> {
    let Some(list) = obj_list(m, "AllowedFlowModules")? else {
        return Ok(None);
    };
    if list.len() > 10 {
        return Err(ApiError::invalid_parameter(
            "AllowedFlowModules can have at most 10 entries",
        ));
    }
    let mut out = Vec::new();
    for f in list {
        let fid = req_str(f, "FlowModuleId", 1, 128)?;
        let t = get_str(f, "Type")?.unwrap_or("MCP");
        check_enum(t, "Type", &["MCP"])?;
        out.push(json!({"Type": t, "FlowModuleId": fid}));
    }
    Ok(Some(out))
}

/// The settings CreateSecurityProfile and UpdateSecurityProfile share; `None`
/// = not in the request.
struct ProfileSettings<'a> {
    description: Option<&'a str>,
    permissions: Option<Vec<String>>,
    tag_restricted: Option<Vec<String>>,
    hierarchy_restricted: Option<Vec<String>>,
    access_tags: Option<BTreeMap<String, String>>,
    access_group: Option<String>,
    applications: Option<Vec<Value>>,
    flow_modules: Option<Vec<Value>>,
    granular: Option<&'a Body>,
}

fn profile_settings<'a>(cx: &Cx<'_>, m: &'a Body) -> Result<ProfileSettings<'a>, ApiError> {
    let granular = get_obj(m, "GranularAccessControlConfiguration")?;
    if let Some(g) = granular {
        known_members(
            g,
            "GranularAccessControlConfiguration",
            &["DataTableAccessControlConfiguration"],
        )?;
    }
    Ok(ProfileSettings {
        description: opt_str(m, "Description", 0, 250)?,
        permissions: string_items(m, "Permissions", 500)?,
        tag_restricted: string_items(m, "TagRestrictedResources", 10)?,
        hierarchy_restricted: string_items(m, "HierarchyRestrictedResources", 1000)?,
        access_tags: access_control_tags(m)?,
        access_group: match get_str(m, "AllowedAccessControlHierarchyGroupId")? {
            Some(g) => Some(existing(cx, Kind::HierarchyGroup, g)?),
            None => None,
        },
        applications: applications(m)?,
        flow_modules: flow_modules(m)?,
        granular,
    })
}

impl ProfileSettings<'_> {
    /// Write the settings present into a profile's Describe shape and lists.
    fn apply(self, doc: &mut Body, extra: &mut Body) {
        put_opt(doc, "Description", self.description);
        if let Some(t) = self.access_tags {
            doc.insert("AllowedAccessControlTags".into(), json!(t));
        }
        if let Some(t) = self.tag_restricted {
            doc.insert("TagRestrictedResources".into(), json!(t));
        }
        if let Some(h) = self.hierarchy_restricted {
            doc.insert("HierarchyRestrictedResources".into(), json!(h));
        }
        if let Some(g) = self.access_group {
            doc.insert("AllowedAccessControlHierarchyGroupId".into(), json!(g));
        }
        if let Some(g) = self.granular {
            doc.insert(
                "GranularAccessControlConfiguration".into(),
                Value::Object(g.clone()),
            );
        }
        if let Some(p) = self.permissions {
            extra.insert("Permissions".into(), json!(p));
        }
        if let Some(a) = self.applications {
            extra.insert("Applications".into(), json!(a));
        }
        if let Some(f) = self.flow_modules {
            extra.insert("AllowedFlowModules".into(), json!(f));
        }
    }
}

pub fn create_security_profile(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let name = req_str(m, "SecurityProfileName", 1, 127)?;
    check_pattern(
        name,
        "SecurityProfileName",
        &SECURITY_PROFILE_NAME_RE,
        "^[ a-zA-Z0-9_@-]+$",
    )?;
    let settings = profile_settings(cx, m)?;
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    unique_name(cx, Kind::SecurityProfile, name, None)?;

    let mut doc = Map::new();
    doc.insert("OrganizationResourceId".into(), json!(cx.instance));
    doc.insert("SecurityProfileName".into(), json!(name));
    let mut extra = Map::new();
    extra.insert("Permissions".into(), json!([]));
    extra.insert("Applications".into(), json!([]));
    extra.insert("AllowedFlowModules".into(), json!([]));
    settings.apply(&mut doc, &mut extra);
    let (id, arn) = insert_item(cx, Kind::SecurityProfile, id, doc, extra, tags);
    Ok(json!({"SecurityProfileId": id, "SecurityProfileArn": arn}))
}

/// `UpdateSecurityProfile`: each member sent replaces the profile's value
/// (a list replaces the whole list); members left out keep theirs.
pub fn update_security_profile(cx: &mut Cx<'_>, id: &str, m: &Body) -> Result<Value, ApiError> {
    cx.need(Kind::SecurityProfile, id)?;
    let settings = profile_settings(cx, m)?;
    let profile = cx.need_mut(Kind::SecurityProfile, id)?;
    settings.apply(&mut profile.doc, &mut profile.extra);
    touch(cx, Kind::SecurityProfile, id);
    Ok(Value::Null)
}

/// `DeleteSecurityProfile`: 409 ResourceInUseException while a user has it.
pub fn delete_security_profile(cx: &mut Cx<'_>, id: &str) -> Result<Value, ApiError> {
    cx.need(Kind::SecurityProfile, id)?;
    if let Some(u) = cx
        .content
        .items(Kind::User)
        .iter()
        .find(|u| u.values_at("SecurityProfileIds").iter().any(|s| s == id))
    {
        return Err(ApiError::in_use(format!(
            "Security profile {id} is in use by user {}",
            u.id
        )));
    }
    cx.content
        .items_mut(Kind::SecurityProfile)
        .remove(Kind::SecurityProfile, id);
    Ok(Value::Null)
}
