use cephspray::{Error, check, output, spec};
use clap::Parser;
use std::path::Path;
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match run(cli.command) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

fn run(command: cli::Command) -> Result<ExitCode, Error> {
    match command {
        cli::Command::Pg(args) => pg(args),
        cli::Command::Schema => {
            print!("{}", cephspray::schema::json_schema());
            Ok(ExitCode::SUCCESS)
        }
        cli::Command::Check { spec } => {
            let (parsed, text) = spec::load_file(&spec)?;
            let diagnostics = check::check(&parsed);
            print_diagnostics(&spec, &text, diagnostics.clone());
            if check::has_errors(&diagnostics) {
                return Err(Error::Check(diagnostics));
            }
            if !parsed.ceph.pools.is_empty() {
                print!("{}", cephspray::plan::pg_report_for(&parsed));
            }
            println!("{}: no errors", spec.display());
            Ok(ExitCode::SUCCESS)
        }
        cli::Command::Render {
            spec: path,
            output: dir,
            check: compare_only,
            diff,
            force,
            vault_password_file,
        } => {
            let (spec, text) = spec::load_file(&path)?;
            let password = vault_password_file
                .as_deref()
                .map(cephspray::secrets::read_password_file)
                .transpose()?;
            let existing_vault = read_if_exists(&dir.join(cephspray::render::VAULT_PATH))?;
            let source = path.display().to_string();
            let env = |name: &str| std::env::var(name).ok();
            let inputs = cephspray::Inputs {
                source: &source,
                spec_dir: path.parent().unwrap_or(Path::new(".")),
                vault_password: password.as_deref().map(Vec::as_slice),
                existing_vault: existing_vault.as_deref(),
                env: &env,
                skip_vault_without_password: compare_only,
            };
            let (tree, warnings) = match cephspray::build(&spec, &inputs) {
                Ok(built) => built,
                Err(Error::Check(diagnostics)) => {
                    print_diagnostics(&path, &text, diagnostics.clone());
                    eprintln!("nothing was written to {}", dir.display());
                    return Err(Error::Check(diagnostics));
                }
                Err(other) => return Err(other),
            };
            print_diagnostics(&path, &text, warnings);
            let io = |source| Error::Io {
                path: dir.display().to_string(),
                source,
            };
            if compare_only || diff {
                let changes = output::compare(&tree, &dir).map_err(io)?;
                print!("{}", changes.report());
                if compare_only {
                    if changes.is_empty() {
                        println!("{}: up to date", dir.display());
                        return Ok(ExitCode::SUCCESS);
                    }
                    return Err(Error::Drift(dir.display().to_string()));
                }
            }
            let changes = output::write(&tree, &dir, force).map_err(|e| match e {
                output::WriteError::HandEdits(_) => Error::HandEdits(e.to_string()),
                output::WriteError::Io(source) => io(source),
            })?;
            println!(
                "{}: {} of {} files changed",
                dir.display(),
                changes.files.len(),
                tree.files().count()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `cephspray pg`: sizes pools from a spec or from flags; exit 1 when Ceph would refuse them.
fn pg(args: cli::PgArgs) -> Result<ExitCode, Error> {
    use cephspray::pg::{Layout, Method, Redundancy, Request};
    let mut request = match &args.spec {
        Some(path) => cephspray::plan::pg_request(&spec::load_file(path)?.0),
        None => {
            let osds = args.osds.unwrap_or_default();
            let hosts = args.hosts.unwrap_or(osds).max(1);
            let size = args.size.unwrap_or(3);
            let pools = args
                .pools
                .iter()
                .cloned()
                .map(|mut p| {
                    if p.redundancy == (Redundancy::Replicated { size: 0 }) {
                        p.redundancy = Redundancy::Replicated { size };
                    }
                    p
                })
                .collect();
            // OSDs spread over the hosts as evenly as they go.
            let host_devices = args.osd_size.map(|device| {
                (0..hosts)
                    .map(|h| vec![device.0; ((osds + hosts - 1 - h) / hosts) as usize])
                    .collect()
            });
            Request {
                layout: Layout {
                    osds,
                    failure_domains: hosts,
                    host_devices,
                },
                target_per_osd: 100,
                method: Method::Pgcalc,
                pools,
            }
        }
    };
    if let Some(target) = args.target_pgs_per_osd {
        request.target_per_osd = target;
    }
    match args.method {
        Some(cli::PgMethod::Pgcalc) => request.method = Method::Pgcalc,
        Some(cli::PgMethod::Autoscale) => request.method = Method::Autoscale,
        None => {}
    }
    let report = cephspray::pg::report(&request);
    match args.format {
        cli::Format::Text => {
            print!("{report}");
            eprint!("{}", report.findings_text());
        }
        cli::Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json()).expect("a report serialises")
        ),
    }
    Ok(if report.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A file's text, or None when it does not exist.
fn read_if_exists(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io {
            path: path.display().to_string(),
            source,
        }),
    }
}

/// Prints diagnostics as `file:line:column: error: path: message`, like compilers do.
fn print_diagnostics(file: &Path, text: &str, mut diagnostics: Vec<check::Diagnostic>) {
    if diagnostics.is_empty() {
        return;
    }
    check::locate(&mut diagnostics, &spec::Locations::of(text));
    for diagnostic in &diagnostics {
        match diagnostic.location {
            Some((line, column)) => eprintln!("{}:{line}:{column}: {diagnostic}", file.display()),
            None => eprintln!("{}: {diagnostic}", file.display()),
        }
    }
}
