//! Events (their JSON form, validated) into Arrow columns of a table, one row per event.
//!
//! Nothing is lost and nothing fails: fields no schema declares are kept in `_unknown` under
//! their JSON pointer, and so is a value that validation let through but its column cannot hold
//! exactly (an integer beyond int64, a decimal with more digits than its scale, a string where
//! the catalog's metadata has no type): its column is null, the value is in `_unknown`, and it is
//! counted as a misfit.

use std::sync::Arc;

use arrow_array::builder::{
    BinaryBuilder, BooleanBuilder, Date32Builder, Decimal128Builder, Float32Builder, Float64Builder, Int32Builder,
    Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, Int32Array, Int64Array, ListArray, MapArray, RecordBatch, StructArray};
use arrow_buffer::{NullBufferBuilder, OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Fields, Schema};
use serde_json::{Map, Value};

use crate::arrow_schema::{field, map_entries};
use crate::convert::{self, Typed};
use crate::table::{Choice, Column, Kind, Table};

/// Where the walk is in the event, for the JSON pointers of unknown fields.
#[derive(Debug, Clone)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// What one event left over: unknown fields and misfits, by JSON pointer.
#[derive(Debug, Default)]
pub struct Leftovers {
    pub values: Map<String, Value>,
    pub misfits: usize,
}

struct Cx<'a> {
    path: Vec<Step<'a>>,
    left: Leftovers,
    /// What the values appended take in the builders, roughly.
    bytes: usize,
}

impl<'a> Cx<'a> {
    fn pointer(&self, last: Option<&str>) -> String {
        let mut out = String::new();
        let mut push = |token: &str| {
            out.push('/');
            out.push_str(&token.replace('~', "~0").replace('/', "~1"));
        };
        for step in &self.path {
            match step {
                Step::Key(k) => push(k),
                Step::Index(i) => push(&i.to_string()),
            }
        }
        if let Some(k) = last {
            push(k);
        }
        out
    }

    fn unknown(&mut self, key: &str, value: &Value) {
        let pointer = self.pointer(Some(key));
        self.left.values.insert(pointer, value.clone());
    }

    /// Keeps a value at the current place without counting it as a misfit.
    fn unknown_here(&mut self, value: &Value) {
        let pointer = self.pointer(None);
        self.left.values.insert(pointer, value.clone());
    }

    fn misfit(&mut self, value: &Value) {
        let pointer = self.pointer(None);
        self.left.values.insert(pointer, value.clone());
        self.left.misfits += 1;
    }
}

/// A column's builder, shaped like its [`Column`].
#[derive(Debug)]
enum Builder {
    Utf8(StringBuilder),
    Bool(BooleanBuilder),
    I32(Int32Builder),
    I64(Int64Builder),
    F32(Float32Builder),
    F64(Float64Builder),
    Binary(BinaryBuilder),
    Date(Date32Builder),
    Ts(TimestampMicrosecondBuilder, Option<Arc<str>>),
    Dec(Decimal128Builder, u8, i8),
    Struct {
        fields: Fields,
        children: Vec<Builder>,
        nulls: NullBufferBuilder,
    },
    List {
        item: Arc<arrow_schema::Field>,
        child: Box<Builder>,
        offsets: Vec<i32>,
        nulls: NullBufferBuilder,
    },
    Map {
        entries: Arc<arrow_schema::Field>,
        keys: StringBuilder,
        values: Box<Builder>,
        offsets: Vec<i32>,
        nulls: NullBufferBuilder,
    },
}

impl Builder {
    fn new(kind: &Kind) -> Builder {
        match kind {
            Kind::Leaf(leaf) => match crate::arrow_schema::leaf_type(leaf) {
                DataType::Utf8 => Builder::Utf8(StringBuilder::new()),
                DataType::Boolean => Builder::Bool(BooleanBuilder::new()),
                DataType::Int32 => Builder::I32(Int32Builder::new()),
                DataType::Int64 => Builder::I64(Int64Builder::new()),
                DataType::Float32 => Builder::F32(Float32Builder::new()),
                DataType::Float64 => Builder::F64(Float64Builder::new()),
                DataType::Binary => Builder::Binary(BinaryBuilder::new()),
                DataType::Date32 => Builder::Date(Date32Builder::new()),
                DataType::Timestamp(_, tz) => Builder::Ts(TimestampMicrosecondBuilder::new(), tz),
                DataType::Decimal128(p, s) => Builder::Dec(Decimal128Builder::new(), p, s),
                other => unreachable!("leaf_type gives no {other}"),
            },
            Kind::Struct(columns) => Builder::structure(columns),
            Kind::Union(u) => Builder::structure(&u.variants),
            Kind::List(item) => Builder::List {
                item: Arc::new(field(item)),
                child: Box::new(Builder::new(&item.kind)),
                offsets: vec![0],
                nulls: NullBufferBuilder::new(0),
            },
            Kind::Map(value) => Builder::Map {
                entries: Arc::new(map_entries(value)),
                keys: StringBuilder::new(),
                values: Box::new(Builder::new(&value.kind)),
                offsets: vec![0],
                nulls: NullBufferBuilder::new(0),
            },
        }
    }

    fn structure(columns: &[Column]) -> Builder {
        Builder::Struct {
            fields: crate::arrow_schema::fields(columns),
            children: columns.iter().map(|c| Builder::new(&c.kind)).collect(),
            nulls: NullBufferBuilder::new(0),
        }
    }

    fn append_null(&mut self, column: &Column) {
        match self {
            Builder::Utf8(b) => b.append_null(),
            Builder::Bool(b) => b.append_null(),
            Builder::I32(b) => b.append_null(),
            Builder::I64(b) => b.append_null(),
            Builder::F32(b) => b.append_null(),
            Builder::F64(b) => b.append_null(),
            Builder::Binary(b) => b.append_null(),
            Builder::Date(b) => b.append_null(),
            Builder::Ts(b, _) => b.append_null(),
            Builder::Dec(b, ..) => b.append_null(),
            Builder::Struct { children, nulls, .. } => {
                for (child, col) in children.iter_mut().zip(children_of(column)) {
                    child.append_null(col);
                }
                nulls.append_null();
            }
            Builder::List { offsets, nulls, .. } | Builder::Map { offsets, nulls, .. } => {
                offsets.push(*offsets.last().unwrap_or(&0));
                nulls.append_null();
            }
        }
    }

    fn append_typed(&mut self, t: Typed) -> bool {
        match (self, t) {
            (Builder::Utf8(b), Typed::Str(s)) => b.append_value(s),
            (Builder::Bool(b), Typed::Bool(v)) => b.append_value(v),
            (Builder::I32(b), Typed::I32(v)) => b.append_value(v),
            (Builder::I64(b), Typed::I64(v)) => b.append_value(v),
            (Builder::F32(b), Typed::F32(v)) => b.append_value(v),
            (Builder::F64(b), Typed::F64(v)) => b.append_value(v),
            (Builder::Binary(b), Typed::Bytes(v)) => b.append_value(v),
            (Builder::Date(b), Typed::Date(v)) => b.append_value(v),
            (Builder::Ts(b, _), Typed::Micros(v)) => b.append_value(v),
            (Builder::Dec(b, ..), Typed::Decimal(v)) => b.append_value(v),
            _ => return false,
        }
        true
    }

    /// Appends the value of `column` found in the event (`None`: absent).
    fn append<'v>(&mut self, column: &'v Column, value: Option<&'v Value>, cx: &mut Cx<'v>) {
        let Some(v) = value.filter(|v| !v.is_null()) else {
            return self.append_null(column);
        };
        match (&column.kind, &mut *self) {
            (Kind::Leaf(leaf), _) => match convert::to_typed(leaf, v) {
                Some(t) => {
                    cx.bytes += match &t {
                        Typed::Str(s) => s.len() + 4,
                        Typed::Bytes(b) => b.len() + 4,
                        Typed::Decimal(_) => 16,
                        _ => 8,
                    };
                    let ok = self.append_typed(t);
                    debug_assert!(ok, "to_typed gives the builder's type");
                }
                None => {
                    cx.misfit(v);
                    self.append_null(column);
                }
            },
            (Kind::Struct(columns), Builder::Struct { children, nulls, .. }) => match v.as_object() {
                Some(object) => {
                    append_object(columns, children, object, cx);
                    nulls.append_non_null();
                }
                None => {
                    cx.misfit(v);
                    self.append_null(column);
                }
            },
            (Kind::Union(u), Builder::Struct { children, nulls, .. }) => {
                let chosen = match &u.choice {
                    Choice::Discriminator { property, tags } => {
                        let tag = v.get(property).and_then(Value::as_str);
                        tags.iter().position(|t| t.as_deref().is_some_and(|t| Some(t) == tag))
                    }
                    Choice::FirstFit => u.variants.iter().position(|c| convert::fits(&c.kind, v)),
                    // A oneof is read from the enclosing object (see `append_object`).
                    Choice::Oneof => None,
                };
                match chosen {
                    Some(i) => {
                        for (j, (child, col)) in children.iter_mut().zip(&u.variants).enumerate() {
                            if i == j {
                                child.append(col, Some(v), cx);
                            } else {
                                child.append_null(col);
                            }
                        }
                        nulls.append_non_null();
                    }
                    None => {
                        cx.misfit(v);
                        self.append_null(column);
                    }
                }
            }
            (Kind::List(item), Builder::List { child, offsets, nulls, .. }) => match v.as_array() {
                Some(items) => {
                    for (i, x) in items.iter().enumerate() {
                        cx.path.push(Step::Index(i));
                        child.append(item, Some(x), cx);
                        cx.path.pop();
                    }
                    offsets.push(offsets.last().unwrap_or(&0) + items.len() as i32);
                    nulls.append_non_null();
                }
                None => {
                    cx.misfit(v);
                    self.append_null(column);
                }
            },
            (Kind::Map(value), Builder::Map { keys, values, offsets, nulls, .. }) => match v.as_object() {
                Some(entries) => {
                    for (k, x) in entries {
                        keys.append_value(k);
                        cx.path.push(Step::Key(k));
                        values.append(value, Some(x), cx);
                        cx.path.pop();
                    }
                    offsets.push(offsets.last().unwrap_or(&0) + entries.len() as i32);
                    nulls.append_non_null();
                }
                None => {
                    cx.misfit(v);
                    self.append_null(column);
                }
            },
            _ => unreachable!("builders are made from their columns"),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Utf8(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
            Builder::I32(b) => Arc::new(b.finish()),
            Builder::I64(b) => Arc::new(b.finish()),
            Builder::F32(b) => Arc::new(b.finish()),
            Builder::F64(b) => Arc::new(b.finish()),
            Builder::Binary(b) => Arc::new(b.finish()),
            Builder::Date(b) => Arc::new(b.finish()),
            Builder::Ts(b, tz) => Arc::new(b.finish().with_timezone_opt(tz.clone())),
            Builder::Dec(b, p, s) => {
                Arc::new(b.finish().with_precision_and_scale(*p, *s).expect("precision and scale checked by the table"))
            }
            Builder::Struct { fields, children, nulls } => {
                let arrays = children.iter_mut().map(Builder::finish).collect();
                Arc::new(StructArray::new(fields.clone(), arrays, nulls.finish()))
            }
            Builder::List { item, child, offsets, nulls } => {
                let values = child.finish();
                let offsets = OffsetBuffer::new(ScalarBuffer::from(std::mem::replace(offsets, vec![0])));
                Arc::new(ListArray::new(item.clone(), offsets, values, nulls.finish()))
            }
            Builder::Map { entries, keys, values, offsets, nulls } => {
                let DataType::Struct(entry_fields) = entries.data_type() else {
                    unreachable!("map entries are structs")
                };
                let keys: ArrayRef = Arc::new(keys.finish());
                let entry = StructArray::new(entry_fields.clone(), vec![keys, values.finish()], None);
                let offsets = OffsetBuffer::new(ScalarBuffer::from(std::mem::replace(offsets, vec![0])));
                Arc::new(MapArray::new(entries.clone(), offsets, entry, nulls.finish(), false))
            }
        }
    }
}

fn children_of(column: &Column) -> &[Column] {
    match &column.kind {
        Kind::Struct(c) => c,
        Kind::Union(u) => &u.variants,
        _ => &[],
    }
}

/// The columns of an object (a struct, or the event's top level); keys no column reads are
/// unknown fields.
fn append_object<'v>(columns: &'v [Column], children: &mut [Builder], object: &'v Map<String, Value>, cx: &mut Cx<'v>) {
    let mut matched = 0usize;
    for (col, child) in columns.iter().zip(children.iter_mut()) {
        if let Kind::Union(u) = &col.kind {
            if u.choice == Choice::Oneof {
                append_oneof(col, u, child, object, cx, &mut matched);
                continue;
            }
        }
        // Pointers name the field by its wire name, as the reader writes it back.
        let value = object.get(&col.wire).or_else(|| col.alias.as_ref().and_then(|a| object.get(a)));
        if let Some(v) = value {
            matched += 1;
            cx.path.push(Step::Key(&col.wire));
            if v.is_null() && !col.required {
                // An explicit null of an optional field, so that it comes back as it was.
                cx.unknown_here(v);
            }
        }
        child.append(col, value, cx);
        if value.is_some() {
            cx.path.pop();
        }
    }
    if matched < object.len() {
        for (key, value) in object {
            if !columns.iter().any(|c| reads(c, key)) {
                cx.unknown(key, value);
            }
        }
    }
}

fn reads(column: &Column, key: &str) -> bool {
    match &column.kind {
        Kind::Union(u) if u.choice == Choice::Oneof => u.variants.iter().any(|v| reads(v, key)),
        _ => column.wire == key || column.alias.as_deref() == Some(key),
    }
}

fn append_oneof<'v>(
    column: &'v Column,
    union: &'v crate::table::Union,
    builder: &mut Builder,
    object: &'v Map<String, Value>,
    cx: &mut Cx<'v>,
    matched: &mut usize,
) {
    let found: Vec<Option<(&'v String, &'v Value)>> = union
        .variants
        .iter()
        .map(|v| {
            object
                .get(&v.wire)
                .or_else(|| v.alias.as_ref().and_then(|a| object.get(a)))
                .filter(|x| !x.is_null())
                .map(|x| (&v.wire, x))
        })
        .collect();
    *matched += union.variants.iter().map(|v| usize::from(object.contains_key(&v.wire))).sum::<usize>();
    *matched += union
        .variants
        .iter()
        .filter_map(|v| v.alias.as_ref())
        .map(|a| usize::from(object.contains_key(a)))
        .sum::<usize>();
    if found.iter().all(Option::is_none) {
        return builder.append_null(column);
    }
    let Builder::Struct { children, nulls, .. } = builder else { unreachable!("unions are structs") };
    for ((child, col), hit) in children.iter_mut().zip(&union.variants).zip(found) {
        match hit {
            Some((key, value)) => {
                cx.path.push(Step::Key(key));
                child.append(col, Some(value), cx);
                cx.path.pop();
            }
            None => child.append_null(col),
        }
    }
    nulls.append_non_null();
}

/// The rows of one table being gathered, before they are written as a row group.
#[derive(Debug)]
pub struct Rows {
    schema: Arc<Schema>,
    columns: Vec<Column>,
    builders: Vec<Builder>,
    unknown: StringBuilder,
    nanos: Vec<i32>,
    seq: Vec<i64>,
    /// `occurred_at` in microseconds, for sorting.
    micros: Vec<i64>,
    /// The JSON size of what is held, for the memory budget.
    pub bytes: usize,
}

/// Where an event goes in the replay order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct OrderKey {
    pub micros: i64,
    pub nanos: i32,
    pub seq: i64,
}

impl Rows {
    pub fn new(table: &Table, schema: Arc<Schema>) -> Rows {
        Rows {
            schema,
            columns: table.columns.clone(),
            builders: table.columns.iter().map(|c| Builder::new(&c.kind)).collect(),
            unknown: StringBuilder::new(),
            nanos: Vec::new(),
            seq: Vec::new(),
            micros: Vec::new(),
            bytes: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.seq.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seq.is_empty()
    }

    /// Adds one event (a JSON object); returns how many values did not fit their columns.
    pub fn push(&mut self, event: &Map<String, Value>, key: OrderKey) -> usize {
        let mut cx = Cx { path: Vec::new(), left: Leftovers::default(), bytes: 0 };
        append_object(&self.columns, &mut self.builders, event, &mut cx);
        if cx.left.values.is_empty() {
            self.unknown.append_null();
        } else {
            self.unknown.append_value(Value::Object(cx.left.values).to_string());
        }
        self.micros.push(key.micros);
        self.nanos.push(key.nanos);
        self.seq.push(key.seq);
        self.bytes += cx.bytes + 32;
        cx.left.misfits
    }

    /// The rows gathered, sorted in replay order, as one batch; the builder starts empty again.
    pub fn finish(&mut self) -> Result<RecordBatch, arrow_schema::ArrowError> {
        let mut arrays: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        arrays.push(Arc::new(self.unknown.finish()) as ArrayRef);
        let nanos = std::mem::take(&mut self.nanos);
        let seq = std::mem::take(&mut self.seq);
        let micros = std::mem::take(&mut self.micros);
        let DataType::Struct(order_fields) = crate::arrow_schema::order_type() else { unreachable!() };
        let order = StructArray::new(
            order_fields,
            vec![Arc::new(Int32Array::from(nanos.clone())), Arc::new(Int64Array::from(seq.clone()))],
            None,
        );
        arrays.push(Arc::new(order));
        self.bytes = 0;
        let batch = RecordBatch::try_new(self.schema.clone(), arrays)?;
        let mut order: Vec<u32> = (0..seq.len() as u32).collect();
        order.sort_by_key(|&i| {
            let i = i as usize;
            (micros[i], nanos[i], seq[i])
        });
        if order.windows(2).all(|w| w[0] < w[1]) {
            return Ok(batch);
        }
        let indices = arrow_array::UInt32Array::from(order);
        arrow_select::take::take_record_batch(&batch, &indices)
    }
}
