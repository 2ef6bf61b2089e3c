//! `check --registry` against a live registry (Karapace, started by the harness): the registry's
//! answer for every changed event type is reported beside eventbind's verdict, a refusal is an
//! error, a disagreement a warning.

use std::path::{Path, PathBuf};

use eventbind_build::catalog::SchemaSource;
use eventbind_governance::check::{self, CheckOptions, Snapshot};
use eventbind_governance::registry_config::RegistryConfig;
use eventbind_registry::{Client, Compatibility, Schema};

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn edit(file: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(file).unwrap();
    assert!(text.contains(from), "{from} in {}", file.display());
    std::fs::write(file, text.replacen(from, to, 1)).unwrap();
}

fn codes(report: &eventbind_governance::report::Report, subject: &str) -> Vec<String> {
    report.findings.iter().filter(|f| f.subject.as_deref() == Some(subject)).map(|f| f.code.clone()).collect()
}

#[test]
fn the_registry_answer_beside_eventbinds() {
    let Some(services) = eventbind_services::shared() else { return };
    let client = Client::new(&services.registry.url()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog");
    let (base_dir, new_dir): (PathBuf, PathBuf) = (tmp.path().join("base"), tmp.path().join("new"));
    copy(&catalog, &base_dir);
    copy(&catalog, &new_dir);
    let file = new_dir.join("order/order.order_cancelled.yaml");
    edit(&file, "version: 1.3.0", "version: 1.4.0");
    edit(&file, "fraud_suspected]", "fraud_suspected, duplicate]");

    // The base's schema is what the registry holds.
    let base = Snapshot::folder(&base_dir).unwrap();
    let event = base.catalog.event_types.iter().find(|e| e.name == "order.order_cancelled").unwrap();
    let SchemaSource::InlineValue(schema) = &event.schema.source else { panic!("an inline schema") };
    let subject = format!("{}-value", eventbind_governance::subjects::topic(event));
    assert_eq!(subject, "order.order_cancelled-value");
    client.register(&subject, &Schema::json(schema.to_string())).unwrap();

    let run = || {
        let current = Snapshot::folder(&new_dir).unwrap();
        let base = Snapshot::folder(&base_dir).unwrap();
        let options = CheckOptions::default();
        let mut report = check::check(&current, &base, &[], options).unwrap();
        let config = RegistryConfig::default();
        check::ask_registry(&mut report, &current, &base, options, &config, &client).unwrap();
        report
    };
    // A new enum value: BACKWARD compatible for both.
    client.set_subject_compatibility(&subject, Compatibility::Backward).unwrap();
    let report = run();
    let name = "order.order_cancelled";
    let found = codes(&report, name);
    assert!(!found.iter().any(|c| c.starts_with("REGISTRY_")), "{found:?}");
    let answer = report.json["event_types"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap()
        ["registry_answer"]
        .clone();
    assert_eq!(
        (answer["compatible"].clone(), answer["offline_compatible"].clone()),
        (true.into(), true.into()),
        "{answer}"
    );
    // FORWARD: OLD readers meet the new value. Confluent's rules refuse it; Karapace accepts it.
    client.set_subject_compatibility(&subject, Compatibility::Forward).unwrap();
    let report = run();
    assert!(codes(&report, name).contains(&"REGISTRY_DISAGREES".to_owned()), "{:?}", codes(&report, name));
    let warning = report.findings.iter().find(|f| f.code == "REGISTRY_DISAGREES").unwrap();
    assert!(warning.diagnostic.message.contains("COMBINED_TYPE_SUBSCHEMAS_CHANGED"), "{}", warning.diagnostic.message);
    // A retyped property: the registry refuses it under BACKWARD.
    client.set_subject_compatibility(&subject, Compatibility::Backward).unwrap();
    edit(&file, "      cancelled_at:\n        type: string", "      cancelled_at:\n        type: integer");
    let report = run();
    assert!(codes(&report, name).contains(&"REGISTRY_INCOMPATIBLE".to_owned()), "{:?}", codes(&report, name));
    assert!(report
        .findings
        .iter()
        .any(|f| f.code == "REGISTRY_INCOMPATIBLE" && f.diagnostic.message.contains("BACKWARD")));
}

#[test]
fn a_protobuf_event_type_with_imports_is_checked_with_its_references() {
    let Some(services) = eventbind_services::shared() else { return };
    let client = Client::new(&services.registry.url()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let catalog = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog");
    let (base_dir, new_dir): (PathBuf, PathBuf) = (tmp.path().join("base"), tmp.path().join("new"));
    for dir in [&base_dir, &new_dir] {
        copy(&catalog, dir);
        // Only this event type, on a topic of its own, apart from the other test's subjects.
        for folder in std::fs::read_dir(dir).unwrap().flatten().filter(|d| d.path().is_dir()) {
            if ["schemas", "proto"].contains(&folder.file_name().to_str().unwrap()) {
                continue;
            }
            for file in std::fs::read_dir(folder.path()).unwrap().flatten() {
                if file.file_name() != "payment.refund_issued_proto.yaml"
                    && file.path().extension().is_some_and(|e| e == "yaml")
                {
                    std::fs::remove_file(file.path()).unwrap();
                }
            }
        }
        edit(
            &dir.join("payment/payment.refund_issued_proto.yaml"),
            "topic: payment.refund_issued.proto",
            "topic: check.refund.proto",
        );
    }
    // The base is what the registry holds: published, its import registered as a reference.
    let base = Snapshot::folder(&base_dir).unwrap();
    let config = RegistryConfig::default();
    eventbind_governance::publish::publish(&base, &config, &client, false).unwrap();
    let name = "payment.refund_issued_proto";
    let subject = "check.refund.proto-value";
    assert_eq!(client.latest(subject).unwrap().schema.references.len(), 1);
    // A new optional field.
    edit(&new_dir.join("payment/payment.refund_issued_proto.yaml"), "version: 1.0.0", "version: 1.1.0");
    edit(
        &new_dir.join("proto/shop/payment/v1/refund_issued.proto"),
        "  optional string note = 11;",
        "  optional string note = 11;\n  // The bank's approval code.\n  optional string approval_code = 30;",
    );
    let current = Snapshot::folder(&new_dir).unwrap();
    let base = Snapshot::folder(&base_dir).unwrap();
    let options = CheckOptions::default();
    let mut report = check::check(&current, &base, &[], options).unwrap();
    check::ask_registry(&mut report, &current, &base, options, &config, &client).unwrap();
    let answer = report.json["event_types"].as_array().unwrap().iter().find(|t| t["name"] == name).unwrap()
        ["registry_answer"]
        .clone();
    assert_eq!(answer["registered"], true, "{answer}");
    assert_eq!(answer["compatible"], true, "the registry resolved the import: {answer}");
}
