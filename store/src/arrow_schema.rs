//! A table as an Arrow schema (the schema of its Parquet files), and that schema as JSON in the
//! form of Arrow's integration-test format (`{"fields": [{"name", "nullable", "type",
//! "children"}], "metadata"}`), the JSON form of an Arrow schema that implementations share.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_schema::{DataType, Field, Fields, Schema, TimeUnit};
use serde_json::{json, Value};

use crate::table::{Column, Kind, Leaf, Table, ORDER_COLUMN, UNKNOWN_COLUMN};

/// Key-value metadata of the schema (and of every Parquet file written with it).
pub const META_EVENT_TYPE: &str = "eventbind.event_type";
pub const META_SCHEMA_VERSION: &str = "eventbind.schema_version";

/// The Arrow type of a leaf.
pub fn leaf_type(leaf: &Leaf) -> DataType {
    match leaf {
        Leaf::String | Leaf::Uuid | Leaf::Enum { .. } | Leaf::DecimalText | Leaf::Json => DataType::Utf8,
        Leaf::Boolean => DataType::Boolean,
        Leaf::Int32 { .. } => DataType::Int32,
        Leaf::Int64 { .. } | Leaf::TimeOfDay => DataType::Int64,
        Leaf::UInt64 { .. } => DataType::Decimal128(20, 0),
        Leaf::Float32 { .. } => DataType::Float32,
        Leaf::Float64 { .. } => DataType::Float64,
        Leaf::Bytes(_) => DataType::Binary,
        Leaf::Date => DataType::Date32,
        Leaf::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        Leaf::LocalTimestamp => DataType::Timestamp(TimeUnit::Microsecond, None),
        Leaf::Decimal { precision, scale } => DataType::Decimal128(*precision, *scale),
    }
}

/// The Arrow type of a column.
pub fn data_type(kind: &Kind) -> DataType {
    match kind {
        Kind::Leaf(leaf) => leaf_type(leaf),
        Kind::Struct(columns) => DataType::Struct(fields(columns)),
        Kind::Union(u) => DataType::Struct(fields(&u.variants)),
        Kind::List(item) => DataType::List(Arc::new(field(item))),
        Kind::Map(value) => DataType::Map(Arc::new(map_entries(value)), false),
    }
}

pub fn map_entries(value: &Column) -> Field {
    Field::new(
        "key_value",
        DataType::Struct(Fields::from(vec![Field::new("key", DataType::Utf8, false), field(value)])),
        false,
    )
}

pub fn field(column: &Column) -> Field {
    Field::new(&column.name, data_type(&column.kind), true)
}

pub fn fields(columns: &[Column]) -> Fields {
    columns.iter().map(field).collect()
}

/// The `_order` struct.
pub fn order_type() -> DataType {
    DataType::Struct(Fields::from(vec![
        Field::new("nanos", DataType::Int32, true),
        Field::new("seq", DataType::Int64, true),
    ]))
}

/// The schema of the table's Parquet files: the event's columns, then `_unknown` and `_order`.
pub fn schema(table: &Table) -> Schema {
    let mut all: Vec<Field> = table.columns.iter().map(field).collect();
    all.push(Field::new(UNKNOWN_COLUMN, DataType::Utf8, true));
    all.push(Field::new(ORDER_COLUMN, order_type(), true));
    Schema::new_with_metadata(
        all,
        HashMap::from([
            (META_EVENT_TYPE.to_owned(), table.event_type.clone()),
            (META_SCHEMA_VERSION.to_owned(), table.schema_version.clone()),
        ]),
    )
}

/// The schema in Arrow's JSON form.
pub fn to_json(schema: &Schema) -> Value {
    let mut metadata: Vec<(&String, &String)> = schema.metadata().iter().collect();
    metadata.sort();
    json!({
        "fields": schema.fields().iter().map(|f| field_json(f)).collect::<Vec<_>>(),
        "metadata": metadata.into_iter().map(|(k, v)| json!({"key": k, "value": v})).collect::<Vec<_>>(),
    })
}

fn field_json(f: &Field) -> Value {
    let children: Vec<Value> = match f.data_type() {
        DataType::Struct(fs) => fs.iter().map(|c| field_json(c)).collect(),
        DataType::List(item) | DataType::Map(item, _) => vec![field_json(item)],
        _ => Vec::new(),
    };
    json!({"name": f.name(), "nullable": f.is_nullable(), "type": type_json(f.data_type()), "children": children})
}

fn type_json(t: &DataType) -> Value {
    match t {
        DataType::Utf8 => json!({"name": "utf8"}),
        DataType::Binary => json!({"name": "binary"}),
        DataType::Boolean => json!({"name": "bool"}),
        DataType::Int32 => json!({"name": "int", "bitWidth": 32, "isSigned": true}),
        DataType::Int64 => json!({"name": "int", "bitWidth": 64, "isSigned": true}),
        DataType::Float32 => json!({"name": "floatingpoint", "precision": "SINGLE"}),
        DataType::Float64 => json!({"name": "floatingpoint", "precision": "DOUBLE"}),
        DataType::Decimal128(p, s) => json!({"name": "decimal", "precision": p, "scale": s, "bitWidth": 128}),
        DataType::Date32 => json!({"name": "date", "unit": "DAY"}),
        DataType::Timestamp(_, Some(tz)) => {
            json!({"name": "timestamp", "unit": "MICROSECOND", "timezone": tz.to_string()})
        }
        DataType::Timestamp(_, None) => json!({"name": "timestamp", "unit": "MICROSECOND"}),
        DataType::Struct(_) => json!({"name": "struct"}),
        DataType::List(_) => json!({"name": "list"}),
        DataType::Map(_, sorted) => json!({"name": "map", "keysSorted": sorted}),
        other => json!({"name": other.to_string()}),
    }
}
