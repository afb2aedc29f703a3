//! Everything this generator knows about Twilio in particular: Twilio's
//! [`Conventions`], used for the specs `crate::conventions_for` gives them to
//! (Twilio's own). The rest of the crate is a general OpenAPI generator.

use crate::conventions::{Conventions, Extensions};
use crate::paging::{find_struct, one_array, query_param};
use crate::ir::{Field, Location, NextPage, Operation, Pagination, TypeDef, TypeRef};
use crate::names::{module_ident, snake};

/// Twilio's conventions.
pub struct Twilio;

impl Conventions for Twilio {
    fn name(&self) -> &'static str {
        "twilio"
    }

    fn spec_module(&self, stem: &str) -> String {
        spec_module(stem)
    }

    fn resource_module(&self, tag: &str, spec_module: &str) -> String {
        resource_module(tag, spec_module)
    }

    fn string_format(&self, format: &str) -> Option<TypeRef> {
        string_format(format)
    }

    fn is_sensitive(&self, extensions: &Extensions) -> bool {
        is_sensitive(extensions)
    }

    fn maturity_note(&self, extensions: &Extensions) -> Option<String> {
        maturity_note(extensions)
    }

    /// `AddOnsData` and the like: Twilio reads JSON text.
    fn query_objects_as_json(&self) -> bool {
        true
    }

    /// Twilio's API reads forms; a body its specs also offer as JSON still
    /// goes as one.
    fn prefers_form_bodies(&self) -> bool {
        true
    }

    /// `/2010-04-01/Accounts/{AccountSid}/...`: the client's account unless
    /// the call names another (a subaccount), as Twilio's SDKs do.
    fn account_path_param(&self) -> Option<&'static str> {
        Some("AccountSid")
    }

    fn pagination(&self, op: &Operation, types: &[TypeDef]) -> Option<Pagination> {
        pagination(op, types)
    }
}

/// Whether a spec is Twilio's: its file is named `twilio_…`, or every
/// server it names is under `twilio.com`.
pub fn claims(stem: &str, servers: &[&str]) -> bool {
    let twilio_host = |url: &&str| {
        let host = url.split("://").nth(1).unwrap_or(url).split(['/', ':']).next().unwrap_or_default();
        host == "twilio.com" || host.ends_with(".twilio.com")
    };
    stem.starts_with("twilio_") || (!servers.is_empty() && servers.iter().all(twilio_host))
}

/// Twilio's spec files are named `twilio_<product>_<version>`; the prefix adds
/// nothing inside a crate of Twilio APIs.
fn spec_module(stem: &str) -> String {
    stem.strip_prefix("twilio_").unwrap_or(stem).to_owned()
}

/// Twilio tags repeat the product and version (`ProxyV1MessageInteraction`,
/// `Api20100401Call`, `Contentv1ApprovalFetch`, `PreviewHostedNumbers…`);
/// inside the `proxy_v1` module the resource is just `message_interaction`.
///
/// The prefix dropped is the spec's product words, or any one word followed
/// by a version, or a word with a version glued on, and then any versions. A
/// tag that would be left empty keeps its full name.
fn resource_module(tag: &str, spec_module: &str) -> String {
    let name = snake(tag);
    let name = name.strip_prefix("r#").unwrap_or(&name);
    let words: Vec<&str> = name.split('_').collect();
    let product: Vec<&str> = spec_module.split('_').take_while(|w| !is_version(w)).collect();

    let glued = |word: &str| {
        let split = word.trim_end_matches(|c: char| c.is_ascii_digit());
        let (alpha, version) = match split.strip_suffix('v') {
            Some(alpha) if split.len() < word.len() => (alpha, &word[alpha.len()..]),
            _ => (split, &word[split.len()..]),
        };
        !alpha.is_empty() && is_version(version) && (version.starts_with('v') || alpha == product.concat())
    };
    let mut start = if !product.is_empty() && words.starts_with(&product) {
        product.len()
    } else if glued(words[0]) || words.get(1).is_some_and(|w| is_version(w)) {
        1
    } else {
        0
    };
    while words.get(start).is_some_and(|w| is_version(w)) {
        start += 1;
    }
    let short = if start == 0 || start >= words.len() { name.to_owned() } else { words[start..].join("_") };
    // What is left must still be a name (a tag `2015-07-30T20:00:00Z` would
    // leave `30t20_00_00z`).
    let short = if short.starts_with(|c: char| c.is_ascii_digit()) { name.to_owned() } else { short };
    module_ident(&short)
}

/// `v1`, `v2010`, `20100401`.
fn is_version(word: &str) -> bool {
    let digits = word.strip_prefix('v').unwrap_or(word);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Twilio's own string formats that change the Rust type. api_v2010 writes
/// its dates as in RFC 2822 (`format: date-time-rfc-2822`). The many other
/// custom formats (`phone-number`, `http-method`, `iso-country-code`, SID
/// kinds, ...) are plain strings.
fn string_format(format: &str) -> Option<TypeRef> {
    (format == "date-time-rfc-2822").then_some(TypeRef::DateTimeRfc2822)
}

/// Whether a property is personal data Twilio marks
/// `x-twilio: {pii: {handling: sensitive}}` (message bodies, for one).
fn is_sensitive(extensions: &Extensions) -> bool {
    extensions.get("x-twilio").and_then(|x| x.pointer("/pii/handling")).and_then(|h| h.as_str()) == Some("sensitive")
}

/// A doc paragraph for operations Twilio marks `x-maturity: [Beta]` or
/// `[Preview]`; GA operations (and everything else) get none.
fn maturity_note(extensions: &Extensions) -> Option<String> {
    let levels = extensions.get("x-maturity")?.as_array()?;
    let level = levels.iter().filter_map(|l| l.as_str()).find(|l| *l != "GA")?;
    Some(format!(
        "Maturity: **{level}** (`x-maturity`). Twilio may still change this operation in ways that are not backwards compatible."
    ))
}

/// Recognises Twilio's list pages.
///
/// - Most APIs: `{ "<items>": [...], "meta": { "next_page_url": ..., ... } }`.
/// - api_v2010: `{ "<items>": [...], "next_page_uri": "/2010-04-01/...", ... }`,
///   where the link is relative to the host.
/// - Token lists (numbers_v1 port-in requests): `{ "<items>": [...],
///   "meta": { "next_token": ... } }`, and the next page is the same request
///   with the query parameter `Token` set to it.
///
/// The items are the one array-typed field of the page; the page size is
/// set with the query parameter `PageSize` (`Size` on token lists).
fn pagination(op: &Operation, types: &[TypeDef]) -> Option<Pagination> {
    let page = find_struct(op.response.as_ref()?, types)?;
    let (items, item_type) = one_array(page)?;

    let string_field = |fields: &[Field], wire: &str| {
        fields.iter().find(|f| f.wire_name == wire && f.ty == TypeRef::String).map(|f| (f.name.clone(), f.optional))
    };
    let next = if let Some(meta) = page.fields.iter().find(|f| f.wire_name == "meta") {
        let meta_struct = find_struct(&meta.ty, types)?;
        let step = (meta.name.clone(), meta.optional);
        if let Some(link) = string_field(&meta_struct.fields, "next_page_url") {
            NextPage::Link(vec![step, link])
        } else {
            let token = string_field(&meta_struct.fields, "next_token")?;
            let param = op.params.iter().find(|p| p.location == Location::Query && p.wire_name == "Token")?;
            NextPage::Token { field: vec![step, token], param: param.wire_name.clone() }
        }
    } else {
        NextPage::Link(vec![string_field(&page.fields, "next_page_uri")?])
    };
    // `PageSize` on link lists, `Size` on token lists.
    let page_size_param = query_param(op, &["PageSize", "Size"]);
    Some(Pagination { items, item_type, next, page_size_param })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_drop_the_twilio_prefixes() {
        assert_eq!(spec_module("twilio_proxy_v1"), "proxy_v1");
        assert_eq!(spec_module("petstore"), "petstore");
        assert_eq!(resource_module("ProxyV1MessageInteraction", "proxy_v1"), "message_interaction");
        assert_eq!(resource_module("Pets", "petstore"), "pets");
        assert_eq!(resource_module("ProxyV1", "proxy_v1"), "proxy_v1");
        assert_eq!(resource_module("Api20100401Call", "api_v2010"), "call");
        assert_eq!(resource_module("Contentv1ApprovalFetch", "content_v1"), "approval_fetch");
        assert_eq!(resource_module("PreviewHostedNumbersHostedNumberOrder", "preview"), "hosted_numbers_hosted_number_order");
        assert_eq!(resource_module("OauthV1Authorize", "iam_organizations"), "authorize");
        assert_eq!(resource_module("IpMessagingV2Channel", "ip_messaging_v2"), "channel");
        assert_eq!(resource_module("MarketplaceAvailableAddOn", "marketplace_v1"), "available_add_on");
        assert_eq!(resource_module("E164Lookup", "lookups_v1"), "e164_lookup");
    }

    #[test]
    fn twilio_specs_are_told_by_file_name_or_servers() {
        assert!(claims("twilio_proxy_v1", &[]));
        assert!(claims("proxy", &["https://proxy.twilio.com", "https://twilio.com/x"]));
        assert!(!claims("proxy", &[]));
        assert!(!claims("petstore", &["https://api.example.com", "https://proxy.twilio.com"]));
        assert!(!claims("evil", &["https://twilio.com.example.org"]));
    }
}
