//! Passwords: argon2id with the argon2 crate's defaults, which are OWASP's recommended
//! parameters (19 MiB, 2 iterations, 1 lane). Hashing is slow on purpose: call these off the
//! async executor.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::RngCore;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;
const GENERATED_LENGTH: usize = 20;
/// No look-alike characters (0/O, 1/l/I), so a printed password can be typed.
const GENERATED_ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A random password that meets the rules (the first admin's, printed once).
pub fn generate() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..GENERATED_LENGTH)
        .map(|_| GENERATED_ALPHABET[rng.random_range(0..GENERATED_ALPHABET.len())] as char)
        .collect()
}

/// Why a new password was refused, in words for the person choosing it.
#[derive(Debug, PartialEq, Eq)]
pub struct WeakPassword(pub String);

impl std::fmt::Display for WeakPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks the rules a new password must meet (length in characters, not bytes).
pub fn check_new(password: &str) -> Result<(), WeakPassword> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(WeakPassword(format!(
            "the password is too short: at least {MIN_LENGTH} characters are needed"
        )));
    }
    if length > MAX_LENGTH {
        return Err(WeakPassword(format!(
            "the password is too long: at most {MAX_LENGTH} characters are allowed"
        )));
    }
    Ok(())
}

pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt)?;
    Ok(Argon2::default()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// A hash of a password nobody knows, verified against when the user does not exist, so
/// that a wrong username costs the same time as a wrong password.
static DECOY_HASH: LazyLock<String> =
    LazyLock::new(|| hash(&super::token::random_hex(16)).unwrap_or_default());

/// True when `password` matches `stored` (a PHC string). With no stored hash, does the same
/// work against a decoy and answers false.
pub fn verify(password: &str, stored: Option<&str>) -> bool {
    let decoy = DECOY_HASH.as_str();
    let phc = stored.unwrap_or(decoy);
    let matches = PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false);
    matches && stored.is_some()
}

/// Prepares the decoy ahead of the first login (it takes as long as one hash).
pub fn warm_up() {
    LazyLock::force(&DECOY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let hashed = hash("كلمة مرور طويلة بما يكفي").unwrap();
        assert!(
            hashed.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hashed}"
        );
        assert!(verify("كلمة مرور طويلة بما يكفي", Some(&hashed)));
        assert!(!verify("كلمة مرور أخرى طويلة", Some(&hashed)));
        assert!(!verify("anything", None));
        assert!(!verify("anything", Some("not a hash")));
    }

    #[test]
    fn generated_passwords_are_long_enough() {
        let password = generate();
        assert_eq!(password.len(), GENERATED_LENGTH);
        assert!(check_new(&password).is_ok());
        assert_ne!(password, generate());
    }

    #[test]
    fn new_passwords_have_a_length_range() {
        assert!(check_new("short").is_err());
        assert!(check_new(&"x".repeat(11)).is_err());
        assert!(check_new(&"x".repeat(12)).is_ok());
        assert!(check_new(&"ب".repeat(12)).is_ok(), "characters, not bytes");
        assert!(check_new(&"x".repeat(128)).is_ok());
        assert!(check_new(&"x".repeat(129)).is_err());
    }
}
