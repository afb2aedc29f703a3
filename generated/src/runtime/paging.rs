//! One stream abstraction over every list shape: the generated `Page` impl
//! says where the items and the next page are; this walks the pages.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};

use super::client::Prepared;
use super::{Client, Error, Page};

/// The page size asked for when neither a limit nor a page size is given,
/// as the official SDKs do.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// The largest page Twilio serves.
pub const MAX_PAGE_SIZE: u32 = 1000;

/// The items of a list, across pages, in order. Pages are fetched only as
/// the stream is read; it ends after the last page, after
/// [`limit`](ItemStream::limit) items, or with the first error (which it
/// yields).
pub struct ItemStream<'a, T> {
    /// Until first polled: the limit and page size can still change.
    pending: Option<Pending<'a, T>>,
    running: Option<BoxStream<'a, Result<T, Error>>>,
}

/// Turns the first request into the stream of all items.
type Start<'a, T> = Box<dyn FnOnce(Result<Prepared, Error>) -> BoxStream<'a, Result<T, Error>> + Send + 'a>;

struct Pending<'a, T> {
    first: Result<Prepared, Error>,
    page_size_param: Option<&'static str>,
    limit: Option<usize>,
    start: Start<'a, T>,
}

impl<'a, T: Send + 'a> ItemStream<'a, T> {
    pub(crate) fn new<P>(client: &'a Client, first: Result<Prepared, Error>, page_size_param: Option<&'static str>) -> Self
    where
        P: Page<Item = T> + serde::de::DeserializeOwned + Send + 'a,
    {
        let start = Box::new(move |first| pages::<P>(client, first));
        ItemStream { pending: Some(Pending { first, page_size_param, limit: None, start }), running: None }
    }

    /// Yields at most `limit` items and fetches no page beyond the one that
    /// holds the last of them. Unless a page size was set, pages are
    /// `min(limit, 1000)` items long.
    pub fn limit(mut self, limit: usize) -> Self {
        if let Some(pending) = &mut self.pending {
            pending.limit = Some(limit);
        }
        self
    }

    /// Asks for pages of `size` items (1 to 1000 for Twilio), like setting
    /// the operation's page size.
    pub fn page_size(mut self, size: u32) -> Self {
        if let Some(Pending { first: Ok(first), page_size_param: Some(param), .. }) = &mut self.pending {
            first.set_query(param, &size.to_string());
        }
        self
    }
}

impl<'a, T: Send + 'a> Pending<'a, T> {
    fn start(self) -> BoxStream<'a, Result<T, Error>> {
        let Pending { mut first, page_size_param, limit, start } = self;
        if let (Ok(first), Some(param)) = (&mut first, page_size_param) {
            let size = match limit {
                Some(limit) => limit.clamp(1, MAX_PAGE_SIZE as usize) as u32,
                None => DEFAULT_PAGE_SIZE,
            };
            first.default_query(param, &size.to_string());
        }
        let items = start(first);
        match limit {
            Some(limit) => items.take(limit).boxed(),
            None => items,
        }
    }
}

impl<'a, T: Send + 'a> Stream for ItemStream<'a, T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if let Some(pending) = self.pending.take() {
            self.running = Some(pending.start());
        }
        match &mut self.running {
            Some(items) => items.poll_next_unpin(cx),
            None => Poll::Ready(None),
        }
    }
}

impl<T> std::fmt::Debug for ItemStream<'_, T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let limit = self.pending.as_ref().map(|p| p.limit);
        f.debug_struct("ItemStream").field("started", &self.running.is_some()).field("limit", &limit).finish()
    }
}

/// Every item of every page, fetching the next page only when the items of
/// the current one have been read.
fn pages<'a, P>(client: &'a Client, first: Result<Prepared, Error>) -> BoxStream<'a, Result<P::Item, Error>>
where
    P: Page + serde::de::DeserializeOwned + Send + 'a,
    P::Item: Send + 'a,
{
    let pages = stream::try_unfold(Some(first), move |next| async move {
        let Some(request) = next else { return Ok(None) };
        let request = request?;
        let page: P = client.send(&request).await?.body;
        let next = page.next_page().filter(|next| !next.is_empty()).map(|next| client.follow(&request, next));
        Ok(Some((page.into_items(), next)))
    });
    pages.map_ok(|items| stream::iter(items.into_iter().map(Ok))).try_flatten().boxed()
}
