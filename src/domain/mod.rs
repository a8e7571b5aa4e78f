//! Small types that are known to be valid once built: parse at the edge, trust inside.

mod ids;

pub use ids::{ArticleId, SectionId};
