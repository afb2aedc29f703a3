//! The intermediate representation: what `lower` produces and `emit` consumes.
//!
//! Everything here is plain data. Names are already valid, unique Rust
//! identifiers (keywords arrive as raw identifiers such as `r#type`), `$ref`s
//! are resolved, and every choice that depends on the OpenAPI document has been
//! made. `emit` only has to spell it out; it never looks back at the spec.
//!
//! Collections are `Vec`s in a deterministic order (spec order where the spec
//! gives one, sorted otherwise) so that output never depends on hashing.

/// One OpenAPI document as `lower` leaves it, before the passes (see
/// `crate::passes`) refine it into an [`Api`].
#[derive(Debug, Clone, PartialEq)]
pub struct Lowered {
    pub source: String,
    pub module: String,
    pub title: String,
    pub docs: Docs,
    /// Every operation, with the resource module it belongs to.
    pub operations: Vec<(String, Operation)>,
    /// Every named type, in creation order.
    pub types: Vec<TypeDef>,
    /// The names of the types made for inline schemas (the rest are the
    /// document's components, whose names are the document's).
    pub inline_types: std::collections::BTreeSet<String>,
    /// The docs of each resource module, from the tag it comes from.
    pub resource_docs: std::collections::BTreeMap<String, Docs>,
}

/// One OpenAPI document, lowered. Becomes one Rust module.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// The spec's path relative to the workspace, with `/` separators (`specs/twilio_proxy_v1.yaml`).
    pub source: String,
    /// Module name of this API inside the generated crate (`proxy_v1`).
    pub module: String,
    /// The document's `info.title`.
    pub title: String,
    /// The document's `info.description`, as paragraphs.
    pub docs: Docs,
    /// Resources in module-name order. Each becomes one file.
    pub resources: Vec<Resource>,
}

/// Paragraphs of documentation, already cleaned for use in doc comments.
pub type Docs = Vec<String>;

/// A group of operations (an OpenAPI tag or a path family) with the models
/// only they use. Models used by several resources live in a resource named
/// `shared`.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    /// Module (and file) name.
    pub module: String,
    pub docs: Docs,
    pub types: Vec<TypeDef>,
    pub operations: Vec<Operation>,
}

/// A named type: an object schema or a string enum.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeDef {
    Struct(StructDef),
    Enum(EnumDef),
    /// A component schema that is not an object or an enum (an array, a
    /// string, a true/false enum): a name for its type. References to it use
    /// the type itself.
    Alias(AliasDef),
    /// The output of an operation whose 2xx statuses have different bodies:
    /// one variant per status.
    Responses(ResponsesDef),
    /// A `oneOf`/`anyOf`: a variant per member, and one for any other value.
    Union(UnionDef),
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionDef {
    pub name: String,
    pub docs: Docs,
    /// In the order the runtime tries them (untagged), or as the spec
    /// lists them (tagged).
    pub variants: Vec<UnionVariant>,
    /// The discriminator's property: each variant then has its tags.
    pub tag: Option<String>,
    /// The variant that keeps a value no other describes.
    pub other_variant: String,
    /// A request can contain this union and a variant has constraints
    /// inside: it gets a `Validate` impl that checks the variant it holds
    /// (set by the `validation` pass).
    pub validated: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub name: String,
    pub ty: TypeRef,
    /// The discriminator values that pick this variant.
    pub tags: Vec<String>,
    /// What the member's schema requires of a value of `ty` (a `oneOf`
    /// member `{type: string, pattern}`); checked before sending when the
    /// union is part of a request.
    pub constraints: Constraints,
}

impl TypeDef {
    pub fn name(&self) -> &str {
        match self {
            TypeDef::Struct(s) => &s.name,
            TypeDef::Enum(e) => &e.name,
            TypeDef::Alias(a) => &a.name,
            TypeDef::Responses(r) => &r.name,
            TypeDef::Union(u) => &u.name,
        }
    }

    /// The name and the docs, to change in place.
    pub fn name_and_docs_mut(&mut self) -> (&mut String, &mut Docs) {
        match self {
            TypeDef::Struct(s) => (&mut s.name, &mut s.docs),
            TypeDef::Enum(e) => (&mut e.name, &mut e.docs),
            TypeDef::Alias(a) => (&mut a.name, &mut a.docs),
            TypeDef::Responses(r) => (&mut r.name, &mut r.docs),
            TypeDef::Union(u) => (&mut u.name, &mut u.docs),
        }
    }

    /// The type with its name and docs cleared: what two types must share
    /// to be the same type under two names (the dedup pass), or to be the
    /// same type renamed (the change report).
    pub fn without_name(&self) -> TypeDef {
        let mut def = self.clone();
        let (name, docs) = def.name_and_docs_mut();
        name.clear();
        docs.clear();
        def
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponsesDef {
    pub name: String,
    pub docs: Docs,
    /// By status; a `2XX` range last.
    pub variants: Vec<StatusVariant>,
}

/// One 2xx status of a [`ResponsesDef`].
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// The status, or `None` for a `2XX` range (any other 2xx status).
    pub status: Option<u16>,
    /// Variant name (`Created`, `Accepted`).
    pub name: String,
    /// The body's type; `None` when there is no body.
    pub ty: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AliasDef {
    pub name: String,
    pub docs: Docs,
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StructDef {
    pub name: String,
    pub docs: Docs,
    pub fields: Vec<Field>,
    /// A request can contain this struct and something in it has
    /// constraints: it gets a `Validate` impl that checks them before
    /// sending (set by the `validation` pass).
    pub validated: bool,
    /// A request can contain this struct: callers build it (with a struct
    /// literal), so it is not `#[non_exhaustive]` (set by the `validation`
    /// pass).
    pub in_requests: bool,
}

/// A property of an object schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// Rust field name.
    pub name: String,
    /// Name on the wire (JSON key).
    pub wire_name: String,
    pub docs: Docs,
    pub ty: TypeRef,
    /// `Option<ty>`: the property is not required, or it is nullable.
    pub optional: bool,
    /// `Box<ty>`: the field's type contains the struct itself (not through
    /// a `Vec` or map), which would otherwise have no finite size.
    pub boxed: bool,
    /// Personal data that `Debug` output must not show.
    pub sensitive: bool,
    /// What the spec requires of the value; checked before sending when the
    /// struct is part of a request.
    pub constraints: Constraints,
    /// The object's other properties (`additionalProperties` beside
    /// `properties`): a map from each unlisted key to its value (`ty` is a
    /// [`TypeRef::Map`]), always the last field; `wire_name` is empty.
    pub rest: bool,
}

/// A string or integer enum that tolerates values the spec does not list.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumDef {
    pub name: String,
    pub docs: Docs,
    pub variants: Vec<Variant>,
    /// Name of the extra variant that carries any other value verbatim.
    pub other_variant: String,
    /// The values are integers (`Variant::value` holds their decimal text).
    pub integer: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub value: String,
}

/// The type of a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum TypeRef {
    String,
    Bool,
    /// `int32`, and the smaller `int8` and `int16`.
    I32,
    /// `int64`, and integers without a format.
    I64,
    /// `uint32`, and the smaller `uint8` and `uint16`.
    U32,
    /// `uint64`.
    U64,
    /// `type: number`: decimal text that keeps its digits (Twilio sends
    /// money and coordinates as strings).
    Number,
    /// `date-time`, RFC 3339 on the wire.
    DateTime,
    /// A date-time written as in RFC 2822 (`Thu, 30 Jul 2015 20:00:00 +0000`);
    /// only ever the type of a [`Field`] (elsewhere it is lowered to `String`).
    DateTimeRfc2822,
    /// `date`, `YYYY-MM-DD`.
    Date,
    /// `uuid` (`uuid::Uuid`).
    Uuid,
    /// `byte`: bytes written as base64 text (`rt::Base64`).
    Base64,
    /// `ip` (either version), `ipv4`, `ipv6`: `std::net` addresses.
    IpAddr,
    Ipv4Addr,
    Ipv6Addr,
    /// Anything JSON: schemas with no type, or shapes not modelled further.
    Json,
    /// Bytes as they come, with their media type (`rt::Binary`): a
    /// non-JSON, non-text body.
    Binary,
    /// A [`TypeDef`] of the same API, by name.
    Named(String),
    Array(Box<TypeRef>),
    /// An object with only `additionalProperties`: string keys to values.
    Map(Box<TypeRef>),
    /// An array item or map value the spec marks `nullable` (`Option<T>`).
    /// Parameters and form fields never carry it: they send no `null`.
    Nullable(Box<TypeRef>),
}

impl TypeRef {
    /// What the type holds once arrays and maps are looked through: the
    /// type itself for anything else (`Vec<BTreeMap<String, i64>>` → `i64`).
    pub fn element(&self) -> &TypeRef {
        match self {
            TypeRef::Array(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => inner.element(),
            other => other,
        }
    }

    /// The type with every [`TypeRef::Nullable`] in it taken away: what a
    /// parameter or form field, which cannot send `null`, carries.
    pub fn without_null(self) -> TypeRef {
        match self {
            TypeRef::Nullable(inner) => inner.without_null(),
            TypeRef::Array(inner) => TypeRef::Array(Box::new(inner.without_null())),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(inner.without_null())),
            other => other,
        }
    }
}

/// One HTTP operation. Becomes a request struct with a `send` method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// Name of the request struct (`CreateMessageInteraction`).
    pub name: String,
    pub method: Method,
    /// The path as the spec writes it, with `{Param}` placeholders.
    pub path: String,
    /// Base URL the path is appended to (`https://proxy.twilio.com`); it may
    /// hold `{variables}`, and may be relative (`/api/v3`).
    pub server: String,
    /// The server's variables, in the spec's order.
    pub server_variables: Vec<ServerVariable>,
    pub summary: Option<String>,
    pub docs: Docs,
    /// Path, query and header parameters, then body fields, in spec order.
    pub params: Vec<Param>,
    /// What the request body is, if any.
    pub body: BodyKind,
    /// Type of a successful (2xx) response body; `None` when it is empty.
    pub response: Option<TypeRef>,
    /// Some 2xx responses have a body and some have none: the output is an
    /// `Option` of the response type.
    pub response_may_be_empty: bool,
    /// The operation answers only with redirects (`3xx`), which are its
    /// successes: `response` is their body, if any.
    pub redirects: bool,
    /// The non-2xx responses (`3XX` to `5XX`, a status, `default`) that
    /// have a JSON body, with its type: what `ApiError::body_as` can decode.
    pub errors: Vec<(String, TypeRef)>,
    /// The headers the 2xx responses declare, as the spec spells them.
    pub response_headers: Vec<String>,
    /// The `Accept` header, when the 2xx responses are not all read as
    /// JSON: the media types they are read as, comma-separated.
    pub accept: Option<String>,
    /// Accepted ways to authenticate; empty means none.
    pub auth: Vec<AuthScheme>,
    /// Set when the response is one page of a list that links to the next.
    pub pagination: Option<Pagination>,
}

/// A `{variable}` of a server URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVariable {
    pub name: String,
    pub default: String,
    /// The values the spec allows (`enum`); empty when any will do.
    pub allowed: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
    Trace,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Trace => "TRACE",
        }
    }
}

/// A value the caller supplies: a path, query or header parameter, or a field
/// of a form body.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust field name in the request struct.
    pub name: String,
    /// Name on the wire, unchanged (`DateCreated<`, `Configuration.Url`).
    pub wire_name: String,
    pub location: Location,
    pub docs: Docs,
    pub ty: TypeRef,
    /// A path parameter is required, except the account's (see
    /// `Conventions::account_path_param`): unset, the client's account
    /// identifier fills it.
    pub required: bool,
    pub constraints: Constraints,
    /// How an array goes into a query (or an object, `deepObject`).
    pub style: Style,
    /// A multipart part's media type (`encoding.contentType`), if the spec
    /// gives one.
    pub media_type: Option<String>,
}

/// How a parameter's value is written, where its location allows a choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// One pair per item (`form`, exploded: the default), or the value as
    /// the location writes it.
    #[default]
    Exploded,
    /// One pair, the items joined: `,` (`form`, not exploded), a space
    /// (`spaceDelimited`), `|` (`pipeDelimited`).
    Joined(char),
    /// `name[key]=value` for each property of an object.
    DeepObject,
    /// A path value after a `.` (`label`): items joined by `,`, or each
    /// after its own `.` when exploded.
    Label { explode: bool },
    /// A path value as `;name=value` (`matrix`): items joined by `,`, or
    /// each with its own `;name=` when exploded.
    Matrix { explode: bool },
    /// The whole value as JSON text (a parameter given by `content`).
    Json,
    /// A map whose every entry is a field or part of its own: a form or
    /// multipart body whose schema names no properties.
    Fields,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    Path,
    Query,
    Header,
    /// A cookie (`style: form`): `Cookie: name=value`.
    Cookie,
    /// A field of an `application/x-www-form-urlencoded` body.
    Form,
    /// A part of a `multipart/form-data` body: text, JSON, or a file
    /// ([`TypeRef::Binary`]).
    Part,
    /// The whole `application/json` body.
    JsonBody,
    /// The whole body as text (`String`) or bytes (`Binary`), sent with the
    /// operation's media type (see [`BodyKind::Raw`]).
    RawBody,
}

/// Checks made on a value before any request is sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Constraints {
    /// A regular expression the value must match (already checked to compile).
    pub pattern: Option<String>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    /// Item counts of an array.
    pub min_items: Option<u64>,
    pub max_items: Option<u64>,
    /// What each item of an array must satisfy.
    pub items: Option<Box<Constraints>>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }

    /// Only the checks that apply to a value of type `ty`: lengths and
    /// patterns to strings, ranges to numbers, item counts to arrays (whose
    /// items are fitted to the item type). A string schema with a pattern
    /// may have become an enum or a date, which are not checked as text.
    pub fn fit(self, ty: &TypeRef) -> Constraints {
        let Constraints { pattern, min_length, max_length, minimum, maximum, min_items, max_items, items } = self;
        // A lower bound of zero on a length or a count holds for every value.
        let (min_length, min_items) = (min_length.filter(|&n| n > 0), min_items.filter(|&n| n > 0));
        match ty {
            TypeRef::String => Constraints { pattern, min_length, max_length, ..Default::default() },
            TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 | TypeRef::Number => {
                Constraints { minimum, maximum, ..Default::default() }
            }
            TypeRef::Array(item) => {
                let items = items.map(|c| c.fit(item)).filter(|c| !c.is_empty()).map(Box::new);
                Constraints { min_items, max_items, items, ..Default::default() }
            }
            TypeRef::Nullable(inner) => Constraints { pattern, min_length, max_length, minimum, maximum, min_items, max_items, items }.fit(inner),
            _ => Constraints::default(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyKind {
    None,
    Form,
    /// JSON; `form_offered`: the spec offers the body as a URL-encoded form
    /// too, which the caller may choose instead (`rt::AsForm`).
    Json { form_offered: bool },
    Multipart,
    /// Text or bytes with this media type (`text/plain`, `application/octet-stream`).
    Raw(String),
}

/// One way an operation accepts to be authenticated; an operation lists
/// the ways it accepts (the spec's requirements, any one of which will do).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthScheme {
    /// HTTP basic: Account SID (or API key) and Auth Token (or secret).
    Basic,
    /// HTTP bearer or OpenID Connect: an access token.
    Bearer,
    /// OAuth2: an access token, fetched with client credentials from
    /// `token_url` (the client-credentials flow's; empty if none).
    OAuth2 { token_url: String },
    /// The document declares no security: the client sends whatever
    /// credentials it has.
    Unspecified,
    /// `{}` among the requirements: no credentials is fine.
    Optional,
    /// An API key from the secret given for `scheme`, sent as `name`.
    ApiKey { scheme: String, name: String, location: KeyIn },
    /// Another HTTP scheme: `Authorization: <prefix> <secret>`.
    Http { scheme: String, prefix: String },
    /// One requirement naming several schemes: all of them.
    All(Vec<AuthScheme>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum KeyIn {
    Header,
    Query,
    Cookie,
}

/// How to walk from one page of a list to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Field of the response that holds the page's items (an array); empty
    /// when the response is the array itself.
    pub items: FieldPath,
    /// Type of one item.
    pub item_type: TypeRef,
    /// Where the next page is; its field is missing, null or empty on the
    /// last page.
    pub next: NextPage,
    /// The query parameter that sets the page size, if the operation has one.
    pub page_size_param: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NextPage {
    /// A field with the next page's URL (absolute, or relative to the host).
    Link(FieldPath),
    /// A field with a token that the same request sends again in the query
    /// parameter `param`.
    Token { field: FieldPath, param: String },
    /// The response's `Link` header, `rel="next"` (RFC 8288).
    LinkHeader,
    /// While the flag at `has_more` is true, the same request again with
    /// the query parameter `param` set to the last item's `id` (a Rust
    /// field name, and whether it is an `Option`).
    AfterLast { has_more: FieldPath, id: (String, bool), param: String },
    /// The same request with the page number in the query parameter
    /// `param` one higher, until a page comes back empty.
    PageNumber { param: String },
}

/// A chain of fields from a response struct down to a value; each step says
/// whether that field is an `Option`.
pub type FieldPath = Vec<(String, bool)>;
