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
    let code = code(&output);
    assert_has(&code, "pub struct Thing { pub id: String = \"id\", pub name: Option<i64> = \"name\", pub score: Option<rt::Number> = \"score\", }");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
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
    let code = code(&output);
    assert_has(&code, "pub parent: Option<Box<Thing>>");
    assert_has(&code, "pub children: Option<Vec<Thing>>");
    assert_has(&code, "pub owner: Option<Box<Owner>>");
    assert_has(&code, "pub favourite: Box<Thing>");
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
    let code = code(&output);
    assert_has(&code, "/// On or off. pub type Flag = bool;");
    assert_has(&code, "pub type Tags = Vec<String>;");
    assert_has(&code, "pub type UnusedName = String;");
    // The form fields use the aliased types, so they encode as bool and strings.
    assert_has(&code, "pub enabled: Option<bool>");
    assert_has(&code, "pub tags: Vec<String>");
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
    let code = code(&output);
    assert_has(&code, "pub created: chrono::DateTime<chrono::Utc> = \"created\" rfc2822, pub updated: Option<chrono::DateTime<chrono::Utc>> = \"updated\" rfc2822,");
    assert_has(&code, "pub history: Option<Vec<String>> = \"history\",");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning: specs/twilio_a.yaml: #/components/schemas/thing/properties/history/items: an RFC 2822 date-time outside an object property is kept as text (String)"]
    );
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
    let code = code(&output);
    assert_has(
        &code,
        "fn next_page(&self) -> Option<rt::NextPage<'_>> { self.meta.as_ref()?.next_token.as_deref().map(|value| rt::NextPage::Query { name: \"Token\", value, }) }",
    );
    assert_has(&code, "pub fn stream<'a>(&self, client: &'a rt::Client) -> rt::ItemStream<'a, String>");
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
    assert_has(&code, "/// Maturity: **Beta** (`x-maturity`).");
    assert_eq!(code.matches("Maturity:").count(), 1);
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
                  meta: {type: object, properties: {next_page_url: {type: string}}}
                  secret: {type: string, x-twilio: {pii: {handling: sensitive}}}
                  when: {type: string, format: date-time-rfc-2822}
";
    let generic = code(&generate("things.yaml", spec));
    let twilio = code(&generate("twilio_things.yaml", spec));
    let by_server = code(&generate_with_head("things.yaml", &HEAD.replace("example.com", "things.twilio.com"), spec));
    for (code, is_twilio) in [(&generic, false), (&twilio, true), (&by_server, true)] {
        assert_eq!(code.contains("pub fn stream<'a>"), is_twilio, "paging:\n{code}");
        assert_eq!(code.contains("Maturity: **Beta**"), is_twilio, "maturity:\n{code}");
        assert_eq!(code.contains("rt::REDACTED"), is_twilio, "personal data:\n{code}");
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
    assert_has(&code, "pub fn new(samples: impl IntoIterator<Item = impl Into<String>>) -> Self { Self { samples: samples.into_iter().map(Into::into).collect(), tags: Vec::new(), } }");
    assert_has(&code, "rt::validate::items(\"Samples\", self.samples.len(), Some(1), Some(5))?;");
    assert_has(&code, "for (i0, item0) in self.samples.iter().enumerate() { rt::validate::length(rt::Path::param(\"Samples\").index(i0), item0, None, Some(20),)?; }");
    assert!(!code.contains("rt::validate::items(\"Tags\""), "an optional array has no count to check:\n{code}");
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
    assert_has(&code, "rt::Validate::validate(&self.body, rt::Path::ROOT)?;");
    assert_has(&code, "impl rt::Validate for Order { fn validate(&self, at: rt::Path<'_>) -> Result<(), rt::Error> { rt::validate::pattern(at.field(\"account\"), &self.account, \"^AC[0-9a-f]{32}$\")?; rt::validate::items(at.field(\"lines\"), self.lines.len(), Some(1), None)?; rt::Validate::validate(&self.lines, at.field(\"lines\"))?; Ok(()) } }");
    // Optional values are handed over as they are; `None` passes.
    assert_has(&code, "rt::validate::range(at.field(\"quantity\"), &self.quantity, Some(1i64), None)?;");
    assert_has(&code, "rt::validate::number_range(at.field(\"price\"), &self.price, None, Some(1000f64))?;");
    assert!(!code.contains("impl rt::Validate for Receipt"), "a response-only struct needs no checks:\n{code}");
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
    let code = code(&output);
    assert_has(&code, "pub async fn send(&self, client: &rt::Client) -> Result<Option<Thing>, rt::Error>");
    assert_has(&code, "type Output = Option<Thing>;");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
}
