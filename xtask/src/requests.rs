//! Values for every request of the corpus, for the test that sends each
//! operation through the generated client to a validating mock
//! (`xtask/corpus/requests.rs`): every parameter and body field the
//! operation has, required and optional, so that every encoder runs.
//!
//! A value is the spec's own example where it gives one (a parameter's
//! `example` or `examples`, a body's media example), else made from the
//! schema: enums take their first value, strings their format or a match of
//! their `pattern` (drawn with a fixed seed, so the values never change
//! between runs), numbers a value inside their bounds, arrays their least
//! item count (two where allowed), objects every property that is not
//! `readOnly`, down to a depth, then the required ones.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use codegen::ir::{Api, Location, Param, Style, TypeRef};
use rand::SeedableRng;
use serde_json::{Map, Value, json};

/// The key of an operation in the values file: `specs/x.json POST /path`.
pub fn key(spec: &str, method: &str, path: &str) -> String {
    format!("{spec} {method} {path}")
}

/// Values for every operation of `apis`, whose specs are under `workspace`:
/// an object from [`key`] to an object from field name to value.
pub fn values(workspace: &Path, apis: &[&Api]) -> Result<Value> {
    let mut out = Map::new();
    for api in apis {
        let path = workspace.join(&api.source);
        let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
        let spec: Value = match path.extension().and_then(|e| e.to_str()) {
            Some("json") => serde_json::from_str(&text)?,
            _ => serde_yaml::from_str(&text)?,
        };
        let mut maker = Maker { spec: &spec, rng: rand::rngs::SmallRng::seed_from_u64(2_473), patterns: BTreeMap::new() };
        for op in api.resources.iter().flat_map(|r| &r.operations) {
            let operation = &spec["paths"][&op.path][op.method.as_str().to_ascii_lowercase()];
            let path_item = &spec["paths"][&op.path];
            let mut fields = Map::new();
            for param in &op.params {
                if let Some(value) = maker.param_value(path_item, operation, param) {
                    fields.insert(param.name.trim_start_matches("r#").to_owned(), value);
                }
            }
            out.insert(key(&api.source, op.method.as_str(), &op.path), Value::Object(fields));
        }
    }
    Ok(Value::Object(out))
}

/// Objects are filled whole down to this depth, then only their required
/// properties.
const FULL: usize = 3;
/// Past this depth no value is made (a recursive schema's required cycle).
const DEEPEST: usize = 12;

struct Maker<'s> {
    spec: &'s Value,
    rng: rand::rngs::SmallRng,
    /// Compiled patterns (`None`: one that cannot be drawn from).
    patterns: BTreeMap<String, Option<rand_regex::Regex>>,
}

impl<'s> Maker<'s> {
    /// What a `$ref` chain ends at (local pointers only).
    fn resolve<'v>(&self, mut value: &'v Value) -> &'v Value
    where
        's: 'v,
    {
        for _ in 0..32 {
            let Some(reference) = value["$ref"].as_str() else { return value };
            let pointer = reference.strip_prefix('#').unwrap_or(reference);
            let decoded = percent_decoded(pointer);
            value = self.spec.pointer(&decoded).unwrap_or(&Value::Null);
        }
        value
    }

    fn param_value(&mut self, path_item: &'s Value, operation: &'s Value, param: &Param) -> Option<Value> {
        let wire = param.wire_name.as_str();
        // An `Authorization` header parameter (Twilio's Flex Insights token)
        // replaces the client's credentials (`real_specs.rs` tests it): left
        // unset, so that the credentials Prism checks go out.
        if param.location == Location::Header && wire.eq_ignore_ascii_case("authorization") {
            return None;
        }
        match param.location {
            Location::Path | Location::Query | Location::Header | Location::Cookie => {
                let place = match param.location {
                    Location::Path => "path",
                    Location::Query => "query",
                    Location::Header => "header",
                    _ => "cookie",
                };
                let declared = [operation, path_item]
                    .into_iter()
                    .flat_map(|holder| holder["parameters"].as_array().into_iter().flatten())
                    .map(|p| self.resolve(p))
                    .find(|p| p["name"] == wire && p["in"] == place);
                let Some(declared) = declared else {
                    // A placeholder no parameter declares: text.
                    return Some(json!("text"));
                };
                let schema = match declared.get("schema") {
                    Some(schema) => schema,
                    None => first_media(declared).map_or(&Value::Null, |media| &media["schema"]),
                };
                let example = own_example(declared).or_else(|| first_media(declared).and_then(own_example));
                let example = example.filter(|_| self.resolve(schema).get("pattern").is_none());
                Some(self.fitting(example, schema, &param.ty))
            }
            Location::Form | Location::Part => {
                let wanted = if param.location == Location::Form { "application/x-www-form-urlencoded" } else { "multipart/form-data" };
                if param.style == Style::Fields {
                    let value = if param.location == Location::Form { json!("text") } else { json!("bytes") };
                    return Some(json!({ "field": value }));
                }
                let body = self.resolve(&operation["requestBody"]);
                let media = body["content"].as_object()?.iter().find(|(mime, _)| mime.to_ascii_lowercase().starts_with(wanted))?.1;
                let schema = self.property(&media["schema"], wire)?;
                Some(self.fitting(None, schema, &param.ty))
            }
            Location::JsonBody | Location::RawBody => {
                let body = self.resolve(&operation["requestBody"]);
                let content = body["content"].as_object()?;
                let media = match param.location {
                    Location::JsonBody => content.iter().find(|(mime, _)| is_json(mime)).map(|(_, m)| m),
                    _ => content.values().next(),
                }?;
                if holds_bytes(&param.ty) {
                    return Some(json!("bytes"));
                }
                Some(self.fitting(own_example(media), &media["schema"], &param.ty))
            }
        }
    }

    /// The example if the field's Rust type could hold it, else a value
    /// made from the schema.
    fn fitting(&mut self, example: Option<&Value>, schema: &Value, ty: &TypeRef) -> Value {
        // An example outside the schema's own enum (Twilio shows `AsC` for
        // an `asc`/`desc` enum its API reads in any case) is not used.
        let allowed = self.resolve(schema)["enum"].as_array().cloned();
        match example {
            Some(example) if shape_fits(example, ty) && allowed.is_none_or(|values| values.contains(example)) => example.clone(),
            _ => self.make(schema, 0),
        }
    }

    /// The schema of a property of an object schema (through `$ref`s and
    /// `allOf`).
    fn property(&self, schema: &'s Value, name: &str) -> Option<&'s Value> {
        let schema = self.resolve(schema);
        if let Some(property) = schema["properties"].get(name) {
            return Some(property);
        }
        schema["allOf"].as_array()?.iter().find_map(|member| self.property(member, name))
    }

    /// A value that fits `schema`.
    fn make(&mut self, schema: &Value, depth: usize) -> Value {
        let schema = self.resolve(schema);
        if depth > DEEPEST {
            return Value::Null;
        }
        if let Some(value) = schema.get("const") {
            return value.clone();
        }
        if let Some(value) = schema["enum"].as_array().and_then(|values| values.iter().find(|v| !v.is_null())) {
            return value.clone();
        }
        // A scalar example of the schema's own type, unless a pattern says
        // what fits (examples do not always match it).
        let typ = schema["type"].as_str().unwrap_or_default();
        let typed = |e: &&Value| match typ {
            "string" => e.is_string(),
            "integer" => e.is_i64() || e.is_u64(),
            "number" => e.is_number(),
            "boolean" => e.is_boolean(),
            _ => false,
        };
        if let Some(example) = own_example(schema).filter(typed).filter(|_| schema.get("pattern").is_none()) {
            return example.clone();
        }
        if let Some(members) = schema["allOf"].as_array() {
            // Members' objects merged, with the schema's own properties; a
            // member that is no object (`allOf: [{type: string}]`) is the value.
            let own = Value::Object(schema.as_object().into_iter().flatten().filter(|(k, _)| *k != "allOf").map(|(k, v)| (k.clone(), v.clone())).collect());
            let mut merged = Map::new();
            for member in members {
                // A member that only constrains (`{required: [...]}`) adds
                // no value of its own.
                const SHAPES: [&str; 10] = ["type", "properties", "$ref", "allOf", "oneOf", "anyOf", "enum", "const", "items", "additionalProperties"];
                if !SHAPES.iter().any(|key| member.get(key).is_some()) {
                    continue;
                }
                match self.make(member, depth) {
                    Value::Object(part) => merged.extend(part),
                    Value::Null => {}
                    other => return other,
                }
            }
            if own.get("properties").is_some() || own.get("type").is_some() {
                match self.make(&own, depth) {
                    Value::Object(part) => merged.extend(part),
                    other if merged.is_empty() => return other,
                    _ => {}
                }
            }
            return Value::Object(merged);
        }
        for union in ["oneOf", "anyOf"].into_iter().filter(|_| schema.get("properties").is_none()) {
            let Some(member) = schema[union].as_array().and_then(|members| members.iter().find(|m| self.resolve(m)["type"] != "null")) else { continue };
            let mut value = self.make(member, depth);
            if let (Some(property), Some(reference), Value::Object(object)) =
                (schema["discriminator"]["propertyName"].as_str(), member["$ref"].as_str(), &mut value)
            {
                let mapped = schema["discriminator"]["mapping"].as_object().and_then(|m| m.iter().find(|(_, t)| *t == reference).map(|(k, _)| k.clone()));
                let tag = mapped.unwrap_or_else(|| reference.rsplit('/').next().unwrap_or_default().to_owned());
                object.insert(property.to_owned(), json!(tag));
            }
            return value;
        }
        self.make_typed(schema, depth)
    }

    fn make_typed(&mut self, schema: &Value, depth: usize) -> Value {
        let typ = match &schema["type"] {
            Value::Array(types) => types.iter().find(|t| *t != "null").and_then(Value::as_str).unwrap_or(""),
            other => other.as_str().unwrap_or(if schema.get("properties").is_some() { "object" } else { "" }),
        };
        match typ {
            "object" => {
                let required: Vec<&str> = schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
                let mut object = Map::new();
                for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                    let is_required = required.contains(&name.as_str());
                    if self.resolve(property)["readOnly"] == true || (depth >= FULL && !is_required) {
                        continue;
                    }
                    let value = self.make(property, depth + 1);
                    if !value.is_null() || is_required {
                        object.insert(name.clone(), value);
                    }
                }
                if let Some(rest) = schema.get("additionalProperties").filter(|r| r.is_object() && depth < FULL && object.is_empty()) {
                    let value = self.make(rest, depth + 1);
                    object.insert("key".to_owned(), value);
                }
                Value::Object(object)
            }
            "array" => {
                // Two items where allowed: repeated pairs and joined lists are
                // what array encoders exist for (and Prism reads one form
                // pair as a scalar, stoplightio/prism#2473).
                let least = schema["minItems"].as_u64().unwrap_or(0);
                let count = if depth < FULL { least.max(2) } else { least };
                let count = schema["maxItems"].as_u64().map_or(count, |most| count.min(most));
                let mut items: Vec<Value> = Vec::new();
                for _ in 0..count {
                    let item = self.make(&schema["items"], depth + 1);
                    let repeated = schema["uniqueItems"] == true && items.contains(&item);
                    if !item.is_null() && !repeated {
                        items.push(item);
                    }
                }
                Value::Array(items)
            }
            "integer" => {
                let value = number_within(schema, 1.0).round();
                json!(value as i64)
            }
            "number" => json!(number_within(schema, 1.5)),
            "boolean" => json!(true),
            "string" => json!(self.string(schema)),
            // No type: any value; text goes everywhere.
            _ => json!("text"),
        }
    }

    fn string(&mut self, schema: &Value) -> String {
        if let Some(pattern) = schema["pattern"].as_str() {
            if let Some(text) = self.matching(pattern) {
                return text;
            }
        }
        let text = match schema["format"].as_str().unwrap_or_default() {
            "date-time" => "2024-05-06T07:08:09Z",
            "date" => "2024-05-06",
            "time" => "07:08:09",
            "email" | "idn-email" => "user@example.com",
            "uri" | "url" | "iri" | "uri-reference" | "iri-reference" => "https://example.com/a",
            "hostname" | "idn-hostname" => "example.com",
            "uuid" => "0b0f7f3e-5a0e-4d55-8a43-2b8c1a9e7d10",
            "byte" => "aGk=",
            "binary" => "bytes",
            "ipv4" => "192.0.2.1",
            "ipv6" => "2001:db8::1",
            "phone-number" => "+15005550006",
            _ if schema.get("contentEncoding").is_some() => "aGk=",
            _ => "text",
        };
        let mut text = text.to_owned();
        let least = schema["minLength"].as_u64().unwrap_or(0) as usize;
        while text.chars().count() < least {
            text.push('x');
        }
        if let Some(most) = schema["maxLength"].as_u64() {
            text = text.chars().take(most as usize).collect();
        }
        text
    }

    /// A string matching `pattern` (read as ECMAScript reads it: ASCII
    /// classes), if it can be drawn from.
    fn matching(&mut self, pattern: &str) -> Option<String> {
        let generator = self
            .patterns
            .entry(pattern.to_owned())
            .or_insert_with(|| {
                // Anchored at both ends or not, the match drawn is the
                // whole text (the generator takes no anchors).
                let bare = unanchored(pattern);
                let bare = bare.as_str();
                // ASCII classes as ECMAScript has them; Unicode where the
                // pattern needs it (`.` in ASCII mode may match any byte).
                let hir = regex_syntax::ParserBuilder::new()
                    .unicode(false)
                    .build()
                    .parse(bare)
                    .ok()
                    .or_else(|| regex_syntax::ParserBuilder::new().build().parse(bare).ok())?;
                rand_regex::Regex::with_hir(hir, 4).ok()
            })
            .as_ref()?;
        use rand::Rng as _;
        Some(self.rng.sample::<String, _>(generator))
    }
}

/// A pattern without its anchors (`^`, `$` outside classes and escapes),
/// which the generator does not take: `^a|^b` draws from `a|b`, and each
/// draw matches the anchored pattern.
fn unanchored(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let (mut escaped, mut in_class) = (false, false);
    for c in pattern.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '[' => in_class = true,
            ']' => in_class = false,
            '^' | '$' if !in_class => continue,
            _ => {}
        }
        out.push(c);
    }
    out
}

/// A number inside a schema's bounds (and a multiple of its `multipleOf`),
/// `preferred` when it is.
fn number_within(schema: &Value, preferred: f64) -> f64 {
    let mut low = schema["minimum"].as_f64();
    let mut high = schema["maximum"].as_f64();
    // 3.0 spells exclusive bounds as booleans, 3.1 as numbers.
    if let Some(bound) = schema["exclusiveMinimum"].as_f64() {
        low = Some(bound + 1.0);
    } else if schema["exclusiveMinimum"] == true {
        low = low.map(|l| l + 1.0);
    }
    if let Some(bound) = schema["exclusiveMaximum"].as_f64() {
        high = Some(bound - 1.0);
    } else if schema["exclusiveMaximum"] == true {
        high = high.map(|h| h - 1.0);
    }
    let mut value = preferred;
    if let Some(low) = low.filter(|l| value < *l) {
        value = low;
    }
    if let Some(high) = high.filter(|h| value > *h) {
        value = high;
    }
    if let Some(step) = schema["multipleOf"].as_f64().filter(|s| *s > 0.0) {
        value = (value / step).ceil() * step;
    }
    value
}

/// A parameter's, media type's or schema's own example: `example`, else
/// the first of `examples` (a map of example objects, or 3.1's list).
fn own_example(holder: &Value) -> Option<&Value> {
    if let Some(example) = holder.get("example").filter(|e| !e.is_null()) {
        return Some(example);
    }
    match &holder["examples"] {
        Value::Array(list) => list.first(),
        Value::Object(map) => map.values().find_map(|e| e.get("value")),
        _ => None,
    }
}

/// The first media type of a parameter given by `content`.
fn first_media(param: &Value) -> Option<&Value> {
    param["content"].as_object()?.values().next()
}

fn is_json(mime: &str) -> bool {
    let essence = mime.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

fn holds_bytes(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Binary => true,
        TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => holds_bytes(inner),
        _ => false,
    }
}

/// Whether an example has the JSON shape the field's type reads (an array
/// for a `Vec`, an object for a model or map, a scalar for a scalar): the
/// rest is checked when the test decodes it.
fn shape_fits(example: &Value, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Array(_) => example.is_array(),
        TypeRef::Map(_) => example.is_object(),
        TypeRef::Nullable(inner) => example.is_null() || shape_fits(example, inner),
        TypeRef::Named(_) | TypeRef::Json => true,
        TypeRef::Bool => example.is_boolean(),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => example.is_i64() || example.is_u64(),
        TypeRef::Number => example.is_number(),
        // RFC 3339 date-times (Twilio shows `2008-01-02` for some).
        TypeRef::DateTime => example.as_str().is_some_and(|t| t.len() >= 20 && t.as_bytes().get(10) == Some(&b'T')),
        _ => example.is_string(),
    }
}

/// A JSON pointer with `%xx` escapes decoded (`%7Bid%7D`).
fn percent_decoded(pointer: &str) -> String {
    percent_encoding::percent_decode_str(pointer).decode_utf8_lossy().into_owned()
}
