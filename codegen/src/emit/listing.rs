//! Calls of the runtime's body-carrying macros (`model!`, `one_of!`,
//! `open_enum!`, `open_int_enum!`, `setters!`), kept as data until `render`
//! writes them.
//!
//! prettyplease flows a macro call's tokens like prose, so these calls are
//! not tokens: emit puts a one-line stand-in (`rt::model!(__listing_3);`)
//! where the call goes and hands the call itself to render as a
//! [`Listing`], which render writes one field or entry per line. The types
//! here are the grammar of each macro on the generator's side; its other
//! side is the `macro_rules!` of the same name in the runtime
//! (`generated/src/runtime/`), and the generated crate compiling is the
//! proof that the two agree.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

/// One call, with the path of the macro it calls.
pub enum Listing {
    /// `rt::model! { <docs> #[derive(Clone, PartialEq)] pub struct Name { <fields> } }`
    Model(Model),
    /// `rt::one_of! { <docs> #[non_exhaustive] pub enum Name { <variants> } [tag "property",] other Other }`
    OneOf(OneOf),
    /// `rt::open_enum! { <docs> #[non_exhaustive] pub enum Name { Variant = "value", .. } other Other }`,
    /// or `rt::open_int_enum!` with integer values (`Variant = -1`).
    OpenEnum(OpenEnum),
    /// `rt::setters!(Name { <setters> });`
    Setters(Setters),
}

/// The struct of a `model!` call.
pub struct Model {
    /// Doc lines, each as it follows `///`.
    pub docs: Vec<String>,
    /// Response models can gain fields without breaking callers.
    pub non_exhaustive: bool,
    pub name: Ident,
    pub fields: Vec<ModelField>,
}

/// `pub name: Type = [shown] "wire" [codec],`, or the map of the rest after
/// `..`: `pub name: Type,`.
pub struct ModelField {
    pub docs: Vec<String>,
    pub name: Ident,
    pub ty: TokenStream,
    /// `None` for the rest map.
    pub wire: Option<String>,
    /// `redacted` or `redacted_required`: `Debug` shows only whether there
    /// is a value.
    pub shown: Option<&'static str>,
    /// How the value is read and written where its type does not say
    /// (`rfc2822`).
    pub codec: Option<&'static str>,
}

/// The enum of a `one_of!` call.
pub struct OneOf {
    pub docs: Vec<String>,
    pub name: Ident,
    pub variants: Vec<OneOfVariant>,
    /// The property whose value picks the variant, if the union has one.
    pub tag: Option<String>,
    /// The variant that keeps what no other variant reads.
    pub other: Ident,
}

/// `Variant(Type)`, or with a tag property `Variant(Type) = "a" | "b"`.
pub struct OneOfVariant {
    pub name: Ident,
    pub ty: TokenStream,
    pub tags: Vec<String>,
}

/// The enum of an `open_enum!` or `open_int_enum!` call: the runtime
/// writes the variants' docs, `as_str`/`value`, `From` and the catch-all
/// variant from it.
pub struct OpenEnum {
    pub docs: Vec<String>,
    pub name: Ident,
    /// Each variant with its wire value, written as its literal.
    pub variants: Vec<(Ident, proc_macro2::Literal)>,
    /// The variant that keeps a value the spec does not list.
    pub other: Ident,
    /// The values are integers (`open_int_enum!`).
    pub integer: bool,
}

/// The optional parameters of an operation, each a setter.
pub struct Setters {
    pub name: Ident,
    pub entries: Vec<Setter>,
}

/// `name: kind Type`; the kinds are the runtime's `setters!` rules
/// (`some`, `into`, `each`, `each_into`).
pub struct Setter {
    pub name: Ident,
    pub kind: &'static str,
    pub ty: TokenStream,
}

impl Listing {
    /// The macro's path as the generated code names it.
    pub fn path(&self) -> &'static str {
        match self {
            Listing::Model(_) => "rt::model",
            Listing::OneOf(_) => "rt::one_of",
            Listing::OpenEnum(e) if e.integer => "rt::open_int_enum",
            Listing::OpenEnum(_) => "rt::open_enum",
            Listing::Setters(_) => "rt::setters",
        }
    }

    /// The one-line call render replaces with the listing: number `index`
    /// of its file.
    pub fn stand_in(&self, index: usize) -> TokenStream {
        let stand_in = Ident::new(&format!("__listing_{index}"), Span::call_site());
        let path: TokenStream = self.path().parse().expect("a macro path");
        quote!(#path!(#stand_in);)
    }
}
