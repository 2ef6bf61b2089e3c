//! TLS as registry clients do it, against `openssl s_server` on 127.0.0.1 serving the answer of
//! `GET /subjects` from a file: a private CA is refused by the built-in roots and trusted with
//! `ca_file`; a server that asks for a client certificate gets one with `client_certificate`.

use eventbind_registry::{Client, ErrorKind};
use eventbind_services::tls::{certificates, has_openssl, Server};

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
