//! The module and name of each named type, from [`super::names`]: a module per schema file and
//! the event type's module for an inline schema, and the names each document plans for itself.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::documents::{DocId, Documents};
use super::names::{self, Plan};
use crate::catalog::{is_definition, Catalog};
use crate::model_builder::ModelBuilder;
use crate::naming;

/// The module of an event type and the name its schema's root goes by (the event type's own
/// struct, or its `…Data` struct), claimed before lowering.
#[derive(Debug, Clone)]
struct EventRoot {
    module: Vec<String>,
    root: String,
}

#[derive(Debug, Default)]
pub(crate) struct Places {
    /// Event types by the canonical path of their definition file.
    events: HashMap<PathBuf, EventRoot>,
    /// Each schema file's module, by canonical path (decided for every catalog file at once, in
    /// the order of their paths, so that two files whose paths give one module do not swap).
    file_modules: HashMap<PathBuf, Vec<String>>,
    taken_modules: HashMap<Vec<String>, PathBuf>,
    plans: HashMap<DocId, (Vec<String>, Plan)>,
    /// Planned names in use, and the position using each: a second position given the same name
    /// (an `allOf` member reached on its own) claims another.
    used: HashMap<(Vec<String>, String), (DocId, String)>,
}

/// A file's path inside the root holding it, as segments.
fn relative(catalog: &Catalog, path: &Path) -> Vec<String> {
    let root = catalog.root_of(path).unwrap_or(Path::new(""));
    let rest = path.strip_prefix(root).unwrap_or(path);
    rest.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect()
}

impl Places {
    pub fn new(catalog: &Catalog) -> Places {
        let mut places = Places::default();
        let schema_files: BTreeMap<&PathBuf, _> =
            catalog.files.iter().filter(|(_, f)| !is_definition(&f.value)).collect();
        for path in schema_files.keys() {
            places.file_module(catalog, path);
        }
        places
    }

    /// Registers an event type's module and the name its schema's root goes by.
    pub fn event(&mut self, definition: &Path, module: &[String], root: &str) {
        self.events.insert(definition.to_owned(), EventRoot { module: module.to_vec(), root: root.to_owned() });
    }

    fn file_module(&mut self, catalog: &Catalog, path: &Path) -> Vec<String> {
        if let Some(module) = self.file_modules.get(path) {
            return module.clone();
        }
        let wanted = names::file_module(&relative(catalog, path));
        let mut module = wanted.clone();
        let mut n = 2;
        while self.taken_modules.get(&module).is_some_and(|p| p != path) {
            module = wanted.clone();
            if let Some(last) = module.last_mut() {
                *last = format!("{last}_{n}");
            }
            n += 1;
        }
        self.taken_modules.insert(module.clone(), path.to_owned());
        self.file_modules.insert(path.to_owned(), module.clone());
        module
    }

    /// The module of a document and the plan of its names, made on first use.
    fn plan(&mut self, docs: &Documents<'_>, builder: &mut ModelBuilder, doc: DocId) -> &(Vec<String>, Plan) {
        if !self.plans.contains_key(&doc) {
            let d = docs.get(doc);
            let root = d.root.clone();
            let (module, root_name, claimed) = if d.base.is_empty() {
                let file_name = d.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                (self.file_module(docs.catalog(), &d.path), names::file_root_name(&root, &file_name), false)
            } else {
                match self.events.get(&d.path) {
                    Some(event) => (event.module.clone(), event.root.clone(), true),
                    // The inline schema of an event type this build leaves out: its own module and
                    // name all the same.
                    None => {
                        let name = d.file.value.get("name").and_then(Value::as_str).unwrap_or_default();
                        let mut segments: Vec<&str> = name.split('.').collect();
                        let last = segments.pop().unwrap_or_default();
                        let module = segments.iter().map(|s| naming::field_name(s)).collect();
                        (module, names::shorten(&naming::type_name(last)), false)
                    }
                }
            };
            let plan = names::plan(&root, &root_name, claimed, &mut |n| builder.claim_name(&module, n));
            self.plans.insert(doc, (module, plan));
        }
        &self.plans[&doc]
    }

    /// The module and name of a named type made at `key` (a pointer, or
    /// [`names::object_variant_key`]) of `doc`: the planned name, or `fallback` claimed in the
    /// document's module where nothing was planned.
    pub fn place(
        &mut self,
        docs: &Documents<'_>,
        builder: &mut ModelBuilder,
        doc: DocId,
        key: &str,
        fallback: &str,
    ) -> (Vec<String>, String) {
        let (module, plan) = self.plan(docs, builder, doc);
        let (module, planned) = (module.clone(), plan.get(key).map(str::to_owned));
        if let Some(name) = planned {
            let slot = (module.clone(), name.clone());
            let here = (doc, key.to_owned());
            match self.used.get(&slot) {
                None => {
                    self.used.insert(slot, here);
                    return (module, name);
                }
                Some(user) if *user == here => return (module, name),
                Some(_) => {}
            }
        }
        let name = builder.claim_name(&module, &names::shorten(fallback));
        (module, name)
    }

    /// The module of a document's types.
    pub fn module(&mut self, docs: &Documents<'_>, builder: &mut ModelBuilder, doc: DocId) -> Vec<String> {
        self.plan(docs, builder, doc).0.clone()
    }
}
