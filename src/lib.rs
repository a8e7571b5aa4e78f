//! sahifa (صحيفة): a server-rendered, right-to-left Arabic news website.

pub mod arabic;
pub mod assets;
pub mod cli;
pub mod config;
pub mod counter;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod markdown;
pub mod pages;
pub mod prefs;
pub mod routes;
pub mod startup;
pub mod state;
pub mod telemetry;
