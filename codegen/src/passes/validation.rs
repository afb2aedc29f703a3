//! Pass: validation. Which structs check their constraints before a
//! request is sent.

use std::collections::{BTreeMap, BTreeSet};

use super::reach;
use crate::ir::{Operation, TypeDef, TypeRef};

/// Marks the structs that get a `Validate` impl: those a request can
/// contain (reachable from an operation's parameters or body) that have a
/// constraint somewhere inside them, themselves or through other structs.
pub(super) fn mark_validated<'o>(types: &mut [TypeDef], operations: impl Iterator<Item = &'o Operation>) {
    let structs: BTreeMap<String, &crate::ir::StructDef> = types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some((s.name.clone(), s)),
            _ => None,
        })
        .collect();
    // Grown until it stops changing: a struct has checks if a field has
    // constraints or its type leads to a struct that has checks.
    let mut checked: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = checked.len();
        for (name, s) in &structs {
            let has = s.fields.iter().any(|f| {
                !f.constraints.is_empty() || matches!(f.ty.element(), TypeRef::Named(n) if checked.contains(n))
            });
            if has {
                checked.insert(name.clone());
            }
        }
        if checked.len() == before {
            break;
        }
    }
    let by_name: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name(), t)).collect();
    let mut in_requests = BTreeSet::new();
    for op in operations {
        for param in &op.params {
            reach(&param.ty, &by_name, &mut in_requests);
        }
    }
    for def in types.iter_mut() {
        if let TypeDef::Struct(s) = def {
            s.in_requests = in_requests.contains(&s.name);
            s.validated = checked.contains(&s.name) && s.in_requests;
        }
    }
}

