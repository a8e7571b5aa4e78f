//! Integration tests: each starts the real server on a free port with a fresh SQLite file
//! and talks HTTP to it, as a browser would.

// A test fails by panicking: unwrap and expect are how it says what went wrong.
#![allow(clippy::unwrap_used, clippy::expect_used)]

// The helpers every test binary shares (`tests/common/`); this binary's modules live in
// `tests/api/`, so the shared folder is named by path.
#[path = "../common/mod.rs"]
mod common;

mod admin;
mod admin_attacks;
mod audit;
mod authors;
mod cli;
mod compression;
mod dashboard;
mod discovery;
mod front_page;
mod hard_kills;
mod instances;
mod lost_sessions;
mod paging;
mod picture_processing;
mod pictures;
mod preview;
mod properties;
mod proxy;
mod reader;
mod revisions;
mod search;
mod slow_clients;
mod tags;
mod two_factor;
mod view_counter;
