//! The `sahifa` binary: parse the command line, start logging, hand over to the library.

use std::process::ExitCode;

use clap::Parser;
use sahifa::config::Cli;

fn main() -> ExitCode {
    sahifa::startup::limit_memory();
    let cli = Cli::parse();
    sahifa::telemetry::init();
    sahifa::cli::run(cli)
}
