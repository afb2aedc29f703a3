//! How a list operation pages, told by what the document shows: the
//! `Link` header ([`from_link_header`]), the operation's shape where it
//! leaves no doubt ([`from_shape`]), or the spec's settings
//! ([`from_settings`]); and the helpers vendors' conventions use to read
//! their own paging shapes. Which applies to an operation is the paging
//! pass's choice (`passes/paging.rs`).

use crate::ir::{Field, FieldPath, Location, Method, NextPage, Operation, Pagination, StructDef, TypeDef, TypeRef};
use crate::settings::{Next, Paging};

/// Cursor fields of a page and the query parameter each is sent back in.
const CURSORS: &[(&[&str], &[&str])] = &[
    (&["next_cursor", "nextCursor"], &["cursor"]),
    (&["next_page_token", "nextPageToken"], &["page_token", "pageToken"]),
    (&["next_token", "nextToken"], &["next_token", "nextToken"]),
];
/// Fields holding the next page's URL.
const NEXT_URLS: &[&str] = &["next_url", "nextUrl", "next_page_url", "nextPageUrl", "next_link", "nextLink"];
/// Query parameters that set the page size.
pub(crate) const PAGE_SIZES: &[&str] = &["per_page", "page_size", "pageSize"];

/// Paging told by the shape of a `GET` whose response is an object with
/// one array field (the items) and one of:
/// - a cursor field and its query parameter (`next_cursor` → `cursor`,
///   `next_page_token` → `page_token`, `next_token` → `next_token`, or
///   their camelCase forms);
/// - a field with the next page's URL (`next_url`, `next_page_url`,
///   `next_link`, or camelCase);
/// - a `has_more` flag and a `starting_after` query parameter, items with
///   an `id`.
///
/// Each field may sit at the top of the page or in an object field of it
/// (`response_metadata.next_cursor`). Anything else is not paged unless the
/// settings say how.
pub fn from_shape(op: &Operation, types: &[TypeDef]) -> Option<Pagination> {
    if op.method != Method::Get {
        return None;
    }
    let page = find_struct(op.response.as_ref()?, types)?;
    let (items, item_type) = one_array(page)?;
    let cursor = CURSORS.iter().find_map(|(fields, params)| {
        let field = string_field(page, types, fields)?;
        Some(NextPage::Token { field, param: query_param(op, params)? })
    });
    let url = || string_field(page, types, NEXT_URLS).map(NextPage::Link);
    let after_last = || {
        let param = query_param(op, &["starting_after"])?;
        let has_more = page.fields.iter().find(|f| f.wire_name == "has_more" && f.ty == TypeRef::Bool)?;
        let id = find_struct(&item_type, types)?.fields.iter().find(|f| f.wire_name == "id" && f.ty == TypeRef::String)?;
        Some(NextPage::AfterLast {
            has_more: vec![(has_more.name.clone(), has_more.optional)],
            id: (id.name.clone(), id.optional),
            param,
        })
    };
    let next = cursor.or_else(url).or_else(after_last)?;
    Some(Pagination { items, item_type, next, page_size_param: query_param(op, PAGE_SIZES) })
}

/// Paging as the spec's settings say; the error says what does not fit
/// the operation.
pub fn from_settings(op: &Operation, types: &[TypeDef], paging: &Paging) -> Result<Pagination, String> {
    let response = op.response.as_ref().ok_or("the operation's response has no body")?;
    let page = find_struct(response, types);
    let (items, item_type) = match (&paging.items, response, page) {
        (None, TypeRef::Array(item), _) => (Vec::new(), (**item).clone()),
        (None, _, Some(page)) => one_array(page).ok_or("the response has no single array field; name it in `items`")?,
        (Some(dotted), _, Some(page)) => match resolve(page, types, dotted)? {
            (path, TypeRef::Array(item)) if path.len() == 1 => (path, (**item).clone()),
            _ => return Err(format!("`items: {dotted}` is not an array field at the top of the response")),
        },
        (_, _, None) => return Err("the response is neither an array nor an object".to_owned()),
    };
    let param = |name: &str| match query_param(op, &[name]) {
        Some(param) => Ok(param),
        None => Err(format!("the operation has no query parameter `{name}`")),
    };
    let string = |dotted: &str| {
        let page = page.ok_or("the response is not an object")?;
        match resolve(page, types, dotted)? {
            (path, TypeRef::String) => Ok(path),
            _ => Err(format!("`{dotted}` is not a string field")),
        }
    };
    let next = match &paging.next {
        Next::Url { field } => NextPage::Link(string(field)?),
        Next::Cursor { field, param: name } => NextPage::Token { field: string(field)?, param: param(name)? },
        Next::AfterLast { has_more, id, param: name } => {
            let page = page.ok_or("the response is not an object")?;
            let has_more_path = match resolve(page, types, has_more)? {
                (path, TypeRef::Bool) => path,
                _ => return Err(format!("`{has_more}` is not a boolean field")),
            };
            if items.is_empty() {
                return Err("`after_last` needs the items in a field of the response".to_owned());
            }
            let id_name = id.as_deref().unwrap_or("id");
            let item = find_struct(&item_type, types).ok_or("the items are not objects")?;
            let id = match resolve(item, types, id_name)? {
                (path, TypeRef::String) if path.len() == 1 => path[0].clone(),
                _ => return Err(format!("the items' `{id_name}` is not a string field")),
            };
            NextPage::AfterLast { has_more: has_more_path, id, param: param(name)? }
        }
        Next::Page { param: name } => NextPage::PageNumber { param: param(name)? },
        Next::LinkHeader => NextPage::LinkHeader,
    };
    let page_size_param = match &paging.page_size {
        Some(name) => Some(param(name)?),
        None => None,
    };
    Ok(Pagination { items, item_type, next, page_size_param })
}

/// The one array field of a page, and its item type.
pub(crate) fn one_array(page: &StructDef) -> Option<(FieldPath, TypeRef)> {
    let mut arrays = page.fields.iter().filter_map(|f| match &f.ty {
        TypeRef::Array(item) => Some((f, item)),
        _ => None,
    });
    let (field, item) = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    Some((vec![(field.name.clone(), field.optional)], (**item).clone()))
}

/// A string field named one of `names`, at the top of `page` or in one of
/// its object fields.
fn string_field(page: &StructDef, types: &[TypeDef], names: &[&str]) -> Option<FieldPath> {
    let is_wanted = |f: &&Field| names.contains(&f.wire_name.as_str()) && f.ty == TypeRef::String;
    if let Some(field) = page.fields.iter().find(is_wanted) {
        return Some(vec![(field.name.clone(), field.optional)]);
    }
    page.fields.iter().find_map(|outer| {
        let inner = find_struct(&outer.ty, types)?.fields.iter().find(is_wanted)?;
        Some(vec![(outer.name.clone(), outer.optional), (inner.name.clone(), inner.optional)])
    })
}

/// The field at the dotted JSON names `dotted`, through object fields.
fn resolve<'t>(page: &'t StructDef, types: &'t [TypeDef], dotted: &str) -> Result<(FieldPath, &'t TypeRef), String> {
    let mut current = page;
    let mut path = Vec::new();
    let mut names = dotted.split('.').peekable();
    while let Some(name) = names.next() {
        let field = current
            .fields
            .iter()
            .find(|f| f.wire_name == name)
            .ok_or_else(|| format!("`{}` has no field `{name}` (in `{dotted}`)", current.name))?;
        path.push((field.name.clone(), field.optional));
        if names.peek().is_none() {
            return Ok((path, &field.ty));
        }
        current = find_struct(&field.ty, types).ok_or_else(|| format!("`{name}` in `{dotted}` is not an object field"))?;
    }
    Err("an empty field path".to_owned())
}

/// Paging by the `Link` header (RFC 8288, as GitHub and GitLab page): a
/// `GET` whose 2xx response declares a `Link` header, and whose body is an
/// array (the items) or an object with exactly one array field (the items).
/// The page size is the query parameter `per_page`, `page_size` or
/// `pageSize`, if the operation has one.
pub fn from_link_header(op: &Operation, types: &[TypeDef]) -> Option<Pagination> {
    if op.method != Method::Get || !op.response_headers.iter().any(|h| h.eq_ignore_ascii_case("link")) {
        return None;
    }
    let response = op.response.as_ref()?;
    let (items, item_type) = match response {
        TypeRef::Array(item) => (Vec::new(), (**item).clone()),
        TypeRef::Named(_) => one_array(find_struct(response, types)?)?,
        _ => return None,
    };
    let page_size_param = query_param(op, PAGE_SIZES);
    Some(Pagination { items, item_type, next: NextPage::LinkHeader, page_size_param })
}

/// The struct a [`TypeRef::Named`] names, if it is one.
pub(crate) fn find_struct<'t>(ty: &TypeRef, types: &'t [TypeDef]) -> Option<&'t StructDef> {
    let TypeRef::Named(name) = ty else { return None };
    types.iter().find_map(|t| match t {
        TypeDef::Struct(s) if &s.name == name => Some(s),
        _ => None,
    })
}

/// The wire name of the operation's first query parameter named one of
/// `names` (a page size, say).
pub(crate) fn query_param(op: &Operation, names: &[&str]) -> Option<String> {
    let param = op.params.iter().find(|p| p.location == Location::Query && names.contains(&p.wire_name.as_str()))?;
    Some(param.wire_name.clone())
}
