//! The pure core: domain types and rules, parsed at the edge and trusted inside, and
//! Arabic text handling. Nothing here does I/O beyond reading the clock and the random
//! generator, and nothing here names actix, diesel or askama (`tests/layers.rs` checks).

pub mod arabic;
pub mod article;
pub mod audit;
pub mod authors;
pub mod display;
pub mod font_size;
pub mod front_page;
pub mod ids;
pub mod markdown;
pub mod paging;
pub mod password;
pub mod picture;
pub mod revision;
pub mod section;
pub mod site;
pub mod site_pages;
pub mod snippets;
pub mod tags;
pub mod text;
pub mod time;
pub mod token;
pub mod two_factor;
pub mod user;

pub use ids::{ArticleId, PictureId, RevisionId, SectionId, UserId};
