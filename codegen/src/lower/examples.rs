//! What a spec's own examples say about its schemas, read before any type
//! is made: the required properties an example of the object leaves out.
//!
//! A property the spec requires but its own example responses omit is not
//! one a client can count on (GitHub's description has 134 such examples,
//! from `created_at` of a job to `total_count` of a list). Such a property
//! is an `Option` in Rust, and says why in its docs, so that a response
//! like the example decodes. Nothing else is taken from examples.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::Ctx;

/// Examples nest no deeper than this is followed (a guard for
/// self-referencing schemas with deep examples).
const MAX_DEPTH: usize = 64;

impl<'a> Ctx<'a> {
    /// Reads every example of a JSON response or request body, in every
    /// operation, and of every component schema.
    pub(super) fn read_examples(&mut self) {
        let api = self.api;
        let components = api.components.as_ref();
        let mut pairs: Vec<(&'a serde_json::Value, &'a ReferenceOr<Schema>)> = Vec::new();
        for item in api.paths.paths.values().filter_map(ReferenceOr::as_item) {
            for (_, op) in item.iter() {
                let responses = op.responses.responses.values().chain(op.responses.default.iter());
                let mut contents: Vec<&'a indexmap::IndexMap<String, openapiv3::MediaType>> = responses
                    .filter_map(|r| match r {
                        ReferenceOr::Item(r) => Some(r),
                        ReferenceOr::Reference { reference } => components
                            .and_then(|c| c.responses.get(reference.strip_prefix("#/components/responses/")?))
                            .and_then(ReferenceOr::as_item),
                    })
                    .map(|r| &r.content)
                    .collect();
                if let Some(ReferenceOr::Item(body)) = &op.request_body {
                    contents.push(&body.content);
                }
                for media in contents.into_iter().flat_map(|c| c.values()) {
                    let Some(schema) = &media.schema else { continue };
                    pairs.extend(media.example.iter().map(|e| (e, schema)));
                    for example in media.examples.values() {
                        let example = match example {
                            ReferenceOr::Item(e) => Some(e),
                            ReferenceOr::Reference { reference } => components
                                .and_then(|c| c.examples.get(reference.strip_prefix("#/components/examples/")?))
                                .and_then(ReferenceOr::as_item),
                        };
                        pairs.extend(example.and_then(|e| e.value.as_ref()).map(|e| (e, schema)));
                    }
                }
            }
        }
        for schema in components.into_iter().flat_map(|c| c.schemas.values()) {
            if let Some(example) = schema.as_item().and_then(|s| s.schema_data.example.as_ref()) {
                pairs.push((example, schema));
            }
        }
        for (example, schema) in pairs {
            // GitHub writes some values as `{"$ref": "#/components/examples/x"}`,
            // meaning that example's value.
            let example = match example.as_object().filter(|o| o.len() == 1).and_then(|o| o.get("$ref")?.as_str()) {
                Some(reference) => {
                    let named = reference.strip_prefix("#/components/examples/").and_then(|name| components?.examples.get(name));
                    match named.and_then(ReferenceOr::as_item).and_then(|e| e.value.as_ref()) {
                        Some(value) => value,
                        None => continue,
                    }
                }
                None => example,
            };
            if let Some(schema) = self.resolve_schema(schema) {
                self.walk_example(example, schema, 0);
            }
        }
    }

    fn walk_example(&mut self, value: &serde_json::Value, schema: &'a Schema, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match value {
            serde_json::Value::Object(map) => {
                // Problems are reported when the struct is made.
                let (properties, required, _) = self.object_parts(schema, "");
                if properties.is_empty() {
                    return;
                }
                let address = schema as *const Schema as usize;
                for name in required {
                    if !map.contains_key(name) {
                        self.left_out.insert((address, name.to_owned()));
                    }
                }
                for (name, (property, _)) in properties {
                    if let (Some(inner), Some(property)) = (map.get(name), self.resolve_boxed(property)) {
                        self.walk_example(inner, property, depth + 1);
                    }
                }
            }
            serde_json::Value::Array(items) => {
                if let SchemaKind::Type(Type::Array(array)) = &schema.schema_kind
                    && let Some(item) = array.items.as_ref().and_then(|i| self.resolve_boxed(i))
                {
                    items.iter().for_each(|value| self.walk_example(value, item, depth + 1));
                }
            }
            _ => {}
        }
    }
}
