//! Two-factor sign-in: time-based one-time codes (TOTP, RFC 6238: SHA-1, 6 digits, 30 s, the
//! parameters every authenticator app understands) and one-time recovery codes. What a
//! member types is parsed here, at the edge: Arabic-Indic digits, spaces and dashes are
//! what a phone keyboard or a printed sheet gives, and all mean the same code.

use rand::Rng;
use totp_rs::{Algorithm, Secret, TOTP};

/// Seconds per code.
pub const STEP_SECONDS: u64 = 30;
/// Codes of one step before and after the current one are accepted: a phone's clock a
/// little off, or a code typed as it changed.
const SKEW_STEPS: u8 = 1;
const DIGITS: usize = 6;
/// 160 bits, as RFC 4226 recommends.
const SECRET_BYTES: usize = 20;
pub const RECOVERY_CODE_COUNT: usize = 10;
/// Letters and digits that can't be mistaken for one another on paper (no 0/o, 1/l/i).
const RECOVERY_ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
const RECOVERY_HALF: usize = 5;

/// A member's authenticator key, base32 as apps show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpSecret(String);

impl TotpSecret {
    pub fn generate() -> Self {
        let mut bytes = [0u8; SECRET_BYTES];
        rand::rng().fill(&mut bytes[..]);
        match Secret::Raw(bytes.to_vec()).to_encoded() {
            Secret::Encoded(text) => TotpSecret(text),
            Secret::Raw(_) => unreachable!("to_encoded gives the encoded form"),
        }
    }

    /// A stored or submitted secret, if it is base32 of the length we make.
    pub fn parse(text: &str) -> Option<Self> {
        let bytes = Secret::Encoded(text.to_owned()).to_bytes().ok()?;
        (bytes.len() == SECRET_BYTES).then(|| TotpSecret(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// In groups of four, as a member types it into an app by hand.
    pub fn grouped(&self) -> String {
        self.0
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn totp(&self, issuer: Option<String>, account: String) -> Option<TOTP> {
        let bytes = Secret::Encoded(self.0.clone()).to_bytes().ok()?;
        TOTP::new(
            Algorithm::SHA1,
            DIGITS,
            SKEW_STEPS,
            STEP_SECONDS,
            bytes,
            issuer,
            account,
        )
        .ok()
    }

    /// The `otpauth://` address a QR code carries to the app: "<site>:<username>".
    pub fn enrolment_url(&self, site_name: &str, username: &str) -> String {
        // An issuer may not contain ':' (the label's separator).
        let issuer = site_name.replace(':', " ");
        self.totp(Some(issuer), username.to_owned())
            .map(|totp| totp.get_url())
            .unwrap_or_default()
    }

    /// The code an app shows at `unix_time`.
    pub fn code_at(&self, unix_time: u64) -> String {
        self.totp(None, String::new())
            .map(|totp| totp.generate(unix_time))
            .unwrap_or_default()
    }

    /// The time step `code` belongs to, if it is the code of the step of `now` or of one
    /// next to it, and later than `last_used`: a code is good for one sign-in only.
    pub fn accepted_step(&self, code: &TotpCode, now: i64, last_used: Option<i64>) -> Option<i64> {
        let now = u64::try_from(now).ok()?;
        let current = now / STEP_SECONDS;
        let skew = u64::from(SKEW_STEPS);
        (current.saturating_sub(skew)..=current + skew)
            .filter(|&step| {
                last_used.is_none_or(|last| i64::try_from(step).is_ok_and(|s| s > last))
            })
            .find(|&step| {
                constant_time_eq(
                    self.code_at(step * STEP_SECONDS).as_bytes(),
                    code.0.as_bytes(),
                )
            })
            .and_then(|step| i64::try_from(step).ok())
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// ASCII for Arabic-Indic and Eastern Arabic-Indic digits; spaces and dashes dropped.
fn typed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}'..='\u{2015}'))
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from(b'0' + (c as u32 - 0x0660) as u8),
            '\u{06F0}'..='\u{06F9}' => char::from(b'0' + (c as u32 - 0x06F0) as u8),
            other => other.to_ascii_lowercase(),
        })
        .collect()
}

/// Six digits from an authenticator app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TotpCode(String);

/// A one-time recovery code, as stored: ten letters and digits, lowercase.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryCode(String);

impl RecoveryCode {
    /// The form printed for the member: "abcde-fghjk".
    pub fn display(&self) -> String {
        let (a, b) = self.0.split_at(RECOVERY_HALF);
        format!("{a}-{b}")
    }

    /// What is stored of it.
    pub fn hash(&self) -> String {
        super::token::hash_token(&self.0)
    }
}

/// Ten fresh recovery codes.
pub fn new_recovery_codes() -> Vec<RecoveryCode> {
    let mut rng = rand::rng();
    (0..RECOVERY_CODE_COUNT)
        .map(|_| {
            RecoveryCode(
                (0..RECOVERY_HALF * 2)
                    .map(|_| {
                        char::from(RECOVERY_ALPHABET[rng.random_range(0..RECOVERY_ALPHABET.len())])
                    })
                    .collect(),
            )
        })
        .collect()
}

/// What a member typed at the second step of signing in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    Totp(TotpCode),
    Recovery(RecoveryCode),
}

impl SecondFactor {
    pub fn parse(text: &str) -> Option<Self> {
        let text = typed(text);
        if text.len() == DIGITS && text.bytes().all(|b| b.is_ascii_digit()) {
            return Some(SecondFactor::Totp(TotpCode(text)));
        }
        let recovery =
            text.len() == RECOVERY_HALF * 2 && text.bytes().all(|b| RECOVERY_ALPHABET.contains(&b));
        recovery.then_some(SecondFactor::Recovery(RecoveryCode(text)))
    }
}

impl TotpCode {
    pub fn parse(text: &str) -> Option<Self> {
        match SecondFactor::parse(text)? {
            SecondFactor::Totp(code) => Some(code),
            SecondFactor::Recovery(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238, appendix B: the SHA-1 key "12345678901234567890", 8-digit codes; ours are
    /// the last 6 digits of the same values.
    #[test]
    fn codes_match_the_rfc_test_vectors() {
        let secret = match Secret::Raw(b"12345678901234567890".to_vec()).to_encoded() {
            Secret::Encoded(text) => TotpSecret(text),
            Secret::Raw(_) => unreachable!(),
        };
        for (time, code) in [
            (59, "287082"),
            (1_111_111_109, "081804"),
            (1_111_111_111, "050471"),
            (1_234_567_890, "005924"),
            (2_000_000_000, "279037"),
        ] {
            assert_eq!(secret.code_at(time), code, "at {time}");
        }
    }

    #[test]
    fn a_code_is_accepted_in_its_window_once() {
        let secret = TotpSecret::generate();
        let now = 1_800_000_015; // inside step 60_000_000
        let step = 60_000_000;
        let code = |t: i64| TotpCode::parse(&secret.code_at(t as u64)).unwrap();
        assert_eq!(secret.accepted_step(&code(now), now, None), Some(step));
        // The neighbours are fine, two steps away is not.
        assert_eq!(
            secret.accepted_step(&code(now - 30), now, None),
            Some(step - 1)
        );
        assert_eq!(
            secret.accepted_step(&code(now + 30), now, None),
            Some(step + 1)
        );
        assert_eq!(secret.accepted_step(&code(now - 60), now, None), None);
        assert_eq!(secret.accepted_step(&code(now + 60), now, None), None);
        // Replayed: a step not later than the last one used is refused.
        assert_eq!(secret.accepted_step(&code(now), now, Some(step)), None);
        assert_eq!(
            secret.accepted_step(&code(now - 30), now, Some(step - 1)),
            None
        );
        assert_eq!(
            secret.accepted_step(&code(now + 30), now, Some(step)),
            Some(step + 1)
        );
        // Another key's code is not ours.
        let other = TotpSecret::generate();
        let theirs = TotpCode::parse(&other.code_at(now as u64)).unwrap();
        if theirs != code(now) && theirs != code(now - 30) && theirs != code(now + 30) {
            assert_eq!(secret.accepted_step(&theirs, now, None), None);
        }
    }

    #[test]
    fn what_a_phone_types_is_read_as_the_same_code() {
        let expected = Some(SecondFactor::Totp(TotpCode("123456".into())));
        for typed in ["123456", "123 456", "١٢٣٤٥٦", "۱۲۳۴۵۶", " 123-456 "] {
            assert_eq!(SecondFactor::parse(typed), expected, "{typed}");
        }
        assert_eq!(SecondFactor::parse("12345"), None);
        assert_eq!(SecondFactor::parse("1234567"), None);
        assert_eq!(SecondFactor::parse(""), None);
    }

    #[test]
    fn recovery_codes_are_ten_distinct_and_read_back_however_typed() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODE_COUNT);
        let distinct: std::collections::HashSet<_> = codes.iter().map(|c| c.hash()).collect();
        assert_eq!(distinct.len(), RECOVERY_CODE_COUNT);
        let printed = codes[0].display();
        assert_eq!(printed.len(), 11);
        assert_eq!(
            SecondFactor::parse(&printed.to_uppercase()),
            Some(SecondFactor::Recovery(codes[0].clone()))
        );
        assert_eq!(
            SecondFactor::parse(&printed.replace('-', " ")),
            Some(SecondFactor::Recovery(codes[0].clone()))
        );
        assert_eq!(
            SecondFactor::parse("abcde-fghi0"),
            None,
            "0 is not in the alphabet"
        );
    }

    #[test]
    fn secrets_round_trip_and_name_the_site_and_account() {
        let secret = TotpSecret::generate();
        assert_eq!(secret.as_str().len(), 32);
        assert_eq!(TotpSecret::parse(secret.as_str()), Some(secret.clone()));
        assert_eq!(TotpSecret::parse("not base32!"), None);
        assert_eq!(TotpSecret::parse("MFRGG"), None, "too short");
        let url = secret.enrolment_url("صحيفة: الأخبار", "rana");
        assert!(url.starts_with("otpauth://totp/"), "{url}");
        assert!(
            url.contains(&format!("secret={}", secret.as_str())),
            "{url}"
        );
        assert!(url.contains(":rana?"), "{url}");
        assert_eq!(secret.grouped().split(' ').count(), 8);
    }
}
