//! Pass: placement. Each operation goes to the resource module lowering
//! planned for it, and each type to the one module whose operations use it,
//! or to [`SHARED_MODULE`].

use std::collections::{BTreeMap, BTreeSet};

use super::reach;
use crate::ir::{Docs, Operation, Resource, TypeDef};

/// The module that holds models used by more than one resource (or by none).
pub const SHARED_MODULE: &str = "shared";

/// Builds the resources: operations by their planned module, and each type
/// in the one module whose operations use it, or in [`SHARED_MODULE`].
pub(super) fn group(operations: Vec<(String, Operation)>, types: Vec<TypeDef>, docs: &BTreeMap<String, Docs>) -> Vec<Resource> {
    let by_name: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name(), t)).collect();
    let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (resource, op) in &operations {
        let mut reached = BTreeSet::new();
        let roots = op.params.iter().map(|p| &p.ty).chain(op.response.as_ref()).chain(op.errors.iter().map(|(_, ty)| ty));
        for root in roots {
            reach(root, &by_name, &mut reached);
        }
        for name in reached {
            users.entry(name).or_default().insert(resource.clone());
        }
    }
    let homes: Vec<String> = types
        .iter()
        .map(|ty| match users.get(ty.name()) {
            Some(set) if set.len() == 1 => set.iter().next().cloned().unwrap_or_default(),
            _ => SHARED_MODULE.to_owned(),
        })
        .collect();

    let mut resources: BTreeMap<String, Resource> = BTreeMap::new();
    let new_resource = |home: &String| Resource {
        module: home.clone(),
        docs: docs.get(home).cloned().unwrap_or_default(),
        types: Vec::new(),
        operations: Vec::new(),
    };
    for (home, op) in operations {
        resources.entry(home.clone()).or_insert_with(|| new_resource(&home)).operations.push(op);
    }
    for (home, ty) in homes.into_iter().zip(types) {
        resources.entry(home.clone()).or_insert_with(|| new_resource(&home)).types.push(ty);
    }
    resources.into_values().collect()
}

