//! Stage 2: `openapiv3::OpenAPI` to the IR.
//!
//! Resolves `$ref`s, chooses every Rust name and plans which resource each
//! operation belongs to; the passes in `crate::passes` then refine what this
//! produces. All problems go to the [`Sink`]; lowering carries on past errors
//! so that one run reports them all.

mod examples;
mod operation;
mod pattern;
mod schema;
mod union;

use std::collections::BTreeMap;

use openapiv3::OpenAPI;

use crate::conventions::Conventions;
use crate::diagnostics::Sink;
use crate::ir::{AliasDef, Lowered, Operation, TypeDef, TypeRef};
use crate::names::Namer;
use schema::Shape;


/// State shared by the lowering of one document.
pub(crate) struct Ctx<'a> {
    api: &'a OpenAPI,
    conventions: &'a dyn Conventions,
    sink: &'a mut Sink,
    /// Component schema key to Rust name, for those that become named types.
    component_types: BTreeMap<String, String>,
    /// One namespace for every type-level name of the API: models and request structs.
    type_namer: Namer,
    /// Every named type created so far, in creation order.
    types: Vec<TypeDef>,
    /// Component keys whose lowering is in progress, to report alias cycles.
    resolving: Vec<String>,
    /// What each inline-shaped component (array, string, alias) lowered
    /// to, so that types it creates are created once.
    inline_components: BTreeMap<String, TypeRef>,
    /// The type made for each inline object or enum schema, by the schema's
    /// address: reached again (through an `allOf` that includes its own
    /// parent, say), it is the same type, not a new one. Only looked up,
    /// never iterated, so addresses cannot reach the output.
    inline_types: BTreeMap<usize, String>,
    /// Required properties that the spec's own examples leave out, by the
    /// address of the object schema and the property's name (see
    /// `examples.rs`). Only looked up, like `inline_types`.
    left_out: std::collections::BTreeSet<(usize, String)>,
    /// How many schemas deep lowering is; see [`MAX_DEPTH`].
    depth: usize,
    /// Each `pattern` seen: the lengths it implies, or why the regex engine
    /// refuses it. Only looked up, never iterated.
    patterns: BTreeMap<String, Result<Option<pattern::Lengths>, String>>,
}

/// Schemas nested deeper than this (inline, or through chains of `$ref`s)
/// are any JSON value: nothing real comes close (Twilio's nest 7 deep), the
/// generated types would be unreadable, and rendering types nested much
/// deeper exhausts a 2 MiB thread's stack (rayon's and the test harness's)
/// in a debug build. The same bound as `lenient::MAX_SCHEMA_DEPTH` (which
/// counts the schemas around one, not the schema itself).
const MAX_DEPTH: usize = crate::load::MAX_SCHEMA_DEPTH + 1;

/// Lowers one document. `source` is the spec's display path, `module` the
/// Rust module it becomes.
pub fn lower(api: &OpenAPI, source: &str, module: &str, conventions: &dyn Conventions, sink: &mut Sink) -> Lowered {
    let mut ctx = Ctx {
        api,
        conventions,
        sink,
        component_types: BTreeMap::new(),
        type_namer: Namer::with_reserved(crate::names::RESERVED_TYPE_NAMES),
        types: Vec::new(),
        resolving: Vec::new(),
        inline_components: BTreeMap::new(),
        inline_types: BTreeMap::new(),
        left_out: Default::default(),
        depth: 0,
        patterns: BTreeMap::new(),
    };

    // Names first, in a fixed order, so that no name depends on which
    // operation happened to mention a schema first.
    let schemas = api.components.as_ref().map(|c| &c.schemas);
    let keys: Vec<&str> = schemas.into_iter().flatten().map(|(k, _)| k.as_str()).collect();
    let mut names = schema::component_names(&keys, &mut ctx.type_namer);
    let shapes: BTreeMap<&str, Shape> = schemas
        .into_iter()
        .flatten()
        .map(|(k, s)| (k.as_str(), s.as_item().map_or(Shape::Inline, schema::shape)))
        .collect();
    ctx.component_types =
        names.iter().filter(|(k, _)| shapes[k.as_str()] != Shape::Inline).map(|(k, n)| (k.clone(), n.clone())).collect();
    let planned = operation::plan(&mut ctx, module);
    ctx.read_examples();

    // Every component schema becomes a type, used or not: objects structs,
    // enums enums, and the rest a type alias.
    for (key, schema) in schemas.into_iter().flatten() {
        let Some(name) = names.remove(key) else { continue };
        let at = crate::diagnostics::pointer(["components", "schemas", key]);
        match (schema.as_item(), shapes[key.as_str()]) {
            (Some(schema), Shape::Struct) => drop(ctx.define_struct(schema, name, &at)),
            (Some(schema), Shape::Enum) => drop(ctx.define_enum(schema, name)),
            (Some(schema), Shape::Union) => drop(ctx.define_union(schema, name, &at)),
            (item, _) => {
                let ty = ctx.lower_reference(&format!("{}{key}", schema::SCHEMA_PREFIX), &at);
                let docs = item.map(schema::docs_of).unwrap_or_default();
                ctx.types.push(TypeDef::Alias(AliasDef { name, docs, ty }));
            }
        }
    }

    let mut operations: Vec<(String, Operation)> = Vec::new();
    for plan in &planned {
        if let Some(op) = ctx.lower_operation(plan) {
            operations.push((plan.resource.clone(), op));
        }
    }
    // The docs of each resource: those of the tag it came from.
    let resource_docs = api
        .tags
        .iter()
        .map(|t| (conventions.resource_module(&t.name, module), docs(t.description.as_deref())))
        .rev() // The first tag of a module wins.
        .collect();
    Lowered {
        source: source.to_owned(),
        module: module.to_owned(),
        title: api.info.title.clone(),
        docs: docs(api.info.description.as_deref()),
        operations,
        types: std::mem::take(&mut ctx.types),
        inline_types: ctx.inline_types.into_values().collect(),
        resource_docs,
    }
}

/// Cleans free text from the spec into doc-comment paragraphs.
///
/// Lines of a paragraph are joined, so Markdown lists and indented blocks
/// flatten into prose: rustdoc would otherwise run indented text as doctests
/// and clippy would flag list continuations. Code fences are neutralised for
/// the same reason.
pub(crate) fn docs(text: Option<&str>) -> Vec<String> {
    let Some(text) = text else { return Vec::new() };
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|para| {
            let joined: Vec<&str> = para.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            joined.join(" ").replace("```", "'''")
        })
        .filter(|p| !p.is_empty())
        .collect()
}

