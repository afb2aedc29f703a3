//! One stream abstraction over every list shape: the generated `Page` impl
//! says where the items and the next link are; this walks the pages.

use std::pin::Pin;

use futures::stream::{self, Stream, StreamExt, TryStreamExt};

use super::client::Prepared;
use super::{Client, Error, Page};

/// The items of a list, across pages, in order. Stops after the last page or
/// at the first error (which it yields).
pub type ItemStream<'a, T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>;

pub(crate) fn items<'a, P>(client: &'a Client, first: Result<Prepared, Error>) -> ItemStream<'a, P::Item>
where
    P: Page + serde::de::DeserializeOwned + Send + 'a,
    P::Item: Send + 'a,
{
    let pages = stream::try_unfold(Some(first), move |next| async move {
        let Some(request) = next else { return Ok(None) };
        let request = request?;
        let page: P = client.send(&request).await?;
        let next = page.next_page().filter(|next| !next.is_empty()).map(|next| client.follow(&request, next));
        Ok(Some((page.into_items(), next)))
    });
    pages.map_ok(|items| stream::iter(items.into_iter().map(Ok))).try_flatten().boxed()
}
