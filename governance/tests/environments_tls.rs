//! An environment of `eventbind.yaml` with TLS settings, against `openssl s_server` on 127.0.0.1
//! (a real TLS server, asking for a client certificate): the CA file, client certificate and key
//! named relative to `eventbind.yaml` are the ones the registry client uses.

use eventbind_governance::registry_config::RegistryConfig;
use eventbind_services::tls::{certificates, has_openssl, Server};

#[test]
fn an_environment_trusts_its_ca_file_and_presents_its_client_certificate() {
    if !has_openssl() {
        return;
    }
    let catalog = tempfile::tempdir().unwrap();
    let certs = catalog.path().join("certs");
    std::fs::create_dir(&certs).unwrap();
    certificates(&certs);
    std::fs::write(certs.join("subjects"), r#"["over-mutual-tls"]"#).unwrap();
    let server = Server::start(&certs, true);
    let yaml = |tls: &str| format!("registry:\n  environments:\n    secure:\n      url: {}\n{tls}", server.url);
    let full = "      tls:\n        ca_file: certs/ca.pem\n        client_certificate: certs/client.pem\n        \
                client_key: certs/client.key\n";
    std::fs::write(catalog.path().join("eventbind.yaml"), yaml(full)).unwrap();
    let config = RegistryConfig::load(catalog.path()).unwrap();
    let no_vars = |_: &str| None;
    let client = config.environment("secure").unwrap().client(&no_vars).unwrap();
    assert_eq!(client.subjects().unwrap(), ["over-mutual-tls"]);

    // Without the CA file the server's certificate is not trusted.
    let server_again = Server::start(&certs, false);
    let yaml = format!("registry:\n  environments:\n    secure:\n      url: {}\n", server_again.url);
    std::fs::write(catalog.path().join("eventbind.yaml"), yaml).unwrap();
    let config = RegistryConfig::load(catalog.path()).unwrap();
    let untrusted = config.environment("secure").unwrap().client(&no_vars).unwrap().subjects().unwrap_err();
    assert!(untrusted.to_string().to_lowercase().contains("certificate"), "{untrusted}");
}
