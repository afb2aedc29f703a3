//! Next pages: a page's link (or the query parameter it changes) turned into
//! the request for the page after it, on the host of the first request.

use url::Url;

use super::client::{Payload, Prepared};
use super::{Client, Error, NextPage};

impl Prepared {
    /// Sets the query parameter `name`, unless the request already has it.
    pub(crate) fn default_query(&mut self, name: &str, value: &str) {
        if !self.url.query_pairs().any(|(key, _)| key == name) {
            self.url.query_pairs_mut().append_pair(name, value);
        }
    }

    /// Sets the query parameter `name` to `value`, replacing any value it had.
    pub(crate) fn set_query(&mut self, name: &str, value: &str) {
        let kept: Vec<(String, String)> =
            self.url.query_pairs().filter(|(key, _)| key != name).map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
        self.url.query_pairs_mut().clear().extend_pairs(kept).append_pair(name, value);
    }
}

/// The path and query of a link, absolute or not, starting with `/`.
pub(super) fn path_and_query(link: &str) -> String {
    let path_and_query = match Url::parse(link) {
        Ok(absolute) => match absolute.query() {
            Some(query) => format!("{}?{query}", absolute.path()),
            None => absolute.path().to_owned(),
        },
        Err(_) => link.to_owned(),
    };
    if path_and_query.starts_with('/') { path_and_query } else { format!("/{path_and_query}") }
}

impl Client {
    /// The request for the page after the one `previous` fetched.
    pub(crate) fn follow(&self, previous: &Prepared, next: NextPage<'_>) -> Result<Prepared, Error> {
        let link = match next {
            NextPage::Url(link) => link,
            NextPage::Query { name, value } => {
                let mut next = previous.clone();
                next.set_query(name, value);
                return Ok(next);
            }
            NextPage::Increment { name } => {
                let current = previous.url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.parse::<u64>());
                let page = match current {
                    None => 1,
                    Some(Ok(page)) => page,
                    Some(Err(_)) => {
                        return Err(Error::InvalidArgument { name: name.to_owned(), reason: "is not a page number".to_owned() });
                    }
                };
                let mut next = previous.clone();
                next.set_query(name, &page.saturating_add(1).to_string());
                return Ok(next);
            }
        };
        // Only the path and query of the link are used, on the host of the
        // first request: a base URL override (a proxy, a test server) keeps
        // applying, and credentials stay with the host they were meant for.
        let url = self.url(previous.server, previous.server_variables, &path_and_query(link))?;
        let mut next = previous.clone();
        next.method = reqwest::Method::GET;
        next.url = url;
        next.body = Payload::Empty;
        Ok(next)
    }
}
