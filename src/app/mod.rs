//! Use cases: what readers, editors and operators do, each one function that owns its
//! transaction. They take the [`Database`](crate::db::Database), speak the core's types,
//! and return [`AppError`]; the web layer calls one of them per request and renders.

pub mod accounts;
pub mod audit;
pub mod authors;
pub mod demo;
mod error;
pub mod front_page;
pub mod maintenance;
pub mod newsroom;
pub mod originals;
pub mod pictures;
pub mod reading;
pub mod sections;
pub mod seed;
pub mod site_pages;
pub mod two_factor;

pub use error::{AccountRule, AppError};
