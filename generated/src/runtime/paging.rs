//! One stream abstraction over every list shape: the generated `Page` impl
//! says where the items and the next page are; this walks the pages.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{BoxStream, Stream, StreamExt};

use super::client::{Exchange, Prepared};
use super::decode::{Decode, decode};
use super::{Client, Error, NextPage, Page};

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

/// Every item of a list from its first request (and the query parameter of
/// its page numbers, if it pages by number): [`pages`] for the operation's
/// page type.
type Start<'a, T> = fn(&'a Client, Result<Prepared, Error>, Option<&'static str>) -> BoxStream<'a, Result<T, Error>>;

struct Pending<'a, T> {
    client: &'a Client,
    first: Result<Prepared, Error>,
    page_size_param: Option<&'static str>,
    page_number_param: Option<&'static str>,
    limit: Option<usize>,
    start: Start<'a, T>,
}

impl<'a, T: Send + 'a> ItemStream<'a, T> {
    pub(crate) fn new<P>(client: &'a Client, first: Result<Prepared, Error>, page_size_param: Option<&'static str>) -> Self
    where
        P: Page<Item = T> + Decode + Send + 'a,
    {
        let start = pages::<P>;
        let pending = Pending { client, first, page_size_param, page_number_param: None, limit: None, start };
        ItemStream { pending: Some(pending), running: None }
    }

    /// Walks the pages by number: the query parameter `param` one higher
    /// each time (from 1 when the first request does not set it), until a
    /// page comes back empty. Generated code sets this for lists that page
    /// so (named in the spec's settings).
    pub fn numbered(mut self, param: &'static str) -> Self {
        if let Some(pending) = &mut self.pending {
            pending.page_number_param = Some(param);
        }
        self
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
        let Pending { client, mut first, page_size_param, page_number_param, limit, start } = self;
        if let (Ok(first), Some(param)) = (&mut first, page_size_param) {
            let size = match limit {
                Some(limit) => limit.clamp(1, MAX_PAGE_SIZE as usize) as u32,
                None => DEFAULT_PAGE_SIZE,
            };
            first.default_query(param, &size.to_string());
        }
        let items = start(client, first, page_number_param);
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

fn pages<'a, P>(client: &'a Client, first: Result<Prepared, Error>, numbered: Option<&'static str>) -> BoxStream<'a, Result<P::Item, Error>>
where
    P: Page + Decode + Send + 'a,
    P::Item: Send + 'a,
{
    Items::<P> { walk: Walk::new(client, first, numbered), items: Vec::new().into_iter() }.boxed()
}

/// The walk from page to page that item and page streams share: the
/// request to send next, the one on the wire. A plain state machine around
/// the one boxed [`Exchange`] rather than a chain of stream combinators,
/// which the compiler would check anew for every page type.
struct Walk<'a> {
    client: &'a Client,
    /// The request to send next, or why it could not be built.
    queued: Option<Result<Prepared, Error>>,
    /// The request on the wire (next links are resolved against it) and
    /// its exchange.
    sent: Option<(Prepared, Exchange<'static>)>,
    /// The query parameter of the page number, for lists paged by number.
    numbered: Option<&'static str>,
    /// The queued request is the last one's page number plus one.
    incremented: bool,
}

impl<'a> Walk<'a> {
    fn new(client: &'a Client, first: Result<Prepared, Error>, numbered: Option<&'static str>) -> Self {
        Walk { client, queued: Some(first), sent: None, numbered, incremented: false }
    }

    /// The next page, with the request for the one after it queued; `None`
    /// after the last. (Numbered pages go on until one comes back empty:
    /// the caller, who takes the items out, ends the walk there.)
    fn poll_page<P: Page + Decode>(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<P, Error>>> {
        loop {
            if let Some((_, exchange)) = &mut self.sent {
                let raw = std::task::ready!(exchange.as_mut().poll(cx));
                let sent = self.sent.take();
                let mut link = None;
                let decoded = raw.and_then(|(status, headers, body)| {
                    link = next_link(&headers);
                    decode::<P>(status, headers, &body)
                });
                let page = match decoded {
                    Ok(response) => response.body,
                    Err(error) => return Poll::Ready(Some(Err(error))),
                };
                // The body's own link first; else the `Link` header's.
                let next = page
                    .next_page()
                    .or(link.as_deref().map(NextPage::Url))
                    .or(self.numbered.map(|name| NextPage::Increment { name }))
                    .filter(|next| !next.is_empty());
                self.incremented = matches!(next, Some(NextPage::Increment { .. }));
                self.queued = match (sent, next) {
                    (Some((request, _)), Some(next)) => Some(self.client.follow(&request, next)),
                    _ => None,
                };
                return Poll::Ready(Some(Ok(page)));
            }
            match self.queued.take() {
                Some(Ok(request)) => {
                    let exchange = self.client.transmit(request.clone());
                    self.sent = Some((request, exchange));
                }
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

/// Every item of every page, in order: a page is fetched only when the
/// items of the one before it have all been read.
struct Items<'a, P: Page> {
    walk: Walk<'a>,
    items: std::vec::IntoIter<P::Item>,
}

// Nothing in `Items` is pinned: the exchange is boxed.
impl<P: Page> Unpin for Items<'_, P> {}

impl<P: Page + Decode> Stream for Items<'_, P> {
    type Item = Result<P::Item, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.items.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match std::task::ready!(this.walk.poll_page::<P>(cx)) {
                Some(Ok(page)) => {
                    let items = page.into_items();
                    // Numbered pages go on until one comes back empty.
                    if this.walk.incremented && items.is_empty() {
                        this.walk.queued = None;
                    }
                    this.items = items.into_iter();
                }
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            }
        }
    }
}

/// The pages of a list, whole, in order ([`Client::pages`]): each is
/// fetched when the stream is read, after the one before it. It ends after
/// the last page or with the first error (which it yields).
pub struct PageStream<'a, P> {
    walk: Walk<'a>,
    page: std::marker::PhantomData<fn() -> P>,
}

impl<'a, P> PageStream<'a, P> {
    pub(crate) fn new(client: &'a Client, first: Result<Prepared, Error>) -> Self {
        PageStream { walk: Walk::new(client, first, None), page: std::marker::PhantomData }
    }
}

impl<P> Unpin for PageStream<'_, P> {}

impl<P: Page + Decode> Stream for PageStream<'_, P> {
    type Item = Result<P, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().walk.poll_page::<P>(cx)
    }
}

impl<P> std::fmt::Debug for PageStream<'_, P> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PageStream").field("sending", &self.walk.sent.is_some()).field("done", &self.walk.queued.is_none()).finish()
    }
}

/// The `rel="next"` target of a `Link` header (RFC 8288):
/// `<https://api.example.com/items?page=2>; rel="next", <...>; rel="last"`.
/// A link may carry several relation types (`rel="next last"`).
pub(crate) fn next_link(headers: &reqwest::header::HeaderMap) -> Option<String> {
    for value in headers.get_all(reqwest::header::LINK) {
        let Ok(value) = value.to_str() else { continue };
        for link in split_links(value) {
            let Some((target, params)) = link.trim().strip_prefix('<').and_then(|l| l.split_once('>')) else { continue };
            let is_next = params.split(';').filter_map(|p| p.split_once('=')).any(|(name, value)| {
                name.trim().eq_ignore_ascii_case("rel")
                    && value.trim().trim_matches('"').split_ascii_whitespace().any(|rel| rel.eq_ignore_ascii_case("next"))
            });
            if is_next {
                return Some(target.trim().to_owned());
            }
        }
    }
    None
}

/// The links of one `Link` header value: split at commas outside `<...>`
/// and quoted strings.
fn split_links(value: &str) -> Vec<&str> {
    let (mut links, mut start, mut in_target, mut in_quotes) = (Vec::new(), 0, false, false);
    for (i, c) in value.char_indices() {
        match c {
            '<' if !in_quotes => in_target = true,
            '>' if !in_quotes => in_target = false,
            '"' if !in_target => in_quotes = !in_quotes,
            ',' if !in_target && !in_quotes => {
                links.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    links.push(&value[start..]);
    links
}

/// A response that is the array of items itself (its next page is in the
/// `Link` header).
impl<T> Page for Vec<T> {
    type Item = T;

    fn into_items(self) -> Vec<T> {
        self
    }

    fn next_page(&self) -> Option<NextPage<'_>> {
        None
    }
}

/// A list operation that may answer without a body (`204 No Content` for
/// an empty list): no body is no items.
impl<P: Page> Page for Option<P> {
    type Item = P::Item;

    fn into_items(self) -> Vec<P::Item> {
        self.map(Page::into_items).unwrap_or_default()
    }

    fn next_page(&self) -> Option<NextPage<'_>> {
        self.as_ref().and_then(Page::next_page)
    }
}

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderMap, HeaderValue, LINK};

    use super::next_link;

    fn link(values: &[&str]) -> Option<String> {
        let mut headers = HeaderMap::new();
        for value in values {
            headers.append(LINK, HeaderValue::from_str(value).unwrap());
        }
        next_link(&headers)
    }

    #[test]
    fn the_next_link_is_found_among_others() {
        let github = r#"<https://api.github.com/repositories/1/issues?page=2>; rel="next", <https://api.github.com/repositories/1/issues?page=5>; rel="last""#;
        assert_eq!(link(&[github]).as_deref(), Some("https://api.github.com/repositories/1/issues?page=2"));
        let first_last = r#"<https://x.test/a?page=1>; rel="prev", <https://x.test/a?b=1,2&page=3>; rel="next""#;
        assert_eq!(link(&[first_last]).as_deref(), Some("https://x.test/a?b=1,2&page=3"));
        assert_eq!(link(&[r#"</items?page=2>; title="a, b"; rel="next last""#]).as_deref(), Some("/items?page=2"));
        assert_eq!(link(&["</a>; rel=prev", "</b>; REL=Next"]).as_deref(), Some("/b"));
    }

    #[test]
    fn no_next_link_is_none() {
        assert_eq!(link(&[]), None);
        assert_eq!(link(&[r#"<https://x.test/a?page=1>; rel="prev""#]), None);
        assert_eq!(link(&["garbage"]), None);
        assert_eq!(link(&[r#"<https://x.test/nextpage>; rel="nextpage""#]), None);
    }
}
