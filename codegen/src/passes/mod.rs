//! Stage 2b: the passes that refine what `lower` produced into the IR that
//! `emit` reads. Each only rewrites the IR; none looks at the document.
//! They run in this order:
//!
//! 1. [`dedup`]: types made for inline schemas that are identical but for
//!    their names become one;
//! 2. [`paging`]: the spec's settings, else the vendor's
//!    [`Conventions::pagination`], say how to walk each list;
//! 3. [`boxing`]: fields through which a struct contains itself are boxed;
//! 4. [`validation`]: structs a request can carry that have constraints
//!    inside get checks;
//! 5. [`placement`]: operations and types go into resource modules.

mod boxing;
mod dedup;
mod paging;
mod placement;
#[cfg(test)]
mod test_ir;
mod validation;

use std::collections::{BTreeMap, BTreeSet};

use crate::conventions::Conventions;
use crate::ir::{Api, Lowered, TypeDef, TypeRef};
use crate::settings::Settings;

/// Runs every pass over one lowered document. Errors are settings that do
/// not fit the document: the key they are under, and what is wrong.
pub fn run(lowered: Lowered, conventions: &dyn Conventions, settings: &Settings) -> Result<Api, Vec<(String, String)>> {
    let Lowered { source, module, title, docs, mut operations, mut types, inline_types, resource_docs } = lowered;
    dedup::merge_identical(&mut types, &mut operations, &inline_types);
    paging::assign(&mut operations, &types, conventions, settings)?;
    boxing::box_cycles(&mut types);
    validation::mark_validated(&mut types, operations.iter().map(|(_, op)| op));
    let resources = placement::group(operations, types, &resource_docs);
    Ok(Api { source, module, title, docs, resources })
}

/// Collects the names of all types reachable from `ty`.
fn reach(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(name) if out.insert(name.clone()) => {
            match types.get(name.as_str()) {
                Some(TypeDef::Struct(s)) => s.fields.iter().for_each(|field| reach(&field.ty, types, out)),
                Some(TypeDef::Responses(r)) => r.variants.iter().filter_map(|v| v.ty.as_ref()).for_each(|ty| reach(ty, types, out)),
                Some(TypeDef::Union(u)) => u.variants.iter().for_each(|v| reach(&v.ty, types, out)),
                _ => {}
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => reach(inner, types, out),
        _ => {}
    }
}
