//! Operations: a request struct per operation, its constructor and setters,
//! and the `rt::Operation` impl that turns it into an HTTP request.

use proc_macro2::TokenStream;
use quote::quote;

use super::checks::{At, field_checks};
use super::{Listing, Scope, Setter, Setters, ident, outer_docs};
use crate::ir::{AuthScheme, BodyKind, KeyIn, Location, Method, NextPage, Operation, Param, Style, TypeRef};

pub(super) fn operation(op: &Operation, cx: &Scope) -> TokenStream {
    let name = ident(&op.name);
    let mut docs = op.docs.clone();
    docs.push(format!("`{} {}`", op.method.as_str(), op.path));
    if op.redirects {
        docs.push("It answers with a redirect (`3xx`), which is its success: the target is in the `Location` header, through [`rt::Client::execute_with_response`].".to_owned());
    }
    if op.body == (BodyKind::Json { form_offered: true }) {
        docs.push("The body goes as JSON; the spec offers it as a URL-encoded form too, which [`rt::Operation::as_form`] sends.".to_owned());
    }
    if !op.errors.is_empty() {
        let errors: Vec<String> = op.errors.iter().map(|(status, ty)| format!("`{status}`: {}", cx.doc_link(ty))).collect();
        docs.push(format!("Bodies of non-2xx responses, for [`rt::ApiError::body_as`]: {}.", errors.join(", ")));
    }
    let docs = outer_docs(&docs);
    let required: Vec<&Param> = op.params.iter().filter(|p| is_required(p)).collect();
    let derive_default = required.is_empty().then(|| quote!(Default,));

    let fields = op.params.iter().map(|p| {
        let docs = outer_docs(&p.docs);
        let name = ident(&p.name);
        let ty = field_type(p, cx);
        quote! {
            #docs
            pub #name: #ty,
        }
    });

    let constructor = constructor(op, &required, cx);
    let setters: Vec<Setter> = op.params.iter().filter(|p| !is_required(p)).map(|p| setter(p, cx)).collect();
    let setters = (!setters.is_empty()).then(|| cx.listing(Listing::Setters(Setters { name: name.clone(), entries: setters })));
    let output = match &op.response {
        // Some 2xx statuses come without a body: `None`.
        Some(ty) if op.response_may_be_empty => {
            let ty = cx.ty(ty);
            quote!(Option<#ty>)
        }
        Some(ty) => cx.ty(ty),
        None => quote!(()),
    };
    let stream = op.pagination.as_ref().map(|page| {
        let item = cx.ty(&page.item_type);
        let page_size = match &page.page_size_param {
            Some(param) => quote!(Some(#param)),
            None => quote!(None),
        };
        let numbered = match &page.next {
            NextPage::PageNumber { param } => Some(quote!(.numbered(#param))),
            _ => None,
        };
        quote! {
            /// Every item of every page, fetching pages as the stream is read;
            /// see [`rt::ItemStream::limit`] to stop early.
            pub fn stream<'a>(&self, client: &'a rt::Client) -> rt::ItemStream<'a, #item> {
                client.paginate(self, #page_size)#numbered
            }
        }
    });
    let request = request_fn(op, cx);

    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        #[non_exhaustive]
        pub struct #name {
            #(#fields)*
        }

        impl #name {
            #constructor

            /// Sends the request and decodes the response.
            pub fn send(&self, client: &rt::Client) -> rt::Pending<#output> {
                client.start(self)
            }

            #stream
        }

        #setters

        impl rt::Operation for #name {
            type Output = #output;

            #request
        }
    }
}

/// Arrays are never `Option`: an empty `Vec` is simply not sent.
fn is_array(p: &Param) -> bool {
    matches!(p.ty, TypeRef::Array(_))
}

/// Whether the constructor takes the value.
fn is_required(p: &Param) -> bool {
    p.required
}

fn field_type(p: &Param, cx: &Scope) -> TokenStream {
    let ty = cx.ty(&p.ty);
    if is_required(p) || is_array(p) { ty } else { quote!(Option<#ty>) }
}

/// How a value of a parameter's type is taken as an argument (by the
/// constructor, and by the setters through the runtime's `setters!`, whose
/// entry kinds these are), with the type it is taken as.
enum Taken {
    /// `T` as it is (`some`).
    Some(TokenStream),
    /// `impl Into<T>` (`into`).
    Into(TokenStream),
    /// `impl IntoIterator<Item = T>` into a `Vec` (`each`).
    Each(TokenStream),
    /// `impl IntoIterator<Item = impl Into<T>>` into a `Vec` (`each_into`).
    EachInto(TokenStream),
}

fn taken(ty: &TypeRef, cx: &Scope) -> Taken {
    match ty {
        // `DateTime<Utc>` (what `Utc::now()` gives) goes in as it is.
        TypeRef::String | TypeRef::Number | TypeRef::Binary | TypeRef::Base64 | TypeRef::DateTime => Taken::Into(cx.ty(ty)),
        TypeRef::Array(inner) if matches!(**inner, TypeRef::String | TypeRef::Number) => Taken::EachInto(cx.ty(inner)),
        TypeRef::Array(inner) => Taken::Each(cx.ty(inner)),
        other => Taken::Some(cx.ty(other)),
    }
}

/// The argument type the constructor takes for `ty`, and how to turn the
/// argument (`value`) into the field's type; `None` when it already is of
/// that type.
fn argument(ty: &TypeRef, value: &TokenStream, cx: &Scope) -> (TokenStream, Option<TokenStream>) {
    match taken(ty, cx) {
        Taken::Some(ty) => (ty, None),
        Taken::Into(ty) => (quote!(impl Into<#ty>), Some(quote!(#value.into()))),
        Taken::Each(ty) => (quote!(impl IntoIterator<Item = #ty>), Some(quote!(#value.into_iter().collect()))),
        Taken::EachInto(ty) => {
            (quote!(impl IntoIterator<Item = impl Into<#ty>>), Some(quote!(#value.into_iter().map(Into::into).collect())))
        }
    }
}

fn constructor(op: &Operation, required: &[&Param], cx: &Scope) -> TokenStream {
    let args = required.iter().map(|p| {
        let name = ident(&p.name);
        let (ty, _) = argument(&p.ty, &quote!(#name), cx);
        quote!(#name: #ty)
    });
    let allow = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let doc = if required.is_empty() {
        "A request with nothing set yet.".to_owned()
    } else {
        let names: Vec<String> = required.iter().map(|p| format!("`{}`", p.wire_name)).collect();
        format!("A request with its required values: {}.", names.join(", "))
    };
    let body = if required.is_empty() {
        quote!(Self::default())
    } else {
        let inits = op.params.iter().map(|p| {
            let name = ident(&p.name);
            if is_required(p) {
                match argument(&p.ty, &quote!(#name), cx) {
                    (_, Some(convert)) => quote!(#name: #convert),
                    // `name: name` is spelled `name` (clippy::redundant_field_names).
                    (_, None) => quote!(#name),
                }
            } else if is_array(p) {
                quote!(#name: Vec::new())
            } else {
                quote!(#name: None)
            }
        });
        quote!(Self { #(#inits,)* })
    };
    let doc = outer_docs(&[doc]);
    quote! {
        #doc
        #allow
        pub fn new(#(#args),*) -> Self {
            #body
        }
    }
}

/// The `rt::setters!` entry of an optional parameter: its kind (see the
/// runtime's `setters!`) and the type it takes.
fn setter(p: &Param, cx: &Scope) -> Setter {
    let (kind, ty) = match taken(&p.ty, cx) {
        Taken::Some(ty) => ("some", ty),
        Taken::Into(ty) => ("into", ty),
        Taken::Each(ty) => ("each", ty),
        Taken::EachInto(ty) => ("each_into", ty),
    };
    Setter { name: ident(&p.name), kind, ty }
}

/// `fn request`: validation first, then the parts of the HTTP request.
fn request_fn(op: &Operation, cx: &Scope) -> TokenStream {
    let method = match op.method {
        Method::Get => quote!(GET),
        Method::Post => quote!(POST),
        Method::Put => quote!(PUT),
        Method::Patch => quote!(PATCH),
        Method::Delete => quote!(DELETE),
        Method::Head => quote!(HEAD),
        Method::Options => quote!(OPTIONS),
        Method::Trace => quote!(TRACE),
    };
    let server = &op.server;
    let path = &op.path;
    let auth = op.auth.iter().map(auth_scheme);
    let checks = op.params.iter().map(|p| check(p, cx));
    let form = match op.body {
        BodyKind::Form => Some(quote!(request.use_form_body();)),
        BodyKind::Multipart => Some(quote!(request.use_multipart_body();)),
        BodyKind::Json { form_offered: true } => Some(quote!(request.form_offered();)),
        _ => None,
    };
    let accept = op.accept.as_ref().map(|media| quote!(request.accept(#media);));
    let redirects = op.redirects.then(|| quote!(request.redirect_is_success();));
    let variables = (!op.server_variables.is_empty()).then(|| {
        let pairs = op.server_variables.iter().map(|variable| {
            let (name, default, allowed) = (&variable.name, &variable.default, &variable.allowed);
            quote!((#name, #default, &[#(#allowed),*]))
        });
        quote!(request.server_variables(&[#(#pairs),*]);)
    });
    let raw_type = match &op.body {
        BodyKind::Raw(media) => media.as_str(),
        _ => "",
    };
    let parts = op.params.iter().map(|p| add_part(p, raw_type, cx));
    let mut_kw = (!op.params.is_empty() || form.is_some() || accept.is_some() || redirects.is_some() || variables.is_some()).then(|| quote!(mut));
    quote! {
        fn request(&self) -> Result<rt::Request<'_>, rt::Error> {
            #(#checks)*
            let #mut_kw request = rt::Request::new(rt::Method::#method, #server, #path, &[#(#auth),*]);
            #variables
            #accept
            #redirects
            #form
            #(#parts)*
            Ok(request)
        }
    }
}

/// An accepted way to authenticate, as the runtime spells it.
fn auth_scheme(scheme: &AuthScheme) -> TokenStream {
    match scheme {
        AuthScheme::Basic => quote!(rt::AuthScheme::Basic),
        AuthScheme::Bearer => quote!(rt::AuthScheme::Bearer),
        AuthScheme::OAuth2 { token_url } => quote!(rt::AuthScheme::OAuth2 { token_url: #token_url }),
        AuthScheme::Unspecified => quote!(rt::AuthScheme::Unspecified),
        AuthScheme::Optional => quote!(rt::AuthScheme::Optional),
        AuthScheme::ApiKey { scheme, name, location } => {
            let location = match location {
                KeyIn::Header => quote!(Header),
                KeyIn::Query => quote!(Query),
                KeyIn::Cookie => quote!(Cookie),
            };
            quote!(rt::AuthScheme::ApiKey { scheme: #scheme, name: #name, location: rt::KeyIn::#location })
        }
        AuthScheme::Http { scheme, prefix } => quote!(rt::AuthScheme::Http { scheme: #scheme, prefix: #prefix }),
        AuthScheme::All(all) => {
            let all = all.iter().map(auth_scheme);
            quote!(rt::AuthScheme::All(&[#(#all),*]))
        }
    }
}

fn item_type(ty: &TypeRef) -> &TypeRef {
    match ty {
        TypeRef::Array(inner) => inner,
        other => other,
    }
}

/// A parameter given by `content`: its whole value as JSON text, an array
/// too (an empty one is not sent).
fn json_whole(p: &Param) -> TokenStream {
    let wire = &p.wire_name;
    let name = ident(&p.name);
    let method = match p.location {
        Location::Path => return quote!(request.path_param_json(#wire, &self.#name)?;),
        Location::Query => quote!(query_json),
        Location::Header => quote!(header_json),
        _ => quote!(cookie_json),
    };
    if is_array(p) {
        quote! {
            if !self.#name.is_empty() {
                request.#method(#wire, Some(&self.#name))?;
            }
        }
    } else {
        let values = values(p);
        quote!(request.#method(#wire, #values)?;)
    }
}

/// The values of the field, as the runtime's request methods take them:
/// `Some(&self.x)` when required, `&self.x` for an `Option` or a `Vec`.
fn values(p: &Param) -> TokenStream {
    let name = ident(&p.name);
    if p.required && !is_array(p) { quote!(Some(&self.#name)) } else { quote!(&self.#name) }
}

/// The checks of one parameter (for a JSON body, of the body at any depth).
fn check(p: &Param, cx: &Scope) -> TokenStream {
    let at = match p.location {
        Location::JsonBody => At::Path(quote!(rt::Path::ROOT)),
        _ => At::Param(p.wire_name.clone()),
    };
    // Required values and arrays are plain fields; the rest are `Option`s.
    let optional = !(p.required || is_array(p));
    field_checks(&ident(&p.name), optional, &p.ty, &p.constraints, &at, cx)
}

/// The statement that puts one parameter into the request; `raw_type` is
/// the media type of a text or binary body.
fn add_part(p: &Param, raw_type: &str, cx: &Scope) -> TokenStream {
    let wire = &p.wire_name;
    let values = values(p);
    match (p.location, &p.ty) {
        // An array body is the whole list (`[]` when empty), never its items.
        (Location::JsonBody, TypeRef::Array(_)) => {
            let name = ident(&p.name);
            return quote!(request.json_body(Some(&self.#name))?;);
        }
        (Location::JsonBody, _) => return quote!(request.json_body(#values)?;),
        (Location::RawBody, TypeRef::Binary) => return quote!(request.binary_body(#raw_type, #values);),
        (Location::RawBody, _) => return quote!(request.text_body(#raw_type, #values);),
        _ => {}
    }
    if p.style == Style::Json {
        return json_whole(p);
    }
    if p.style == Style::Fields {
        return match p.location {
            Location::Part => quote!(request.part_map(#values);),
            _ => quote!(request.form_map(#values);),
        };
    }
    let json_encoded = cx.is_json_encoded(item_type(&p.ty));
    if p.location == Location::Part {
        let media_type = p.media_type.as_deref();
        return match item_type(&p.ty) {
            TypeRef::Binary => {
                let media_type = media_type.unwrap_or("application/octet-stream");
                quote!(request.part_file(#wire, #media_type, #values);)
            }
            _ if json_encoded => {
                let media_type = media_type.unwrap_or("application/json");
                quote!(request.part_json(#wire, #media_type, #values)?;)
            }
            _ => {
                let media_type = match media_type {
                    Some(media_type) => quote!(Some(#media_type)),
                    None => quote!(None),
                };
                quote!(request.part(#wire, #media_type, #values);)
            }
        };
    }
    match (p.location, p.style) {
        // A single value is the same pair in every style.
        (Location::Query, Style::Joined(separator)) if is_array(p) && !json_encoded => {
            let separator = separator.to_string();
            return quote!(request.query_joined(#wire, #separator, #values););
        }
        (Location::Header, Style::Joined(_)) if is_array(p) && !json_encoded => {
            return quote!(request.header_joined(#wire, #values););
        }
        (Location::Path, style) if !json_encoded => {
            let (prefix, separator) = match style {
                Style::Label { explode } => (".".to_owned(), if explode { "." } else { "," }.to_owned()),
                Style::Matrix { explode } => {
                    let each = format!(";{wire}=");
                    (each.clone(), if explode { each } else { ",".to_owned() })
                }
                _ if is_array(p) => (String::new(), ",".to_owned()),
                _ => (String::new(), String::new()),
            };
            if !prefix.is_empty() || is_array(p) {
                return quote!(request.path_styled(#wire, #prefix, #separator, #values););
            }
        }
        (Location::Query, Style::DeepObject) => return quote!(request.query_deep(#wire, #values)?;),
        _ => {}
    }
    let name = ident(&p.name);
    // Free-form values are text where they are scalars (`rt::ParamValue`);
    // objects and arrays in a query go as the `form` style writes them.
    // (Form fields keep JSON text: Twilio's free-form fields read it.)
    let free_form = matches!(item_type(&p.ty), TypeRef::Json) && p.location != Location::Form;
    let json_encoded = json_encoded && !free_form;
    if p.location == Location::Query && (json_encoded || free_form) {
        return quote!(request.query_form(#wire, #values)?;);
    }
    let method = match (p.location, json_encoded) {
        // A path parameter is required, but for the account's, which the
        // client fills when it is unset.
        (Location::Path, false) if !p.required => return quote!(request.account_path_param(#wire, self.#name.as_deref());),
        (Location::Path, false) => return quote!(request.path_param(#wire, &self.#name);),
        (Location::Path, true) => return quote!(request.path_param_value(#wire, &self.#name)?;),
        (Location::Query, false) => quote!(query),
        (Location::Query, true) => quote!(query_json),
        (Location::Header, false) => quote!(header),
        (Location::Header, true) => quote!(header_value),
        (Location::Cookie, false) => quote!(cookie),
        (Location::Cookie, true) => quote!(cookie_value),
        (Location::Form, false) => quote!(form),
        (Location::Form, true) => quote!(form_json),
        (Location::JsonBody | Location::RawBody | Location::Part, _) => unreachable!("handled above"),
    };
    let fallible = json_encoded.then(|| quote!(?));
    quote! { request.#method(#wire, #values)#fallible; }
}
