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

use crate::ir::{Operation, Pagination, TypeDef, TypeRef};
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
    /// default, what the spec makes unambiguous: see [`crate::paging::from_link_header`]
    /// and [`crate::paging::from_shape`]. The spec's settings, where they
    /// name the operation, come before this.
    fn pagination(&self, op: &Operation, types: &[TypeDef]) -> Option<Pagination> {
        crate::paging::from_link_header(op, types).or_else(|| crate::paging::from_shape(op, types))
    }
}

/// OpenAPI by the book, for any document no vendor claims.
pub struct Generic;

impl Conventions for Generic {
    fn name(&self) -> &'static str {
        "generic"
    }
}
