//! `coupon up`: starts the whole stack, says where it listens in one line, and takes everything
//! down again on SIGTERM.

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[test]
fn up_serves_on_one_printed_line_and_sigterm_stops_every_part() {
    let mut up = Command::new(env!("CARGO_BIN_EXE_coupon"))
        .arg("up")
        .env("COUPON_LOG", "info")
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

    // The stack's own ports, from the structured log.
    let stderr = BufReader::new(up.stderr.take().unwrap());
    let mut ports = Vec::new();
    for l in stderr.lines() {
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
    let mut http = TcpStream::connect(&addr).unwrap();
    std::io::Write::write_all(&mut http, b"GET /readyz HTTP/1.0\r\n\r\n").unwrap();
    let mut answer = String::new();
    std::io::Read::read_to_string(&mut http, &mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.0 200"), "{answer}");
    assert!(
        answer.contains(r#""broker":"ok""#) && answer.contains(r#""mysql":"ok""#),
        "{answer}"
    );

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
