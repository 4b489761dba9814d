//! User hierarchy groups: create, rename, delete.

use super::*;

/// Level names of the hierarchy structure (one to five).
pub const LEVELS: [&str; 5] = [
    "LevelOne",
    "LevelTwo",
    "LevelThree",
    "LevelFour",
    "LevelFive",
];

/// The id of hierarchy level `n` (1..=5) of an instance.
pub fn level_id(instance: &str, n: usize) -> String {
    crate::content::det_uuid(&[instance, "hierarchy-level", &n.to_string()])
}

pub fn create_user_hierarchy_group(
    cx: &mut Cx<'_>,
    m: &Body,
    id: Option<String>,
) -> Result<Value, ApiError> {
    let name = req_str(m, "Name", 1, 256)?;
    let parent = match get_str(m, "ParentGroupId")? {
        Some(p) => Some(existing(cx, Kind::HierarchyGroup, p)?),
        None => None,
    };
    let tags = opt_tags(m, "Tags")?.unwrap_or_default();
    let mut path: Vec<Value> = Vec::new();
    if let Some(p) = &parent {
        let pg = cx.need(Kind::HierarchyGroup, p)?;
        let pp = pg.doc.get("HierarchyPath").cloned().unwrap_or(json!({}));
        for l in LEVELS {
            if let Some(s) = pp.get(l) {
                path.push(s.clone());
            }
        }
    }
    let level = path.len() + 1;
    if level > LEVELS.len() {
        return Err(ApiError::invalid_request(
            "A hierarchy has at most five levels; the parent group is on the fifth",
        ));
    }
    unique_name(cx, Kind::HierarchyGroup, name, None)?;
    let id = id.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let arn = cx.arn(Kind::HierarchyGroup, &id);
    path.push(json!({
        "Id": id, "Arn": arn, "Name": name,
        "LastModifiedTime": cx.now, "LastModifiedRegion": cx.region,
    }));
    let mut hp = Map::new();
    for (l, s) in LEVELS.iter().zip(path) {
        hp.insert((*l).into(), s);
    }
    let mut doc = Map::new();
    doc.insert("Name".into(), json!(name));
    doc.insert("LevelId".into(), json!(level_id(&cx.instance, level)));
    doc.insert("HierarchyPath".into(), Value::Object(hp));
    let mut extra = Map::new();
    if let Some(p) = parent {
        extra.insert("ParentId".into(), json!(p));
    }
    extra.insert("Level".into(), json!(level));
    let (id, arn) = insert_item(cx, Kind::HierarchyGroup, Some(id), doc, extra, tags);
    Ok(json!({"HierarchyGroupId": id, "HierarchyGroupArn": arn}))
}

/// `UpdateUserHierarchyGroupName`: the group and every `HierarchyPath` that
/// shows it (its own and its descendants') take the new name.
pub fn update_user_hierarchy_group_name(
    cx: &mut Cx<'_>,
    id: &str,
    m: &Body,
) -> Result<Value, ApiError> {
    let name = req_str(m, "Name", 1, 256)?;
    cx.need(Kind::HierarchyGroup, id)?;
    unique_name(cx, Kind::HierarchyGroup, name, Some(id))?;
    cx.content
        .items_mut(Kind::HierarchyGroup)
        .rename(Kind::HierarchyGroup, id, name);
    let (region, now) = (cx.region, cx.now);
    for group in cx.content.items_mut(Kind::HierarchyGroup).iter_mut() {
        let Some(Value::Object(path)) = group.doc.get_mut("HierarchyPath") else {
            continue;
        };
        for level in path.values_mut() {
            if level["Id"].as_str() == Some(id) {
                level["Name"] = json!(name);
                level["LastModifiedTime"] = json!(now);
                level["LastModifiedRegion"] = json!(region);
            }
        }
    }
    touch(cx, Kind::HierarchyGroup, id);
    Ok(Value::Null)
}

/// `DeleteUserHierarchyGroup`: 409 ResourceInUseException while the group has
/// child groups, users, or is a security profile's access-control group.
pub fn delete_user_hierarchy_group(cx: &mut Cx<'_>, id: &str) -> Result<Value, ApiError> {
    cx.need(Kind::HierarchyGroup, id)?;
    let content = &cx.content;
    let user = if let Some(child) = content
        .items(Kind::HierarchyGroup)
        .iter()
        .find(|g| g.extra_str("ParentId") == Some(id))
    {
        Some(format!("child group {}", child.id))
    } else if let Some(u) = content
        .items(Kind::User)
        .iter()
        .find(|u| u.doc_str("HierarchyGroupId") == Some(id))
    {
        Some(format!("user {}", u.id))
    } else {
        content
            .items(Kind::SecurityProfile)
            .iter()
            .find(|p| p.doc_str("AllowedAccessControlHierarchyGroupId") == Some(id))
            .map(|p| format!("security profile {}", p.id))
    };
    if let Some(user) = user {
        return Err(ApiError::in_use(format!(
            "Hierarchy group {id} is in use by {user}"
        )));
    }
    cx.content
        .items_mut(Kind::HierarchyGroup)
        .remove(Kind::HierarchyGroup, id);
    Ok(Value::Null)
}
