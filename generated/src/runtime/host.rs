//! Twilio's regional hosts: `<product>[.<edge>][.<region>].twilio.com`.

/// The region an edge implies when no region is given.
const DEFAULT_REGION: &str = "us1";

/// Rewrites the host of `server` (`https://proxy.twilio.com`) for a region
/// and an edge, as the official SDKs do:
///
/// - edge `sydney`, region `au1` → `https://proxy.sydney.au1.twilio.com`;
/// - edge alone → region `us1`; region alone → `https://proxy.au1.twilio.com`;
/// - an edge or region already in the host is kept unless replaced.
///
/// Servers outside `twilio.com`, and calls with neither, are unchanged.
pub(crate) fn regional(server: &str, region: Option<&str>, edge: Option<&str>) -> String {
    if region.is_none() && edge.is_none() {
        return server.to_owned();
    }
    let Some((scheme, rest)) = server.split_once("://") else { return server.to_owned() };
    let (host, tail) = match rest.find(['/', ':']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    let Some(prefix) = host.strip_suffix(".twilio.com") else { return server.to_owned() };
    let parts: Vec<&str> = prefix.split('.').collect();
    let (product, old_edge, old_region) = match parts.as_slice() {
        [product] => (*product, None, None),
        [product, region] => (*product, None, Some(*region)),
        [product, edge, region] => (*product, Some(*edge), Some(*region)),
        _ => return server.to_owned(),
    };
    let edge = edge.or(old_edge);
    let region = region.or(old_region).or(edge.map(|_| DEFAULT_REGION));
    let mut host = product.to_owned();
    for part in [edge, region].into_iter().flatten() {
        host.push('.');
        host.push_str(part);
    }
    format!("{scheme}://{host}.twilio.com{tail}")
}

#[cfg(test)]
mod tests {
    use super::regional;

    #[test]
    fn region_and_edge_rewrite_twilio_hosts() {
        let proxy = "https://proxy.twilio.com";
        assert_eq!(regional(proxy, Some("au1"), Some("sydney")), "https://proxy.sydney.au1.twilio.com");
        assert_eq!(regional(proxy, None, Some("sydney")), "https://proxy.sydney.us1.twilio.com");
        assert_eq!(regional(proxy, Some("ie1"), None), "https://proxy.ie1.twilio.com");
        assert_eq!(regional(proxy, None, None), proxy);
        assert_eq!(regional("https://api.dublin.ie1.twilio.com", Some("au1"), None), "https://api.dublin.au1.twilio.com");
        assert_eq!(regional("https://api.ie1.twilio.com", None, Some("dublin")), "https://api.dublin.ie1.twilio.com");
        assert_eq!(regional("https://flex-api.twilio.com/", None, Some("tokyo")), "https://flex-api.tokyo.us1.twilio.com/");
        assert_eq!(regional("https://example.com", Some("au1"), Some("sydney")), "https://example.com");
    }
}
