//! How schema and operation shapes come out in Rust: one small spec per
//! rule, checked on the generated text. (The official specs exercise the
//! same rules at scale in `cargo xtask corpus`, where the output is also
//! compiled and wire-tested.)
//!
//! Each case is a pair of files in `tests/lowering/`: the spec,
//! `<name>.yaml` (or `.yml`, `.json`), and the output it must give,
//! `<name>.rs` (`tests/lowering/README.md` says how a case is read).
//! [`every_case_gives_its_snapshot`] generates every spec in the folder and
//! compares; `UPDATE_EXPECT=1 cargo test -p codegen --test lowering`
//! rewrites the snapshots, for review in the diff. A test named after a
//! case asserts the point of that case on its own, so that rewriting the
//! snapshots in bulk cannot quietly lose it.

use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use codegen::Output;

/// The folder of cases.
fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lowering")
}

/// Snapshots in the folder whose specs live elsewhere (see
/// [`constructs_that_refused_real_documents_are_read_leniently`]).
const SNAPSHOTS_OF_SPECS_ELSEWHERE: [&str; 2] = ["lenient_zoo", "lenient_zoo_31"];

/// One case's spec, as the generator is given it.
struct Case {
    /// The name the spec is generated under: the case's first line
    /// `# file: <name>` says it (it picks the module name, and Twilio's
    /// conventions for `twilio_*`); a case without that line (JSON has no
    /// comments) goes under its own file name.
    file: String,
    text: String,
    /// `<case>.settings.yaml`, given to the generator as the spec's own
    /// settings file (`<stem of file>.settings.yaml`).
    settings: Option<String>,
}

impl Case {
    fn read(name: &str) -> Case {
        let dir = cases_dir();
        let path = ["yaml", "yml", "json"]
            .iter()
            .map(|extension| dir.join(format!("{name}.{extension}")))
            .find(|path| path.is_file())
            .unwrap_or_else(|| panic!("no tests/lowering/{name}.yaml (or .yml, .json)"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
        let own_name = path.file_name().unwrap().to_string_lossy().into_owned();
        let file = match text.lines().next().and_then(|line| line.strip_prefix("# file:")) {
            Some(file) => file.trim().to_owned(),
            None => own_name,
        };
        let settings = std::fs::read_to_string(dir.join(format!("{name}{}", codegen::settings::SUFFIX))).ok();
        Case { file, text, settings }
    }

    /// The spec file, and its settings file if the case has one.
    fn files(&self) -> Vec<(String, &str)> {
        let mut files = vec![(self.file.clone(), self.text.as_str())];
        if let Some(settings) = &self.settings {
            let stem = self.file.rsplit_once('.').map_or(self.file.as_str(), |(stem, _)| stem);
            files.push((format!("{stem}{}", codegen::settings::SUFFIX), settings.as_str()));
        }
        files
    }
}

/// Generates from a folder holding just `files` (name, text).
fn generate_files<N: AsRef<str>>(files: &[(N, &str)]) -> Result<Output, codegen::Error> {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join(name.as_ref()), text).unwrap();
    }
    codegen::generate(dir.path(), "specs")
}

/// Generates the case `name` (its spec and settings).
fn generate(name: &str) -> Output {
    generate_files(&Case::read(name).files()).unwrap_or_else(|e| panic!("{e}"))
}

/// All generated Rust of one output, concatenated.
fn code(output: &Output) -> String {
    output.files.values().cloned().collect()
}

/// Compares the output (warnings, then every file but the root module) with
/// the snapshot `tests/lowering/<name>.rs`.
fn snapshot(name: &str, output: &Output) {
    let mut text = String::new();
    for warning in &output.warnings {
        text.push_str(&format!("// {warning}\n"));
    }
    for (path, file) in output.files.iter().filter(|(path, _)| path.as_str() != "apis/mod.rs") {
        text.push_str(&format!("\n// ==== {path} ====\n{file}"));
    }
    expect_test::expect_file![format!("lowering/{name}.rs")].assert_eq(&text);
}

/// Asserts that `code` holds `expected` exactly, spaces and line breaks
/// included.
#[track_caller]
fn assert_contains(code: &str, expected: &str) {
    assert!(code.contains(expected), "missing\n{expected}\nin:\n{code}");
}

/// The item of `code` that starts with the line `first` (indentation
/// included; it must be the only such line), through the line that closes
/// it: the next `}` as indented as `first`.
#[track_caller]
fn item<'a>(code: &'a str, first: &str) -> &'a str {
    let starts: Vec<usize> = code.match_indices(&format!("\n{first}\n")).map(|(at, _)| at + 1).collect();
    let [start] = starts[..] else { panic!("{} lines `{first}` in:\n{code}", starts.len()) };
    let indent = &first[..first.len() - first.trim_start().len()];
    let close = format!("\n{indent}}}\n");
    let end = code[start..].find(&close).unwrap_or_else(|| panic!("`{first}` is not closed in:\n{code}"));
    &code[start..start + end + close.len()]
}

/// Every spec in `tests/lowering/` gives the output in the snapshot beside
/// it. All cases run; the failure names each that failed (the diffs are
/// printed above it).
#[test]
fn every_case_gives_its_snapshot() {
    let mut inputs = Vec::new();
    let mut snapshots = Vec::new();
    let mut settings = Vec::new();
    for entry in std::fs::read_dir(cases_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if let Some(case) = name.strip_suffix(codegen::settings::SUFFIX) {
            settings.push(case.to_owned());
        } else if codegen::is_spec_file(&name) {
            inputs.push(name.rsplit_once('.').map_or(name.as_str(), |(stem, _)| stem).to_owned());
        } else if let Some(case) = name.strip_suffix(".rs") {
            snapshots.push(case.to_owned());
        }
    }
    inputs.sort();
    let mut failed = Vec::new();
    for pair in inputs.windows(2).filter(|pair| pair[0] == pair[1]) {
        failed.push(format!("{}: two specs of this name", pair[0]));
    }
    inputs.dedup();
    for name in &inputs {
        let run = panic::catch_unwind(AssertUnwindSafe(|| snapshot(name, &generate(name))));
        if run.is_err() {
            failed.push(name.clone());
        }
    }
    for name in &snapshots {
        if !inputs.contains(name) && !SNAPSHOTS_OF_SPECS_ELSEWHERE.contains(&name.as_str()) {
            failed.push(format!("{name}: a snapshot without a spec beside it"));
        }
    }
    for name in &settings {
        if !inputs.contains(name) {
            failed.push(format!("{name}: settings without a spec beside them"));
        }
    }
    assert!(!inputs.is_empty(), "no cases in {}", cases_dir().display());
    assert!(failed.is_empty(), "{} problem(s) with the {} cases:\n  {}", failed.len(), inputs.len(), failed.join("\n  "));
}

#[test]
fn all_of_becomes_one_struct_with_every_members_properties() {
    let output = generate("all_of_becomes_one_struct_with_every_members_properties");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
}

#[test]
fn rfc_2822_dates_use_the_runtime_adapter_and_only_in_fields() {
    let output = generate("rfc_2822_dates_use_the_runtime_adapter_and_only_in_fields");
    let warnings: Vec<String> = output.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        ["warning: specs/twilio_a.yaml: #/components/schemas/thing/properties/history/items: an RFC 2822 date-time outside an object property is kept as text (String)"]
    );
}

#[test]
fn beta_and_preview_operations_say_so_and_ga_ones_do_not() {
    let code = code(&generate("beta_and_preview_operations_say_so_and_ga_ones_do_not"));
    assert_eq!(code.matches("Maturity:").count(), 1);
}

/// Twilio's conventions apply to Twilio's specs only (by file name or
/// servers); any other document is read by the book.
#[test]
fn other_documents_get_the_generic_conventions() {
    let case = Case::read("other_documents_get_the_generic_conventions");
    assert_eq!(case.file, "things.yaml");
    let on_twilio = case.text.replace("https://example.com", "https://things.twilio.com");
    assert_ne!(on_twilio, case.text, "the case's server is https://example.com");
    let run = |file: &str, text: &str| code(&generate_files(&[(file, text)]).unwrap_or_else(|e| panic!("{e}")));
    let generic = run("things.yaml", &case.text);
    let twilio = run("twilio_things.yaml", &case.text);
    let by_server = run("things.yaml", &on_twilio);
    for (code, is_twilio) in [(&generic, false), (&twilio, true), (&by_server, true)] {
        assert_eq!(code.contains("pub fn stream<'a>"), is_twilio, "paging:\n{code}");
        assert_eq!(code.contains("Maturity: **Beta**"), is_twilio, "maturity:\n{code}");
        assert_eq!(code.contains("= redacted \"secret\""), is_twilio, "personal data:\n{code}");
        assert_eq!(code.contains("= \"when\" rfc2822"), is_twilio, "dates:\n{code}");
    }
}

/// The specs here are empty: what matters is their file names, and the
/// root module (which no snapshot shows).
#[test]
fn each_spec_is_a_feature_gated_module() {
    let yaml = "openapi: 3.0.1\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://example.com'}]\npaths: {}\n";
    let json = r#"{"openapi": "3.0.1", "info": {"title": "A", "version": "1"}, "paths": {}}"#;
    let output = generate_files(&[("twilio_b_v1.yaml", yaml), ("twilio_a_v2.json", json)]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.features, ["a_v2", "b_v1"]);
    let root = &output.files["apis/mod.rs"];
    assert_contains(root, "\n#[cfg(feature = \"a_v2\")]\npub mod a_v2;\n");
    assert_contains(root, "\n#[cfg(feature = \"b_v1\")]\npub mod b_v1;\n");
}

#[test]
fn required_arrays_go_to_new_and_need_an_item_in_a_form() {
    let code = code(&generate("required_arrays_go_to_new_and_need_an_item_in_a_form"));
    assert!(!code.contains("rt::validate::items(\"Tags\""), "an optional array has no count to check:\n{code}");
}

#[test]
fn json_bodies_are_checked_at_every_depth_and_only_request_types_get_checks() {
    let code = code(&generate("json_bodies_are_checked_at_every_depth_and_only_request_types_get_checks"));
    assert!(!code.contains("impl rt::Validate for Receipt"), "a response-only struct needs no checks:\n{code}");
}

#[test]
fn a_union_in_a_body_checks_the_variant_it_holds() {
    let code = code(&generate("a_union_in_a_body_checks_the_variant_it_holds"));
    // Only the variants that lead to checks have an arm: `Sip` has none.
    // A scalar member's own constraints are checked on the value itself.
    assert_eq!(
        item(&code, "impl rt::Validate for Target {"),
        r#"impl rt::Validate for Target {
    fn validate(&self, at: rt::Path<'_>) -> Result<(), rt::Error> {
        match self {
            Self::Integer(value) => {
                rt::validate::range(at, value, Some(1i64), None)?;
                Ok(())
            }
            Self::String(value) => {
                rt::validate::length(at, value, None, Some(64))?;
                rt::pattern(at, value, "^client:[a-z]+$")?;
                Ok(())
            }
            Self::Array(value) => rt::Validate::validate(value, at),
            Self::Phone(value) => rt::Validate::validate(value, at),
            _ => Ok(()),
        }
    }
}
"#
    );
    // The struct holding the union checks it, alone and in a list.
    assert!(code.contains("rt::Validate::validate(&self.to, at.field(\"to\"))?;"), "{code}");
    assert!(code.contains("rt::Validate::validate(value, at.field(\"copies\"))?;"), "{code}");
}

#[test]
fn an_operation_answering_with_and_without_a_body_returns_an_option() {
    let output = generate("an_operation_answering_with_and_without_a_body_returns_an_option");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
}

#[test]
fn server_variables_keep_their_defaults_and_allowed_values_for_the_client_to_replace() {
    let code = code(&generate("server_variables_keep_their_defaults_and_allowed_values_for_the_client_to_replace"));
    assert_eq!(
        item(&code, "    fn request(&self) -> Result<rt::Request<'_>, rt::Error> {"),
        r#"    fn request(&self) -> Result<rt::Request<'_>, rt::Error> {
        let mut request = rt::Request::new(
            rt::Method::GET,
            "https://{region}.api.example.com/{version}",
            "/things",
            &[rt::AuthScheme::Unspecified],
        );
        request
            .server_variables(
                &[("region", "eu", &["eu", "us"]), ("version", "v2", &[])],
            );
        Ok(request)
    }
"#
    );
}

/// Lists page by what their shape makes plain (a cursor and its query
/// parameter, a next URL, `has_more` with `starting_after`), or as the
/// spec's settings say (page numbers here): the snapshot shows how.
/// Settings that do not fit the spec are errors that say where.
#[test]
fn lists_page_by_cursor_next_url_has_more_or_as_the_settings_say() {
    let case = Case::read("lists_page_by_cursor_next_url_has_more_or_as_the_settings_say");
    assert_eq!(case.file, "lists.yaml", "the errors below name it");
    let output = generate_files(&case.files()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(output.files.keys().filter(|path| path.contains("settings")).count(), 0);

    let error_with = |settings: &str| {
        generate_files(&[(case.file.as_str(), case.text.as_str()), ("lists.settings.yaml", settings)]).unwrap_err().to_string()
    };
    let error = error_with("paging:\n  ListNumbered:\n    next: {page: {param: p}}\n  ListNothing:\n    next: link_header\n");
    assert!(error.contains("specs/lists.settings.yaml: paging.ListNumbered: the operation has no query parameter `p`"), "{error}");
    assert!(error.contains("specs/lists.settings.yaml: paging.ListNothing: no operation of the spec has this name"), "{error}");
    let error = error_with("paging:\n  ListNumbered:\n    next: {pages: {param: page}}\n");
    assert!(error.contains("specs/lists.settings.yaml: paging.ListNumbered.next.pages: unknown variant `pages`"), "{error}");
}

/// A path item may be a `$ref` to another path's item of the document: the
/// same operations, under its own path (and its own names).
#[test]
fn a_path_item_ref_reuses_another_paths_operations() {
    let code = code(&generate("a_path_item_ref_reuses_another_paths_operations"));
    // The operationId is the same twice; names stay unique.
    assert_contains(&code, "/// `GET /v2/things`\n#[derive(Debug, Clone, PartialEq, Default)]\n#[non_exhaustive]\npub struct ListThings {}\n");
    assert_contains(&code, "/// `GET /things`\n#[derive(Debug, Clone, PartialEq, Default)]\n#[non_exhaustive]\npub struct ListThings2 {}\n");
    assert_contains(item(&code, "impl rt::Operation for ListThings {"), "            \"/v2/things\",\n");
    assert_contains(item(&code, "impl rt::Operation for ListThings2 {"), "            \"/things\",\n");
}

/// `oneOf`/`anyOf` become enums: scalars by JSON type, objects with more
/// required properties first, a discriminator's tags where every member is
/// a `$ref`, strings of enums one merged enum, a member alone its own type.
#[test]
fn one_of_and_any_of_become_enums_with_a_variant_per_member() {
    let output = generate("one_of_and_any_of_become_enums_with_a_variant_per_member");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
}

/// A property the spec requires but its own examples leave out is optional,
/// and says why; examples given as `{"$ref": "#/components/examples/x"}`
/// are that example's value.
#[test]
fn required_properties_the_examples_leave_out_are_optional() {
    let code = code(&generate("required_properties_the_examples_leave_out_are_optional"));
    assert_eq!(
        item(&code, "    pub struct Thing {"),
        r#"    pub struct Thing {
        /// Required by the spec, but its examples leave it out: optional here.
        pub id: Option<String> = "id",
        /// Required by the spec, but its examples leave it out: optional here.
        pub name: Option<String> = "name",
        pub size: i64 = "size",
        pub tag: Option<String> = "tag",
    }
"#
    );
}

/// Read-only and write-only properties may be missing (each is absent one
/// way), and say so; deprecation and defaults are in the docs.
#[test]
fn read_only_write_only_deprecated_and_defaults_are_documented() {
    let code = code(&generate("read_only_write_only_deprecated_and_defaults_are_documented"));
    assert_eq!(
        item(&code, "    pub struct User {"),
        r#"    pub struct User {
        /// Read-only: the server sets it, and requests leave it out unless it is set.
        pub id: Option<String> = "id",
        /// Write-only: sent in requests, never in responses.
        pub password: Option<String> = "password",
        pub name: String = "name",
        /// Deprecated.
        pub nick: Option<String> = "nick",
        /// Default: `"member"`.
        pub role: Option<String> = "role",
    }
"#
    );
    assert_contains(&code, "/// Deprecated.\n///\n/// `POST /users`\n#[derive(Debug, Clone, PartialEq, Default)]\n#[non_exhaustive]\npub struct CreateUser {\n");
}

/// Enum values that are not identifiers, or that differ only in case, still
/// give distinct variants that keep their wire text; integer enums are
/// open enums of their values.
#[test]
fn enum_values_of_any_text_get_distinct_variants() {
    let code = code(&generate("enum_values_of_any_text_get_distinct_variants"));
    // Each value once, beside its variant; the runtime's `open_enum!`
    // matches and writes it.
    assert_eq!(
        item(&code, "rt::open_enum! {"),
        r#"rt::open_enum! {
    #[non_exhaustive]
    pub enum Odd {
        Plus1 = "+1",
        Minus1 = "-1",
        Empty = "",
        A = "A",
        A2 = "a",
        XY = "x y",
        E = "é",
        SlightSmile = "🙂",
        Self_ = "self",
        N1st = "1st",
    }
    other Unrecognized
}
"#
    );
    assert_eq!(item(&code, "    pub struct Level {"), "    pub struct Level {\n        pub level: Option<LevelLevel> = \"level\",\n    }\n");
    assert_eq!(
        item(&code, "rt::open_int_enum! {"),
        "rt::open_int_enum! {
    #[non_exhaustive]
    pub enum LevelLevel {
        N1 = 1,
        N2 = 2,
        N3 = 3,
    }
    other Unrecognized
}
"
    );
}

/// `additionalProperties` beside `properties` is a map of the rest after
/// `..`; `false` is said in the docs; an `allOf` with a union of objects
/// is a union of the merged objects; formats with a Rust type get it.
#[test]
fn rest_maps_all_of_unions_and_formats() {
    let output = generate("rest_maps_all_of_unions_and_formats");
    assert!(output.warnings.is_empty(), "{:?}", output.warnings);
    let code = code(&output);
    assert_eq!(
        item(&code, "    pub struct Tagged {"),
        "    pub struct Tagged {
        pub name: Option<String> = \"name\",
        ..
        /// The object's other properties, by name.
        pub additional_properties: std::collections::BTreeMap<String, i64>,
    }
"
    );
    assert_contains(
        &code,
        "rt::model! {
    /// The spec allows no properties other than these.
    #[derive(Clone, PartialEq)]
    #[non_exhaustive]
    pub struct Closed {
",
    );
    assert_eq!(
        item(&code, "    pub struct VehicleSeats {"),
        "    pub struct VehicleSeats {\n        pub id: String = \"id\",\n        pub seats: i64 = \"seats\",\n    }\n"
    );
    assert_eq!(
        item(&code, "    pub struct VehicleGearsBell {"),
        "    pub struct VehicleGearsBell {
        pub id: String = \"id\",
        pub gears: i64 = \"gears\",
        pub bell: bool = \"bell\",
    }
"
    );
    // More required properties are tried first.
    assert_contains(
        &code,
        "    pub enum Vehicle {
        GearsBell(Box<VehicleGearsBell>),
        Seats(Box<VehicleSeats>),
    }
    other Other
}
",
    );
    let formats = item(&code, "    pub struct Formats {");
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
        assert_contains(formats, &format!("\n        pub {field}: Option<{ty}> = \"{field}\",\n"));
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
