//! `eventbind docs`: deterministic output, valid examples, version history from git, and the
//! site in headless Chromium (pages render, every link resolves, search finds an event by a
//! field name; a screenshot is kept under target/).

use std::path::{Path, PathBuf};
use std::process::Command;

fn eventbind() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eventbind"))
}

fn catalog() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog")
}

fn docs(catalog: &Path, out: &Path) {
    let run = eventbind().arg("docs").arg(catalog).arg("--out").arg(out).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    assert!(run.stderr.is_empty(), "every example is valid: {}", String::from_utf8_lossy(&run.stderr));
}

fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap().flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                out.push((entry.path().strip_prefix(dir).unwrap().to_owned(), std::fs::read(entry.path()).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn output_is_byte_identical_across_runs_and_examples_validate() {
    let dir = tempfile::tempdir().unwrap();
    docs(&catalog(), &dir.path().join("a"));
    docs(&catalog(), &dir.path().join("b"));
    let (a, b) = (files(&dir.path().join("a")), files(&dir.path().join("b")));
    assert_eq!(a.len(), 2 + 2 + 15 * 2, "index, markdown index, assets, a page per event type in both forms");
    assert!(a == b, "two runs differ");
    let page = String::from_utf8(std::fs::read(dir.path().join("a/events/order.order_placed.html")).unwrap()).unwrap();
    for expected in [
        "Generated from the schema; valid against it.",
        "order-service",
        "payment-service",
        "<code>lines[].unit_price.currency</code>",
        "pattern: ^[A-Z]{3}$",
        "extensible",
        "known values: web, app, store",
        "Version history",
    ] {
        assert!(page.contains(expected), "order.order_placed.html lacks {expected}");
    }
    // Avro and Protobuf event types get a field table from the IR and an example made from their
    // schema, in the JSON form, valid against it.
    for (name, expected) in [
        (
            "payment.refund_issued_avro",
            [
                "Generated from the schema; valid against it.",
                "<code>refunded_items[].quantity</code>",
                "<code>destination&lt;CardRefund&gt;.fingerprint</code>",
                "one of: returned, damaged, price_adjustment, goodwill",
                "&quot;initiated_by&quot;: &quot;customer-care&quot;",
            ],
        ),
        (
            "payment.refund_issued_proto",
            [
                "Generated from the schema; valid against it.",
                "<code>refundedItems[].sku</code>",
                "<code>destination&lt;cardToken&gt;</code>",
                "known values: reason_unspecified, returned",
                "&quot;sequence&quot;: &quot;1&quot;",
            ],
        ),
    ] {
        let page = std::fs::read_to_string(dir.path().join(format!("a/events/{name}.html"))).unwrap();
        for expected in expected {
            assert!(page.contains(expected), "{name}.html lacks {expected}");
        }
    }
    let login = std::fs::read_to_string(dir.path().join("a/markdown/audit.login_attempt_proto.md")).unwrap();
    assert!(login.contains("| `attemptedAt` |") && login.contains("\"attemptId\": \"example\""), "{login}");
    let markdown = std::fs::read_to_string(dir.path().join("a/markdown/crm.contact.md")).unwrap();
    assert!(markdown.contains("| `data.contact_id`") || markdown.contains("| `contact_id`"), "{markdown}");
    assert!(markdown.contains("\"data_op\": \"C\""), "the example is a data change event");
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .env("GIT_COMMITTER_DATE", "2024-05-01T12:00:00Z")
        .env("GIT_AUTHOR_DATE", "2024-05-01T12:00:00Z")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn version_history_comes_from_git_with_the_changes_between_versions() {
    let dir = tempfile::tempdir().unwrap();
    let events = dir.path().join("events");
    std::fs::create_dir_all(&events).unwrap();
    let definition = |version: &str, extra: &str| {
        format!(
            "name: shop.order_paid\nowning_application: shop\ncategory: general\nschema:\n  version: {version}\n  type: json_schema\n  schema:\n    type: object\n    properties:\n      order_number: {{type: string}}\n{extra}"
        )
    };
    std::fs::write(events.join("paid.yaml"), definition("1.0.0", "")).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-qm", "First version"]);
    std::fs::write(events.join("paid.yaml"), definition("1.1.0", "      paid_with: {type: string}\n")).unwrap();
    git(dir.path(), &["commit", "-qam", "Add paid_with"]);
    let out = dir.path().join("site");
    docs(&events, &out);
    let md = std::fs::read_to_string(out.join("markdown/shop.order_paid.md")).unwrap();
    let history = md.split("## Version history").nth(1).unwrap();
    let first = history.find("**1.1.0**").expect("1.1.0 listed");
    let second = history.find("**1.0.0**").expect("1.0.0 listed");
    assert!(first < second, "newest first: {history}");
    assert!(history.contains("Add paid_with") && history.contains("First version"), "{history}");
    assert!(history.contains("PROPERTY_ADDED") && history.contains("/properties/paid_with"), "{history}");
}

/// The Chromium binary, or `None` (a failure under CI, where it must be installed).
fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(out) = Command::new("which").arg(name).output() {
            if out.status.success() {
                return Some(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
            }
        }
    }
    assert!(std::env::var("CI").is_err(), "CI=true: chromium is required (apt-get install -y chromium)");
    eprintln!("skipped: install Debian's chromium package (apt-get install -y chromium) to run the browser test");
    None
}

fn headless(chromium: &Path, profile: &Path, args: &[String]) -> String {
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Every `href="..."` and `src="..."` of a rendered page.
fn links(dom: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        for part in dom.split(attr).skip(1) {
            out.push(part.split('"').next().unwrap().replace("&amp;", "&"));
        }
    }
    out
}

#[test]
fn the_site_renders_links_resolve_and_search_finds_fields_in_chromium() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    docs(&catalog(), &site);
    let profile = dir.path().join("profile");
    let mut pages = vec![site.join("index.html")];
    let mut events: Vec<PathBuf> =
        std::fs::read_dir(site.join("events")).unwrap().flatten().map(|e| e.path()).collect();
    events.sort();
    pages.extend(events);
    let mut checked_links = 0;
    for page in &pages {
        let dom = headless(&chromium, &profile, &["--dump-dom".into(), url(page)]);
        assert!(dom.contains("<h1>"), "{} did not render: {dom}", page.display());
        if page.ends_with("index.html") {
            assert!(dom.contains("data-search-ready=\"true\""), "the search script ran");
            assert!(dom.contains("15 of 15 event types"), "the script counted the index");
        } else {
            let name = page.file_stem().unwrap().to_str().unwrap();
            assert!(dom.contains(&format!("<h1>{name}</h1>")), "{name}");
        }
        for link in links(&dom) {
            assert!(!link.starts_with("http"), "the site links nowhere outside: {link}");
            let (file, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let target = if file.is_empty() { page.clone() } else { page.parent().unwrap().join(file) };
            assert!(target.is_file(), "{} links to {link}, which does not exist", page.display());
            if !fragment.is_empty() {
                let text = std::fs::read_to_string(&target).unwrap();
                assert!(text.contains(&format!("id=\"{fragment}\"")), "{link}: no such anchor");
            }
            checked_links += 1;
        }
    }
    assert!(checked_links > 40, "{checked_links} links");

    // A field name finds the event types that have it, and only those.
    let found = headless(&chromium, &profile, &["--dump-dom".into(), format!("{}?q=postalCode", url(&pages[0]))]);
    let visible = |name: &str| {
        found.contains(&format!("<li id=\"event-{name}\" class=\"event\" data-owner"))
            && !found
                .split(&format!("<li id=\"event-{name}\""))
                .nth(1)
                .unwrap()
                .split('>')
                .next()
                .unwrap()
                .contains("hidden")
    };
    assert!(found.contains("2 of 15 event types"), "search result count");
    assert!(visible("order.order_placed") && visible("shipping.parcel_dispatched"), "postalCode is in both");
    assert!(!visible("crm.contact"), "crm.contact has no postalCode");

    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/docs-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let shot = shots.join("index-search-postalCode.png");
    let _ = std::fs::remove_file(&shot);
    headless(
        &chromium,
        &profile,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1280,1000".into(),
            format!("{}?q=postalCode", url(&pages[0])),
        ],
    );
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000, "a screenshot of the search is kept");
}
