//! Every generated response decoder, fed real and hostile bodies.
//!
//! `cargo xtask corpus` generates `decoders/table.rs` (one entry per
//! operation of every spec) next to this file in its scratch workspace and
//! runs this test with every API enabled. For each operation:
//!
//! 1. every example response its spec gives for a 2xx status must decode,
//!    and encode back to the same JSON (`null`s as absent, numbers by value,
//!    date-times by instant and offset), but for properties the schema does
//!    not declare, which are counted; so must every example of its JSON
//!    request body. Examples are read inline (`example`, `examples`) and
//!    through `$ref`s to `components` (examples, responses, request bodies),
//!    from JSON and YAML specs alike;
//! 2. mutations of those examples (values of other types, deleted keys,
//!    numbers out of range, truncations, flipped bytes) and random bytes must
//!    decode to a value or to `Error::Decode`: never a panic, never another
//!    error.
//!
//! `DECODER_MUTATIONS` sets the mutations per operation (default 24); the
//! seed is fixed, so a failure repeats.
//!
//! `spec_errata.txt` lists the examples that contradict their own schema
//! (a string where the schema says boolean, an object where it says array):
//! those must fail to decode, and the test fails when one stops failing, so
//! the list is never stale.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};

use twilio_api::Error;
use twilio_api::runtime::Operation;

#[path = "decoders/table.rs"]
mod table;

/// One operation's decoder.
pub struct Decoder {
    /// The spec's path in the workspace (`specs/twilio_api_v2010.json`).
    pub spec: &'static str,
    pub method: &'static str,
    pub path: &'static str,
    pub decode: fn(u16, &[u8]) -> Result<(), Error>,
    /// Decodes an example as the response's model and encodes it back, when
    /// the response is one model.
    pub round_trip: Option<RoundTrip>,
    /// The same for the JSON request body's model.
    pub request_round_trip: Option<RoundTrip>,
}

/// See [`round_trip`].
pub type RoundTrip = fn(&serde_json::Value) -> Result<serde_json::Value, String>;

/// `value` decoded as `T` and encoded back.
pub fn round_trip<T: serde::Serialize + serde::de::DeserializeOwned>(value: &serde_json::Value) -> Result<serde_json::Value, String> {
    let decoded: T = serde_json::from_value(value.clone()).map_err(|e| e.to_string())?;
    serde_json::to_value(&decoded).map_err(|e| e.to_string())
}

/// A JSON value as a model keeps it: `null` properties are absent ones (an
/// `Option` left out), numbers compare by value (`1` and `1.0`), RFC 3339
/// date-times by instant and offset.
fn normalized(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(map.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), normalized(v))).collect()),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::Number(n) => n.as_f64().and_then(serde_json::Number::from_f64).map_or(value.clone(), Value::Number),
        // A date-time by its instant and offset: `.000` and `+00:00` are
        // spellings of `Z`.
        Value::String(text) => match chrono::DateTime::parse_from_rfc3339(text) {
            Ok(time) => Value::String(time.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)),
            Err(_) => value.clone(),
        },
        other => other.clone(),
    }
}

/// The first place where `a` and `b` differ, as a path.
fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| match (x.get(k), y.get(k)) {
                (Some(p), Some(q)) => first_difference(p, q, format!("{at}.{k}")),
                (Some(_), None) => Some(format!("{at}.{k} (dropped)")),
                (None, _) => Some(format!("{at}.{k} (added)")),
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| first_difference(p, q, format!("{at}[{i}]")))
        }
        _ if a == b => None,
        _ => Some(format!("{at}: {a} became {b}")),
    }
}

/// Decodes a response of this status as the client does.
pub fn decode<O: Operation>(status: u16, body: &[u8]) -> Result<(), Error> {
    twilio_api::runtime::decode_body::<O::Output>(status, body).map(drop)
}

/// The example bodies a spec gives for an operation's 2xx responses, with
/// their status: those of the media type the client reads (the first JSON
/// one; others may have schemas of their own).
fn examples(spec: &serde_json::Value, method: &str, path: &str) -> Vec<(u16, serde_json::Value)> {
    let operation = &spec["paths"][path][method.to_ascii_lowercase()];
    let mut out = Vec::new();
    for (status, response) in operation["responses"].as_object().into_iter().flatten() {
        if !status.starts_with('2') {
            continue;
        }
        let code = status.parse().unwrap_or(200);
        out.extend(media_examples(spec, resolve(spec, response, "responses")).into_iter().map(|e| (code, e)));
    }
    out
}

/// The examples of an operation's JSON request body, and whether the body
/// is required (a `null` example of an optional body means "no body").
fn request_examples(spec: &serde_json::Value, method: &str, path: &str) -> (Vec<serde_json::Value>, bool) {
    let body = resolve(spec, &spec["paths"][path][method.to_ascii_lowercase()]["requestBody"], "requestBodies");
    (media_examples(spec, body), body["required"] == true)
}

/// `value`, or what its `$ref` to `#/components/<section>/...` names.
fn resolve<'s>(spec: &'s serde_json::Value, value: &'s serde_json::Value, section: &str) -> &'s serde_json::Value {
    let prefix = format!("#/components/{section}/");
    match value["$ref"].as_str().and_then(|r| r.strip_prefix(prefix.as_str())) {
        Some(name) => &spec["components"][section][name],
        None => value,
    }
}

/// The examples of a response's or request body's first JSON media type.
fn media_examples(spec: &serde_json::Value, holder: &serde_json::Value) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for (_, media) in holder["content"].as_object().into_iter().flatten().filter(|(mime, _)| mime.contains("json")).take(1) {
        for example in media["examples"].as_object().into_iter().flatten().map(|(_, e)| e) {
            let example = resolve(spec, example, "examples");
            // One with no `value` (a summary alone, an `externalValue`) shows nothing.
            let Some(value) = example.get("value") else { continue };
            // Its value may be a `$ref` too (GitHub's): that example's value.
            let value = match value["$ref"].as_str().and_then(|r| r.strip_prefix("#/components/examples/")) {
                Some(name) => &spec["components"]["examples"][name]["value"],
                None => value,
            };
            out.push(value.clone());
        }
        if !media["example"].is_null() {
            out.push(media["example"].clone());
        }
    }
    out
}

/// The schema of a response's or request body's first JSON media type.
fn media_schema(holder: &serde_json::Value) -> Option<&serde_json::Value> {
    let (_, media) = holder["content"].as_object()?.iter().find(|(mime, _)| mime.contains("json"))?;
    media.get("schema")
}

/// The schemas of an operation's first 2xx JSON response and of its JSON
/// request body.
fn operation_schemas<'s>(spec: &'s serde_json::Value, method: &str, path: &str) -> (Option<&'s serde_json::Value>, Option<&'s serde_json::Value>) {
    let operation = &spec["paths"][path][method.to_ascii_lowercase()];
    let response = operation["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(status, _)| status.starts_with('2'))
        .find_map(|(_, response)| media_schema(resolve(spec, response, "responses")));
    let request = media_schema(resolve(spec, &operation["requestBody"], "requestBodies"));
    (response, request)
}

/// What a local `$ref` (`#/components/schemas/Pet`) points to.
fn pointee<'s>(spec: &'s serde_json::Value, reference: &str) -> &'s serde_json::Value {
    let pointer = reference.trim_start_matches('#');
    spec.pointer(pointer).unwrap_or(&serde_json::Value::Null)
}

/// A value that fits `schema` (in OpenAPI 3.0 or 3.1 terms), made from the
/// schema alone: for specs that give no examples (Figma's), so that every
/// model is still decoded and encoded back. Every property is set down to
/// a depth, then only the required ones; arrays hold one item, then none;
/// a union takes its first member (with its discriminator's tag); strings
/// follow their format.
fn synthesize(spec: &serde_json::Value, schema: &serde_json::Value, depth: usize) -> serde_json::Value {
    use serde_json::{Value, json};
    const FULL: usize = 4;
    if depth > 24 {
        return Value::Null;
    }
    if let Some(reference) = schema["$ref"].as_str() {
        return synthesize(spec, pointee(spec, reference), depth);
    }
    if let Some(value) = schema.get("const") {
        return value.clone();
    }
    if let Some(value) = schema["enum"].as_array().and_then(|values| values.iter().find(|v| !v.is_null())) {
        return value.clone();
    }
    if let Some(members) = schema["allOf"].as_array() {
        let mut merged = serde_json::Map::new();
        for member in members {
            // A member that only constrains (`{required: [...]}`) adds
            // nothing; one that is no object (`allOf: [$ref to a string]`)
            // is the value.
            const SHAPES: [&str; 10] = ["type", "properties", "$ref", "allOf", "oneOf", "anyOf", "enum", "const", "items", "additionalProperties"];
            if !SHAPES.iter().any(|key| member.get(key).is_some()) {
                continue;
            }
            match synthesize(spec, member, depth) {
                Value::Object(part) => merged.extend(part),
                Value::Null => {}
                other => return other,
            }
        }
        let own = serde_json::Map::from_iter(schema.as_object().into_iter().flatten().filter(|(k, _)| *k != "allOf").map(|(k, v)| (k.clone(), v.clone())));
        if let Value::Object(part) = synthesize(spec, &Value::Object(own), depth) {
            merged.extend(part);
        }
        return Value::Object(merged);
    }
    // A union beside properties only constrains the object (`required`).
    for union in ["oneOf", "anyOf"].into_iter().filter(|_| schema.get("properties").is_none()) {
        let Some(member) = schema[union].as_array().and_then(|members| members.iter().find(|m| m["type"] != "null")) else { continue };
        let mut value = synthesize(spec, member, depth);
        if let (Some(property), Some(reference), Value::Object(object)) =
            (schema["discriminator"]["propertyName"].as_str(), member["$ref"].as_str(), &mut value)
        {
            let mapped = schema["discriminator"]["mapping"].as_object().and_then(|m| m.iter().find(|(_, t)| *t == reference).map(|(k, _)| k.clone()));
            let tag = mapped.unwrap_or_else(|| reference.rsplit('/').next().unwrap_or_default().to_owned());
            object.insert(property.to_owned(), json!(tag));
        }
        return value;
    }
    let typ = match &schema["type"] {
        Value::Array(types) => types.iter().find(|t| *t != "null").and_then(Value::as_str).unwrap_or(""),
        other => other.as_str().unwrap_or(if schema.get("properties").is_some() { "object" } else { "" }),
    };
    match typ {
        "object" => {
            let required: Vec<&str> = schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str).collect();
            let mut object = serde_json::Map::new();
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                if depth < FULL || required.contains(&name.as_str()) {
                    object.insert(name.clone(), synthesize(spec, property, depth + 1));
                }
            }
            if let Some(rest) = schema.get("additionalProperties").filter(|r| r.is_object() && depth < FULL) {
                object.insert("some_key".to_owned(), synthesize(spec, rest, depth + 1));
            }
            Value::Object(object)
        }
        "array" if depth < FULL => json!([synthesize(spec, &schema["items"], depth + 1)]),
        "array" => json!([]),
        "integer" => schema["minimum"].as_i64().map_or(json!(1), |min| json!(min.max(1))),
        "number" => json!(1.5),
        "boolean" => json!(true),
        "string" => match schema["format"].as_str().unwrap_or_default() {
            "date-time" => json!("2024-05-06T07:08:09Z"),
            "date-time-rfc-2822" => json!("Mon, 06 May 2024 07:08:09 +0000"),
            "date" => json!("2024-05-06"),
            "uuid" => json!("0b0f7f3e-5a0e-4d55-8a43-2b8c1a9e7d10"),
            "byte" => json!("aGk="),
            "ipv4" => json!("192.0.2.1"),
            "ipv6" => json!("2001:db8::1"),
            _ if schema.get("contentEncoding").is_some() => json!("aGk="),
            _ => json!("text"),
        },
        _ => json!("free-form"),
    }
}

/// Which corpus a spec is from, for the counts (`specs/github.json`:
/// GitHub).
fn corpus(spec: &str) -> &'static str {
    let name = spec.rsplit('/').next().unwrap_or(spec);
    match name {
        "github.json" => "GitHub",
        "figma.json" => "Figma",
        "petstore.json" => "Petstore",
        _ if name.starts_with("twilio_") => "Twilio",
        _ => "ours",
    }
}

/// Examples read and round-tripped, per corpus.
#[derive(Default)]
struct Counts {
    responses: usize,
    requests: usize,
    round_trips: usize,
    /// Values made from the schemas, decoded and encoded back.
    synthesized: usize,
}

/// `example` decoded as a model and encoded back; a difference is a
/// mismatch (`at` says which example).
fn check_round_trip(round_trip: RoundTrip, example: &serde_json::Value, at: String, mismatches: &mut Vec<String>) {
    match round_trip(example).map(|v| normalized(&v)) {
        Ok(back) => {
            if let Some(difference) = first_difference(&normalized(example), &back, String::new()) {
                mismatches.push(format!("{at}: {difference}"));
            }
        }
        Err(e) => mismatches.push(format!("{at}: does not decode: {e}")),
    }
}

/// Values of every JSON type, and edge cases of each.
fn odd_value(rng: &mut fastrand::Rng) -> serde_json::Value {
    use serde_json::json;
    match rng.u8(..14) {
        0 => json!(null),
        1 => json!(true),
        2 => json!(0),
        3 => json!(-1),
        4 => json!(1e308),
        5 => json!(u64::MAX),
        6 => json!(i64::MIN),
        7 => json!(""),
        8 => json!("1.5"),
        9 => json!("not a value of any kind"),
        10 => json!([]),
        11 => json!({}),
        12 => json!("Thu, 30 Jul 2015 20:00:00 +0000"),
        _ => json!([null, {"a": [1, "2"]}]),
    }
}

/// A random node of `value` (each node equally likely along one walk).
fn pick<'v>(value: &'v mut serde_json::Value, rng: &mut fastrand::Rng) -> &'v mut serde_json::Value {
    let children = match value {
        serde_json::Value::Array(items) if !items.is_empty() => items.len(),
        serde_json::Value::Object(map) if !map.is_empty() => map.len(),
        _ => return value,
    };
    if rng.u8(..4) == 0 {
        return value;
    }
    let i = rng.usize(..children);
    match value {
        serde_json::Value::Array(items) => pick(&mut items[i], rng),
        serde_json::Value::Object(map) => {
            let (_, child) = map.iter_mut().nth(i).expect("index in range");
            pick(child, rng)
        }
        _ => unreachable!("only containers have children"),
    }
}

/// One mutation of `example`, as bytes.
fn mutate(example: &serde_json::Value, rng: &mut fastrand::Rng) -> Vec<u8> {
    let mut value = example.clone();
    match rng.u8(..8) {
        0..=3 => *pick(&mut value, rng) = odd_value(rng),
        4 => {
            // Delete a key somewhere.
            if let serde_json::Value::Object(map) = pick(&mut value, rng) {
                if let Some(key) = map.keys().nth(rng.usize(..map.len().max(1))).cloned() {
                    map.remove(&key);
                }
            }
        }
        5 => {
            // Truncate the text.
            let bytes = serde_json::to_vec(&value).expect("JSON");
            return bytes[..rng.usize(..=bytes.len())].to_vec();
        }
        6 => {
            // Flip bytes.
            let mut bytes = serde_json::to_vec(&value).expect("JSON");
            for _ in 0..rng.usize(1..4) {
                if !bytes.is_empty() {
                    let i = rng.usize(..bytes.len());
                    bytes[i] = rng.u8(..);
                }
            }
            return bytes;
        }
        _ => {
            // Random bytes, sometimes JSON-looking.
            let len = rng.usize(..64);
            let alphabet = b"{}[]\":,0123456789-+.eE truefalsnul\\";
            return (0..len).map(|_| if rng.bool() { rng.u8(..) } else { alphabet[rng.usize(..alphabet.len())] }).collect();
        }
    }
    serde_json::to_vec(&value).expect("JSON")
}

#[test]
fn every_decoder_reads_its_spec_examples_and_survives_hostile_bodies() {
    let mutations: usize = std::env::var("DECODER_MUTATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(24);
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let mut specs: BTreeMap<&str, serde_json::Value> = BTreeMap::new();
    let mut rng = fastrand::Rng::with_seed(7_711_010);
    let (mut examples_read, mut bodies_tried, mut decoded, mut refused) = (0, 0, 0, 0);
    let mut counts: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut mismatches = Vec::new();
    let mut failures = Vec::new();

    for decoder in table::DECODERS {
        let spec = specs.entry(decoder.spec).or_insert_with(|| {
            let text = std::fs::read_to_string(format!("{root}/{}", decoder.spec)).unwrap_or_default();
            match decoder.spec.ends_with(".json") {
                true => serde_json::from_str(&text).expect("a JSON spec"),
                false => serde_yaml::from_str(&text).expect("a YAML spec"),
            }
        });
        let count = counts.entry(corpus(decoder.spec)).or_default();
        let examples = examples(spec, decoder.method, decoder.path);
        for (status, example) in &examples {
            examples_read += 1;
            count.responses += 1;
            let bytes = serde_json::to_vec(example).expect("JSON");
            if let Err(e) = (decoder.decode)(*status, &bytes) {
                failures.push(format!("{} {} {status} ({}): its example does not decode: {e}", decoder.method, decoder.path, decoder.spec));
            } else if let Some(round_trip) = decoder.round_trip {
                count.round_trips += 1;
                let at = format!("{} {} {status} ({})", decoder.method, decoder.path, decoder.spec);
                check_round_trip(round_trip, example, at, &mut mismatches);
            }
        }
        let (response_schema, request_schema) = operation_schemas(spec, decoder.method, decoder.path);
        for (schema, round_trip, what) in [(response_schema, decoder.round_trip, "response"), (request_schema, decoder.request_round_trip, "request body")] {
            if let (Some(schema), Some(round_trip)) = (schema, round_trip) {
                count.synthesized += 1;
                let value = synthesize(spec, schema, 0);
                let at = format!("{} {} {what} made from its schema ({})", decoder.method, decoder.path, decoder.spec);
                check_round_trip(round_trip, &value, at, &mut mismatches);
            }
        }
        let (request_examples, required) = request_examples(spec, decoder.method, decoder.path);
        for example in request_examples {
            count.requests += 1;
            // An optional body (`None` in the request) given as `null`.
            if example.is_null() && !required {
                continue;
            }
            if let Some(round_trip) = decoder.request_round_trip {
                count.round_trips += 1;
                let at = format!("{} {} request body ({})", decoder.method, decoder.path, decoder.spec);
                check_round_trip(round_trip, &example, at, &mut mismatches);
            }
        }
        let seed = examples.first().map(|(_, e)| e.clone()).unwrap_or_else(|| serde_json::json!({}));
        for _ in 0..mutations {
            let bytes = mutate(&seed, &mut rng);
            bodies_tried += 1;
            match catch_unwind(AssertUnwindSafe(|| (decoder.decode)(200, &bytes))) {
                Ok(Ok(())) => decoded += 1,
                Ok(Err(Error::Decode { .. })) => refused += 1,
                Ok(Err(other)) => failures.push(format!("{} {}: {other:?} for {:?}", decoder.method, decoder.path, String::from_utf8_lossy(&bytes))),
                Err(_) => failures.push(format!("{} {}: PANIC for {:?}", decoder.method, decoder.path, String::from_utf8_lossy(&bytes))),
            }
        }
    }
    // A property the schema does not declare has no field to go to (and
    // is reported); any other difference is a failure.
    let (dropped, changed): (Vec<String>, Vec<String>) = mismatches.into_iter().partition(|m| m.ends_with("(dropped)"));
    failures.extend(changed.into_iter().map(|m| format!("{m}: the example does not encode back to itself")));
    let errata: Vec<&str> = include_str!("spec_errata.txt").lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#')).collect();
    let mut expected = 0;
    let mut seen_errata = std::collections::BTreeSet::new();
    failures.retain(|failure| match errata.iter().find(|erratum| failure.starts_with(erratum.split(" # ").next().unwrap_or(erratum))) {
        Some(erratum) => {
            expected += 1;
            seen_errata.insert(*erratum);
            false
        }
        None => true,
    });
    for erratum in errata.iter().filter(|e| !seen_errata.contains(*e)) {
        failures.push(format!("listed in spec_errata.txt but decodes now (remove it): {erratum}"));
    }
    println!(
        "{} decoders: {examples_read} spec examples read, {expected} of them listed as contradicting their schema; {bodies_tried} mutated or random bodies: {decoded} decoded, {refused} refused as Error::Decode",
        table::DECODERS.len()
    );
    for (corpus, count) in &counts {
        println!(
            "{corpus}: {} response and {} request examples; {} of them, of one model each, decoded and encoded back; {} values made from response and request schemas decoded and encoded back",
            count.responses, count.requests, count.round_trips, count.synthesized
        );
    }
    println!(
        "{} examples decoded and encoded back to equal JSON but {} that have a property their schema does not declare, for example:",
        counts.values().map(|c| c.round_trips).sum::<usize>(),
        dropped.len()
    );
    for mismatch in dropped.iter().take(5) {
        println!("  {mismatch}");
    }
    // A value made from the schema has only declared properties: one that
    // is dropped went to a union variant without it (overlapping anyOf
    // members are not merged).
    for mismatch in dropped.iter().filter(|m| m.contains("made from its schema")) {
        println!("  {mismatch}");
    }
    assert!(failures.is_empty(), "{} failure(s):\n{}", failures.len(), failures.join("\n"));
}
