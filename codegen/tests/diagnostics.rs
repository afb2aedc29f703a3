//! Bad specs get precise errors: file, location, what is wrong. Never a panic,
//! and every problem of a run at once.

use std::path::Path;

use codegen::{Error, Severity};

/// Generates from a folder holding just `files`, returning the error text.
fn generate_error(files: &[(&str, &str)]) -> String {
    generate_error_with(files, codegen::Options::default())
}

/// Generates with `--strict` from a folder holding just `files`, returning
/// the error text.
fn strict_error(files: &[(&str, &str)]) -> String {
    generate_error_with(files, codegen::Options { strict: true })
}

/// Generates leniently from a folder holding just `files`.
fn lenient(files: &[(&str, &str)]) -> codegen::Output {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    codegen::generate(dir.path(), "specs").unwrap_or_else(|e| panic!("{e}"))
}

fn generate_error_with(files: &[(&str, &str)], options: codegen::Options) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    match codegen::generate_with(dir.path(), "specs", options) {
        Ok(output) => panic!("expected an error, got files {:?}", output.files.keys().collect::<Vec<_>>()),
        Err(e @ Error::Specs(_)) => e.to_string(),
        Err(other) => panic!("expected spec errors, got {other}"),
    }
}

const HEAD: &str = "openapi: 3.0.1\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://example.com'}]\n";

#[test]
fn yaml_syntax_errors_name_line_and_column() {
    let error = generate_error(&[("broken.yaml", "openapi: 3.0.1\ninfo: {title: T, version: '1'\npaths: {}\n")]);
    assert!(error.contains("error: specs/broken.yaml: line 3 column"), "{error}");
    // Deep in the document, after `paths`, it is still found at its own
    // line (the typed read would blame `paths`).
    let late = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      description: one: two\n";
    let error = generate_error(&[("late.yaml", late)]);
    assert!(error.contains("error: specs/late.yaml: line 7 column") && error.contains("not valid YAML"), "{error}");
}

#[test]
fn values_of_the_wrong_kind_are_read_leniently_with_their_pointer_and_refused_strictly() {
    // A number where text belongs, a whole unreadable operation (its
    // `responses` a list), `1` for a boolean; the rest generates.
    let spec = r#"{"openapi": "3.0.1", "info": {"title": "T", "version": "1"}, "paths": {
        "/x": {"get": {"operationId": "GetX", "responses": {"200": {"description": 5}}}},
        "/y": {"get": {"operationId": "GetY", "responses": []}},
        "/z": {"get": {"operationId": "GetZ", "parameters": [{"name": "q", "in": "query", "required": 1, "schema": {"type": "string"}}],
                       "responses": {"204": {"description": "none"}}}}}}"#;
    let output = lenient(&[("bad.json", spec)]);
    let said: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    for expected in [
        "degraded: specs/bad.json: #/paths/~1x/get/responses/200/description: `description` is not text; read as text",
        "degraded: specs/bad.json: #/paths/~1z/get/parameters/0/required: `required` is not a boolean; read as true",
        "degraded: specs/bad.json: #/paths/~1y/get: operation not readable",
    ] {
        assert!(said.iter().any(|s| s.starts_with(expected)), "want {expected:?} in {said:#?}");
    }
    let code: String = output.files.values().cloned().collect();
    assert!(code.contains("pub struct GetX") && code.contains("pub struct GetZ") && !code.contains("pub struct GetY"), "{code}");
    let error = strict_error(&[("bad.json", spec)]);
    assert!(error.contains("error: specs/bad.json: #/paths/~1y/get: operation not readable"), "{error}");
    assert!(error.contains("error: specs/bad.json: #/paths/~1x/get/responses/200/description"), "{error}");
}

#[test]
fn only_documents_that_are_not_openapi_are_refused() {
    let error = generate_error(&[("not.json", r#"{"title": "a JSON file"}"#)]);
    assert!(error.contains("specs/not.json: #: not an OpenAPI document: it has no `openapi` version"), "{error}");
    let error = generate_error(&[("list.json", "[1, 2]")]);
    assert!(error.contains("specs/list.json: #: not an OpenAPI document"), "{error}");
    // Anything else generates, however little of it is readable.
    let output = lenient(&[("odd.json", r#"{"openapi": "3.0.0", "info": [], "paths": 5, "components": 7}"#)]);
    let said: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(said.len(), 3, "{said:#?}");
    assert!(said[2].starts_with("degraded: specs/odd.json: #/components: entry not readable"), "{said:#?}");
}

#[test]
fn swagger_2_and_unknown_versions_are_refused_rather_than_misread() {
    let error = generate_error(&[("old.yaml", "swagger: '2.0'\ninfo: {title: T, version: '1'}\npaths: {}\n")]);
    assert!(error.contains("specs/old.yaml: #/swagger: Swagger \"2.0\" is not supported; convert the document to OpenAPI 3"), "{error}");
    let error = generate_error(&[("next.yaml", "openapi: 4.0.0\ninfo: {title: T, version: '1'}\npaths: {}\n")]);
    assert!(error.contains("specs/next.yaml: #/openapi: OpenAPI version 4.0.0 is not supported"), "{error}");
}

#[test]
fn strict_lists_every_degraded_construct_in_one_run_with_pointers() {
    let spec = format!(
        "{HEAD}paths:
  /a/{{Id}}:
    get:
      operationId: GetA
      parameters:
        - {{name: filter, in: query, content: {{application/xml: {{schema: {{type: object}}}}}}}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Missing'}}
  /b:
    post:
      operationId: PostB
      requestBody:
        content:
          multipart/form-data:
            schema: {{type: object}}
      responses: {{'204': {{description: none}}}}
"
    );
    let error = strict_error(&[("many.yaml", &spec)]);
    for expected in [
        "error: specs/many.yaml: #/paths/~1a~1{Id}/get/parameters/0/content: a parameter given as [\"application/xml\"] (not JSON) is text",
        "error: specs/many.yaml: #/paths/~1a~1{Id}/get: path placeholder `{Id}` has no matching path parameter",
        "error: specs/many.yaml: #/paths/~1a~1{Id}/get/responses/200/content/application~1json/schema: $ref `#/components/schemas/Missing` points to a schema that does not exist",
        // Faithful to the spec (any parts), so a warning even when strict.
        "warning: specs/many.yaml: #/paths/~1b/post/requestBody/content/multipart~1form-data/schema: a form body without `properties`: any parts the caller gives",
    ] {
        assert_eq!(error.matches(expected).count(), 1, "want {expected:?} once in:\n{error}");
    }
    // Without `--strict`, the same document generates, with the same list.
    let output = lenient(&[("many.yaml", &spec)]);
    assert_eq!(output.warnings.iter().filter(|d| d.severity == Severity::Degraded).count(), 3, "{:#?}", output.warnings);
    let code: String = output.files.values().cloned().collect();
    assert!(code.contains("pub filter: Option<String>") && code.contains("pub id: String"), "{code}");
}

#[test]
fn a_spec_s_settings_can_ask_for_strictness() {
    let spec = format!("{HEAD}paths:\n  /a/{{id}}:\n    get:\n      operationId: GetA\n      responses: {{'204': {{description: none}}}}\n");
    let error = generate_error(&[("s.yaml", &spec), ("s.settings.yaml", "strict: true\n")]);
    assert!(error.contains("error: specs/s.yaml: #/paths/~1a~1{id}/get: path placeholder `{id}` has no matching path parameter"), "{error}");
}

#[test]
fn not_is_a_warning_and_still_generates() {
    let dir = tempfile::tempdir().unwrap();
    let spec = format!(
        "{HEAD}paths:
  /pets:
    get:
      operationId: ListPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  pet:
                    not: {{type: string}}
"
    );
    std::fs::write(dir.path().join("pets.yaml"), spec).unwrap();
    let output = codegen::generate(dir.path(), "specs").unwrap();
    let warning = &output.warnings[0];
    assert_eq!(warning.severity, Severity::Warning);
    assert_eq!(warning.location, "#/paths/~1pets/get/responses/200/content/application~1json/schema/properties/pet");
    let code = &output.files["apis/pets/pets.rs"];
    assert!(code.contains("pub pet: Option<serde_json::Value>"), "{code}");
}

#[test]
fn two_specs_becoming_one_module_is_an_error() {
    let spec = format!("{HEAD}paths: {{}}\n");
    let error = generate_error(&[("twilio_x.yaml", &spec), ("x.json", "{}")]);
    assert!(error.contains("becomes module `x`"), "{error}");
}

#[test]
fn a_missing_specs_folder_is_an_error_not_a_panic() {
    let error = codegen::generate(Path::new("/nonexistent/specs"), "specs").unwrap_err();
    assert!(error.to_string().contains("cannot list specs in /nonexistent/specs"), "{error}");
}

#[test]
fn schemas_nested_too_deep_are_any_value_before_openapiv3_reads_them() {
    // openapiv3 takes time exponential in the depth to refuse a deep schema
    // with an error inside (`nullable: yes`), so depth is checked first.
    let nested = |depth: usize, leaf: &str| {
        let schema = (0..depth).fold(leaf.to_owned(), |inner, _| format!("{{type: array, items: {inner}}}"));
        format!(
            "{HEAD}paths:\n  /x:\n    get:\n      operationId: GetX\n      responses:\n        200:\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
        )
    };
    let deep = nested(17, "{type: string, nullable: yes}");
    let error = strict_error(&[("deep.yaml", &deep)]);
    let at = format!("#/paths/~1x/get/responses/200/content/application~1json/schema{}", "/items".repeat(17));
    assert!(error.contains(&format!("specs/deep.yaml: {at}: schemas nested more than 16 levels deep are not read")), "{error}");
    let output = lenient(&[("deep.yaml", &deep)]);
    let code: String = output.files.values().flat_map(|text| text.chars()).filter(|c| !c.is_whitespace() && *c != ',').collect();
    assert!(code.contains(&format!("{}serde_json::Value{}", "Vec<".repeat(16), ">".repeat(16))), "{:?}", output.files);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("deep.yaml"), nested(16, "{type: string}")).unwrap();
    let output = codegen::generate(dir.path(), "specs").unwrap_or_else(|e| panic!("{e}"));
    let code: String = output.files.values().flat_map(|text| text.chars()).filter(|c| !c.is_whitespace() && *c != ',').collect();
    assert!(code.contains(&format!("{}String{}", "Vec<".repeat(16), ">".repeat(16))), "{:?}", output.files);
}
