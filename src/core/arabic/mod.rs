//! Arabic-specific text handling: pure functions, tested on their own.

pub mod dates;
pub mod search_text;
