//! A real hoego for the drill and load-test tests: the `hoego` binary that `cargo test
//! --workspace` builds (the server crate), started on a free port over a fresh data directory,
//! with tokens made by its own command line.
#![allow(dead_code)]

use std::io::Read;
use std::net::TcpStream;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Hoego {
    pub url: String,
    /// A token with the scopes ingest,write.
    pub token: String,
    /// A token with the scope read, to check what hoego stored.
    pub read_token: String,
    pub http: reqwest::Client,
    child: Child,
    _dir: tempfile::TempDir,
}

/// `<target dir>/debug/hoego`: the target dir is `CARGO_TARGET_DIR` if set, else the
/// workspace's `target`.
fn binary() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    let bin = target.join("debug/hoego");
    assert!(
        bin.is_file(),
        "the hoego binary is not at {}: the drill tests need a real hoego. `cargo test \
         --workspace` builds it; with `cargo test -p coupon`, run `cargo build -p server` first",
        bin.display()
    );
    bin
}

impl Hoego {
    pub fn start() -> Hoego {
        let bin = binary();
        let dir = tempfile::Builder::new()
            .prefix("coupon-drill-hoego-")
            .tempdir()
            .unwrap();
        let data = dir.path().join("data");
        let token = create_token(&bin, &data, "drill", "ingest,write");
        let read_token = create_token(&bin, &data, "checks", "read");
        let port = coupon::stack::free_port().unwrap();
        let log = std::fs::File::create(dir.path().join("hoego.log")).unwrap();
        let mut cmd = Command::new(&bin);
        cmd.arg("serve")
            .arg("--data-dir")
            .arg(&data)
            .args(["--addr", &format!("127.0.0.1:{port}")])
            // The API needs no front end; pages are not asked for.
            .arg("--site-root")
            .arg(dir.path())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        // SAFETY: prctl only asks the kernel to kill hoego if this test's thread ends first.
        unsafe {
            cmd.pre_exec(|| {
                libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                Ok(())
            });
        }
        let mut child = cmd.spawn().expect("starting hoego serve");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
                use std::io::Write;
                let _ = s.write_all(b"GET /healthz HTTP/1.0\r\n\r\n");
                let mut answer = String::new();
                let _ = s.read_to_string(&mut answer);
                if answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200") {
                    break;
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "hoego exited at start ({status}): {}",
                    std::fs::read_to_string(dir.path().join("hoego.log")).unwrap_or_default()
                );
            }
            assert!(
                Instant::now() < deadline,
                "hoego did not answer within 60 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Hoego {
            url: format!("http://127.0.0.1:{port}"),
            token,
            read_token,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap(),
            child,
            _dir: dir,
        }
    }

    /// `GET /api/v1{path}` with the token; the status and the JSON body.
    pub async fn get(&self, path: &str) -> (u16, serde_json::Value) {
        self.answer(self.http.get(self.api(path)).bearer_auth(&self.token))
            .await
    }

    /// `GET /api/v1{path}` with the read token: what hoego stored, asked as a reader would.
    pub async fn read(&self, path: &str) -> (u16, serde_json::Value) {
        self.answer(self.http.get(self.api(path)).bearer_auth(&self.read_token))
            .await
    }

    /// `POST /api/v1{path}` with the token and a JSON body.
    pub async fn post(&self, path: &str, body: serde_json::Value) -> (u16, serde_json::Value) {
        self.answer(
            self.http
                .post(self.api(path))
                .bearer_auth(&self.token)
                .json(&body),
        )
        .await
    }

    fn api(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.url)
    }

    async fn answer(&self, request: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
        let r = request.send().await.unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }
}

/// `hoego token create` over `data`: the token it printed.
fn create_token(bin: &Path, data: &Path, name: &str, scopes: &str) -> String {
    let output = Command::new(bin)
        .args(["token", "--data-dir"])
        .arg(data)
        .args(["create", "--name", name, "--scope", scopes])
        .output()
        .expect("running hoego token create");
    assert!(
        output.status.success(),
        "hoego token create failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    assert!(!token.is_empty(), "hoego token create printed no token");
    token
}

impl Drop for Hoego {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
