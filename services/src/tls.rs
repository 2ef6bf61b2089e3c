//! A real TLS server for the registry clients' tests: `openssl s_server` on 127.0.0.1 with a
//! private CA, a server certificate and a client certificate made by `openssl` (Debian's openssl,
//! installed by `.ci/run` when missing).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA.
pub fn certificates(dir: &Path) {
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    openssl(
        dir,
        &[
            &["req", "-x509"][..],
            &ec,
            &["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=eventbind test CA"],
        ]
        .concat(),
    );
    std::fs::write(dir.join("server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n")
        .unwrap();
    std::fs::write(dir.join("client.ext"), "extendedKeyUsage=clientAuth\n").unwrap();
    for who in ["server", "client"] {
        let (key, csr, pem, ext) =
            (format!("{who}.key"), format!("{who}.csr"), format!("{who}.pem"), format!("{who}.ext"));
        openssl(dir, &[&["req"][..], &ec, &["-keyout", &key, "-out", &csr, "-subj", &format!("/CN={who}")]].concat());
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                &csr,
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-days",
                "2",
                "-extfile",
                &ext,
                "-out",
                &pem,
            ],
        );
    }
}

/// `openssl s_server -WWW`, answering `GET /subjects` with the file `subjects`; killed on drop.
#[derive(Debug)]
pub struct Server {
    child: Child,
    /// `https://127.0.0.1:<port>`.
    pub url: String,
}

impl Server {
    /// Serves the files of `dir` (holding [`certificates`]); with `verify_client` it asks for a
    /// client certificate signed by the CA.
    pub fn start(dir: &Path, verify_client: bool) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut command = Command::new("openssl");
        command
            .args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-cert", "server.pem", "-key", "server.key"])
            .args(["-WWW", "-quiet"])
            .current_dir(dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        if verify_client {
            command.args(["-Verify", "1", "-verify_return_error", "-CAfile", "ca.pem"]);
        }
        let child = command.spawn().expect("openssl s_server starts");
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(start.elapsed() < Duration::from_secs(10), "s_server did not listen");
            std::thread::sleep(Duration::from_millis(50));
        }
        Server { child, url: format!("https://127.0.0.1:{port}") }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Whether the `openssl` command is there; without it a skip line (a failure with `CI=true`).
pub fn has_openssl() -> bool {
    let found = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(!crate::required(), "CI=true and `openssl` is missing: install Debian's openssl");
        eprintln!("skipped: the TLS tests need the `openssl` command (Debian's openssl)");
    }
    found
}
