//! A table as Spark reads it: the `StructType` JSON that `StructType.fromJson` reads, and the DDL
//! string that `spark.read.schema(...)` takes (as `StructType.toDDL` writes it). Both are the
//! Parquet files' columns followed by the partition columns `event_type` and `date`, which Spark
//! takes from the folder names. Descriptions become column comments.

use serde_json::{json, Map, Value};

use crate::table::{Column, Kind, Leaf, Table, ORDER_COLUMN, UNKNOWN_COLUMN};

/// A Spark data type, as both renderers need it.
#[derive(Debug, Clone, PartialEq)]
enum SparkType {
    Atomic(&'static str),
    Decimal(u8, i8),
    Array(Box<SparkType>),
    Map(Box<SparkType>),
    Struct(Vec<SparkField>),
}

#[derive(Debug, Clone, PartialEq)]
struct SparkField {
    name: String,
    ty: SparkType,
    comment: Option<String>,
}

fn leaf(leaf: &Leaf) -> SparkType {
    SparkType::Atomic(match leaf {
        Leaf::String | Leaf::Uuid | Leaf::Enum { .. } | Leaf::DecimalText | Leaf::Json => "string",
        Leaf::Boolean => "boolean",
        Leaf::Int32 { .. } => "integer",
        Leaf::Int64 { .. } | Leaf::TimeOfDay => "long",
        Leaf::Float32 { .. } => "float",
        Leaf::Float64 { .. } => "double",
        Leaf::Bytes(_) => "binary",
        Leaf::Date => "date",
        Leaf::Timestamp => "timestamp",
        Leaf::LocalTimestamp => "timestamp_ntz",
        Leaf::UInt64 { .. } => return SparkType::Decimal(20, 0),
        Leaf::Decimal { precision, scale } => return SparkType::Decimal(*precision, *scale),
    })
}

fn kind(kind: &Kind) -> SparkType {
    match kind {
        Kind::Leaf(l) => leaf(l),
        Kind::Struct(columns) => SparkType::Struct(columns.iter().map(field).collect()),
        Kind::Union(u) => SparkType::Struct(u.variants.iter().map(field).collect()),
        Kind::List(item) => SparkType::Array(Box::new(self::kind(&item.kind))),
        Kind::Map(value) => SparkType::Map(Box::new(self::kind(&value.kind))),
    }
}

fn field(column: &Column) -> SparkField {
    SparkField { name: column.name.clone(), ty: kind(&column.kind), comment: column.doc.clone() }
}

fn table_fields(table: &Table) -> Vec<SparkField> {
    let mut fields: Vec<SparkField> = table.columns.iter().map(field).collect();
    let plain =
        |name: &str, ty: SparkType, comment: &str| SparkField { name: name.into(), ty, comment: Some(comment.into()) };
    fields.push(plain(
        UNKNOWN_COLUMN,
        SparkType::Atomic("string"),
        "Fields no schema declares: a JSON object from each one's JSON pointer to its value.",
    ));
    fields.push(plain(
        ORDER_COLUMN,
        SparkType::Struct(vec![
            plain("nanos", SparkType::Atomic("integer"), "Nanoseconds of occurred_at below the microsecond."),
            plain("seq", SparkType::Atomic("long"), "Place in the order of writing."),
        ]),
        "Replay order after metadata.occurred_at: nanos, then seq.",
    ));
    fields.push(plain("event_type", SparkType::Atomic("string"), "Partition column: the event type."));
    fields.push(plain("date", SparkType::Atomic("date"), "Partition column: the UTC date of occurred_at."));
    fields
}

/// The `StructType` JSON of a table (what `StructType.fromJson` reads).
pub fn struct_type_json(table: &Table) -> Value {
    struct_json(&table_fields(table))
}

fn struct_json(fields: &[SparkField]) -> Value {
    json!({"type": "struct", "fields": fields.iter().map(field_json).collect::<Vec<_>>()})
}

fn field_json(f: &SparkField) -> Value {
    let mut metadata = Map::new();
    if let Some(c) = &f.comment {
        metadata.insert("comment".into(), Value::String(c.clone()));
    }
    json!({"name": f.name, "type": type_json(&f.ty), "nullable": true, "metadata": metadata})
}

fn type_json(t: &SparkType) -> Value {
    match t {
        SparkType::Atomic(name) => Value::String((*name).into()),
        SparkType::Decimal(p, s) => Value::String(format!("decimal({p},{s})")),
        SparkType::Array(item) => json!({"type": "array", "elementType": type_json(item), "containsNull": true}),
        SparkType::Map(value) => json!({
            "type": "map", "keyType": "string", "valueType": type_json(value), "valueContainsNull": true
        }),
        SparkType::Struct(fields) => struct_json(fields),
    }
}

/// The DDL string of a table (what `spark.read.schema(...)` takes).
pub fn ddl(table: &Table) -> String {
    table_fields(table).iter().map(|f| field_ddl(f, " ")).collect::<Vec<_>>().join(",")
}

fn field_ddl(f: &SparkField, separator: &str) -> String {
    let mut out = format!("{}{separator}{}", quote_name(&f.name), type_ddl(&f.ty));
    if let Some(c) = &f.comment {
        out.push_str(" COMMENT '");
        out.push_str(&escape_comment(c));
        out.push('\'');
    }
    out
}

fn type_ddl(t: &SparkType) -> String {
    match t {
        SparkType::Atomic(name) => match *name {
            "integer" => "INT".into(),
            "long" => "BIGINT".into(),
            other => other.to_uppercase(),
        },
        SparkType::Decimal(p, s) => format!("DECIMAL({p},{s})"),
        SparkType::Array(item) => format!("ARRAY<{}>", type_ddl(item)),
        SparkType::Map(value) => format!("MAP<STRING, {}>", type_ddl(value)),
        SparkType::Struct(fields) => {
            format!("STRUCT<{}>", fields.iter().map(|f| field_ddl(f, ": ")).collect::<Vec<_>>().join(", "))
        }
    }
}

fn quote_name(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Spark's string literal escapes.
fn escape_comment(c: &str) -> String {
    let mut out = String::with_capacity(c.len());
    for ch in c.chars() {
        match ch {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_comments_are_quoted_as_spark_reads_them() {
        assert_eq!(quote_name("a`b"), "`a``b`");
        assert_eq!(escape_comment("it's a \\ \"x\"\nnext"), "it\\'s a \\\\ \"x\"\\nnext");
        let f = SparkField {
            name: "m".into(),
            ty: SparkType::Map(Box::new(SparkType::Array(Box::new(SparkType::Decimal(20, 0))))),
            comment: None,
        };
        assert_eq!(field_ddl(&f, " "), "`m` MAP<STRING, ARRAY<DECIMAL(20,0)>>");
    }
}
