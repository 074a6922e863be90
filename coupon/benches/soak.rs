//! Soak run of the coupon service (issue 19): 1,000 users issuing with 500 ms think time for 10
//! minutes (`SOAK_MINUTES`), against its own Redis, MariaDB and tansu (SQLite storage); Redis is
//! restarted gracefully at 40 % of the run and the broker at 70 %. At the end, after the
//! pipeline drains: what Redis issued, what MySQL holds (equal, user for user), never over the
//! stock, and the answers the users got. Prints one Markdown table row.
//!
//!   cargo bench -p coupon --bench soak        (scripts/soak-coupon builds and runs it)

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use coupon::admin::AdminToken;
use coupon::config::ServeConfig;
use coupon::loadtest::{LoadtestArgs, Scenario, execute_until};
use coupon::stack::{Broker, BrokerStorage, MariaDb, RedisServer, free_port};

fn main() -> Result<()> {
    let minutes: u64 = std::env::var("SOAK_MINUTES")
        .ok()
        .and_then(|m| m.parse().ok())
        .unwrap_or(10);
    let run = Duration::from_secs(minutes * 60);
    let dir = tempfile::Builder::new().prefix("coupon-soak-").tempdir()?;
    let mut redis = RedisServer::start(&dir.path().join("redis"))?;
    let mariadb = MariaDb::start(&dir.path().join("mariadb"), None)?;
    let mut broker = Broker::start(&dir.path().join("broker"), BrokerStorage::File)?;
    let mysql_url = mariadb.url("coupon");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut config = ServeConfig::from_env();
    let port = free_port()?;
    config.addr = ([127, 0, 0, 1], port).into();
    config.redis_url = redis.url();
    config.mysql_url = mysql_url.clone();
    config.broker = broker.address();
    let token = AdminToken::generate();
    config.admin_token = Some(token.clone());
    let (stop_service, service_stopped) = tokio::sync::oneshot::channel::<()>();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let service = rt.spawn(coupon::serve_until(
        config,
        move |addr| {
            let _ = ready_tx.send(addr);
        },
        async move {
            let _ = service_stopped.await;
        },
    ));
    let addr = ready_rx
        .recv_timeout(Duration::from_secs(60))
        .context("the service did not start")?;
    let target = format!("http://{addr}");

    let mut args = LoadtestArgs::new(&target, Scenario::Issue);
    args.vus = 1000;
    args.think_time = Duration::from_millis(500);
    args.ramp_up = Duration::from_secs(10);
    args.duration = run + Duration::from_secs(60);
    args.admin_token = Some(token.as_str().to_owned());
    let (stop_load, load_stopped) = tokio::sync::oneshot::channel::<()>();
    let load = rt.spawn(async move {
        execute_until(&args, async move {
            let _ = load_stopped.await;
        })
        .await
    });

    let started = Instant::now();
    let wait_until = |share: f64| {
        let at = run.mul_f64(share);
        if let Some(left) = at.checked_sub(started.elapsed()) {
            std::thread::sleep(left);
        }
    };
    wait_until(0.4);
    eprintln!(
        "restarting Redis ({:.0} s in)",
        started.elapsed().as_secs_f64()
    );
    redis.stop();
    std::thread::sleep(Duration::from_secs(2));
    redis.resume()?;
    wait_until(0.7);
    eprintln!(
        "restarting the broker ({:.0} s in)",
        started.elapsed().as_secs_f64()
    );
    broker.restart()?;
    wait_until(1.0);
    let _ = stop_load.send(());
    let summary = rt.block_on(load)??;
    let Some(check) = &summary.issue else {
        bail!("the issue run made no consistency check");
    };
    // Short at the check: watch until MySQL catches up or `SOAK_WATCH_SECS` pass, so a run
    // tells a pipeline that is late (the outbox or the broker still holding coupons) from one
    // that lost them (nothing left anywhere, and MySQL still short). Counts while watching;
    // the users themselves are compared once, after.
    let watch = Duration::from_secs(
        std::env::var("SOAK_WATCH_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(300),
    );
    let watching = Instant::now();
    if check.persisted != check.issued {
        loop {
            let seen = rt.block_on(pipeline(&target, &redis.url(), &mysql_url, check.event))?;
            eprintln!(
                "{:>4.0} s after the check: {}",
                watching.elapsed().as_secs_f64(),
                seen.text
            );
            if seen.issued == seen.persisted || watching.elapsed() >= watch {
                break;
            }
            std::thread::sleep(Duration::from_secs(5));
        }
    }
    let (redis_users, mysql_users) = rt.block_on(users(&redis.url(), &mysql_url, check.event))?;
    let _ = stop_service.send(());
    let _ = rt.block_on(service);
    mariadb.stop();

    let status = |s: i32| summary.statuses.get(&s).copied().unwrap_or(0);
    println!(
        "| {minutes} min | {} | {:.0} | {} | {} | {} | {} | {:.1} ms | {} | {} | {} | **{}** | {} |",
        summary.requests(),
        summary.rps(),
        status(201),
        status(503),
        status(-1),
        summary.failed() - status(503) - status(-1),
        summary.ms(0.99),
        check.issued,
        mysql_users.len(),
        check.issued <= check.stock,
        if redis_users == mysql_users && check.issued as usize == redis_users.len() {
            "yes"
        } else {
            "NO"
        },
        if check.persisted == check.issued {
            "at once".to_owned()
        } else {
            format!("{:.0} s later", watching.elapsed().as_secs_f64())
        }
    );
    Ok(())
}

/// What the pipeline holds at one moment.
struct Seen {
    /// Coupons in Redis's issued set.
    issued: u64,
    /// Coupons in MySQL.
    persisted: u64,
    /// Those two, and where the rest wait: the outbox's length, the service's own gauges and
    /// the dead letters by error.
    text: String,
}

async fn pipeline(target: &str, redis_url: &str, mysql_url: &str, event: u64) -> Result<Seen> {
    use sqlx::Connection;
    let client = redis::Client::open(redis_url)?;
    let mut conn = client.get_multiplexed_async_connection().await?;
    let outbox: u64 = redis::cmd("XLEN")
        .arg(coupon::redis::outbox_key(event))
        .query_async(&mut conn)
        .await?;
    let issued: u64 = redis::cmd("SCARD")
        .arg(coupon::redis::users_key(event))
        .query_async(&mut conn)
        .await?;
    let metrics = reqwest::get(format!("{target}/metrics"))
        .await?
        .text()
        .await?;
    let gauges: Vec<&str> = metrics
        .lines()
        .filter(|l| {
            [
                "coupon_producer_queue_depth",
                "coupon_consumer_lag_messages",
                "coupon_producer_errors_total",
                "coupon_dead_letters_total",
            ]
            .iter()
            .any(|g| l.starts_with(g))
        })
        .collect();
    let mut db = sqlx::MySqlConnection::connect(mysql_url).await?;
    let (persisted,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM coupons WHERE event_id = ?")
        .bind(event)
        .fetch_one(&mut db)
        .await?;
    let dead: Vec<(String, i64)> =
        sqlx::query_as("SELECT error, COUNT(*) FROM dead_letters GROUP BY error")
            .fetch_all(&mut db)
            .await?;
    Ok(Seen {
        issued,
        persisted: persisted as u64,
        text: format!(
            "Redis {issued} MySQL {persisted} | outbox {outbox} | {} | dead letters {dead:?}",
            gauges.join(" | ")
        ),
    })
}

/// The event's users in Redis and in MySQL, each sorted.
async fn users(redis_url: &str, mysql_url: &str, event: u64) -> Result<(Vec<String>, Vec<String>)> {
    use sqlx::Connection;
    let client = redis::Client::open(redis_url)?;
    // A 10-minute run issues about a million coupons: their set takes longer to send than
    // redis-rs's default 500 ms response timeout (what failed session 11's run at the end).
    let patient =
        redis::AsyncConnectionConfig::new().set_response_timeout(Some(Duration::from_secs(120)));
    let mut conn = client
        .get_multiplexed_async_connection_with_config(&patient)
        .await?;
    let mut in_redis: Vec<String> = redis::cmd("SMEMBERS")
        .arg(coupon::redis::users_key(event))
        .query_async(&mut conn)
        .await?;
    in_redis.sort();
    let mut db = sqlx::MySqlConnection::connect(mysql_url).await?;
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT CONVERT(user_id USING utf8mb4) FROM coupons WHERE event_id = ?")
            .bind(event)
            .fetch_all(&mut db)
            .await?;
    let mut in_mysql: Vec<String> = rows.into_iter().map(|(u,)| u).collect();
    in_mysql.sort();
    Ok((in_redis, in_mysql))
}
