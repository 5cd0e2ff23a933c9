//! Command-line definitions.

use cephspray::pg::{PoolRequest, Redundancy};
use cephspray::spec::ByteSize;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Turn one typed Kubernetes + Ceph cluster spec into the inventory kubespray and ceph-ansible run against.
#[derive(Debug, Parser)]
#[command(name = "cephspray", version, about)]
#[command(
    after_help = cephspray::error::EXIT_CODES
)]
pub struct Cli {
    /// When to colour output (NO_COLOR and CLICOLOR_FORCE are respected with `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Colour choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// Colour when writing to a terminal, unless NO_COLOR is set.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a spec: errors (exit 1) and warnings.
    #[command(after_help = "Example:\n  cephspray check fixtures/pair2jeux.yaml")]
    Check {
        /// The cluster spec (YAML).
        spec: PathBuf,
        /// Output format: diagnostics and pool figures as text, or one JSON object.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Render the inventory directory from a spec.
    #[command(
        after_help = "Examples:\n  cephspray render fixtures/pair2jeux.yaml -o inventory/pair2jeux\n  cephspray render spec.yaml -o inventory/mycluster --check   # exit 1 on drift, writes nothing"
    )]
    Render {
        /// The cluster spec (YAML).
        spec: PathBuf,
        /// The inventory directory to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Compare with the directory instead of writing: print what would change (spec changes
        /// and hand edits apart, with diffs), exit 1 on any drift.
        #[arg(long, conflicts_with_all = ["diff", "force"])]
        check: bool,
        /// Print what changes, with diffs, then write.
        #[arg(long)]
        diff: bool,
        /// Overwrite (or remove) generated files that were edited by hand.
        #[arg(long)]
        force: bool,
        /// File holding the vault password (or a script printing it), as for ansible-vault.
        #[arg(long, env = "ANSIBLE_VAULT_PASSWORD_FILE")]
        vault_password_file: Option<PathBuf>,
    },
    /// Compute pg_num for pools on a disk layout, from a spec or from flags.
    #[command(
        after_help = "Examples:\n  cephspray pg fixtures/pair2jeux.yaml\n  cephspray pg --osds 6 --size 3 --hosts 3 --osd-size 3TB --pool cephfs_data=95 --pool cephfs_metadata=5\n  cephspray pg --osds 12 --hosts 6 --method autoscale --pool data=90,ec=4+2,bulk --pool meta=10,bias=4,min=16 --format json"
    )]
    Pg(PgArgs),
    /// Write a starting spec from a list of hosts, with roles assigned and every choice explained.
    #[command(
        after_help = "Examples:\n  cephspray init 10.8.0.1-10.8.0.3 --disk /dev/sdb=3TB --name pair2jeux\n  cephspray init cp1,192.168.10.11,203.0.113.11 cp2,192.168.10.12 cp3,192.168.10.13 w1,192.168.10.21 --disk /dev/sdb=4TB -o lab.yaml"
    )]
    Init {
        /// Hosts: addresses (10.8.0.1), ranges (10.8.0.1-10.8.0.3) or name,private_ip[,ssh_ip].
        #[arg(required = true)]
        hosts: Vec<String>,
        /// The spec file to write (a cluster.schema.json for editors is written beside it).
        #[arg(short, long, default_value = "cluster.yaml")]
        output: PathBuf,
        /// Cluster name.
        #[arg(long, default_value = "mycluster")]
        name: String,
        /// The private network; by default the smallest one (at most /24) holding every address.
        #[arg(long)]
        network: Option<ipnet::Ipv4Net>,
        /// A disk every OSD node gives to Ceph: DEVICE=SIZE, repeated.
        #[arg(long = "disk", value_name = "DEVICE=SIZE", required = true)]
        disks: Vec<String>,
        /// From this many nodes on, control-plane and Ceph daemons get dedicated nodes.
        #[arg(long, default_value_t = 10)]
        large_from: usize,
        /// Overwrite an existing spec file.
        #[arg(long)]
        force: bool,
    },
    /// Print a shell completion script.
    #[command(
        after_help = "Examples:\n  cephspray completions bash > /etc/bash_completion.d/cephspray\n  cephspray completions zsh > \"${fpath[1]}/_cephspray\""
    )]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff).
    #[command(after_help = "Example:\n  cephspray man > /usr/local/share/man/man1/cephspray.1")]
    Man,
    /// Print the JSON Schema of the spec (draft-07), for editors and validators.
    #[command(
        after_help = "Examples:\n  cephspray schema > schemas/cluster.schema.json\n  cephspray schema --markdown > docs/spec-reference.md"
    )]
    Schema {
        /// Print the spec reference in Markdown instead.
        #[arg(long)]
        markdown: bool,
    },
}

/// `cephspray pg` options.
#[derive(Debug, Args)]
pub struct PgArgs {
    /// A cluster spec: OSDs, device sizes, hosts and pools are taken from it.
    #[arg(conflicts_with_all = ["osds", "size", "hosts", "osd_size", "pools"])]
    pub spec: Option<PathBuf>,
    /// Number of OSDs (1 to 100000: more than the largest Ceph clusters run).
    #[arg(long, required_unless_present = "spec", value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub osds: Option<u32>,
    /// Copies of replicated pools that set no size of their own.
    #[arg(long)]
    pub size: Option<u32>,
    /// Failure domains (hosts) the OSDs are spread over (1 to 100000); defaults to one per OSD.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub hosts: Option<u32>,
    /// Size of each OSD device (e.g. 3TB): adds capacity figures and CRUSH weights.
    #[arg(long, value_parser = parse_size)]
    pub osd_size: Option<ByteSize>,
    /// A pool: NAME=SHARE[,size=S][,ec=K+M][,bulk][,bias=B][,min=N] (SHARE in percent).
    #[arg(long = "pool", value_name = "POOL", required_unless_present = "spec", value_parser = parse_pool)]
    pub pools: Vec<PoolRequest>,
    /// PGs per OSD to aim for (pgcalc).
    #[arg(long)]
    pub target_pgs_per_osd: Option<u32>,
    /// The calculation: the classic PG calculator, or what the autoscaler settles on.
    #[arg(long, value_enum)]
    pub method: Option<PgMethod>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// PG calculation methods.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PgMethod {
    /// The classic Ceph PG calculator.
    Pgcalc,
    /// Ceph's pg_autoscaler.
    Autoscale,
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A readable table.
    Text,
    /// JSON.
    Json,
}

fn parse_size(text: &str) -> Result<ByteSize, String> {
    text.parse()
}

/// Parses `NAME=SHARE[,size=S][,ec=K+M][,bulk][,bias=B][,min=N]`. A pool without size= gets
/// its size from `--size` later (0 marks "not given").
fn parse_pool(text: &str) -> Result<PoolRequest, String> {
    let mut parts = text.split(',');
    let head = parts.next().unwrap_or_default();
    let (name, share) = head
        .split_once('=')
        .ok_or_else(|| format!("`{head}`: write NAME=SHARE, e.g. cephfs_data=95"))?;
    if name.is_empty() {
        return Err("a pool needs a name before `=`".to_owned());
    }
    let share: f64 = share
        .trim_end_matches('%')
        .parse()
        .map_err(|_| format!("`{share}` is not a share in percent"))?;
    if !(0.0..=100.0).contains(&share) {
        return Err(format!("share {share} is not between 0 and 100"));
    }
    let mut pool = PoolRequest::replicated(name, share, 0);
    for option in parts {
        let (key, value) = option.split_once('=').unwrap_or((option, ""));
        let number = |what: &str| -> Result<u32, String> {
            value
                .parse()
                .map_err(|_| format!("`{option}`: {what} must be a whole number"))
        };
        match key {
            "size" => {
                pool.redundancy = Redundancy::Replicated {
                    size: number("size")?,
                }
            }
            "ec" => {
                let (k, m) = value
                    .split_once('+')
                    .and_then(|(k, m)| Some((k.parse().ok()?, m.parse().ok()?)))
                    .ok_or_else(|| format!("`{option}`: write ec=K+M, e.g. ec=4+2"))?;
                pool.redundancy = Redundancy::Erasure { k, m };
            }
            "bulk" if value.is_empty() => pool.bulk = true,
            "bias" => {
                pool.bias = value
                    .parse()
                    .map_err(|_| format!("`{option}`: bias must be a number"))?
            }
            "min" => pool.pg_num_min = number("min")?,
            _ => {
                return Err(format!(
                    "`{option}`: unknown pool option (size=, ec=K+M, bulk, bias=, min=)"
                ));
            }
        }
    }
    Ok(pool)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_options() {
        let pool = parse_pool("cephfs_data=95").unwrap();
        assert_eq!((pool.name.as_str(), pool.share), ("cephfs_data", 95.0));
        assert_eq!(pool.redundancy, Redundancy::Replicated { size: 0 });
        let pool = parse_pool("data=90,ec=4+2,bulk,bias=2,min=64").unwrap();
        assert_eq!(pool.redundancy, Redundancy::Erasure { k: 4, m: 2 });
        assert!(pool.bulk);
        assert_eq!((pool.bias, pool.pg_num_min), (2.0, 64));
        assert_eq!(
            parse_pool("x=5,size=2").unwrap().redundancy,
            Redundancy::Replicated { size: 2 }
        );
        assert!(parse_pool("x").is_err());
        assert!(parse_pool("x=150").is_err());
        assert!(parse_pool("x=5,ec=4").is_err());
        assert!(
            parse_pool("x=5,colour=red")
                .unwrap_err()
                .contains("unknown pool option")
        );
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
