//! Who is asking: the address the sign-in throttle, the audit log and the request log
//! name. The peer of the connection, unless it is a proxy the operator trusts
//! (`--trusted-proxy`): then the `X-Forwarded-For` (or `Forwarded`) header it adds is
//! read from the right, and the first hop that is not itself a trusted proxy is the
//! client. Anyone else's forwarding headers are ignored: a client can't choose its address.

use std::net::IpAddr;

use actix_web::HttpRequest;
use actix_web::http::header::HeaderMap;
use ipnet::IpNet;

use crate::runtime::AppState;

/// The client's address for `req`.
pub fn client_address(req: &HttpRequest) -> String {
    let Some(peer) = req.peer_addr().map(|addr| addr.ip()) else {
        return String::new();
    };
    let trusted = req
        .app_data::<actix_web::web::Data<AppState>>()
        .map_or(&[][..], |state| state.trusted_proxies.as_slice());
    client_behind(peer, req.headers(), trusted).to_string()
}

/// The client behind `peer`: `peer` itself unless it is in `trusted`.
pub fn client_behind(peer: IpAddr, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops = forwarded_hops(headers);
    // From the right: the nearest hop a trusted proxy saw. Unparseable: stop believing.
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) if is_trusted(ip) => continue,
            Some(ip) => return *ip,
            None => return peer,
        }
    }
    // Every hop is a trusted proxy: the farthest one is the best we know.
    hops.first().copied().flatten().unwrap_or(peer)
}

/// The hops of `X-Forwarded-For` (every such header, in order), or else of `Forwarded`'s
/// `for=` parameters; `None` for a hop that is not an address ("unknown", garbage).
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let joined = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(|hop| hop.trim().to_owned())
            .filter(|hop| !hop.is_empty())
            .collect()
    };
    let x_forwarded_for = joined("x-forwarded-for");
    if !x_forwarded_for.is_empty() {
        return x_forwarded_for.iter().map(|hop| parse_hop(hop)).collect();
    }
    joined("forwarded")
        .iter()
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (key, value) = pair.split_once('=')?;
                key.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_hop(value.trim()))
            })
        })
        .collect()
}

/// `203.0.113.7`, `"[2001:db8::1]:4711"`, `203.0.113.7:5555`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim_matches('"');
    if let Ok(ip) = hop.parse() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split(']').next()?.parse().ok();
    }
    let (host, _port) = hop.rsplit_once(':')?;
    host.parse().ok()
}

/// An operator's `--trusted-proxy`: an address or a network (`10.0.0.0/8`).
pub fn parse_trusted_proxy(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| format!("`{text}` is not an address or a network such as 10.0.0.0/8"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(
                HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let forged = headers(&[("x-forwarded-for", "1.2.3.4")]);
        let trusted = [parse_trusted_proxy("127.0.0.1").unwrap()];
        assert_eq!(
            client_behind(ip("9.9.9.9"), &forged, &trusted),
            ip("9.9.9.9")
        );
        assert_eq!(
            client_behind(ip("127.0.0.1"), &forged, &[]),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_rightmost_untrusted_hop_is_the_client() {
        let trusted = [
            parse_trusted_proxy("127.0.0.1").unwrap(),
            parse_trusted_proxy("10.0.0.0/8").unwrap(),
        ];
        // The client put a forged hop first; nginx appended the real peer it saw.
        let chain = headers(&[("x-forwarded-for", "6.6.6.6, 203.0.113.7, 10.1.2.3")]);
        assert_eq!(
            client_behind(ip("127.0.0.1"), &chain, &trusted),
            ip("203.0.113.7")
        );
        // Several headers count as one list.
        let split = headers(&[
            ("x-forwarded-for", "6.6.6.6"),
            ("x-forwarded-for", "203.0.113.7"),
        ]);
        assert_eq!(
            client_behind(ip("127.0.0.1"), &split, &trusted),
            ip("203.0.113.7")
        );
        // Only trusted hops: the farthest.
        let inside = headers(&[("x-forwarded-for", "10.9.9.9, 10.1.1.1")]);
        assert_eq!(
            client_behind(ip("127.0.0.1"), &inside, &trusted),
            ip("10.9.9.9")
        );
        // No header: the proxy itself.
        assert_eq!(
            client_behind(ip("127.0.0.1"), &HeaderMap::new(), &trusted),
            ip("127.0.0.1")
        );
        // Garbage where the client should be: not believed.
        let garbage = headers(&[("x-forwarded-for", "203.0.113.7, not-an-ip")]);
        assert_eq!(
            client_behind(ip("127.0.0.1"), &garbage, &trusted),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn the_standard_forwarded_header_is_read_too() {
        let trusted = [parse_trusted_proxy("127.0.0.1").unwrap()];
        let forwarded = headers(&[(
            "forwarded",
            r#"for=6.6.6.6, for="[2001:db8::7]:4711";proto=https"#,
        )]);
        assert_eq!(
            client_behind(ip("127.0.0.1"), &forwarded, &trusted),
            ip("2001:db8::7")
        );
        assert_eq!(parse_hop("203.0.113.7:5555"), Some(ip("203.0.113.7")));
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        assert!(
            parse_trusted_proxy("10.0.0.0/8")
                .unwrap()
                .contains(&ip("10.2.3.4"))
        );
        assert!(parse_trusted_proxy("::1").unwrap().contains(&ip("::1")));
        assert!(parse_trusted_proxy("localhost").is_err());
    }
}
