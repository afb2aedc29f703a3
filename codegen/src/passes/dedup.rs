//! Pass: dedup. Types made for inline schemas that are the same in all but
//! their names (Twilio repeats one `meta` object in every list response)
//! become one type, named by the words their names share
//! (`ListCallResponseMeta` and `ListQueueResponseMeta` become
//! `ListResponseMeta`). Types named by the document (components) are never
//! merged: their names are the document's.
//!
//! An inline type's own docs are those of the property or parameter it was
//! made for, which keeps them; so docs do not keep types apart, and a merged
//! type keeps its docs only when they were the same for all.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{Operation, TypeDef, TypeRef};

/// Merges inline types until no two are alike; merging some can make
/// others alike (two structs that differed only in which of two now-merged
/// types they held).
pub(super) fn merge_identical(types: &mut Vec<TypeDef>, operations: &mut [(String, Operation)], inline: &BTreeSet<String>) {
    let mut inline = inline.clone();
    loop {
        let renames = plan(types, operations, &inline);
        if renames.is_empty() {
            return;
        }
        apply(types, operations, &renames);
        inline.extend(renames.into_values());
    }
}

/// Old name to new name, for every inline type that has a twin.
fn plan(types: &[TypeDef], operations: &[(String, Operation)], inline: &BTreeSet<String>) -> BTreeMap<String, String> {
    // Candidates share a signature (kind and field or value names, cheap to
    // build); within one, types are compared with their names and docs left
    // out. Signatures and definitions keep their first-seen order.
    let mut groups: BTreeMap<String, Vec<(TypeDef, Vec<&str>)>> = BTreeMap::new();
    for def in types.iter().filter(|t| inline.contains(t.name())) {
        let bare = def.without_name();
        let candidates = groups.entry(signature(def)).or_default();
        match candidates.iter_mut().find(|(other, _)| *other == bare) {
            Some((_, names)) => names.push(def.name()),
            None => candidates.push((bare, vec![def.name()])),
        }
    }
    let taken: BTreeSet<&str> = types.iter().map(TypeDef::name).chain(operations.iter().map(|(_, op)| op.name.as_str())).collect();
    let mut renames = BTreeMap::new();
    let mut chosen = BTreeSet::new();
    for (def, names) in groups.values().flatten().filter(|(_, names)| names.len() > 1) {
        let name = match scalar_union_name(def).filter(|name| !taken.contains(name.as_str()) && !chosen.contains(name)) {
            Some(name) => name,
            None => shared_name(names, &taken, &chosen),
        };
        chosen.insert(name.clone());
        for old in names {
            renames.insert((*old).to_owned(), name.clone());
        }
    }
    renames
}

/// A union of values that are not named types says what it is in its
/// variants' names (`IntegerOrString`): a better name, when it is shared by
/// many places, than the words their names have in common.
fn scalar_union_name(def: &TypeDef) -> Option<String> {
    let TypeDef::Union(u) = def else { return None };
    if u.variants.iter().any(|v| matches!(v.ty.element(), TypeRef::Named(_))) {
        return None;
    }
    let mut names: Vec<&str> = u.variants.iter().map(|v| v.name.as_str()).collect();
    names.sort_unstable();
    Some(names.join("Or"))
}

fn signature(def: &TypeDef) -> String {
    match def {
        TypeDef::Struct(s) => s.fields.iter().fold("struct".to_owned(), |sig, f| sig + " " + &f.wire_name),
        TypeDef::Enum(e) => e.variants.iter().fold("enum".to_owned(), |sig, v| sig + " " + &v.value),
        TypeDef::Alias(_) => "alias".to_owned(),
        // An operation's own; never merged.
        TypeDef::Responses(r) => format!("responses {}", r.name),
        TypeDef::Union(u) => u.variants.iter().fold("union".to_owned(), |sig, v| sig + " " + &v.name),
    }
}

/// The words all `names` start with and end with (`List` … `ResponseMeta`),
/// unless that is empty or another type's name; then the first name in
/// alphabetical order.
fn shared_name(names: &[&str], taken: &BTreeSet<&str>, chosen: &BTreeSet<String>) -> String {
    let split: Vec<Vec<&str>> = names.iter().map(|n| words(n)).collect();
    let shortest = split.iter().map(Vec::len).min().unwrap_or(0);
    let prefix = (0..shortest).take_while(|&i| split.iter().all(|w| w[i] == split[0][i])).count();
    let suffix = (0..shortest - prefix)
        .take_while(|&i| split.iter().all(|w| w[w.len() - 1 - i] == split[0][split[0].len() - 1 - i]))
        .count();
    let first = &split[0];
    let mut name: String = first[..prefix].concat();
    name.push_str(&first[first.len() - suffix..].concat());
    let fallback = || names.iter().min().map(|n| (*n).to_owned()).unwrap_or_default();
    // Another type's name, or one another group of twins took this round.
    let is_other_type = (taken.contains(name.as_str()) && !names.contains(&name.as_str())) || chosen.contains(&name);
    let starts_like_a_type = name.starts_with(|c: char| c.is_ascii_uppercase());
    // The words shared may be a name Rust keeps (`Self` from `EventLinkSelf`
    // and `PaginationLinksSelf`; `String`, `Option`, ...).
    let rusts_own = crate::names::camel(&name) != name || crate::names::RESERVED_TYPE_NAMES.contains(&name.as_str());
    if name.is_empty() || is_other_type || !starts_like_a_type || rusts_own { fallback() } else { name }
}

/// `ListCallResponseMeta` → `List`, `Call`, `Response`, `Meta`: a word
/// starts at each capital letter.
fn words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

/// Keeps the first definition of each merged group, under its new name, and
/// points every reference at it.
fn apply(types: &mut Vec<TypeDef>, operations: &mut [(String, Operation)], renames: &BTreeMap<String, String>) {
    // The docs of each merged type: the same for all, or none.
    let mut docs: BTreeMap<&String, Option<crate::ir::Docs>> = BTreeMap::new();
    for def in types.iter_mut() {
        let Some(new) = renames.get(def.name()) else { continue };
        let (_, own) = def.name_and_docs_mut();
        docs.entry(new).and_modify(|d| *d = d.take().filter(|d| d == own)).or_insert_with(|| Some(own.clone()));
    }
    let mut kept = BTreeSet::new();
    types.retain_mut(|def| {
        let Some(new) = renames.get(def.name()) else { return true };
        if !kept.insert(new.clone()) {
            return false;
        }
        let (name, own) = def.name_and_docs_mut();
        *own = docs.get(new).cloned().flatten().unwrap_or_default();
        name.clone_from(new);
        true
    });
    for def in types.iter_mut() {
        match def {
            TypeDef::Struct(s) => s.fields.iter_mut().for_each(|f| rename(&mut f.ty, renames)),
            TypeDef::Alias(a) => rename(&mut a.ty, renames),
            TypeDef::Responses(r) => r.variants.iter_mut().filter_map(|v| v.ty.as_mut()).for_each(|ty| rename(ty, renames)),
            TypeDef::Union(u) => u.variants.iter_mut().for_each(|v| rename(&mut v.ty, renames)),
            TypeDef::Enum(_) => {}
        }
    }
    for (_, op) in operations.iter_mut() {
        op.params.iter_mut().for_each(|p| rename(&mut p.ty, renames));
        if let Some(ty) = &mut op.response {
            rename(ty, renames);
        }
        op.errors.iter_mut().for_each(|(_, ty)| rename(ty, renames));
    }
}

fn rename(ty: &mut TypeRef, renames: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(name) => {
            if let Some(new) = renames.get(name.as_str()) {
                name.clone_from(new);
            }
        }
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => rename(inner, renames),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Location, Method};
    use crate::passes::test_ir::{array, field, json_body, named, names, operation, optional, param, strukt, union, variant};

    #[test]
    fn the_shared_name_keeps_the_words_all_names_share() {
        let (none, no_one) = (BTreeSet::new(), BTreeSet::new());
        assert_eq!(shared_name(&["ListCallResponseMeta", "ListQueueResponseMeta"], &none, &no_one), "ListResponseMeta");
        assert_eq!(shared_name(&["UpdateCallMethod", "CreateCallStatusCallbackMethod"], &none, &no_one), "Method");
        // Nothing shared, or the name of another type: the first name.
        assert_eq!(shared_name(&["Alpha", "Beta"], &none, &no_one), "Alpha");
        assert_eq!(shared_name(&["ListAMeta", "ListBMeta"], &BTreeSet::from(["ListMeta"]), &no_one), "ListAMeta");
        // A name that is all shared words is one of the group's, which is fine.
        assert_eq!(shared_name(&["PageMeta", "PageXMeta"], &BTreeSet::from(["PageMeta"]), &no_one), "PageMeta");
        // A name another group of twins took this round: the first name.
        let taken_now = BTreeSet::from(["Response".to_owned()]);
        assert_eq!(shared_name(&["GetAResponse", "PutBResponse"], &none, &taken_now), "GetAResponse");
    }

    fn inline(names: &[&str]) -> BTreeSet<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    /// The `meta` object Twilio repeats in each list response, under the
    /// name lowering made for it, with the docs of the property it came from.
    fn meta(name: &str, docs: &str) -> TypeDef {
        let mut def = strukt(name, vec![field("page", TypeRef::I64), optional("next_page_url", TypeRef::String)]);
        def.name_and_docs_mut().1.push(docs.to_owned());
        def
    }

    fn fields_of(def: &TypeDef) -> Vec<(&str, &TypeRef)> {
        match def {
            TypeDef::Struct(s) => s.fields.iter().map(|f| (f.name.as_str(), &f.ty)).collect(),
            other => panic!("`{}` is not a struct", other.name()),
        }
    }

    #[test]
    fn inline_twins_become_one_type_named_by_the_words_they_share() {
        let mut types = vec![
            meta("ListCallResponseMeta", "Paging of the calls."),
            meta("ListQueueResponseMeta", "Paging of the queues."),
            strukt("ListCallResponse", vec![field("meta", named("ListCallResponseMeta"))]),
            strukt("ListQueueResponse", vec![field("meta", named("ListQueueResponseMeta"))]),
        ];
        let mut list = operation("ListCall", Method::Get);
        list.response = Some(named("ListCallResponse"));
        list.errors = vec![("4XX".to_owned(), named("ListCallResponseMeta"))];
        let mut create = operation("CreateQueue", Method::Post);
        create.params = vec![json_body(array(named("ListQueueResponseMeta")))];
        let mut operations = vec![("call".to_owned(), list), ("queue".to_owned(), create)];

        merge_identical(&mut types, &mut operations, &inline(&["ListCallResponseMeta", "ListQueueResponseMeta"]));

        // One type is left, where the first twin was.
        assert_eq!(names(&types), ["ListResponseMeta", "ListCallResponse", "ListQueueResponse"]);
        // The twins' docs differed, so the merged type has none.
        assert_eq!(types[0], strukt("ListResponseMeta", vec![field("page", TypeRef::I64), optional("next_page_url", TypeRef::String)]));
        // Every reference now names the merged type: in fields, in
        // responses' errors, and inside a body's array.
        assert_eq!(fields_of(&types[1]), [("meta", &named("ListResponseMeta"))]);
        assert_eq!(fields_of(&types[2]), [("meta", &named("ListResponseMeta"))]);
        assert_eq!(operations[0].1.response, Some(named("ListCallResponse")));
        assert_eq!(operations[0].1.errors, [("4XX".to_owned(), named("ListResponseMeta"))]);
        assert_eq!(operations[1].1.params[0].ty, array(named("ListResponseMeta")));
    }

    #[test]
    fn a_merged_type_keeps_its_docs_when_all_twins_had_the_same() {
        let mut types = vec![meta("ListCallResponseMeta", "Paging."), meta("ListQueueResponseMeta", "Paging.")];
        merge_identical(&mut types, &mut [], &inline(&["ListCallResponseMeta", "ListQueueResponseMeta"]));
        assert_eq!(types, [meta("ListResponseMeta", "Paging.")]);
    }

    #[test]
    fn component_schemas_are_never_merged() {
        // Two components alike, and a component alike to an inline type:
        // only inline types can merge, and there is one.
        let before = vec![
            meta("CallMeta", "Paging."),
            meta("QueueMeta", "Paging."),
            meta("ListRoomResponseMeta", "Paging."),
        ];
        let mut types = before.clone();
        merge_identical(&mut types, &mut [], &inline(&["ListRoomResponseMeta"]));
        assert_eq!(types, before);
    }

    #[test]
    fn inline_types_that_differ_in_a_field_stay_apart() {
        let before = vec![
            // Same field names, one field of another type.
            strukt("ListCallResponseMeta", vec![field("page", TypeRef::I64)]),
            strukt("ListQueueResponseMeta", vec![field("page", TypeRef::String)]),
            // Same field type, another name.
            strukt("ListRoomResponseMeta", vec![field("page_number", TypeRef::I64)]),
            // Same field, but optional.
            strukt("ListUserResponseMeta", vec![optional("page", TypeRef::I64)]),
        ];
        let mut types = before.clone();
        let all = inline(&["ListCallResponseMeta", "ListQueueResponseMeta", "ListRoomResponseMeta", "ListUserResponseMeta"]);
        merge_identical(&mut types, &mut [], &all);
        assert_eq!(types, before);
    }

    #[test]
    fn merging_twins_can_make_their_holders_twins_too() {
        // The two pages differ only in which meta they hold; once the metas
        // are one, so are the pages, on the next round.
        let mut types = vec![
            meta("ListCallResponseMeta", "Paging."),
            meta("ListQueueResponseMeta", "Paging."),
            strukt("ListCallResponse", vec![field("meta", named("ListCallResponseMeta"))]),
            strukt("ListQueueResponse", vec![field("meta", named("ListQueueResponseMeta"))]),
        ];
        let mut calls = operation("ListCall", Method::Get);
        calls.response = Some(named("ListCallResponse"));
        let mut queues = operation("ListQueue", Method::Get);
        queues.response = Some(named("ListQueueResponse"));
        let mut operations = vec![("call".to_owned(), calls), ("queue".to_owned(), queues)];
        let all = inline(&["ListCallResponseMeta", "ListQueueResponseMeta", "ListCallResponse", "ListQueueResponse"]);

        merge_identical(&mut types, &mut operations, &all);

        assert_eq!(names(&types), ["ListResponseMeta", "ListResponse"]);
        assert_eq!(fields_of(&types[1]), [("meta", &named("ListResponseMeta"))]);
        assert_eq!(operations[0].1.response, Some(named("ListResponse")));
        assert_eq!(operations[1].1.response, Some(named("ListResponse")));
    }

    #[test]
    fn the_merged_name_is_not_an_operations_name() {
        // `ListMeta` is the words the twins share, but a request struct
        // already has that name: the first twin's name is kept instead.
        let mut types = vec![meta("ListAMeta", "Paging."), meta("ListBMeta", "Paging.")];
        let mut operations = vec![("meta".to_owned(), operation("ListMeta", Method::Get))];
        merge_identical(&mut types, &mut operations, &inline(&["ListAMeta", "ListBMeta"]));
        assert_eq!(names(&types), ["ListAMeta"]);
    }

    #[test]
    fn unions_of_plain_values_are_named_by_their_variants() {
        let size = |name: &str| union(name, vec![variant("String", TypeRef::String), variant("Integer", TypeRef::I64)]);
        let mut types = vec![size("CreateThingSize"), size("UpdateThingSize")];
        let mut create = operation("CreateThing", Method::Post);
        create.params = vec![param("size", Location::Query, named("CreateThingSize"))];
        let mut operations = vec![("thing".to_owned(), create)];

        merge_identical(&mut types, &mut operations, &inline(&["CreateThingSize", "UpdateThingSize"]));

        // Variant names sorted and joined, rather than the shared `Size`.
        assert_eq!(names(&types), ["IntegerOrString"]);
        assert_eq!(operations[0].1.params[0].ty, named("IntegerOrString"));
    }
}
