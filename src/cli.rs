//! The commands of the `sahifa` binary.

use std::io::IsTerminal;
use std::process::ExitCode;

use crate::accounts::{self, AccountError};
use crate::db::users::{ROLE_ADMIN, ROLE_EDITOR, UpsertOutcome};

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
        Command::CreateAdmin { username } => set_user(&settings, &username, ROLE_ADMIN),
        Command::CreateEditor { username } => set_user(&settings, &username, ROLE_EDITOR),
        Command::Reindex => reindex(&settings),
        Command::Seed {
            articles,
            rng_seed,
            weeks,
        } => seed(
            &settings,
            crate::seed::SeedOptions {
                articles,
                rng_seed,
                weeks,
            },
        ),
    }
}

/// `sahifa reindex`: rebuilds the search index (the server does it by itself when the
/// indexing rules change; this is for an operator who changed the database by hand).
fn reindex(settings: &Settings) -> ExitCode {
    let pool = match crate::db::open(&settings.database) {
        Ok(pool) => pool,
        Err(e) => return usage_error(&format!("--database: {e}")),
    };
    let indexed = pool
        .get()
        .map_err(|e| e.to_string())
        .and_then(|mut conn| crate::db::search::rebuild(&mut conn).map_err(|e| e.to_string()));
    match indexed {
        Ok(count) => {
            println!("indexed {count} articles");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot rebuild the search index: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `sahifa seed --articles N`: the default sections (and the demo articles, unless
/// `--no-demo`) as on a first start, then N generated articles, and the search index.
fn seed(settings: &Settings, options: crate::seed::SeedOptions) -> ExitCode {
    let pool = match crate::db::open(&settings.database) {
        Ok(pool) => pool,
        Err(e) => return usage_error(&format!("--database: {e}")),
    };
    let seeded = pool.get().map_err(|e| e.to_string()).and_then(|mut conn| {
        crate::demo::seed(&mut conn, settings.demo).map_err(|e| e.to_string())?;
        crate::seed::seed(&mut conn, options).map_err(|e| e.to_string())
    });
    match seeded {
        Ok(report) => {
            println!(
                "added {} articles in {:.1} s; indexed {} articles for search in {:.1} s",
                report.articles,
                report.inserting.as_secs_f64(),
                report.indexed,
                report.indexing.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: cannot seed the database: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads the new password: the first line of standard input when it is not a terminal
/// (scripts, `echo … |`), otherwise asked twice at the terminal without echo.
fn read_new_password() -> Result<String, String> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        let mut line = String::new();
        stdin
            .read_line(&mut line)
            .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_owned());
    }
    let first = rpassword::prompt_password("New password: ")
        .map_err(|e| format!("cannot read the password: {e}"))?;
    let second = rpassword::prompt_password("Repeat the password: ")
        .map_err(|e| format!("cannot read the password: {e}"))?;
    if first != second {
        return Err("the two passwords differ".to_owned());
    }
    Ok(first)
}

fn set_user(settings: &Settings, username: &str, role: &str) -> ExitCode {
    let password = match read_new_password() {
        Ok(password) => password,
        Err(e) => return usage_error(&e),
    };
    if let Err(e) = crate::auth::password::check_new(&password) {
        return usage_error(&e);
    }
    let pool = match crate::db::open(&settings.database) {
        Ok(pool) => pool,
        Err(e) => return usage_error(&format!("--database: {e}")),
    };
    let outcome = pool
        .get()
        .map_err(|e| AccountError::Hashing(format!("database: {e}")))
        .and_then(|mut conn| accounts::set_user(&mut conn, username, &password, role));
    match outcome {
        Ok(UpsertOutcome::Created) => {
            println!("created {role} '{username}'");
            ExitCode::SUCCESS
        }
        Ok(UpsertOutcome::Updated) => {
            println!(
                "set a new password for '{username}' (role {role}); their sessions have ended"
            );
            ExitCode::SUCCESS
        }
        Err(e @ (AccountError::WeakPassword(_) | AccountError::InvalidUsername)) => usage_error(&e),
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
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
