//! Arabic-specific text handling: pure functions, tested on their own.

pub mod dates;
pub mod plural;
pub mod search_text;
