//! `coupon up`: the whole stack for a person or a drill — its own Redis, MariaDB and broker on
//! free ports with fresh state, then the service. Prints `coupon listening on URL` when ready
//! and stops everything on Ctrl-C or SIGTERM.
//!
//! Without `--admin-token` / `COUPON_ADMIN_TOKEN` it generates a random admin token and prints
//! it on the line after the ready line, `coupon admin token: TOKEN` (both lines are written at
//! once), so whoever started it can create events and inject faults; a configured token is
//! not printed.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use crate::admin::AdminToken;
use crate::config::ServeConfig;
use crate::stack::{Broker, MariaDb, RedisServer, free_port};

#[derive(Debug, Args)]
pub struct UpArgs {
    /// Port for the service (default: a free one).
    #[arg(long, env = "COUPON_PORT")]
    pub port: Option<u16>,
    /// Where the stack keeps its data (default: a fresh temporary directory, removed at exit).
    #[arg(long)]
    pub state_dir: Option<PathBuf>,
}

pub async fn up(args: UpArgs, mut config: ServeConfig) -> Result<()> {
    let temp;
    let dir = match &args.state_dir {
        Some(dir) => dir.clone(),
        None => {
            temp = tempfile::Builder::new()
                .prefix("coupon-up-")
                .tempdir()
                .context("creating a state directory")?;
            temp.path().to_owned()
        }
    };
    tracing::info!(dir = %dir.display(), "starting redis, mariadb and the broker");
    // The children are started from one blocking thread that stays alive until shutdown, so
    // they die with it even if this process is killed.
    let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
    let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
    let stack_dir = dir.clone();
    let keeper = std::thread::spawn(move || -> Result<()> {
        let started = (|| -> Result<_> {
            let redis = RedisServer::start(&stack_dir.join("redis"))?;
            let mariadb = MariaDb::start(&stack_dir.join("mariadb"), None)?;
            let broker = Broker::start(&stack_dir.join("broker"))?;
            Ok((redis, mariadb, broker))
        })();
        match started {
            Ok((redis, mariadb, broker)) => {
                let urls = (redis.url(), mariadb.url("coupon"), broker.address());
                let _ = ready_tx.send(Ok(urls));
                let _ = stop_rx.recv();
                drop(broker);
                mariadb.stop();
                drop(redis);
                Ok(())
            }
            Err(e) => {
                let _ = ready_tx.send(Err(e));
                Ok(())
            }
        }
    });
    let (redis_url, mysql_url, broker) = ready_rx.await.context("stack thread ended")??;
    tracing::info!(redis = %redis_url, mysql = %mysql_url, broker = %broker, "stack ready");
    config.redis_url = redis_url;
    config.mysql_url = mysql_url;
    config.broker = broker;
    let port = match args.port {
        Some(p) => p,
        None => free_port()?,
    };
    config.addr = ([127, 0, 0, 1], port).into();
    let generated = match config.admin_token {
        Some(_) => None,
        None => {
            let token = AdminToken::generate();
            config.admin_token = Some(token.clone());
            Some(token)
        }
    };
    let served = crate::serve(config, |addr| {
        let mut ready = format!("coupon listening on http://{addr}\n");
        if let Some(token) = generated {
            ready.push_str(&format!("coupon admin token: {}\n", token.as_str()));
        }
        // One write, so whoever sees the ready line finds the token after it.
        print!("{ready}");
    })
    .await;
    let _ = stop_tx.send(());
    let _ = tokio::task::spawn_blocking(move || keeper.join()).await;
    served
}
