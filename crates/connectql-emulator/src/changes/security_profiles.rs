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
    let description = opt_str(m, "Description", 0, 250)?;
    let permissions = string_items(m, "Permissions", 500)?.unwrap_or_default();
    let tag_restricted = string_items(m, "TagRestrictedResources", 10)?;
    let hierarchy_restricted = string_items(m, "HierarchyRestrictedResources", 10)?;
    let access_tags = get_string_map(m, "AllowedAccessControlTags")?;
    let access_group = match get_str(m, "AllowedAccessControlHierarchyGroupId")? {
        Some(g) => Some(existing(cx, Kind::HierarchyGroup, g)?),
        None => None,
    };
    let applications = match obj_list(m, "Applications")? {
        Some(apps) => {
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
            out
        }
        None => Vec::new(),
    };
    let flow_modules = match obj_list(m, "AllowedFlowModules")? {
        Some(list) => {
            let mut out = Vec::new();
            for f in list {
                let fid = req_str(f, "FlowModuleId", 1, 128)?;
                let t = get_str(f, "Type")?.unwrap_or("MCP");
                check_enum(t, "Type", &["MCP"])?;
                out.push(json!({"Type": t, "FlowModuleId": fid}));
            }
            out
        }
        None => Vec::new(),
    };
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    unique_name(cx, Kind::SecurityProfile, name, None)?;

    let mut doc = Map::new();
    doc.insert("OrganizationResourceId".into(), json!(cx.instance));
    doc.insert("SecurityProfileName".into(), json!(name));
    put_opt(&mut doc, "Description", description);
    if let Some(t) = access_tags {
        doc.insert("AllowedAccessControlTags".into(), json!(t));
    }
    if let Some(t) = tag_restricted {
        doc.insert("TagRestrictedResources".into(), json!(t));
    }
    if let Some(h) = hierarchy_restricted {
        doc.insert("HierarchyRestrictedResources".into(), json!(h));
    }
    if let Some(g) = access_group {
        doc.insert("AllowedAccessControlHierarchyGroupId".into(), json!(g));
    }
    let mut extra = Map::new();
    extra.insert("Permissions".into(), json!(permissions));
    extra.insert("Applications".into(), json!(applications));
    extra.insert("AllowedFlowModules".into(), json!(flow_modules));
    let (id, arn) = insert_item(cx, Kind::SecurityProfile, id, doc, extra, tags);
    Ok(json!({"SecurityProfileId": id, "SecurityProfileArn": arn}))
}
