//! Stage 3: IR to one `TokenStream` per output file, with `quote!` only.
//!
//! Layout of the output, relative to `generated/src/`:
//!
//! - `apis/mod.rs`: one `pub mod` per spec;
//! - `apis/<spec>/mod.rs`: the spec's docs, its resource modules, re-exports;
//! - `apis/<spec>/<resource>.rs`: the resource's models and operations.

mod checks;
mod listing;
mod operation;
mod tables;
mod types;

pub use listing::{Listing, Model, ModelField, OneOf, OneOfVariant, OpenEnum, Setter, Setters};
pub use tables::{decoder_table, request_table};

use std::cell::RefCell;
use std::collections::BTreeMap;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::ir::{Api, Pagination, Resource, TypeDef, TypeRef};

/// One file to be rendered.
pub struct FileTokens {
    /// Path relative to the generated crate's `src/`, with `/` separators.
    pub path: String,
    /// What the file is generated from, for its header (`specs/x.yaml`).
    pub source: String,
    /// The file's items; each body-carrying macro call is a stand-in
    /// naming its place in `listings`.
    pub tokens: TokenStream,
    pub listings: Vec<Listing>,
}

/// The module that lists every API, each behind its own cargo feature.
pub fn root(apis: &[&Api]) -> FileTokens {
    let mods = apis.iter().map(|api| {
        let name = ident(&api.module);
        let feature = feature(api);
        let doc = outer_docs(&[format!("{} (from `{}`; cargo feature `{feature}`).", api.title, api.source)]);
        quote! {
            #doc
            #[cfg(feature = #feature)]
            pub mod #name;
        }
    });
    FileTokens {
        path: "apis/mod.rs".to_owned(),
        source: "specs/".to_owned(),
        tokens: quote! {
            //! One module per OpenAPI document in `specs/`, each behind the
            //! cargo feature of the same name.
            #(#mods)*
        },
        listings: Vec::new(),
    }
}

/// The Rust type for a [`TypeRef`]: `runtime` is the path of the crate's
/// runtime module as the code naming it sees it (`rt`), `named` the path of
/// a named type.
pub(crate) fn rust_type(ty: &TypeRef, runtime: &TokenStream, named: &dyn Fn(&str) -> TokenStream) -> TokenStream {
    match ty {
        TypeRef::String => quote!(String),
        TypeRef::Bool => quote!(bool),
        TypeRef::I32 => quote!(i32),
        TypeRef::I64 => quote!(i64),
        TypeRef::U32 => quote!(u32),
        TypeRef::U64 => quote!(u64),
        TypeRef::Uuid => quote!(uuid::Uuid),
        TypeRef::Base64 => quote!(#runtime::Base64),
        TypeRef::IpAddr => quote!(std::net::IpAddr),
        TypeRef::Ipv4Addr => quote!(std::net::Ipv4Addr),
        TypeRef::Ipv6Addr => quote!(std::net::Ipv6Addr),
        TypeRef::Number => quote!(#runtime::Number),
        TypeRef::DateTime | TypeRef::DateTimeRfc2822 => quote!(chrono::DateTime<chrono::FixedOffset>),
        TypeRef::Date => quote!(chrono::NaiveDate),
        TypeRef::Json => quote!(serde_json::Value),
        TypeRef::Binary => quote!(#runtime::Binary),
        TypeRef::Named(name) => named(name),
        TypeRef::Array(inner) => {
            let inner = rust_type(inner, runtime, named);
            quote!(Vec<#inner>)
        }
        TypeRef::Map(inner) => {
            let inner = rust_type(inner, runtime, named);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(inner, runtime, named);
            quote!(Option<#inner>)
        }
    }
}

/// The cargo feature that enables an API: its module name.
pub fn feature(api: &Api) -> String {
    api.module.trim_start_matches("r#").to_owned()
}

/// The files of one API.
pub fn api(api: &Api) -> Vec<FileTokens> {
    let index: BTreeMap<String, Home> = api
        .resources
        .iter()
        .flat_map(|r| {
            r.types.iter().map(move |t| {
                let home = Home {
                    module: r.module.clone(),
                    is_enum: matches!(t, TypeDef::Enum(_)),
                    validated: match t {
                        TypeDef::Struct(s) => s.validated,
                        TypeDef::Union(u) => u.validated,
                        _ => false,
                    },
                };
                (t.name().to_owned(), home)
            })
        })
        .collect();
    let pages: BTreeMap<&str, &Pagination> = api
        .resources
        .iter()
        .flat_map(|r| &r.operations)
        .filter_map(|op| match (&op.response, &op.pagination) {
            (Some(TypeRef::Named(name)), Some(p)) => Some((name.as_str(), p)),
            _ => None,
        })
        .collect();

    let mut files = vec![api_mod(api)];
    for resource in &api.resources {
        let cx = Scope { module: &resource.module, index: &index, pages: &pages, listings: RefCell::default() };
        let tokens = resource_file(resource, &cx);
        files.push(FileTokens {
            path: format!("apis/{}/{}.rs", api.module, resource.module),
            source: api.source.clone(),
            tokens,
            listings: cx.listings.into_inner(),
        });
    }
    files
}

fn api_mod(api: &Api) -> FileTokens {
    let mut docs = vec![api.title.clone()];
    docs.extend(api.docs.iter().cloned());
    let docs = inner_docs(&docs);
    let mods = api.resources.iter().map(|r| {
        let name = ident(&r.module);
        quote! {
            pub mod #name;
            pub use #name::*;
        }
    });
    FileTokens {
        path: format!("apis/{}/mod.rs", api.module),
        source: api.source.clone(),
        tokens: quote! {
            #docs
            #(#mods)*
        },
        listings: Vec::new(),
    }
}

fn resource_file(resource: &Resource, cx: &Scope) -> TokenStream {
    let docs = inner_docs(&resource.docs);
    let needs_runtime = !resource.operations.is_empty()
        || resource.types.iter().any(|t| match t {
            // `rt::model!`, `rt::open_enum!`.
            TypeDef::Struct(_) | TypeDef::Enum(_) | TypeDef::Responses(_) | TypeDef::Union(_) => true,
            TypeDef::Alias(a) => *a.ty.element() == TypeRef::Number,
        });
    let runtime = needs_runtime.then(|| quote! { use crate::runtime as rt; });
    let types = resource.types.iter().map(|t| types::type_def(t, cx));
    let ops = resource.operations.iter().map(|op| operation::operation(op, cx));
    quote! {
        #docs
        #runtime
        #(#types)*
        #(#ops)*
    }
}

/// What emitting one file needs to know about the rest of its API.
pub(crate) struct Scope<'a> {
    /// The resource module being emitted.
    module: &'a str,
    /// Where each named type is defined.
    index: &'a BTreeMap<String, Home>,
    /// Response types that are list pages, and how to walk them.
    pages: &'a BTreeMap<&'a str, &'a Pagination>,
    /// The file's body-carrying macro calls, in order.
    listings: RefCell<Vec<Listing>>,
}

impl Scope<'_> {
    /// Keeps a macro call for render and returns its stand-in.
    pub(crate) fn listing(&self, listing: Listing) -> TokenStream {
        let mut listings = self.listings.borrow_mut();
        let stand_in = listing.stand_in(listings.len());
        listings.push(listing);
        stand_in
    }

    /// The Rust type for a [`TypeRef`], as seen from the current module.
    pub(crate) fn ty(&self, ty: &TypeRef) -> TokenStream {
        rust_type(ty, &quote!(rt), &|name| {
            let name_ident = ident(name);
            match self.index.get(name) {
                Some(home) if home.module != self.module => {
                    let module = ident(&home.module);
                    quote!(super::#module::#name_ident)
                }
                _ => quote!(#name_ident),
            }
        })
    }

    /// A type for a doc comment: a link for a named type, else in code.
    pub(crate) fn doc_link(&self, ty: &TypeRef) -> String {
        let path: String = self.ty(ty).to_string().chars().filter(|c| !c.is_whitespace()).collect();
        match ty {
            TypeRef::Named(name) if *name == path => format!("[`{name}`]"),
            TypeRef::Named(name) => format!("[`{name}`]({path})"),
            _ => format!("`{path}`"),
        }
    }

    /// Whether `ty` is, or holds in arrays and maps, a struct or union with
    /// an `rt::Validate` impl.
    pub(crate) fn leads_to_validated(&self, ty: &TypeRef) -> bool {
        match ty.element() {
            TypeRef::Named(name) => self.index.get(name).is_some_and(|home| home.validated),
            _ => false,
        }
    }

    /// Whether values of this type go into a query, header or form as JSON
    /// text (objects and free-form values) rather than as a plain scalar.
    pub(crate) fn is_json_encoded(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Json | TypeRef::Map(_) | TypeRef::Array(_) => true,
            TypeRef::Named(name) => self.index.get(name).is_some_and(|home| !home.is_enum),
            _ => false,
        }
    }
}

/// Where a named type is defined, and what it is.
struct Home {
    module: String,
    is_enum: bool,
    /// A struct or union with an `rt::Validate` impl.
    validated: bool,
}

/// An identifier from an IR name; `r#type` becomes a raw identifier.
pub(crate) fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// `#[doc]` attributes, one per paragraph with empty lines between.
pub(crate) fn outer_docs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #(#[doc = #lines])* }
}

fn inner_docs(paragraphs: &[String]) -> TokenStream {
    let lines = doc_lines(paragraphs);
    quote! { #(#![doc = #lines])* }
}

/// Doc comment lines, one per paragraph with empty lines between, each as
/// it follows `///`.
pub(crate) fn doc_lines(paragraphs: &[String]) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, p) in paragraphs.iter().enumerate() {
        if i > 0 {
            lines.push(String::new());
        }
        lines.push(doc_text(&format!(" {p}")));
    }
    lines
}

/// Text that can stand in a doc comment: a tab becomes four spaces (as
/// clippy asks), other control characters (a bare CR is an error there) and
/// text-direction overrides (rustc denies them in comments) a space.
pub(crate) fn doc_text(text: &str) -> String {
    let unfit = |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\t' => out.push_str("    "),
            c if unfit(c) => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
