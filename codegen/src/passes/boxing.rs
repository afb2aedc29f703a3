//! Pass: boxing. A struct that contains itself needs a `Box` somewhere.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{TypeDef, TypeRef};

/// Marks as boxed every struct field through which the struct contains
/// itself directly (`Option` and plain fields; a `Vec` or map already puts
/// its items on the heap).
pub(super) fn box_cycles(types: &mut [TypeDef]) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::passes::test_ir::{array, field, get_struct, named, optional, strukt};

    /// Each field of the struct `name`, with whether it is boxed.
    fn boxed<'t>(types: &'t [TypeDef], name: &str) -> Vec<(&'t str, bool)> {
        get_struct(types, name).fields.iter().map(|f| (f.name.as_str(), f.boxed)).collect()
    }

    #[test]
    fn a_struct_that_holds_itself_in_an_option_is_boxed() {
        let mut types = vec![strukt("Comment", vec![field("text", TypeRef::String), optional("parent", named("Comment"))])];
        box_cycles(&mut types);
        assert_eq!(boxed(&types, "Comment"), [("text", false), ("parent", true)]);
    }

    #[test]
    fn a_struct_that_holds_itself_in_a_vec_or_map_is_not_boxed() {
        let mut types = vec![strukt(
            "Folder",
            vec![field("children", array(named("Folder"))), field("by_name", TypeRef::Map(Box::new(named("Folder"))))],
        )];
        box_cycles(&mut types);
        assert_eq!(boxed(&types, "Folder"), [("children", false), ("by_name", false)]);
    }

    #[test]
    fn a_cycle_through_two_structs_boxes_the_field_of_each() {
        // One `Box` would be enough to give both a size, but the pass boxes
        // every field through which its struct comes back to itself, and
        // each of these does.
        let mut types = vec![
            strukt("Person", vec![optional("employer", named("Company"))]),
            strukt("Company", vec![optional("owner", named("Person"))]),
        ];
        box_cycles(&mut types);
        assert_eq!(boxed(&types, "Person"), [("employer", true)]);
        assert_eq!(boxed(&types, "Company"), [("owner", true)]);
    }

    #[test]
    fn a_cycle_with_a_vec_anywhere_in_it_boxes_nothing() {
        let mut types = vec![
            strukt("Team", vec![field("lead", named("Member"))]),
            strukt("Member", vec![field("teams", array(named("Team")))]),
        ];
        box_cycles(&mut types);
        assert_eq!(boxed(&types, "Team"), [("lead", false)]);
        assert_eq!(boxed(&types, "Member"), [("teams", false)]);
    }

    #[test]
    fn only_fields_that_lead_back_to_their_own_struct_are_boxed() {
        // `Thread` leads into the `Post` cycle but is not on it, and `Post`'s
        // `author` leads out of it: neither needs a box. A stale `boxed`
        // flag on such a field is cleared.
        let mut types = vec![
            strukt("Thread", vec![field("first", named("Post"))]),
            strukt("Post", vec![optional("reply", named("Post")), field("author", named("User"))]),
            strukt("User", vec![field("name", TypeRef::String)]),
        ];
        if let TypeDef::Struct(thread) = &mut types[0] {
            thread.fields[0].boxed = true;
        }
        box_cycles(&mut types);
        assert_eq!(boxed(&types, "Thread"), [("first", false)]);
        assert_eq!(boxed(&types, "Post"), [("reply", true), ("author", false)]);
        assert_eq!(boxed(&types, "User"), [("name", false)]);
    }
}
