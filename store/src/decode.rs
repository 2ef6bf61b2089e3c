//! Rows of a table's Parquet files back into events: each column into its JSON form, the values
//! kept in `_unknown` put back at their JSON pointers, and `metadata.occurred_at` given back the
//! nanoseconds that `_order.nanos` kept. Columns are found by name, so files written under an
//! earlier version of the event type read too (a column they lack is null).

use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Decimal128Type, Float32Type, Float64Type, Int32Type, Int64Type, TimestampMicrosecondType,
};
use arrow_array::{Array, ArrayRef, RecordBatch, StructArray};
use serde_json::{Map, Value};

use crate::convert::{self, Typed};
use crate::encode::OrderKey;
use crate::table::{Choice, Column, Kind, Leaf, Table, ORDER_COLUMN, UNKNOWN_COLUMN};

/// A batch's columns, looked up once, ready to read rows from.
#[derive(Debug)]
pub struct BatchRows<'t> {
    table: &'t Table,
    columns: Vec<Option<ArrayRef>>,
    unknown: Option<ArrayRef>,
    occurred_at: Option<ArrayRef>,
    nanos: Option<ArrayRef>,
    seq: Option<ArrayRef>,
    len: usize,
}

fn child(array: &StructArray, name: &str) -> Option<ArrayRef> {
    array.column_by_name(name).cloned()
}

impl<'t> BatchRows<'t> {
    pub fn new(table: &'t Table, batch: &RecordBatch) -> BatchRows<'t> {
        let columns = table.columns.iter().map(|c| batch.column_by_name(&c.name).cloned()).collect();
        let metadata = batch.column_by_name("metadata").and_then(|m| m.as_struct_opt().cloned());
        let order = batch.column_by_name(ORDER_COLUMN).and_then(|m| m.as_struct_opt().cloned());
        BatchRows {
            table,
            columns,
            unknown: batch.column_by_name(UNKNOWN_COLUMN).cloned(),
            occurred_at: metadata.as_ref().and_then(|m| child(m, "occurred_at")),
            nanos: order.as_ref().and_then(|o| child(o, "nanos")),
            seq: order.as_ref().and_then(|o| child(o, "seq")),
            len: batch.num_rows(),
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The replay order of a row.
    pub fn key(&self, row: usize) -> OrderKey {
        let micros = self
            .occurred_at
            .as_ref()
            .and_then(|a| a.as_primitive_opt::<TimestampMicrosecondType>())
            .filter(|a| a.is_valid(row))
            .map_or(i64::MIN, |a| a.value(row));
        let nanos = self
            .nanos
            .as_ref()
            .and_then(|a| a.as_primitive_opt::<Int32Type>())
            .filter(|a| a.is_valid(row))
            .map_or(0, |a| a.value(row));
        let seq = self
            .seq
            .as_ref()
            .and_then(|a| a.as_primitive_opt::<Int64Type>())
            .filter(|a| a.is_valid(row))
            .map_or(0, |a| a.value(row));
        OrderKey { micros, nanos, seq }
    }

    /// The event of a row, in its JSON form.
    pub fn event(&self, row: usize) -> Result<Value, String> {
        let mut object = Map::new();
        for (column, array) in self.table.columns.iter().zip(&self.columns) {
            put(column, array.as_deref(), row, &mut object)?;
        }
        let mut event = if self.table.columns.len() == 1 && self.table.columns[0].wire.is_empty() {
            object.remove(&self.table.columns[0].wire).unwrap_or(Value::Null)
        } else {
            Value::Object(object)
        };
        let key = self.key(row);
        if key.nanos != 0 {
            let at = chrono::DateTime::from_timestamp_micros(key.micros)
                .and_then(|t| t.checked_add_signed(chrono::Duration::nanoseconds(i64::from(key.nanos))));
            if let (Some(at), Some(slot)) = (at, event.pointer_mut("/metadata/occurred_at")) {
                *slot = Value::String(convert::timestamp_text(at));
            }
        }
        if let Some(text) = self
            .unknown
            .as_ref()
            .and_then(|a| a.as_string_opt::<i32>())
            .filter(|a| a.is_valid(row))
            .map(|a| a.value(row))
        {
            let kept: Map<String, Value> =
                serde_json::from_str(text).map_err(|e| format!("`{UNKNOWN_COLUMN}` is not a JSON object: {e}"))?;
            for (pointer, value) in kept {
                set(&mut event, &pointer, value);
            }
        }
        Ok(event)
    }
}

/// Puts a column's value of `row` into the object it belongs to.
fn put(column: &Column, array: Option<&dyn Array>, row: usize, object: &mut Map<String, Value>) -> Result<(), String> {
    if let Kind::Union(u) = &column.kind {
        if u.choice == Choice::Oneof {
            let Some(array) = array.filter(|a| a.is_valid(row)) else { return Ok(()) };
            let s = array.as_struct_opt().ok_or_else(|| mismatch(column, array))?;
            for variant in &u.variants {
                if let Some(v) = value(variant, s.column_by_name(&variant.name).map(|a| a.as_ref()), row)? {
                    object.insert(variant.wire.clone(), v);
                }
            }
            return Ok(());
        }
    }
    match value(column, array, row)? {
        Some(v) => {
            object.insert(column.wire.clone(), v);
        }
        None if column.required => {
            object.insert(column.wire.clone(), Value::Null);
        }
        None => {}
    }
    Ok(())
}

fn mismatch(column: &Column, array: &dyn Array) -> String {
    format!(
        "column `{}` is {} in the file, but the catalog's table has {}",
        column.name,
        array.data_type(),
        crate::arrow_schema::data_type(&column.kind)
    )
}

/// A column's value of `row`; `None` for null.
fn value(column: &Column, array: Option<&dyn Array>, row: usize) -> Result<Option<Value>, String> {
    let Some(array) = array else { return Ok(None) };
    if array.is_null(row) {
        return Ok(None);
    }
    let bad = || mismatch(column, array);
    Ok(Some(match &column.kind {
        Kind::Leaf(leaf) => convert::to_json(leaf, typed(leaf, array, row).ok_or_else(bad)?),
        Kind::Struct(columns) => {
            let s = array.as_struct_opt().ok_or_else(bad)?;
            let mut object = Map::new();
            for c in columns {
                put(c, s.column_by_name(&c.name).map(|a| a.as_ref()), row, &mut object)?;
            }
            Value::Object(object)
        }
        Kind::Union(u) => {
            let s = array.as_struct_opt().ok_or_else(bad)?;
            let mut chosen = None;
            for variant in &u.variants {
                if let Some(v) = value(variant, s.column_by_name(&variant.name).map(|a| a.as_ref()), row)? {
                    chosen = Some(v);
                    break;
                }
            }
            chosen.unwrap_or(Value::Null)
        }
        Kind::List(item) => {
            let list = array.as_list_opt::<i32>().ok_or_else(bad)?;
            let items = list.value(row);
            let mut out = Vec::with_capacity(items.len());
            for i in 0..items.len() {
                out.push(value(item, Some(items.as_ref()), i)?.unwrap_or(Value::Null));
            }
            Value::Array(out)
        }
        Kind::Map(value_column) => {
            let map = array.as_map_opt().ok_or_else(bad)?;
            let entries = map.value(row);
            let keys = entries.column(0).as_string_opt::<i32>().ok_or_else(bad)?;
            let values = entries.column(1);
            let mut out = Map::new();
            for i in 0..entries.len() {
                let v = value(value_column, Some(values.as_ref()), i)?.unwrap_or(Value::Null);
                out.insert(keys.value(i).to_owned(), v);
            }
            Value::Object(out)
        }
    }))
}

fn typed<'a>(leaf: &Leaf, array: &'a dyn Array, row: usize) -> Option<Typed<'a>> {
    Some(match leaf {
        Leaf::String | Leaf::Uuid | Leaf::Enum { .. } | Leaf::DecimalText | Leaf::Json => {
            Typed::Str(std::borrow::Cow::Borrowed(array.as_string_opt::<i32>()?.value(row)))
        }
        Leaf::Boolean => Typed::Bool(array.as_boolean_opt()?.value(row)),
        Leaf::Int32 { .. } => Typed::I32(array.as_primitive_opt::<Int32Type>()?.value(row)),
        Leaf::Int64 { .. } => Typed::I64(array.as_primitive_opt::<Int64Type>()?.value(row)),
        Leaf::TimeOfDay => Typed::Micros(array.as_primitive_opt::<Int64Type>()?.value(row)),
        Leaf::Float32 { .. } => Typed::F32(array.as_primitive_opt::<Float32Type>()?.value(row)),
        Leaf::Float64 { .. } => Typed::F64(array.as_primitive_opt::<Float64Type>()?.value(row)),
        Leaf::Bytes(_) => Typed::Bytes(array.as_binary_opt::<i32>()?.value(row).to_vec()),
        Leaf::Date => Typed::Date(array.as_primitive_opt::<Date32Type>()?.value(row)),
        Leaf::Timestamp | Leaf::LocalTimestamp => {
            Typed::Micros(array.as_primitive_opt::<TimestampMicrosecondType>()?.value(row))
        }
        Leaf::UInt64 { .. } | Leaf::Decimal { .. } => {
            Typed::Decimal(array.as_primitive_opt::<Decimal128Type>()?.value(row))
        }
    })
}

/// Sets the value at a JSON pointer, making the objects on the way when they are missing.
fn set(target: &mut Value, pointer: &str, value: Value) {
    let tokens: Vec<String> = pointer.split('/').skip(1).map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
    let Some((last, parents)) = tokens.split_last() else {
        *target = value;
        return;
    };
    let mut at = target;
    for token in parents {
        at = match at {
            Value::Object(o) => o.entry(token.clone()).or_insert_with(|| Value::Object(Map::new())),
            Value::Array(items) => match token.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(item) => item,
                None => return,
            },
            _ => return,
        };
        if at.is_null() {
            *at = Value::Object(Map::new());
        }
    }
    match at {
        Value::Object(o) => {
            o.insert(last.clone(), value);
        }
        Value::Array(items) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => items[i] = value,
            Ok(i) if i == items.len() => items.push(value),
            _ => {}
        },
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_go_back_to_their_pointers() {
        let mut event = json!({"a": {"b": [1, null, 3]}, "c": null});
        set(&mut event, "/a/b/1", json!(2));
        set(&mut event, "/a/x~1y", json!("slash"));
        set(&mut event, "/c/d", json!(true));
        assert_eq!(event, json!({"a": {"b": [1, 2, 3], "x/y": "slash"}, "c": {"d": true}}));
    }
}
