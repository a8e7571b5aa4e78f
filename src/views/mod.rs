//! The pages: askama template structs, one per page, built from the core's types (never
//! from the database's rows or the application state), and the static files they link to.
//! Everything a template prints is escaped by askama, except `body_html`, which was
//! sanitised when it was saved.

pub mod admin;
pub mod assets;
pub mod chart;
pub mod discovery;
pub mod feeds;
pub mod items;
pub mod layout;
pub mod reader;
pub mod share;
pub mod share_links;
