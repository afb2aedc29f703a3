//! The change report on small spec pairs: each kind of change, and whether
//! it breaks callers of the generated crate.

use codegen::changes::{Bump, Change, Impact, bump, compare, json, markdown, next_version, summary};
use codegen::ir::Api;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: Shop, version: '1'}\nservers: [{url: 'https://shop.example.com'}]\n";

fn api(spec: &str) -> Api {
    codegen::generate_text(&format!("{HEAD}{spec}"), false, "specs/shop.yaml", "shop").unwrap_or_else(|e| panic!("{e:?}")).api
}

/// The changes from `old` to `new`, as `(impact, kind, subject, detail)`.
fn changes(old: &str, new: &str) -> Vec<(Impact, &'static str, String, String)> {
    compare(&[api(old)], &[api(new)]).into_iter().map(|c| (c.impact, c.kind, c.subject, c.detail)).collect()
}

/// The one change of `kind`, failing unless there is exactly one.
fn only(changes: &[(Impact, &'static str, String, String)], kind: &str) -> (Impact, String, String) {
    let found: Vec<_> = changes.iter().filter(|c| c.1 == kind).collect();
    assert_eq!(found.len(), 1, "one `{kind}` in {changes:#?}");
    (found[0].0, found[0].2.clone(), found[0].3.clone())
}

/// An operation `GetItem` with `params` (YAML list entries) and a response
/// `Item` with `properties` (YAML map entries), and `extra` components.
fn shop(params: &str, properties: &str, extra: &str) -> String {
    format!(
        "
paths:
  /items/{{id}}:
    get:
      operationId: GetItem
      parameters:
        - {{name: id, in: path, required: true, schema: {{type: string}}}}
{params}
      responses:
        '200':
          description: ok
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Item'}}}}}}
components:
  schemas:
    Item:
      type: object
      properties:
        id: {{type: string}}
{properties}
{extra}"
    )
}

#[test]
fn operations_added_and_removed() {
    let old = shop("", "", "");
    let new = old.replace("paths:\n", "paths:\n  /items:\n    get:\n      operationId: ListItems\n      responses: {'204': {description: ok}}\n");
    let added = changes(&old, &new);
    assert_eq!(only(&added, "operation_added"), (Impact::Additive, "ListItems".into(), "new operation `GET /items`".into()));
    let removed = changes(&new, &old);
    assert_eq!(only(&removed, "operation_removed"), (Impact::Breaking, "ListItems".into(), "operation `GET /items` removed".into()));
}

#[test]
fn parameters_added_removed_required_typed_and_constrained() {
    let p = |entry: &str| format!("        - {entry}");
    let base = shop(&p("{name: q, in: query, schema: {type: string}}"), "", "");

    let optional = shop(&[p("{name: q, in: query, schema: {type: string}}"), p("{name: n, in: query, schema: {type: integer}}")].join("\n"), "", "");
    assert_eq!(only(&changes(&base, &optional), "parameter_added").0, Impact::Additive);
    let required = shop(&[p("{name: q, in: query, schema: {type: string}}"), p("{name: n, in: query, required: true, schema: {type: integer}}")].join("\n"), "", "");
    assert_eq!(only(&changes(&base, &required), "parameter_added"), (Impact::Breaking, "GetItem".into(), "new required parameter `n` (i64)".into()));
    assert_eq!(only(&changes(&base, &shop("", "", "")), "parameter_removed").0, Impact::Breaking);

    let now_required = shop(&p("{name: q, in: query, required: true, schema: {type: string}}"), "", "");
    assert_eq!(only(&changes(&base, &now_required), "parameter_now_required").0, Impact::Breaking);
    // Optional again: its argument leaves `new`, so callers change too.
    assert_eq!(only(&changes(&now_required, &base), "parameter_now_optional").0, Impact::Breaking);
    let typed = shop(&p("{name: q, in: query, schema: {type: integer}}"), "", "");
    assert_eq!(only(&changes(&base, &typed), "parameter_type_changed").2, "parameter `q`: i64 (was String)");

    let bounded = |min: u32, max: u32| shop(&p(&format!("{{name: q, in: query, schema: {{type: string, minLength: {min}, maxLength: {max}}}}}")), "", "");
    let tighter = changes(&bounded(1, 10), &bounded(2, 10));
    assert_eq!(only(&tighter, "constraint_tightened"), (Impact::Breaking, "GetItem".into(), "parameter `q`: minLength 2 (was 1)".into()));
    let looser = changes(&bounded(2, 10), &bounded(2, 20));
    assert_eq!(only(&looser, "constraint_loosened"), (Impact::Additive, "GetItem".into(), "parameter `q`: maxLength 20 (was 10)".into()));
    let pattern = shop(&p("{name: q, in: query, schema: {type: string, pattern: '^[a-z]+$'}}"), "", "");
    assert_eq!(only(&changes(&base, &pattern), "constraint_tightened").0, Impact::Breaking);
    assert_eq!(only(&changes(&pattern, &base), "constraint_loosened").0, Impact::Additive);
}

#[test]
fn response_fields_are_additive_and_request_fields_breaking() {
    let base = shop("", "", "");
    let more = shop("", "        name: {type: string}", "");
    assert_eq!(only(&changes(&base, &more), "field_added"), (Impact::Additive, "Item".into(), "new optional field `name` (String)".into()));
    assert_eq!(only(&changes(&more, &base), "field_removed").0, Impact::Breaking);
    let typed = shop("", "        name: {type: integer}", "");
    assert_eq!(only(&changes(&more, &typed), "field_type_changed").2, "field `name`: i64 (was String)");
    let required = shop("", "        name: {type: string}", "      required: [name]");
    assert_eq!(only(&changes(&more, &required), "field_now_required").0, Impact::Breaking);

    // The same model as a JSON request body: callers build it, so a new
    // field breaks their struct literals.
    let body = |spec: &str| spec.replace("    get:\n      operationId: GetItem", "    put:\n      operationId: PutItem\n      requestBody:\n        content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}");
    assert_eq!(only(&changes(&body(&base), &body(&more)), "field_added").0, Impact::Breaking);
}

#[test]
fn enum_values_and_union_variants() {
    let status = |values: &str| shop("", "        status: {$ref: '#/components/schemas/Status'}", &format!("    Status: {{type: string, enum: [{values}]}}"));
    let added = changes(&status("open"), &status("open, closed"));
    assert_eq!(only(&added, "enum_value_added"), (Impact::Additive, "Status".into(), "new value `closed` (`Closed`)".into()));
    assert_eq!(only(&changes(&status("open, closed"), &status("open")), "enum_value_removed").0, Impact::Breaking);
    let levels = |values: &str| shop("", "        level: {$ref: '#/components/schemas/Level'}", &format!("    Level: {{type: integer, enum: [{values}]}}"));
    assert_eq!(only(&changes(&levels("1"), &levels("1, 2")), "enum_value_added").0, Impact::Additive);

    let union = |members: &str| shop("", "        value: {$ref: '#/components/schemas/Value'}", &format!("    Value: {{oneOf: [{members}]}}"));
    let added = changes(&union("{type: string}, {type: boolean}"), &union("{type: string}, {type: boolean}, {type: integer}"));
    assert_eq!(only(&added, "variant_added"), (Impact::Additive, "Value".into(), "new variant `Integer` (i64)".into()));
    let removed = changes(&union("{type: string}, {type: boolean}, {type: integer}"), &union("{type: string}, {type: boolean}"));
    assert_eq!(only(&removed, "variant_removed").0, Impact::Breaking);
}

#[test]
fn types_added_removed_renamed_and_changed_in_kind() {
    let base = shop("", "", "    Note: {type: object, properties: {text: {type: string}}}");
    let renamed = base.replace("    Note:", "    Memo:");
    let change = changes(&base, &renamed);
    assert_eq!(only(&change, "type_renamed"), (Impact::Breaking, "Note".into(), "struct renamed to `Memo`".into()));
    assert!(change.iter().all(|c| c.1 != "type_added" && c.1 != "type_removed"), "{change:#?}");
    let extra = base.replace("    Note:", "    Tag: {type: string, enum: [a]}\n    Note:");
    assert_eq!(only(&changes(&base, &extra), "type_added").0, Impact::Additive);
    assert_eq!(only(&changes(&extra, &base), "type_removed").0, Impact::Breaking);
    let kind = base.replace("    Note: {type: object, properties: {text: {type: string}}}", "    Note: {type: string, enum: [a, b]}");
    assert_eq!(only(&changes(&base, &kind), "type_kind_changed").2, "now enum (was struct)");
}

#[test]
fn responses_auth_paging_servers_and_error_bodies() {
    let base = shop("", "", "");
    let text = base.replace("content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}", "content: {application/json: {schema: {type: string}}}");
    assert_eq!(only(&changes(&base, &text), "response_changed").2, "responds with String (was Item)");

    let keyed = format!("{base}  securitySchemes:\n    key: {{type: apiKey, in: header, name: X-Key}}\nsecurity: [{{key: []}}]\n");
    let both = keyed.replace("security: [{key: []}]", "security: [{key: []}, {bearer: []}]").replace(
        "  securitySchemes:\n",
        "  securitySchemes:\n    bearer: {type: http, scheme: bearer}\n",
    );
    assert_eq!(only(&changes(&keyed, &both), "auth_changed").0, Impact::Additive);
    assert_eq!(only(&changes(&both, &keyed), "auth_changed").0, Impact::Breaking);

    let moved = base.replace("    get:\n      operationId: GetItem", "    get:\n      servers: [{url: 'https://api.shop.example.com'}]\n      operationId: GetItem");
    assert_eq!(only(&changes(&base, &moved), "server_changed").0, Impact::Additive);
    let errors = base.replace(
        "      responses:\n",
        "      responses:\n        '404':\n          description: no\n          content: {application/json: {schema: {type: object, properties: {message: {type: string}}}}}\n",
    );
    assert_eq!(only(&changes(&base, &errors), "error_status_added").0, Impact::Additive);

    let list = |next: &str| {
        format!(
            "
paths:
  /items:
    get:
      operationId: ListItems
      parameters: [{{name: cursor, in: query, schema: {{type: string}}}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  items: {{type: array, items: {{type: string}}}}
                  {next}: {{type: string}}
"
        )
    };
    assert_eq!(only(&changes(&list("other"), &list("next_cursor")), "paging_added").0, Impact::Additive);
    assert_eq!(only(&changes(&list("next_cursor"), &list("other")), "paging_removed").0, Impact::Breaking);
}

#[test]
fn specs_added_and_removed_and_no_change_at_all() {
    let one = api(&shop("", "", ""));
    let all = compare(&[], std::slice::from_ref(&one));
    assert_eq!((all[0].kind, all[0].impact, all[0].detail.as_str()), ("spec_added", Impact::Additive, "new API: 1 operations, 1 types"));
    let gone = compare(std::slice::from_ref(&one), &[]);
    assert_eq!((gone[0].kind, gone[0].impact), ("spec_removed", Impact::Breaking));
    // `cargo xtask codegen`'s one line per spec says a spec is new or gone,
    // not "+0 -0 operations".
    assert_eq!(summary(&all), "  shop: new API: 1 operations, 1 types\n");
    assert_eq!(summary(&gone), "  shop: API removed (1 operations)\n");
    assert!(compare(std::slice::from_ref(&one), std::slice::from_ref(&one)).is_empty());
}

#[test]
fn the_bump_the_next_version_and_the_report_formats() {
    let change = |impact| Change {
        spec: "shop".into(),
        impact,
        resource: "items".into(),
        subject: "GetItem".into(),
        kind: "parameter_added",
        detail: "new parameter".into(),
    };
    assert_eq!(bump(&[]), Bump::None);
    assert_eq!(bump(&[change(Impact::Additive)]), Bump::Minor);
    assert_eq!(bump(&[change(Impact::Additive), change(Impact::Breaking)]), Bump::Major);
    // Below 1.0 a breaking change bumps the minor number.
    assert_eq!(next_version("0.1.3", Bump::Major), "0.2.0");
    assert_eq!(next_version("0.1.3", Bump::Minor), "0.1.4");
    assert_eq!(next_version("2.1.3", Bump::Major), "3.0.0");
    assert_eq!(next_version("2.1.3", Bump::Minor), "2.2.0");
    assert_eq!(next_version("2.1.3", Bump::None), "2.1.3");

    // The same change to two subjects is one line.
    let mut other = change(Impact::Additive);
    other.subject = "ListItems".into();
    let text = markdown(&[change(Impact::Additive), other], "0.1.0");
    assert!(text.contains("- `items::GetItem`, `items::ListItems`: new parameter\n"), "{text}");

    let changes = [change(Impact::Additive), change(Impact::Breaking)];
    let text = markdown(&changes, "0.1.0");
    assert!(text.starts_with("## API changes: 1 breaking, 1 additive\n\nNeeds a major (breaking) version: 0.1.0 → 0.2.0.\n"), "{text}");
    let breaking = text.find("**Breaking**").unwrap();
    assert!(breaking < text.find("Additive:").unwrap(), "breaking first:\n{text}");
    assert!(text.contains("- `items::GetItem`: new parameter"), "{text}");
    let value = json(&changes, "0.1.0");
    assert_eq!((value["breaking"].as_u64(), value["bump"].as_str(), value["next_version"].as_str()), (Some(1), Some("major"), Some("0.2.0")));
    assert_eq!((value["changes"][1]["impact"].as_str(), value["changes"][1]["kind"].as_str()), (Some("breaking"), Some("parameter_added")));
}
