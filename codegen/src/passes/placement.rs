//! Pass: placement. Each operation goes to the resource module lowering
//! planned for it, and each type to the one module whose operations use it,
//! or to [`SHARED_MODULE`].

use std::collections::{BTreeMap, BTreeSet};

use super::reach;
use crate::ir::{Docs, Operation, Resource, TypeDef};

/// The module that holds models used by more than one resource (or by none).
pub const SHARED_MODULE: &str = "shared";

/// Builds the resources: operations by their planned module, and each type
/// in the one module whose operations use it, or in [`SHARED_MODULE`].
pub(super) fn group(operations: Vec<(String, Operation)>, types: Vec<TypeDef>, docs: &BTreeMap<String, Docs>) -> Vec<Resource> {
    let by_name: BTreeMap<&str, &TypeDef> = types.iter().map(|t| (t.name(), t)).collect();
    let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (resource, op) in &operations {
        let mut reached = BTreeSet::new();
        let roots = op.params.iter().map(|p| &p.ty).chain(op.response.as_ref()).chain(op.errors.iter().map(|(_, ty)| ty));
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
        docs: docs.get(home).cloned().unwrap_or_default(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Method, TypeRef};
    use crate::passes::test_ir::{array, field, json_body, named, operation, strukt};

    /// Each resource as its module, its operations' names and its types' names.
    fn layout(resources: &[Resource]) -> Vec<(&str, Vec<&str>, Vec<&str>)> {
        resources
            .iter()
            .map(|r| {
                let operations = r.operations.iter().map(|op| op.name.as_str()).collect();
                (r.module.as_str(), operations, r.types.iter().map(TypeDef::name).collect())
            })
            .collect()
    }

    /// Calls and queues: each list's page and items are its own, the
    /// paging meta and the error body are used by both, and one type by
    /// no operation.
    fn calls_and_queues() -> (Vec<(String, Operation)>, Vec<TypeDef>) {
        let mut list_calls = operation("ListCall", Method::Get);
        list_calls.response = Some(named("CallPage"));
        list_calls.errors = vec![("default".to_owned(), named("Problem"))];
        let mut create_call = operation("CreateCall", Method::Post);
        create_call.params = vec![json_body(named("NewCall"))];
        create_call.response = Some(named("Call"));
        let mut list_queues = operation("ListQueue", Method::Get);
        list_queues.response = Some(named("QueuePage"));
        list_queues.errors = vec![("default".to_owned(), named("Problem"))];
        // Lowering lists operations in the spec's order, not by module.
        let operations = vec![
            ("queues".to_owned(), list_queues),
            ("calls".to_owned(), list_calls),
            ("calls".to_owned(), create_call),
        ];
        let types = vec![
            strukt("Problem", vec![field("message", TypeRef::String)]),
            strukt("CallPage", vec![field("calls", array(named("Call"))), field("meta", named("PageMeta"))]),
            strukt("Call", vec![field("sid", TypeRef::String)]),
            strukt("NewCall", vec![field("to", TypeRef::String)]),
            strukt("QueuePage", vec![field("queues", array(named("Queue"))), field("meta", named("PageMeta"))]),
            strukt("Queue", vec![field("sid", TypeRef::String)]),
            strukt("PageMeta", vec![field("page", TypeRef::I64)]),
            strukt("Unused", vec![field("x", TypeRef::String)]),
        ];
        (operations, types)
    }

    #[test]
    fn operations_go_to_the_module_lowering_planned_and_types_to_their_users() {
        let (operations, types) = calls_and_queues();
        let resources = group(operations, types, &BTreeMap::new());
        // Resources in module order; operations and types each in the order
        // they came in. A type reached only through a body, a response or a
        // page's array is its resource's; one used by both resources, or by
        // none, is shared.
        assert_eq!(
            layout(&resources),
            [
                ("calls", vec!["ListCall", "CreateCall"], vec!["CallPage", "Call", "NewCall"]),
                ("queues", vec!["ListQueue"], vec!["QueuePage", "Queue"]),
                (SHARED_MODULE, vec![], vec!["Problem", "PageMeta", "Unused"]),
            ]
        );
    }

    #[test]
    fn a_type_shared_by_two_resources_belongs_to_the_one_left() {
        // `Problem` (an error body) and `PageMeta` (inside a page) are
        // shared above only because both lists use them; with the queues
        // gone they belong to the calls, and the queues' own types, now
        // used by no operation, are shared.
        let (mut operations, types) = calls_and_queues();
        operations.retain(|(module, _)| module == "calls");
        let resources = group(operations, types, &BTreeMap::new());
        assert_eq!(
            layout(&resources),
            [
                ("calls", vec!["ListCall", "CreateCall"], vec!["Problem", "CallPage", "Call", "NewCall", "PageMeta"]),
                (SHARED_MODULE, vec![], vec!["QueuePage", "Queue", "Unused"]),
            ]
        );
    }

    #[test]
    fn each_resource_gets_the_docs_of_its_module() {
        let (operations, types) = calls_and_queues();
        let docs = BTreeMap::from([
            ("calls".to_owned(), vec!["Phone calls.".to_owned()]),
            // Docs for a module with nothing in it make no resource.
            ("rooms".to_owned(), vec!["Video rooms.".to_owned()]),
        ]);
        let resources = group(operations, types, &docs);
        let docs: Vec<(&str, &[String])> = resources.iter().map(|r| (r.module.as_str(), r.docs.as_slice())).collect();
        assert_eq!(docs, [("calls", &["Phone calls.".to_owned()][..]), ("queues", &[][..]), (SHARED_MODULE, &[][..])]);
    }
}
