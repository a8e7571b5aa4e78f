//! The commands of the `sahifa` binary.

use std::process::ExitCode;

use crate::config::{Cli, Command, Settings};
use crate::startup::Application;

/// Status for a bad setting or argument, as clap uses for its own usage errors.
const USAGE_ERROR: u8 = 2;

pub fn run(cli: Cli) -> ExitCode {
    let settings = match Settings::from_options(&cli.options) {
        Ok(settings) => settings,
        Err(e) => return usage_error(&e),
    };
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings),
    }
}

fn usage_error(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::from(USAGE_ERROR)
}

fn serve(settings: Settings) -> ExitCode {
    let result = actix_web::rt::System::new().block_on(async move {
        let app = match Application::build(settings).await {
            Ok(app) => app,
            Err(e) => return Err(e),
        };
        tracing::info!("sahifa is serving: open {}/", app.base_url());
        if let Err(e) = app.run_until_stopped().await {
            tracing::error!(error = %e, "server stopped with an error");
        }
        Ok(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => usage_error(&e),
    }
}
