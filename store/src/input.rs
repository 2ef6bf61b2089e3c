//! The inputs of `store write`: NDJSON and JSON files (framed as `validate` frames them), Avro
//! object container files (`.avro`, the records `eventbind::avro::write_container` writes: the
//! metadata in headers, the payload in its JSON form), and stdin. Each gives event documents one
//! at a time, with the line (or record number) they start on.

use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use eventbind::headers;
use eventbind::EventMetadata;
use eventbind_build::catalog::{Catalog, Category};
use eventbind_validate::{InputFormat, Record, Records};
use serde_json::{json, Value};

/// Read buffer per input; records are read one at a time whatever the file's size.
const READ_BUFFER: usize = 1 << 20;

/// Counts the bytes read, for the progress bar.
#[derive(Debug)]
pub struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

/// How an input is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    Json(InputFormat),
    Avro,
}

impl Framing {
    /// By extension: `.avro` is an Avro container file, the rest as `validate` decides.
    pub fn of(path: &Path, forced: Option<InputFormat>) -> Framing {
        if path.extension().is_some_and(|e| e == "avro") {
            Framing::Avro
        } else {
            Framing::Json(forced.unwrap_or_else(|| InputFormat::of(path)))
        }
    }
}

/// The records of one input.
pub fn records<'c, R: Read + 'c>(
    reader: R,
    framing: Framing,
    catalog: &'c Catalog,
    read: Arc<AtomicU64>,
) -> Box<dyn Iterator<Item = Record> + 'c> {
    let counted = Counted { inner: reader, read };
    match framing {
        Framing::Json(format) => Box::new(Records::new(BufReader::with_capacity(READ_BUFFER, counted), format)),
        Framing::Avro => avro_records(BufReader::with_capacity(READ_BUFFER, counted), catalog),
    }
}

fn avro_records<'c, R: BufRead + 'c>(reader: R, catalog: &'c Catalog) -> Box<dyn Iterator<Item = Record> + 'c> {
    match eventbind::avro::ContainerRecords::new(reader) {
        Err(e) => Box::new(std::iter::once(Record { line: 0, value: Err(format!("not an Avro container file: {e}")) })),
        Ok(records) => {
            let mut failed = false;
            Box::new(records.enumerate().map_while(move |(i, record)| {
                if failed {
                    return None;
                }
                let value = record
                    .map_err(|e| format!("cannot read the record: {e}"))
                    .and_then(|(h, payload)| document(&h, payload, catalog));
                // A record that cannot be read leaves the reader behind it unusable.
                failed = value.as_ref().is_err_and(|e| e.starts_with("cannot read the record"));
                Some(Record { line: i + 1, value })
            }))
        }
    }
}

/// The event document of a stored Avro record: the envelope from the headers, by the category
/// of the event type they name.
fn document(h: &headers::Headers, payload: Value, catalog: &Catalog) -> Result<Value, String> {
    let Some(name) = headers::event_type(h).map_err(|e| e.to_string())? else {
        // A bare payload: only an undefined event type could own it, and `--type` does not apply
        // to container files, so it is judged as it is.
        return Ok(payload);
    };
    let category = catalog.event_types.iter().find(|e| e.name == name).map(|e| e.category);
    let metadata = || -> Result<Value, String> {
        let m = EventMetadata::from_headers(h).map_err(|e| e.to_string())?;
        serde_json::to_value(m).map_err(|e| e.to_string())
    };
    Ok(match category {
        Some(Category::Undefined) => payload,
        Some(Category::Data) => {
            let (op, data_type) = headers::data_envelope(h).map_err(|e| e.to_string())?;
            json!({"metadata": metadata()?, "data_op": op, "data_type": data_type, "data": payload})
        }
        // General, or a type the catalog does not know (validation reports it).
        _ => match payload {
            Value::Object(mut o) => {
                o.insert("metadata".into(), metadata()?);
                Value::Object(o)
            }
            other => other,
        },
    })
}
