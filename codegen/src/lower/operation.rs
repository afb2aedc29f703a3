//! Lowering path items and operations.

use indexmap::IndexMap;
use openapiv3::{
    APIKeyLocation, MediaType, Parameter, ParameterSchemaOrContent, PathItem, PathStyle, QueryStyle, ReferenceOr, RequestBody, Response, Schema, SchemaKind, SecurityScheme,
    Server, StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};

use crate::names::{Namer, camel, module_ident, snake};
use super::{Ctx, docs};
use crate::diagnostics::{child, pointer};
use crate::ir::{
    AuthScheme, BodyKind, Constraints, KeyIn, Location, Method, Operation, Param, ResponsesDef, ServerVariable, StatusVariant, Style, TypeDef, TypeRef,
};

/// An operation found in the document, named and assigned to a resource
/// before anything else is lowered.
pub(super) struct Planned<'a> {
    path: &'a str,
    item: &'a PathItem,
    method: Method,
    op: &'a openapiv3::Operation,
    name: String,
    pub(super) resource: String,
    at: String,
}

/// Names the request struct of each operation, in document order.
pub(super) fn plan<'a>(ctx: &mut Ctx<'a>, module: &str) -> Vec<Planned<'a>> {
    let api = ctx.api;
    let mut out = Vec::new();
    for (path, item) in &api.paths.paths {
        let path_at = pointer(["paths", path]);
        let item = match item {
            ReferenceOr::Item(item) => item,
            // Another path's item of this document (3.0 has no components
            // for path items); other files are not read.
            ReferenceOr::Reference { reference } => match local_path_item(api, reference) {
                Some(item) => item,
                None => {
                    ctx.sink.degraded(&path_at, format!("path item $ref `{reference}` is not read (only `#/paths/...` of this document are); its operations are left out"));
                    continue;
                }
            },
        };
        let methods = [
            (Method::Get, &item.get),
            (Method::Post, &item.post),
            (Method::Put, &item.put),
            (Method::Patch, &item.patch),
            (Method::Delete, &item.delete),
            (Method::Head, &item.head),
            (Method::Options, &item.options),
            (Method::Trace, &item.trace),
        ];
        for (method, op) in methods {
            let Some(op) = op else { continue };
            let wanted = match &op.operation_id {
                Some(id) => camel(id),
                None => camel(&format!("{} {}", method.as_str().to_lowercase(), literal_words(path))),
            };
            let resource = match op.tags.first() {
                Some(tag) => ctx.conventions.resource_module(tag, module),
                None => module_ident(&snake(path.split('/').rev().find(|s| !s.is_empty() && !s.starts_with('{')).unwrap_or("root"))),
            };
            out.push(Planned {
                path,
                item,
                method,
                op,
                name: ctx.type_namer.unique(wanted),
                resource,
                at: child(&path_at, [method.as_str().to_lowercase()]),
            });
        }
    }
    out
}

fn literal_words(path: &str) -> String {
    path.split('/').filter(|s| !s.starts_with('{')).collect::<Vec<_>>().join(" ")
}

/// The schema of a parameter given as text (`content` that is not JSON).
static TEXT: std::sync::LazyLock<ReferenceOr<Schema>> = std::sync::LazyLock::new(|| {
    ReferenceOr::Item(Schema { schema_data: Default::default(), schema_kind: SchemaKind::Type(Type::String(Default::default())) })
});

/// Setter and method names every request struct has; fields must not take
/// them. (`default`: a setter of that name would hide `Default::default`
/// from `new`.)
const RESERVED_FIELD_NAMES: &[&str] = &["new", "send", "stream", "default"];

impl<'a> Ctx<'a> {
    pub(super) fn lower_operation(&mut self, plan: &Planned<'a>) -> Option<Operation> {
        let errors_before = self.sink.error_count();
        let op = plan.op;
        let mut namer = Namer::with_reserved(RESERVED_FIELD_NAMES);
        let mut params = Vec::new();

        // Path-level parameters apply unless the operation redefines them.
        let inherited = plan.item.parameters.iter().enumerate().map(|(i, p)| {
            (pointer(["paths", plan.path, "parameters", &i.to_string()]), p, true)
        });
        let own = op.parameters.iter().enumerate().map(|(i, p)| (child(&plan.at, ["parameters", &i.to_string()]), p, false));
        let mut resolved = Vec::new();
        for (at, param, is_inherited) in inherited.chain(own) {
            if let Some((data, location, style)) = self.resolve_parameter(param, &at) {
                resolved.push((at, data, (location, style), is_inherited));
            }
        }
        let own_keys: Vec<(&str, Location)> = resolved
            .iter()
            .filter(|(_, _, _, is_inherited)| !is_inherited)
            .map(|(_, data, (location, _), _)| (data.name.as_str(), *location))
            .collect();
        for (at, data, place, is_inherited) in &resolved {
            let (at, data, (location, style)) = (at.as_str(), *data, *place);
            if *is_inherited && own_keys.contains(&(data.name.as_str(), location)) {
                continue;
            }
            // A parameter given by `content` is written as its media type
            // says: JSON, the one kind such parameters use.
            let (schema, schema_at, style) = match &data.format {
                ParameterSchemaOrContent::Schema(s) => (s, child(at, ["schema"]), style),
                ParameterSchemaOrContent::Content(content) => match content.iter().find(|(mime, _)| is_json(mime)) {
                    Some((mime, MediaType { schema: Some(s), .. })) => (s, child(at, ["content", mime, "schema"]), Style::Json),
                    // Any other media type (`text/plain`, `*/*`): the value
                    // is text, sent as it is.
                    _ => {
                        let types: Vec<&str> = content.keys().map(String::as_str).collect();
                        self.sink.degraded(child(at, ["content"]), format!("a parameter given as {types:?} (not JSON) is text"));
                        (&*TEXT, child(at, ["content"]), style)
                    }
                },
            };
            let ty = self.lower_schema(schema, &format!("{}{}", plan.name, camel(&data.name)), &schema_at);
            let ty = self.field_only(ty, &schema_at);
            let free_form = matches!(ty, TypeRef::Json | TypeRef::Map(_));
            let style = if location == Location::Query && free_form && self.conventions.query_objects_as_json() { Style::Json } else { style };
            // The client's own account fills the account's path parameter
            // when the call names none.
            let by_client = location == Location::Path
                && ty == TypeRef::String
                && style == Style::Joined(',')
                && self.conventions.account_path_param() == Some(data.name.as_str());
            let mut docs = docs(data.description.as_deref());
            if by_client {
                docs.push("Unset, the client's account SID.".to_owned());
            }
            params.push(Param {
                name: namer.unique(snake(&data.name)),
                wire_name: data.name.clone(),
                location,
                docs,
                required: (data.required || location == Location::Path) && !by_client,
                constraints: self.constraints(schema, &schema_at).fit(&ty),
                ty,
                style,
                media_type: None,
            });
        }

        let body = match &op.request_body {
            Some(body) => self.lower_body(plan, body, &mut namer, &mut params)?,
            None => BodyKind::None,
        };
        // An empty array is not sent at all in a query, header or form, so
        // a required one needs an item. Only a JSON body can send `null`.
        for param in &mut params {
            if param.location != Location::JsonBody {
                param.ty = std::mem::replace(&mut param.ty, TypeRef::Json).without_null();
            }
            if param.required && param.location != Location::JsonBody && matches!(param.ty, TypeRef::Array(_)) {
                param.constraints.min_items = Some(param.constraints.min_items.unwrap_or(0).max(1));
            }
        }
        // A placeholder no parameter declares is still part of the path:
        // a required text parameter.
        for (i, placeholder) in placeholders(plan.path).enumerate() {
            if !params.iter().any(|p| p.location == Location::Path && p.wire_name == placeholder) {
                self.sink.degraded(&plan.at, format!("path placeholder `{{{placeholder}}}` has no matching path parameter; a required text parameter"));
                params.insert(i.min(params.len()), Param {
                    name: namer.unique(snake(placeholder)),
                    wire_name: placeholder.to_owned(),
                    location: Location::Path,
                    docs: vec!["Not declared by the spec; named by the path.".to_owned()],
                    ty: TypeRef::String,
                    required: true,
                    constraints: Default::default(),
                    style: Style::Joined(','),
                    media_type: None,
                });
            }
        }

        let (server, server_variables) = self.server(plan);
        let Responses { ty: response, may_be_empty: response_may_be_empty, accept, headers: response_headers, errors, redirects } =
            self.lower_responses(plan);
        let auth = self.lower_security(plan);
        let mut op_docs = docs(op.summary.as_deref());
        for para in docs(op.description.as_deref()) {
            if !op_docs.contains(&para) {
                op_docs.push(para);
            }
        }
        op_docs.extend(self.conventions.maturity_note(&op.extensions));
        if op.deprecated {
            op_docs.push("Deprecated.".to_owned());
        }
        if self.sink.error_count() > errors_before {
            return None;
        }
        Some(Operation {
            name: plan.name.clone(),
            method: plan.method,
            path: plan.path.to_owned(),
            server,
            server_variables,
            summary: op.summary.clone(),
            docs: op_docs,
            params,
            body,
            response,
            response_may_be_empty,
            redirects,
            errors,
            response_headers,
            accept,
            auth,
            pagination: None,
        })
    }

    fn resolve_parameter(
        &mut self,
        param: &'a ReferenceOr<Parameter>,
        at: &str,
    ) -> Option<(&'a openapiv3::ParameterData, Location, Style)> {
        let components = self.api.components.as_ref();
        let param = match param {
            ReferenceOr::Item(p) => p,
            ReferenceOr::Reference { reference } => {
                match component(reference, "#/components/parameters/", components.map(|c| &c.parameters)) {
                    Some(p) => p,
                    None => {
                        self.sink.degraded(at, format!("parameter $ref `{reference}` does not resolve to a parameter; left out"));
                        return None;
                    }
                }
            }
        };
        match param {
            Parameter::Path { parameter_data, style } => {
                let explode = parameter_data.explode == Some(true);
                let style = match style {
                    PathStyle::Simple => Style::Joined(','),
                    PathStyle::Label => Style::Label { explode },
                    PathStyle::Matrix => Style::Matrix { explode },
                };
                Some((parameter_data, Location::Path, style))
            }
            Parameter::Query { parameter_data, style, .. } => {
                // `form` is exploded unless it says otherwise; the other
                // styles are defined for `explode: false` only.
                let style = match style {
                    QueryStyle::Form if parameter_data.explode == Some(false) => Style::Joined(','),
                    QueryStyle::Form => Style::Exploded,
                    QueryStyle::SpaceDelimited => Style::Joined(' '),
                    QueryStyle::PipeDelimited => Style::Joined('|'),
                    QueryStyle::DeepObject => Style::DeepObject,
                };
                Some((parameter_data, Location::Query, style))
            }
            // `simple`, the only header style: items joined by `,`.
            Parameter::Header { parameter_data, .. } => Some((parameter_data, Location::Header, Style::Joined(','))),
            Parameter::Cookie { parameter_data, .. } => Some((parameter_data, Location::Cookie, Style::Exploded)),
        }
    }

    /// Adds the body to `params`: one param per form field, or a single
    /// `body` param holding the JSON document.
    fn lower_body(
        &mut self,
        plan: &Planned<'a>,
        body: &'a ReferenceOr<RequestBody>,
        namer: &mut Namer,
        params: &mut Vec<Param>,
    ) -> Option<BodyKind> {
        let components = self.api.components.as_ref();
        let at = child(&plan.at, ["requestBody"]);
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => {
                match component(reference, "#/components/requestBodies/", components.map(|c| &c.request_bodies)) {
                    Some(b) => b,
                    None => {
                        self.sink.degraded(&at, format!("request body $ref `{reference}` does not resolve; the operation is left out"));
                        return None;
                    }
                }
            }
        };
        // JSON where it is offered (it carries nesting faithfully), unless
        // the vendor's conventions prefer a form; a form where it is the
        // only structured choice.
        let form = find_media(&body.content, FORM);
        let json = body.content.iter().find(|(mime, _)| is_json(mime));
        if let Some((mime, media)) = form.filter(|_| json.is_none() || self.conventions.prefers_form_bodies()) {
            self.form_fields(plan, (mime, media), &at, Location::Form, namer, params);
            return Some(BodyKind::Form);
        }
        if let Some((mime, media)) = json {
            let schema_at = child(&at, ["content", mime, "schema"]);
            let (ty, constraints) = match &media.schema {
                Some(schema) => {
                    let ty = self.lower_schema(schema, &format!("{}Body", plan.name), &schema_at);
                    let ty = self.field_only(ty, &schema_at);
                    (ty.clone(), self.constraints(schema, &schema_at).fit(&ty))
                }
                None => (TypeRef::Json, Default::default()),
            };
            params.push(whole_body(body, namer, Location::JsonBody, ty, constraints));
            return Some(BodyKind::Json { form_offered: form.is_some() });
        }
        if let Some((mime, media)) = form {
            self.form_fields(plan, (mime, media), &at, Location::Form, namer, params);
            return Some(BodyKind::Form);
        }
        if let Some((mime, media)) = find_media(&body.content, MULTIPART) {
            self.form_fields(plan, (mime, media), &at, Location::Part, namer, params);
            return Some(BodyKind::Multipart);
        }
        if let Some((mime, kind, media)) = preferred(&body.content) {
            let ty = match kind {
                MediaKind::Text if !is_binary_schema(media) => TypeRef::String,
                _ => TypeRef::Binary,
            };
            params.push(whole_body(body, namer, Location::RawBody, ty, Default::default()));
            return Some(BodyKind::Raw(mime.to_owned()));
        }
        // Any other media type (`multipart/mixed`, say): bytes the caller
        // encodes, sent as the first type listed.
        let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
        let Some(first) = types.first() else {
            self.sink.degraded(child(&at, ["content"]), "a request body without media types; no body is sent");
            return Some(BodyKind::None);
        };
        self.sink.degraded(
            child(&at, ["content"]),
            format!("request body media types {types:?}: none is JSON, text, bytes, a URL-encoded form or `multipart/form-data`; the body is bytes sent as `{first}`"),
        );
        params.push(whole_body(body, namer, Location::RawBody, TypeRef::Binary, Default::default()));
        Some(BodyKind::Raw((*first).to_owned()))
    }

    /// Adds a param per property of a form body's object schema (through
    /// `$ref`s and `allOf`): fields of a URL-encoded form, or parts of a
    /// multipart one, where `format: binary` strings are files and
    /// `encoding.contentType` gives a part its media type.
    fn form_fields(
        &mut self,
        plan: &Planned<'a>,
        (mime, media): (&str, &'a MediaType),
        at: &str,
        location: Location,
        namer: &mut Namer,
        params: &mut Vec<Param>,
    ) {
        let schema_at = child(at, ["content", mime, "schema"]);
        // Without named properties (no schema, a bare `type: object`, a
        // map): whatever fields or parts the caller gives.
        let named = media.schema.as_ref().and_then(|s| self.resolve_schema(s)).filter(|s| super::schema::shape(s) == super::schema::Shape::Struct);
        let Some(schema) = named else {
            let (name, ty, what) = match location {
                Location::Part => ("parts", TypeRef::Binary, "parts"),
                _ => ("fields", TypeRef::String, "fields"),
            };
            self.sink.warning(&schema_at, format!("a form body without `properties`: any {what} the caller gives"));
            params.push(Param {
                name: namer.unique(name.to_owned()),
                wire_name: String::new(),
                location,
                docs: vec![format!("The body's {what}, by name: the spec names none.")],
                ty: TypeRef::Map(Box::new(ty)),
                required: false,
                constraints: Default::default(),
                style: Style::Fields,
                media_type: None,
            });
            return;
        };
        let (properties, required) = self.properties(schema, &schema_at);
        for (wire, (prop, prop_at)) in properties {
            let resolved = self.resolve_boxed(prop);
            let ty = match resolved.map(|s| self.bytes_or_array_of_bytes(s)) {
                Some(Some(ty)) if location == Location::Part => ty,
                _ => {
                    let ty = self.lower_boxed(prop, &format!("{}{}", plan.name, camel(wire)), &prop_at);
                    self.field_only(ty, &prop_at)
                }
            };
            let constraints = match resolved {
                Some(s) => self.constraints_of(s, &prop_at),
                None => Default::default(),
            };
            // `image/png, image/jpeg`: the first is sent.
            let media_type = media.encoding.get(wire).and_then(|e| e.content_type.as_deref());
            let media_type = media_type.and_then(|types| types.split(',').next()).map(|t| t.trim().to_owned());
            params.push(Param {
                name: namer.unique(snake(wire)),
                wire_name: wire.to_owned(),
                location,
                docs: resolved.map(super::schema::docs_of).unwrap_or_default(),
                constraints: constraints.fit(&ty),
                ty,
                required: required.contains(&wire),
                style: Style::Exploded,
                media_type: media_type.filter(|t| !t.is_empty()),
            });
        }
    }

    /// `Binary` for a `format: binary` string, `Vec<Binary>` for an array
    /// of them (a file, or several under one name).
    fn bytes_or_array_of_bytes(&self, schema: &'a Schema) -> Option<TypeRef> {
        if is_bytes(schema) {
            return Some(TypeRef::Binary);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Array(array)) => {
                let items = array.items.as_ref().and_then(|items| self.resolve_boxed(items))?;
                is_bytes(items).then(|| TypeRef::Array(Box::new(TypeRef::Binary)))
            }
            _ => None,
        }
    }

    /// What a successful call returns: the type of the 2xx response bodies,
    /// whether some 2xx responses have no body while others have one, and
    /// the `Accept` header when not all of them are JSON. When the 2xx
    /// bodies differ, the type is an enum with a variant per status.
    fn lower_responses(&mut self, plan: &Planned<'a>) -> Responses {
        // Each 2xx response: its status and its body.
        let mut successes: Vec<(Option<u16>, Body<'a>)> = Vec::new();
        let mut media_types: Vec<&'a str> = Vec::new();
        let mut headers: Vec<String> = Vec::new();
        let mut error_responses = Vec::new();
        // An operation that answers only with redirects (a download's
        // `302`, Twilio's `307` to a file) succeeds with them.
        let codes = &plan.op.responses.responses;
        let succeeds = |code: &StatusCode| matches!(code, StatusCode::Code(200..=299) | StatusCode::Range(2));
        let redirects = !codes.keys().any(succeeds) && codes.keys().any(|c| matches!(c, StatusCode::Code(300..=399) | StatusCode::Range(3)));
        for (code, response) in codes {
            let at = child(&plan.at, ["responses", &code.to_string()]);
            let status = match code {
                StatusCode::Code(c) if (200..300).contains(c) || (redirects && (300..400).contains(c)) => Some(*c),
                StatusCode::Range(2) => None,
                StatusCode::Range(3) if redirects => None,
                _ => {
                    error_responses.push((code.to_string(), response, at));
                    continue;
                }
            };
            let Some(response) = self.resolve_response(response, &at) else { continue };
            for name in response.headers.keys() {
                if !headers.contains(name) {
                    headers.push(name.clone());
                }
            }
            // `Accept` names what each response is read as, not every type it
            // is offered in (XML beside JSON would invite XML): the JSON type
            // read, or every type of the kind read (bytes are bytes).
            if let Some((chosen, kind, _)) = preferred(&response.content) {
                let readable = response.content.keys().map(String::as_str).filter(|mime| match kind {
                    MediaKind::Json => mime == &chosen,
                    _ => media_kind(mime) == kind,
                });
                for mime in readable {
                    if !media_types.contains(&mime) {
                        media_types.push(mime);
                    }
                }
            }
            let body = preferred(&response.content).map_or(Body::Empty, |(mime, kind, media)| match kind {
                MediaKind::Json => match &media.schema {
                    Some(schema) => Body::Json(schema, child(&at, ["content", mime, "schema"])),
                    None => Body::Empty,
                },
                MediaKind::Text if !is_binary_schema(media) => Body::Text,
                _ => Body::Binary,
            });
            successes.push((status, body));
        }
        // Plain `application/json` is the client's default.
        let accept = media_types.iter().any(|m| essence(m) != "application/json").then(|| media_types.join(", "));
        let mut bodies: Vec<&Body<'a>> = Vec::new();
        for (_, body) in &successes {
            if *body != Body::Empty && !bodies.contains(&body) {
                bodies.push(body);
            }
        }
        let may_be_empty = successes.iter().any(|(_, body)| *body == Body::Empty);
        let (ty, may_be_empty) = match bodies.as_slice() {
            [] => (None, false),
            [body] => (Some(self.body_type(body, &format!("{}Response", plan.name))), may_be_empty),
            _ => {
                let mut variants = Vec::new();
                for (status, body) in &successes {
                    let name = status_name(*status);
                    let ty = (*body != Body::Empty).then(|| self.body_type(body, &format!("{}{name}", plan.name)));
                    variants.push(StatusVariant { status: *status, name, ty });
                }
                // A `2XX` range is the catch-all arm: last.
                variants.sort_by_key(|v| v.status.is_none());
                let name = self.type_namer.unique(format!("{}Response", plan.name));
                let docs = vec![format!("What `{}` returns, by status: its 2xx responses have different bodies.", plan.name)];
                self.types.push(TypeDef::Responses(ResponsesDef { name: name.clone(), docs, variants }));
                (Some(TypeRef::Named(name)), false)
            }
        };
        let mut errors = Vec::new();
        let default = plan.op.responses.default.as_ref().map(|r| ("default".to_owned(), r, child(&plan.at, ["responses", "default"])));
        for (status, response, at) in error_responses.into_iter().chain(default) {
            let Some(response) = self.resolve_response(response, &at) else { continue };
            let json = response.content.iter().find(|(mime, _)| is_json(mime));
            if let Some((mime, MediaType { schema: Some(schema), .. })) = json {
                let hint = format!("{}Error{}", plan.name, camel(&status));
                let ty = self.body_type(&Body::Json(schema, child(&at, ["content", mime, "schema"])), &hint);
                errors.push((status, ty));
            }
        }
        Responses { ty, may_be_empty, accept, headers, errors, redirects }
    }

    /// A response, through a `$ref` to `#/components/responses`; reports
    /// one that does not resolve.
    fn resolve_response(&mut self, response: &'a ReferenceOr<Response>, at: &str) -> Option<&'a Response> {
        match response {
            ReferenceOr::Item(r) => Some(r),
            ReferenceOr::Reference { reference } => {
                let responses = self.api.components.as_ref().map(|c| &c.responses);
                let found = component(reference, "#/components/responses/", responses);
                if found.is_none() {
                    self.sink.degraded(at, format!("response $ref `{reference}` does not resolve; read as no response"));
                }
                found
            }
        }
    }

    /// The type of one response body; `hint` names an inline schema that
    /// has no title.
    fn body_type(&mut self, body: &Body<'a>, hint: &str) -> TypeRef {
        match body {
            Body::Json(schema, at) => {
                let hint = self.resolve_schema(schema).and_then(|s| s.schema_data.title.clone()).unwrap_or_else(|| hint.to_owned());
                let ty = self.lower_schema(schema, &hint, at);
                self.field_only(ty, at)
            }
            Body::Text => TypeRef::String,
            Body::Binary | Body::Empty => TypeRef::Binary,
        }
    }

    fn lower_security(&mut self, plan: &Planned<'a>) -> Vec<AuthScheme> {
        let api = self.api;
        let requirements = plan.op.security.as_ref().or(api.security.as_ref());
        if requirements.is_none() {
            return vec![AuthScheme::Unspecified];
        }
        let mut out = Vec::new();
        for requirement in requirements.into_iter().flatten() {
            let mut all = Vec::new();
            for name in requirement.keys() {
                let scheme = api.components.as_ref().and_then(|c| c.security_schemes.get(name)).and_then(ReferenceOr::as_item);
                let kind = match scheme {
                    Some(SecurityScheme::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("basic") => AuthScheme::Basic,
                    Some(SecurityScheme::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("bearer") => AuthScheme::Bearer,
                    Some(SecurityScheme::OAuth2 { flows, .. }) => {
                        let token_url = flows.client_credentials.as_ref().map(|flow| flow.token_url.clone());
                        AuthScheme::OAuth2 { token_url: token_url.unwrap_or_default() }
                    }
                    Some(SecurityScheme::OpenIDConnect { .. }) => AuthScheme::Bearer,
                    Some(SecurityScheme::HTTP { scheme, .. }) => AuthScheme::Http { scheme: name.clone(), prefix: scheme.clone() },
                    Some(SecurityScheme::APIKey { location, name: key, .. }) => {
                        let location = match location {
                            APIKeyLocation::Header => KeyIn::Header,
                            APIKeyLocation::Query => KeyIn::Query,
                            APIKeyLocation::Cookie => KeyIn::Cookie,
                        };
                        AuthScheme::ApiKey { scheme: name.clone(), name: key.clone(), location }
                    }
                    None => {
                        self.sink.degraded(child(&plan.at, ["security"]), format!("security scheme `{name}` is not defined; not sent"));
                        continue;
                    }
                };
                all.push(kind);
            }
            let kind = match all.len() {
                0 => AuthScheme::Optional,
                1 => all.remove(0),
                _ => AuthScheme::All(all),
            };
            if !out.contains(&kind) {
                out.push(kind);
            }
        }
        out
    }

    /// The base URL: the operation's servers, else the path's, else the
    /// document's; with its `{variables}`, and each variable's default.
    fn server(&self, plan: &Planned<'a>) -> (String, Vec<ServerVariable>) {
        let pick = |servers: &'a [Server]| servers.first();
        let server = pick(&plan.op.servers).or_else(|| pick(&plan.item.servers)).or_else(|| pick(&self.api.servers));
        let Some(server) = server else { return (String::new(), Vec::new()) };
        let url = server.url.trim_end_matches('/').to_owned();
        let variables = server.variables.iter().flatten().filter(|(name, _)| url.contains(&format!("{{{name}}}")));
        let variables = variables.map(|(name, var)| ServerVariable {
            name: name.clone(),
            default: var.default.clone(),
            allowed: var.enumeration.clone(),
        });
        (url.clone(), variables.collect())
    }
}

/// The path item `#/paths/<escaped path>` names, if it is one (not a
/// reference again).
fn local_path_item<'a>(api: &'a openapiv3::OpenAPI, reference: &str) -> Option<&'a PathItem> {
    let escaped = reference.strip_prefix("#/paths/")?;
    let path = escaped.replace("~1", "/").replace("~0", "~");
    api.paths.paths.get(&path)?.as_item()
}

/// The component a local `$ref` names, if it exists and is not itself a reference.
fn component<'a, T>(reference: &str, prefix: &str, map: Option<&'a IndexMap<String, ReferenceOr<T>>>) -> Option<&'a T> {
    map?.get(reference.strip_prefix(prefix)?)?.as_item()
}

/// The one parameter that holds a whole request body (JSON, text or bytes).
fn whole_body(body: &RequestBody, namer: &mut Namer, location: Location, ty: TypeRef, constraints: Constraints) -> Param {
    Param {
        name: namer.unique("body".to_owned()),
        wire_name: "body".to_owned(),
        location,
        docs: docs(body.description.as_deref()),
        ty,
        required: body.required,
        constraints,
        style: Style::Exploded,
        media_type: None,
    }
}

fn is_json(mime: &str) -> bool {
    media_kind(mime) == MediaKind::Json
}

/// What a media type carries, as far as bodies go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum MediaKind {
    Json,
    Text,
    Binary,
    /// Forms (`multipart/*`, `application/x-www-form-urlencoded`): never
    /// read as text or bytes.
    Form,
}

/// A media type without its parameters, in lower case (`text/html`).
fn essence(mime: &str) -> String {
    mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// The content of this media type (parameters such as `charset` aside).
fn find_media<'c>(content: &'c IndexMap<String, MediaType>, wanted: &str) -> Option<(&'c str, &'c MediaType)> {
    content.iter().find(|(mime, _)| essence(mime) == wanted).map(|(mime, media)| (mime.as_str(), media))
}

fn media_kind(mime: &str) -> MediaKind {
    let essence = essence(mime);
    let (kind, subtype) = essence.split_once('/').unwrap_or((&essence, ""));
    match (kind, subtype) {
        ("application", "json") => MediaKind::Json,
        (_, s) if s.ends_with("+json") => MediaKind::Json,
        ("multipart", _) | ("application", "x-www-form-urlencoded") => MediaKind::Form,
        ("text", _) | ("application", "xml" | "yaml" | "x-yaml" | "javascript") => MediaKind::Text,
        (_, s) if s.ends_with("+xml") => MediaKind::Text,
        _ => MediaKind::Binary,
    }
}

/// The media type a body is read or sent as, by preference: JSON, then
/// text, then bytes; the first of its kind in the spec's order. Forms are
/// not among them (a request body handles its form first).
fn preferred(content: &IndexMap<String, MediaType>) -> Option<(&str, MediaKind, &MediaType)> {
    let usable = content.iter().map(|(mime, media)| (mime.as_str(), media_kind(mime), media));
    usable.filter(|(_, kind, _)| *kind != MediaKind::Form).min_by_key(|(_, kind, _)| *kind)
}

/// A body whose schema says its value is bytes (`format: binary`),
/// whatever the media type.
fn is_binary_schema(media: &MediaType) -> bool {
    matches!(&media.schema, Some(ReferenceOr::Item(schema)) if is_bytes(schema))
}

/// A `type: string, format: binary` schema.
fn is_bytes(schema: &Schema) -> bool {
    matches!(&schema.schema_kind, SchemaKind::Type(Type::String(s)) if s.format == VariantOrUnknownOrEmpty::Item(StringFormat::Binary))
}

const FORM: &str = "application/x-www-form-urlencoded";
const MULTIPART: &str = "multipart/form-data";

/// What [`Ctx::lower_responses`] finds in an operation's 2xx responses.
struct Responses {
    ty: Option<TypeRef>,
    may_be_empty: bool,
    accept: Option<String>,
    headers: Vec<String>,
    errors: Vec<(String, TypeRef)>,
    redirects: bool,
}

/// A successful response's body, before it has a type.
#[derive(Debug)]
enum Body<'a> {
    Empty,
    /// The schema, and where it is (for diagnostics).
    Json(&'a ReferenceOr<openapiv3::Schema>, String),
    Text,
    Binary,
}

/// Bodies are the same when their schemas are: where they sit does not
/// count.
impl PartialEq for Body<'_> {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Body::Json(a, _), Body::Json(b, _)) => a == b,
            _ => std::mem::discriminant(self) == std::mem::discriminant(other),
        }
    }
}

/// The variant name for a 2xx status, after its reason phrase.
fn status_name(status: Option<u16>) -> String {
    let name = match status {
        None => "Success",
        Some(200) => "Ok",
        Some(201) => "Created",
        Some(202) => "Accepted",
        Some(203) => "NonAuthoritative",
        Some(204) => "NoContent",
        Some(205) => "ResetContent",
        Some(206) => "PartialContent",
        Some(207) => "MultiStatus",
        Some(208) => "AlreadyReported",
        Some(226) => "ImUsed",
        Some(other) => return format!("Status{other}"),
    };
    name.to_owned()
}

/// The `{Name}` placeholders of a path template.
pub(crate) fn placeholders(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name))
}
