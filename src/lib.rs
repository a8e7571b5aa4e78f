//! sahifa (صحيفة): a server-rendered, right-to-left Arabic news website.
//!
//! Layers, each depending only on those below it (`tests/layers.rs` checks):
//! `web` → `views`, `app`, `runtime` → `db` → `core`. The top-level files wire them up.

pub mod app;
pub mod cli;
pub mod config;
pub mod core;
pub mod db;
pub mod runtime;
pub mod startup;
pub mod telemetry;
pub mod views;
pub mod web;
