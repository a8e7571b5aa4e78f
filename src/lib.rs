//! sahifa (صحيفة): a server-rendered, right-to-left Arabic news website.

pub mod accounts;
pub mod admin_pages;
pub mod arabic;
pub mod assets;
pub mod auth;
pub mod cli;
pub mod compression;
pub mod config;
pub mod counter;
pub mod db;
pub mod demo;
pub mod domain;
pub mod error;
pub mod feeds;
pub mod markdown;
pub mod most_read;
pub mod newsroom;
pub mod page_cache;
pub mod pages;
pub mod prefs;
pub mod routes;
pub mod search;
pub mod seed;
pub mod startup;
pub mod state;
pub mod telemetry;
