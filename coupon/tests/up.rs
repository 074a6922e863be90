//! `coupon up`: starts the whole stack, says where it listens in one line (and on the next, the
//! admin token it generated), and takes everything down again on SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn up_serves_on_one_printed_line_and_sigterm_stops_every_part() {
    let mut up = Command::new(env!("CARGO_BIN_EXE_coupon"))
        .arg("up")
        .env("COUPON_LOG", "info")
        .env_remove("COUPON_ADMIN_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(up.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let base = line
        .trim()
        .strip_prefix("coupon listening on ")
        .unwrap_or_else(|| panic!("first line: {line:?}"))
        .to_owned();
    let addr = base.strip_prefix("http://").unwrap().to_owned();
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let token = line
        .trim()
        .strip_prefix("coupon admin token: ")
        .unwrap_or_else(|| panic!("second line: {line:?}"))
        .to_owned();

    // The stack's own ports, from the structured log.
    let mut stderr = BufReader::new(up.stderr.take().unwrap()).lines();
    let mut ports = Vec::new();
    for l in stderr.by_ref() {
        let l = l.unwrap();
        if l.contains("stack ready") {
            let v: serde_json::Value = serde_json::from_str(&l).unwrap();
            for key in ["redis", "mysql", "broker"] {
                let url = v[key].as_str().unwrap();
                let port: u16 = url
                    .rsplit(':')
                    .next()
                    .unwrap()
                    .split('/')
                    .next()
                    .unwrap()
                    .parse()
                    .unwrap();
                ports.push(port);
            }
            break;
        }
    }
    assert_eq!(ports.len(), 3);
    // Read the rest of the log as it comes: with its stderr closed, the service's log lines
    // could not be written (and a request that logs would fail).
    std::thread::spawn(move || stderr.for_each(drop));
    let mut http = TcpStream::connect(&addr).unwrap();
    std::io::Write::write_all(&mut http, b"GET /readyz HTTP/1.0\r\n\r\n").unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut http, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.0 200"), "{answer}");
    assert!(
        answer.contains(r#""broker":"ok""#) && answer.contains(r#""mysql":"ok""#),
        "{answer}"
    );
    // The printed token is the one event creation needs.
    let create = |authorization: &str| {
        let body = r#"{"name":"up","stock":1}"#;
        let mut http = TcpStream::connect(&addr).unwrap();
        let request = format!(
            "POST /api/events HTTP/1.0\r\ncontent-type: application/json\r\n{authorization}\
             content-length: {}\r\n\r\n{body}",
            body.len()
        );
        std::io::Write::write_all(&mut http, request.as_bytes()).unwrap();
        let mut answer = String::new();
        std::io::Read::read_to_string(&mut http, &mut answer).unwrap();
        answer
    };
    let answer = create("");
    assert!(answer.starts_with("HTTP/1.0 401"), "{answer}");
    let answer = create(&format!("authorization: Bearer {token}\r\n"));
    assert!(answer.starts_with("HTTP/1.0 201"), "{answer}");

    // SAFETY: kill(2) on our own child.
    unsafe { libc::kill(up.id() as i32, libc::SIGTERM) };
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = up.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "coupon up did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "{status}");
    for port in ports
        .into_iter()
        .chain([addr.rsplit(':').next().unwrap().parse().unwrap()])
    {
        assert!(
            TcpStream::connect(("127.0.0.1", port)).is_err(),
            "port {port} still open after shutdown"
        );
    }
}
