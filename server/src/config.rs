//! Command line and environment: every setting is a flag with an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use app::domain::Targets;
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(name = "hoego", version, about = "Postmortems and incident knowledge")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web app and REST API.
    Serve(ServeArgs),
    /// Load the sample postmortems into an empty database (does nothing if it has incidents).
    Seed(DataArgs),
    /// Rebuild the search index from the database (stop `hoego serve` on this data dir first).
    Reindex(DataArgs),
    /// Fill the database with synthetic incidents (for benchmarks and demos).
    Generate(GenerateArgs),
}

#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Where the SQLite file lives; created on first run.
    #[arg(long, env = "HOEGO_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "HOEGO_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    #[command(flatten)]
    pub data: DataArgs,
    #[command(flatten)]
    pub display: DisplayArgs,
    /// The built front end (`cargo leptos build` writes it to target/site).
    #[arg(long, env = "HOEGO_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct DisplayArgs {
    /// Time zone times are shown and entered in (IANA name).
    #[arg(long, env = "HOEGO_TZ", default_value = "Asia/Seoul", value_parser = parse_tz)]
    pub tz: Tz,
    /// Time-to-recover target for P3 incidents, in minutes (the seed report sets none).
    #[arg(long, env = "HOEGO_P3_TTR_MINUTES", default_value_t = 240)]
    pub p3_ttr_minutes: i64,
}

impl DisplayArgs {
    pub fn targets(&self) -> Targets {
        let mut t = Targets::default();
        t.ttr_seconds[3] = self.p3_ttr_minutes * 60;
        t
    }
}

impl Default for DisplayArgs {
    fn default() -> Self {
        Self {
            tz: chrono_tz::Asia::Seoul,
            p3_ttr_minutes: 240,
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct GenerateArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// How many incidents to add.
    #[arg(long, default_value_t = 10_000)]
    pub incidents: usize,
}

fn parse_tz(s: &str) -> Result<Tz, String> {
    s.parse()
        .map_err(|_| format!("unknown time zone `{s}` (use an IANA name like Asia/Seoul)"))
}
