//! Small builders for the passes' unit tests: IR values written by hand,
//! with every field a test does not care about left blank.

use crate::ir::{
    BodyKind, Constraints, Field, Location, Method, Operation, Param, StructDef, Style, TypeDef, TypeRef, UnionDef,
    UnionVariant,
};

/// A reference to the named type `name`.
pub(crate) fn named(name: &str) -> TypeRef {
    TypeRef::Named(name.to_owned())
}

/// A `Vec` of `item`.
pub(crate) fn array(item: TypeRef) -> TypeRef {
    TypeRef::Array(Box::new(item))
}

/// A required field whose Rust and wire names are both `name`.
pub(crate) fn field(name: &str, ty: TypeRef) -> Field {
    Field {
        name: name.to_owned(),
        wire_name: name.to_owned(),
        docs: Vec::new(),
        ty,
        optional: false,
        boxed: false,
        sensitive: false,
        constraints: Constraints::default(),
        rest: false,
    }
}

/// A field that may be missing (`Option<ty>`).
pub(crate) fn optional(name: &str, ty: TypeRef) -> Field {
    Field { optional: true, ..field(name, ty) }
}

/// A required string field that must match `pattern`.
pub(crate) fn patterned(name: &str, pattern: &str) -> Field {
    let constraints = Constraints { pattern: Some(pattern.to_owned()), ..Constraints::default() };
    Field { constraints, ..field(name, TypeRef::String) }
}

/// A struct with no docs, not yet looked at by any pass.
pub(crate) fn struct_def(name: &str, fields: Vec<Field>) -> StructDef {
    StructDef { name: name.to_owned(), docs: Vec::new(), fields, validated: false, in_requests: false }
}

/// The same, as a [`TypeDef`].
pub(crate) fn strukt(name: &str, fields: Vec<Field>) -> TypeDef {
    TypeDef::Struct(struct_def(name, fields))
}

/// A union variant `name` holding a `ty`, without tags or constraints.
pub(crate) fn variant(name: &str, ty: TypeRef) -> UnionVariant {
    UnionVariant { name: name.to_owned(), ty, tags: Vec::new(), constraints: Constraints::default() }
}

/// An untagged union with no docs, not yet looked at by any pass.
pub(crate) fn union(name: &str, variants: Vec<UnionVariant>) -> TypeDef {
    let other_variant = "Other".to_owned();
    TypeDef::Union(UnionDef { name: name.to_owned(), docs: Vec::new(), variants, tag: None, other_variant, validated: false })
}

/// An operation with no parameters, no body and no response.
pub(crate) fn operation(name: &str, method: Method) -> Operation {
    Operation {
        name: name.to_owned(),
        method,
        path: "/things".to_owned(),
        server: "https://api.example.com".to_owned(),
        server_variables: Vec::new(),
        summary: None,
        docs: Vec::new(),
        params: Vec::new(),
        body: BodyKind::None,
        response: None,
        response_may_be_empty: false,
        redirects: false,
        errors: Vec::new(),
        response_headers: Vec::new(),
        accept: None,
        auth: Vec::new(),
        pagination: None,
    }
}

/// An optional parameter at `location`, named `name` in Rust and on the wire.
pub(crate) fn param(name: &str, location: Location, ty: TypeRef) -> Param {
    Param {
        name: name.to_owned(),
        wire_name: name.to_owned(),
        location,
        docs: Vec::new(),
        ty,
        required: false,
        constraints: Constraints::default(),
        style: Style::default(),
        media_type: None,
    }
}

/// A whole JSON body of type `ty`, as lowering lists it among the params.
pub(crate) fn json_body(ty: TypeRef) -> Param {
    Param { required: true, ..param("body", Location::JsonBody, ty) }
}

/// The struct named `name` among `types`; panics if there is none.
pub(crate) fn get_struct<'t>(types: &'t [TypeDef], name: &str) -> &'t StructDef {
    types
        .iter()
        .find_map(|t| match t {
            TypeDef::Struct(s) if s.name == name => Some(s),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no struct named `{name}`"))
}

/// The names of `types`, in order.
pub(crate) fn names(types: &[TypeDef]) -> Vec<&str> {
    types.iter().map(TypeDef::name).collect()
}
