//! CSRF protection: a synchronizer token per session, derived with HMAC-SHA256 from the
//! session's secret token and the server key. A page can embed it; another site can neither
//! read it nor compute it, even if it managed to plant a cookie. Before sign-in, the "session"
//! is a random nonce in a short-lived cookie, so the login form is protected too.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::core::token::hex;
use crate::runtime::secret_key::SecretKey;

type HmacSha256 = Hmac<Sha256>;

fn mac(key: &SecretKey, purpose: &str, session_secret: &str) -> HmacSha256 {
    // `new_from_slice` accepts keys of any length for HMAC; it cannot fail.
    let mut mac = HmacSha256::new_from_slice(key.bytes())
        .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(session_secret.as_bytes());
    mac
}

/// The token to embed in forms for this session.
pub fn token(key: &SecretKey, purpose: &str, session_secret: &str) -> String {
    hex(&mac(key, purpose, session_secret).finalize().into_bytes())
}

/// Constant-time check of a submitted token.
pub fn verify(key: &SecretKey, purpose: &str, session_secret: &str, submitted: &str) -> bool {
    let Some(bytes) = unhex(submitted) else {
        return false;
    };
    mac(key, purpose, session_secret)
        .verify_slice(&bytes)
        .is_ok()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 128 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_verify_only_for_their_session_and_purpose() {
        let key = SecretKey::random();
        let t = token(&key, "session", "abc");
        assert!(verify(&key, "session", "abc", &t));
        assert!(!verify(&key, "session", "abd", &t));
        assert!(!verify(&key, "login", "abc", &t));
        assert!(!verify(&SecretKey::random(), "session", "abc", &t));
        assert!(!verify(&key, "session", "abc", ""));
        assert!(!verify(&key, "session", "abc", "zz"));
        assert!(!verify(&key, "session", "abc", &t[..10]));
    }
}
