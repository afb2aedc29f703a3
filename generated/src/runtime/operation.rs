//! The contract between generated request structs and the client.

use super::{Decode, Error, Request};

/// An API operation: a generated request struct that knows how to become an
/// HTTP request and what a successful response decodes to.
pub trait Operation {
    /// The decoded body of a 2xx response (`()` when the API sends none).
    type Output: Decode;

    /// Validates the arguments and builds the request. Nothing is sent if
    /// this fails.
    fn request(&self) -> Result<Request<'_>, Error>;

    /// The operation's name for hooks and test doubles: its type's path
    /// (`std::any::type_name`).
    fn name(&self) -> &'static str {
        std::any::type_name::<Self>()
    }

    /// This operation with its body sent as a URL-encoded form rather than
    /// JSON, where the spec offers both:
    /// `client.start(&AdoptPet::new(pet).as_form())`. Sending fails, before
    /// anything goes out, where the spec offers no form.
    fn as_form(&self) -> AsForm<'_, Self>
    where
        Self: Sized,
    {
        AsForm(self)
    }
}

/// An operation whose JSON body goes as a URL-encoded form (see
/// [`Operation::as_form`]).
#[derive(Debug, Clone, Copy)]
pub struct AsForm<'o, O>(pub &'o O);

impl<O: Operation> Operation for AsForm<'_, O> {
    type Output = O::Output;

    fn request(&self) -> Result<Request<'_>, Error> {
        let mut request = self.0.request()?;
        request.json_as_form()?;
        Ok(request)
    }

    fn name(&self) -> &'static str {
        self.0.name()
    }
}

/// One page of a list, as returned by a list operation.
pub trait Page {
    type Item;

    /// The items on this page.
    fn into_items(self) -> Vec<Self::Item>;

    /// Where the next page is; `None` (or an empty value) on the last page.
    fn next_page(&self) -> Option<NextPage<'_>>;
}

/// How a page points to the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextPage<'a> {
    /// A URL, absolute or relative to the API host.
    Url(&'a str),
    /// The same request again, with this query parameter set to `value`.
    Query { name: &'static str, value: &'a str },
    /// The same request again with this query parameter (a page number,
    /// 1 when the first request did not set it) one higher; the list ends
    /// at a page without items. See [`ItemStream::numbered`](super::ItemStream::numbered).
    Increment { name: &'static str },
}

impl NextPage<'_> {
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            NextPage::Url(value) | NextPage::Query { value, .. } => value.is_empty(),
            NextPage::Increment { .. } => false,
        }
    }
}
