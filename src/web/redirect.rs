//! Where a `next=` parameter may send the browser: only somewhere on this site.

/// A `next=` target that stays on this site: a local absolute path, nothing that a browser
/// could read as another host (`//evil.example`, `/\evil.example`). Guards every redirect
/// taken from a request against open-redirect abuse.
pub fn local_redirect_target(next: &str) -> Option<&str> {
    let safe = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.chars().any(|c| c.is_control() || c == '\\');
    safe.then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_must_be_a_local_path() {
        assert_eq!(local_redirect_target("/a/123"), Some("/a/123"));
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "evil",
            "/a\n",
        ] {
            assert_eq!(local_redirect_target(bad), None, "{bad:?}");
        }
    }
}
