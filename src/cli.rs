//! Command-line definitions.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Turn one typed Kubernetes + Ceph cluster spec into the inventory kubespray and ceph-ansible run against.
#[derive(Debug, Parser)]
#[command(name = "cephspray", version, about)]
#[command(
    after_help = "Exit codes: 0 success, 1 the spec has errors or the inventory drifted, 2 usage or I/O error."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a spec: errors (exit 1) and warnings.
    #[command(after_help = "Example:\n  cephspray check fixtures/pair2jeux.yaml")]
    Check {
        /// The cluster spec (YAML).
        spec: PathBuf,
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
        /// Compare with the directory instead of writing: print a unified diff, exit 1 on drift.
        #[arg(long)]
        check: bool,
    },
    /// Print the JSON Schema of the spec (draft-07), for editors and validators.
    #[command(after_help = "Example:\n  cephspray schema > schemas/cluster.schema.json")]
    Schema,
}
