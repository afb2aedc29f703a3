//! Pass: validation. Which structs check their constraints before a
//! request is sent.

use std::collections::{BTreeMap, BTreeSet};

use super::reach;
use crate::ir::{Operation, TypeDef, TypeRef};

/// Marks the structs and unions that get a `Validate` impl: those a
/// request can contain (reachable from an operation's parameters or body)
/// that have a constraint somewhere inside them, themselves or through
/// other structs and unions.
pub(super) fn mark_validated<'o>(types: &mut [TypeDef], operations: impl Iterator<Item = &'o Operation>) {
    // Each struct's and union's types inside, and whether it has
    // constraints of its own (on a field, or on a variant's value).
    let holders: BTreeMap<String, (Vec<&TypeRef>, bool)> = types
        .iter()
        .filter_map(|t| match t {
            TypeDef::Struct(s) => {
                Some((s.name.clone(), (s.fields.iter().map(|f| &f.ty).collect(), s.fields.iter().any(|f| !f.constraints.is_empty()))))
            }
            TypeDef::Union(u) => {
                Some((u.name.clone(), (u.variants.iter().map(|v| &v.ty).collect(), u.variants.iter().any(|v| !v.constraints.is_empty()))))
            }
            _ => None,
        })
        .collect();
    // Grown until it stops changing: a type has checks if it has
    // constraints or a type inside it leads to one that has checks.
    let mut checked: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = checked.len();
        for (name, (inside, constrained)) in &holders {
            if *constrained || inside.iter().any(|ty| matches!(ty.element(), TypeRef::Named(n) if checked.contains(n))) {
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
        match def {
            TypeDef::Struct(s) => {
                s.in_requests = in_requests.contains(&s.name);
                s.validated = checked.contains(&s.name) && s.in_requests;
            }
            TypeDef::Union(u) => u.validated = checked.contains(&u.name) && in_requests.contains(&u.name),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Constraints, Location, Method, UnionVariant};
    use crate::passes::test_ir::{array, field, json_body, named, operation, param, patterned, strukt, union, variant};

    /// Each struct's name with its `in_requests` and `validated` flags.
    fn flags(types: &[TypeDef]) -> Vec<(&str, bool, bool)> {
        types
            .iter()
            .filter_map(|t| match t {
                TypeDef::Struct(s) => Some((s.name.as_str(), s.in_requests, s.validated)),
                _ => None,
            })
            .collect()
    }

    /// `POST /calls` with a JSON body of type `body`, answering `response`.
    fn create(body: TypeRef, response: TypeRef) -> Operation {
        let mut op = operation("CreateCall", Method::Post);
        op.params = vec![json_body(body)];
        op.response = Some(response);
        op
    }

    #[test]
    fn a_struct_with_a_pattern_in_a_body_is_validated_and_one_only_in_a_response_is_not() {
        let mut types = vec![
            strukt("NewCall", vec![patterned("to", r"^\+[1-9][0-9]+$")]),
            strukt("Call", vec![patterned("sid", "^CA[0-9a-f]{32}$")]),
        ];
        let op = create(named("NewCall"), named("Call"));
        mark_validated(&mut types, [&op].into_iter());
        assert_eq!(flags(&types), [("NewCall", true, true), ("Call", false, false)]);
    }

    #[test]
    fn a_struct_in_a_request_without_constraints_is_in_requests_but_not_validated() {
        let mut types = vec![strukt("NewCall", vec![field("to", TypeRef::String)])];
        let op = create(named("NewCall"), TypeRef::String);
        mark_validated(&mut types, [&op].into_iter());
        assert_eq!(flags(&types), [("NewCall", true, false)]);
    }

    #[test]
    fn any_constraint_counts_not_only_a_pattern() {
        let mut count = field("count", TypeRef::I64);
        count.constraints = Constraints { minimum: Some(1.0), ..Constraints::default() };
        let mut types = vec![strukt("NewBatch", vec![count])];
        let op = create(named("NewBatch"), TypeRef::String);
        mark_validated(&mut types, [&op].into_iter());
        assert_eq!(flags(&types), [("NewBatch", true, true)]);
    }

    #[test]
    fn checks_inside_reach_the_structs_that_hold_them_through_vecs_and_nesting() {
        // Named so that the holders come first in name order: the pass must
        // go round until nothing changes to find that `A` leads to checks.
        let mut types = vec![
            strukt("A", vec![field("bs", array(named("B")))]),
            strukt("B", vec![field("c", named("C"))]),
            strukt("C", vec![patterned("code", "^[A-Z]{2}$")]),
            // In the request too, but with nothing to check inside.
            strukt("D", vec![field("note", TypeRef::String)]),
        ];
        let mut op = create(named("A"), TypeRef::String);
        op.params.push(param("d", Location::Query, named("D")));
        mark_validated(&mut types, [&op].into_iter());
        assert_eq!(flags(&types), [("A", true, true), ("B", true, true), ("C", true, true), ("D", true, false)]);
    }

    #[test]
    fn a_struct_in_responses_and_errors_only_is_not_in_requests() {
        // `Call` holds the checked `Number` but is only ever received; so is
        // `Problem`. A struct both sent and received is in requests.
        let mut types = vec![
            strukt("Call", vec![field("to", named("Number"))]),
            strukt("Number", vec![patterned("e164", r"^\+[0-9]+$")]),
            strukt("Problem", vec![patterned("code", "^[0-9]+$")]),
        ];
        let mut op = create(named("Number"), named("Call"));
        op.errors = vec![("4XX".to_owned(), named("Problem"))];
        mark_validated(&mut types, [&op].into_iter());
        assert_eq!(flags(&types), [("Call", false, false), ("Number", true, true), ("Problem", false, false)]);
    }

    #[test]
    fn flags_are_set_afresh_from_the_operations() {
        // With no operations nothing is in a request, whatever was set before.
        let mut types = vec![strukt("NewCall", vec![patterned("to", "^x$")])];
        if let TypeDef::Struct(s) = &mut types[0] {
            (s.in_requests, s.validated) = (true, true);
        }
        mark_validated(&mut types, std::iter::empty());
        assert_eq!(flags(&types), [("NewCall", false, false)]);
    }

    /// A union `name` of a `Phone` struct and a plain string.
    fn target(name: &str) -> TypeDef {
        union(name, vec![variant("Phone", named("Phone")), variant("Sip", TypeRef::String)])
    }

    /// Each union's name with its `validated` flag.
    fn union_flags(types: &[TypeDef]) -> Vec<(&str, bool)> {
        types
            .iter()
            .filter_map(|t| match t {
                TypeDef::Union(u) => Some((u.name.as_str(), u.validated)),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_union_in_a_body_whose_variant_has_checks_is_validated_and_so_is_a_struct_holding_it() {
        // `Call` comes before `Phone` and `Target` in name order: the pass
        // must go round to see that it leads to checks through the union.
        let mut types = vec![
            strukt("Call", vec![field("targets", array(named("Target")))]),
            target("Target"),
            strukt("Phone", vec![patterned("number", r"^\+[0-9]+$")]),
            // Sent too, but its variants have nothing to check.
            union("Size", vec![variant("Integer", TypeRef::I64)]),
        ];
        let mut op = create(named("Call"), TypeRef::String);
        op.params.push(param("size", Location::Query, named("Size")));
        mark_validated(&mut types, [&op].into_iter());
        assert_eq!(flags(&types), [("Call", true, true), ("Phone", true, true)]);
        assert_eq!(union_flags(&types), [("Target", true), ("Size", false)]);
    }

    #[test]
    fn a_union_whose_only_checks_are_a_scalar_members_own_is_validated() {
        let constraints = Constraints { pattern: Some("^[0-9]{15}$".to_owned()), ..Constraints::default() };
        let chip = UnionVariant { constraints, ..variant("String", TypeRef::String) };
        let mut types = vec![strukt("Litter", vec![field("chip", named("Chip"))]), union("Chip", vec![chip])];
        let op = create(named("Litter"), TypeRef::String);
        mark_validated(&mut types, [&op].into_iter());
        assert_eq!(union_flags(&types), [("Chip", true)]);
        assert_eq!(flags(&types), [("Litter", true, true)]);
    }

    #[test]
    fn a_union_only_in_responses_is_not_validated() {
        let mut types = vec![target("Reached"), strukt("Phone", vec![patterned("number", r"^\+[0-9]+$")])];
        let op = create(TypeRef::String, named("Reached"));
        mark_validated(&mut types, [&op].into_iter());
        assert_eq!(union_flags(&types), [("Reached", false)]);
        assert_eq!(flags(&types), [("Phone", false, false)]);
    }
}
