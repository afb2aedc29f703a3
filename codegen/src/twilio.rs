//! Everything this generator knows about Twilio in particular.
//!
//! The rest of the crate is a general OpenAPI 3.0 generator; the conventions
//! below are Twilio's, and each one degrades to the generic behaviour for a
//! document that does not follow them.

use crate::ir::{FieldPath, Pagination, TypeDef, TypeRef};
use crate::lower::names::snake;

/// Twilio's spec files are named `twilio_<product>_<version>`; the prefix adds
/// nothing inside a crate of Twilio APIs.
pub fn spec_module(stem: &str) -> String {
    stem.strip_prefix("twilio_").unwrap_or(stem).to_owned()
}

/// Twilio tags repeat the product and version (`ProxyV1MessageInteraction`);
/// inside the `proxy_v1` module the resource is just `message_interaction`.
pub fn resource_module(tag: &str, spec_module: &str) -> String {
    let name = snake(tag);
    let name = name.strip_prefix("r#").unwrap_or(&name);
    let short = name
        .strip_prefix(spec_module)
        .and_then(|rest| rest.strip_prefix('_'))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(name);
    crate::lower::module_ident(&snake(short))
}

/// Recognises Twilio's list pages.
///
/// - Most APIs: `{ "<items>": [...], "meta": { "next_page_url": ..., ... } }`.
/// - api_v2010: `{ "<items>": [...], "next_page_uri": "/2010-04-01/...", ... }`,
///   where the link is relative to the host.
///
/// The items are the one array-typed field of the page.
pub fn pagination(response: &TypeRef, types: &[TypeDef]) -> Option<Pagination> {
    let page = find_struct(response, types)?;
    let mut arrays = page.fields.iter().filter(|f| matches!(f.ty, TypeRef::Array(_)));
    let items = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    let TypeRef::Array(item_type) = &items.ty else { return None };

    let next_link: FieldPath = if let Some(meta) = page.fields.iter().find(|f| f.wire_name == "meta") {
        let meta_struct = find_struct(&meta.ty, types)?;
        let next = meta_struct.fields.iter().find(|f| f.wire_name == "next_page_url" && f.ty == TypeRef::String)?;
        vec![(meta.name.clone(), meta.optional), (next.name.clone(), next.optional)]
    } else {
        let next = page.fields.iter().find(|f| f.wire_name == "next_page_uri" && f.ty == TypeRef::String)?;
        vec![(next.name.clone(), next.optional)]
    };
    Some(Pagination {
        items: vec![(items.name.clone(), items.optional)],
        item_type: (**item_type).clone(),
        next_link,
    })
}

fn find_struct<'t>(ty: &TypeRef, types: &'t [TypeDef]) -> Option<&'t crate::ir::StructDef> {
    let TypeRef::Named(name) = ty else { return None };
    types.iter().find_map(|t| match t {
        TypeDef::Struct(s) if &s.name == name => Some(s),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_drop_the_twilio_prefixes() {
        assert_eq!(spec_module("twilio_proxy_v1"), "proxy_v1");
        assert_eq!(spec_module("petstore"), "petstore");
        assert_eq!(resource_module("ProxyV1MessageInteraction", "proxy_v1"), "message_interaction");
        assert_eq!(resource_module("Pets", "petstore"), "pets");
        assert_eq!(resource_module("ProxyV1", "proxy_v1"), "proxy_v1");
    }
}
