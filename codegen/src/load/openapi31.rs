//! OpenAPI 3.1 read through the 3.0 model.
//!
//! `openapiv3`, the model every later stage reads, knows 3.0 only, and no
//! well-kept Rust crate models both (`openapiv3_1`/`utoipa` write documents
//! rather than read arbitrary ones; `oas3` reads 3.1 only). So a 3.1
//! document is rewritten, as a JSON tree, into the 3.0 document that means
//! the same for generating a client, and then read as any 3.0 one:
//!
//! - `type: [T, "null"]` is `type: T, nullable: true`; a `type` array of
//!   several types is a `oneOf` of them;
//! - a `null` member of `oneOf`/`anyOf` (`{type: "null"}`) makes the rest
//!   nullable;
//! - `const: v` is `enum: [v]` (of the value's type, if the schema gives
//!   none); `examples: [a, ...]` on a schema is
//!   `example: a`;
//! - numeric `exclusiveMinimum: n` is `minimum: n, exclusiveMinimum: true`
//!   (and the same for the maximum);
//! - `contentMediaType`/`contentEncoding` on a string say it holds bytes:
//!   `format: binary` (or `byte` for base64);
//! - a `$ref` with sibling keywords is its target (3.0 ignores the
//!   siblings, and so does the generated code: a sibling `description` is
//!   not in the docs);
//! - `paths` may be missing; `webhooks` (requests the API sends, not
//!   receives) are skipped with a warning, as are `$schema`, `$id`,
//!   `jsonSchemaDialect` and `components.pathItems`.
//!
//! Anything else a 3.0 reader does not know fails as it would in 3.0, with
//! its pointer.

use serde_json::{Map, Value, json};

use crate::diagnostics::{Diagnostic, Severity, pointer};

/// Rewrites the 3.1 document `doc` into 3.0 terms; returns what was
/// skipped, as warnings for `display`.
pub fn normalize(doc: &mut Value, display: &str) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let warn = |location: String, message: &str| Diagnostic {
        severity: Severity::Warning,
        file: display.to_owned(),
        location,
        message: message.to_owned(),
    };
    let Some(root) = doc.as_object_mut() else { return warnings };
    root.insert("openapi".into(), json!("3.0.3"));
    root.entry("paths").or_insert_with(|| json!({}));
    if root.remove("webhooks").is_some() {
        warnings.push(warn(pointer(["webhooks"]), "webhooks (requests the API sends) are not generated; skipped"));
    }
    for key in ["jsonSchemaDialect", "$schema", "$id"] {
        root.remove(key);
    }
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut)
        && components.remove("pathItems").is_some()
    {
        warnings.push(warn(pointer(["components", "pathItems"]), "components.pathItems are not read; skipped"));
    }
    // 3.1 allows a license `identifier` (SPDX) where 3.0 has only a URL.
    if let Some(license) = root.get_mut("info").and_then(|i| i.get_mut("license")).and_then(Value::as_object_mut) {
        license.remove("identifier");
    }
    walk(doc, false);
    warnings
}

/// Rewrites every schema below `value`; `in_schema` says whether `value`
/// itself is a schema.
fn walk(value: &mut Value, in_schema: bool) {
    match value {
        Value::Object(map) => {
            if in_schema {
                schema(map);
            }
            for (key, child) in map.iter_mut() {
                let child_is_schema = match key.as_str() {
                    "schema" | "items" | "not" | "additionalProperties" => true,
                    "properties" | "schemas" | "$defs" | "patternProperties" => {
                        // A map of schemas.
                        if let Value::Object(inner) = child {
                            inner.values_mut().for_each(|s| walk(s, true));
                        }
                        continue;
                    }
                    "allOf" | "oneOf" | "anyOf" | "prefixItems" => {
                        if let Value::Array(items) = child {
                            items.iter_mut().for_each(|s| walk(s, true));
                        }
                        continue;
                    }
                    // Example values are data, not schemas.
                    "example" | "examples" | "default" | "enum" | "const" => continue,
                    _ => false,
                };
                walk(child, child_is_schema);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk(v, false)),
        _ => {}
    }
}

/// One schema's own keywords, 3.1 to 3.0.
fn schema(map: &mut Map<String, Value>) {
    type_list(map);
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = map.get_mut(key) {
            let before = members.len();
            members.retain(|m| m.get("type") != Some(&json!("null")));
            if members.len() < before {
                map.insert("nullable".into(), json!(true));
            }
        }
    }
    if let Some(value) = map.remove("const") {
        // Without a `type`, the value's own says what the schema holds.
        let typ = match &value {
            Value::String(_) => Some("string"),
            Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
            Value::Number(_) => Some("number"),
            Value::Bool(_) => Some("boolean"),
            _ => None,
        };
        if let Some(typ) = typ {
            map.entry("type").or_insert(json!(typ));
        }
        map.insert("enum".into(), json!([value]));
    }
    if let Some(Value::Array(examples)) = map.remove("examples")
        && let Some(first) = examples.into_iter().next()
    {
        map.entry("example").or_insert(first);
    }
    for (exclusive, inclusive) in [("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")] {
        if let Some(bound) = map.get(exclusive).filter(|v| v.is_number()).cloned() {
            map.insert(inclusive.into(), bound);
            map.insert(exclusive.into(), json!(true));
        }
    }
    let encoding = map.remove("contentEncoding");
    if map.remove("contentMediaType").is_some() || encoding.is_some() {
        let format = if encoding.as_ref().is_some_and(|e| e == "base64") { "byte" } else { "binary" };
        map.entry("format").or_insert(json!(format));
    }
    for key in ["$schema", "$id", "$comment", "$anchor", "$defs"] {
        map.remove(key);
    }
}

/// `type: [T, "null"]` is `type: T, nullable: true`; a list of several
/// types is a `oneOf` of them. 3.0 documents that spell it so are read the
/// same way (`lenient`).
pub(crate) fn type_list(map: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = map.get("type").cloned() {
        let mut types: Vec<Value> = types.into_iter().filter(|t| t != "null").collect::<Vec<_>>();
        if map.get("type").and_then(Value::as_array).is_some_and(|all| all.iter().any(|t| t == "null")) {
            map.insert("nullable".into(), json!(true));
        }
        match types.len() {
            0 => {
                map.remove("type");
            }
            1 => {
                map.insert("type".into(), types.remove(0));
            }
            _ => {
                map.remove("type");
                let members = types.into_iter().map(|t| json!({"type": t})).collect();
                map.insert("oneOf".into(), Value::Array(members));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(schema: Value) -> Value {
        let mut doc = json!({"openapi": "3.1.0", "components": {"schemas": {"s": schema}}});
        normalize(&mut doc, "t.yaml");
        doc["components"]["schemas"]["s"].clone()
    }

    #[test]
    fn null_in_types_and_members_is_nullable() {
        assert_eq!(normalized(json!({"type": ["string", "null"]})), json!({"type": "string", "nullable": true}));
        assert_eq!(
            normalized(json!({"type": ["string", "integer"]})),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]})
        );
        assert_eq!(
            normalized(json!({"oneOf": [{"$ref": "#/components/schemas/a"}, {"type": "null"}]})),
            json!({"oneOf": [{"$ref": "#/components/schemas/a"}], "nullable": true})
        );
    }

    #[test]
    fn keywords_3_0_lacks_are_said_its_way() {
        assert_eq!(normalized(json!({"const": "x"})), json!({"type": "string", "enum": ["x"]}));
        assert_eq!(normalized(json!({"type": "string", "const": "x"})), json!({"type": "string", "enum": ["x"]}));
        assert_eq!(normalized(json!({"const": 2})), json!({"type": "integer", "enum": [2]}));
        assert_eq!(normalized(json!({"const": {"a": 1}})), json!({"enum": [{"a": 1}]}));
        assert_eq!(normalized(json!({"type": "integer", "exclusiveMinimum": 0})), json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true}));
        assert_eq!(normalized(json!({"type": "string", "examples": ["a", "b"]})), json!({"type": "string", "example": "a"}));
        assert_eq!(normalized(json!({"type": "string", "contentMediaType": "image/png"})), json!({"type": "string", "format": "binary"}));
        assert_eq!(normalized(json!({"type": "string", "contentEncoding": "base64"})), json!({"type": "string", "format": "byte"}));
        // Nested schemas too; example values are left alone.
        let nested = normalized(json!({"type": "object", "example": {"type": ["x", "null"]}, "properties": {"a": {"type": ["integer", "null"]}}}));
        assert_eq!(nested["properties"]["a"], json!({"type": "integer", "nullable": true}));
        assert_eq!(nested["example"], json!({"type": ["x", "null"]}));
    }

    #[test]
    fn the_document_becomes_3_0_and_webhooks_are_skipped_with_a_warning() {
        let mut doc = json!({"openapi": "3.1.0", "info": {"title": "T", "version": "1", "license": {"name": "MIT", "identifier": "MIT"}}, "webhooks": {}});
        let warnings = normalize(&mut doc, "t.yaml");
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["paths"], json!({}));
        assert!(doc.get("webhooks").is_none() && doc["info"]["license"].get("identifier").is_none());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].location, "#/webhooks");
    }
}
