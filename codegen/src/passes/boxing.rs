//! Pass: boxing. A struct that contains itself needs a `Box` somewhere.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{TypeDef, TypeRef};

/// Marks as boxed every struct field through which the struct contains
/// itself directly (`Option` and plain fields; a `Vec` or map already puts
/// its items on the heap).
pub(super) fn box_cycles(types: &mut [TypeDef]) {
    let direct: BTreeMap<String, Vec<String>> = types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some((
                s.name.clone(),
                s.fields
                    .iter()
                    .filter_map(|f| match &f.ty {
                        TypeRef::Named(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    let reaches = |from: &str, target: &str| {
        let mut seen = BTreeSet::new();
        let mut pending = vec![from];
        while let Some(name) = pending.pop() {
            if name == target {
                return true;
            }
            if seen.insert(name) {
                pending.extend(direct.get(name).into_iter().flatten().map(String::as_str));
            }
        }
        false
    };
    for def in types.iter_mut() {
        let TypeDef::Struct(s) = def else { continue };
        for field in &mut s.fields {
            if let TypeRef::Named(n) = &field.ty {
                field.boxed = reaches(n, &s.name);
            }
        }
    }
}

