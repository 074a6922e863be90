//! Starts the service's real dependencies as child processes on free ports: Redis, MariaDB
//! (a private data directory) and tansu (a Kafka-protocol broker, in memory or in a SQLite file).
//! Used by `coupon up`, `coupon drill`, the tests and the benchmarks; each part stops when
//! dropped, and dies with the thread that started it if that is killed first. [`Kept`] runs
//! such parts on a thread of their own, so an async caller's threads do not decide their life.

use std::fs;
use std::io;
use std::net::{TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};

/// A port nobody listens on right now.
pub fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// A child process that is killed (and reaped) when dropped.
pub(crate) struct Process {
    name: &'static str,
    child: Child,
}

impl Process {
    pub(crate) fn spawn(name: &'static str, cmd: &mut Command, log: &Path) -> Result<Process> {
        let log = fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        cmd.stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        // SAFETY: prctl is async-signal-safe; it only asks the kernel to kill this child when
        // the thread that started it ends, so no server outlives a killed test or `coupon up`.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let child = cmd
            .spawn()
            .with_context(|| format!("starting {name} (is it installed? run scripts/setup.sh)"))?;
        Ok(Process { name, child })
    }

    /// SIGTERM, then SIGKILL if it has not exited within `grace`.
    pub(crate) fn stop(&mut self, grace: Duration) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        // SAFETY: plain kill(2) on our own child's pid.
        unsafe { libc::kill(self.child.id() as i32, libc::SIGTERM) };
        let deadline = Instant::now() + grace;
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        tracing::warn!(process = self.name, "did not stop in time; killing");
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn exited(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(Some(_)))
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until something accepts connections on `port`.
pub(crate) fn wait_for_port(
    port: u16,
    process: &mut Process,
    log: &Path,
    limit: Duration,
) -> Result<()> {
    let deadline = Instant::now() + limit;
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        if process.exited() {
            bail!(
                "{} exited at start; its log {}:\n{}",
                process.name,
                log.display(),
                tail(log)
            );
        }
        if Instant::now() > deadline {
            bail!(
                "{} did not listen on port {port} within {limit:?}; its log:\n{}",
                process.name,
                tail(log)
            );
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// The last 20 lines of a log, to show why a process did not start.
pub(crate) fn tail(log: &Path) -> String {
    let text = fs::read_to_string(log).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(20)..].join("\n")
}

/// A Redis server with an append-only file, so a graceful restart keeps the counters.
pub struct RedisServer {
    pub port: u16,
    dir: PathBuf,
    process: Option<Process>,
}

impl RedisServer {
    pub fn start(dir: &Path) -> Result<RedisServer> {
        fs::create_dir_all(dir)?;
        let mut redis = RedisServer {
            port: free_port()?,
            dir: dir.to_owned(),
            process: None,
        };
        redis.launch()?;
        Ok(redis)
    }

    fn launch(&mut self) -> Result<()> {
        let log = self.dir.join("redis.log");
        let mut process = Process::spawn(
            "redis-server",
            Command::new("redis-server")
                .args([
                    "--bind",
                    "127.0.0.1",
                    "--port",
                    &self.port.to_string(),
                    "--save",
                    "",
                ])
                .args([
                    "--appendonly",
                    "yes",
                    "--appendfsync",
                    "everysec",
                    "--protected-mode",
                    "no",
                ])
                .arg("--dir")
                .arg(&self.dir),
            &log,
        )?;
        wait_for_port(self.port, &mut process, &log, Duration::from_secs(10))?;
        self.process = Some(process);
        Ok(())
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// Stops Redis gracefully (it writes its append-only file) and leaves the port closed.
    pub fn stop(&mut self) {
        if let Some(mut p) = self.process.take() {
            p.stop(Duration::from_secs(10));
        }
    }

    /// Starts it again on the same port and data.
    pub fn resume(&mut self) -> Result<()> {
        if self.process.is_none() {
            self.launch()?;
        }
        Ok(())
    }
}

/// A MariaDB server on a private data directory, root without a password, loopback only.
pub struct MariaDb {
    pub port: u16,
    process: Process,
}

fn run_as_root_flag() -> Option<&'static str> {
    // SAFETY: geteuid has no preconditions.
    (unsafe { libc::geteuid() } == 0).then_some("--user=root")
}

/// Server options shared by `mariadb-install-db` and `mariadbd`: small logs and buffers, so a
/// data directory is ~30 MB and starts in about a second.
const MARIADB_OPTIONS: &[&str] = &[
    "--no-defaults",
    "--innodb-log-file-size=16M",
    "--innodb-buffer-pool-size=256M",
    "--skip-log-bin",
    "--innodb-flush-log-at-trx-commit=2",
];

impl MariaDb {
    /// Creates a data directory in `dir` (copied from `template` when given, which is much
    /// faster than initialising one) and starts the server.
    pub fn start(dir: &Path, template: Option<&Path>) -> Result<MariaDb> {
        fs::create_dir_all(dir)?;
        let data = dir.join("data");
        match template {
            Some(template) => copy_dir(template, &data).context("copying the MariaDB template")?,
            None => init_datadir(&data, dir)?,
        }
        let port = free_port()?;
        let log = dir.join("mariadb.log");
        let mut cmd = Command::new(mariadbd()?);
        cmd.args(MARIADB_OPTIONS)
            .arg(format!("--datadir={}", data.display()))
            .arg(format!("--socket={}", dir.join("mysqld.sock").display()))
            .arg(format!("--pid-file={}", dir.join("mysqld.pid").display()))
            .args([
                "--bind-address=127.0.0.1",
                "--max-connections=1000",
                &format!("--port={port}"),
            ]);
        if let Some(user) = run_as_root_flag() {
            cmd.arg(user);
        }
        let mut process = Process::spawn("mariadbd", &mut cmd, &log)?;
        wait_for_port(port, &mut process, &log, Duration::from_secs(60))?;
        Ok(MariaDb { port, process })
    }

    /// The URL of database `name` on this server (created by the service if missing).
    pub fn url(&self, name: &str) -> String {
        format!("mysql://root@127.0.0.1:{}/{name}", self.port)
    }

    pub fn stop(mut self) {
        self.process.stop(Duration::from_secs(20));
    }
}

/// Initialises a MariaDB data directory at `data` (about 5 s).
pub fn init_datadir(data: &Path, scratch: &Path) -> Result<()> {
    let log = scratch.join("mariadb-install-db.log");
    let mut cmd = Command::new("mariadb-install-db");
    cmd.args(MARIADB_OPTIONS)
        .arg(format!("--datadir={}", data.display()))
        .args(["--auth-root-authentication-method=normal", "--skip-test-db"]);
    if let Some(user) = run_as_root_flag() {
        cmd.arg(user);
    }
    let status = cmd
        .stdout(fs::File::create(&log)?)
        .stderr(fs::File::create(scratch.join("mariadb-install-db.err"))?)
        .status()
        .context(
            "running mariadb-install-db (is mariadb-server installed? run scripts/setup.sh)",
        )?;
    if !status.success() {
        bail!("mariadb-install-db failed; see {}", scratch.display());
    }
    Ok(())
}

fn mariadbd() -> Result<PathBuf> {
    for candidate in [
        "/usr/sbin/mariadbd",
        "/usr/bin/mariadbd",
        "/usr/local/bin/mariadbd",
    ] {
        if Path::new(candidate).exists() {
            return Ok(candidate.into());
        }
    }
    bail!("mariadbd not found (install mariadb-server: run scripts/setup.sh)")
}

/// Copies a directory tree (a MariaDB data directory from its template).
pub fn copy_dir(from: &Path, to: &Path) -> io::Result<()> {
    fs::create_dir_all(to)?;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// Where a tansu broker keeps its topics and offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum BrokerStorage {
    /// In memory: fresh state each start (tests that never restart the broker).
    Memory,
    /// In a SQLite file in the broker's directory: a restarted broker keeps everything it
    /// acknowledged (`coupon up`).
    #[default]
    File,
}

/// A tansu broker.
pub struct Broker {
    pub port: u16,
    dir: PathBuf,
    storage: BrokerStorage,
    process: Option<Process>,
}

impl Broker {
    pub fn start(dir: &Path, storage: BrokerStorage) -> Result<Broker> {
        fs::create_dir_all(dir)?;
        let mut broker = Broker {
            port: free_port()?,
            dir: dir.to_owned(),
            storage,
            process: None,
        };
        broker.launch()?;
        Ok(broker)
    }

    fn launch(&mut self) -> Result<()> {
        let url = format!("tcp://127.0.0.1:{}", self.port);
        let log = self.dir.join("tansu.log");
        // tansu opens `sqlite://NAME` relative to its working directory.
        let engine = match self.storage {
            BrokerStorage::Memory => "memory://tansu/",
            BrokerStorage::File => "sqlite://tansu.db",
        };
        let mut process = Process::spawn(
            "tansu",
            Command::new("tansu")
                .arg("broker")
                .args(["--storage-engine", engine])
                .args(["--listener-url", &url, "--advertised-listener-url", &url])
                .current_dir(&self.dir)
                .env("RUST_LOG", "warn"),
            &log,
        )?;
        wait_for_port(self.port, &mut process, &log, Duration::from_secs(20))?;
        self.process = Some(process);
        Ok(())
    }

    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Stops the broker: SIGTERM, then SIGKILL after 5 s.
    pub fn stop(&mut self) {
        if let Some(mut p) = self.process.take() {
            p.stop(Duration::from_secs(5));
        }
    }

    /// Stops the broker and starts it again on the same port and storage.
    pub fn restart(&mut self) -> Result<()> {
        self.stop();
        self.launch()
    }

    /// Freezes the broker process (SIGSTOP): to clients it is down — connections accept nothing
    /// and requests time out — while it keeps its state, as a broker that stopped answering
    /// would.
    pub fn pause(&mut self) {
        self.signal(libc::SIGSTOP);
    }

    /// Lets a paused broker run again (SIGCONT).
    pub fn unpause(&mut self) {
        self.signal(libc::SIGCONT);
    }

    fn signal(&self, signal: i32) {
        if let Some(p) = &self.process {
            // SAFETY: kill(2) on our own child's pid.
            unsafe { libc::kill(p.child.id() as i32, signal) };
        }
    }
}

/// Child processes kept by a thread of their own, from start until [`Kept::stop`] (or this is
/// dropped). A child started with `PR_SET_PDEATHSIG` dies with the thread that started it; a
/// runtime's worker or blocking threads come and go, so servers must not be started on them.
pub struct Kept<I> {
    /// What the starter reported: addresses, URLs.
    pub info: I,
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl<I: Send + 'static> Kept<I> {
    /// Runs `start` on a new thread, which keeps what it returns until told to stop and then
    /// hands it to `stop` (which should end the processes gracefully; dropping kills them).
    pub async fn start<T: 'static>(
        name: &str,
        start: impl FnOnce() -> Result<(T, I)> + Send + 'static,
        stop: impl FnOnce(T) + Send + 'static,
    ) -> Result<Kept<I>> {
        let (ready_tx, ready_rx) = tokio::sync::oneshot::channel();
        let (stop_tx, stop_rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || match start() {
                Ok((kept, info)) => {
                    let _ = ready_tx.send(Ok(info));
                    let _ = stop_rx.recv();
                    stop(kept);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            })
            .with_context(|| format!("starting the {name} thread"))?;
        let info = ready_rx
            .await
            .map_err(|_| anyhow!("the {name} thread ended before it reported"))??;
        Ok(Kept {
            info,
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }

    /// Stops the processes and waits until they are gone.
    pub async fn stop(mut self) {
        self.stop.take();
        if let Some(thread) = self.thread.take() {
            let _ = tokio::task::spawn_blocking(move || thread.join()).await;
        }
    }
}

impl<I> Drop for Kept<I> {
    /// Tells the thread to stop without waiting for it; its children die with it at the latest.
    fn drop(&mut self) {
        self.stop.take();
    }
}
