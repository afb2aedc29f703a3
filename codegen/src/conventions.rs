//! What a vendor may add to the meaning of an OpenAPI document.
//!
//! Some APIs follow conventions that their specs do not state in OpenAPI's
//! own terms: how list pages link to the next one, custom string formats,
//! extensions marking personal data, how tags name resources. The pipeline
//! takes them as a value of [`Conventions`], chosen per spec (see
//! `crate::conventions_for`). Every method has the generic behaviour as its
//! default, so [`Generic`] is a document read by the book, and a vendor is
//! one more implementation that overrides what it knows (`crate::twilio`).

use indexmap::IndexMap;

use crate::ir::{Location, Method, NextPage, Operation, Pagination, StructDef, TypeDef, TypeRef};
use crate::names::{module_ident, snake};

/// Extensions (`x-…`) of a schema or operation, as `openapiv3` keeps them.
pub type Extensions = IndexMap<String, serde_json::Value>;

pub trait Conventions: Sync {
    /// A short name, for tests and reports.
    fn name(&self) -> &'static str;

    /// The module a spec file becomes, from its file stem (before making it
    /// an identifier).
    fn spec_module(&self, stem: &str) -> String {
        stem.to_owned()
    }

    /// The resource module (file) of the operations with this tag.
    fn resource_module(&self, tag: &str, _spec_module: &str) -> String {
        module_ident(&snake(tag))
    }

    /// The type of a string with a format OpenAPI does not define, if not
    /// `String`.
    fn string_format(&self, _format: &str) -> Option<TypeRef> {
        None
    }

    /// Whether a property holds personal data that `Debug` must not show.
    fn is_sensitive(&self, _extensions: &Extensions) -> bool {
        false
    }

    /// A doc paragraph about how stable an operation is.
    fn maturity_note(&self, _extensions: &Extensions) -> Option<String> {
        None
    }

    /// Whether a free-form query parameter (no type, or a map) goes as one
    /// pair of JSON text rather than as OpenAPI's `form` style writes it
    /// (scalars as text, arrays a pair per item, objects a pair per
    /// property).
    fn query_objects_as_json(&self) -> bool {
        false
    }

    /// Whether a request body offered both as a URL-encoded form and as
    /// JSON goes as the form (by default JSON, which carries nesting).
    fn prefers_form_bodies(&self) -> bool {
        false
    }

    /// The path parameter that names the caller's account, which the client
    /// fills with its own account identifier when a call leaves it unset
    /// (an optional setter rather than an argument of `new`). None by
    /// default.
    fn account_path_param(&self) -> Option<&'static str> {
        None
    }

    /// How to walk the pages of a list operation; `None` for an operation
    /// that is not a list (or not one these conventions can page). By
    /// default, what the spec makes unambiguous: see [`link_header_pagination`]
    /// and [`crate::paging::from_shape`]. The spec's settings, where they
    /// name the operation, come before this.
    fn pagination(&self, op: &Operation, types: &[TypeDef]) -> Option<Pagination> {
        link_header_pagination(op, types).or_else(|| crate::paging::from_shape(op, types))
    }
}

/// OpenAPI by the book, for any document no vendor claims.
pub struct Generic;

impl Conventions for Generic {
    fn name(&self) -> &'static str {
        "generic"
    }
}

/// Paging by the `Link` header (RFC 8288, as GitHub and GitLab page): a
/// `GET` whose 2xx response declares a `Link` header, and whose body is an
/// array (the items) or an object with exactly one array field (the items).
/// The page size is the query parameter `per_page`, `page_size` or
/// `pageSize`, if the operation has one.
pub fn link_header_pagination(op: &Operation, types: &[TypeDef]) -> Option<Pagination> {
    if op.method != Method::Get || !op.response_headers.iter().any(|h| h.eq_ignore_ascii_case("link")) {
        return None;
    }
    let response = op.response.as_ref()?;
    let (items, item_type) = match response {
        TypeRef::Array(item) => (Vec::new(), (**item).clone()),
        TypeRef::Named(_) => crate::paging::one_array(find_struct(response, types)?)?,
        _ => return None,
    };
    let page_size_param = query_param(op, crate::paging::PAGE_SIZES);
    Some(Pagination { items, item_type, next: NextPage::LinkHeader, page_size_param })
}

/// The struct a [`TypeRef::Named`] names, if it is one.
pub(crate) fn find_struct<'t>(ty: &TypeRef, types: &'t [TypeDef]) -> Option<&'t StructDef> {
    let TypeRef::Named(name) = ty else { return None };
    types.iter().find_map(|t| match t {
        TypeDef::Struct(s) if &s.name == name => Some(s),
        _ => None,
    })
}

/// The wire name of the operation's first query parameter named one of
/// `names` (a page size, say).
pub(crate) fn query_param(op: &Operation, names: &[&str]) -> Option<String> {
    let param = op.params.iter().find(|p| p.location == Location::Query && names.contains(&p.wire_name.as_str()))?;
    Some(param.wire_name.clone())
}
