//! Two-factor sign-in: enrolling an authenticator app, the second step of signing in (a
//! code from the app, or a one-time recovery code), and turning it off.

use crate::core::UserId;
use crate::core::two_factor::{
    RecoveryCode, SecondFactor, TotpCode, TotpSecret, new_recovery_codes,
};
use crate::core::user::{SessionPolicy, User};
use crate::db::{Database, two_factor, users, write_tx};

use super::AppError;
use super::accounts::start_session;

/// How the second step was passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    App,
    /// A recovery code, now used up; `left` remain.
    RecoveryCode {
        left: i64,
    },
}

/// What the second step of signing in came to.
#[derive(Debug)]
pub enum SecondStep {
    /// The session is started.
    Started(User, Method),
    /// A wrong, expired or already used code.
    Refused(User),
    /// The account is gone, disabled, or no longer signs in with two factors.
    NoAccount,
}

/// Checks `factor` for `user` (whose password was right a moment ago) and starts the
/// session `token_hash`, in one transaction: the code is used up with the session made.
pub async fn second_step(
    db: &Database,
    user: UserId,
    factor: SecondFactor,
    token_hash: String,
    policy: SessionPolicy,
    now: i64,
) -> Result<SecondStep, AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let Some(member) = users::find(conn, user)?.filter(|u| !u.is_disabled()) else {
                    return Ok(SecondStep::NoAccount);
                };
                let Some((secret, last_step)) = two_factor::secret_of(conn, user)? else {
                    return Ok(SecondStep::NoAccount);
                };
                let method = match &factor {
                    SecondFactor::Totp(code) => TotpSecret::parse(&secret)
                        .and_then(|secret| secret.accepted_step(code, now, last_step))
                        .map(|step| two_factor::use_step(conn, user, step))
                        .transpose()?
                        .filter(|used| *used)
                        .map(|_| Method::App),
                    SecondFactor::Recovery(code) => {
                        match two_factor::use_recovery_code(conn, user, &code.hash(), now)? {
                            true => Some(Method::RecoveryCode {
                                left: two_factor::recovery_codes_left(conn, user)?,
                            }),
                            false => None,
                        }
                    }
                };
                let Some(method) = method else {
                    return Ok(SecondStep::Refused(member));
                };
                start_session(conn, user, &token_hash, policy, now)?;
                Ok::<_, crate::db::DbError>(SecondStep::Started(member, method))
            })
        })
        .await?)
}

/// What enrolling came to.
#[derive(Debug)]
pub enum Enrolment {
    /// On, with these recovery codes (shown once; only their hashes are kept).
    Enabled(Vec<RecoveryCode>),
    /// The code is not the app's current one for this secret.
    WrongCode,
}

/// Turns two-factor sign-in on for `user` with `secret`, once `code` proves their app has it.
pub async fn enrol(
    db: &Database,
    user: UserId,
    secret: TotpSecret,
    code: TotpCode,
    now: i64,
) -> Result<Enrolment, AppError> {
    let Some(step) = secret.accepted_step(&code, now, None) else {
        return Ok(Enrolment::WrongCode);
    };
    let codes = new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(RecoveryCode::hash).collect();
    db.run(move |conn| {
        write_tx(conn, |conn| {
            two_factor::enable(conn, user, secret.as_str(), step, &hashes)
        })
    })
    .await?;
    Ok(Enrolment::Enabled(codes))
}

/// Checks a code of the member's app now (to turn two factors off, or to renew the
/// recovery codes: a stolen session alone can't), using it up.
pub async fn confirm_code(
    db: &Database,
    user: UserId,
    code: TotpCode,
    now: i64,
) -> Result<bool, AppError> {
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let Some((secret, last_step)) = two_factor::secret_of(conn, user)? else {
                    return Ok(false);
                };
                match TotpSecret::parse(&secret)
                    .and_then(|secret| secret.accepted_step(&code, now, last_step))
                {
                    Some(step) => two_factor::use_step(conn, user, step),
                    None => Ok(false),
                }
            })
        })
        .await?)
}

/// Turns two-factor sign-in off for `user`: whether it was on.
pub async fn disable(db: &Database, user: UserId) -> Result<bool, AppError> {
    Ok(db
        .run(move |conn| write_tx(conn, |conn| two_factor::disable(conn, user)))
        .await?)
}

/// Turns two-factor sign-in off for the account `username`, recorded in the audit log as
/// done from the command line. `None`: no such account; else whether it was on.
pub async fn disable_for_username(
    db: &Database,
    username: String,
) -> Result<Option<bool>, AppError> {
    let now = crate::core::time::now_timestamp();
    Ok(db
        .run(move |conn| {
            write_tx(conn, |conn| {
                let Some(user) = users::find_by_username(conn, &username)? else {
                    return Ok(None);
                };
                let was_on = two_factor::disable(conn, user.id)?;
                if was_on {
                    let actor = crate::core::audit::Actor {
                        user: None,
                        username: "command line".to_owned(),
                        address: String::new(),
                    };
                    let target = format!("user {}", user.username);
                    let action = crate::core::audit::AuditAction::TwoFactorDisabled;
                    crate::db::audit::record(conn, now, &actor, action, &target)?;
                }
                Ok::<_, crate::db::DbError>(Some(was_on))
            })
        })
        .await?)
}

/// Ten new recovery codes for `user`; the old ones stop working.
pub async fn renew_recovery_codes(
    db: &Database,
    user: UserId,
) -> Result<Vec<RecoveryCode>, AppError> {
    let codes = new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(RecoveryCode::hash).collect();
    db.run(move |conn| {
        write_tx(conn, |conn| {
            two_factor::replace_recovery_codes(conn, user, &hashes)
        })
    })
    .await?;
    Ok(codes)
}

/// Recovery codes `user` has left.
pub async fn recovery_codes_left(db: &Database, user: UserId) -> Result<i64, AppError> {
    Ok(db
        .run(move |conn| two_factor::recovery_codes_left(conn, user))
        .await?)
}
