//! `eventbind publish` against a live registry (Karapace, started by the harness): the plan,
//! the registration with subject levels from `compatibility_mode`, idempotence, and the subject
//! strategies and level mapping of `eventbind.yaml`. The tests share one registry: each uses
//! subjects of its own.

use std::path::Path;

use eventbind_build::catalog::CompatibilityMode;
use eventbind_governance::check::Snapshot;
use eventbind_governance::publish::publish;
use eventbind_governance::registry_config::RegistryConfig;
use eventbind_registry::{Client, Compatibility, Reference};

#[test]
fn publish_plans_registers_once_and_sets_levels() {
    let Some(services) = eventbind_services::shared() else { return };
    let client = Client::new(&services.registry.url()).unwrap();
    let catalog = Snapshot::folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog")).unwrap();
    let config = RegistryConfig::default();
    let count = catalog.catalog.event_types.len();
    let plan = publish(&catalog, &config, &client, true).unwrap();
    assert_eq!(plan.json["dry_run"], true);
    let written = client.subjects().unwrap();
    assert!(
        plan.json["plan"].as_array().unwrap().iter().all(|s| !written.iter().any(|w| s["subject"] == w.as_str())),
        "a dry run writes nothing: {written:?}"
    );
    let first = publish(&catalog, &config, &client, false).unwrap();
    let (registered, refused) = (first.json["registered"].as_u64().unwrap(), first.json["refused"].as_u64().unwrap());
    assert!(registered > 0, "{}", first.json);
    assert_eq!(
        plan.json["registered"].as_u64().unwrap() + plan.json["unchanged"].as_u64().unwrap(),
        count as u64 - plan.json["refused"].as_u64().unwrap()
    );
    // Every registered subject has the level its compatibility_mode maps to.
    for e in &catalog.catalog.event_types {
        let step = first.json["plan"].as_array().unwrap().iter().find(|s| s["event_type"] == e.name.as_str()).unwrap();
        if step["action"] == "refused" {
            continue;
        }
        let subject = step["subject"].as_str().unwrap();
        assert_eq!(
            client.subject_compatibility(subject).unwrap(),
            Some(config.level(e.compatibility_mode)),
            "{subject}"
        );
    }
    // Publishing again registers nothing.
    let again = publish(&catalog, &config, &client, false).unwrap();
    assert_eq!(again.json["registered"], 0, "{}", again.json);
    assert_eq!(again.json["unchanged"].as_u64().unwrap(), registered, "{}", again.json);
    assert_eq!(again.json["refused"].as_u64().unwrap(), refused);
    assert!(again.summary[0].contains("0 to register"), "{:?}", again.summary);
}

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

const STRATEGIES: &str = "\
registry:
  subject_strategy: record
  event_types:
    payment.refund_issued: {subject_strategy: topic_record}
    payment.payment_authorized: {subject: payments-legacy-value}
    crm.contact: {subject_strategy: topic}
  levels:
    compatible: FULL
    none: FORWARD
";

#[test]
fn subjects_by_strategy_and_levels_by_the_mapping_of_eventbind_yaml() {
    let Some(services) = eventbind_services::shared() else { return };
    let client = Client::new(&services.registry.url()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog"), tmp.path());
    std::fs::write(tmp.path().join("eventbind.yaml"), STRATEGIES).unwrap();
    // A topic of its own, apart from the other test's subjects.
    let contact = tmp.path().join("crm/crm.contact.yaml");
    let text =
        std::fs::read_to_string(&contact).unwrap().replace("topic: crm.contact", "topic: crm.contact.strategies");
    std::fs::write(&contact, text).unwrap();
    // A JSON Schema without a title has no record name.
    let telemetry = tmp.path().join("schemas/telemetry_reported.json");
    let text = std::fs::read_to_string(&telemetry).unwrap().replace("\"title\": \"TelemetryReported\",", "");
    std::fs::write(&telemetry, text).unwrap();
    let config = RegistryConfig::load(tmp.path()).unwrap();
    let catalog = Snapshot::folder(tmp.path()).unwrap();
    let report = publish(&catalog, &config, &client, false).unwrap();
    let step =
        |name: &str| report.json["plan"].as_array().unwrap().iter().find(|s| s["event_type"] == name).unwrap().clone();
    let subjects = client.subjects().unwrap();
    // record: Avro's full name, the Protobuf message's full name, the JSON Schema's title.
    for (name, subject, naming) in [
        ("payment.refund_issued_avro", "shop.payment.RefundIssued", "record"),
        ("audit.login_attempt_proto", "audit.v1.LoginAttempt", "record"),
        ("order.order_cancelled", "OrderCancelled", "record"),
        ("payment.refund_issued", "payment.refund_issued-RefundIssued", "topic_record"),
        ("payment.payment_authorized", "payments-legacy-value", "subject"),
        ("crm.contact", "crm.contact.strategies-value", "topic"),
    ] {
        let step = step(name);
        assert_eq!((step["subject"].as_str(), step["naming"].as_str()), (Some(subject), Some(naming)), "{step}");
        assert_eq!(step["action"], "new subject", "{step}");
        assert!(subjects.iter().any(|s| s == subject), "{subject} registered: {subjects:?}");
    }
    let proto = step("payment.refund_issued_proto");
    assert_eq!(proto["subject"], "shop.payment.v1.RefundIssued", "{proto}");
    assert_eq!(proto["action"], "new subject", "its import registered as a reference: {proto}");
    // Levels by the mapping: compatible → FULL (overridden), forward → FORWARD_TRANSITIVE
    // (the default), none → FORWARD (overridden).
    let mut seen = std::collections::BTreeSet::new();
    for e in &catalog.catalog.event_types {
        let step = step(&e.name);
        let Some(subject) = step["subject"].as_str().filter(|_| step["action"] != "refused") else { continue };
        let level = client.subject_compatibility(subject).unwrap().unwrap();
        let expected = match e.compatibility_mode {
            CompatibilityMode::Compatible => Compatibility::Full,
            CompatibilityMode::Forward => Compatibility::ForwardTransitive,
            CompatibilityMode::None => Compatibility::Forward,
        };
        assert_eq!(level, expected, "{subject}");
        assert_eq!(config.level(e.compatibility_mode), expected);
        seen.insert(format!("{:?}", e.compatibility_mode));
    }
    assert!(seen.len() >= 2, "the catalog has several modes: {seen:?}");
    // Without a record name, that event type's finding; the others go on.
    let untitled = step("device.telemetry_reported");
    assert_eq!((untitled["action"].as_str(), untitled["naming"].as_str()), (Some("refused"), Some("record")));
    let failing: Vec<(&str, &str)> = report
        .findings
        .iter()
        .filter(|f| f.fails())
        .map(|f| (f.code.as_str(), f.subject.as_deref().unwrap_or("")))
        .collect();
    assert!(failing.contains(&("SUBJECT_UNNAMED", "device.telemetry_reported")), "{failing:?}");
    let f = report.findings.iter().find(|f| f.code == "SUBJECT_UNNAMED").unwrap();
    assert!(f
        .diagnostic
        .message
        .contains("strategy `record` needs the record's name, but the JSON Schema has no `title`"));
    // Published again: nothing to do, under the same names.
    let again = publish(&catalog, &config, &client, false).unwrap();
    assert_eq!(again.json["registered"], 0, "{}", again.json);
}

#[test]
fn an_environment_with_basic_auth_reads_its_credentials_from_the_variables_it_names() {
    let Some(services) = eventbind_services::shared() else { return };
    let secured = services.registry_with_basic_auth("ci-publisher", "s3cret pass").unwrap();
    let tmp = tempfile::tempdir().unwrap();
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog"), tmp.path());
    let yaml = format!(
        "registry:\n  environments:\n    secured:\n      url: {}\n      auth:\n        basic: {{username_env: \
         SR_USER, password_env: SR_PASSWORD}}\n",
        secured.url()
    );
    std::fs::write(tmp.path().join("eventbind.yaml"), yaml).unwrap();
    let config = RegistryConfig::load(tmp.path()).unwrap();
    let catalog = Snapshot::folder(tmp.path()).unwrap();
    let env = config.environment("secured").unwrap();
    let vars = |user: &'static str, password: &'static str| {
        move |name: &str| match name {
            "SR_USER" => Some(user.to_owned()),
            "SR_PASSWORD" => Some(password.to_owned()),
            _ => None,
        }
    };
    // A wrong password: the registry's 401, naming the request, never the password.
    let wrong = env.client(&vars("ci-publisher", "guess")).unwrap();
    let e = publish(&catalog, &config, &wrong, true).unwrap_err().to_string();
    assert!(e.contains("HTTP 401"), "{e}");
    assert!(!e.contains("guess"), "{e}");
    // The right one: published, and the registry holds the subjects.
    let client = env.client(&vars("ci-publisher", "s3cret pass")).unwrap();
    let report = publish(&catalog, &config, &client, false).unwrap();
    assert!(report.json["registered"].as_u64().unwrap() > 0, "{}", report.json);
    assert!(client.subjects().unwrap().iter().any(|s| s == "order.order_placed-value"));
    // Without credentials the registry answers nothing.
    let anonymous = Client::new(&secured.url()).unwrap();
    assert_eq!(anonymous.subjects().unwrap_err().status(), Some(401));
}

#[test]
fn schemas_spread_over_files_are_registered_as_references_dependencies_first() {
    let Some(services) = eventbind_services::shared() else { return };
    let client = Client::new(&services.registry.url()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog"), tmp.path());
    // Four event types, on topics of their own, apart from the other tests' subjects.
    let keep = [
        ("payment/payment.refund_issued_avro.yaml", "payment.refund_issued.avro"),
        ("payment/payment.refund_issued_proto.yaml", "payment.refund_issued.proto"),
        ("shipping/shipping.parcel_dispatched.yaml", "shipping.parcel_dispatched"),
        ("order/order.order_cancelled.yaml", "order.order_cancelled"),
    ];
    for dir in std::fs::read_dir(tmp.path()).unwrap().flatten().filter(|d| d.path().is_dir()) {
        if ["schemas", "proto"].contains(&dir.file_name().to_str().unwrap()) {
            continue;
        }
        for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let rel = file.path().strip_prefix(tmp.path()).unwrap().to_str().unwrap().to_owned();
            if rel.ends_with(".yaml") && !keep.iter().any(|(k, _)| *k == rel) {
                std::fs::remove_file(file.path()).unwrap();
            }
        }
    }
    for (file, topic) in keep {
        let path = tmp.path().join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, text.replace(&format!("topic: {topic}"), &format!("topic: {topic}.refs"))).unwrap();
    }
    let catalog = Snapshot::folder(tmp.path()).unwrap();
    let config = RegistryConfig::default();
    let report = publish(&catalog, &config, &client, false).unwrap();
    let step =
        |name: &str| report.json["plan"].as_array().unwrap().iter().find(|s| s["event_type"] == name).unwrap().clone();

    // Avro: `Money` of money.avsc is a reference, not inlined; the schema is the file as it is.
    let avro = step("payment.refund_issued_avro");
    assert_eq!(avro["action"], "new subject", "{avro}");
    assert_eq!(avro["references"][0]["subject"], "shop.payment.Money", "{avro}");
    let held = client.latest("payment.refund_issued.avro.refs-value").unwrap();
    let money = client.latest("shop.payment.Money").unwrap();
    assert_eq!(
        held.schema.references,
        vec![Reference {
            name: "shop.payment.Money".into(),
            subject: "shop.payment.Money".into(),
            version: money.version
        }]
    );
    let file = std::fs::read_to_string(tmp.path().join("schemas/avro/refund_issued.avsc")).unwrap();
    let as_json = |s: &str| serde_json::from_str::<serde_json::Value>(s).unwrap();
    assert_eq!(as_json(&held.schema.schema), as_json(&file));
    assert!(!held.schema.schema.contains("\"currency\""), "Money is not inlined");

    // Protobuf: the catalog's import is a reference by its import path; well-known types are not.
    let proto = step("payment.refund_issued_proto");
    assert_eq!(proto["action"], "new subject", "{proto}");
    let held = client.latest("payment.refund_issued.proto.refs-value").unwrap();
    let import = "proto/shop/payment/v1/money.proto";
    let money = client.latest(import).unwrap();
    assert_eq!(
        held.schema.references,
        vec![Reference { name: import.into(), subject: import.into(), version: money.version }]
    );

    // JSON Schema: the registry takes no references, so the documents it refers to are inlined.
    let parcel = step("shipping.parcel_dispatched");
    assert!(parcel["bundled"].as_str().unwrap().contains("44302"), "{parcel}");
    let held = client.latest("shipping.parcel_dispatched.refs-value").unwrap();
    assert!(held.schema.references.is_empty());
    let value = as_json(&held.schema.schema);
    let text = value.to_string();
    assert!(!text.contains("common.json"), "no reference to another file is left: {text}");
    assert!(text.contains("\"$ref\":\"#/$defs/eventbind.r"), "{text}");
    assert!(value["$defs"].as_object().unwrap().values().any(|d| d.to_string().contains("postalCode")), "{text}");
    assert!(step("order.order_cancelled").get("bundled").is_none(), "a schema of one document is sent as it is");

    // Published again: the dependencies are found, nothing is registered.
    let again = publish(&catalog, &config, &client, false).unwrap();
    assert_eq!(again.json["registered"], 0, "{}", again.json);
    let avro = again.json["plan"].as_array().unwrap().iter().find(|s| s["event_type"] == "payment.refund_issued_avro");
    assert_eq!(avro.unwrap()["references"][0]["action"], "unchanged");
}

#[test]
fn event_types_sharing_a_subject_are_a_warning() {
    let Some(services) = eventbind_services::shared() else { return };
    let client = Client::new(&services.registry.url()).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    copy(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog"), tmp.path());
    let yaml = "registry:\n  event_types:\n    order.order_placed: {subject: shared-orders-value}\n    \
                order.order_cancelled: {subject: shared-orders-value}\n";
    std::fs::write(tmp.path().join("eventbind.yaml"), yaml).unwrap();
    let config = RegistryConfig::load(tmp.path()).unwrap();
    let catalog = Snapshot::folder(tmp.path()).unwrap();
    let plan = publish(&catalog, &config, &client, true).unwrap();
    let shared: Vec<_> = plan.findings.iter().filter(|f| f.code == "SUBJECT_SHARED").collect();
    assert_eq!(shared.len(), 1, "{:?}", plan.findings);
    let message = &shared[0].diagnostic.message;
    assert!(message.contains("are both published under `shared-orders-value`"), "{message}");
    assert!(plan.fails(), "warnings fail a CI run, as everywhere in governance");
}
