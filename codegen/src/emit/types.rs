//! Models: structs for object schemas, open enums for string enums.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{Listing, Model, ModelField, OneOf, OneOfVariant, OpenEnum, Scope, doc_lines, ident, outer_docs};
use crate::ir::{EnumDef, FieldPath, NextPage, Pagination, ResponsesDef, StructDef, TypeDef, TypeRef, UnionDef};

pub(super) fn type_def(def: &TypeDef, cx: &Scope) -> TokenStream {
    match def {
        TypeDef::Struct(s) => {
            let page = cx.pages.get(s.name.as_str()).map(|p| page_impl(s, p, cx));
            let validate = s.validated.then(|| super::checks::validate_impl(s, cx));
            let def = struct_def(s, cx);
            quote! { #def #validate #page }
        }
        TypeDef::Enum(e) => enum_def(e, cx),
        TypeDef::Responses(r) => responses_def(r, cx),
        TypeDef::Union(u) => {
            let validate = u.validated.then(|| super::checks::union_validate_impl(u, cx));
            let def = union_def(u, cx);
            quote! { #def #validate }
        }
        TypeDef::Alias(a) => {
            let docs = outer_docs(&a.docs);
            let name = ident(&a.name);
            let ty = cx.ty(&a.ty);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

/// The struct, declared through the runtime's `model!`: each field with its
/// docs, type and wire name (and codec, where the type doesn't say it), from
/// which the macro derives `Debug` and the serde impls. Personal data is
/// marked `redacted` (`redacted_required` for a required field): `Debug`
/// shows only whether there is a value.
fn struct_def(s: &StructDef, cx: &Scope) -> TokenStream {
    let fields = s.fields.iter().map(|f| {
        let ty = cx.ty(&f.ty);
        let ty = if f.boxed && !f.rest { quote!(Box<#ty>) } else { ty };
        let ty = if f.optional && !f.rest { quote!(Option<#ty>) } else { ty };
        ModelField {
            docs: doc_lines(&f.docs),
            name: ident(&f.name),
            ty,
            wire: (!f.rest).then(|| f.wire_name.clone()),
            shown: match (f.sensitive, f.optional) {
                (false, _) => None,
                (true, true) => Some("redacted"),
                (true, false) => Some("redacted_required"),
            },
            codec: (!f.rest && f.ty == TypeRef::DateTimeRfc2822).then_some("rfc2822"),
        }
    });
    cx.listing(Listing::Model(Model {
        docs: doc_lines(&s.docs),
        // Callers build request models with struct literals; the rest can
        // gain fields without breaking anyone.
        non_exhaustive: !s.in_requests,
        name: ident(&s.name),
        fields: fields.collect(),
    }))
}

/// Lets the runtime's pager take the items and the next link out of a page.
fn page_impl(s: &StructDef, page: &Pagination, cx: &Scope) -> TokenStream {
    let name = ident(&s.name);
    let item = cx.ty(&page.item_type);
    let items = access_owned(&page.items);
    let next = match &page.next {
        NextPage::Link(field) => {
            let value = access_str(field);
            quote!(#value.map(rt::NextPage::Url))
        }
        NextPage::Token { field, param } => {
            let value = access_str(field);
            quote!(#value.map(|value| rt::NextPage::Query { name: #param, value }))
        }
        // The client reads the `Link` header when the body names no next page.
        NextPage::LinkHeader => quote!(None),
        NextPage::AfterLast { has_more, id, param } => {
            let no_more = access_unset(has_more);
            let (field, optional) = &page.items[0];
            let field = ident(field);
            let last = if *optional { quote!(self.#field.as_ref()?.last()?) } else { quote!(self.#field.last()?) };
            let (id, optional) = id;
            let id = ident(id);
            let value = if *optional { quote!(last.#id.as_deref()) } else { quote!(Some(last.#id.as_str())) };
            quote! {
                if #no_more {
                    return None;
                }
                let last = #last;
                #value.map(|value| rt::NextPage::Query { name: #param, value })
            }
        }
        // The stream counts the pages (see `operation::operation`).
        NextPage::PageNumber { .. } => quote!(None),
    };
    quote! {
        impl rt::Page for #name {
            type Item = #item;

            fn into_items(self) -> Vec<Self::Item> {
                #items
            }

            fn next_page(&self) -> Option<rt::NextPage<'_>> {
                #next
            }
        }
    }
}

/// Moves a `Vec` out of `self` along `path` (a single field here).
fn access_owned(path: &FieldPath) -> TokenStream {
    let (field, optional) = &path[0];
    let field = ident(field);
    if *optional { quote!(self.#field.unwrap_or_default()) } else { quote!(self.#field) }
}

/// Borrows the string at the end of `path`, stepping through `Option`s.
fn access_str(path: &FieldPath) -> TokenStream {
    let ((field, optional), expr) = access(path);
    if *optional { quote!(#expr.#field.as_deref()) } else { quote!(Some(#expr.#field.as_str())) }
}

/// Whether the flag at the end of `path` is unset (a missing one is).
fn access_unset(path: &FieldPath) -> TokenStream {
    let ((field, optional), expr) = access(path);
    if *optional { quote!(#expr.#field != Some(true)) } else { quote!(!#expr.#field) }
}

/// The last field of `path`, and the expression that holds it (`?` on the
/// way through `Option`s).
fn access(path: &FieldPath) -> ((proc_macro2::Ident, &bool), TokenStream) {
    let mut expr = quote!(self);
    let (last, steps) = path.split_last().expect("a field path has at least one field");
    for (field, optional) in steps {
        let field = ident(field);
        expr = if *optional { quote!(#expr.#field.as_ref()?) } else { quote!(#expr.#field) };
    }
    ((ident(&last.0), &last.1), expr)
}

/// The enum, declared through the runtime's `open_enum!` (text values) or
/// `open_int_enum!` (integers): each variant with its wire value, from which
/// the macro writes the variant docs, the accessor, `From` and the variant
/// that keeps values the spec does not list.
fn enum_def(e: &EnumDef, cx: &Scope) -> TokenStream {
    let variants = e.variants.iter().map(|v| {
        let value = if e.integer { Literal::i64_unsuffixed(v.value.parse().unwrap_or_default()) } else { Literal::string(&v.value) };
        (ident(&v.name), value)
    });
    cx.listing(Listing::OpenEnum(OpenEnum {
        docs: doc_lines(&e.docs),
        name: ident(&e.name),
        variants: variants.collect(),
        other: ident(&e.other_variant),
        integer: e.integer,
    }))
}

/// A `oneOf`/`anyOf` enum through the runtime's `one_of!`. Variants that hold
/// a struct or another union hold it boxed: one may contain the enum itself,
/// and the enum stays small.
fn union_def(u: &UnionDef, cx: &Scope) -> TokenStream {
    let variants = u.variants.iter().map(|v| {
        let ty = cx.ty(&v.ty);
        let ty = if cx.is_json_encoded(&v.ty) && matches!(v.ty, TypeRef::Named(_)) { quote!(Box<#ty>) } else { ty };
        let tags = if u.tag.is_some() { v.tags.clone() } else { Vec::new() };
        OneOfVariant { name: ident(&v.name), ty, tags }
    });
    cx.listing(Listing::OneOf(OneOf {
        docs: doc_lines(&u.docs),
        name: ident(&u.name),
        variants: variants.collect(),
        tag: u.tag.clone(),
        other: ident(&u.other_variant),
    }))
}

/// An operation's output when its 2xx statuses differ in their bodies: a
/// variant per status, and the `rt::Decode` impl that picks it.
fn responses_def(r: &ResponsesDef, cx: &Scope) -> TokenStream {
    let docs = outer_docs(&r.docs);
    let name = ident(&r.name);
    let variants = r.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let doc = match v.status {
            Some(status) => format!(" `{status}`"),
            None => " Any other 2xx status.".to_owned(),
        };
        let doc = super::doc_text(&doc);
        match &v.ty {
            Some(ty) => {
                let ty = cx.ty(ty);
                quote! { #[doc = #doc] #variant(#ty), }
            }
            None => quote! { #[doc = #doc] #variant, },
        }
    });
    let arms = r.variants.iter().map(|v| {
        let variant = ident(&v.name);
        let status = match v.status {
            Some(status) => {
                let status = proc_macro2::Literal::u16_unsuffixed(status);
                quote!(#status)
            }
            None => quote!(_),
        };
        match &v.ty {
            Some(_) => quote! { #status => rt::Decode::decode(response).map(Self::#variant), },
            None => quote! { #status => Ok(Self::#variant), },
        }
    });
    let other = r.variants.iter().all(|v| v.status.is_some()).then(|| quote! { _ => Err(response.unexpected()), });
    // A response is moved once, from the decoder to the caller: boxing the
    // big variant would cost an allocation and save nothing.
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
        }

        impl rt::Decode for #name {
            fn decode(response: &rt::Raw<'_>) -> Result<Self, rt::Error> {
                match response.status {
                    #(#arms)*
                    #other
                }
            }
        }
    }
}
