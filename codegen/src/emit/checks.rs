//! Checks before sending: the statements that test a value against the
//! spec's constraints, for parameters and for fields of JSON bodies at any
//! depth, each naming where the value sits.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::{Scope, ident};
use crate::ir::{Constraints, StructDef, TypeRef, UnionDef};

/// Where a checked value is, as an expression the runtime turns into its
/// name only when a check fails.
#[derive(Clone)]
pub(super) enum At {
    /// A parameter: its wire name as a string literal.
    Param(String),
    /// An `rt::Path` expression.
    Path(TokenStream),
}

impl At {
    fn tokens(&self) -> TokenStream {
        match self {
            At::Param(wire) => quote!(#wire),
            At::Path(path) => path.clone(),
        }
    }

    fn path(&self) -> TokenStream {
        match self {
            At::Param(wire) => quote!(rt::Path::param(#wire)),
            At::Path(path) => path.clone(),
        }
    }

    fn index(&self, i: &proc_macro2::Ident) -> At {
        let path = self.path();
        At::Path(quote!(#path.index(#i)))
    }
}

/// A checked value: a place (`self.sid`), a variable holding a reference
/// to it (`value`), or an `Option` place (`self.page`) whose value, if any,
/// is checked; spelled as each use needs it.
enum Val {
    Place(TokenStream),
    Ref(proc_macro2::Ident),
    Opt(TokenStream),
}

impl Val {
    /// `&T` (`&Option<T>` for [`Val::Opt`]: the runtime's `Validate` looks
    /// through it).
    fn by_ref(&self) -> TokenStream {
        match self {
            Val::Place(place) | Val::Opt(place) => quote!(&#place),
            Val::Ref(name) => quote!(#name),
        }
    }


    /// A receiver of a method call (auto-referenced either way); never an
    /// `Option` (see [`field_checks`]).
    fn receiver(&self) -> TokenStream {
        match self {
            Val::Place(place) | Val::Opt(place) => place.clone(),
            Val::Ref(name) => quote!(#name),
        }
    }
}

/// Statements checking `value` (of the Rust type of `ty`) against `c`, and
/// descending into validated structs. Empty when there is nothing to check.
/// `depth` keeps loop variables of nested arrays apart.
fn checks(value: &Val, ty: &TypeRef, c: &Constraints, at: &At, cx: &Scope, depth: usize) -> TokenStream {
    let Constraints { pattern, min_length, max_length, minimum, maximum, min_items, max_items, items } = c;
    let place = at.tokens();
    let (by_ref, receiver) = (value.by_ref(), value.receiver());
    match ty {
        TypeRef::String => {
            let length = (min_length.is_some() || max_length.is_some()).then(|| {
                let (min, max) = (option_u64(*min_length), option_u64(*max_length));
                quote!(rt::validate::length(#place, #by_ref, #min, #max)?;)
            });
            let pattern = pattern.as_ref().map(|p| quote!(rt::pattern(#place, #by_ref, #p)?;));
            quote!(#length #pattern)
        }
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 | TypeRef::Number
            if minimum.is_some() || maximum.is_some() =>
        {
            let literal = |n: f64| match ty {
                TypeRef::I32 => Literal::i32_suffixed(n as i32),
                TypeRef::I64 => Literal::i64_suffixed(n as i64),
                // `as` saturates: a negative minimum is 0.
                TypeRef::U32 => Literal::u32_suffixed(n as u32),
                TypeRef::U64 => Literal::u64_suffixed(n as u64),
                _ => Literal::f64_suffixed(n),
            };
            let (min, max) = (option_lit(minimum.map(literal)), option_lit(maximum.map(literal)));
            match ty {
                TypeRef::Number => quote!(rt::validate::number_range(#place, #by_ref, #min, #max)?;),
                _ => quote!(rt::validate::range(#place, #by_ref, #min, #max)?;),
            }
        }
        TypeRef::Array(inner) => {
            let count = (min_items.is_some() || max_items.is_some()).then(|| {
                let (min, max) = (option_u64(*min_items), option_u64(*max_items));
                quote!(rt::validate::items(#place, #receiver.len(), #min, #max)?;)
            });
            if items.is_none() && cx.leads_to_validated(inner) {
                // The runtime walks the items and names their indices.
                let path = at.path();
                return quote!(#count rt::Validate::validate(#by_ref, #path)?;);
            }
            let (i, item) = (format_ident!("i{depth}"), format_ident!("item{depth}"));
            let no_constraints = Constraints::default();
            let item_value = Val::Ref(item.clone());
            let item_checks =
                checks(&item_value, inner, items.as_deref().unwrap_or(&no_constraints), &at.index(&i), cx, depth + 1);
            let each = (!item_checks.is_empty()).then(|| {
                quote! {
                    for (#i, #item) in #receiver.iter().enumerate() {
                        #item_checks
                    }
                }
            });
            quote!(#count #each)
        }
        // The runtime's checks look through an `Option` (an array's count
        // would not: those go unchecked).
        TypeRef::Nullable(inner) if !matches!(**inner, TypeRef::Array(_)) => checks(value, inner, c, at, cx, depth),
        TypeRef::Named(_) | TypeRef::Map(_) if cx.leads_to_validated(ty) => {
            let path = at.path();
            quote!(rt::Validate::validate(#by_ref, #path)?;)
        }
        _ => TokenStream::new(),
    }
}

/// The checks of the field `self.<field>`. An `Option` is handed to the
/// runtime as it is, except that an optional array is checked inside `if
/// let Some(value)`.
pub(super) fn field_checks(field: &Ident, optional: bool, ty: &TypeRef, c: &Constraints, at: &At, cx: &Scope) -> TokenStream {
    if !optional {
        return checks(&Val::Place(quote!(self.#field)), ty, c, at, cx, 0);
    }
    if !matches!(ty, TypeRef::Array(_)) {
        return checks(&Val::Opt(quote!(self.#field)), ty, c, at, cx, 0);
    }
    let inner = checks(&Val::Ref(format_ident!("value")), ty, c, at, cx, 0);
    if inner.is_empty() {
        return inner;
    }
    quote! {
        if let Some(value) = &self.#field {
            #inner
        }
    }
}

/// `impl rt::Validate` for a struct a request can contain: each field's
/// checks, at the path of the field's wire name.
pub(super) fn validate_impl(s: &StructDef, cx: &Scope) -> TokenStream {
    let name = ident(&s.name);
    let fields = s.fields.iter().map(|f| {
        let wire = &f.wire_name;
        // The rest map's values are at their own keys.
        let at = if f.rest { At::Path(quote!(at)) } else { At::Path(quote!(at.field(#wire))) };
        field_checks(&ident(&f.name), f.optional, &f.ty, &f.constraints, &at, cx)
    });
    quote! {
        impl rt::Validate for #name {
            fn validate(&self, at: rt::Path<'_>) -> Result<(), rt::Error> {
                #(#fields)*
                Ok(())
            }
        }
    }
}

/// `impl rt::Validate` for a union a request can contain: the checks of
/// the variant it holds, at the union's own path (a variant is the value
/// itself, not a field of it): the constraints of the member's schema, and
/// those of the validated types it holds, which the runtime finds through
/// `Vec`, maps, `Option` and `Box`.
pub(super) fn union_validate_impl(u: &UnionDef, cx: &Scope) -> TokenStream {
    let name = ident(&u.name);
    let arms = u.variants.iter().filter_map(|v| {
        let variant = ident(&v.name);
        // Without constraints of its own, the one check is its type's.
        if v.constraints.is_empty() {
            return cx.leads_to_validated(&v.ty).then(|| quote!(Self::#variant(value) => rt::Validate::validate(value, at),));
        }
        let checks = checks(&Val::Ref(format_ident!("value")), &v.ty, &v.constraints, &At::Path(quote!(at)), cx, 0);
        (!checks.is_empty()).then(|| quote! {
            Self::#variant(value) => {
                #checks
                Ok(())
            }
        })
    });
    quote! {
        impl rt::Validate for #name {
            fn validate(&self, at: rt::Path<'_>) -> Result<(), rt::Error> {
                match self {
                    #(#arms)*
                    _ => Ok(()),
                }
            }
        }
    }
}

fn option_u64(n: Option<u64>) -> TokenStream {
    option_lit(n.map(Literal::u64_unsuffixed))
}

fn option_lit(lit: Option<Literal>) -> TokenStream {
    match lit {
        Some(lit) => quote!(Some(#lit)),
        None => quote!(None),
    }
}
