//! `eventbind validate` over a stream: each invalid event is printed as it is met (source, line,
//! event type, JSON pointer, reason), counts are kept per event type, and a summary closes.

use std::collections::BTreeMap;
use std::fmt;
use std::io::{self, BufRead, Write};

use super::{InputFormat, Outcome, Records, Validator};

/// Counts of one run, over every input.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub inputs: usize,
    pub valid: usize,
    pub invalid: usize,
    /// Per event type (unknown and missing ones together): valid, invalid.
    pub by_type: BTreeMap<String, [usize; 2]>,
}

impl Summary {
    pub fn events(&self) -> usize {
        self.valid + self.invalid
    }

    /// Whether every event was valid.
    pub fn ok(&self) -> bool {
        self.invalid == 0
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} event(s) in {} input(s): {} valid, {} invalid",
            self.events(),
            self.inputs,
            self.valid,
            self.invalid
        )?;
        for (name, [valid, invalid]) in &self.by_type {
            writeln!(f, "  {name}: {valid} valid, {invalid} invalid")?;
        }
        Ok(())
    }
}

/// Validates every record of `reader`, writing one line per problem of each invalid event to
/// `out` as `SOURCE:LINE: EVENT_TYPE: POINTER: REASON`. Memory stays constant: one record at a
/// time.
pub fn validate_stream<R: BufRead>(
    reader: R,
    format: InputFormat,
    source: &str,
    validator: &Validator<'_>,
    forced: Option<&str>,
    summary: &mut Summary,
    out: &mut dyn Write,
) -> io::Result<()> {
    summary.inputs += 1;
    // With `--type` of an event type whose documents are arrays, `[...]` is one such event.
    let whole_arrays = forced.is_some_and(|name| validator.documents_are_arrays(name));
    for record in Records::new(reader, format).whole_arrays(whole_arrays) {
        let (event_type, outcome) = match record.value {
            Ok(event) => {
                let checked = validator.check(event, forced);
                (checked.event_type, checked.outcome)
            }
            Err(reason) => (forced.map(str::to_owned), Outcome::Invalid(vec![super::Problem::new("", reason)])),
        };
        let name = event_type.unwrap_or_else(|| "?".to_owned());
        // Unknown names share one bucket, so that a stream of junk cannot grow the counts.
        let bucket = if validator.knows(&name) { name.clone() } else { "(unknown or missing event type)".to_owned() };
        let counts = summary.by_type.entry(bucket).or_default();
        match outcome {
            Outcome::Valid => {
                counts[0] += 1;
                summary.valid += 1;
            }
            Outcome::Invalid(problems) => {
                counts[1] += 1;
                summary.invalid += 1;
                for p in problems {
                    let pointer = if p.pointer.is_empty() { "/" } else { p.pointer.as_str() };
                    writeln!(out, "{source}:{}: {name}: {pointer}: {}", record.line, p.reason)?;
                }
            }
        }
    }
    Ok(())
}
