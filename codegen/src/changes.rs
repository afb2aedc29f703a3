//! What changed in an API between two versions of its specs, and what that
//! means for callers of the generated crate.
//!
//! Read from the IR ([`Api`]), not from text: the comparison sees what a
//! Rust caller sees (request structs by name, their parameters and types,
//! response types, models, enum values), whatever moved in the document.
//!
//! Each change is **breaking** (code that compiled against the old crate may
//! not compile, or a value it sent may now be refused) or **additive**. The
//! rules follow what the generated code promises: enums and unions are
//! `#[non_exhaustive]`, so a new value or variant is additive; request
//! structs are built with `new` and setters (`#[non_exhaustive]`), so a new
//! optional parameter is additive; response models are
//! `#[non_exhaustive]`, so a new field in a response is additive; models a
//! request can contain are built with struct literals, so any new field in
//! one is breaking.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use serde::Serialize;

use crate::ir::{Api, Constraints, Operation, Param, TypeDef, TypeRef};

/// Whether a change can break callers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Impact {
    Breaking,
    Additive,
}

/// One change to one API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    /// The spec's module (`proxy_v1`).
    pub spec: String,
    pub impact: Impact,
    /// The resource module the subject lives in (in the new version, if
    /// it still exists); empty for the spec itself.
    pub resource: String,
    /// The operation or type changed (`CreateMessageInteraction`,
    /// `MessageInteraction`), or empty for the spec itself.
    pub subject: String,
    /// What kind of change, for tools (`parameter_removed`).
    pub kind: &'static str,
    /// What changed, for people (`parameter `ttl` removed`).
    pub detail: String,
}

/// The semver bump a set of changes needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

/// Every change between the APIs `old` and `new` (matched by module), in
/// report order: by spec, breaking first, then by resource and subject.
pub fn compare(old: &[Api], new: &[Api]) -> Vec<Change> {
    let old: BTreeMap<&str, &Api> = old.iter().map(|a| (a.module.as_str(), a)).collect();
    let new: BTreeMap<&str, &Api> = new.iter().map(|a| (a.module.as_str(), a)).collect();
    let mut changes = Vec::new();
    for (module, api) in &new {
        match old.get(module) {
            Some(before) => compare_api(before, api, &mut changes),
            None => changes.push(Change {
                spec: (*module).to_owned(),
                impact: Impact::Additive,
                resource: String::new(),
                subject: String::new(),
                kind: "spec_added",
                detail: format!("new API: {} operations, {} types", operations(api).len(), types(api).len()),
            }),
        }
    }
    for (module, api) in old.iter().filter(|(m, _)| !new.contains_key(*m)) {
        changes.push(Change {
            spec: (*module).to_owned(),
            impact: Impact::Breaking,
            resource: String::new(),
            subject: String::new(),
            kind: "spec_removed",
            detail: format!("API removed ({} operations)", operations(api).len()),
        });
    }
    changes.sort();
    changes
}

/// The bump `changes` need: major for anything breaking, minor for
/// anything additive, else none.
pub fn bump(changes: &[Change]) -> Bump {
    match changes.iter().map(|c| c.impact).min() {
        Some(Impact::Breaking) => Bump::Major,
        Some(Impact::Additive) => Bump::Minor,
        None => Bump::None,
    }
}

/// `version` after `bump`, by semver's rules for 0.x too: below 1.0 a
/// breaking change bumps the minor number, an additive one the patch.
pub fn next_version(version: &str, bump: Bump) -> String {
    let mut parts = version.split('.').map(|p| p.parse::<u64>().unwrap_or(0));
    let (major, minor, patch) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    match bump {
        Bump::None => version.to_owned(),
        Bump::Major if major == 0 => format!("0.{}.0", minor + 1),
        Bump::Major => format!("{}.0.0", major + 1),
        Bump::Minor if major == 0 => format!("0.{minor}.{}", patch + 1),
        Bump::Minor => format!("{major}.{}.0", minor + 1),
        Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
    }
}

fn operations(api: &Api) -> BTreeMap<&str, (&str, &Operation)> {
    api.resources.iter().flat_map(|r| r.operations.iter().map(move |op| (op.name.as_str(), (r.module.as_str(), op)))).collect()
}

fn types(api: &Api) -> BTreeMap<&str, (&str, &TypeDef)> {
    api.resources.iter().flat_map(|r| r.types.iter().map(move |t| (t.name(), (r.module.as_str(), t)))).collect()
}

/// Collects the changes of one API into `out`.
fn compare_api(old: &Api, new: &Api, out: &mut Vec<Change>) {
    let spec = new.module.as_str();
    let push = |out: &mut Vec<Change>, resource: &str, subject: &str, impact, kind, detail: String| {
        out.push(Change { spec: spec.to_owned(), impact, resource: resource.to_owned(), subject: subject.to_owned(), kind, detail });
    };
    let (old_ops, new_ops) = (operations(old), operations(new));
    for (name, (resource, op)) in &new_ops {
        match old_ops.get(name) {
            None => push(out, resource, name, Impact::Additive, "operation_added", format!("new operation `{} {}`", op.method.as_str(), op.path)),
            Some((_, before)) => compare_operation(before, op, &mut |impact, kind, detail| push(out, resource, name, impact, kind, detail)),
        }
    }
    for (name, (resource, op)) in old_ops.iter().filter(|(n, _)| !new_ops.contains_key(*n)) {
        push(out, resource, name, Impact::Breaking, "operation_removed", format!("operation `{} {}` removed", op.method.as_str(), op.path));
    }

    let (old_types, new_types) = (types(old), types(new));
    let added: Vec<&str> = new_types.keys().filter(|n| !old_types.contains_key(*n)).copied().collect();
    let removed: Vec<&str> = old_types.keys().filter(|n| !new_types.contains_key(*n)).copied().collect();
    // A type that is gone while one of the same shape is new was renamed.
    let mut renamed: BTreeMap<&str, &str> = BTreeMap::new();
    for gone in &removed {
        let shape = unnamed(old_types[gone].1);
        if let Some(to) = added.iter().find(|a| !renamed.values().any(|r| r == *a) && unnamed(new_types[*a].1) == shape) {
            renamed.insert(gone, to);
        }
    }
    for name in &added {
        if !renamed.values().any(|r| r == name) {
            let (resource, def) = new_types[name];
            push(out, resource, name, Impact::Additive, "type_added", format!("new {}", kind_of(def)));
        }
    }
    for name in &removed {
        let (resource, def) = old_types[name];
        match renamed.get(name) {
            Some(to) => push(out, new_types[to].0, name, Impact::Breaking, "type_renamed", format!("{} renamed to `{to}`", kind_of(def))),
            None => push(out, resource, name, Impact::Breaking, "type_removed", format!("{} removed", kind_of(def))),
        }
    }
    for (name, (resource, def)) in &new_types {
        if let Some((_, before)) = old_types.get(name) {
            compare_type(before, def, &mut |impact, kind, detail| push(out, resource, name, impact, kind, detail));
        }
    }
}

/// A change as [`compare_operation`] and [`compare_type`] report it.
type Report<'r> = dyn FnMut(Impact, &'static str, String) + 'r;

fn compare_operation(old: &Operation, new: &Operation, report: &mut Report) {
    if (old.method, &old.path) != (new.method, &new.path) {
        let detail = format!("now `{} {}` (was `{} {}`)", new.method.as_str(), new.path, old.method.as_str(), old.path);
        report(Impact::Additive, "operation_moved", detail);
    }
    if old.server != new.server {
        report(Impact::Additive, "server_changed", format!("server `{}` (was `{}`)", new.server, old.server));
    }
    let old_params: BTreeMap<&str, &Param> = old.params.iter().map(|p| (p.name.as_str(), p)).collect();
    for param in &new.params {
        let Some(before) = old_params.get(param.name.as_str()) else {
            let (impact, what) = if param.required { (Impact::Breaking, "required") } else { (Impact::Additive, "optional") };
            report(impact, "parameter_added", format!("new {what} parameter `{}` ({})", param.wire_name, text(&param.ty)));
            continue;
        };
        let label = format!("parameter `{}`", param.wire_name);
        if before.ty != param.ty {
            report(Impact::Breaking, "parameter_type_changed", format!("{label}: {} (was {})", text(&param.ty), text(&before.ty)));
        }
        match (before.required, param.required) {
            (false, true) => report(Impact::Breaking, "parameter_now_required", format!("{label}: now required")),
            // Its argument leaves `new`: callers must change the call.
            (true, false) => report(Impact::Breaking, "parameter_now_optional", format!("{label}: now optional (no longer an argument of `new`)")),
            _ => {}
        }
        compare_constraints(&label, &before.constraints, &param.constraints, report);
    }
    for param in old.params.iter().filter(|p| !new.params.iter().any(|n| n.name == p.name)) {
        report(Impact::Breaking, "parameter_removed", format!("parameter `{}` removed", param.wire_name));
    }
    if old.response != new.response || old.response_may_be_empty != new.response_may_be_empty {
        let show = |op: &Operation| match &op.response {
            Some(ty) if op.response_may_be_empty => format!("Option<{}>", text(ty)),
            Some(ty) => text(ty),
            None => "()".to_owned(),
        };
        report(Impact::Breaking, "response_changed", format!("responds with {} (was {})", show(new), show(old)));
    }
    let statuses = |op: &Operation| op.errors.iter().map(|(s, _)| s.clone()).collect::<BTreeSet<_>>();
    let (before, after) = (statuses(old), statuses(new));
    for status in after.difference(&before) {
        report(Impact::Additive, "error_status_added", format!("documents a {status} error body"));
    }
    for status in before.difference(&after) {
        report(Impact::Additive, "error_status_removed", format!("no longer documents a {status} error body"));
    }
    let (before, after): (BTreeSet<_>, BTreeSet<_>) = (old.auth.iter().collect(), new.auth.iter().collect());
    if before != after {
        // A way to authenticate that is gone may be the one a caller uses.
        let impact = if before.is_subset(&after) { Impact::Additive } else { Impact::Breaking };
        report(impact, "auth_changed", format!("accepts {} (was {})", auth_text(&after), auth_text(&before)));
    }
    match (&old.pagination, &new.pagination) {
        (None, Some(_)) => report(Impact::Additive, "paging_added", "pages: `stream` lists every item".to_owned()),
        (Some(_), None) => report(Impact::Breaking, "paging_removed", "no longer pages (`stream` removed)".to_owned()),
        _ => {}
    }
}

fn compare_type(old: &TypeDef, new: &TypeDef, report: &mut Report) {
    match (old, new) {
        (TypeDef::Struct(before), TypeDef::Struct(after)) => {
            let fields: BTreeMap<&str, &crate::ir::Field> = before.fields.iter().map(|f| (f.name.as_str(), f)).collect();
            for field in &after.fields {
                let label = if field.rest { "the map of other properties".to_owned() } else { format!("field `{}`", field.wire_name) };
                let Some(was) = fields.get(field.name.as_str()) else {
                    // Callers build request models with struct literals;
                    // response models are `#[non_exhaustive]`.
                    let impact = if after.in_requests { Impact::Breaking } else { Impact::Additive };
                    let what = if field.optional { "optional" } else { "required" };
                    report(impact, "field_added", format!("new {what} {label} ({})", text(&field.ty)));
                    continue;
                };
                if (was.ty != field.ty) || (was.boxed != field.boxed) {
                    report(Impact::Breaking, "field_type_changed", format!("{label}: {} (was {})", text(&field.ty), text(&was.ty)));
                }
                match (was.optional, field.optional) {
                    (true, false) => report(Impact::Breaking, "field_now_required", format!("{label}: now required (no longer an `Option`)")),
                    (false, true) => report(Impact::Breaking, "field_now_optional", format!("{label}: now optional (an `Option`)")),
                    _ => {}
                }
                if after.in_requests {
                    compare_constraints(&label, &was.constraints, &field.constraints, report);
                }
            }
            for field in before.fields.iter().filter(|f| !after.fields.iter().any(|n| n.name == f.name)) {
                report(Impact::Breaking, "field_removed", format!("field `{}` removed", field.wire_name));
            }
        }
        (TypeDef::Enum(before), TypeDef::Enum(after)) => {
            let (was, now): (BTreeSet<&str>, BTreeSet<&str>) =
                (before.variants.iter().map(|v| v.value.as_str()).collect(), after.variants.iter().map(|v| v.value.as_str()).collect());
            for value in after.variants.iter().filter(|v| !was.contains(v.value.as_str())) {
                report(Impact::Additive, "enum_value_added", format!("new value `{}` (`{}`)", value.value, value.name));
            }
            for value in before.variants.iter().filter(|v| !now.contains(v.value.as_str())) {
                report(Impact::Breaking, "enum_value_removed", format!("value `{}` removed", value.value));
            }
        }
        (TypeDef::Union(before), TypeDef::Union(after)) => {
            let was: BTreeMap<&str, &TypeRef> = before.variants.iter().map(|v| (v.name.as_str(), &v.ty)).collect();
            for variant in &after.variants {
                match was.get(variant.name.as_str()) {
                    None => report(Impact::Additive, "variant_added", format!("new variant `{}` ({})", variant.name, text(&variant.ty))),
                    Some(ty) if **ty != variant.ty => {
                        report(Impact::Breaking, "variant_changed", format!("variant `{}`: {} (was {})", variant.name, text(&variant.ty), text(ty)))
                    }
                    Some(_) => {}
                }
            }
            for variant in before.variants.iter().filter(|v| !after.variants.iter().any(|n| n.name == v.name)) {
                report(Impact::Breaking, "variant_removed", format!("variant `{}` removed", variant.name));
            }
        }
        (TypeDef::Alias(before), TypeDef::Alias(after)) if before.ty != after.ty => {
            report(Impact::Breaking, "alias_changed", format!("now {} (was {})", text(&after.ty), text(&before.ty)));
        }
        (TypeDef::Responses(before), TypeDef::Responses(after)) if unnamed(old) != unnamed(new) => {
            let statuses = |r: &crate::ir::ResponsesDef| r.variants.iter().map(|v| v.name.clone()).collect::<Vec<_>>().join(", ");
            report(Impact::Breaking, "responses_changed", format!("responses {} (was {})", statuses(after), statuses(before)));
        }
        (TypeDef::Alias(_), TypeDef::Alias(_)) | (TypeDef::Responses(_), TypeDef::Responses(_)) => {}
        _ => report(Impact::Breaking, "type_kind_changed", format!("now {} (was {})", kind_of(new), kind_of(old))),
    }
}

/// Tightened checks refuse values that passed before (breaking); looser
/// ones accept more (additive).
fn compare_constraints(label: &str, old: &Constraints, new: &Constraints, report: &mut Report) {
    if old == new {
        return;
    }
    let mut tighter = Vec::new();
    let mut looser = Vec::new();
    let mut bound = |name: &str, was: Option<f64>, now: Option<f64>, lower: bool| match (was, now) {
        (None, Some(n)) => tighter.push(format!("{name} {n}")),
        (Some(w), None) => looser.push(format!("no {name} (was {w})")),
        (Some(w), Some(n)) if (n > w) == lower && n != w => tighter.push(format!("{name} {n} (was {w})")),
        (Some(w), Some(n)) if n != w => looser.push(format!("{name} {n} (was {w})")),
        _ => {}
    };
    let float = |n: Option<u64>| n.map(|n| n as f64);
    bound("minimum", old.minimum, new.minimum, true);
    bound("maximum", old.maximum, new.maximum, false);
    bound("minLength", float(old.min_length), float(new.min_length), true);
    bound("maxLength", float(old.max_length), float(new.max_length), false);
    bound("minItems", float(old.min_items), float(new.min_items), true);
    bound("maxItems", float(old.max_items), float(new.max_items), false);
    match (&old.pattern, &new.pattern) {
        (None, Some(p)) => tighter.push(format!("pattern `{p}`")),
        (Some(p), None) => looser.push(format!("no pattern (was `{p}`)")),
        // Which values a changed pattern accepts is not compared: assume it
        // refuses some.
        (Some(w), Some(p)) if w != p => tighter.push(format!("pattern `{p}` (was `{w}`)")),
        _ => {}
    }
    if old.items != new.items {
        let (was, now) = (old.items.as_deref().cloned().unwrap_or_default(), new.items.as_deref().cloned().unwrap_or_default());
        compare_constraints(&format!("{label} items"), &was, &now, report);
    }
    if !tighter.is_empty() {
        report(Impact::Breaking, "constraint_tightened", format!("{label}: {}", tighter.join(", ")));
    }
    if !looser.is_empty() {
        report(Impact::Additive, "constraint_loosened", format!("{label}: {}", looser.join(", ")));
    }
}

/// A type definition with its name and docs (its fields' too) cleared, to
/// tell a rename.
fn unnamed(def: &TypeDef) -> TypeDef {
    let mut def = def.without_name();
    if let TypeDef::Struct(s) = &mut def {
        s.fields.iter_mut().for_each(|f| f.docs.clear());
    }
    def
}

fn kind_of(def: &TypeDef) -> &'static str {
    match def {
        TypeDef::Struct(_) => "struct",
        TypeDef::Enum(_) => "enum",
        TypeDef::Alias(_) => "type alias",
        TypeDef::Responses(_) => "responses enum",
        TypeDef::Union(_) => "union enum",
    }
}

/// A type as a reader of the report knows it (`Vec<Message>`).
fn text(ty: &TypeRef) -> String {
    match ty {
        TypeRef::String => "String".to_owned(),
        TypeRef::DateTime | TypeRef::DateTimeRfc2822 => "DateTime".to_owned(),
        TypeRef::Bool => "bool".to_owned(),
        TypeRef::I32 => "i32".to_owned(),
        TypeRef::I64 => "i64".to_owned(),
        TypeRef::U32 => "u32".to_owned(),
        TypeRef::U64 => "u64".to_owned(),
        TypeRef::Number => "Number".to_owned(),
        TypeRef::Date => "NaiveDate".to_owned(),
        TypeRef::Uuid => "Uuid".to_owned(),
        TypeRef::Base64 => "Base64".to_owned(),
        TypeRef::IpAddr => "IpAddr".to_owned(),
        TypeRef::Ipv4Addr => "Ipv4Addr".to_owned(),
        TypeRef::Ipv6Addr => "Ipv6Addr".to_owned(),
        TypeRef::Json => "serde_json::Value".to_owned(),
        TypeRef::Binary => "Binary".to_owned(),
        TypeRef::Named(name) => name.clone(),
        TypeRef::Array(inner) => format!("Vec<{}>", text(inner)),
        TypeRef::Map(inner) => format!("BTreeMap<String, {}>", text(inner)),
        TypeRef::Nullable(inner) => format!("Option<{}>", text(inner)),
    }
}

fn auth_text(schemes: &BTreeSet<&crate::ir::AuthScheme>) -> String {
    use crate::ir::AuthScheme;
    let one = |s: &AuthScheme| -> String {
        match s {
            AuthScheme::Basic => "basic".to_owned(),
            AuthScheme::Bearer => "bearer".to_owned(),
            AuthScheme::OAuth2 { .. } => "OAuth2".to_owned(),
            AuthScheme::Unspecified => "any".to_owned(),
            AuthScheme::Optional => "none".to_owned(),
            AuthScheme::ApiKey { scheme, .. } => format!("key `{scheme}`"),
            AuthScheme::Http { scheme, .. } => scheme.clone(),
            AuthScheme::All(all) => all.iter().map(|s| format!("{s:?}")).collect::<Vec<_>>().join(" + "),
        }
    };
    if schemes.is_empty() {
        return "nothing".to_owned();
    }
    schemes.iter().map(|s| one(s)).collect::<Vec<_>>().join(", ")
}

/// The changes as Markdown for a pull request: a headline with the counts
/// and the bump, then per spec (and per resource) breaking changes first.
/// `version` is the crate's version before the changes.
pub fn markdown(changes: &[Change], version: &str) -> String {
    let bump = bump(changes);
    let breaking = changes.iter().filter(|c| c.impact == Impact::Breaking).count();
    let mut out = String::new();
    let _ = writeln!(out, "## API changes: {breaking} breaking, {} additive", changes.len() - breaking);
    let _ = writeln!(out);
    let _ = match bump {
        Bump::None => writeln!(out, "No change to the API."),
        _ => writeln!(out, "Needs a {} version: {version} → {}.", bump_text(bump), next_version(version, bump)),
    };
    let mut by_spec: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for change in changes {
        by_spec.entry(&change.spec).or_default().push(change);
    }
    for (spec, changes) in by_spec {
        let breaking = changes.iter().filter(|c| c.impact == Impact::Breaking).count();
        let _ = writeln!(out, "\n### `{spec}` ({breaking} breaking, {} additive)\n", changes.len() - breaking);
        for impact in [Impact::Breaking, Impact::Additive] {
            let mut lines = changes.iter().filter(|c| c.impact == impact).peekable();
            if lines.peek().is_none() {
                continue;
            }
            let _ = writeln!(out, "{}:\n", if impact == Impact::Breaking { "**Breaking**" } else { "Additive" });
            // The same change to several subjects is one line (`CreateService`,
            // `FetchService`, ...: accepts basic, bearer), in first-seen order.
            let mut grouped: Vec<(&str, Vec<String>)> = Vec::new();
            for change in lines {
                let subject = match change.subject.as_str() {
                    "" => None,
                    subject => Some(format!("`{}::{subject}`", change.resource)),
                };
                match grouped.iter_mut().find(|(detail, _)| *detail == change.detail) {
                    Some((_, subjects)) => subjects.extend(subject),
                    None => grouped.push((&change.detail, subject.into_iter().collect())),
                }
            }
            for (detail, subjects) in grouped {
                let _ = match subjects.as_slice() {
                    [] => writeln!(out, "- {detail}"),
                    _ => writeln!(out, "- {}: {detail}", subjects.join(", ")),
                };
            }
            let _ = writeln!(out);
        }
    }
    out
}

fn bump_text(bump: Bump) -> &'static str {
    match bump {
        Bump::Major => "major (breaking)",
        Bump::Minor => "minor",
        Bump::Patch => "patch",
        Bump::None => "no",
    }
}

/// The changes as JSON for tools: counts, the bump, the versions, and
/// every change.
pub fn json(changes: &[Change], version: &str) -> serde_json::Value {
    let bump = bump(changes);
    let breaking = changes.iter().filter(|c| c.impact == Impact::Breaking).count();
    serde_json::json!({
        "breaking": breaking,
        "additive": changes.len() - breaking,
        "bump": bump,
        "version": version,
        "next_version": next_version(version, bump),
        "changes": changes,
    })
}

/// One line per spec: operations added and removed, fields, enum values,
/// breaking changes (for `cargo xtask codegen`'s summary).
pub fn summary(changes: &[Change]) -> String {
    #[derive(Default)]
    struct Row {
        ops_added: usize,
        ops_removed: usize,
        fields_added: usize,
        fields_removed: usize,
        values_added: usize,
        values_removed: usize,
        other: usize,
        breaking: usize,
    }
    let mut rows: BTreeMap<&str, Row> = BTreeMap::new();
    // A spec added or removed whole is said as such, not as counts.
    let mut whole: BTreeMap<&str, &str> = BTreeMap::new();
    for change in changes {
        if matches!(change.kind, "spec_added" | "spec_removed") {
            whole.insert(&change.spec, &change.detail);
            continue;
        }
        let row = rows.entry(&change.spec).or_default();
        match change.kind {
            "operation_added" => row.ops_added += 1,
            "operation_removed" => row.ops_removed += 1,
            "field_added" => row.fields_added += 1,
            "field_removed" => row.fields_removed += 1,
            "enum_value_added" | "variant_added" => row.values_added += 1,
            "enum_value_removed" | "variant_removed" => row.values_removed += 1,
            _ => row.other += 1,
        }
        row.breaking += usize::from(change.impact == Impact::Breaking);
    }
    let mut out = String::new();
    for (spec, detail) in whole {
        let _ = writeln!(out, "  {spec}: {detail}");
    }
    for (spec, r) in rows {
        let _ = writeln!(
            out,
            "  {spec}: +{} -{} operations, +{} -{} fields, +{} -{} enum values, {} other; {} breaking",
            r.ops_added, r.ops_removed, r.fields_added, r.fields_removed, r.values_added, r.values_removed, r.other, r.breaking
        );
    }
    out
}
