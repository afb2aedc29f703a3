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

    /// How to walk the pages of a list operation; `None` for an operation
    /// that is not a list (or not one these conventions can page).
    fn pagination(&self, _op: &Operation, _types: &[TypeDef]) -> Option<Pagination> {
        None
    }
}

/// OpenAPI by the book, for any document no vendor claims.
pub struct Generic;

impl Conventions for Generic {
    fn name(&self) -> &'static str {
        "generic"
    }
}
