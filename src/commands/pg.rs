//! `cephspray pg`: placement-group sizing from a spec or from flags.

use crate::cli;
use cephspray::error::Exit;
use cephspray::{Error, spec};

/// `cephspray pg`: sizes pools from a spec or from flags; exit 1 when Ceph would refuse them.
pub fn run(args: cli::PgArgs) -> Result<Exit, Error> {
    use cephspray::pg::{Layout, Method, Redundancy, Request};
    let mut request = match &args.spec {
        Some(path) => match spec::load_file(path) {
            Ok((parsed, _)) => cephspray::pg::pg_request(&parsed),
            // In JSON mode a spec that cannot be read is JSON too, shaped like a report's findings.
            Err(error) if args.format == cli::Format::Json => {
                let error = Error::from(error);
                anstream::println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "spec": path.display().to_string(),
                        "errors": [error.to_string()],
                        "warnings": [],
                    }))
                    .expect("JSON serialises")
                );
                return Ok(error.exit());
            }
            Err(error) => return Err(error.into()),
        },
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
                    .map(|h| vec![device.0; (osds / hosts + u32::from(h < osds % hosts)) as usize])
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
            anstream::print!("{report}");
            anstream::eprint!("{}", report.findings_text());
        }
        cli::Format::Json => anstream::println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json()).expect("a report serialises")
        ),
    }
    Ok(Exit::attention_if(report.has_errors()))
}
