//! Lowering JSON Schemas to [`TypeRef`]s and named [`TypeDef`]s.

use std::collections::BTreeMap;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};

use super::Ctx;
use crate::names::{Namer, camel, snake};
use crate::diagnostics::{child, pointer};
use crate::ir::{Constraints, EnumDef, Field, StructDef, TypeDef, TypeRef, Variant};

pub(super) const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// Properties by wire name: their schema and JSON pointer.
pub(super) type Properties<'a> = IndexMap<&'a str, (&'a ReferenceOr<Box<Schema>>, String)>;

/// What a schema turns into, decided before any type is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shape {
    Struct,
    Enum,
    /// A `oneOf`/`anyOf` of two or more kinds of value: an enum with a
    /// variant per member.
    Union,
    /// Anything that is used inline: primitives, arrays, maps, free-form JSON.
    Inline,
}

pub(super) fn shape(schema: &Schema) -> Shape {
    if let Some((_, members)) = union_of(schema)
        && members.len() >= 2
    {
        // Strings of any kind are one string type: an enum of all their
        // values when each lists some, else a `String`.
        let string_enums: Option<Vec<bool>> = members
            .iter()
            .map(|(_, member)| match member {
                ReferenceOr::Item(Schema { schema_kind: SchemaKind::Type(Type::String(s)), .. }) => {
                    Some(!string_values(&s.enumeration).is_empty() && s.format == VariantOrUnknownOrEmpty::Empty)
                }
                _ => None,
            })
            .collect();
        return match string_enums {
            Some(enums) if enums.iter().all(|e| *e) => Shape::Enum,
            Some(_) => Shape::Inline,
            None => Shape::Union,
        };
    }
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(o)) if !o.properties.is_empty() => Shape::Struct,
        SchemaKind::Type(Type::String(s)) if !string_values(&s.enumeration).is_empty() => {
            if is_bool_enum(&string_values(&s.enumeration)) { Shape::Inline } else { Shape::Enum }
        }
        SchemaKind::Type(Type::Integer(i)) if i.enumeration.iter().flatten().next().is_some() => Shape::Enum,
        SchemaKind::Any(a) if !a.properties.is_empty() => Shape::Struct,
        // allOf of objects: one struct with all their properties.
        SchemaKind::AllOf { .. } => Shape::Struct,
        SchemaKind::Any(a) if !a.all_of.is_empty() && a.one_of.is_empty() && a.any_of.is_empty() => Shape::Struct,
        _ => Shape::Inline,
    }
}

/// Why an object schema's parts are incomplete (see [`Ctx::object_parts`]),
/// with where.
pub(super) enum Problem {
    NotAnObject(String),
    Unresolved(String),
}

/// Members of a `oneOf`/`anyOf`, each with its index in the spec's list.
pub(super) type Members<'a> = Vec<(usize, &'a ReferenceOr<Schema>)>;

/// The members of a `oneOf` or `anyOf` (which of the two, and each with its
/// index) that say what a value is. A member that only lists `required`
/// properties constrains the object around it and is left out; so is the
/// whole composition when the schema has `properties` or `allOf` of its own
/// (it is then that object).
pub(super) fn union_of(schema: &Schema) -> Option<(&'static str, Members<'_>)> {
    let (keyword, members) = match &schema.schema_kind {
        SchemaKind::OneOf { one_of } => ("oneOf", one_of),
        SchemaKind::AnyOf { any_of } => ("anyOf", any_of),
        SchemaKind::Any(a) if a.properties.is_empty() && a.all_of.is_empty() && !a.one_of.is_empty() => ("oneOf", &a.one_of),
        SchemaKind::Any(a) if a.properties.is_empty() && a.all_of.is_empty() && !a.any_of.is_empty() => ("anyOf", &a.any_of),
        _ => return None,
    };
    let says_something = |member: &ReferenceOr<Schema>| match member {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(s) => !matches!(&s.schema_kind, SchemaKind::Any(a) if a.typ.is_none()
            && a.properties.is_empty()
            && a.all_of.is_empty()
            && a.one_of.is_empty()
            && a.any_of.is_empty()
            && a.items.is_none()
            && a.enumeration.is_empty()),
    };
    Some((keyword, members.iter().enumerate().filter(|(_, m)| says_something(m)).collect()))
}

/// Where member `i` of the list `keyword` (`allOf`, `oneOf`) of the schema
/// at `at` is: the component's own pointer for a local `$ref`, so that its
/// problems are reported where it is written.
pub(super) fn member_pointer(at: &str, keyword: &str, i: usize, member: &ReferenceOr<Schema>) -> String {
    match member {
        ReferenceOr::Reference { reference } if reference.starts_with(SCHEMA_PREFIX) => {
            pointer(["components", "schemas", &reference[SCHEMA_PREFIX.len()..]])
        }
        _ => child(at, [keyword, &i.to_string()]),
    }
}

fn string_values(values: &[Option<String>]) -> Vec<&str> {
    values.iter().flatten().map(String::as_str).collect()
}

/// A string enum whose only values are `true` and `false` (Twilio's
/// `X-Twilio-Webhook-Enabled`, for one) is a boolean in all but name; Rust
/// users get a `bool`, and the wire still sees `true`/`false`.
fn is_bool_enum(values: &[&str]) -> bool {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    sorted == ["false", "true"]
}

/// Chooses Rust names for the component schemas that become named types.
///
/// A name is the shortest tail of its dot-separated segments that no other
/// schema shares: Twilio's `proxy.v1.service.session.participant.message_interaction`
/// becomes `MessageInteraction`, while two schemas ending in `.message` each
/// keep one more segment. Names without dots are used whole.
pub(super) fn component_names(keys: &[&str], namer: &mut Namer) -> BTreeMap<String, String> {
    let segments: Vec<Vec<&str>> = keys.iter().map(|k| k.split('.').collect()).collect();
    let mut taken_tail: Vec<usize> = vec![1; keys.len()];
    let tail = |i: usize, n: usize| segments[i][segments[i].len() - n..].join("_");
    loop {
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, &n) in taken_tail.iter().enumerate() {
            groups.entry(camel(&tail(i, n))).or_default().push(i);
        }
        let mut grew = false;
        for members in groups.values().filter(|m| m.len() > 1) {
            for &i in members {
                if taken_tail[i] < segments[i].len() {
                    taken_tail[i] += 1;
                    grew = true;
                }
            }
        }
        if !grew {
            break;
        }
    }
    keys.iter()
        .enumerate()
        .map(|(i, k)| ((*k).to_owned(), namer.unique(camel(&tail(i, taken_tail[i])))))
        .collect()
}

impl<'a> Ctx<'a> {
    /// Lowers a schema or a reference to one. `hint` names any type that has
    /// to be created for an inline object or enum; `at` is its JSON pointer.
    pub(super) fn lower_schema(&mut self, schema: &'a ReferenceOr<Schema>, hint: &str, at: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_reference(reference, at),
            ReferenceOr::Item(schema) => self.lower_inline(schema, hint, at),
        }
    }

    pub(super) fn lower_boxed(&mut self, schema: &'a ReferenceOr<Box<Schema>>, hint: &str, at: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_reference(reference, at),
            ReferenceOr::Item(schema) => self.lower_inline(schema, hint, at),
        }
    }

    /// Follows a `$ref` to a component schema, through chains of references.
    pub(super) fn resolve_schema(&self, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.resolve_key(reference),
        }
    }

    fn resolve_key(&self, reference: &str) -> Option<&'a Schema> {
        let schemas = &self.api.components.as_ref()?.schemas;
        let mut key = reference.strip_prefix(SCHEMA_PREFIX)?;
        for _ in 0..32 {
            match schemas.get(key)? {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference } => key = reference.strip_prefix(SCHEMA_PREFIX)?,
            }
        }
        None
    }

    pub(super) fn lower_reference(&mut self, reference: &str, at: &str) -> TypeRef {
        let Some(key) = reference.strip_prefix(SCHEMA_PREFIX) else {
            self.sink.degraded(at, format!("$ref `{reference}` is not read (only references inside this document are); any JSON value"));
            return TypeRef::Json;
        };
        if let Some(name) = self.component_types.get(key) {
            return TypeRef::Named(name.clone());
        }
        if let Some(ty) = self.inline_components.get(key) {
            return ty.clone();
        }
        let api = self.api;
        let Some(target) = api.components.as_ref().and_then(|c| c.schemas.get(key)) else {
            self.sink.degraded(at, format!("$ref `{reference}` points to a schema that does not exist; any JSON value"));
            return TypeRef::Json;
        };
        // An inline-shaped component (a string, an array, an alias) is used in
        // place. Guard against reference cycles among such aliases.
        if self.resolving.iter().any(|k| k == key) {
            self.sink.degraded(at, format!("$ref `{reference}` is part of a reference cycle that never reaches a type; any JSON value"));
            return TypeRef::Json;
        }
        self.resolving.push(key.to_owned());
        let target_at = pointer(["components", "schemas", key]);
        let ty = self.lower_schema(target, &camel(key), &target_at);
        self.resolving.pop();
        self.inline_components.insert(key.to_owned(), ty.clone());
        ty
    }

    fn lower_inline(&mut self, schema: &'a Schema, hint: &str, at: &str) -> TypeRef {
        if self.depth >= super::MAX_DEPTH {
            self.sink.degraded(at, format!("schemas nested more than {} levels deep are any JSON value", super::MAX_DEPTH));
            return TypeRef::Json;
        }
        self.depth += 1;
        let ty = self.lower_inline_nested(schema, hint, at);
        self.depth -= 1;
        ty
    }

    fn lower_inline_nested(&mut self, schema: &'a Schema, hint: &str, at: &str) -> TypeRef {
        // `allOf` around one schema (`{allOf: [$ref], description}`, how 3.0
        // documents a reference): that schema's type, not a copy of it.
        if let Some((i, member)) = sole_all_of_member(schema) {
            return self.lower_schema(member, hint, &child(at, ["allOf", &i.to_string()]));
        }
        let shape = shape(schema);
        if shape != Shape::Inline {
            let address = schema as *const Schema as usize;
            if let Some(name) = self.inline_types.get(&address) {
                return TypeRef::Named(name.clone());
            }
            let name = self.type_namer.unique(camel(hint));
            self.inline_types.insert(address, name.clone());
            return TypeRef::Named(match shape {
                Shape::Struct => self.define_struct(schema, name, at),
                Shape::Union => self.define_union(schema, name, at),
                _ => self.define_enum(schema, name),
            });
        }
        // A composition of one kind of value: that kind.
        if let Some((keyword, members)) = union_of(schema) {
            return match members.as_slice() {
                [] => TypeRef::Json,
                [(i, member)] => self.lower_schema(member, hint, &child(at, [keyword, &i.to_string()])),
                _ => TypeRef::String, // strings only (see `shape`)
            };
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                if !s.enumeration.is_empty() {
                    // Only the true/false enum reaches here (see `shape`).
                    return TypeRef::Bool;
                }
                match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => TypeRef::Base64,
                    VariantOrUnknownOrEmpty::Unknown(format) => match format.as_str() {
                        "uuid" => TypeRef::Uuid,
                        "ip" => TypeRef::IpAddr,
                        "ipv4" => TypeRef::Ipv4Addr,
                        "ipv6" => TypeRef::Ipv6Addr,
                        // Other formats (`uri`, `email`, a vendor's own)
                        // are text, unless the vendor's conventions say.
                        _ => self.conventions.string_format(format).unwrap_or(TypeRef::String),
                    },
                    _ => TypeRef::String,
                }
            }
            SchemaKind::Type(Type::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                VariantOrUnknownOrEmpty::Unknown(format) => match format.as_str() {
                    "int8" | "int16" => TypeRef::I32,
                    "uint8" | "uint16" | "uint32" => TypeRef::U32,
                    "uint64" => TypeRef::U64,
                    _ => TypeRef::I64,
                },
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(_)) => TypeRef::Number,
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Bool,
            SchemaKind::Type(Type::Array(a)) => self.lower_items(a.items.as_ref(), hint, at),
            SchemaKind::Type(Type::Object(o)) => self.lower_map(o.additional_properties.as_ref(), hint, at),
            SchemaKind::Any(a) => match a.typ.as_deref() {
                Some("string") => TypeRef::String,
                Some("integer") => TypeRef::I64,
                Some("number") => TypeRef::Number,
                Some("boolean") => TypeRef::Bool,
                Some("array") => self.lower_items(a.items.as_ref(), hint, at),
                Some("object") => self.lower_map(a.additional_properties.as_ref(), hint, at),
                _ if !(a.one_of.is_empty() && a.all_of.is_empty() && a.any_of.is_empty()) => {
                    self.not_modelled(at, "oneOf/allOf/anyOf");
                    TypeRef::Json
                }
                _ => TypeRef::Json,
            },
            SchemaKind::OneOf { .. } => self.not_modelled(at, "oneOf"),
            SchemaKind::AllOf { .. } => self.not_modelled(at, "allOf"),
            SchemaKind::AnyOf { .. } => self.not_modelled(at, "anyOf"),
            SchemaKind::Not { .. } => self.not_modelled(at, "not"),
        }
    }

    fn not_modelled(&mut self, at: &str, what: &str) -> TypeRef {
        self.sink.warning(at, format!("`{what}` is not modelled yet; the value is typed as serde_json::Value"));
        TypeRef::Json
    }

    fn lower_items(&mut self, items: Option<&'a ReferenceOr<Box<Schema>>>, hint: &str, at: &str) -> TypeRef {
        let item = match items {
            Some(items) => {
                let at = child(at, ["items"]);
                let item = self.lower_boxed(items, &format!("{hint}Item"), &at);
                let item = self.field_only(item, &at);
                or_null(item, self.resolve_boxed(items))
            }
            None => TypeRef::Json,
        };
        TypeRef::Array(Box::new(item))
    }

    fn lower_map(&mut self, additional: Option<&'a AdditionalProperties>, hint: &str, at: &str) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(value)) => {
                let at = child(at, ["additionalProperties"]);
                let ty = self.lower_schema(value, &format!("{hint}Value"), &at);
                let ty = self.field_only(ty, &at);
                TypeRef::Map(Box::new(or_null(ty, self.resolve_schema(value))))
            }
            _ => TypeRef::Json,
        }
    }

    /// Types that only a struct field can carry (they need a serde
    /// attribute) become `String` anywhere else, with a warning.
    pub(super) fn field_only(&mut self, ty: TypeRef, at: &str) -> TypeRef {
        if ty != TypeRef::DateTimeRfc2822 {
            return ty;
        }
        self.sink.warning(at, "an RFC 2822 date-time outside an object property is kept as text (String)");
        TypeRef::String
    }

    /// Creates a struct named `name` (already unique) for an object schema
    /// (or an `allOf` of them) and returns the name.
    pub(super) fn define_struct(&mut self, schema: &'a Schema, name: String, at: &str) -> String {
        if let Some(union) = self.union_in_all_of(schema, at) {
            return self.define_all_of_union(schema, name, at, union);
        }
        let (properties, required) = self.properties(schema, at);
        let left_out: Vec<&str> = required
            .iter()
            .copied()
            .filter(|wire| self.left_out.contains(&(schema as *const Schema as usize, (*wire).to_owned())))
            .collect();
        let mut fields = self.lower_fields(&name, &properties, &required);
        for field in fields.iter_mut().filter(|f| left_out.contains(&f.wire_name.as_str())) {
            field.optional = true;
            field.docs.push("Required by the spec, but its examples leave it out: optional here.".to_owned());
        }
        let mut docs = docs_of(schema);
        match self.additional_properties(schema, at, 0) {
            Some((AdditionalProperties::Any(false), _)) => {
                // Decoding still skips unknown keys: a property the server
                // adds later must not fail responses.
                docs.push("The spec allows no properties other than these.".to_owned());
            }
            Some((additional, rest_at)) => {
                let value = match additional {
                    AdditionalProperties::Schema(value) => {
                        let ty = self.lower_schema(value, &format!("{name}Value"), &rest_at);
                        let ty = self.field_only(ty, &rest_at);
                        or_null(ty, self.resolve_schema(value))
                    }
                    AdditionalProperties::Any(_) => TypeRef::Json,
                };
                let taken: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                let rest_name = (1..)
                    .map(|n| if n == 1 { "additional_properties".to_owned() } else { format!("additional_properties_{n}") })
                    .find(|candidate| !taken.contains(&candidate.as_str()))
                    .expect("an unused name");
                fields.push(Field {
                    name: rest_name,
                    wire_name: String::new(),
                    docs: vec!["The object's other properties, by name.".to_owned()],
                    ty: TypeRef::Map(Box::new(value)),
                    optional: false,
                    boxed: false,
                    sensitive: false,
                    constraints: Constraints::default(),
                    rest: true,
                });
            }
            None => {}
        }
        self.types.push(TypeDef::Struct(StructDef { name: name.clone(), docs, fields, validated: false, in_requests: false }));
        name
    }

    /// What an object schema (or the first member of its `allOf` that says)
    /// gives as `additionalProperties`, and where.
    fn additional_properties(
        &self,
        schema: &'a Schema,
        at: &str,
        depth: usize,
    ) -> Option<(&'a AdditionalProperties, String)> {
        let (own, all_of): (Option<&'a AdditionalProperties>, &'a [ReferenceOr<Schema>]) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (o.additional_properties.as_ref(), &[]),
            SchemaKind::Any(a) => (a.additional_properties.as_ref(), &a.all_of),
            SchemaKind::AllOf { all_of } => (None, all_of),
            _ => return None,
        };
        if let Some(own) = own {
            return Some((own, child(at, ["additionalProperties"])));
        }
        all_of.iter().enumerate().filter(|_| depth < 32).find_map(|(i, member)| {
            self.additional_properties(self.resolve_schema(member)?, &member_pointer(at, "allOf", i, member), depth + 1)
        })
    }

    /// The properties of a struct-shaped schema, with their JSON pointers, and
    /// the names of the required ones.
    pub(super) fn properties(&mut self, schema: &'a Schema, at: &str) -> (Properties<'a>, Vec<&'a str>) {
        let (properties, required, problems) = self.object_parts(schema, at);
        for problem in problems {
            match problem {
                Problem::NotAnObject(at) => self.sink.warning(at, "an allOf member that is not an object adds no properties; it is ignored"),
                Problem::Unresolved(at) => self.sink.degraded(at, "allOf member cannot be resolved (a missing or cyclic $ref); its properties are left out"),
            }
        }
        (properties, required)
    }

    /// What [`Ctx::properties`] finds, with the problems it would report
    /// instead of reporting them (the examples are read with it too, before
    /// any type is made).
    pub(super) fn object_parts(&self, schema: &'a Schema, at: &str) -> (Properties<'a>, Vec<&'a str>, Vec<Problem>) {
        let mut parts = (IndexMap::new(), Vec::new(), Vec::new());
        self.collect_properties(schema, at, &mut parts, 0);
        parts
    }

    /// Gathers the properties of an object schema and of every object in its
    /// `allOf`, with their JSON pointers. A later schema's property replaces
    /// an earlier one of the same name in place.
    fn collect_properties(
        &self,
        schema: &'a Schema,
        at: &str,
        parts: &mut (Properties<'a>, Vec<&'a str>, Vec<Problem>),
        depth: usize,
    ) {
        let (own, own_required, all_of): (Option<&'a IndexMap<String, _>>, &'a [String], &'a [ReferenceOr<Schema>]) =
            match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => (Some(&o.properties), &o.required, &[]),
                SchemaKind::Any(a) => (Some(&a.properties), &a.required, &a.all_of),
                SchemaKind::AllOf { all_of } => (None, &[], all_of),
                _ => {
                    parts.2.push(Problem::NotAnObject(at.to_owned()));
                    return;
                }
            };
        for (i, member) in all_of.iter().enumerate() {
            let member_at = member_pointer(at, "allOf", i, member);
            match self.resolve_schema(member) {
                Some(member) if depth < 32 => self.collect_properties(member, &member_at, parts, depth + 1),
                _ => parts.2.push(Problem::Unresolved(child(at, ["allOf", &i.to_string()]))),
            }
        }
        let (properties, required, _) = parts;
        for (wire, prop) in own.into_iter().flatten() {
            properties.insert(wire, (prop, child(at, ["properties", wire])));
        }
        required.extend(own_required.iter().map(String::as_str));
    }

    pub(super) fn lower_fields(
        &mut self,
        owner: &str,
        properties: &Properties<'a>,
        required: &[&str],
    ) -> Vec<Field> {
        let mut namer = Namer::default();
        properties
            .iter()
            .map(|(&wire, (prop, prop_at))| {
                let ty = self.lower_boxed(prop, &format!("{owner}{}", camel(wire)), prop_at);
                let resolved = self.resolve_boxed(prop);
                let nullable = resolved.is_some_and(|s| s.schema_data.nullable);
                let constraints = match resolved {
                    Some(s) => self.constraints_of(s, prop_at).fit(&ty),
                    None => Constraints::default(),
                };
                // A read-only property is absent from requests and a
                // write-only one from responses: either may be missing.
                let one_way = resolved.is_some_and(|s| s.schema_data.read_only || s.schema_data.write_only);
                let mut docs = resolved.map(docs_of).unwrap_or_default();
                docs.extend(resolved.map(notes).unwrap_or_default());
                Field {
                    name: namer.unique(snake(wire)),
                    wire_name: wire.to_owned(),
                    docs,
                    ty,
                    optional: nullable || one_way || !required.contains(&wire),
                    boxed: false,
                    sensitive: resolved.is_some_and(|s| self.conventions.is_sensitive(&s.schema_data.extensions)),
                    constraints,
                    rest: false,
                }
            })
            .collect()
    }

    pub(super) fn resolve_boxed(&self, schema: &'a ReferenceOr<Box<Schema>>) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(s) => Some(s),
            ReferenceOr::Reference { reference } => self.resolve_key(reference),
        }
    }

    /// Creates an open enum named `name` (already unique) for a string or
    /// integer enum schema and returns the name.
    pub(super) fn define_enum(&mut self, schema: &'a Schema, name: String) -> String {
        // A string enum, or a `oneOf` of them (see `shape`): all their values.
        let members: Vec<&Schema> = match union_of(schema) {
            Some((_, members)) => members.into_iter().filter_map(|(_, m)| m.as_item()).collect(),
            None => vec![schema],
        };
        let mut values: Vec<String> = Vec::new();
        let mut integer = false;
        for member in members {
            let member_values: Vec<String> = match &member.schema_kind {
                SchemaKind::Type(Type::String(s)) => string_values(&s.enumeration).into_iter().map(str::to_owned).collect(),
                SchemaKind::Type(Type::Integer(i)) => {
                    integer = true;
                    i.enumeration.iter().flatten().map(i64::to_string).collect()
                }
                _ => unreachable!("define_enum is only called for Shape::Enum"),
            };
            for value in member_values {
                if !values.contains(&value) {
                    values.push(value);
                }
            }
        }
        let mut namer = Namer::default();
        let variants = values
            .into_iter()
            .map(|value| {
                let wanted = if value.is_empty() { "Empty".to_owned() } else { camel(&value) };
                Variant { name: namer.unique(wanted), value }
            })
            .collect();
        let other_variant = namer.unique("Unrecognized".to_owned());
        let docs = docs_of(schema);
        self.types.push(TypeDef::Enum(EnumDef { name: name.clone(), docs, variants, other_variant, integer }));
        name
    }

    /// Validation rules a schema places on a single value.
    pub(super) fn constraints(&mut self, schema: &'a ReferenceOr<Schema>, at: &str) -> Constraints {
        let Some(schema) = self.resolve_schema(schema) else { return Constraints::default() };
        self.constraints_of(schema, at)
    }

    pub(super) fn constraints_of(&mut self, schema: &'a Schema, at: &str) -> Constraints {
        self.constraints_nested(schema, at, 0)
    }

    /// `depth` counts nested array schemas: `$ref`s can make an array its own
    /// item, and checks that deep are not worth generating.
    fn constraints_nested(&mut self, schema: &'a Schema, at: &str, depth: usize) -> Constraints {
        // An `allOf` around one schema checks as that schema (see
        // `sole_all_of_member`).
        if let Some((i, member)) = sole_all_of_member(schema)
            && let Some(inner) = self.resolve_schema(member)
            && depth < 8
        {
            return self.constraints_nested(inner, &child(at, ["allOf", &i.to_string()]), depth + 1);
        }
        let mut c = Constraints::default();
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                c.pattern = s.pattern.clone();
                c.min_length = s.min_length.map(|n| n as u64);
                c.max_length = s.max_length.map(|n| n as u64);
            }
            SchemaKind::Type(Type::Integer(i)) => {
                c.minimum = i.minimum.map(|n| n as f64 + if i.exclusive_minimum { 1.0 } else { 0.0 });
                c.maximum = i.maximum.map(|n| n as f64 - if i.exclusive_maximum { 1.0 } else { 0.0 });
            }
            SchemaKind::Type(Type::Number(n)) => {
                c.minimum = n.minimum;
                c.maximum = n.maximum;
            }
            SchemaKind::Type(Type::Array(a)) => {
                c.min_items = a.min_items.map(|n| n as u64);
                c.max_items = a.max_items.map(|n| n as u64);
                let items = a.items.as_ref().and_then(|i| self.resolve_boxed(i)).filter(|_| depth < 8);
                if let Some(items) = items {
                    let items = self.constraints_nested(items, &child(at, ["items"]), depth + 1);
                    c.items = (!items.is_empty()).then(|| Box::new(items));
                }
            }
            _ => {}
        }
        if let Some(pattern) = c.pattern.take() {
            // Compiling a regex is slow and specs repeat their patterns (every
            // SID kind), so each is looked at once.
            let known = self.patterns.entry(pattern.clone()).or_insert_with(|| {
                regex_lite::Regex::new(&pattern).map(|_| super::pattern::value_lengths(&pattern)).map_err(|e| e.to_string())
            });
            match known {
                Ok(lengths) => {
                    // A length the pattern already guarantees is not checked twice.
                    if let Some((fewest, most)) = *lengths {
                        c.min_length = c.min_length.filter(|&min| fewest < min);
                        c.max_length = c.max_length.filter(|&max| most.is_none_or(|most| most > max));
                    }
                    c.pattern = Some(pattern);
                }
                Err(e) => {
                    let message = format!("pattern `{pattern}` is not supported by the regex engine ({e}); it is not checked before sending");
                    self.sink.warning(child(at, ["pattern"]), message);
                }
            }
        }
        c
    }
}

/// Documentation paragraphs of a schema, from its description.
pub(super) fn docs_of(schema: &Schema) -> Vec<String> {
    super::docs(schema.schema_data.description.as_deref())
}

/// What a property's schema says beyond its description: read-only,
/// write-only, deprecated, its default.
fn notes(schema: &Schema) -> Vec<String> {
    let data = &schema.schema_data;
    let mut notes = Vec::new();
    if data.read_only {
        notes.push("Read-only: the server sets it, and requests leave it out unless it is set.".to_owned());
    }
    if data.write_only {
        notes.push("Write-only: sent in requests, never in responses.".to_owned());
    }
    if data.deprecated {
        notes.push("Deprecated.".to_owned());
    }
    // Short ones: a large object would drown the field's docs.
    if let Some(default) = data.default.as_ref().map(|d| d.to_string()).filter(|d| d.len() <= 80) {
        // Text in backticks; a backtick inside would end it.
        notes.push(format!("Default: `{}`.", default.replace('`', "'")));
    }
    notes
}

/// An array item or map value that the spec lets be `null` is an `Option`
/// (`serde_json::Value` holds `null` already).
fn or_null(ty: TypeRef, schema: Option<&Schema>) -> TypeRef {
    match schema {
        Some(schema) if schema.schema_data.nullable && ty != TypeRef::Json => TypeRef::Nullable(Box::new(ty)),
        _ => ty,
    }
}

/// The one member of an `allOf` that says what the value is, when the
/// others only constrain it (`{required: [...]}`) and the schema adds no
/// properties of its own.
fn sole_all_of_member(schema: &Schema) -> Option<(usize, &ReferenceOr<Schema>)> {
    let members = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(a)
            if a.typ.is_none()
                && a.properties.is_empty()
                && a.additional_properties.is_none()
                && a.items.is_none()
                && a.one_of.is_empty()
                && a.any_of.is_empty() =>
        {
            &a.all_of
        }
        _ => return None,
    };
    let mut carrying = members.iter().enumerate().filter(|(_, member)| match member {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(s) => !only_constrains(s),
    });
    match (carrying.next(), carrying.next()) {
        (Some(sole), None) => Some(sole),
        _ => None,
    }
}

/// A schema that names no type, properties, items or members: only
/// constraints (`required`, bounds) or documentation.
fn only_constrains(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(a) => {
            a.typ.is_none()
                && a.properties.is_empty()
                && a.additional_properties.is_none()
                && a.items.is_none()
                && a.all_of.is_empty()
                && a.one_of.is_empty()
                && a.any_of.is_empty()
                && a.enumeration.is_empty()
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn component_names_use_the_shortest_unique_tail() {
        let keys = [
            "api.v2010.account.message",
            "api.v2010.account.call.message",
            "proxy.v1.service.session.participant.message_interaction",
            "message_enum_status",
        ];
        let mut namer = Namer::with_reserved(&[]);
        let names = component_names(&keys, &mut namer);
        assert_eq!(names["api.v2010.account.message"], "AccountMessage");
        assert_eq!(names["api.v2010.account.call.message"], "CallMessage");
        assert_eq!(names["proxy.v1.service.session.participant.message_interaction"], "MessageInteraction");
        assert_eq!(names["message_enum_status"], "MessageEnumStatus");
    }

    #[test]
    fn only_true_false_enums_become_bool() {
        assert!(is_bool_enum(&["true", "false"]));
        assert!(is_bool_enum(&["false", "true", "true"]));
        assert!(!is_bool_enum(&["true", "false", "unknown"]));
        assert!(!is_bool_enum(&["true"]));
    }
}
