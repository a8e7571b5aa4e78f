//! Integration tests: each starts the real server on a free port with a fresh SQLite file
//! and talks HTTP to it, as a browser would.

mod admin;
mod admin_attacks;
mod cli;
mod compression;
mod discovery;
mod helpers;
mod reader;
mod search;
mod view_counter;
