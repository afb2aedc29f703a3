//! How schema and operation shapes come out in Rust: one small spec per
//! rule, checked on the generated text. (The official specs exercise the
//! same rules at scale in `cargo xtask corpus`, where the output is also
//! compiled and wire-tested.)

use codegen::Output;

const HEAD: &str = "openapi: 3.0.1\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://example.com'}]\n";

fn generate(name: &str, spec: &str) -> Output {
    generate_with_head(name, HEAD, spec)
}

fn generate_with_head(name: &str, head: &str, spec: &str) -> Output {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), format!("{head}{spec}")).unwrap();
    codegen::generate(dir.path(), "specs").unwrap_or_else(|e| panic!("{e}"))
}

/// All generated Rust of one output, concatenated.
fn code(output: &Output) -> String {
    output.files.values().cloned().collect()
}

/// Compares the output (warnings, then every file but the root module) with
/// the snapshot `tests/snapshots/<name>.rs`; `UPDATE_EXPECT=1 cargo test`
/// rewrites the snapshots, for review in the diff.
fn snapshot(name: &str, output: &Output) {
    let mut text = String::new();
    for warning in &output.warnings {
        text.push_str(&format!("// {warning}\n"));
    }
    for (path, file) in output.files.iter().filter(|(path, _)| path.as_str() != "apis/mod.rs") {
        text.push_str(&format!("\n// ==== {path} ====\n{file}"));
    }
    expect_test::expect_file![format!("snapshots/{name}.rs")].assert_eq(&text);
}

/// Whether `code` contains `expected`, whitespace ignored (so assertions do
/// not depend on how prettyplease breaks lines).
fn assert_has(code: &str, expected: &str) {
    let squash = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    assert!(squash(code).contains(&squash(expected)), "missing `{expected}` in:\n{code}");
}

const GET_THING: &str = "
paths:
  /things:
    get:
      operationId: ListThing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/thing'}
";

#[test]
fn all_of_becomes_one_struct_with_every_members_properties() {
    let output = generate(
        "a.yaml",
        &format!(
            "{GET_THING}
components:
  schemas:
    base:
      type: object
      required: [id]
      properties:
        id: {{type: string}}
        name: {{type: string}}
    thing:
      allOf:
        - $ref: '#/components/schemas/base'
        - type: object
          properties:
            score: {{type: number}}
            name: {{type: integer}}
"
        ),
    );
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    snapshot("all_of_becomes_one_struct_with_every_members_properties", &output);
}

#[test]
fn a_struct_that_contains_itself_is_boxed_only_where_needed() {
    let output = generate(
        "a.yaml",
        &format!(
            "{GET_THING}
components:
  schemas:
    thing:
      type: object
      properties:
        parent: {{$ref: '#/components/schemas/thing'}}
        children: {{type: array, items: {{$ref: '#/components/schemas/thing'}}}}
        owner: {{$ref: '#/components/schemas/owner'}}
    owner:
      type: object
      required: [favourite]
      properties:
        favourite: {{$ref: '#/components/schemas/thing'}}
"
        ),
    );
    snapshot("a_struct_that_contains_itself_is_boxed_only_where_needed", &output);
}

#[test]
fn every_component_schema_gets_a_type_and_aliases_are_used_through() {
    let output = generate(
        "a.yaml",
        "
paths:
  /things:
    post:
      operationId: CreateThing
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              properties:
                Enabled: {$ref: '#/components/schemas/flag'}
                Tags: {$ref: '#/components/schemas/tags'}
      responses:
        '204': {description: none}
components:
  schemas:
    flag: {type: string, enum: ['true', 'false'], description: On or off.}
    tags: {type: array, items: {type: string}}
    unused_name: {type: string}
",
    );
    // The form fields use the aliased types, so they encode as bool and strings
    // (see the snapshot).
    snapshot("every_component_schema_gets_a_type_and_aliases_are_used_through", &output);
}

#[test]
fn rfc_2822_dates_use_the_runtime_adapter_and_only_in_fields() {
    let output = generate(
        "twilio_a.yaml",
        &format!(
            "{GET_THING}
components:
  schemas:
    thing:
      type: object
      required: [created]
      properties:
        created: {{type: string, format: date-time-rfc-2822}}
        updated: {{type: string, format: date-time-rfc-2822, nullable: true}}
        history: {{type: array, items: {{type: string, format: date-time-rfc-2822}}}}
"
        ),
    );
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning: specs/twilio_a.yaml: #/components/schemas/thing/properties/history/items: an RFC 2822 date-time outside an object property is kept as text (String)"]
    );
    snapshot("rfc_2822_dates_use_the_runtime_adapter_and_only_in_fields", &output);
}

#[test]
fn next_token_lists_page_through_the_token_query_parameter() {
    let output = generate(
        "twilio_a.yaml",
        "
paths:
  /things:
    get:
      operationId: ListThing
      parameters:
        - {name: Token, in: query, schema: {type: string}}
        - {name: Size, in: query, schema: {type: integer}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  things: {type: array, items: {type: string}}
                  meta:
                    type: object
                    properties:
                      next_token: {type: string, nullable: true}
                      previous_token: {type: string, nullable: true}
",
    );
    snapshot("next_token_lists_page_through_the_token_query_parameter", &output);
}

#[test]
fn beta_and_preview_operations_say_so_and_ga_ones_do_not() {
    let output = generate(
        "twilio_a.yaml",
        "
paths:
  /a:
    get: {operationId: FetchA, x-maturity: [Beta], responses: {'204': {description: none}}}
  /b:
    get: {operationId: FetchB, x-maturity: [GA], responses: {'204': {description: none}}}
",
    );
    let code = code(&output);
    assert_eq!(code.matches("Maturity:").count(), 1);
    snapshot("beta_and_preview_operations_say_so_and_ga_ones_do_not", &output);
}

/// Twilio's conventions apply to Twilio's specs only (by file name or
/// servers); any other document is read by the book.
#[test]
fn other_documents_get_the_generic_conventions() {
    let spec = "
paths:
  /things:
    get:
      operationId: ListThing
      x-maturity: [Beta]
      parameters: [{name: PageSize, in: query, schema: {type: integer}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  things: {type: array, items: {type: string}}
                  next_page_uri: {type: string}
                  secret: {type: string, x-twilio: {pii: {handling: sensitive}}}
                  when: {type: string, format: date-time-rfc-2822}
";
    let generic = code(&generate("things.yaml", spec));
    let twilio = code(&generate("twilio_things.yaml", spec));
    let by_server = code(&generate_with_head("things.yaml", &HEAD.replace("example.com", "things.twilio.com"), spec));
    for (code, is_twilio) in [(&generic, false), (&twilio, true), (&by_server, true)] {
        assert_eq!(code.contains("pub fn stream<'a>"), is_twilio, "paging:\n{code}");
        assert_eq!(code.contains("Maturity: **Beta**"), is_twilio, "maturity:\n{code}");
        assert_eq!(code.contains("= redacted \"secret\""), is_twilio, "personal data:\n{code}");
        assert_eq!(code.contains("= \"when\" rfc2822"), is_twilio, "dates:\n{code}");
    }
}

#[test]
fn each_spec_is_a_feature_gated_module() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["twilio_b_v1.yaml", "twilio_a_v2.json"] {
        let spec = if name.ends_with(".json") {
            r#"{"openapi": "3.0.1", "info": {"title": "A", "version": "1"}, "paths": {}}"#.to_owned()
        } else {
            format!("{HEAD}paths: {{}}\n")
        };
        std::fs::write(dir.path().join(name), spec).unwrap();
    }
    let output = codegen::generate(dir.path(), "specs").unwrap();
    assert_eq!(output.features, ["a_v2", "b_v1"]);
    let root = &output.files["apis/mod.rs"];
    assert_has(root, "#[cfg(feature = \"a_v2\")] pub mod a_v2;");
    assert_has(root, "#[cfg(feature = \"b_v1\")] pub mod b_v1;");
}

#[test]
fn required_arrays_go_to_new_and_need_an_item_in_a_form() {
    let output = generate(
        "a.yaml",
        "
paths:
  /things:
    post:
      operationId: CreateThing
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [Samples]
              properties:
                Samples: {type: array, maxItems: 5, items: {type: string, maxLength: 20}}
                Tags: {type: array, items: {type: string}}
      responses:
        '204': {description: none}
",
    );
    let code = code(&output);
    assert!(!code.contains("rt::validate::items(\"Tags\""), "an optional array has no count to check:\n{code}");
    snapshot("required_arrays_go_to_new_and_need_an_item_in_a_form", &output);
}

#[test]
fn json_bodies_are_checked_at_every_depth_and_only_request_types_get_checks() {
    let output = generate(
        "a.yaml",
        "
paths:
  /orders:
    post:
      operationId: CreateOrder
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/order'}
      responses:
        '201':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/receipt'}
components:
  schemas:
    order:
      type: object
      required: [account, lines]
      properties:
        account: {type: string, pattern: '^AC[0-9a-f]{32}$'}
        lines: {type: array, minItems: 1, items: {$ref: '#/components/schemas/line'}}
    line:
      type: object
      properties:
        quantity: {type: integer, minimum: 1}
        price: {type: number, maximum: 1000}
    receipt:
      type: object
      properties:
        code: {type: string, maxLength: 8}
",
    );
    let code = code(&output);
    assert!(!code.contains("impl rt::Validate for Receipt"), "a response-only struct needs no checks:\n{code}");
    snapshot("json_bodies_are_checked_at_every_depth_and_only_request_types_get_checks", &output);
}

#[test]
fn an_operation_answering_with_and_without_a_body_returns_an_option() {
    let output = generate(
        "a.yaml",
        &format!(
            "{}
        '204': {{description: nothing new}}
components:
  schemas:
    thing:
      type: object
      properties:
        id: {{type: string}}
",
            GET_THING.trim_end()
        ),
    );
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    snapshot("an_operation_answering_with_and_without_a_body_returns_an_option", &output);
}

#[test]
fn text_and_binary_bodies_and_statuses_with_different_bodies() {
    let output = generate(
        "bodies.yaml",
        "
paths:
  /render:
    post:
      operationId: RenderText
      requestBody:
        required: true
        content:
          text/plain: {schema: {type: string}}
          text/x-markdown: {schema: {type: string}}
      responses:
        '200':
          description: the page
          content:
            text/html: {schema: {type: string}}
  /files:
    post:
      operationId: UploadFile
      requestBody:
        content:
          application/octet-stream: {schema: {type: string, format: binary}}
      responses:
        '201':
          description: stored
          content:
            application/json:
              schema: {$ref: '#/components/schemas/file'}
  /files/{id}:
    get:
      operationId: DownloadFile
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: the bytes
          content:
            image/png: {schema: {type: string, format: binary}}
            application/zip: {schema: {type: string, format: binary}}
  /jobs:
    post:
      operationId: StartJob
      responses:
        '200':
          description: done at once
          content:
            application/json:
              schema: {$ref: '#/components/schemas/file'}
        '202':
          description: started
          content:
            application/vnd.example+json:
              schema:
                type: object
                properties:
                  queued_at: {type: string}
        '204':
          description: nothing to do
components:
  schemas:
    file:
      type: object
      properties:
        id: {type: string}
",
    );
    snapshot("text_and_binary_bodies_and_statuses_with_different_bodies", &output);
}

#[test]
fn every_security_scheme_kind_and_requirement_shape() {
    let output = generate(
        "secured.yaml",
        "
security:
  - header_key: []
paths:
  /a:
    get:
      operationId: Defaulted
      responses: {'204': {description: none}}
  /b:
    get:
      operationId: EitherOrBoth
      security:
        - query_key: []
        - cookie_key: []
          signed: []
        - {}
      responses: {'204': {description: none}}
  /c:
    get:
      operationId: Open
      security: []
      responses: {'204': {description: none}}
  /d:
    get:
      operationId: Tokens
      security: [{oauth: []}, {oidc: []}]
      responses: {'204': {description: none}}
components:
  securitySchemes:
    header_key: {type: apiKey, in: header, name: X-Api-Key}
    query_key: {type: apiKey, in: query, name: api_key}
    cookie_key: {type: apiKey, in: cookie, name: session}
    signed: {type: http, scheme: Signature}
    oauth:
      type: oauth2
      flows:
        authorizationCode: {authorizationUrl: 'https://auth.example.com/authorize', tokenUrl: 'https://auth.example.com/code', scopes: {}}
        clientCredentials: {tokenUrl: 'https://auth.example.com/token', scopes: {}}
    oidc: {type: openIdConnect, openIdConnectUrl: 'https://auth.example.com/.well-known/openid-configuration'}
",
    );
    snapshot("every_security_scheme_kind_and_requirement_shape", &output);
}

#[test]
fn query_styles_and_cookie_parameters() {
    let output = generate(
        "styles.yaml",
        "
paths:
  /search:
    get:
      operationId: Search
      parameters:
        - {name: ids, in: query, schema: {type: array, items: {type: integer}}}
        - {name: commas, in: query, explode: false, schema: {type: array, items: {type: string}}}
        - {name: spaces, in: query, style: spaceDelimited, schema: {type: array, items: {type: string}}}
        - {name: pipes, in: query, style: pipeDelimited, schema: {type: array, items: {type: string}}}
        - name: filter
          in: query
          style: deepObject
          schema:
            type: object
            properties:
              state: {type: string}
        - {name: session, in: cookie, required: true, schema: {type: string}}
      responses: {'204': {description: none}}
",
    );
    snapshot("query_styles_and_cookie_parameters", &output);
}

#[test]
fn server_variables_keep_their_defaults_and_allowed_values_for_the_client_to_replace() {
    let head = "openapi: 3.0.1\ninfo: {title: T, version: '1'}\nservers:\n  - url: 'https://{region}.api.example.com/{version}/'\n    variables:\n      region: {default: eu, enum: [eu, us]}\n      version: {default: v2}\n";
    let output = generate_with_head(
        "regional.yaml",
        head,
        "
paths:
  /things:
    get:
      operationId: ListThings
      responses: {'204': {description: none}}
",
    );
    assert_has(&code(&output), r#""https://{region}.api.example.com/{version}""#);
    assert_has(&code(&output), r#"server_variables(&[("region", "eu", &["eu", "us"]), ("version", "v2", &[])]"#);
}

#[test]
fn multipart_bodies_have_text_json_and_file_parts() {
    let output = generate(
        "uploads.yaml",
        "
paths:
  /documents:
    post:
      operationId: UploadDocument
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {$ref: '#/components/schemas/upload'}
            encoding:
              preview: {contentType: 'image/png, image/jpeg'}
              notes: {contentType: text/markdown}
      responses:
        '204': {description: stored}
components:
  schemas:
    upload:
      allOf:
        - {$ref: '#/components/schemas/named'}
        - type: object
          required: [file]
          properties:
            file: {type: string, format: binary, description: The document.}
            preview: {type: string, format: binary}
            attachments: {type: array, items: {type: string, format: binary}}
            tags: {type: array, items: {type: string}}
            notes: {type: string}
            meta: {type: object, properties: {pages: {type: integer}}}
    named:
      type: object
      required: [title]
      properties:
        title: {type: string, maxLength: 80}
",
    );
    snapshot("multipart_bodies_have_text_json_and_file_parts", &output);
}

/// Lists page by what their shape makes plain (a cursor and its query
/// parameter, a next URL, `has_more` with `starting_after`), or as the
/// spec's settings say (page numbers here).
#[test]
fn lists_page_by_cursor_next_url_has_more_or_as_the_settings_say() {
    let page = |extra: &str| {
        format!(
            "
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [items]
                properties:
                  items: {{type: array, items: {{$ref: '#/components/schemas/item'}}}}
{extra}"
        )
    };
    let spec = format!(
        "
paths:
  /by-cursor:
    get:
      operationId: ListByCursor
      parameters: [{{name: cursor, in: query, schema: {{type: string}}}}, {{name: page_size, in: query, schema: {{type: integer}}}}]
      responses:
        '200':{}
  /by-url:
    get:
      operationId: ListByUrl
      responses:
        '200':{}
  /after-last:
    get:
      operationId: ListAfterLast
      parameters: [{{name: starting_after, in: query, schema: {{type: string}}}}]
      responses:
        '200':{}
  /numbered:
    get:
      operationId: ListNumbered
      parameters: [{{name: page, in: query, schema: {{type: integer}}}}]
      responses:
        '200':{}
components:
  schemas:
    item:
      type: object
      required: [id]
      properties:
        id: {{type: string}}
",
        page("                  response_metadata: {type: object, properties: {next_cursor: {type: string}}}\n"),
        page("                  links: {type: object, required: [nextUrl], properties: {nextUrl: {type: string}}}\n"),
        page("                  has_more: {type: boolean}\n"),
        page(""),
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lists.yaml"), format!("{HEAD}{spec}")).unwrap();
    std::fs::write(dir.path().join("lists.settings.yaml"), "paging:\n  ListNumbered:\n    next: {page: {param: page}}\n").unwrap();
    let output = codegen::generate(dir.path(), "specs").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.files.keys().filter(|path| path.contains("settings")).count(), 0);
    snapshot("lists_page_by_cursor_next_url_has_more_or_as_the_settings_say", &output);

    // Settings that do not fit the spec are errors that say where.
    std::fs::write(dir.path().join("lists.settings.yaml"), "paging:\n  ListNumbered:\n    next: {page: {param: p}}\n  ListNothing:\n    next: link_header\n").unwrap();
    let error = codegen::generate(dir.path(), "specs").unwrap_err().to_string();
    assert!(error.contains("specs/lists.settings.yaml: paging.ListNumbered: the operation has no query parameter `p`"), "{error}");
    assert!(error.contains("specs/lists.settings.yaml: paging.ListNothing: no operation of the spec has this name"), "{error}");
    std::fs::write(dir.path().join("lists.settings.yaml"), "paging:\n  ListNumbered:\n    next: {pages: {param: page}}\n").unwrap();
    let error = codegen::generate(dir.path(), "specs").unwrap_err().to_string();
    assert!(error.contains("specs/lists.settings.yaml: paging.ListNumbered.next.pages: unknown variant `pages`"), "{error}");
}

/// A path item may be a `$ref` to another path's item of the document: the
/// same operations, under its own path (and its own names).
#[test]
fn a_path_item_ref_reuses_another_paths_operations() {
    let output = generate(
        "aliases.yaml",
        "
paths:
  /v2/things:
    get:
      operationId: ListThings
      responses: {'204': {description: none}}
  /things:
    $ref: '#/paths/~1v2~1things'
",
    );
    let code = code(&output);
    // The operationId is the same twice; names stay unique.
    assert_has(&code, "pub struct ListThings");
    assert_has(&code, "pub struct ListThings2");
    assert_has(&code, r#""/v2/things""#);
    assert_has(&code, r#""/things""#);
}

/// `oneOf`/`anyOf` become enums: scalars by JSON type, objects with more
/// required properties first, a discriminator's tags where every member is
/// a `$ref`, strings of enums one merged enum, a member alone its own type.
#[test]
fn one_of_and_any_of_become_enums_with_a_variant_per_member() {
    let output = generate(
        "unions.yaml",
        "
paths:
  /pets:
    get:
      operationId: GetPet
      parameters:
        - name: id
          in: query
          schema: {oneOf: [{type: string}, {type: integer}]}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  pet: {$ref: '#/components/schemas/Pet'}
                  owner:
                    anyOf:
                      - {type: object, properties: {nickname: {type: string}}}
                      - {type: object, required: [id, name], properties: {id: {type: integer}, name: {type: string}}}
                      - {type: number}
                  size: {oneOf: [{type: string, enum: [small, large]}, {type: string, enum: [huge]}]}
                  only: {oneOf: [{$ref: '#/components/schemas/Cat'}]}
                  shape:
                    oneOf:
                      - {required: [pet]}
                      - {required: [owner]}
components:
  schemas:
    Pet:
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
      discriminator:
        propertyName: kind
        mapping: {kitty: '#/components/schemas/Cat'}
    Cat:
      type: object
      required: [kind]
      properties: {kind: {type: string}, lives: {type: integer}}
    Dog:
      type: object
      required: [kind]
      properties: {kind: {type: string}, good: {type: boolean}}
",
    );
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    snapshot("one_of_and_any_of_become_enums_with_a_variant_per_member", &output);
}

/// A property the spec requires but its own examples leave out is optional,
/// and says why; examples given as `{"$ref": "#/components/examples/x"}`
/// are that example's value.
#[test]
fn required_properties_the_examples_leave_out_are_optional() {
    let output = generate(
        "examples.yaml",
        "
paths:
  /things:
    get:
      operationId: GetThing
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              examples:
                short: {value: {name: a, size: 1}}
                odd: {value: {size: 2}}
                full: {value: {$ref: '#/components/examples/full'}}
components:
  examples:
    full: {value: {id: t1, name: a, size: 3, tag: x}}
  schemas:
    Thing:
      type: object
      required: [id, name, size]
      properties:
        id: {type: string}
        name: {type: string}
        size: {type: integer}
        tag: {type: string}
",
    );
    let code = code(&output);
    assert_has(&code, r#"/// Required by the spec, but its examples leave it out: optional here. pub id: Option<String> = "id","#);
    assert_has(&code, r#"/// Required by the spec, but its examples leave it out: optional here. pub name: Option<String> = "name","#);
    assert_has(&code, r#"pub size: i64 = "size","#);
}

/// Read-only and write-only properties may be missing (each is absent one
/// way), and say so; deprecation and defaults are in the docs.
#[test]
fn read_only_write_only_deprecated_and_defaults_are_documented() {
    let output = generate(
        "notes.yaml",
        "
paths:
  /users:
    post:
      operationId: CreateUser
      deprecated: true
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/User'}
      responses:
        '201':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/User'}
components:
  schemas:
    User:
      type: object
      required: [id, password, name]
      properties:
        id: {type: string, readOnly: true}
        password: {type: string, writeOnly: true}
        name: {type: string}
        nick: {type: string, deprecated: true}
        role: {type: string, default: member}
",
    );
    let code = code(&output);
    assert_has(&code, r#"/// Read-only: the server sets it, and requests leave it out unless it is set. pub id: Option<String> = "id","#);
    assert_has(&code, r#"/// Write-only: sent in requests, never in responses. pub password: Option<String> = "password","#);
    assert_has(&code, r#"pub name: String = "name","#);
    assert_has(&code, r#"/// Deprecated. pub nick: Option<String> = "nick","#);
    assert_has(&code, r#"/// Default: `"member"`. pub role: Option<String> = "role","#);
    assert_has(&code, "/// Deprecated. /// /// `POST /users`");
}

/// Enum values that are not identifiers, or that differ only in case, still
/// give distinct variants that keep their wire text; integer enums are
/// open enums of their values.
#[test]
fn enum_values_of_any_text_get_distinct_variants() {
    let output = generate(
        "values.yaml",
        "
paths: {}
components:
  schemas:
    Odd:
      type: string
      enum: ['+1', '-1', '', A, a, 'x y', 'é', '🙂', self, '1st', null]
    Level:
      type: object
      properties:
        level: {type: integer, enum: [1, 2, 3]}
",
    );
    let code = code(&output);
    for wire in ["\"+1\"", "\"-1\"", "\"\"", "\"A\"", "\"a\"", "\"x y\"", "\"é\"", "\"🙂\"", "\"self\"", "\"1st\""] {
        assert!(code.matches(wire).count() >= 2, "{wire} should be matched and written:\n{code}");
    }
    // The arms of `Odd::as_str`.
    let variants: Vec<&str> = code.lines().filter(|l| l.trim_start().starts_with("Self::") && l.contains("=> \"")).collect();
    let mut names: Vec<&str> = variants.iter().filter_map(|l| l.split("=>").next()).map(str::trim).collect();
    names.sort_unstable();
    let count = names.len();
    assert!(count >= 10, "{variants:?}");
    names.dedup();
    assert_eq!(names.len(), count, "variant names must differ: {names:?}");
    assert_has(&code, r#"pub level: Option<LevelLevel> = "level","#);
    assert_has(&code, "pub enum LevelLevel { /// `1` N1, /// `2` N2, /// `3` N3,");
    assert_has(&code, "/// A value this crate does not know yet, kept verbatim. Unrecognized(i64), }");
    assert_has(&code, "match value { 1 => Self::N1, 2 => Self::N2, 3 => Self::N3, other => Self::Unrecognized(other), }");
}

/// `additionalProperties` beside `properties` is a map of the rest after
/// `..`; `false` is said in the docs; an `allOf` with a union of objects
/// is a union of the merged objects; formats with a Rust type get it.
#[test]
fn rest_maps_all_of_unions_and_formats() {
    let output = generate(
        "types.yaml",
        "
paths: {}
components:
  schemas:
    Tagged:
      type: object
      properties: {name: {type: string}}
      additionalProperties: {type: integer}
    Closed:
      type: object
      properties: {only: {type: string}}
      additionalProperties: false
    Base:
      type: object
      required: [id]
      properties: {id: {type: string}}
    Vehicle:
      allOf:
        - {$ref: '#/components/schemas/Base'}
        - oneOf:
            - {type: object, required: [seats], properties: {seats: {type: integer}}}
            - {type: object, required: [gears, bell], properties: {gears: {type: integer}, bell: {type: boolean}}}
    Formats:
      type: object
      properties:
        a: {type: string, format: uuid}
        b: {type: string, format: byte}
        c: {type: string, format: ipv4}
        d: {type: string, format: ipv6}
        e: {type: integer, format: uint32}
        f: {type: integer, format: uint64}
        g: {type: integer, format: int16}
        h: {type: string, format: email}
",
    );
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    let code = code(&output);
    assert_has(&code, r#"pub name: Option<String> = "name", .. /// The object's other properties, by name. pub additional_properties: std::collections::BTreeMap<String, i64>, }"#);
    assert_has(&code, "/// The spec allows no properties other than these. #[derive(Clone, PartialEq)] #[non_exhaustive] pub struct Closed {");
    assert_has(&code, r#"pub struct VehicleSeats { pub id: String = "id", pub seats: i64 = "seats", }"#);
    assert_has(&code, r#"pub struct VehicleGearsBell { pub id: String = "id", pub gears: i64 = "gears", pub bell: bool = "bell", }"#);
    // More required properties are tried first.
    assert_has(&code, "pub enum Vehicle { GearsBell(Box<VehicleGearsBell>), Seats(Box<VehicleSeats>), } other Other");
    for (field, ty) in [
        ("a", "uuid::Uuid"),
        ("b", "rt::Base64"),
        ("c", "std::net::Ipv4Addr"),
        ("d", "std::net::Ipv6Addr"),
        ("e", "u32"),
        ("f", "u64"),
        ("g", "i32"),
        ("h", "String"),
    ] {
        assert_has(&code, &format!(r#"pub {field}: Option<{ty}> = "{field}","#));
    }
}

/// Our lenient zoos (`xtask/corpus/specs/lenient_zoo*.yaml`): every kind of
/// construct that once refused a whole real document, read leniently. The
/// snapshot holds the degraded diagnostics too.
#[test]
fn constructs_that_refused_real_documents_are_read_leniently() {
    for (file, snapshot_name) in [("lenient_zoo.yaml", "lenient_zoo"), ("lenient_zoo_31.yaml", "lenient_zoo_31")] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../xtask/corpus/specs").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(file), text).unwrap();
        let output = codegen::generate(dir.path(), "specs").unwrap_or_else(|e| panic!("{e}"));
        snapshot(snapshot_name, &output);
    }
}
