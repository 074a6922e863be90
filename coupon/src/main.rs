use clap::{Parser, Subcommand};

use coupon::config::ServeConfig;
use coupon::drill::DrillArgs;
use coupon::loadtest::LoadtestArgs;
use coupon::up::UpArgs;

/// The bundled coupon service: first-come-first-served coupons and top products on Redis,
/// a Kafka-protocol queue and MySQL.
#[derive(Parser)]
#[command(name = "coupon", version)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API against existing Redis, MySQL and broker.
    Serve(ServeConfig),
    /// Start Redis, MariaDB and a broker on free ports with fresh state, then serve (with a
    /// generated admin token, printed after the ready line, unless one is given).
    Up {
        #[command(flatten)]
        up: UpArgs,
        #[command(flatten)]
        config: ServeConfig,
    },
    /// Load-test a running service.
    Loadtest(LoadtestArgs),
    /// Drill one of the seed's scenarios (or all): inject its fault under load and time how
    /// the alerts reach hoego and open an incident there, marked a drill.
    Drill(DrillArgs),
}

fn main() -> anyhow::Result<()> {
    coupon::logging::init();
    let cli = Cli::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve(config) => coupon::serve(config, |_| {}).await,
            Command::Up { up, config } => coupon::up::up(up, config).await,
            Command::Loadtest(args) => coupon::loadtest::run(args).await,
            Command::Drill(args) => coupon::drill::run(args).await,
        }
    });
    // A blocking call still waiting on a broker that is gone must not hold the exit (dropping
    // the runtime would wait for it).
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    result
}
