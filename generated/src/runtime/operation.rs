//! The contract between generated request structs and the client.

use serde::de::DeserializeOwned;

use super::{Error, Request};

/// An API operation: a generated request struct that knows how to become an
/// HTTP request and what a successful response decodes to.
pub trait Operation {
    /// The decoded body of a 2xx response (`()` when the API sends none).
    type Output: DeserializeOwned;

    /// Validates the arguments and builds the request. Nothing is sent if
    /// this fails.
    fn request(&self) -> Result<Request, Error>;
}

/// One page of a list, as returned by a list operation.
pub trait Page {
    type Item;

    /// The items on this page.
    fn into_items(self) -> Vec<Self::Item>;

    /// Where the next page is (absolute, or relative to the API host); `None`
    /// or empty on the last page.
    fn next_page_url(&self) -> Option<&str>;
}
