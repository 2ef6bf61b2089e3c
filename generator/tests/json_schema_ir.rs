//! What the JSON Schema front end makes of each feature, read off the IR of the example catalog.

use std::path::Path;

use eventbind_build::catalog::Catalog;
use eventbind_build::filter::Filter;
use eventbind_build::ir::{Field, Model, Primitive, TypeDef, TypeKind, TypeRef};
use eventbind_build::lowering::lower_catalog;

fn model() -> Model {
    let catalog = Catalog::load(&[Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/catalog"))]).unwrap();
    lower_catalog(&catalog, &Filter::default()).unwrap()
}

fn named<'m>(model: &'m Model, module: &str, name: &str) -> &'m TypeDef {
    model.types.iter().find(|t| t.module.join(".") == module && t.name == name).unwrap_or_else(|| {
        panic!(
            "no type {module}::{name}; have {:?}",
            model.types.iter().map(|t| (t.module.join("."), &t.name)).collect::<Vec<_>>()
        )
    })
}

fn field<'m>(def: &'m TypeDef, wire: &str) -> &'m Field {
    match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().find(|f| f.wire_name == wire).unwrap_or_else(|| panic!("{} has no field {wire}", def.name))
        }
        other => panic!("{} is not a struct: {other:?}", def.name),
    }
}

fn type_of<'m>(model: &'m Model, ty: &TypeRef) -> &'m TypeDef {
    match ty.non_null() {
        TypeRef::Named(id) => model.get(*id),
        other => panic!("not a named type: {other:?}"),
    }
}

#[test]
fn formats_nullability_and_defaults() {
    let m = model();
    let cancelled = named(&m, "order", "OrderCancelled");
    assert_eq!(field(cancelled, "customer_id").ty, TypeRef::Primitive(Primitive::Uuid));
    assert_eq!(field(cancelled, "cancelled_at").ty, TypeRef::Primitive(Primitive::DateTime));
    // `nullable: true` (OpenAPI) and `type: [T, "null"]` both make a nullable type.
    assert_eq!(field(cancelled, "note").ty, TypeRef::Primitive(Primitive::String).nullable());
    let contact = named(&m, "crm", "ContactData");
    assert_eq!(field(contact, "middle_name").ty, TypeRef::Primitive(Primitive::String).nullable());
    assert_eq!(field(contact, "birthday").ty, TypeRef::Primitive(Primitive::Date));
    assert_eq!(field(contact, "email").format.as_deref(), Some("email"), "unmapped formats stay strings, documented");
    assert_eq!(field(contact, "email").ty, TypeRef::Primitive(Primitive::String));
    assert_eq!(field(contact, "loyalty_points").default, Some(serde_json::json!(0)));
    assert!(field(contact, "contact_id").required);
    assert!(!field(contact, "email").required);
    // Maps: `additionalProperties` with a schema and no properties.
    assert!(matches!(field(contact, "attributes").ty, TypeRef::Map(_)));
    assert!(contact_has_read_only(contact), "readOnly is kept");
}

fn contact_has_read_only(def: &TypeDef) -> bool {
    matches!(&def.kind, TypeKind::Struct(s) if s.fields.iter().any(|f| f.read_only))
}

#[test]
fn enums_closed_and_extensible() {
    let m = model();
    let reason = type_of(&m, &field(named(&m, "order", "OrderCancelled"), "reason").ty);
    let TypeKind::Enum(e) = &reason.kind else { panic!() };
    assert!(!e.extensible);
    assert!(e.values.iter().all(|v| !v.wire.is_empty() && !v.name.is_empty()));
    let channel = type_of(&m, &field(named(&m, "order", "OrderPlaced"), "channel").ty);
    let TypeKind::Enum(e) = &channel.kind else { panic!() };
    assert!(e.extensible, "x-extensible-enum");
    assert_eq!(e.values.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>(), ["web", "app", "store"]);
}

#[test]
fn unions_tagged_and_untagged() {
    let m = model();
    let method = type_of(&m, &field(named(&m, "payment", "PaymentAuthorized"), "method").ty);
    let TypeKind::Union(u) = &method.kind else { panic!("{method:?}") };
    assert_eq!(u.discriminator.as_deref(), Some("method_type"));
    assert_eq!(u.variants.len(), 3);
    assert!(u.variants.iter().all(|v| v.tag.is_some()));
    let sample = named(&m, "files.schemas.telemetry_reported", "Sample");
    let value = type_of(&m, &field(sample, "value").ty);
    let TypeKind::Union(u) = &value.kind else { panic!("{value:?}") };
    assert_eq!(u.discriminator, None, "anyOf without discriminator is untagged");
}

#[test]
fn all_of_merges_properties_and_required() {
    let m = model();
    let parcel = type_of(&m, &field(named(&m, "shipping", "ParcelDispatched"), "parcel").ty);
    let TypeKind::Struct(s) = &parcel.kind else { panic!() };
    assert!(s.fields.len() >= 3, "{s:?}");
    assert!(s.fields.iter().any(|f| f.required), "required from a later allOf member applies");
}

#[test]
fn references_across_files_are_one_type_placed_by_its_file() {
    let m = model();
    let money: Vec<&TypeDef> =
        m.types.iter().filter(|t| t.name == "Money" && t.origin.file.ends_with("money.json")).collect();
    assert_eq!(money.len(), 1, "money.json is one type shared by two namespaces");
    assert_eq!(money[0].module, ["files", "schemas", "money"], "the module of its own file, not of an event type");
    let refund = named(&m, "payment", "RefundIssued");
    assert_eq!(type_of(&m, &field(refund, "amount").ty).name, "Money");
    assert!(money[0].origin.file.ends_with("catalog/schemas/money.json"));
}

#[test]
fn recursive_types_refer_to_themselves() {
    let m = model();
    let org = named(&m, "files.schemas.crm_contact", "OrgUnit");
    assert_eq!(type_of(&m, &field(org, "parent").ty).name, "OrgUnit");
    let node = named(&m, "files.schemas.stock_level", "CategoryNode");
    let TypeRef::List(item) = field(node, "children").ty.non_null() else { panic!() };
    assert_eq!(type_of(&m, item).name, "CategoryNode");
}

#[test]
fn every_event_has_its_names_and_sources() {
    let m = model();
    assert_eq!(m.events.len(), 15, "11 JSON Schema event types and 4 in Avro or Protobuf");
    let names: Vec<&str> = m.events.iter().map(|e| e.def.name.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "events are in name order");
    let quacked = m.events.iter().find(|e| e.def.name == "device.button-quacked").unwrap();
    assert_eq!((quacked.module.as_slice(), quacked.type_name.as_str()), (&["device".to_owned()][..], "ButtonQuacked"));
    assert_eq!(quacked.variant_name, "DeviceButtonQuacked");
    for e in &m.events {
        assert!(!e.sources.is_empty() && !e.schema_text.is_empty(), "{}", e.def.name);
        assert!(e.def.docs.is_some(), "documentation fields are kept: {}", e.def.name);
    }
}

/// A string `const` is an enum of one value, so decoders reject any other; a numeric one keeps
/// its base type.
#[test]
fn string_constants_are_enums_of_one_value() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("doc.versioned.yaml"),
        r#"name: doc.versioned
owning_application: docs
category: undefined
compatibility_mode: none
schema:
  version: 1.0.0
  type: json_schema
  schema: '{"type":"object","properties":{"version":{"type":"string","const":"0.1"},"level":{"const":3}}}'
"#,
    )
    .unwrap();
    let catalog = Catalog::load(&[dir.path()]).unwrap();
    let m = lower_catalog(&catalog, &Filter::default()).unwrap();
    let doc = named(&m, "doc", "Versioned");
    match &type_of(&m, &field(doc, "version").ty).kind {
        TypeKind::Enum(e) => {
            assert_eq!(e.values.iter().map(|v| v.wire.as_str()).collect::<Vec<_>>(), ["0.1"]);
            assert!(!e.extensible, "closed: any other value is rejected");
        }
        other => panic!("not an enum: {other:?}"),
    }
    assert_eq!(field(doc, "level").ty, TypeRef::Primitive(Primitive::Int64));
}

#[test]
fn integers_take_their_type_from_format_and_bounds() {
    let m = model();
    let plan = named(&m, "fulfilment", "PickingPlanCreated");
    // `format: uint32` → u32; `minimum: 0` without a format → u64, as typify chooses.
    assert_eq!(field(plan, "wave").ty, TypeRef::Primitive(Primitive::UInt32));
    assert_eq!(field(plan, "scanner_sequence").ty, TypeRef::Primitive(Primitive::UInt64));
    // A bound beyond 64 bits in the schema (read from YAML as the nearest double) still fits u64.
    assert_eq!(field(plan, "weight_limit_grams").ty, TypeRef::Primitive(Primitive::UInt64));
    // A format whose range holds the bounds names the type: `int32` with `minimum: 0` stays i32.
    let slots = type_of(&m, &field(plan, "slots").ty);
    let slot = type_of(&m, &field(slots, "main").ty);
    assert_eq!(field(slot, "item_count").ty, TypeRef::Primitive(Primitive::Int32));
}

#[test]
fn declared_keys_beyond_the_properties_are_a_typed_map() {
    let m = model();
    let plan = named(&m, "fulfilment", "PickingPlanCreated");
    let rest = |def: &TypeDef| match &def.kind {
        TypeKind::Struct(s) => s.rest.clone(),
        other => panic!("{} is not a struct: {other:?}", def.name),
    };
    // `properties` + a schema-valued `additionalProperties`: every other key, typed by it.
    let slots = type_of(&m, &field(plan, "slots").ty);
    let slots_rest = rest(slots).expect("the slots keep their other keys");
    assert_eq!(slots_rest.name, "extra");
    assert!(slots_rest.patterns.is_empty());
    assert_eq!(field(slots, "main").ty, slots_rest.value, "one definition (`Slot`), one type");
    // `patternProperties`: the keys matching a pattern, typed by its schema.
    let labels = type_of(&m, &field(plan, "labels").ty);
    let labels_rest = rest(labels).expect("the labels keep their `x-` keys");
    assert_eq!(labels_rest.patterns, ["^x-"]);
    assert_eq!(labels_rest.value, TypeRef::Primitive(Primitive::String));
    // Objects with properties only have none.
    assert_eq!(rest(type_of(&m, &slots_rest.value)), None);
}
