//! Stage 2b: the passes that refine what `lower` produced into the IR that
//! `emit` reads. Each only rewrites the IR; none looks at the document.
//! They run in this order:
//!
//! 1. [`dedup`]: types made for inline schemas that are identical but for
//!    their names become one;
//! 2. paging: the vendor's [`Conventions::pagination`] says how to walk each
//!    list;
//! 3. [`boxing`]: fields through which a struct contains itself are boxed;
//! 4. [`validation`]: structs a request can carry that have constraints
//!    inside get checks;
//! 5. [`placement`]: operations and types go into resource modules.

mod boxing;
mod dedup;
mod placement;
mod validation;

use std::collections::{BTreeMap, BTreeSet};

use crate::conventions::Conventions;
use crate::ir::{Api, Lowered, TypeDef, TypeRef};

pub use placement::SHARED_MODULE;

/// Runs every pass over one lowered document.
pub fn run(lowered: Lowered, conventions: &dyn Conventions) -> Api {
    let Lowered { source, module, title, docs, mut operations, mut types, inline_types, resource_docs } = lowered;
    dedup::merge_identical(&mut types, &mut operations, &inline_types);
    for (_, op) in &mut operations {
        op.pagination = conventions.pagination(op, &types);
    }
    boxing::box_cycles(&mut types);
    validation::mark_validated(&mut types, operations.iter().map(|(_, op)| op));
    let resources = placement::group(operations, types, &resource_docs);
    Api { source, module, title, docs, resources }
}

/// Collects the names of all types reachable from `ty`.
fn reach(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(name) if out.insert(name.clone()) => {
            match types.get(name.as_str()) {
                Some(TypeDef::Struct(s)) => s.fields.iter().for_each(|field| reach(&field.ty, types, out)),
                Some(TypeDef::Responses(r)) => r.variants.iter().filter_map(|v| v.ty.as_ref()).for_each(|ty| reach(ty, types, out)),
                _ => {}
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => reach(inner, types, out),
        _ => {}
    }
}
