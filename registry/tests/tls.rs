//! TLS as registry clients do it, against `openssl s_server` on 127.0.0.1 serving the answer of
//! `GET /subjects` from a file: a private CA is refused by the built-in roots and trusted with
//! `ca_file`; a server that asks for a client certificate gets one with `client_certificate`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use eventbind_registry::{Client, ErrorKind};

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA.
fn certificates(dir: &Path) {
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
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(dir: &Path, verify_client: bool) -> Server {
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

fn has_openssl() -> bool {
    let found = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(!eventbind_services::required(), "CI=true and `openssl` is missing: install Debian's openssl");
        eprintln!("skipped: the TLS tests need the `openssl` command (Debian's openssl)");
    }
    found
}

#[test]
fn a_private_ca_is_trusted_only_when_given() {
    if !has_openssl() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path());
    std::fs::write(dir.path().join("subjects"), r#"["over-tls"]"#).unwrap();
    let server = Server::start(dir.path(), false);
    let untrusted = Client::new(&server.url).unwrap().subjects().unwrap_err();
    assert!(matches!(untrusted.kind(), ErrorKind::Transport(_)), "{untrusted}");
    assert!(untrusted.to_string().to_lowercase().contains("certificate"), "{untrusted}");
    let server = Server::start(dir.path(), false);
    let trusted = Client::builder(&server.url).ca_file(dir.path().join("ca.pem")).build().unwrap();
    assert_eq!(trusted.subjects().unwrap(), ["over-tls"]);
}

#[test]
fn a_client_certificate_is_presented_when_asked_for() {
    if !has_openssl() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path());
    std::fs::write(dir.path().join("subjects"), r#"["mutual"]"#).unwrap();
    let server = Server::start(dir.path(), true);
    let anonymous = Client::builder(&server.url).ca_file(dir.path().join("ca.pem")).build().unwrap();
    assert!(anonymous.subjects().is_err(), "the server wants a client certificate");
    let server = Server::start(dir.path(), true);
    let known = Client::builder(&server.url)
        .ca_file(dir.path().join("ca.pem"))
        .client_certificate(dir.path().join("client.pem"), dir.path().join("client.key"))
        .build()
        .unwrap();
    assert_eq!(known.subjects().unwrap(), ["mutual"]);
}

#[test]
fn unusable_ca_files_are_clear_errors_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("missing.pem");
    let err = Client::builder("https://127.0.0.1:1").ca_file(&missing).build().unwrap_err();
    assert!(err.to_string().contains(&format!("cannot read the CA file {}", missing.display())), "{err}");
    let empty = dir.path().join("empty.pem");
    std::fs::write(&empty, "no certificate here\n").unwrap();
    let err = Client::builder("https://127.0.0.1:1").ca_file(&empty).build().unwrap_err();
    assert!(err.to_string().contains("holds no PEM certificate"), "{err}");
    assert!(matches!(err.kind(), ErrorKind::Config(_)));
}
