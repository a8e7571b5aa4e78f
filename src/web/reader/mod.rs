//! What readers get: article pages, the home and section pages, search, feeds and
//! sitemaps, static files and the font-size control.

pub mod article;
pub mod feeds;
pub mod lists;
mod respond;
pub mod site;
