//! `coupon up`: the whole stack for a person or a drill — its own Redis, MariaDB and broker on
//! free ports with fresh state, then the service. Prints `coupon listening on URL` when ready
//! and stops everything on Ctrl-C or SIGTERM.
//!
//! Without `--admin-token` / `COUPON_ADMIN_TOKEN` it generates a random admin token and prints
//! it on the line after the ready line, `coupon admin token: TOKEN` (both lines are written at
//! once), so whoever started it can create events and inject faults; a configured token is
//! not printed.
//!
//! [`Up::start`] is the same stack as a value, for `coupon drill`.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use crate::admin::AdminToken;
use crate::config::ServeConfig;
use crate::stack::{Broker, BrokerStorage, Kept, MariaDb, RedisServer, free_port};

#[derive(Debug, Clone, Default, Args)]
pub struct UpArgs {
    /// Port for the service (default: a free one).
    #[arg(long, env = "COUPON_PORT")]
    pub port: Option<u16>,
    /// Where the stack keeps its data (default: a fresh temporary directory, removed at exit).
    #[arg(long)]
    pub state_dir: Option<PathBuf>,
    /// Where the broker keeps topics and offsets: `file` (a SQLite file: a restarted broker
    /// keeps what it acknowledged) or `memory` (faster, forgets everything when it stops).
    #[arg(long, value_enum, default_value_t = BrokerStorage::File)]
    pub broker_storage: BrokerStorage,
}

pub async fn up(args: UpArgs, config: ServeConfig) -> Result<()> {
    let up = Up::start(&args, config).await?;
    let mut ready = format!("coupon listening on {}\n", up.url);
    if up.generated_token {
        ready.push_str(&format!("coupon admin token: {}\n", up.admin_token));
    }
    // One write, so whoever sees the ready line finds the token after it.
    print!("{ready}");
    up.run_until(crate::shutdown_signal()).await
}

/// Where the dependencies listen.
struct Urls {
    redis: String,
    mysql: String,
    broker: String,
}

/// The stack and the service on it, running.
pub struct Up {
    /// The service's base URL, `http://127.0.0.1:PORT`.
    pub url: String,
    /// The admin token the service requires (generated unless the config had one).
    pub admin_token: String,
    pub generated_token: bool,
    stop: tokio::sync::oneshot::Sender<()>,
    served: tokio::task::JoinHandle<Result<()>>,
    stack: Kept<Urls>,
    _temp: Option<tempfile::TempDir>,
}

impl Up {
    /// Starts Redis, MariaDB and the broker on their own thread, then the service on this
    /// runtime with `config` pointed at them (and on `args.port`, or a free port).
    pub async fn start(args: &UpArgs, mut config: ServeConfig) -> Result<Up> {
        let temp = match &args.state_dir {
            Some(_) => None,
            None => Some(
                tempfile::Builder::new()
                    .prefix("coupon-up-")
                    .tempdir()
                    .context("creating a state directory")?,
            ),
        };
        let dir = match (&args.state_dir, &temp) {
            (Some(dir), _) => dir.clone(),
            (None, Some(temp)) => temp.path().to_owned(),
            (None, None) => unreachable!("a temporary directory is made when none is given"),
        };
        tracing::info!(dir = %dir.display(), "starting redis, mariadb and the broker");
        let storage = args.broker_storage;
        let stack = Kept::start(
            "coupon-stack",
            move || {
                let redis = RedisServer::start(&dir.join("redis"))?;
                let mariadb = MariaDb::start(&dir.join("mariadb"), None)?;
                let broker = Broker::start(&dir.join("broker"), storage)?;
                let urls = Urls {
                    redis: redis.url(),
                    mysql: mariadb.url("coupon"),
                    broker: broker.address(),
                };
                Ok(((redis, mariadb, broker), urls))
            },
            // Each gracefully, so what they acknowledged is on disk for `--state-dir`.
            |(mut redis, mariadb, mut broker)| {
                broker.stop();
                mariadb.stop();
                redis.stop();
            },
        )
        .await?;
        let urls = &stack.info;
        tracing::info!(redis = %urls.redis, mysql = %urls.mysql, broker = %urls.broker, "stack ready");
        config.redis_url = urls.redis.clone();
        config.mysql_url = urls.mysql.clone();
        config.broker = urls.broker.clone();
        let port = match args.port {
            Some(p) => p,
            None => free_port()?,
        };
        config.addr = ([127, 0, 0, 1], port).into();
        let generated_token = config.admin_token.is_none();
        let token = config
            .admin_token
            .get_or_insert_with(AdminToken::generate)
            .as_str()
            .to_owned();
        let (addr_tx, addr_rx) = tokio::sync::oneshot::channel();
        let (stop, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let served = tokio::spawn(crate::serve_until(
            config,
            |addr| {
                let _ = addr_tx.send(addr);
            },
            async move {
                let _ = stop_rx.await;
            },
        ));
        let addr = match addr_rx.await {
            Ok(addr) => addr,
            // The service ended before it listened: its error says why.
            Err(_) => {
                let failed = served.await.context("the service task")?;
                stack.stop().await;
                failed?;
                anyhow::bail!("the service stopped before it listened");
            }
        };
        Ok(Up {
            url: format!("http://{addr}"),
            admin_token: token,
            generated_token,
            stop,
            served,
            stack,
            _temp: temp,
        })
    }

    /// Serves until `stop` resolves (or the service fails), then takes everything down.
    pub async fn run_until(mut self, stop: impl Future<Output = ()>) -> Result<()> {
        let ended = tokio::select! {
            _ = stop => None,
            ended = &mut self.served => Some(ended),
        };
        match ended {
            None => self.stop().await,
            Some(ended) => {
                self.stack.stop().await;
                served(ended)?;
                anyhow::bail!("the service stopped on its own")
            }
        }
    }

    /// Stops the service, then the stack; the service's error, if it failed.
    pub async fn stop(self) -> Result<()> {
        let _ = self.stop.send(());
        let ended = self.served.await;
        tracing::info!("service stopped; stopping the stack");
        self.stack.stop().await;
        tracing::info!("stack stopped");
        served(ended)
    }
}

fn served(ended: Result<Result<()>, tokio::task::JoinError>) -> Result<()> {
    ended.map_err(|e| anyhow::anyhow!("the service task failed: {e}"))?
}
