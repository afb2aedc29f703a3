//! Stage 2: `openapiv3::OpenAPI` to the IR.
//!
//! Resolves `$ref`s, chooses every Rust name, groups operations into
//! resources and places each model next to the operations that use it. All
//! problems go to the [`Sink`]; lowering carries on past errors so that one
//! run reports them all.

pub(crate) mod names;
mod operation;
mod pattern;
mod schema;

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::OpenAPI;

use crate::diagnostics::Sink;
use crate::ir::{AliasDef, Api, Operation, Resource, TypeDef, TypeRef};
use crate::twilio;
use names::{Namer, snake};
use schema::Shape;

/// Names generated code uses unqualified; no model may take them.
const RESERVED_TYPE_NAMES: &[&str] = &["Option", "Result", "String", "Vec", "Box", "Some", "None", "Ok", "Err"];

/// The module that holds models used by more than one resource (or by none).
pub const SHARED_MODULE: &str = "shared";

/// State shared by the lowering of one document.
pub(crate) struct Ctx<'a> {
    api: &'a OpenAPI,
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
    /// How many schemas deep lowering is; see [`MAX_DEPTH`].
    depth: usize,
}

/// Schemas nested deeper than this (inline, or through chains of `$ref`s)
/// are refused: nothing real comes close, and the generated types would be
/// unreadable (and the recursion would exhaust a thread's stack).
const MAX_DEPTH: usize = 32;

/// Lowers one document. `source` is the spec's display path, `module` the
/// Rust module it becomes.
pub fn lower(api: &OpenAPI, source: &str, module: &str, sink: &mut Sink) -> Api {
    let mut ctx = Ctx {
        api,
        sink,
        component_types: BTreeMap::new(),
        type_namer: Namer::with_reserved(RESERVED_TYPE_NAMES),
        types: Vec::new(),
        resolving: Vec::new(),
        inline_components: BTreeMap::new(),
        inline_types: BTreeMap::new(),
        depth: 0,
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

    // Every component schema becomes a type, used or not: objects structs,
    // enums enums, and the rest a type alias.
    for (key, schema) in schemas.into_iter().flatten() {
        let Some(name) = names.remove(key) else { continue };
        let at = crate::diagnostics::pointer(["components", "schemas", key]);
        match (schema.as_item(), shapes[key.as_str()]) {
            (Some(schema), Shape::Struct) => drop(ctx.define_struct(schema, name, &at)),
            (Some(schema), Shape::Enum) => drop(ctx.define_enum(schema, name)),
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
    for (_, op) in &mut operations {
        op.pagination = twilio::pagination(op, &ctx.types);
    }

    let mut types = std::mem::take(&mut ctx.types);
    box_cycles(&mut types);
    mark_validated(&mut types, operations.iter().map(|(_, op)| op));
    let resources = group(module, api, operations, types);
    Api {
        source: source.to_owned(),
        module: module.to_owned(),
        title: api.info.title.clone(),
        docs: docs(api.info.description.as_deref()),
        resources,
    }
}

/// Builds the resources: operations by their planned module, and each type
/// in the one module whose operations use it, or in [`SHARED_MODULE`].
fn group(module: &str, api: &OpenAPI, operations: Vec<(String, Operation)>, types: Vec<TypeDef>) -> Vec<Resource> {
    let by_name: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name(), t)).collect();
    let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (resource, op) in &operations {
        let mut reached = BTreeSet::new();
        let roots = op.params.iter().map(|p| &p.ty).chain(op.response.as_ref());
        for root in roots {
            reach(root, &by_name, &mut reached);
        }
        for name in reached {
            users.entry(name).or_default().insert(resource.clone());
        }
    }
    let homes: Vec<String> = types
        .iter()
        .map(|ty| match users.get(ty.name()) {
            Some(set) if set.len() == 1 => set.iter().next().cloned().unwrap_or_default(),
            _ => SHARED_MODULE.to_owned(),
        })
        .collect();

    let mut resources: BTreeMap<String, Resource> = BTreeMap::new();
    let new_resource = |home: &String| Resource {
        module: home.clone(),
        docs: tag_docs(api, module, home),
        types: Vec::new(),
        operations: Vec::new(),
    };
    for (home, op) in operations {
        resources.entry(home.clone()).or_insert_with(|| new_resource(&home)).operations.push(op);
    }
    for (home, ty) in homes.into_iter().zip(types) {
        resources.entry(home.clone()).or_insert_with(|| new_resource(&home)).types.push(ty);
    }
    resources.into_values().collect()
}

/// Marks as boxed every struct field through which the struct contains
/// itself directly (`Option` and plain fields; a `Vec` or map already puts
/// its items on the heap).
fn box_cycles(types: &mut [TypeDef]) {
    let direct: BTreeMap<String, Vec<String>> = types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some((
                s.name.clone(),
                s.fields
                    .iter()
                    .filter_map(|f| match &f.ty {
                        TypeRef::Named(n) => Some(n.clone()),
                        _ => None,
                    })
                    .collect(),
            )),
            _ => None,
        })
        .collect();
    let reaches = |from: &str, target: &str| {
        let mut seen = BTreeSet::new();
        let mut pending = vec![from];
        while let Some(name) = pending.pop() {
            if name == target {
                return true;
            }
            if seen.insert(name) {
                pending.extend(direct.get(name).into_iter().flatten().map(String::as_str));
            }
        }
        false
    };
    for def in types.iter_mut() {
        let TypeDef::Struct(s) = def else { continue };
        for field in &mut s.fields {
            if let TypeRef::Named(n) = &field.ty {
                field.boxed = reaches(n, &s.name);
            }
        }
    }
}

/// Marks the structs that get a `Validate` impl: those a request can
/// contain (reachable from an operation's parameters or body) that have a
/// constraint somewhere inside them, themselves or through other structs.
fn mark_validated<'o>(types: &mut [TypeDef], operations: impl Iterator<Item = &'o Operation>) {
    let structs: BTreeMap<String, &crate::ir::StructDef> = types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => Some((s.name.clone(), s)),
            _ => None,
        })
        .collect();
    // Grown until it stops changing: a struct has checks if a field has
    // constraints or its type leads to a struct that has checks.
    let mut checked: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = checked.len();
        for (name, s) in &structs {
            let has = s.fields.iter().any(|f| {
                !f.constraints.is_empty() || matches!(f.ty.element(), TypeRef::Named(n) if checked.contains(n))
            });
            if has {
                checked.insert(name.clone());
            }
        }
        if checked.len() == before {
            break;
        }
    }
    let by_name: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name(), t)).collect();
    let mut in_requests = BTreeSet::new();
    for op in operations {
        for param in &op.params {
            reach(&param.ty, &by_name, &mut in_requests);
        }
    }
    for def in types.iter_mut() {
        if let TypeDef::Struct(s) = def {
            s.validated = checked.contains(&s.name) && in_requests.contains(&s.name);
        }
    }
}

/// Collects the names of all types reachable from `ty`.
fn reach(ty: &TypeRef, types: &BTreeMap<&str, &TypeDef>, out: &mut BTreeSet<String>) {
    match ty {
        TypeRef::Named(name) if out.insert(name.clone()) => {
            if let Some(TypeDef::Struct(s)) = types.get(name.as_str()) {
                for field in &s.fields {
                    reach(&field.ty, types, out);
                }
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) => reach(inner, types, out),
        _ => {}
    }
}

/// The description of the tag a resource module came from.
fn tag_docs(api: &OpenAPI, module: &str, resource: &str) -> Vec<String> {
    api.tags
        .iter()
        .find(|t| twilio::resource_module(&t.name, module) == resource)
        .map(|t| docs(t.description.as_deref()))
        .unwrap_or_default()
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

/// The module name of a spec file, from its file stem.
pub fn module_name(stem: &str) -> String {
    module_ident(&snake(&twilio::spec_module(stem)))
}

/// A module name can't be a raw identifier (`r#mod` would look for `mod.rs`),
/// so keywords get a trailing underscore instead.
pub(crate) fn module_ident(name: &str) -> String {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    if name.starts_with("r#") || names::is_keyword(bare) { format!("{bare}_") } else { bare.to_owned() }
}
