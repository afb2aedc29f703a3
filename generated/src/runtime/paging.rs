//! One stream abstraction over every list shape: the generated `Page` impl
//! says where the items and the next page are; this walks the pages.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{BoxStream, Stream, StreamExt};

use super::client::{Exchange, Prepared};
use super::decode::{Decode, decode};
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

/// Every item of a list from its first request: [`pages`] for the
/// operation's page type.
type Start<'a, T> = fn(&'a Client, Result<Prepared, Error>) -> BoxStream<'a, Result<T, Error>>;

struct Pending<'a, T> {
    client: &'a Client,
    first: Result<Prepared, Error>,
    page_size_param: Option<&'static str>,
    limit: Option<usize>,
    start: Start<'a, T>,
}

impl<'a, T: Send + 'a> ItemStream<'a, T> {
    pub(crate) fn new<P>(client: &'a Client, first: Result<Prepared, Error>, page_size_param: Option<&'static str>) -> Self
    where
        P: Page<Item = T> + Decode + Send + 'a,
    {
        let start = pages::<P>;
        ItemStream { pending: Some(Pending { client, first, page_size_param, limit: None, start }), running: None }
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
        let Pending { client, mut first, page_size_param, limit, start } = self;
        if let (Ok(first), Some(param)) = (&mut first, page_size_param) {
            let size = match limit {
                Some(limit) => limit.clamp(1, MAX_PAGE_SIZE as usize) as u32,
                None => DEFAULT_PAGE_SIZE,
            };
            first.default_query(param, &size.to_string());
        }
        let items = start(client, first);
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

fn pages<'a, P>(client: &'a Client, first: Result<Prepared, Error>) -> BoxStream<'a, Result<P::Item, Error>>
where
    P: Page + Decode + Send + 'a,
    P::Item: Send + 'a,
{
    Pages::<P> { client, items: Vec::new().into_iter(), queued: Some(first), sent: None }.boxed()
}

/// Every item of every page, in order: a page is fetched only when the
/// items of the one before it have all been read. A plain state machine
/// around the one boxed [`Exchange`] rather than a chain of stream
/// combinators, which the compiler would check anew for every page type.
struct Pages<'a, P: Page> {
    client: &'a Client,
    items: std::vec::IntoIter<P::Item>,
    /// The request to send next, or why it could not be built.
    queued: Option<Result<Prepared, Error>>,
    /// The request on the wire (next links are resolved against it) and
    /// its exchange.
    sent: Option<(Prepared, Exchange<'static>)>,
}

// Nothing in `Pages` is pinned: the exchange is boxed.
impl<P: Page> Unpin for Pages<'_, P> {}

impl<P: Page + Decode> Stream for Pages<'_, P> {
    type Item = Result<P::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            if let Some((_, exchange)) = &mut this.sent {
                let raw = std::task::ready!(exchange.as_mut().poll(cx));
                let sent = this.sent.take();
                let page = match raw.and_then(|(status, headers, body)| decode::<P>(status, headers, &body)) {
                    Ok(response) => response.body,
                    Err(error) => return Poll::Ready(Some(Err(error))),
                };
                this.queued = match (sent, page.next_page().filter(|next| !next.is_empty())) {
                    (Some((request, _)), Some(next)) => Some(this.client.follow(&request, next)),
                    _ => None,
                };
                this.items = page.into_items().into_iter();
                continue;
            }
            match this.queued.take() {
                Some(Ok(request)) => {
                    let exchange = this.client.transmit(request.clone());
                    this.sent = Some((request, exchange));
                }
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}
