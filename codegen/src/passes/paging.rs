//! The paging pass: how to walk each list operation's pages. The spec's
//! settings come first where they name the operation; otherwise the
//! vendor's conventions decide (which fall back on what the document shows,
//! see `crate::paging`).

use crate::conventions::Conventions;
use crate::ir::{Operation, TypeDef};
use crate::settings::Settings;

/// Sets each operation's pagination. Errors are settings that do not fit
/// the document: the key they are under, and what is wrong.
pub(super) fn assign(
    operations: &mut [(String, Operation)],
    types: &[TypeDef],
    conventions: &dyn Conventions,
    settings: &Settings,
) -> Result<(), Vec<(String, String)>> {
    let mut errors = Vec::new();
    for (_, op) in operations.iter_mut() {
        op.pagination = match settings.paging.get(&op.name) {
            Some(paging) => crate::paging::from_settings(op, types, paging)
                .map_err(|message| errors.push((format!("paging.{}", op.name), message)))
                .ok(),
            None => conventions.pagination(op, types),
        };
    }
    for name in settings.paging.keys() {
        if !operations.iter().any(|(_, op)| &op.name == name) {
            errors.push((format!("paging.{name}"), "no operation of the spec has this name".to_owned()));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}
