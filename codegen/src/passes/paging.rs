//! The paging pass: how to walk each list operation's pages. The spec's
//! settings come first where they name the operation; otherwise the
//! vendor's conventions decide (which fall back on what the document shows,
//! see `crate::paging`).

use crate::conventions::Conventions;
use crate::ir::{Operation, TypeDef};
use crate::settings::Settings;

/// Sets each operation's pagination. Errors are settings that do not fit
/// the document: the key they are under, and what is wrong.
pub(super) fn assign(
    operations: &mut [(String, Operation)],
    types: &[TypeDef],
    conventions: &dyn Conventions,
    settings: &Settings,
) -> Result<(), Vec<(String, String)>> {
    let mut errors = Vec::new();
    for (_, op) in operations.iter_mut() {
        op.pagination = match settings.paging.get(&op.name) {
            Some(paging) => crate::paging::from_settings(op, types, paging)
                .map_err(|message| errors.push((format!("paging.{}", op.name), message)))
                .ok(),
            None => conventions.pagination(op, types),
        };
    }
    for name in settings.paging.keys() {
        if !operations.iter().any(|(_, op)| &op.name == name) {
            errors.push((format!("paging.{name}"), "no operation of the spec has this name".to_owned()));
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conventions::Generic;
    use crate::ir::{Location, Method, NextPage, Pagination, TypeRef};
    use crate::passes::test_ir::{array, field, named, operation, optional, param, strukt};
    use crate::settings::{Next, Paging};

    /// A page of things with a cursor to the next one, which
    /// `crate::paging::from_shape` recognises on a `GET`.
    fn types() -> Vec<TypeDef> {
        vec![
            strukt("ThingPage", vec![field("things", array(named("Thing"))), optional("next_cursor", TypeRef::String)]),
            strukt("Thing", vec![field("id", TypeRef::String)]),
        ]
    }

    /// `GET /things?cursor=&page_size=&page=`, answered with a `ThingPage`.
    fn list_things(method: Method) -> (String, Operation) {
        let mut op = operation("ListThings", method);
        op.response = Some(named("ThingPage"));
        op.params = vec![
            param("cursor", Location::Query, TypeRef::String),
            param("page_size", Location::Query, TypeRef::I64),
            param("page", Location::Query, TypeRef::I64),
        ];
        ("thing".to_owned(), op)
    }

    fn settings(entries: Vec<(&str, Paging)>) -> Settings {
        Settings { paging: entries.into_iter().map(|(name, paging)| (name.to_owned(), paging)).collect(), strict: false }
    }

    fn by_page_number() -> Paging {
        Paging { items: None, next: Next::Page { param: "page".to_owned() }, page_size: None }
    }

    #[test]
    fn without_settings_the_conventions_decide() {
        let mut operations = vec![list_things(Method::Get)];
        assert_eq!(assign(&mut operations, &types(), &Generic, &Settings::default()), Ok(()));
        assert_eq!(
            operations[0].1.pagination,
            Some(Pagination {
                items: vec![("things".to_owned(), false)],
                item_type: named("Thing"),
                next: NextPage::Token { field: vec![("next_cursor".to_owned(), true)], param: "cursor".to_owned() },
                page_size_param: Some("page_size".to_owned()),
            })
        );
    }

    #[test]
    fn without_settings_what_the_conventions_do_not_recognise_is_not_paged() {
        // The same shape answering a `POST` is not a list to Generic; a
        // pagination set before the pass is replaced.
        let (module, mut op) = list_things(Method::Post);
        op.pagination = Some(Pagination {
            items: Vec::new(),
            item_type: TypeRef::Json,
            next: NextPage::LinkHeader,
            page_size_param: None,
        });
        let mut operations = vec![(module, op)];
        assert_eq!(assign(&mut operations, &types(), &Generic, &Settings::default()), Ok(()));
        assert_eq!(operations[0].1.pagination, None);
    }

    #[test]
    fn a_settings_entry_wins_over_the_conventions() {
        // Generic would page by the cursor (see above); the settings say
        // page numbers, and name no page size, so none is used.
        let mut operations = vec![list_things(Method::Get)];
        let settings = settings(vec![("ListThings", by_page_number())]);
        assert_eq!(assign(&mut operations, &types(), &Generic, &settings), Ok(()));
        assert_eq!(
            operations[0].1.pagination,
            Some(Pagination {
                items: vec![("things".to_owned(), false)],
                item_type: named("Thing"),
                next: NextPage::PageNumber { param: "page".to_owned() },
                page_size_param: None,
            })
        );
    }

    #[test]
    fn a_settings_entry_naming_no_operation_is_an_error() {
        let mut operations = vec![list_things(Method::Get)];
        let settings = settings(vec![("ListThingz", by_page_number())]);
        assert_eq!(
            assign(&mut operations, &types(), &Generic, &settings),
            Err(vec![("paging.ListThingz".to_owned(), "no operation of the spec has this name".to_owned())])
        );
    }

    #[test]
    fn a_settings_entry_that_does_not_fit_its_operation_is_an_error() {
        // `ListThings` has no `offset` parameter; every problem is reported,
        // those of the entries that name an operation first.
        let mut operations = vec![list_things(Method::Get)];
        let by_offset = Paging { items: None, next: Next::Page { param: "offset".to_owned() }, page_size: None };
        let settings = settings(vec![("ListThings", by_offset), ("ListThingz", by_page_number())]);
        assert_eq!(
            assign(&mut operations, &types(), &Generic, &settings),
            Err(vec![
                ("paging.ListThings".to_owned(), "the operation has no query parameter `offset`".to_owned()),
                ("paging.ListThingz".to_owned(), "no operation of the spec has this name".to_owned()),
            ])
        );
        assert_eq!(operations[0].1.pagination, None);
    }

    #[test]
    fn settings_apply_only_to_the_operation_they_name() {
        let (_, mut other) = list_things(Method::Get);
        other.name = "ListOtherThings".to_owned();
        let mut operations = vec![list_things(Method::Get), ("thing".to_owned(), other)];
        let settings = settings(vec![("ListThings", by_page_number())]);
        assert_eq!(assign(&mut operations, &types(), &Generic, &settings), Ok(()));
        let next: Vec<Option<&NextPage>> = operations.iter().map(|(_, op)| op.pagination.as_ref().map(|p| &p.next)).collect();
        assert_eq!(
            next,
            [
                Some(&NextPage::PageNumber { param: "page".to_owned() }),
                Some(&NextPage::Token { field: vec![("next_cursor".to_owned(), true)], param: "cursor".to_owned() }),
            ]
        );
    }
}
