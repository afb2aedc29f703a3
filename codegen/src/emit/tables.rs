//! Tables of every operation for tests outside the generated crate, which
//! `cargo xtask corpus` writes into its scratch workspace's tests: the
//! response decoders (`xtask/corpus/decoders.rs`) and a way to build and
//! send each request from JSON values (`xtask/corpus/requests.rs`). A new
//! spec is covered the day it is added: nothing here names an operation.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{FileTokens, ident};
use crate::ir::{Api, Location, TypeDef, TypeRef};

/// A table of every operation's response decoder, for tests outside the
/// generated crate that feed them bodies (`xtask/corpus/decoders.rs`): one
/// `super::Decoder` per operation, with its spec, method and path, decoding
/// through `super::decode::<Operation>`, and, where the 2xx bodies are one
/// JSON model (a struct, an enum, or arrays and maps of them), through
/// `super::round_trip::<Type>`. `krate` is the generated crate's name as the
/// tests see it (`twilio_api`).
pub fn decoder_table(apis: &[&Api], krate: &str) -> FileTokens {
    let krate = ident(krate);
    let entries = apis.iter().flat_map(|api| {
        let module = ident(&api.module);
        let krate = krate.clone();
        let models: BTreeMap<&str, bool> = api
            .resources
            .iter()
            .flat_map(|r| &r.types)
            .map(|t| (t.name(), matches!(t, TypeDef::Struct(_) | TypeDef::Union(_) | TypeDef::Enum(_))))
            .collect();
        api.resources.iter().flat_map(|r| &r.operations).map(move |op| {
            let (source, method, path) = (&api.source, op.method.as_str(), &op.path);
            let name = ident(&op.name);
            let round_trip = |ty: Option<&TypeRef>| match ty.and_then(|ty| model_path(ty, &quote!(#krate::#module), &models)) {
                Some(ty) => quote!(Some(super::round_trip::<#ty>)),
                None => quote!(None),
            };
            let response = round_trip(op.response.as_ref());
            let request = round_trip(op.params.iter().find(|p| p.location == Location::JsonBody).map(|p| &p.ty));
            quote! {
                super::Decoder {
                    spec: #source, method: #method, path: #path,
                    decode: super::decode::<#krate::#module::#name>,
                    round_trip: #response,
                    request_round_trip: #request,
                },
            }
        })
    });
    FileTokens {
        path: "decoders/table.rs".to_owned(),
        source: "specs/".to_owned(),
        tokens: quote! {
            pub const DECODERS: &[super::Decoder] = &[#(#entries)*];
        },
        listings: Vec::new(),
    }
}

/// The path of a model type from outside the crate (`twilio_api::github::Issue`,
/// `Vec<...>`), if `ty` is one (see [`decoder_table`]).
fn model_path(ty: &TypeRef, module: &TokenStream, models: &BTreeMap<&str, bool>) -> Option<TokenStream> {
    match ty {
        TypeRef::Named(name) if models.get(name.as_str()) == Some(&true) => {
            let name = ident(name);
            Some(quote!(#module::#name))
        }
        TypeRef::Array(inner) => model_path(inner, module, models).map(|inner| quote!(Vec<#inner>)),
        TypeRef::Map(inner) => model_path(inner, module, models).map(|inner| quote!(std::collections::BTreeMap<String, #inner>)),
        TypeRef::Nullable(inner) => model_path(inner, module, models).map(|inner| quote!(Option<#inner>)),
        _ => None,
    }
}

/// A table of every operation as a request built from JSON values, for
/// the test that sends each one to a validating mock server
/// (`xtask/corpus/requests.rs`): one `super::Call` per operation, with its
/// spec, method, path and request struct's name, built by a function of its
/// own that reads each field's value
/// from `super::Values` (by field name) through `super::required` and
/// `super::optional` (serde), or `super::required_files` and
/// `super::optional_files` (bytes), constructs the request with `new`, sets
/// the optional fields, and boxes it as a `super::Sendable`.
pub fn request_table(apis: &[&Api], krate: &str) -> FileTokens {
    let krate = ident(krate);
    let mut builders = Vec::new();
    let mut entries = Vec::new();
    for api in apis {
        let module = ident(&api.module);
        for op in api.resources.iter().flat_map(|r| &r.operations) {
            let build = format_ident!("build_{}", builders.len());
            let name = ident(&op.name);
            let args = op.params.iter().filter(|p| p.required).map(|p| {
                let field = p.name.trim_start_matches("r#");
                let ty = outside_type(&p.ty, &quote!(#krate::#module), &quote!(#krate));
                if holds_bytes(&p.ty) {
                    quote!(super::required_files::<#ty>(values, #field)?)
                } else {
                    quote!(super::required::<#ty>(values, #field)?)
                }
            });
            let optional: Vec<TokenStream> = op
                .params
                .iter()
                .filter(|p| !p.required)
                .map(|p| {
                    let field = p.name.trim_start_matches("r#");
                    let name = ident(&p.name);
                    let read = if holds_bytes(&p.ty) { quote!(super::optional_files) } else { quote!(super::optional) };
                    quote! {
                        if let Some(value) = #read(values, #field)? {
                            call.#name = value;
                        }
                    }
                })
                .collect();
            let mutable = (!optional.is_empty()).then(|| quote!(mut));
            let values = if op.params.is_empty() { quote!(_) } else { quote!(values) };
            builders.push(quote! {
                fn #build(#values: &super::Values) -> Result<Box<dyn super::Sendable>, String> {
                    let #mutable call = #krate::#module::#name::new(#(#args),*);
                    #(#optional)*
                    Ok(Box::new(call))
                }
            });
            let (source, method, path, operation) = (&api.source, op.method.as_str(), &op.path, &op.name);
            entries.push(quote! {
                super::Call {
                    spec: #source, method: #method, path: #path, operation: #operation,
                    build: #build,
                },
            });
        }
    }
    FileTokens {
        path: "requests/table.rs".to_owned(),
        source: "specs/".to_owned(),
        tokens: quote! {
            pub const CALLS: &[super::Call] = &[#(#entries)*];
            #(#builders)*
        },
        listings: Vec::new(),
    }
}

/// Whether a parameter's value is bytes (a file, files, or parts by name).
fn holds_bytes(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Binary => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => holds_bytes(inner),
        _ => false,
    }
}

/// A field's Rust type as code outside the crate names it (`module`: the
/// API's module path, `krate`: the crate's).
fn outside_type(ty: &TypeRef, module: &TokenStream, krate: &TokenStream) -> TokenStream {
    super::rust_type(ty, &quote!(#krate::runtime), &|name| {
        let name = ident(name);
        quote!(#module::#name)
    })
}
