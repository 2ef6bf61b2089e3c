//! Where the types of a schema document go and what they are called, decided by the document
//! alone, never by which event type reaches a type first: adding or removing an event type does
//! not rename or move a type of another.
//!
//! - **Places.** A type is placed by the file that defines it. The types of an event type's
//!   inline schema live in the event type's module, beside it. The types of a schema file live
//!   in a module of their own under [`FILES_MODULE`], after the file's path in its root:
//!   `schemas/common/user.schema.json` → `files::schemas::common::user_schema`.
//! - **Names.** A file's root is named after its `title`, else the file's name; a definition
//!   (`definitions`, `$defs`) after its key. Anything else is named after where it is: its
//!   parent's name and the property (`UserAddress`), `Item` for array items, `Value` for map
//!   values, the variant for a union member (below), `Object`, `Array`, … for the members of a
//!   `type` list.
//! - **Union members** are named from what they hold: a `$ref` by its target, else the `title`,
//!   else the constant of the property that discriminates them (OpenAPI's `discriminator`, or
//!   any property with a string `const`), else the first required property the other members do
//!   not require, else a property only it has, else its kind (`Object`, `String`, …).
//! - **Collisions** (after case and `_`: `fooBar` and `foo_bar`) are settled once per document,
//!   before anything is lowered: its root and definitions first, then every other position in
//!   document order; a later name gets the smallest free number (`Address2`).
//! - **Length.** A name longer than [`MAX_NAME`] characters keeps its first word and as many of
//!   its last words as fit (`OrderPlacedShippingAddressGeoLocationPrecision` →
//!   `OrderGeoLocationPrecision`); a single word longer than that is cut.

use crate::source::At;
use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::naming::{self, Namer};
use crate::source::{pointer_push, pointer_tokens};

/// The module holding the types of schema files (not of event types' inline schemas).
pub const FILES_MODULE: &str = "files";

/// The longest a composed type name may be before it is shortened.
pub(crate) const MAX_NAME: usize = 40;

/// The key of the struct a `type: [..., "object"]` list makes beside its union, in a plan.
pub(crate) fn object_variant_key(pointer: &str) -> String {
    format!("{pointer}#Object")
}

/// Shortens a name longer than [`MAX_NAME`]: its first word and as many last words as fit.
pub(crate) fn shorten(name: &str) -> String {
    if name.len() <= MAX_NAME {
        return name.to_owned();
    }
    let words = words(name);
    let first = words.first().copied().unwrap_or_default();
    let mut tail: Vec<&str> = Vec::new();
    let mut len = first.len();
    for word in words.iter().skip(1).rev() {
        if len + word.len() > MAX_NAME {
            break;
        }
        len += word.len();
        tail.push(word);
    }
    tail.reverse();
    let shortened = format!("{first}{}", tail.concat());
    if shortened.len() > MAX_NAME || tail.is_empty() {
        // One long word: cut (names are ASCII).
        name.chars().take(MAX_NAME).collect()
    } else {
        shortened
    }
}

/// The words of an UpperCamelCase name: each starts at an upper-case letter.
fn words(name: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            out.push(&name[start..i]);
            start = i;
        }
    }
    out.push(&name[start..]);
    out
}

fn compose(parent: &str, suffix: &str) -> String {
    shorten(&format!("{parent}{suffix}"))
}

/// The name a `$ref` target suggests: its last pointer token, else the file's stem.
pub(crate) fn ref_name(reference: &str) -> String {
    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
    if let Some(last) = pointer_tokens(fragment).last() {
        return naming::type_name(last);
    }
    if !fragment.is_empty() {
        return naming::type_name(fragment);
    }
    let stem = file.rsplit('/').next().unwrap_or(file);
    naming::type_name(stem.split('.').next().unwrap_or(stem))
}

pub(crate) fn is_null_schema(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("null")
        || v.get("enum").and_then(Value::as_array).is_some_and(|e| e.len() == 1 && e[0].is_null())
        || v.get("const").is_some_and(Value::is_null)
}

/// The string constant a schema fixes (`const`, or an `enum` of one value).
pub(crate) fn constant(v: &Value) -> Option<&str> {
    v.get("const").and_then(Value::as_str).or_else(|| match v.get("enum") {
        Some(Value::Array(e)) if e.len() == 1 => e[0].as_str(),
        _ => None,
    })
}

pub(crate) fn kind_name(v: &Value) -> &'static str {
    match v.get("type").and_then(Value::as_str) {
        Some("string") => "String",
        Some("integer") => "Integer",
        Some("number") => "Number",
        Some("boolean") => "Boolean",
        Some("array") => "Array",
        Some("null") => "Null",
        _ if v.get("items").is_some() => "Array",
        _ => "Object",
    }
}

fn required(v: &Value) -> Vec<&str> {
    v.get("required").and_then(Value::as_array).into_iter().flatten().filter_map(Value::as_str).collect()
}

fn property_names(v: &Value) -> Vec<&str> {
    v.get("properties").and_then(Value::as_object).into_iter().flat_map(|p| p.keys().map(String::as_str)).collect()
}

/// What one union member is called, before collisions: see the module's documentation.
fn member_name(member: &Value, discriminator: Option<&str>, others: &[&Value]) -> String {
    if let Some(reference) = member.get("$ref").and_then(Value::as_str) {
        return ref_name(reference);
    }
    if let Some(title) = member.get("title").and_then(Value::as_str).filter(|t| !t.trim().is_empty()) {
        return naming::type_name(title);
    }
    let properties = member.get("properties").and_then(Value::as_object);
    let discriminating = properties.and_then(|props| match discriminator {
        Some(prop) => props.get(prop).and_then(constant),
        None => props.values().find_map(constant),
    });
    if let Some(value) = discriminating {
        return naming::type_name(value);
    }
    let own = required(member);
    if let Some(name) = own.iter().find(|name| !others.iter().any(|o| required(o).contains(name))) {
        return naming::type_name(name);
    }
    let names = property_names(member);
    if let Some(name) = names.iter().find(|name| !others.iter().any(|o| property_names(o).contains(name))) {
        return naming::type_name(name);
    }
    kind_name(member).to_owned()
}

/// The variant names of a `oneOf`/`anyOf` union, by member index, for its non-null members;
/// unique in the union (`Unknown` is kept for the catch-all).
pub(crate) fn variant_names(members: &[Value], discriminator: Option<&str>) -> Vec<(usize, String)> {
    let live: Vec<usize> = (0..members.len()).filter(|&i| !is_null_schema(&members[i])).collect();
    let mut namer = Namer::new();
    namer.reserve("Unknown");
    live.iter()
        .map(|&i| {
            let others: Vec<&Value> = live.iter().filter(|&&j| j != i).map(|&j| &members[j]).collect();
            (i, namer.claim(&member_name(&members[i], discriminator, &others), ""))
        })
        .collect()
}

/// Whether lowering may make a named type at a schema: an object with properties or parts, an
/// enum, a union, or a list of types.
fn may_be_named(schema: &Map<String, Value>) -> bool {
    if schema.contains_key("$ref") {
        return false;
    }
    let types = match schema.get("type") {
        Some(Value::Array(ts)) => ts.iter().filter(|t| t.as_str() != Some("null")).count(),
        _ => 0,
    };
    schema.get("properties").and_then(Value::as_object).is_some_and(|p| !p.is_empty())
        || schema.contains_key("allOf")
        || schema.contains_key("enum")
        || schema.contains_key("x-extensible-enum")
        || schema.get("const").is_some_and(Value::is_string)
        || schema.contains_key("oneOf")
        || schema.contains_key("anyOf")
        || types > 1
}

/// The names planned for one document: schema pointer → name, each already claimed.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    names: HashMap<String, String>,
}

impl Plan {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.names.get(key).map(String::as_str)
    }
}

/// Plans the names of a document whose root is called `root_name`, claiming each with `claim`
/// (which settles collisions in the document's module). `root_claimed` says the root's name is
/// already taken (an event type's own struct) and is not claimed again.
pub(crate) fn plan(root: &Value, root_name: &str, root_claimed: bool, claim: &mut dyn FnMut(&str) -> String) -> Plan {
    let mut plan = Plan::default();
    // An event type's own struct is its own type (its name is taken already); a root that is
    // no type (a file of definitions) claims no name.
    let root_name = if !root_claimed && root.as_object().is_some_and(may_be_named) {
        let claimed = claim(root_name);
        plan.names.insert(String::new(), claimed.clone());
        claimed
    } else {
        root_name.to_owned()
    };
    let mut pending: Vec<(String, String)> = vec![(String::new(), root_name)];
    // Definitions first, in document order, named by their keys.
    for keyword in ["definitions", "$defs"] {
        if let Some(Value::Object(defs)) = root.get(keyword) {
            for (key, schema) in defs {
                let pointer = pointer_push(&pointer_push("", keyword), key);
                let name = claim(&shorten(&naming::type_name(key)));
                if schema.as_object().is_some_and(may_be_named) {
                    plan.names.insert(pointer.clone(), name.clone());
                }
                pending.push((pointer, name));
            }
        }
    }
    // Then everything else, in document order.
    let mut queue: std::collections::VecDeque<(String, String)> = pending.into_iter().collect();
    while let Some((pointer, name)) = queue.pop_front() {
        let Some(Value::Object(schema)) = root.at(&pointer) else { continue };
        let mut children = Vec::new();
        plan.children(&pointer, schema, &name, claim, &mut children);
        // Depth first: a position's children right after it.
        for child in children.into_iter().rev() {
            queue.push_front(child);
        }
    }
    plan
}

impl Plan {
    /// Claims a name for the position `child` if it may become a type, and queues it.
    fn visit(
        &mut self,
        claim: &mut dyn FnMut(&str) -> String,
        child: String,
        derived: String,
        value: &Value,
        out: &mut Vec<(String, String)>,
    ) {
        let Some(obj) = value.as_object() else { return };
        let derived = match self.names.get(&child) {
            Some(planned) => planned.clone(),
            None if may_be_named(obj) => {
                let claimed = claim(&derived);
                self.names.insert(child.clone(), claimed.clone());
                claimed
            }
            None => derived,
        };
        out.push((child, derived));
    }

    /// Claims names for the positions directly below `pointer` (a schema named `name`) and
    /// returns them, with the names their own children derive from.
    fn children(
        &mut self,
        pointer: &str,
        schema: &Map<String, Value>,
        name: &str,
        claim: &mut dyn FnMut(&str) -> String,
        out: &mut Vec<(String, String)>,
    ) {
        let types: Vec<&str> = match schema.get("type") {
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).filter(|t| *t != "null").collect(),
            _ => Vec::new(),
        };
        let is_type_union = types.len() > 1 && !schema.contains_key("enum") && !schema.contains_key("oneOf");
        let (object_name, array_name) = if is_type_union {
            let object = if types.contains(&"object") && schema.get("properties").is_some_and(|p| !p.is_null()) {
                let claimed = claim(&compose(name, "Object"));
                self.names.insert(object_variant_key(pointer), claimed.clone());
                claimed
            } else {
                compose(name, "Object")
            };
            (object, compose(name, "Array"))
        } else {
            (name.to_owned(), name.to_owned())
        };
        if let Some(Value::Object(properties)) = schema.get("properties") {
            for (wire, value) in properties {
                let child = pointer_push(&pointer_push(pointer, "properties"), wire);
                self.visit(claim, child, compose(&object_name, &naming::type_name(wire)), value, out);
            }
        }
        for keyword in ["additionalProperties", "patternProperties"] {
            match schema.get(keyword) {
                Some(value @ Value::Object(_)) if keyword == "additionalProperties" => {
                    self.visit(claim, pointer_push(pointer, keyword), compose(&object_name, "Value"), value, out);
                }
                Some(Value::Object(patterns)) if keyword == "patternProperties" => {
                    for (pattern, value) in patterns {
                        let child = pointer_push(&pointer_push(pointer, keyword), pattern);
                        self.visit(claim, child, compose(&object_name, "Value"), value, out);
                    }
                }
                _ => {}
            }
        }
        if let Some(value @ Value::Object(_)) = schema.get("items") {
            self.visit(claim, pointer_push(pointer, "items"), compose(&array_name, "Item"), value, out);
        }
        if let Some(Value::Array(parts)) = schema.get("allOf") {
            // The members merge into this schema; one lowered alone takes its name.
            for (i, value) in parts.iter().enumerate() {
                let child = format!("{pointer}/allOf/{i}");
                if let Some(own) = self.names.get(pointer).cloned() {
                    self.names.entry(child.clone()).or_insert(own);
                }
                if value.is_object() {
                    out.push((child, name.to_owned()));
                }
            }
        }
        for combinator in ["oneOf", "anyOf"] {
            let Some(Value::Array(members)) = schema.get(combinator) else { continue };
            let discriminator = schema.get("discriminator").and_then(|d| d.get("propertyName")).and_then(Value::as_str);
            let names = variant_names(members, discriminator);
            if names.len() == 1 {
                // `oneOf: [T, null]` is T, with this schema's name.
                let (i, _) = names[0];
                let child = format!("{pointer}/{combinator}/{i}");
                if let Some(own) = self.names.get(pointer).cloned() {
                    self.names.entry(child.clone()).or_insert(own);
                }
                out.push((child, name.to_owned()));
                continue;
            }
            if names.iter().all(|(i, _)| constant(&members[*i]).is_some()) {
                continue;
            }
            for (i, variant) in names {
                self.visit(claim, format!("{pointer}/{combinator}/{i}"), compose(name, &variant), &members[i], out);
            }
        }
        // Definitions nested below the top level are named by their keys too.
        for keyword in ["definitions", "$defs"] {
            if pointer.is_empty() {
                continue;
            }
            if let Some(Value::Object(defs)) = schema.get(keyword) {
                for (key, value) in defs {
                    let child = pointer_push(&pointer_push(pointer, keyword), key);
                    self.visit(claim, child, shorten(&naming::type_name(key)), value, out);
                }
            }
        }
    }
}

/// A file's root name: its `title`, else its file name without extensions.
pub(crate) fn file_root_name(root: &Value, file_name: &str) -> String {
    match root.get("title").and_then(Value::as_str).map(str::trim).filter(|t| !t.is_empty()) {
        Some(title) => shorten(&naming::type_name(title)),
        None => shorten(&naming::type_name(file_name.split('.').next().unwrap_or(file_name))),
    }
}

/// The module segments of a file's path inside its root (`a/b.c.json` → `a`, `b_c`).
pub(crate) fn file_module(relative: &[String]) -> Vec<String> {
    let mut module = vec![FILES_MODULE.to_owned()];
    if let Some((file, folders)) = relative.split_last() {
        module.extend(folders.iter().map(|f| naming::field_name(f)));
        let stem = file.rsplit_once('.').map_or(file.as_str(), |(stem, _)| stem);
        module.push(naming::field_name(stem));
    }
    module
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn planned(root: Value) -> Vec<(String, String)> {
        let mut namer = Namer::new();
        let plan = plan(&root, "Root", false, &mut |n| namer.claim(n, ""));
        let mut names: Vec<(String, String)> = plan.names.into_iter().collect();
        names.sort();
        names
    }

    #[test]
    fn definitions_claim_before_nested_names() {
        let names = planned(json!({
            "type": "object",
            "properties": {"address": {"type": "object", "properties": {"a": {"type": "string"}}}},
            "definitions": {"RootAddress": {"type": "object", "properties": {"x": {"enum": ["a"]}}}}
        }));
        assert_eq!(
            names,
            [
                ("".into(), "Root".into()),
                ("/definitions/RootAddress".into(), "RootAddress".into()),
                ("/definitions/RootAddress/properties/x".into(), "RootAddressX".into()),
                ("/properties/address".into(), "RootAddress2".into()),
            ]
        );
    }

    #[test]
    fn union_members_are_named_by_what_they_hold() {
        let members = json!([
            {"type": "object", "properties": {"kind": {"const": "card"}, "number": {"type": "string"}}},
            {"type": "object", "required": ["iban"], "properties": {"iban": {"type": "string"}}},
            {"type": "object", "required": ["token", "id"], "properties": {"token": {}, "id": {}}},
            {"type": "object", "required": ["id"], "properties": {"id": {}, "wallet": {}}},
            {"$ref": "#/definitions/Cash"},
            {"title": "gift card", "type": "object"},
            {"type": "string"},
            {"type": "null"}
        ]);
        let names: Vec<String> = variant_names(members.as_array().unwrap(), None).into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, ["Card", "Iban", "Token", "Wallet", "Cash", "GiftCard", "String"]);
    }

    #[test]
    fn long_names_keep_their_first_and_last_words() {
        assert_eq!(
            shorten("OrderPlacedShippingAddressGeoLocationPrecision"),
            "OrderShippingAddressGeoLocationPrecision"
        );
        assert_eq!(
            shorten("OrderPlacedShippingAddressGeoLocationPrecisionValue"),
            "OrderAddressGeoLocationPrecisionValue"
        );
        assert_eq!(shorten("Short"), "Short");
        let word = "A".repeat(50);
        assert_eq!(shorten(&word).len(), MAX_NAME);
    }

    #[test]
    fn files_have_modules_after_their_paths() {
        let rel = |s: &str| s.split('/').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(file_module(&rel("schemas/common/user.schema.json")), ["files", "schemas", "common", "user_schema"]);
        assert_eq!(file_module(&rel("orders$created.json")), ["files", "orders_created"]);
    }
}
