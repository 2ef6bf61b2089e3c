//! JSON Schema compatibility as Confluent's Schema Registry decides it: a directed comparison of
//! an original schema (the writer's) with an update (the reader's), naming each difference by
//! the registry's difference types; the update can read what the original wrote when every
//! difference is one the registry lists as compatible. BACKWARD compares OLD → NEW, FORWARD
//! NEW → OLD, FULL both.
//!
//! The rules, from the registry's JSON Schema compatibility documentation and its diff:
//! - combined schemas: a plain schema that becomes an `anyOf`/`oneOf` is compatible when one
//!   alternative is (`SUM_TYPE_EXTENDED`); an `allOf` that becomes a plain schema when one member
//!   is (`PRODUCT_TYPE_NARROWED`); singletons unwrap. Between combined schemas the criterion may
//!   widen (`allOf`/`oneOf` → `anyOf`, singleton → `oneOf`; `COMBINED_TYPE_EXTENDED`), members
//!   are matched one to one among the compatible pairs, and the match must cover the smaller
//!   side (`COMBINED_TYPE_SUBSCHEMAS_CHANGED`); `allOf` may lose members, `anyOf`/`oneOf` gain.
//! - otherwise a different kind of schema is `TYPE_CHANGED`, unless the original accepts nothing
//!   or the update everything.
//! - objects: the content model is open (no `additionalProperties` schema, no
//!   `patternProperties`, extra properties allowed), closed, or partially open. A property may be
//!   removed from an open model, added to a closed one (required only with a default), and added
//!   to or removed from a partially open one when the schema that covered it there (the first
//!   matching `patternProperties`, else `additionalProperties`) and the property's agree.
//! - arrays: tuple items likewise, against `additionalItems` (or `unevaluatedItems`).
//! - `not`: compared the other way round; the update may only exclude less.
//! - bounds, lengths, `multipleOf`, `required`, `dependencies`, `enum` (a set), `const`,
//!   `uniqueItems`, `minContains`/`maxContains` as the difference types say.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde_json::{json, Value};

use super::json_model::{Criterion, Kind, Model, Node, ObjectSchema, SchemaId};
use super::Difference;
use eventbind_build::diagnostic::Error;
use eventbind_build::json_schema::{DocId, Documents};

rules! {
    "JSON Schema";
    ID_CHANGED = true,
    DESCRIPTION_CHANGED = true,
    TITLE_CHANGED = true,
    DEFAULT_CHANGED = true,
    SCHEMA_ADDED = false,
    SCHEMA_REMOVED = true,
    TYPE_EXTENDED = true,
    TYPE_NARROWED = false,
    TYPE_CHANGED = false,
    MAX_LENGTH_ADDED = false,
    MAX_LENGTH_REMOVED = true,
    MAX_LENGTH_INCREASED = true,
    MAX_LENGTH_DECREASED = false,
    MIN_LENGTH_ADDED = false,
    MIN_LENGTH_REMOVED = true,
    MIN_LENGTH_INCREASED = false,
    MIN_LENGTH_DECREASED = true,
    PATTERN_ADDED = false,
    PATTERN_REMOVED = true,
    PATTERN_CHANGED = false,
    MAXIMUM_ADDED = false,
    MAXIMUM_REMOVED = true,
    MAXIMUM_INCREASED = true,
    MAXIMUM_DECREASED = false,
    MINIMUM_ADDED = false,
    MINIMUM_REMOVED = true,
    MINIMUM_INCREASED = false,
    MINIMUM_DECREASED = true,
    EXCLUSIVE_MAXIMUM_ADDED = false,
    EXCLUSIVE_MAXIMUM_REMOVED = true,
    EXCLUSIVE_MAXIMUM_INCREASED = true,
    EXCLUSIVE_MAXIMUM_DECREASED = false,
    EXCLUSIVE_MINIMUM_ADDED = false,
    EXCLUSIVE_MINIMUM_REMOVED = true,
    EXCLUSIVE_MINIMUM_INCREASED = false,
    EXCLUSIVE_MINIMUM_DECREASED = true,
    MULTIPLE_OF_ADDED = false,
    MULTIPLE_OF_REMOVED = true,
    MULTIPLE_OF_EXPANDED = false,
    MULTIPLE_OF_REDUCED = true,
    MULTIPLE_OF_CHANGED = false,
    REQUIRED_ATTRIBUTE_ADDED = false,
    REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED = true,
    REQUIRED_ATTRIBUTE_REMOVED = true,
    MAX_PROPERTIES_ADDED = false,
    MAX_PROPERTIES_REMOVED = true,
    MAX_PROPERTIES_INCREASED = true,
    MAX_PROPERTIES_DECREASED = false,
    MIN_PROPERTIES_ADDED = false,
    MIN_PROPERTIES_REMOVED = true,
    MIN_PROPERTIES_INCREASED = false,
    MIN_PROPERTIES_DECREASED = true,
    ADDITIONAL_PROPERTIES_ADDED = true,
    ADDITIONAL_PROPERTIES_REMOVED = false,
    ADDITIONAL_PROPERTIES_EXTENDED = true,
    ADDITIONAL_PROPERTIES_NARROWED = false,
    DEPENDENCY_ARRAY_ADDED = false,
    DEPENDENCY_ARRAY_REMOVED = true,
    DEPENDENCY_ARRAY_EXTENDED = false,
    DEPENDENCY_ARRAY_NARROWED = true,
    DEPENDENCY_ARRAY_CHANGED = false,
    DEPENDENCY_SCHEMA_ADDED = false,
    DEPENDENCY_SCHEMA_REMOVED = true,
    PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL = false,
    PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL = true,
    REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL = false,
    REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL = true,
    OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL = true,
    PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL = true,
    PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL = true,
    PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL = false,
    PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = true,
    PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = false,
    PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = true,
    PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = false,
    MAX_ITEMS_ADDED = false,
    MAX_ITEMS_REMOVED = true,
    MAX_ITEMS_INCREASED = true,
    MAX_ITEMS_DECREASED = false,
    MIN_ITEMS_ADDED = false,
    MIN_ITEMS_REMOVED = true,
    MIN_ITEMS_INCREASED = false,
    MIN_ITEMS_DECREASED = true,
    MAX_CONTAINS_ADDED = false,
    MAX_CONTAINS_REMOVED = false,
    MAX_CONTAINS_INCREASED = false,
    MAX_CONTAINS_DECREASED = false,
    MIN_CONTAINS_ADDED = false,
    MIN_CONTAINS_REMOVED = false,
    MIN_CONTAINS_INCREASED = false,
    MIN_CONTAINS_DECREASED = false,
    UNIQUE_ITEMS_ADDED = false,
    UNIQUE_ITEMS_REMOVED = true,
    ADDITIONAL_ITEMS_ADDED = true,
    ADDITIONAL_ITEMS_REMOVED = false,
    ADDITIONAL_ITEMS_EXTENDED = true,
    ADDITIONAL_ITEMS_NARROWED = false,
    UNEVALUATED_ITEMS_ADDED = true,
    UNEVALUATED_ITEMS_REMOVED = false,
    UNEVALUATED_ITEMS_EXTENDED = true,
    UNEVALUATED_ITEMS_NARROWED = false,
    ITEM_ADDED_TO_OPEN_CONTENT_MODEL = false,
    ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL = true,
    ITEM_ADDED_TO_CLOSED_CONTENT_MODEL = true,
    ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL = true,
    ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL = true,
    ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL = false,
    ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = true,
    ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = false,
    ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = true,
    ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL = false,
    ENUM_ARRAY_EXTENDED = true,
    ENUM_ARRAY_NARROWED = false,
    ENUM_ARRAY_CHANGED = false,
    COMBINED_TYPE_EXTENDED = true,
    COMBINED_TYPE_CHANGED = false,
    PRODUCT_TYPE_EXTENDED = false,
    PRODUCT_TYPE_NARROWED = true,
    SUM_TYPE_EXTENDED = true,
    SUM_TYPE_NARROWED = false,
    COMBINED_TYPE_SUBSCHEMAS_CHANGED = false,
    NOT_TYPE_EXTENDED = false,
    NOT_TYPE_NARROWED = true,
}

/// Which model a schema belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Side {
    Old,
    New,
}

/// A schema of one side.
type At = (Side, SchemaId);

/// One difference, with its path relative to the pair of schemas compared.
#[derive(Debug, Clone)]
struct Diff {
    rule: Rule,
    path: Vec<String>,
    /// The schema it is shown at.
    at: At,
}

fn compatible(diffs: &[Diff]) -> bool {
    diffs.iter().all(|d| d.rule.compatible())
}

fn under(prefix: &str, diffs: Vec<Diff>) -> Vec<Diff> {
    diffs
        .into_iter()
        .map(|mut d| {
            d.path.insert(0, prefix.to_owned());
            d
        })
        .collect()
}

/// The registry's verdicts between the payload schemas at two documents' roots.
pub(crate) fn check<'c>(
    old_docs: &mut Documents<'c>,
    old_root: DocId,
    new_docs: &mut Documents<'c>,
    new_root: DocId,
) -> Result<super::RegistryCheck, Error> {
    let mut old = Model::new(old_docs, old_root);
    let mut new = Model::new(new_docs, new_root);
    let (old_top, new_top) = (old.load(&Node::root(old_root)), new.load(&Node::root(new_root)));
    let mut differ = Differ { old: &mut old, new: &mut new, memo: HashMap::new(), in_progress: HashSet::new() };
    let backward = differ.compare(Some((Side::Old, old_top)), Some((Side::New, new_top)));
    let forward = differ.compare(Some((Side::New, new_top)), Some((Side::Old, old_top)));
    let problems: Vec<_> = old.problems.drain(..).chain(new.problems.drain(..)).collect();
    if !problems.is_empty() {
        return Err(Error::new(problems));
    }
    let shown = |diffs: Vec<Diff>| -> Vec<Difference> {
        let mut out: Vec<Difference> = diffs
            .into_iter()
            .map(|d| {
                let model = if d.at.0 == Side::Old { &old } else { &new };
                let node = &model.get(d.at.1).node;
                let place = model.docs().get(node.doc).diagnostic(&node.ptr, "");
                Difference {
                    rule: d.rule.name(),
                    path: format!("#/{}", d.path.join("/")),
                    compatible: d.rule.compatible(),
                    location: place.location,
                    source_line: place.source_line,
                }
            })
            .collect();
        out.sort_by(|a, b| (&a.path, a.rule).cmp(&(&b.path, b.rule)));
        out.dedup_by(|a, b| a.path == b.path && a.rule == b.rule);
        out
    };
    Ok(super::RegistryCheck { backward: shown(backward), forward: shown(forward) })
}

struct Differ<'m, 'a, 'c> {
    old: &'m mut Model<'a, 'c>,
    new: &'m mut Model<'a, 'c>,
    /// Results by pair, relative to the pair, so combined schemas' cross products stay cheap.
    memo: HashMap<(At, At), Vec<Diff>>,
    /// Pairs being compared further up: meeting one again is a recursive cycle, taken as
    /// compatible (and not remembered, as the result is partial).
    in_progress: HashSet<(At, At)>,
}

impl<'a, 'c> Differ<'_, 'a, 'c> {
    fn model(&mut self, side: Side) -> &mut Model<'a, 'c> {
        match side {
            Side::Old => self.old,
            Side::New => self.new,
        }
    }

    fn kind(&mut self, at: At) -> Kind {
        self.model(at.0).get(at.1).kind.clone()
    }

    fn resolve(&mut self, at: At) -> At {
        (at.0, self.model(at.0).resolve(at.1))
    }

    fn compare(&mut self, original: Option<At>, update: Option<At>) -> Vec<Diff> {
        let (o, u) = match (original, update) {
            (None, None) => return Vec::new(),
            (None, Some(u)) => return vec![Diff { rule: Rule::SCHEMA_ADDED, path: Vec::new(), at: u }],
            (Some(o), None) => return vec![Diff { rule: Rule::SCHEMA_REMOVED, path: Vec::new(), at: o }],
            (Some(o), Some(u)) => (self.resolve(o), self.resolve(u)),
        };
        if let Some(found) = self.memo.get(&(o, u)) {
            return found.clone();
        }
        if !self.in_progress.insert((o, u)) {
            return Vec::new();
        }
        let diffs = self.compare_resolved(o, u);
        self.in_progress.remove(&(o, u));
        self.memo.insert((o, u), diffs.clone());
        diffs
    }

    fn compare_resolved(&mut self, o: At, u: At) -> Vec<Diff> {
        let (ok, uk) = (self.kind(o), self.kind(u));
        let diff = |rule: Rule, at: At| Diff { rule, path: Vec::new(), at };
        // A plain schema against a combined one, either way round.
        match (&ok, &uk) {
            (Kind::Combined(..), Kind::Combined(..)) => {}
            (_, Kind::Combined(criterion, subs)) => {
                if subs.len() == 1 {
                    let found = self.compare(Some(o), Some((u.0, subs[0])));
                    if compatible(&found) {
                        return found;
                    }
                } else if matches!(criterion, Criterion::Any | Criterion::One) {
                    for sub in subs {
                        let mut found = self.compare(Some(o), Some((u.0, *sub)));
                        if compatible(&found) {
                            found.push(diff(Rule::SUM_TYPE_EXTENDED, u));
                            return found;
                        }
                    }
                }
            }
            (Kind::Combined(criterion, subs), _) => {
                if subs.len() == 1 {
                    let found = self.compare(Some((o.0, subs[0])), Some(u));
                    if compatible(&found) {
                        return found;
                    }
                }
                if *criterion == Criterion::All {
                    for sub in subs {
                        let mut found = self.compare(Some((o.0, *sub)), Some(u));
                        if compatible(&found) {
                            found.push(diff(Rule::PRODUCT_TYPE_NARROWED, u));
                            return found;
                        }
                    }
                }
            }
            _ => {}
        }
        if ok.class() != uk.class() {
            let bytes = |this: &mut Self, at: At| {
                this.model(at.0).get(at.1).unprocessed.get("connect.type") == Some(&json!("bytes"))
            };
            if matches!(ok, Kind::False) || uk.is_empty_schema() || (bytes(self, o) && bytes(self, u)) {
                return Vec::new();
            }
            return vec![diff(Rule::TYPE_CHANGED, u)];
        }
        let mut out = Vec::new();
        {
            let (os, us) = (self.model(o.0).get(o.1).clone(), self.model(u.0).get(u.1).clone());
            for (changed, rule) in [
                (os.id != us.id, Rule::ID_CHANGED),
                (os.title != us.title, Rule::TITLE_CHANGED),
                (os.description != us.description, Rule::DESCRIPTION_CHANGED),
                (os.default != us.default, Rule::DEFAULT_CHANGED),
            ] {
                if changed {
                    out.push(diff(rule, u));
                }
            }
        }
        match (ok, uk) {
            (Kind::String(a), Kind::String(b)) => {
                self.bound(&mut out, u, "maxLength", a.max_length, b.max_length, MAX_LENGTH);
                self.bound(&mut out, u, "minLength", a.min_length, b.min_length, MIN_LENGTH);
                let rule = match (&a.pattern, &b.pattern) {
                    (None, Some(_)) => Some(Rule::PATTERN_ADDED),
                    (Some(_), None) => Some(Rule::PATTERN_REMOVED),
                    (Some(x), Some(y)) if x != y => Some(Rule::PATTERN_CHANGED),
                    _ => None,
                };
                push(&mut out, rule, "pattern", u);
            }
            (Kind::Number(a), Kind::Number(b)) => {
                self.bound(&mut out, u, "maximum", a.maximum, b.maximum, MAXIMUM);
                self.bound(&mut out, u, "minimum", a.minimum, b.minimum, MINIMUM);
                self.bound(
                    &mut out,
                    u,
                    "exclusiveMaximum",
                    a.exclusive_maximum,
                    b.exclusive_maximum,
                    EXCLUSIVE_MAXIMUM,
                );
                self.bound(
                    &mut out,
                    u,
                    "exclusiveMinimum",
                    a.exclusive_minimum,
                    b.exclusive_minimum,
                    EXCLUSIVE_MINIMUM,
                );
                let rule = match (&a.multiple_of, &b.multiple_of) {
                    (None, Some(_)) => Some(Rule::MULTIPLE_OF_ADDED),
                    (Some(_), None) => Some(Rule::MULTIPLE_OF_REMOVED),
                    (Some(x), Some(y)) if x.as_f64() != y.as_f64() => {
                        let (x, y) = (x.as_f64().unwrap_or(1.0), y.as_f64().unwrap_or(1.0));
                        Some(if divides(x, y) {
                            Rule::MULTIPLE_OF_EXPANDED
                        } else if divides(y, x) {
                            Rule::MULTIPLE_OF_REDUCED
                        } else {
                            Rule::MULTIPLE_OF_CHANGED
                        })
                    }
                    _ => None,
                };
                push(&mut out, rule, "multipleOf", u);
                if a.requires_integer != b.requires_integer {
                    out.push(diff(if a.requires_integer { Rule::TYPE_EXTENDED } else { Rule::TYPE_NARROWED }, u));
                }
            }
            (Kind::Enum(a), Kind::Enum(b)) => {
                let contains_all = |xs: &[Value], ys: &[Value]| ys.iter().all(|y| xs.contains(y));
                let (grows, shrinks) = (contains_all(&b, &a), contains_all(&a, &b));
                let rule = match (grows, shrinks) {
                    (true, true) => None,
                    (true, false) => Some(Rule::ENUM_ARRAY_EXTENDED),
                    (false, true) => Some(Rule::ENUM_ARRAY_NARROWED),
                    (false, false) => Some(Rule::ENUM_ARRAY_CHANGED),
                };
                push(&mut out, rule, "enum", u);
            }
            (Kind::Const(a), Kind::Const(b)) => {
                push(&mut out, (a != b).then_some(Rule::ENUM_ARRAY_CHANGED), "const", u);
            }
            (Kind::Combined(ac, asubs), Kind::Combined(bc, bsubs)) => {
                out.extend(self.combined(o, ac, &asubs, u, bc, &bsubs));
            }
            (Kind::Not(a), Kind::Not(b)) => {
                // Reversed: the update may exclude only what the original excluded.
                let inner = self.compare(Some((u.0, b)), Some((o.0, a)));
                let rule = if compatible(&inner) { Rule::NOT_TYPE_NARROWED } else { Rule::NOT_TYPE_EXTENDED };
                push(&mut out, Some(rule), "not", u);
            }
            (Kind::Object(a), Kind::Object(b)) => out.extend(self.object(o, &a, u, &b)),
            (Kind::Array(a), Kind::Array(b)) => out.extend(self.array(o, &a, u, &b)),
            _ => {}
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn bound(&mut self, out: &mut Vec<Diff>, u: At, key: &str, a: Option<f64>, b: Option<f64>, rules: [Rule; 4]) {
        let [added, removed, increased, decreased] = rules;
        let rule = match (a, b) {
            (None, Some(_)) => Some(added),
            (Some(_), None) => Some(removed),
            (Some(x), Some(y)) if x < y => Some(increased),
            (Some(x), Some(y)) if x > y => Some(decreased),
            _ => None,
        };
        push(out, rule, key, u);
    }

    fn combined(
        &mut self,
        o: At,
        oc: Criterion,
        osubs: &[SchemaId],
        u: At,
        uc: Criterion,
        usubs: &[SchemaId],
    ) -> Vec<Diff> {
        let mut out = Vec::new();
        let diff = |rule: Rule| Diff { rule, path: Vec::new(), at: u };
        let changed = if oc == uc {
            None
        } else if uc == Criterion::Any
            || (uc == Criterion::One && osubs.len() == 1)
            || (uc == Criterion::All && osubs.len() == 1 && usubs.len() == 1)
        {
            Some(Rule::COMBINED_TYPE_EXTENDED)
        } else {
            Some(Rule::COMBINED_TYPE_CHANGED)
        };
        if let Some(rule) = changed {
            out.push(diff(rule));
            if rule == Rule::COMBINED_TYPE_CHANGED {
                return out;
            }
        }
        // Equal members count once.
        let distinct = |this: &mut Self, side: Side, subs: &[SchemaId]| -> Vec<SchemaId> {
            let mut seen = Vec::new();
            let mut kept = Vec::new();
            for sub in subs {
                let form = this.canonical((side, *sub), 0);
                if !seen.contains(&form) {
                    seen.push(form);
                    kept.push(*sub);
                }
            }
            kept
        };
        let (osubs, usubs) = (distinct(self, o.0, osubs), distinct(self, u.0, usubs));
        if osubs.len() < usubs.len() {
            out.push(diff(if uc == Criterion::All { Rule::PRODUCT_TYPE_EXTENDED } else { Rule::SUM_TYPE_EXTENDED }));
        } else if osubs.len() > usubs.len() {
            out.push(diff(if uc == Criterion::All { Rule::PRODUCT_TYPE_NARROWED } else { Rule::SUM_TYPE_NARROWED }));
        }
        // Compatible pairs, then a largest one-to-one matching among them.
        let mut edges: Vec<Vec<(usize, Vec<Diff>)>> = vec![Vec::new(); osubs.len()];
        for (i, a) in osubs.iter().enumerate() {
            for (j, b) in usubs.iter().enumerate() {
                let found = self.compare(Some((o.0, *a)), Some((u.0, *b)));
                if compatible(&found) {
                    edges[i].push((j, under(&format!("{}/{i}", oc.keyword()), found)));
                }
            }
        }
        let matching = maximum_matching(&edges, usubs.len());
        for (i, j) in matching.iter().enumerate() {
            if let Some(j) = j {
                if let Some((_, found)) = edges[i].iter().find(|(k, _)| k == j) {
                    out.extend(found.iter().cloned());
                }
            }
        }
        if matching.iter().flatten().count() < osubs.len().min(usubs.len()) {
            out.push(diff(Rule::COMBINED_TYPE_SUBSCHEMAS_CHANGED));
        }
        out
    }

    fn object(&mut self, o: At, a: &ObjectSchema, u: At, b: &ObjectSchema) -> Vec<Diff> {
        let mut out = Vec::new();
        // `required`, for properties on both sides.
        for (name, _) in &a.properties {
            let Some(prop) = b.property(name) else { continue };
            let (was, is) = (a.required.contains(name), b.required.contains(name));
            let rule = match (was, is) {
                (true, false) => Some(Rule::REQUIRED_ATTRIBUTE_REMOVED),
                (false, true) if self.has_default((u.0, prop)) => Some(Rule::REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED),
                (false, true) => Some(Rule::REQUIRED_ATTRIBUTE_ADDED),
                _ => None,
            };
            if let Some(rule) = rule {
                out.push(Diff { rule, path: vec!["required".into(), name.clone()], at: (u.0, prop) });
            }
        }
        // Properties.
        let names: BTreeSet<&String> = a.properties.iter().chain(&b.properties).map(|(n, _)| n).collect();
        for name in names {
            let path = |rule: Rule, at: At| Diff { rule, path: vec!["properties".into(), name.clone()], at };
            match (a.property(name), b.property(name)) {
                (Some(old), None) => {
                    let old = (o.0, old);
                    if open(b) {
                        out.push(path(Rule::PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL, old));
                    } else if let Some(cover) = self.cover(u.0, b, name) {
                        let found = self.compare(Some(old), Some((u.0, cover)));
                        let ok = compatible(&found);
                        out.extend(under("properties", under(name, found)));
                        out.push(path(
                            if ok {
                                Rule::PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                            } else {
                                Rule::PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                            },
                            old,
                        ));
                    } else if matches!(self.kind(old), Kind::False) {
                        out.push(path(Rule::PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL, old));
                    } else {
                        out.push(path(Rule::PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL, old));
                    }
                }
                (None, Some(new)) => {
                    let new = (u.0, new);
                    if open(a) {
                        let rule = if self.kind(new).is_empty_schema() {
                            Rule::PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                        } else {
                            Rule::PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL
                        };
                        out.push(path(rule, new));
                        continue;
                    }
                    if let Some(cover) = self.cover(o.0, a, name) {
                        let found = self.compare(Some((o.0, cover)), Some(new));
                        let ok = compatible(&found);
                        out.extend(under("properties", under(name, found)));
                        out.push(path(
                            if ok {
                                Rule::PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                            } else {
                                Rule::PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                            },
                            new,
                        ));
                    }
                    // Closed and partially open content models alike.
                    let rule = if !b.required.contains(name) {
                        Rule::OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL
                    } else if self.has_default(new) {
                        Rule::REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL
                    } else {
                        Rule::REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL
                    };
                    out.push(path(rule, new));
                }
                (Some(old), Some(new)) => {
                    let found = self.compare(Some((o.0, old)), Some((u.0, new)));
                    out.extend(under("properties", under(name, found)));
                }
                (None, None) => {}
            }
        }
        // Dependencies.
        let keys: BTreeSet<&String> = a.property_dependencies.keys().chain(b.property_dependencies.keys()).collect();
        for key in keys {
            let rule = match (a.property_dependencies.get(key), b.property_dependencies.get(key)) {
                (_, None) => Rule::DEPENDENCY_ARRAY_REMOVED,
                (None, Some(_)) => Rule::DEPENDENCY_ARRAY_ADDED,
                (Some(x), Some(y)) if x == y => continue,
                (Some(x), Some(y)) if y.is_superset(x) => Rule::DEPENDENCY_ARRAY_EXTENDED,
                (Some(x), Some(y)) if x.is_superset(y) => Rule::DEPENDENCY_ARRAY_NARROWED,
                _ => Rule::DEPENDENCY_ARRAY_CHANGED,
            };
            out.push(Diff { rule, path: vec!["dependencies".into(), key.clone()], at: u });
        }
        let keys: BTreeSet<&String> = a.schema_dependencies.keys().chain(b.schema_dependencies.keys()).collect();
        for key in keys {
            let (x, y) = (a.schema_dependencies.get(key), b.schema_dependencies.get(key));
            let found = match (x, y) {
                (_, None) => vec![Diff { rule: Rule::DEPENDENCY_SCHEMA_REMOVED, path: Vec::new(), at: u }],
                (None, Some(_)) => vec![Diff { rule: Rule::DEPENDENCY_SCHEMA_ADDED, path: Vec::new(), at: u }],
                (Some(x), Some(y)) => self.compare(Some((o.0, *x)), Some((u.0, *y))),
            };
            out.extend(under("dependencies", under(key, found)));
        }
        // `additionalProperties`.
        let rule = if a.permits_additional != b.permits_additional {
            Some(if b.permits_additional {
                Rule::ADDITIONAL_PROPERTIES_ADDED
            } else {
                Rule::ADDITIONAL_PROPERTIES_REMOVED
            })
        } else {
            match (a.additional, b.additional) {
                (None, Some(_)) => Some(Rule::ADDITIONAL_PROPERTIES_NARROWED),
                (Some(_), None) => Some(Rule::ADDITIONAL_PROPERTIES_EXTENDED),
                (Some(x), Some(y)) => {
                    let found = self.compare(Some((o.0, x)), Some((u.0, y)));
                    out.extend(under("additionalProperties", found));
                    None
                }
                (None, None) => None,
            }
        };
        push(&mut out, rule, "additionalProperties", u);
        self.bound(&mut out, u, "maxProperties", a.max_properties, b.max_properties, MAX_PROPERTIES);
        self.bound(&mut out, u, "minProperties", a.min_properties, b.min_properties, MIN_PROPERTIES);
        out
    }

    fn array(
        &mut self,
        o: At,
        a: &super::json_model::ArraySchema,
        u: At,
        b: &super::json_model::ArraySchema,
    ) -> Vec<Diff> {
        let mut out = Vec::new();
        let found = self.compare(a.all_items.map(|s| (o.0, s)), b.all_items.map(|s| (u.0, s)));
        out.extend(under("items", found));
        // Tuple items.
        let (at, bt) = (a.tuple.clone().unwrap_or_default(), b.tuple.clone().unwrap_or_default());
        for i in 0..at.len().max(bt.len()) {
            let segment = format!("items/{i}");
            let path = |rule: Rule, at: At| Diff { rule, path: vec![segment.clone()], at };
            match (at.get(i), bt.get(i)) {
                (Some(x), Some(y)) => {
                    let found = self.compare(Some((o.0, *x)), Some((u.0, *y)));
                    out.extend(under(&segment, found));
                }
                (Some(x), None) => {
                    let old = (o.0, *x);
                    if self.array_open(u.0, b) {
                        out.push(path(Rule::ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL, old));
                    } else if let Some(cover) = self.array_cover(u.0, b) {
                        let found = self.compare(Some(old), Some((u.0, cover)));
                        let ok = compatible(&found);
                        out.extend(under(&segment, found));
                        out.push(path(
                            if ok {
                                Rule::ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                            } else {
                                Rule::ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                            },
                            old,
                        ));
                    } else if matches!(self.kind(old), Kind::False) {
                        out.push(path(Rule::ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL, old));
                    } else {
                        out.push(path(Rule::ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL, old));
                    }
                }
                (None, Some(y)) => {
                    let new = (u.0, *y);
                    if self.array_open(o.0, a) {
                        let rule = if self.kind(new).is_empty_schema() {
                            Rule::ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL
                        } else {
                            Rule::ITEM_ADDED_TO_OPEN_CONTENT_MODEL
                        };
                        out.push(path(rule, new));
                    } else if let Some(cover) = self.array_cover(o.0, a) {
                        let found = self.compare(Some((o.0, cover)), Some(new));
                        let ok = compatible(&found);
                        out.extend(under(&segment, found));
                        out.push(path(
                            if ok {
                                Rule::ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                            } else {
                                Rule::ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL
                            },
                            new,
                        ));
                    } else {
                        out.push(path(Rule::ITEM_ADDED_TO_CLOSED_CONTENT_MODEL, new));
                    }
                }
                (None, None) => {}
            }
        }
        // `additionalItems`.
        let rule = if a.permits_additional != b.permits_additional {
            Some(if a.permits_additional { Rule::ADDITIONAL_ITEMS_REMOVED } else { Rule::ADDITIONAL_ITEMS_ADDED })
        } else {
            match (a.additional, b.additional) {
                (None, Some(_)) => Some(Rule::ADDITIONAL_ITEMS_NARROWED),
                (Some(_), None) => Some(Rule::ADDITIONAL_ITEMS_EXTENDED),
                (Some(x), Some(y)) => {
                    let found = self.compare(Some((o.0, x)), Some((u.0, y)));
                    out.extend(under("additionalItems", found));
                    None
                }
                (None, None) => None,
            }
        };
        push(&mut out, rule, "additionalItems", u);
        // `unevaluatedItems` (draft 2019-09 and later).
        if a.unevaluated.is_some() || b.unevaluated.is_some() {
            let class = |this: &mut Self, side: Side, s: Option<SchemaId>| {
                s.map(|s| {
                    let s = this.model(side).resolve(s);
                    (s, this.model(side).get(s).kind.clone())
                })
            };
            let (x, y) = (class(self, o.0, a.unevaluated), class(self, u.0, b.unevaluated));
            let is_false = |k: &Option<(SchemaId, Kind)>| matches!(k, Some((_, Kind::False)));
            let is_empty = |k: &Option<(SchemaId, Kind)>| matches!(k, Some((_, k)) if k.is_empty_schema());
            let rule = match (&x, &y) {
                (None, _) if is_false(&y) => Some(Rule::UNEVALUATED_ITEMS_REMOVED),
                (None, _) => Some(Rule::UNEVALUATED_ITEMS_NARROWED),
                (_, None) if is_false(&x) => Some(Rule::UNEVALUATED_ITEMS_ADDED),
                (_, None) => Some(Rule::UNEVALUATED_ITEMS_EXTENDED),
                _ if is_false(&x) && !is_false(&y) => Some(Rule::UNEVALUATED_ITEMS_ADDED),
                _ if !is_false(&x) && is_false(&y) => Some(Rule::UNEVALUATED_ITEMS_REMOVED),
                _ if is_empty(&x) && !is_empty(&y) => Some(Rule::UNEVALUATED_ITEMS_NARROWED),
                _ if !is_empty(&x) && is_empty(&y) => Some(Rule::UNEVALUATED_ITEMS_EXTENDED),
                (Some((xs, _)), Some((ys, _))) => {
                    let found = self.compare(Some((o.0, *xs)), Some((u.0, *ys)));
                    out.extend(under("unevaluatedItems", found));
                    None
                }
            };
            push(&mut out, rule, "unevaluatedItems", u);
        }
        self.bound(&mut out, u, "maxItems", a.max_items, b.max_items, MAX_ITEMS);
        self.bound(&mut out, u, "minItems", a.min_items, b.min_items, MIN_ITEMS);
        let rule = match (a.unique, b.unique) {
            (true, false) => Some(Rule::UNIQUE_ITEMS_REMOVED),
            (false, true) => Some(Rule::UNIQUE_ITEMS_ADDED),
            _ => None,
        };
        push(&mut out, rule, "uniqueItems", u);
        for (key, rules) in [("maxContains", MAX_CONTAINS), ("minContains", MIN_CONTAINS)] {
            let number = |this: &mut Self, at: At| {
                this.model(at.0).get(at.1).unprocessed.get(key).and_then(Value::as_f64).map(f64::trunc)
            };
            let (x, y) = (number(self, o), number(self, u));
            self.bound(&mut out, u, key, x, y, rules);
        }
        out
    }

    fn has_default(&mut self, at: At) -> bool {
        self.model(at.0).get(at.1).default.is_some()
    }

    /// The schema a partially open content model gives `name`: the first `patternProperties`
    /// entry whose pattern matches it, else the `additionalProperties` schema.
    fn cover(&mut self, _side: Side, obj: &ObjectSchema, name: &str) -> Option<SchemaId> {
        for (pattern, schema) in &obj.patterns {
            if regex::Regex::new(pattern).is_ok_and(|re| re.is_match(name)) {
                return Some(*schema);
            }
        }
        obj.additional
    }

    /// Extra items are allowed and unconstrained: `additionalItems` absent or `true`, and
    /// `unevaluatedItems` absent or empty.
    fn array_open(&mut self, side: Side, a: &super::json_model::ArraySchema) -> bool {
        if !a.permits_additional || a.additional.is_some() {
            return false;
        }
        match a.unevaluated {
            None => true,
            Some(s) => {
                let s = self.model(side).resolve(s);
                self.model(side).get(s).kind.is_empty_schema()
            }
        }
    }

    /// The schema extra items must match: `additionalItems`, or `unevaluatedItems` when
    /// `additionalItems` is absent.
    fn array_cover(&mut self, side: Side, a: &super::json_model::ArraySchema) -> Option<SchemaId> {
        if a.additional.is_some() {
            return a.additional;
        }
        let s = a.unevaluated?;
        if !a.permits_additional {
            return None;
        }
        let resolved = self.model(side).resolve(s);
        match self.model(side).get(resolved).kind {
            Kind::False | Kind::Empty | Kind::True => None,
            _ => Some(s),
        }
    }

    /// A comparable form of a schema, for collapsing equal members of a combined schema.
    fn canonical(&mut self, at: At, depth: usize) -> Value {
        let schema = self.model(at.0).get(at.1).clone();
        if depth > 64 {
            return json!(null);
        }
        let sub = |this: &mut Self, id: SchemaId| this.canonical((at.0, id), depth + 1);
        let kind = match &schema.kind {
            Kind::Ref(node) => json!({"$ref": [node.doc.0, node.ptr]}),
            Kind::Combined(c, subs) => json!({c.keyword(): subs.iter().map(|s| sub(self, *s)).collect::<Vec<_>>()}),
            Kind::Not(s) => json!({"not": sub(self, *s)}),
            Kind::Object(o) => json!({
                "object": o.properties.iter().map(|(n, s)| json!([n, sub(self, *s)])).collect::<Vec<_>>(),
                "required": o.required,
                "additional": [o.permits_additional, o.additional.map(|s| sub(self, s))],
                "patterns": o.patterns.iter().map(|(p, s)| json!([p, sub(self, *s)])).collect::<Vec<_>>(),
                "bounds": [o.min_properties, o.max_properties],
                "dependencies": o.property_dependencies,
                "schema_dependencies": o.schema_dependencies.iter().map(|(n, s)| json!([n, sub(self, *s)])).collect::<Vec<_>>(),
            }),
            Kind::Array(a) => json!({
                "array": a.all_items.map(|s| sub(self, s)),
                "tuple": a.tuple.as_ref().map(|t| t.iter().map(|s| sub(self, *s)).collect::<Vec<_>>()),
                "additional": [a.permits_additional, a.additional.map(|s| sub(self, s))],
                "unevaluated": a.unevaluated.map(|s| sub(self, s)),
                "bounds": [a.min_items, a.max_items, a.unique],
            }),
            Kind::String(s) => json!({"string": [s.min_length, s.max_length, s.pattern]}),
            Kind::Number(n) => json!({"number": [n.minimum, n.maximum, n.exclusive_minimum, n.exclusive_maximum,
                n.multiple_of, n.requires_integer]}),
            Kind::Enum(values) => json!({"enum": values}),
            Kind::Const(value) => json!({"const": value}),
            other => json!(other.class()),
        };
        json!([kind, schema.id, schema.title, schema.description, schema.default, schema.unprocessed])
    }
}

const MAX_LENGTH: [Rule; 4] =
    [Rule::MAX_LENGTH_ADDED, Rule::MAX_LENGTH_REMOVED, Rule::MAX_LENGTH_INCREASED, Rule::MAX_LENGTH_DECREASED];
const MIN_LENGTH: [Rule; 4] =
    [Rule::MIN_LENGTH_ADDED, Rule::MIN_LENGTH_REMOVED, Rule::MIN_LENGTH_INCREASED, Rule::MIN_LENGTH_DECREASED];
const MAXIMUM: [Rule; 4] =
    [Rule::MAXIMUM_ADDED, Rule::MAXIMUM_REMOVED, Rule::MAXIMUM_INCREASED, Rule::MAXIMUM_DECREASED];
const MINIMUM: [Rule; 4] =
    [Rule::MINIMUM_ADDED, Rule::MINIMUM_REMOVED, Rule::MINIMUM_INCREASED, Rule::MINIMUM_DECREASED];
const EXCLUSIVE_MAXIMUM: [Rule; 4] = [
    Rule::EXCLUSIVE_MAXIMUM_ADDED,
    Rule::EXCLUSIVE_MAXIMUM_REMOVED,
    Rule::EXCLUSIVE_MAXIMUM_INCREASED,
    Rule::EXCLUSIVE_MAXIMUM_DECREASED,
];
const EXCLUSIVE_MINIMUM: [Rule; 4] = [
    Rule::EXCLUSIVE_MINIMUM_ADDED,
    Rule::EXCLUSIVE_MINIMUM_REMOVED,
    Rule::EXCLUSIVE_MINIMUM_INCREASED,
    Rule::EXCLUSIVE_MINIMUM_DECREASED,
];
const MAX_PROPERTIES: [Rule; 4] = [
    Rule::MAX_PROPERTIES_ADDED,
    Rule::MAX_PROPERTIES_REMOVED,
    Rule::MAX_PROPERTIES_INCREASED,
    Rule::MAX_PROPERTIES_DECREASED,
];
const MIN_PROPERTIES: [Rule; 4] = [
    Rule::MIN_PROPERTIES_ADDED,
    Rule::MIN_PROPERTIES_REMOVED,
    Rule::MIN_PROPERTIES_INCREASED,
    Rule::MIN_PROPERTIES_DECREASED,
];
const MAX_ITEMS: [Rule; 4] =
    [Rule::MAX_ITEMS_ADDED, Rule::MAX_ITEMS_REMOVED, Rule::MAX_ITEMS_INCREASED, Rule::MAX_ITEMS_DECREASED];
const MIN_ITEMS: [Rule; 4] =
    [Rule::MIN_ITEMS_ADDED, Rule::MIN_ITEMS_REMOVED, Rule::MIN_ITEMS_INCREASED, Rule::MIN_ITEMS_DECREASED];
const MAX_CONTAINS: [Rule; 4] =
    [Rule::MAX_CONTAINS_ADDED, Rule::MAX_CONTAINS_REMOVED, Rule::MAX_CONTAINS_INCREASED, Rule::MAX_CONTAINS_DECREASED];
const MIN_CONTAINS: [Rule; 4] =
    [Rule::MIN_CONTAINS_ADDED, Rule::MIN_CONTAINS_REMOVED, Rule::MIN_CONTAINS_INCREASED, Rule::MIN_CONTAINS_DECREASED];

fn push(out: &mut Vec<Diff>, rule: Option<Rule>, key: &str, at: At) {
    if let Some(rule) = rule {
        out.push(Diff { rule, path: vec![key.to_owned()], at });
    }
}

/// Whether an open content model: extra properties allowed, and no schema constrains them.
fn open(obj: &ObjectSchema) -> bool {
    obj.patterns.is_empty() && obj.additional.is_none() && obj.permits_additional
}

/// Whether `y` is a whole multiple of `x`.
fn divides(x: f64, y: f64) -> bool {
    if x == 0.0 {
        return false;
    }
    let q = y / x;
    (q - q.round()).abs() < 1e-9
}

/// A largest matching of left vertices to right ones along `edges` (Kuhn's augmenting paths;
/// combined schemas have few members). Returns each left vertex's partner.
fn maximum_matching<T>(edges: &[Vec<(usize, T)>], right: usize) -> Vec<Option<usize>> {
    fn augment<T>(
        i: usize,
        edges: &[Vec<(usize, T)>],
        seen: &mut [bool],
        partner_of_right: &mut [Option<usize>],
    ) -> bool {
        for (j, _) in &edges[i] {
            if seen[*j] {
                continue;
            }
            seen[*j] = true;
            if partner_of_right[*j].is_none_or(|k| augment(k, edges, seen, partner_of_right)) {
                partner_of_right[*j] = Some(i);
                return true;
            }
        }
        false
    }
    let mut partner_of_right: Vec<Option<usize>> = vec![None; right];
    for i in 0..edges.len() {
        let mut seen = vec![false; right];
        augment(i, edges, &mut seen, &mut partner_of_right);
    }
    let mut partner = vec![None; edges.len()];
    for (j, i) in partner_of_right.iter().enumerate() {
        if let Some(i) = i {
            partner[*i] = Some(j);
        }
    }
    partner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching_covers_what_it_can() {
        // 0 - {0, 1}, 1 - {0}: both match only if 0 takes 1.
        let edges: Vec<Vec<(usize, ())>> = vec![vec![(0, ()), (1, ())], vec![(0, ())]];
        let m = maximum_matching(&edges, 2);
        assert_eq!(m, vec![Some(1), Some(0)]);
        let none: Vec<Vec<(usize, ())>> = vec![vec![], vec![]];
        assert_eq!(maximum_matching(&none, 1).iter().flatten().count(), 0);
    }

    #[test]
    fn compatible_set_is_the_registry_one() {
        assert!(Rule::PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL.compatible());
        assert!(!Rule::PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL.compatible());
        assert!(Rule::OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL.compatible());
        assert!(!Rule::MIN_CONTAINS_DECREASED.compatible());
        assert_eq!(Rule::SUM_TYPE_EXTENDED.name(), "SUM_TYPE_EXTENDED");
    }
}
