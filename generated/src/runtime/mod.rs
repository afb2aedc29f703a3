//! The hand-written part of the crate: HTTP client, authentication, errors,
//! request building, validation and paging. Generated code calls into it;
//! nothing here depends on any particular spec.

mod base64_bytes;
mod builder;
mod client;
mod credentials;
mod decode;
mod error;
// Plumbing that only generated code calls: which parts are used depends on
// the API features turned on.
#[allow(dead_code)]
pub(crate) mod fields;
mod hooks;
mod host;
mod lenient;
mod links;
mod matcher;
mod number;
mod one_of;
mod open_enum;
mod operation;
mod paging;
mod param;
mod request;
mod retry;
mod token;
// Used by the model expansions: unused when no API feature is on.
#[cfg(feature = "test-util")]
#[allow(dead_code)]
pub(crate) mod blank;
#[cfg(feature = "test-util")]
pub(crate) mod mock;
#[allow(dead_code)]
pub(crate) mod rfc2822;
pub(crate) mod setters;
#[allow(dead_code)]
pub(crate) mod validate;

pub use base64_bytes::Base64;
pub use builder::{CONNECT_TIMEOUT, ClientBuilder, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUT};
pub use client::{Client, Download, Pending};
pub use credentials::Credentials;
pub use decode::{Binary, Decode, Raw, Response, decode_body};
pub use error::{ApiError, Error};
pub use hooks::Attempt;
pub use number::{InvalidNumber, Number};
#[allow(unused_imports)] // Unused when no API feature is on.
pub(crate) use fields::model;
#[allow(unused_imports)]
pub(crate) use one_of::one_of;
#[allow(unused_imports)]
pub(crate) use open_enum::{by_key, open_enum, open_int_enum};
#[allow(unused_imports)]
pub(crate) use setters::setters;
pub use operation::{AsForm, NextPage, Operation, Page};
pub use paging::{DEFAULT_PAGE_SIZE, ItemStream, MAX_PAGE_SIZE, PageStream};
pub use retry::RetryPolicy;
pub use param::ParamValue;
pub use request::{AuthScheme, KeyIn, Request, ServerVariable};
pub use validate::{Path, Validate};
/// The commonest check (every SID), also here so that its calls fit on one line.
#[allow(unused_imports)]
pub(crate) use validate::pattern;
pub use reqwest::Method;

/// What `Debug` output shows in place of secrets and personal data.
pub const REDACTED: &str = "<redacted>";
