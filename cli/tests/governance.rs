//! `eventbind lint`, `diff` and `check` end to end: a git repository made in a temporary
//! folder, every output format, and the documented exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn eventbind() -> Command {
    Command::new(env!("CARGO_BIN_EXE_eventbind"))
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(text.contains(from), "{from} in {}", path.display());
    std::fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A repository whose `events/` folder holds the example catalog, committed once.
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    git(dir.path(), &["init", "-q", "-b", "main"]);
    copy_dir(&repo_root().join("fixtures/catalog"), &dir.path().join("events"));
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "catalog"]);
    dir
}

fn check(dir: &Path, args: &[&str]) -> Output {
    eventbind().current_dir(dir).args(["check", "events"]).args(args).output().unwrap()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[test]
fn check_against_the_previous_commit() {
    let repo = repository();
    let cancelled = repo.path().join("events/order/order.order_cancelled.yaml");
    // A closed enum gains a value (breaks `forward`), and the version is not bumped.
    edit(&cancelled, "fraud_suspected]", "fraud_suspected, duplicate]");
    // An optional property with a MINOR bump: fine under `compatible`.
    let refund = repo.path().join("events/payment/payment.refund_issued.yaml");
    let text = std::fs::read_to_string(&refund).unwrap();
    let version = text.lines().find(|l| l.trim_start().starts_with("version:")).unwrap().trim().to_owned();
    edit(&refund, &version, "version: 9.1.0");
    git(repo.path(), &["commit", "-qam", "base for the refund bump"]);
    edit(&refund, "version: 9.1.0", "version: 9.2.0");
    edit(
        &refund,
        "    properties:\n",
        "    properties:\n      channel_note:\n        type: string\n        description: Free text.\n",
    );
    git(repo.path(), &["commit", "-qam", "change"]);

    let out = check(repo.path(), &["--against", "HEAD~1", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    let out = check(repo.path(), &["--against", "HEAD~2", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "breaking changes exit 1");
    let doc = json(&out);
    let types = doc["event_types"].as_array().unwrap();
    let by_name = |n: &str| types.iter().find(|t| t["name"] == n).unwrap().clone();
    let cancelled = by_name("order.order_cancelled");
    assert_eq!(cancelled["status"], "changed");
    assert_eq!(cancelled["breaks"], true);
    assert_eq!(cancelled["required_bump"], "major");
    assert_eq!(cancelled["changes"][0]["kind"], "ENUM_VALUE_ADDED");
    assert_eq!(cancelled["changes"][0]["path"], "/properties/reason/enum");
    // Against HEAD~2 the refund's version jumped to 9.x: a MAJOR bump `compatible` forbids.
    let refund = by_name("payment.refund_issued");
    assert_eq!((refund["breaks"].clone(), refund["required_bump"].clone()), (Value::Bool(true), Value::from("minor")));
    assert_eq!(refund["declared_bump"], "major");
    let codes: Vec<&str> = doc["findings"].as_array().unwrap().iter().filter_map(|f| f["code"].as_str()).collect();
    for code in ["ENUM_VALUE_ADDED", "VERSION_UNDER_BUMPED", "EVENT_TYPE_BREAKS", "MAJOR_VERSION_NOT_ALLOWED"] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
    let breaks = doc["findings"].as_array().unwrap().iter().find(|f| f["code"] == "EVENT_TYPE_BREAKS").unwrap();
    let help = breaks["help"].as_str().unwrap();
    assert!(help.contains("order-service") && help.contains("inventory-service"), "{help}");
    assert_eq!(breaks["file"], "events/order/order.order_cancelled.yaml");

    // The same check in the text format points at the line, with the source and a caret.
    let text = String::from_utf8(check(repo.path(), &["--against", "HEAD~2"]).stdout).unwrap();
    assert!(text.contains("error[ENUM_VALUE_ADDED]"), "{text}");
    assert!(text.contains("--> events/order/order.order_cancelled.yaml:40:"), "{text}");
    assert!(text.contains("^"), "{text}");
}

#[test]
fn transitive_check_sees_every_earlier_version() {
    let repo = repository();
    let file = repo.path().join("events/order/order.order_cancelled.yaml");
    // v1 → v2 removes an enum value; v2 → v3 changes a description only. Against v2 alone,
    // v3 is BACKWARD compatible; against every earlier version it is not (v1's events may carry
    // the removed value).
    edit(&file, "version: 1.3.0", "version: 1.4.0");
    edit(&file, ", fraud_suspected]", "]");
    git(repo.path(), &["commit", "-qam", "v2"]);
    edit(&file, "version: 1.4.0", "version: 1.5.0");
    edit(&file, "description: Why the order was cancelled. Closed list.", "description: Why it was cancelled.");
    git(repo.path(), &["commit", "-qam", "v3"]);
    let plain = check(repo.path(), &["--against", "HEAD", "--policy", "BACKWARD", "--format", "json"]);
    assert_eq!(plain.status.code(), Some(0), "{}", String::from_utf8_lossy(&plain.stdout));
    let transitive =
        check(repo.path(), &["--against", "HEAD~1", "--policy", "BACKWARD_TRANSITIVE", "--format", "json"]);
    let doc = json(&transitive);
    assert_eq!(transitive.status.code(), Some(1), "{doc}");
    let t = doc["event_types"].as_array().unwrap().iter().find(|t| t["name"] == "order.order_cancelled").unwrap();
    assert!(!t["earlier_versions"].as_array().unwrap().is_empty(), "{t}");
}

#[test]
fn check_against_a_folder_and_bad_refs() {
    let base = repo_root().join("fixtures/catalog");
    let out = eventbind().arg("check").arg(&base).arg("--against").arg(&base).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "a catalog is compatible with itself");
    let out = eventbind().arg("check").arg(&base).args(["--against", "no/such/ref-xyz"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("neither a folder nor a git revision"));
    let out = eventbind().arg("check").arg(&base).args(["--against", "x", "--policy", "SIDEWAYS"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "usage error");
}

#[test]
fn every_output_format() {
    let repo = repository();
    edit(
        &repo.path().join("events/order/order.order_cancelled.yaml"),
        "fraud_suspected]",
        "fraud_suspected, duplicate]",
    );
    let run = |format: &str| {
        let out = check(repo.path(), &["--against", "HEAD", "--format", format]);
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let github = run("github");
    assert!(
        github.lines().any(|l| l.starts_with("::error file=events/order/order.order_cancelled.yaml,line=40,col=")),
        "{github}"
    );
    let junit = run("junit");
    assert!(junit.contains("<testsuite name=\"eventbind check\"") && junit.contains("<failure"), "{junit}");
    assert!(junit.contains("<testcase name=\"crm.contact\""), "every event type is a test case");
    let sarif: Value = serde_json::from_str(&run("sarif")).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(
        |r| r["ruleId"] == "ENUM_VALUE_ADDED" && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 40
    ));
    assert!(!sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap().is_empty());
    let text = run("text");
    assert!(text.contains("check: "), "{text}");
}

#[test]
fn diff_json_and_exit_codes() {
    let dir = repo_root().join("fixtures/compat/enum_value_added");
    let out = eventbind()
        .arg("diff")
        .arg(dir.join("old.json"))
        .arg(dir.join("new.json"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "a new enum value breaks forward");
    let doc = json(&out);
    assert_eq!(doc["changes"][0]["kind"], "ENUM_VALUE_ADDED");
    assert_eq!(doc["changes"][0]["path"], "/properties/a/enum");
    assert_eq!(
        (doc["backward"].clone(), doc["forward"].clone(), doc["full"].clone()),
        (Value::Bool(true), Value::Bool(false), Value::Bool(false))
    );
    assert_eq!(doc["bump"], "major");
    let out = eventbind()
        .arg("diff")
        .arg(dir.join("old.json"))
        .arg(dir.join("new.json"))
        .args(["--policy", "BACKWARD"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "the registries' BACKWARD allows it");
    // Under a registry level the verdict is the Schema Registry's, with its rule names.
    let moved = repo_root().join("fixtures/compat/registry_proto_field_moved_into_existing_oneof");
    let out = eventbind()
        .arg("diff")
        .arg(moved.join("old.proto"))
        .arg(moved.join("new.proto"))
        .args(["--message", "shop.v1.Order", "--policy", "FULL", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "moving a field into an existing oneof breaks BACKWARD");
    let doc = json(&out);
    assert_eq!((doc["backward"].clone(), doc["forward"].clone()), (Value::Bool(false), Value::Bool(true)), "{doc}");
    let rules: Vec<&str> = doc["findings"].as_array().unwrap().iter().filter_map(|f| f["code"].as_str()).collect();
    assert!(rules.contains(&"FIELD_MOVED_TO_EXISTING_ONEOF"), "{rules:?}");
    let text = eventbind()
        .arg("diff")
        .arg(moved.join("old.proto"))
        .arg(moved.join("new.proto"))
        .args(["--message", "shop.v1.Order", "--policy", "BACKWARD"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("error[FIELD_MOVED_TO_EXISTING_ONEOF]"), "{text}");
    assert!(text.contains("new.proto:7:"), "shown at the moved field in NEW: {text}");
    let proto = repo_root().join("fixtures/compat/proto_field_added");
    let out = eventbind().arg("diff").arg(proto.join("old.proto")).arg(proto.join("new.proto")).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "--message is required for .proto");
    let out = eventbind()
        .arg("diff")
        .arg(proto.join("old.proto"))
        .arg(proto.join("new.proto"))
        .args(["--message", "shop.v1.Order", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(json(&out)["changes"][0]["kind"], "PROTO_FIELD_ADDED");
    let out = eventbind().arg("diff").arg(dir.join("old.json")).arg(proto.join("new.proto")).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "mixed languages are a usage error");
}

#[test]
fn lint_exit_codes_and_rules() {
    let lint = repo_root().join("fixtures/lint");
    let clean = eventbind().arg("lint").arg(lint.join("clean")).output().unwrap();
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stdout));
    let dirty =
        eventbind().arg("lint").arg(lint.join("EB050_sensitive_field")).args(["--format", "json"]).output().unwrap();
    assert_eq!(dirty.status.code(), Some(1));
    let doc = json(&dirty);
    assert_eq!(doc["findings"][0]["code"], "EB050");
    assert_eq!(doc["findings"][0]["name"], "SENSITIVE_FIELD_NAME");
    let missing = eventbind().args(["lint", "/no/such/catalog"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let rules = eventbind().args(["lint", "x", "--list-rules"]).output().unwrap();
    assert!(String::from_utf8_lossy(&rules.stdout).contains("EB060  CLOSED_ENUM_IN_EVOLVING_MODE"));
    let help = eventbind().args(["check", "--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&help.stdout).contains("Exit codes: 0 clean; 1 findings"));
}

#[test]
fn publish_and_check_by_environment_name() {
    let dir = repository();
    let config =
        "registry:\n  environments:\n    prod:\n      url: https://registry.invalid:8081\n      auth:\n        \
                  bearer: {token_env: EVENTBIND_TEST_SR_TOKEN}\n";
    std::fs::write(dir.path().join("events/eventbind.yaml"), config).unwrap();
    let run = |args: &[&str]| {
        eventbind().current_dir(dir.path()).env_remove("EVENTBIND_TEST_SR_TOKEN").args(args).output().unwrap()
    };
    // The variable the environment names is unset: an input error at the key naming it.
    for args in
        [&["publish", "events", "--env", "prod"][..], &["check", "events", "--against", "main", "--env", "prod"]]
    {
        let out = run(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(err.contains("the environment variable `EVENTBIND_TEST_SR_TOKEN` is not set"), "{err}");
        assert!(err.contains("eventbind.yaml:6:"), "{err}");
    }
    // An environment that is not declared names the ones there are.
    let out = run(&["publish", "events", "--env", "qa"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("no environment `qa`") && err.contains("`prod`"), "{err}");
    // --registry and --env do not go together; publish needs one of them.
    assert_eq!(run(&["publish", "events", "--env", "prod", "--registry", "http://h:1"]).status.code(), Some(2));
    assert_eq!(run(&["publish", "events"]).status.code(), Some(2));
    // A literal secret in the file is refused before anything is sent.
    std::fs::write(
        dir.path().join("events/eventbind.yaml"),
        "registry:\n  environments:\n    prod:\n      url: https://r:8081\n      auth: {bearer: {token: abc123}}\n",
    )
    .unwrap();
    let out = run(&["publish", "events", "--env", "prod"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("a literal `token` in the configuration file") && !err.contains("abc123"), "{err}");
    assert!(err.contains("events/eventbind.yaml:5:"), "{err}");
}
