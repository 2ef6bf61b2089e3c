//! The schema registry wire format (Confluent's): a payload framed as magic byte `0`, the
//! writer's schema id as 4 bytes big-endian, and for Protobuf the message-index list (which
//! message of the registered file the payload is: zigzag varints, count first; the common
//! `[0]`, the file's first message, is written as the single byte `0`), then the encoded payload.

use std::fmt;

/// The first byte of every framed payload.
pub const MAGIC: u8 = 0;

/// A frame that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FrameError {
    /// Fewer bytes than the frame's header needs.
    Short { len: usize, needed: usize },
    /// The first byte is not the magic byte `0`.
    Magic(u8),
    /// The Protobuf message-index list is cut off, too long, or holds a negative index.
    BadIndexes(String),
}

impl fmt::Display for FrameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FrameError::Short { len, needed } => {
                write!(f, "schema registry frame too short: {len} bytes, the header needs {needed}")
            }
            FrameError::Magic(b) => {
                write!(f, "not a schema registry frame: the first byte is {b:#04x}, expected the magic byte 0x00")
            }
            FrameError::BadIndexes(why) => write!(f, "bad Protobuf message-index list in the frame: {why}"),
        }
    }
}

impl std::error::Error for FrameError {}

fn header(schema_id: u32) -> Vec<u8> {
    let mut out = Vec::with_capacity(5);
    out.push(MAGIC);
    out.extend_from_slice(&schema_id.to_be_bytes());
    out
}

/// Frames an Avro (or JSON) payload written with schema `schema_id`.
pub fn frame(schema_id: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = header(schema_id);
    out.extend_from_slice(payload);
    out
}

/// Reads a frame: the schema id and the payload after it.
pub fn unframe(bytes: &[u8]) -> Result<(u32, &[u8]), FrameError> {
    if bytes.len() < 5 {
        return Err(FrameError::Short { len: bytes.len(), needed: 5 });
    }
    if bytes[0] != MAGIC {
        return Err(FrameError::Magic(bytes[0]));
    }
    let id = u32::from_be_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]);
    Ok((id, &bytes[5..]))
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

/// Reads one zigzag varint; `None` when the input ends inside it or it exceeds 64 bits.
fn read_zigzag(bytes: &[u8], pos: &mut usize) -> Option<i64> {
    let mut value: u64 = 0;
    for shift in (0..64).step_by(7) {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        value |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return Some((value >> 1) as i64 ^ -((value & 1) as i64));
        }
    }
    None
}

/// Frames a Protobuf payload of schema `schema_id`; `indexes` is the path of the message in its
/// file (`[0]` for the first top-level message, `[1, 0]` for the first nested message of the
/// second, …).
pub fn frame_protobuf(schema_id: u32, indexes: &[i32], payload: &[u8]) -> Vec<u8> {
    let mut out = header(schema_id);
    if indexes == [0] {
        out.push(0);
    } else {
        put_varint(&mut out, zigzag(indexes.len() as i64));
        for &i in indexes {
            put_varint(&mut out, zigzag(i64::from(i)));
        }
    }
    out.extend_from_slice(payload);
    out
}

/// Longest message-index list accepted: deeper nesting than this is no real schema.
const MAX_INDEXES: i64 = 100;

/// Reads a Protobuf frame: the schema id, the message-index list and the payload.
pub fn unframe_protobuf(bytes: &[u8]) -> Result<(u32, Vec<i32>, &[u8]), FrameError> {
    let (id, rest) = unframe(bytes)?;
    let mut pos = 0;
    let count = read_zigzag(rest, &mut pos).ok_or_else(|| {
        if rest.is_empty() {
            FrameError::Short { len: bytes.len(), needed: 6 }
        } else {
            FrameError::BadIndexes("the count is cut off".into())
        }
    })?;
    if count == 0 {
        return Ok((id, vec![0], &rest[pos..]));
    }
    if !(1..=MAX_INDEXES).contains(&count) {
        return Err(FrameError::BadIndexes(format!("{count} indexes (expected 1 to {MAX_INDEXES})")));
    }
    let mut indexes = Vec::with_capacity(count as usize);
    for n in 0..count {
        let i = read_zigzag(rest, &mut pos)
            .ok_or_else(|| FrameError::BadIndexes(format!("index {} of {count} is cut off", n + 1)))?;
        let i = i32::try_from(i)
            .ok()
            .filter(|i| *i >= 0)
            .ok_or_else(|| FrameError::BadIndexes(format!("index {} is {i}, not a message position", n + 1)))?;
        indexes.push(i);
    }
    Ok((id, indexes, &rest[pos..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avro_frames_round_trip() {
        let framed = frame(0x0102_0304, b"payload");
        assert_eq!(&framed[..5], &[0, 1, 2, 3, 4]);
        assert_eq!(unframe(&framed).unwrap(), (0x0102_0304, &b"payload"[..]));
    }

    #[test]
    fn protobuf_frames_round_trip_with_the_zero_shortcut() {
        let first = frame_protobuf(7, &[0], b"x");
        assert_eq!(first, vec![0, 0, 0, 0, 7, 0, b'x']);
        assert_eq!(unframe_protobuf(&first).unwrap(), (7, vec![0], &b"x"[..]));
        let nested = frame_protobuf(7, &[1, 0, 300], b"y");
        // count 3 → zigzag 6; 1 → 2; 0 → 0; 300 → 600 = 0xd8 0x04.
        assert_eq!(&nested[5..], &[6, 2, 0, 0xd8, 0x04, b'y']);
        assert_eq!(unframe_protobuf(&nested).unwrap(), (7, vec![1, 0, 300], &b"y"[..]));
    }

    #[test]
    fn bad_frames_are_clear_errors() {
        assert_eq!(unframe(&[0, 1, 2]), Err(FrameError::Short { len: 3, needed: 5 }));
        assert_eq!(unframe(&[1, 0, 0, 0, 1, 9]), Err(FrameError::Magic(1)));
        assert!(unframe(&[7, 0, 0, 0, 0]).unwrap_err().to_string().contains("magic byte"));
        // A negative count, a cut-off index, a negative index.
        assert!(matches!(unframe_protobuf(&[0, 0, 0, 0, 1, 1]), Err(FrameError::BadIndexes(_))));
        assert!(matches!(unframe_protobuf(&[0, 0, 0, 0, 1, 4, 2]), Err(FrameError::BadIndexes(_))));
        assert!(matches!(unframe_protobuf(&[0, 0, 0, 0, 1, 2, 1]), Err(FrameError::BadIndexes(_))));
        assert!(matches!(unframe_protobuf(&[0, 0, 0, 0, 1, 0x80]), Err(FrameError::BadIndexes(_))));
        assert_eq!(unframe_protobuf(&[0, 0, 0, 0, 1]), Err(FrameError::Short { len: 5, needed: 6 }));
    }
}
