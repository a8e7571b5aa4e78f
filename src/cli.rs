//! The commands of the `sahifa` binary.

use std::io::IsTerminal;
use std::process::ExitCode;

use std::future::Future;

use crate::app::seed::SeedOptions;
use crate::app::{AppError, accounts, demo, maintenance, seed, two_factor};
use crate::config::{Cli, Command, Settings};
use crate::core::password;
use crate::core::user::Role;
use crate::db::Database;
use crate::db::users::UpsertOutcome;
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
        Command::CreateAdmin { username } => set_user(&settings, &username, Role::Admin),
        Command::CreateEditor { username } => set_user(&settings, &username, Role::Editor),
        Command::DisableTwoFactor { username } => disable_two_factor(&settings, &username),
        Command::Backup { path } => backup(&settings, &path),
        Command::Check => check(&settings),
        Command::Reindex => reindex(&settings),
        Command::CopyDatabase {
            from,
            to,
            with_sessions,
            replace,
        } => copy_database(&from, &to, with_sessions, replace),
        Command::Seed {
            articles,
            rng_seed,
            weeks,
        } => seed(
            &settings,
            SeedOptions {
                articles,
                rng_seed,
                weeks,
            },
        ),
    }
}

/// Runs a use case to completion for a command (not the server).
fn block_on<T>(work: impl Future<Output = T>) -> std::io::Result<T> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?
        .block_on(work))
}

/// Opens the database named by `--database`, or says why it cannot be.
fn open_database(settings: &Settings) -> Result<Database, ExitCode> {
    Database::open(&settings.database, settings.pool_size)
        .map_err(|e| usage_error(&format!("--database: {e}")))
}

/// `sahifa disable-2fa USERNAME`: the way back in for the last admin who lost both their
/// phone and their recovery codes (another admin can do it on the users page).
fn disable_two_factor(settings: &Settings, username: &str) -> ExitCode {
    let db = match open_database(settings) {
        Ok(db) => db,
        Err(code) => return code,
    };
    match block_on(two_factor::disable_for_username(&db, username.to_owned())) {
        Ok(Ok(Some(true))) => {
            println!("two-factor sign-in is off for {username}");
            ExitCode::SUCCESS
        }
        Ok(Ok(Some(false))) => {
            println!("{username} did not sign in with two factors; nothing changed");
            ExitCode::SUCCESS
        }
        Ok(Ok(None)) => failure(&format!("no account named {username}")),
        Ok(Err(e)) => failure(&format!("cannot change {username}: {e}")),
        Err(e) => failure(&format!("cannot change {username}: {e}")),
    }
}

/// `sahifa backup PATH`: a consistent copy of the database while it is served (SQLite's
/// `VACUUM INTO`: one snapshot, compacted), flushed to disk and checked, with a copy of the
/// key file that signs sessions and forms beside it (`PATH.key`). The search index is not
/// copied: it is rebuilt from the articles when a restored database starts.
fn backup(settings: &Settings, destination: &std::path::Path) -> ExitCode {
    let started = std::time::Instant::now();
    let Some(source) = settings.database.file().map(std::path::Path::to_owned) else {
        return failure(&POSTGRES_HAS_ITS_OWN_TOOLS);
    };
    let total = file_size(&source) + file_size(&wal_path(&source));
    let bar = indicatif::ProgressBar::new(total).with_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {bytes}/{total_bytes} copied",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    // SQLite writes the copy in one statement: its growing size is the progress.
    let copying = {
        let (bar, watched) = (bar.clone(), destination.to_owned());
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let watching = done.clone();
        let watcher = std::thread::spawn(move || {
            while !watching.load(std::sync::atomic::Ordering::Relaxed) {
                bar.set_position(file_size(&watched));
                std::thread::sleep(std::time::Duration::from_millis(200));
            }
        });
        let copied = maintenance::back_up(&source, destination);
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let _ = watcher.join();
        copied
    };
    bar.finish_and_clear();
    let report = match copying {
        Ok(report) => report,
        Err(e) => return failure(&format!("backup failed: {e}")),
    };
    if !report.problems.is_empty() {
        return failure(&format!(
            "the copy at {} fails its checks: {}",
            destination.display(),
            report.problems.join("; ")
        ));
    }
    println!(
        "backed up {} articles ({:.1} MB) to {} in {:.1} s; the copy passes integrity_check          and foreign_key_check",
        report.articles,
        file_size(destination) as f64 / 1e6,
        destination.display(),
        started.elapsed().as_secs_f64()
    );
    let key = crate::runtime::secret_key::key_path(&source);
    if settings.secret_key.is_some() {
        println!("the key comes from SAHIFA_SECRET_KEY: keep it with the backup");
    } else if key.is_file() {
        let copy = crate::runtime::secret_key::key_path(destination);
        match crate::runtime::secret_key::copy_key(&key, &copy) {
            Ok(()) => println!(
                "copied the key file to {} (mode 0600): keep it as private as the database",
                copy.display()
            ),
            Err(e) => return failure(&format!("cannot copy the key file {}: {e}", key.display())),
        }
    }
    ExitCode::SUCCESS
}

fn file_size(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn wal_path(database: &std::path::Path) -> std::path::PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push("-wal");
    name.into()
}

/// What `backup` and `check` say on PostgreSQL.
const POSTGRES_HAS_ITS_OWN_TOOLS: &str = "backup and check are for an SQLite file; a \
     PostgreSQL database is backed up with pg_dump (or the server's continuous archiving) and \
     checked by the server itself";

/// `sahifa check`: SQLite's integrity and foreign-key checks of the database; exit 1 with
/// what they found if anything.
fn check(settings: &Settings) -> ExitCode {
    let Some(file) = settings.database.file() else {
        return failure(&POSTGRES_HAS_ITS_OWN_TOOLS);
    };
    match maintenance::problems(file) {
        Ok(problems) if problems.is_empty() => {
            println!(
                "{}: integrity_check ok, foreign_key_check ok",
                settings.database.describe()
            );
            ExitCode::SUCCESS
        }
        Ok(problems) => failure(&format!(
            "{} has problems:\n{}",
            settings.database.describe(),
            problems.join("\n")
        )),
        Err(e) => failure(&format!(
            "cannot check {}: {e}",
            settings.database.describe()
        )),
    }
}

/// `sahifa reindex`: rebuilds the search index (the server does it by itself when the
/// indexing rules change; this is for an operator who changed the database by hand).
fn reindex(settings: &Settings) -> ExitCode {
    let db = match open_database(settings) {
        Ok(db) => db,
        Err(code) => return code,
    };
    // Opening rebuilds an index that was missing or behind: no need to do it twice.
    if let Some(count) = db.indexed_at_open() {
        println!("indexed {count} articles");
        return ExitCode::SUCCESS;
    }
    match block_on(maintenance::rebuild_search_index(&db)) {
        Ok(Ok(count)) => {
            println!("indexed {count} articles");
            ExitCode::SUCCESS
        }
        Ok(Err(e)) => failure(&format!("cannot rebuild the search index: {e}")),
        Err(e) => failure(&format!("cannot rebuild the search index: {e}")),
    }
}

/// `sahifa seed --articles N`: the default sections (and the demo articles, unless
/// `--no-demo`) as on a first start, then N generated articles, and the search index.
fn seed(settings: &Settings, options: SeedOptions) -> ExitCode {
    let db = match open_database(settings) {
        Ok(db) => db,
        Err(code) => return code,
    };
    let bar = indicatif::ProgressBar::new(options.articles as u64).with_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} articles {msg}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let progress = bar.clone();
    let seeded = block_on(async {
        demo::prepare_first_start(&db, settings.demo).await?;
        let total = options.articles;
        let report = seed::seed(&db, options, move |done| {
            progress.set_position(done as u64);
            if done == total {
                progress.set_message("— indexing them for search…");
            }
        });
        report.await
    });
    bar.finish_and_clear();
    match seeded {
        Ok(Ok(report)) => {
            println!(
                "added {} articles in {:.1} s; indexed {} articles for search in {:.1} s",
                report.articles,
                report.inserting.as_secs_f64(),
                report.indexed,
                report.indexing.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Ok(Err::<_, AppError>(e)) => failure(&format!("cannot seed the database: {e}")),
        Err(e) => failure(&format!("cannot seed the database: {e}")),
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

fn set_user(settings: &Settings, username: &str, role: Role) -> ExitCode {
    let password = match read_new_password() {
        Ok(password) => password,
        Err(e) => return usage_error(&e),
    };
    if let Err(e) = password::check_new(&password) {
        return usage_error(&e);
    }
    let db = match open_database(settings) {
        Ok(db) => db,
        Err(code) => return code,
    };
    let outcome = block_on(accounts::set_user(&db, username.to_owned(), password, role));
    match outcome {
        Ok(Ok(UpsertOutcome::Created)) => {
            println!("created {role} '{username}'");
            ExitCode::SUCCESS
        }
        Ok(Ok(UpsertOutcome::Updated)) => {
            println!(
                "set a new password for '{username}' (role {role}); their sessions have ended"
            );
            ExitCode::SUCCESS
        }
        Ok(Err(e @ AppError::InvalidAccount(_))) => usage_error(&e),
        Ok(Err(e)) => failure(&e),
        Err(e) => failure(&e),
    }
}

fn failure(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::FAILURE
}

fn usage_error(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::from(USAGE_ERROR)
}

/// Raises the soft limit of open files to the hard one: each connection is a file, and the
/// usual soft limit of 1,024 lets a thousand slow clients starve the readers.
fn raise_open_files_limit() {
    let before = rlimit::Resource::NOFILE.get();
    match (before, rlimit::increase_nofile_limit(u64::MAX)) {
        (Ok((soft, hard)), Ok(now)) => {
            tracing::info!(soft_before = soft, hard, now, "open files limit");
        }
        (_, Err(e)) | (Err(e), _) => {
            tracing::warn!(error = %e, "could not read or raise the open files limit");
        }
    }
}

fn serve(settings: Settings) -> ExitCode {
    raise_open_files_limit();
    let result = actix_web::rt::System::new().block_on(async move {
        let app = match Application::build(settings).await {
            Ok(app) => app,
            Err(e) => return Err(e),
        };
        Ok(app.run_until_stopped().await)
    });
    match result {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "server stopped with an error");
            ExitCode::FAILURE
        }
        Err(e) => usage_error(&e),
    }
}

/// `sahifa copy-database --from A --to B`: moves a site between databases, with a progress
/// bar, and checks the row counts of every table at the end.
fn copy_database(from: &str, to: &str, with_sessions: bool, replace: bool) -> ExitCode {
    use crate::db::DatabaseAddress;
    let from = DatabaseAddress::parse(from, None);
    let to = DatabaseAddress::parse(to, None);
    if let DatabaseAddress::File(path) = &to
        && !path.exists()
        && let Err(e) = std::fs::File::create(path)
    {
        return failure(&format!("cannot create {}: {e}", path.display()));
    }
    // The source's key file goes with the site, so that its sessions and open forms stay
    // valid (unless the key comes from SAHIFA_SECRET_KEY, which the operator carries over).
    let key = match &from {
        DatabaseAddress::File(path)
            if std::env::var_os(crate::runtime::secret_key::ENV_VAR).is_none() =>
        {
            std::fs::read_to_string(crate::runtime::secret_key::key_path(path))
                .ok()
                .map(|key| key.trim().to_owned())
        }
        _ => None,
    };
    let bar = indicatif::ProgressBar::new(0).with_style(
        indicatif::ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} rows copied ({per_sec})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let options = maintenance::CopyOptions {
        with_sessions,
        replace,
        key,
    };
    let copied = maintenance::copy_database(
        &from,
        &to,
        options,
        |total| bar.set_length(total),
        |rows| bar.inc(rows as u64),
    );
    bar.finish_and_clear();
    let report = match copied {
        Ok(Ok(report)) => report,
        Ok(Err(maintenance::CopyRefusal::TargetNotEmpty)) => {
            return failure(&format!(
                "{} already holds a site (articles, users or pictures): nothing was copied; \
                 add --replace to empty it first",
                to.describe()
            ));
        }
        Err(e) => return failure(&format!("copy failed, nothing was kept: {e}")),
    };
    let rows: i64 = report.tables.iter().map(|(_, n, _)| n).sum();
    for (table, source, target) in &report.tables {
        println!("{table:<22} {source:>10} → {target:>10}");
    }
    let mismatches = report.mismatches();
    if !mismatches.is_empty() {
        return failure(&format!("row counts differ after the copy: {mismatches:?}"));
    }
    println!(
        "copied {rows} rows from {} to {} in {:.1} s; every table's count matches",
        from.describe(),
        to.describe(),
        started.elapsed().as_secs_f64()
    );
    ExitCode::SUCCESS
}
