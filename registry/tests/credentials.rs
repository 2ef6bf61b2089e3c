//! Credentials on the wire: the `Authorization` header every request carries, read by a
//! listener on 127.0.0.1 that records the request and answers `[]`.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::thread;

use eventbind_registry::Client;

/// Serves one request on a free port; returns the URL and a handle yielding its header lines.
fn record_one_request() -> (String, thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let handle = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if line.trim().is_empty() {
                break;
            }
            lines.push(line.trim_end().to_owned());
        }
        let mut stream = stream;
        stream
            .write_all(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]")
            .unwrap();
        lines
    });
    (url, handle)
}

fn authorization(lines: &[String]) -> Option<&str> {
    lines.iter().find_map(|l| l.strip_prefix("authorization: ").or_else(|| l.strip_prefix("Authorization: ")))
}

#[test]
fn basic_auth_bearer_tokens_and_url_credentials_are_sent() {
    let (url, seen) = record_one_request();
    let client = Client::builder(&url).basic_auth("api-key", "s3cret").build().unwrap();
    assert_eq!(client.subjects().unwrap(), Vec::<String>::new());
    let lines = seen.join().unwrap();
    assert_eq!(lines[0], "GET /subjects HTTP/1.1");
    // base64("api-key:s3cret")
    assert_eq!(authorization(&lines), Some("Basic YXBpLWtleTpzM2NyZXQ="));

    let (url, seen) = record_one_request();
    Client::builder(&url).bearer_token("eyJ.token").build().unwrap().subjects().unwrap();
    assert_eq!(authorization(&seen.join().unwrap()), Some("Bearer eyJ.token"));

    let (url, seen) = record_one_request();
    let with_userinfo = url.replace("http://", "http://user%3A1:p%40ss@");
    let client = Client::new(&with_userinfo).unwrap();
    assert_eq!(client.url(), url, "the URL shown has no credentials");
    client.subjects().unwrap();
    // base64("user:1:p@ss")
    assert_eq!(authorization(&seen.join().unwrap()), Some("Basic dXNlcjoxOnBAc3M="));

    let (url, seen) = record_one_request();
    Client::new(&url).unwrap().subjects().unwrap();
    let lines = seen.join().unwrap();
    assert_eq!(authorization(&lines), None, "no credentials, no header");
    assert!(lines.iter().any(|l| l.to_ascii_lowercase().starts_with("accept: application/vnd.schemaregistry.v1+json")));
}
