//! `eventbind publish` against a live registry (Karapace, started by the harness): the plan,
//! the registration with subject levels from `compatibility_mode`, and idempotence.

use std::path::Path;

use eventbind_governance::check::Snapshot;
use eventbind_governance::publish::{level_for, publish};
use eventbind_registry::Client;

#[test]
fn publish_plans_registers_once_and_sets_levels() {
    let Some(services) = eventbind_services::shared() else { return };
    let client = Client::new(&services.registry.url()).unwrap();
    let catalog = Snapshot::folder(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/catalog")).unwrap();
    let count = catalog.catalog.event_types.len();
    let plan = publish(&catalog, &client, true).unwrap();
    assert_eq!(plan.json["dry_run"], true);
    assert!(client.subjects().unwrap().is_empty(), "a dry run writes nothing");
    let first = publish(&catalog, &client, false).unwrap();
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
        assert_eq!(client.subject_compatibility(subject).unwrap(), Some(level_for(e.compatibility_mode)), "{subject}");
    }
    // Publishing again registers nothing.
    let again = publish(&catalog, &client, false).unwrap();
    assert_eq!(again.json["registered"], 0, "{}", again.json);
    assert_eq!(again.json["unchanged"].as_u64().unwrap(), registered, "{}", again.json);
    assert_eq!(again.json["refused"].as_u64().unwrap(), refused);
    assert!(again.summary[0].contains("0 to register"), "{:?}", again.summary);
}
