//! Lowering path items and operations.

use indexmap::IndexMap;
use openapiv3::{
    Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, RequestBody, Response, SecurityScheme, Server,
    StatusCode,
};

use crate::names::{Namer, camel, module_ident, snake};
use super::{Ctx, docs};
use crate::diagnostics::{child, pointer};
use crate::ir::{AuthScheme, BodyKind, Location, Method, Operation, Param, TypeRef};

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
            ReferenceOr::Reference { reference } => {
                ctx.sink.error(&path_at, format!("path item $ref `{reference}` is not supported"));
                continue;
            }
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

/// Setter and method names every request struct has; fields must not take them.
const RESERVED_FIELD_NAMES: &[&str] = &["new", "send", "stream"];

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
            if let Some((data, location)) = self.resolve_parameter(param, &at) {
                resolved.push((at, data, location, is_inherited));
            }
        }
        let own_keys: Vec<(&str, Location)> = resolved
            .iter()
            .filter(|(_, _, _, is_inherited)| !is_inherited)
            .map(|(_, data, location, _)| (data.name.as_str(), *location))
            .collect();
        for (at, data, location, is_inherited) in &resolved {
            let (at, data, location) = (at.as_str(), *data, *location);
            if *is_inherited && own_keys.contains(&(data.name.as_str(), location)) {
                continue;
            }
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(s) => s,
                ParameterSchemaOrContent::Content(_) => {
                    self.sink.error(at, "parameters described by `content` are not supported; use `schema`");
                    continue;
                }
            };
            let schema_at = child(at, ["schema"]);
            let ty = self.lower_schema(schema, &format!("{}{}", plan.name, camel(&data.name)), &schema_at);
            let ty = self.field_only(ty, &schema_at);
            params.push(Param {
                name: namer.unique(snake(&data.name)),
                wire_name: data.name.clone(),
                location,
                docs: docs(data.description.as_deref()),
                required: data.required || location == Location::Path,
                constraints: self.constraints(schema, &schema_at).fit(&ty),
                ty,
            });
        }

        let body = match &op.request_body {
            Some(body) => self.lower_body(plan, body, &mut namer, &mut params),
            None => BodyKind::None,
        };
        // An empty array is not sent at all in a query, header or form, so
        // a required one needs an item.
        for param in &mut params {
            if param.required && param.location != Location::JsonBody && matches!(param.ty, TypeRef::Array(_)) {
                param.constraints.min_items = Some(param.constraints.min_items.unwrap_or(0).max(1));
            }
        }
        for placeholder in placeholders(plan.path) {
            if !params.iter().any(|p| p.location == Location::Path && p.wire_name == placeholder) {
                self.sink.error(&plan.at, format!("path placeholder `{{{placeholder}}}` has no matching path parameter"));
            }
        }

        let (response, response_may_be_empty) = self.lower_responses(plan);
        let auth = self.lower_security(plan);
        let mut op_docs = docs(op.summary.as_deref());
        for para in docs(op.description.as_deref()) {
            if !op_docs.contains(&para) {
                op_docs.push(para);
            }
        }
        op_docs.extend(self.conventions.maturity_note(&op.extensions));
        if self.sink.error_count() > errors_before {
            return None;
        }
        Some(Operation {
            name: plan.name.clone(),
            method: plan.method,
            path: plan.path.to_owned(),
            server: self.server(plan),
            summary: op.summary.clone(),
            docs: op_docs,
            params,
            body,
            response,
            response_may_be_empty,
            auth,
            pagination: None,
        })
    }

    fn resolve_parameter(
        &mut self,
        param: &'a ReferenceOr<Parameter>,
        at: &str,
    ) -> Option<(&'a openapiv3::ParameterData, Location)> {
        let components = self.api.components.as_ref();
        let param = match param {
            ReferenceOr::Item(p) => p,
            ReferenceOr::Reference { reference } => {
                match component(reference, "#/components/parameters/", components.map(|c| &c.parameters)) {
                    Some(p) => p,
                    None => {
                        self.sink.error(at, format!("parameter $ref `{reference}` does not resolve to a parameter"));
                        return None;
                    }
                }
            }
        };
        match param {
            Parameter::Path { parameter_data, .. } => Some((parameter_data, Location::Path)),
            Parameter::Query { parameter_data, .. } => Some((parameter_data, Location::Query)),
            Parameter::Header { parameter_data, .. } => Some((parameter_data, Location::Header)),
            Parameter::Cookie { .. } => {
                self.sink.error(at, "cookie parameters are not supported");
                None
            }
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
    ) -> BodyKind {
        let components = self.api.components.as_ref();
        let at = child(&plan.at, ["requestBody"]);
        let body = match body {
            ReferenceOr::Item(b) => b,
            ReferenceOr::Reference { reference } => {
                match component(reference, "#/components/requestBodies/", components.map(|c| &c.request_bodies)) {
                    Some(b) => b,
                    None => {
                        self.sink.error(&at, format!("request body $ref `{reference}` does not resolve"));
                        return BodyKind::None;
                    }
                }
            }
        };
        if let Some(media) = body.content.get("application/x-www-form-urlencoded") {
            let schema_at = child(&at, ["content", "application/x-www-form-urlencoded", "schema"]);
            let Some(schema) = media.schema.as_ref().and_then(|s| self.resolve_schema(s)) else {
                self.sink.error(&schema_at, "a form body needs an object schema");
                return BodyKind::None;
            };
            if super::schema::shape(schema) != super::schema::Shape::Struct {
                self.sink.error(&schema_at, "a form body needs an object schema with `properties`");
                return BodyKind::None;
            }
            let (properties, required) = self.properties(schema, &schema_at);
            for (wire, (prop, prop_at)) in properties {
                let ty = self.lower_boxed(prop, &format!("{}{}", plan.name, camel(wire)), &prop_at);
                let ty = self.field_only(ty, &prop_at);
                let resolved = self.resolve_boxed(prop);
                let constraints = match resolved {
                    Some(s) => self.constraints_of(s, &prop_at),
                    None => Default::default(),
                };
                params.push(Param {
                    name: namer.unique(snake(wire)),
                    wire_name: wire.to_owned(),
                    location: Location::Form,
                    docs: resolved.map(super::schema::docs_of).unwrap_or_default(),
                    constraints: constraints.fit(&ty),
                    ty,
                    required: required.contains(&wire),
                });
            }
            return BodyKind::Form;
        }
        let json = body.content.iter().find(|(mime, _)| is_json(mime));
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
            params.push(Param {
                name: namer.unique("body".to_owned()),
                wire_name: "body".to_owned(),
                location: Location::JsonBody,
                docs: docs(body.description.as_deref()),
                ty,
                required: body.required,
                constraints,
            });
            return BodyKind::Json;
        }
        let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
        self.sink.error(
            child(&at, ["content"]),
            format!("request body media types {types:?} are not supported; supported are application/x-www-form-urlencoded and JSON"),
        );
        BodyKind::None
    }

    /// The type of every 2xx response body (they must agree), and whether
    /// some 2xx responses have no body while others have one.
    fn lower_responses(&mut self, plan: &Planned<'a>) -> (Option<TypeRef>, bool) {
        let components = self.api.components.as_ref();
        let mut chosen: Option<(TypeRef, &'a ReferenceOr<openapiv3::Schema>)> = None;
        let mut empty_seen = false;
        for (code, response) in &plan.op.responses.responses {
            let success = match code {
                StatusCode::Code(c) => (200..300).contains(c),
                StatusCode::Range(r) => *r == 2,
            };
            if !success {
                continue;
            }
            let at = child(&plan.at, ["responses", &code.to_string()]);
            let response: &Response = match response {
                ReferenceOr::Item(r) => r,
                ReferenceOr::Reference { reference } => {
                    match component(reference, "#/components/responses/", components.map(|c| &c.responses)) {
                        Some(r) => r,
                        None => {
                            self.sink.error(&at, format!("response $ref `{reference}` does not resolve"));
                            continue;
                        }
                    }
                }
            };
            let Some((mime, media)) = response.content.iter().find(|(m, _)| is_json(m)) else {
                if !response.content.is_empty() {
                    let types: Vec<&str> = response.content.keys().map(String::as_str).collect();
                    self.sink.error(&at, format!("response media types {types:?} are not supported; only JSON is"));
                }
                empty_seen = true;
                continue;
            };
            let Some(schema) = &media.schema else {
                empty_seen = true;
                continue;
            };
            if let Some((_, first)) = &chosen {
                if *first == schema {
                    continue;
                }
            }
            let hint = self
                .resolve_schema(schema)
                .and_then(|s| s.schema_data.title.clone())
                .unwrap_or_else(|| format!("{}Response", plan.name));
            let schema_at = child(&at, ["content", mime, "schema"]);
            let ty = self.lower_schema(schema, &hint, &schema_at);
            let ty = self.field_only(ty, &schema_at);
            match &chosen {
                Some((first, _)) if *first != ty => self.sink.error(
                    &at,
                    "the 2xx responses of this operation have different schemas; one success type per operation is supported",
                ),
                Some(_) => {}
                None => chosen = Some((ty, schema)),
            }
        }
        let may_be_empty = empty_seen && chosen.is_some();
        (chosen.map(|(ty, _)| ty), may_be_empty)
    }

    fn lower_security(&mut self, plan: &Planned<'a>) -> Vec<AuthScheme> {
        let api = self.api;
        let requirements = plan.op.security.as_ref().or(api.security.as_ref());
        let mut out = Vec::new();
        for requirement in requirements.into_iter().flatten() {
            for name in requirement.keys() {
                let at = pointer(["components", "securitySchemes", name]);
                let scheme = api.components.as_ref().and_then(|c| c.security_schemes.get(name)).and_then(ReferenceOr::as_item);
                let kind = match scheme {
                    Some(SecurityScheme::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("basic") => AuthScheme::Basic,
                    Some(SecurityScheme::HTTP { scheme, .. }) if scheme.eq_ignore_ascii_case("bearer") => AuthScheme::Bearer,
                    Some(SecurityScheme::OAuth2 { .. } | SecurityScheme::OpenIDConnect { .. }) => AuthScheme::Bearer,
                    Some(SecurityScheme::HTTP { scheme, .. }) => {
                        self.sink.error(&at, format!("HTTP auth scheme `{scheme}` is not supported (basic and bearer are)"));
                        continue;
                    }
                    Some(SecurityScheme::APIKey { .. }) => {
                        self.sink.error(&at, "apiKey security schemes are not supported yet");
                        continue;
                    }
                    None => {
                        self.sink.error(child(&plan.at, ["security"]), format!("security scheme `{name}` is not defined"));
                        continue;
                    }
                };
                if !out.contains(&kind) {
                    out.push(kind);
                }
            }
        }
        out
    }

    /// The base URL: the operation's servers, else the path's, else the
    /// document's; variables take their defaults.
    fn server(&self, plan: &Planned<'a>) -> String {
        let pick = |servers: &'a [Server]| servers.first();
        let server = pick(&plan.op.servers).or_else(|| pick(&plan.item.servers)).or_else(|| pick(&self.api.servers));
        let Some(server) = server else { return String::new() };
        let mut url = server.url.clone();
        for (name, var) in server.variables.iter().flatten() {
            url = url.replace(&format!("{{{name}}}"), &var.default);
        }
        url.trim_end_matches('/').to_owned()
    }
}

/// The component a local `$ref` names, if it exists and is not itself a reference.
fn component<'a, T>(reference: &str, prefix: &str, map: Option<&'a IndexMap<String, ReferenceOr<T>>>) -> Option<&'a T> {
    map?.get(reference.strip_prefix(prefix)?)?.as_item()
}

fn is_json(mime: &str) -> bool {
    let essence = mime.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// The `{Name}` placeholders of a path template.
pub(crate) fn placeholders(path: &str) -> impl Iterator<Item = &str> {
    path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(name, _)| name))
}
