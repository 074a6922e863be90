//! Command line and environment: every setting is a flag with an environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;

use app::domain::{AlertRules, Role, Scope, Severity, Targets};
use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand};

use crate::storage::{Database, Durability};

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
    /// Fill the database with synthetic incidents spread over the last three years, with
    /// realistic (skewed) response times, reviews and action items (for benchmarks and demos).
    Generate(GenerateArgs),
    /// People who sign in (the first admin: `hoego user add --admin NAME`).
    User(UserArgs),
    /// API tokens for machines (Alertmanager, load tests, scripts).
    Token(TokenArgs),
    /// Import Markdown documents: a pre-mortem report's failure scenarios (stop `hoego serve`
    /// on this data dir first, or use the import page or `POST /api/v1/imports`).
    Import(ImportArgs),
    /// Write every incident (Markdown that imports back, and a printable HTML page) and every
    /// scenario (Markdown in the seed's shape) into a directory.
    Export(ExportArgs),
    /// Compare the search index with the database in full and say what differs (exits 1 if
    /// anything does; stop `hoego serve` on this data dir first).
    Check(DataArgs),
    /// Write a consistent copy of the database to FILE while hoego keeps serving.
    Backup(FileArgs),
    /// Replace the database with a backup and rebuild the search index (stop `hoego serve`
    /// first; the replaced database is kept as hoego.db.before-restore-TIME).
    Restore(FileArgs),
}

#[derive(Debug, Clone, Args)]
pub struct FileArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The backup file.
    pub file: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Where to write `incidents/` and `scenarios/` (created if missing).
    #[arg(long)]
    pub dir: PathBuf,
    /// The language of headings and labels: ko or en.
    #[arg(long, default_value = "ko")]
    pub lang: String,
    #[command(flatten)]
    pub display: DisplayArgs,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The Markdown files.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Show what each file would create; create nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Write a report's alert matrix into its scenarios' matching metrics.
    #[arg(long)]
    pub apply_matrix: bool,
    /// Save a report's MTTD/MTTR targets as hoego's (<data dir>/targets.json, from the next
    /// start of hoego serve).
    #[arg(long)]
    pub apply_targets: bool,
}

#[derive(Debug, Clone, Args)]
pub struct UserArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(subcommand)]
    pub action: UserAction,
}

#[derive(Debug, Clone, Subcommand)]
pub enum UserAction {
    /// Adds a person and prints a generated password once.
    Add {
        name: String,
        /// Make them an admin (the same as `--role admin`).
        #[arg(long)]
        admin: bool,
        /// viewer, engineer, manager or admin.
        #[arg(long, default_value = "engineer")]
        role: Role,
    },
    /// Gives a person a new generated password (printed once) and ends their sessions.
    Passwd { name: String },
    /// Lists everyone.
    List,
}

#[derive(Debug, Clone, Args)]
pub struct TokenArgs {
    #[command(flatten)]
    pub data: DataArgs,
    #[command(subcommand)]
    pub action: TokenAction,
}

#[derive(Debug, Clone, Subcommand)]
pub enum TokenAction {
    /// Creates a machine's token and prints it once.
    Create {
        #[arg(long)]
        name: String,
        /// read, write or ingest; repeat or separate with commas.
        #[arg(long = "scope", value_delimiter = ',', required = true)]
        scopes: Vec<Scope>,
    },
    /// Lists every token (never the secrets), with when each was last used.
    List,
    /// Stops a token at once.
    Revoke { name: String },
}

#[derive(Debug, Clone, Args)]
pub struct DataArgs {
    /// Where the SQLite file lives; created on first run.
    #[arg(long, env = "HOEGO_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// normal: a power loss may undo the last answered writes (a crash of hoego does not);
    /// full: every answered write survives a power loss (an fsync per write).
    #[arg(
        long,
        env = "HOEGO_DURABILITY",
        default_value = "normal",
        global = true
    )]
    pub durability: Durability,
    /// Milliseconds a write waits for a database lock held elsewhere before it is answered
    /// with 503 and Retry-After.
    #[arg(
        long,
        env = "HOEGO_BUSY_TIMEOUT_MS",
        default_value_t = 5_000,
        global = true
    )]
    pub busy_timeout_ms: u64,
}

impl DataArgs {
    /// The defaults, on `data_dir`.
    pub fn at(data_dir: impl Into<PathBuf>) -> Self {
        let db = Database::default();
        Self {
            data_dir: data_dir.into(),
            durability: db.durability,
            busy_timeout_ms: db.busy_timeout.as_millis() as u64,
        }
    }

    pub fn database(&self) -> Database {
        Database {
            durability: self.durability,
            busy_timeout: std::time::Duration::from_millis(self.busy_timeout_ms),
        }
    }
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
    #[command(flatten)]
    pub limits: LimitArgs,
    #[command(flatten)]
    pub alerts: AlertArgs,
    /// Where people reach hoego (links in notifications); default `http://ADDR`.
    #[arg(long, env = "HOEGO_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Seconds before a failed notification is tried again (doubling each time, 10 tries).
    #[arg(long, env = "HOEGO_NOTIFY_RETRY_SECONDS", default_value_t = 5)]
    pub notify_retry_seconds: u64,
}

/// How alerts are read and linked to incidents.
#[derive(Debug, Clone, Args)]
pub struct AlertArgs {
    /// The label that names an alert's service.
    #[arg(long, env = "HOEGO_ALERT_SERVICE_LABEL", default_value = "service")]
    pub alert_service_label: String,
    /// The label that gives an alert's priority (P0–P3).
    #[arg(long, env = "HOEGO_ALERT_PRIORITY_LABEL", default_value = "priority")]
    pub alert_priority_label: String,
    /// Without a priority label: `severity` values to priorities.
    #[arg(long, env = "HOEGO_ALERT_SEVERITY_MAP", default_value = "critical=P1,error=P2,warning=P3",
          value_parser = severity_map)]
    pub alert_severity_map: SeverityMap,
    /// An alert at or above this priority opens an incident when none is open for its service.
    #[arg(long, env = "HOEGO_ALERT_OPEN_AT", default_value = "P2")]
    pub alert_open_at: Severity,
}

impl ServeArgs {
    pub fn options(&self) -> crate::backend::Options {
        crate::backend::Options {
            alert_rules: AlertRules {
                service_label: self.alerts.alert_service_label.clone(),
                priority_label: self.alerts.alert_priority_label.clone(),
                severity_map: self.alerts.alert_severity_map.0.clone(),
                open_at: self.alerts.alert_open_at,
            },
            base_url: self
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", self.addr)),
            retry_base: std::time::Duration::from_secs(self.notify_retry_seconds.max(1)),
            ..Default::default()
        }
    }
}

/// What one client may take of the server.
#[derive(Debug, Clone, Args)]
pub struct LimitArgs {
    /// Connections served at once; more are closed on arrival.
    #[arg(long, env = "HOEGO_MAX_CONNECTIONS", default_value_t = 1_024)]
    pub max_connections: usize,
    /// Seconds a client has to send a request's headers (and how long an idle keep-alive
    /// connection stays open).
    #[arg(long, env = "HOEGO_HEADER_TIMEOUT", default_value_t = 10)]
    pub header_timeout: u64,
    /// Seconds a client has to send a request's body.
    #[arg(long, env = "HOEGO_BODY_TIMEOUT", default_value_t = 30)]
    pub body_timeout: u64,
    /// Seconds a shutdown waits for answers in flight.
    #[arg(long, env = "HOEGO_SHUTDOWN_TIMEOUT", default_value_t = 10)]
    pub shutdown_timeout: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> crate::serve::Limits {
        use std::time::Duration;
        crate::serve::Limits {
            connections: self.max_connections.max(1),
            header_timeout: Duration::from_secs(self.header_timeout.max(1)),
            body_timeout: Duration::from_secs(self.body_timeout.max(1)),
            shutdown_deadline: Duration::from_secs(self.shutdown_timeout),
        }
    }
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

/// `severity` label values and the priorities they mean.
#[derive(Clone, Debug)]
pub struct SeverityMap(pub Vec<(String, Severity)>);

fn severity_map(s: &str) -> Result<SeverityMap, String> {
    AlertRules::parse_severity_map(s).map(SeverityMap)
}

fn parse_tz(s: &str) -> Result<Tz, String> {
    s.parse()
        .map_err(|_| format!("unknown time zone `{s}` (use an IANA name like Asia/Seoul)"))
}
