//! Members of the newsroom: their roles and what a username may be.

use super::ids::UserId;

/// What a member of the newsroom may do. Editors write and edit articles; admins also
/// delete articles and manage sections and accounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    Editor,
}

impl Role {
    /// The stored and submitted name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
        }
    }

    pub fn parse(raw: &str) -> Option<Role> {
        match raw {
            "admin" => Some(Role::Admin),
            "editor" => Some(Role::Editor),
            _ => None,
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A member of the newsroom as the program shows and checks them. The password hash never
/// travels in this type: only sign-in reads it.
#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub role: Role,
    pub created_at: i64,
    pub last_login_at: Option<i64>,
    /// When an admin disabled the account; `None` while it may sign in.
    pub disabled_at: Option<i64>,
    /// The name articles are signed with; empty: the account name.
    pub display_name: String,
    /// Signs in with a code from an authenticator app after the password.
    pub two_factor: bool,
}

/// The longest display name.
pub const DISPLAY_NAME_MAX_CHARS: usize = 100;

impl User {
    /// The name a new article of theirs is signed with.
    pub fn byline(&self) -> &str {
        match self.display_name.is_empty() {
            true => &self.username,
            false => &self.display_name,
        }
    }

    pub fn is_disabled(&self) -> bool {
        self.disabled_at.is_some()
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// How long a newsroom session lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Inactivity after which a session ends.
    pub idle_seconds: i64,
    /// However active, a session ends this long after sign-in.
    pub absolute_seconds: i64,
}

impl SessionPolicy {
    /// However active, a session ends this long after sign-in: a working day.
    pub const DEFAULT_ABSOLUTE_SECONDS: i64 = 12 * 3600;
}

/// 1 to 64 letters, digits, `.`, `-` or `_`: no spaces, nothing that needs escaping.
pub fn valid_username(username: &str) -> bool {
    let length = username.chars().count();
    (1..=64).contains(&length)
        && username
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_simple() {
        assert!(valid_username("admin"));
        assert!(valid_username("سلمى.الخطيب"));
        assert!(!valid_username(""));
        assert!(!valid_username("two words"));
        assert!(!valid_username("a<b"));
    }

    #[test]
    fn roles_round_trip() {
        for role in [Role::Admin, Role::Editor] {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
