//! Lowering `oneOf` and `anyOf` to enums with a variant per member.
//!
//! Without a discriminator the runtime decodes a value as each variant in
//! the order chosen here, and the first that fits wins; so the order is what
//! keeps a value from landing in the wrong variant:
//!
//! 1. scalars, whose JSON types do not overlap: booleans, integers (before
//!    numbers, which would also take them); strings with a format (dates,
//!    date-times) before enums and plain strings; then numbers (which also
//!    read a string of digits, that belongs to a string variant);
//! 2. arrays;
//! 3. objects with more required properties before those with fewer (an
//!    object with none fits almost any object); then nested unions;
//! 4. catch-alls last: maps and free-form values.
//!
//! Within a rank, the spec's order. With a discriminator whose every member
//! is a `$ref`, the property's value picks the variant instead: the
//! `mapping` where it names the member, else the member's schema name.
//! `anyOf` is read like `oneOf`: the first member that fits is the value,
//! and properties only another member declares are not kept (as with any
//! property a struct does not declare). Of the 34 `anyOf`s in GitHub's
//! spec, 7 only list required properties (constraints, not variants), 12
//! are scalars, arrays, or a string and an object (alternatives, read
//! exactly), and 15 are objects or `$ref`s to them (timeline events and the
//! like, each with its own required properties), which the order by
//! required properties tells apart. Merging overlapping members into one
//! struct is not done.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::Ctx;
use super::schema::{Problem, SCHEMA_PREFIX, Shape, docs_of, member_pointer, shape, union_of};
use crate::diagnostics::child;
use crate::ir::{TypeDef, TypeRef, UnionDef, UnionVariant};
use crate::names::{Namer, camel};

impl<'a> Ctx<'a> {
    /// Creates the enum named `name` (already unique) for a `oneOf`/`anyOf`
    /// schema (see [`super::schema::Shape::Union`]) and returns the name.
    pub(super) fn define_union(&mut self, schema: &'a Schema, name: String, at: &str) -> String {
        let (keyword, members) = union_of(schema).unwrap_or(("oneOf", Vec::new()));
        let discriminator = schema.schema_data.discriminator.as_ref();
        // Each with its rank and, under a discriminator, its tags.
        let mut variants = Vec::new();
        let mut variant_names = Namer::default();
        for (i, member) in members {
            let member_at = child(at, [keyword, &i.to_string()]);
            let resolved = self.resolve_schema(member);
            let required = resolved.map(|s| self.object_parts(s, "").1).unwrap_or_default();
            let kind = match resolved.map(kind_name).unwrap_or("Value") {
                // An inline object is named by what it requires, if that
                // is short (`{email}` and `{phone}`: `Email`, `Phone`).
                "Object" if member.as_item().is_some() && (1..=3).contains(&required.len()) => camel(&required.join(" ")),
                kind => kind.to_owned(),
            };
            let hint = match member {
                ReferenceOr::Item(s) => s.schema_data.title.as_deref().map(camel).unwrap_or_else(|| format!("{name}{kind}")),
                ReferenceOr::Reference { .. } => format!("{name}{kind}"),
            };
            let ty = self.lower_schema(member, &hint, &member_at);
            let ty = self.field_only(ty, &member_at);
            let wanted = match (&ty, member) {
                (TypeRef::Named(named), ReferenceOr::Reference { .. }) => named.clone(),
                _ => kind,
            };
            let constraints = resolved.map(|s| self.constraints_of(s, &member_at).fit(&ty)).unwrap_or_default();
            let rank = rank(&ty, resolved, required.len());
            let tags = discriminator.and_then(|d| tags(d, member));
            let variant = UnionVariant { name: variant_names.unique(wanted), ty, tags: Vec::new(), constraints };
            variants.push((rank, tags, variant));
        }
        self.finish_union(schema, name, discriminator, variants, variant_names)
    }

    /// Tags the variants when every one has tags, else orders them for
    /// trial; adds the catch-all and the enum.
    fn finish_union(
        &mut self,
        schema: &'a Schema,
        name: String,
        discriminator: Option<&openapiv3::Discriminator>,
        mut variants: Vec<Candidate>,
        mut variant_names: Namer,
    ) -> String {
        // Tagged when every member is a `$ref` the discriminator can name.
        let tag = discriminator.filter(|_| variants.iter().all(|(_, tags, _)| tags.is_some())).map(|d| d.property_name.clone());
        if tag.is_some() {
            for (_, tags, variant) in &mut variants {
                variant.tags = tags.take().unwrap_or_default();
            }
        } else {
            // Stable: the spec's order within a rank.
            variants.sort_by_key(|(rank, _, _)| *rank);
        }
        let other_variant = variant_names.unique("Other".to_owned());
        let variants = variants.into_iter().map(|(_, _, variant)| variant).collect();
        self.types.push(TypeDef::Union(UnionDef { name: name.clone(), docs: docs_of(schema), variants, tag, other_variant, validated: false }));
        name
    }
}

/// A variant before the union is finished: its rank in the order of trial
/// (see [`rank`]), its discriminator tags if it has any, the variant.
type Candidate = ((u8, usize), Option<Vec<String>>, UnionVariant);

/// A `oneOf`/`anyOf` of objects among the members of an `allOf`: the
/// member's index, the union schema and its pointer.
pub(super) struct AllOfUnion<'a> {
    /// The pointer of the `allOf` member, as [`Ctx::object_parts`] names it.
    member_at: String,
    /// `oneOf` or `anyOf`.
    keyword: &'static str,
    schema: &'a Schema,
}

impl<'a> Ctx<'a> {
    /// The one member of `schema`'s `allOf` that is a union of two or more
    /// objects, if there is exactly one.
    pub(super) fn union_in_all_of(&self, schema: &'a Schema, at: &str) -> Option<AllOfUnion<'a>> {
        let all_of = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::Any(a) => &a.all_of,
            _ => return None,
        };
        let mut unions = all_of.iter().enumerate().filter_map(|(index, member)| {
            let resolved = self.resolve_schema(member)?;
            let (keyword, members) = union_of(resolved)?;
            let objects = members.iter().all(|(_, m)| self.resolve_schema(m).is_some_and(|m| self.object_parts(m, "").2.is_empty()));
            let member_at = member_pointer(at, "allOf", index, member);
            (members.len() >= 2 && objects).then_some(AllOfUnion { member_at, keyword, schema: resolved })
        });
        let union = unions.next()?;
        unions.next().is_none().then_some(union)
    }

    /// An `allOf` of objects and one union of objects (`allOf: [Base,
    /// {oneOf: [A, B]}]`) is the union of the merged objects: an enum whose
    /// variants are structs with Base's properties and A's, Base's and B's.
    /// Tags, names and the order of trial are as for any union.
    pub(super) fn define_all_of_union(&mut self, schema: &'a Schema, name: String, at: &str, union: AllOfUnion<'a>) -> String {
        let (common, mut common_required, problems) = self.object_parts(schema, at);
        for problem in problems {
            match problem {
                // The union is the one member that is not an object.
                Problem::NotAnObject(p) if p == union.member_at => {}
                Problem::NotAnObject(p) => self.sink.warning(p, "an allOf member that is not an object adds no properties; it is ignored"),
                Problem::Unresolved(p) => self.sink.degraded(p, "allOf member cannot be resolved (a missing or cyclic $ref); its properties are left out"),
            }
        }
        common_required.sort_unstable();
        common_required.dedup();
        let discriminator = union.schema.schema_data.discriminator.as_ref().or(schema.schema_data.discriminator.as_ref());
        let (_, members) = union_of(union.schema).unwrap_or(("oneOf", Vec::new()));
        let mut variants = Vec::new();
        let mut variant_names = Namer::default();
        for (i, member) in members {
            let Some(resolved) = self.resolve_schema(member) else { continue };
            let member_at = member_pointer(&union.member_at, union.keyword, i, member);
            let (own, own_required, _) = self.object_parts(resolved, &member_at);
            let wanted = match member {
                ReferenceOr::Reference { reference } => camel(reference.strip_prefix(SCHEMA_PREFIX).unwrap_or(reference)),
                ReferenceOr::Item(s) => s.schema_data.title.as_deref().map(camel).unwrap_or_else(|| {
                    if (1..=3).contains(&own_required.len()) { camel(&own_required.join(" ")) } else { "Object".to_owned() }
                }),
            };
            let mut properties = common.clone();
            properties.extend(own);
            let mut required = common_required.clone();
            required.extend(own_required);
            let variant = variant_names.unique(wanted);
            let struct_name = self.type_namer.unique(format!("{name}{variant}"));
            let fields = self.lower_fields(&struct_name, &properties, &required);
            self.types.push(TypeDef::Struct(crate::ir::StructDef { name: struct_name.clone(), docs: docs_of(resolved), fields, validated: false, in_requests: false }));
            let ty = TypeRef::Named(struct_name);
            let rank = rank(&ty, None, required.len());
            let tags = discriminator.and_then(|d| tags(d, member));
            variants.push((rank, tags, UnionVariant { name: variant, ty, tags: Vec::new(), constraints: Default::default() }));
        }
        self.finish_union(schema, name, discriminator, variants, variant_names)
    }
}

/// The discriminator values that pick `member`: the `mapping` keys that
/// name it, else its schema name; `None` for a member that is not a `$ref`.
fn tags(discriminator: &openapiv3::Discriminator, member: &ReferenceOr<Schema>) -> Option<Vec<String>> {
    let ReferenceOr::Reference { reference } = member else { return None };
    let key = reference.strip_prefix(SCHEMA_PREFIX)?;
    let mapped: Vec<String> = discriminator
        .mapping
        .iter()
        .filter(|(_, target)| *target == reference || target.as_str() == key)
        .map(|(value, _)| value.clone())
        .collect();
    Some(if mapped.is_empty() { vec![key.to_owned()] } else { mapped })
}

/// A variant's name for a member that is not a `$ref` (and the tail of the
/// type name of an inline object).
fn kind_name(schema: &Schema) -> &'static str {
    let typ = match &schema.schema_kind {
        SchemaKind::Type(Type::String(_)) => "string",
        SchemaKind::Type(Type::Integer(_)) => "integer",
        SchemaKind::Type(Type::Number(_)) => "number",
        SchemaKind::Type(Type::Boolean(_)) => "boolean",
        SchemaKind::Type(Type::Array(_)) => "array",
        SchemaKind::Type(Type::Object(_)) => "object",
        SchemaKind::Any(a) => a.typ.as_deref().unwrap_or(if a.properties.is_empty() { "" } else { "object" }),
        SchemaKind::AllOf { .. } => "object",
        _ => "",
    };
    match typ {
        "string" => "String",
        "integer" => "Integer",
        "number" => "Number",
        "boolean" => "Boolean",
        "array" => "Array",
        "object" => "Object",
        _ => "Value",
    }
}

/// Where a variant goes in the order of trial (see the module docs):
/// lower first. `required` is how many properties an object member
/// requires (its `allOf` members' too).
fn rank(ty: &TypeRef, schema: Option<&Schema>, required: usize) -> (u8, usize) {
    let is_enum = schema.is_some_and(|s| shape(s) == Shape::Enum);
    match ty {
        TypeRef::Bool => (0, 0),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => (1, 0),
        TypeRef::DateTime
        | TypeRef::DateTimeRfc2822
        | TypeRef::Date
        | TypeRef::Binary
        | TypeRef::Uuid
        | TypeRef::Base64
        | TypeRef::IpAddr
        | TypeRef::Ipv4Addr
        | TypeRef::Ipv6Addr => (2, 0),
        TypeRef::Named(_) if is_enum => (3, 0),
        TypeRef::String => (4, 0),
        // After strings: `rt::Number` also reads a string of digits, which
        // is the string's.
        TypeRef::Number => (5, 0),
        TypeRef::Array(_) => (6, 0),
        // More required properties first: `usize::MAX - n` sorts them so.
        TypeRef::Named(_) => (7, usize::MAX - required),
        TypeRef::Map(_) => (8, 0),
        TypeRef::Json => (9, 0),
        TypeRef::Nullable(inner) => rank(inner, schema, required),
    }
}
