//! Signing in and staying safe: password hashing, the server's secret key, CSRF tokens,
//! login throttling, and the session extractor every admin handler takes.

pub mod csrf;
pub mod password;
pub mod secret;
pub mod session;
pub mod throttle;

use rand::RngCore;

/// `n` random bytes from the operating system's generator, as lowercase hex.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut out, b| {
            let _ = write!(out, "{b:02x}");
            out
        })
}
