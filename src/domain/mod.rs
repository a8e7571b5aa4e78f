//! Small types that are known to be valid once built: parse at the edge, trust inside.

pub mod article_input;
mod ids;
pub mod text;

pub use ids::{ArticleId, SectionId};
