//! Rust spellings of IR types: paths between generated modules, identifiers with keyword
//! escapes, and which fields need a `Box` because a type contains itself.

use std::collections::{HashMap, HashSet};

use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use super::DateTimes;
use crate::ir::{Model, Primitive, TypeId, TypeKind, TypeRef};

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "crate", "else", "enum", "extern", "false", "fn", "for", "if", "impl", "in",
    "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super",
    "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn", "abstract", "become", "box",
    "do", "final", "macro", "override", "priv", "typeof", "unsized", "virtual", "yield", "try", "gen", "union",
];

/// Prelude names the generated code uses unqualified: a type of that name would shadow them.
const PRELUDE: &[&str] = &["None", "Some", "Ok", "Err", "Option", "Result"];

/// An identifier: keywords get a trailing underscore (`type_`, `self_`).
pub fn ident(name: &str) -> Ident {
    // prost-build's names for Protobuf types are raw where they are keywords (`r#type`).
    if let Some(raw) = name.strip_prefix("r#") {
        return Ident::new_raw(raw, Span::call_site());
    }
    if KEYWORDS.contains(&name) {
        format_ident!("{name}_")
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// A type's identifier: keywords and the prelude names generated code relies on get a trailing
/// underscore (`None_`).
pub fn type_ident(name: &str) -> Ident {
    if PRELUDE.contains(&name) {
        format_ident!("{name}_")
    } else {
        ident(name)
    }
}

/// The path from `from` (a module) to a named type.
pub fn type_path(model: &Model, from: &[String], id: TypeId) -> TokenStream {
    let def = model.get(id);
    let common = from.iter().zip(&def.module).take_while(|(a, b)| a == b).count();
    let ups = (common..from.len()).map(|_| quote!(super::));
    let downs = def.module[common..].iter().map(|m| {
        let m = ident(m);
        quote!(#m::)
    });
    let name = type_ident(&def.name);
    quote!(#(#ups)* #(#downs)* #name)
}

/// How the Rust backend spells types: the model, and the build's choice of date-time type.
#[derive(Debug, Clone, Copy)]
pub struct Spelling<'m> {
    pub model: &'m Model,
    pub date_times: DateTimes,
}

/// The Rust type for a use of an IR type, seen from module `from`.
pub fn rust_type(spelling: Spelling<'_>, from: &[String], ty: &TypeRef, boxed: bool) -> TokenStream {
    let model = spelling.model;
    match ty {
        TypeRef::Primitive(p) => primitive(*p, spelling.date_times),
        TypeRef::Named(id) => {
            let path = type_path(model, from, *id);
            if boxed {
                quote!(::std::boxed::Box<#path>)
            } else {
                path
            }
        }
        TypeRef::List(item) => {
            let item = rust_type(spelling, from, item, false);
            quote!(::std::vec::Vec<#item>)
        }
        TypeRef::Map(values) => {
            let values = rust_type(spelling, from, values, false);
            quote!(::std::collections::BTreeMap<::std::string::String, #values>)
        }
        TypeRef::Nullable(inner) => {
            let inner = rust_type(spelling, from, inner, boxed);
            quote!(::std::option::Option<#inner>)
        }
    }
}

pub fn primitive(p: Primitive, date_times: DateTimes) -> TokenStream {
    match p {
        Primitive::String => quote!(::std::string::String),
        Primitive::Int32 => quote!(i32),
        Primitive::Int64 => quote!(i64),
        Primitive::UInt32 => quote!(u32),
        Primitive::UInt64 => quote!(u64),
        Primitive::Float32 => quote!(f32),
        Primitive::Float64 | Primitive::Decimal => quote!(f64),
        Primitive::Boolean => quote!(bool),
        Primitive::Bytes => quote!(::std::vec::Vec<u8>),
        Primitive::Uuid => quote!(__eventbind::uuid::Uuid),
        Primitive::Date => quote!(__eventbind::chrono::NaiveDate),
        Primitive::Time => quote!(__eventbind::chrono::NaiveTime),
        Primitive::LocalDateTime => quote!(__eventbind::chrono::NaiveDateTime),
        Primitive::DateTime => match date_times {
            DateTimes::FixedOffset => quote!(__eventbind::chrono::DateTime<__eventbind::chrono::FixedOffset>),
            DateTimes::Utc => quote!(__eventbind::chrono::DateTime<__eventbind::chrono::Utc>),
        },
        Primitive::Any => quote!(__eventbind::serde_json::Value),
    }
}

/// Named types a type holds inline (not behind a `Vec` or map, which are already indirect).
fn inline_named(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::Nullable(inner) => inline_named(inner, out),
        TypeRef::Primitive(_) | TypeRef::List(_) | TypeRef::Map(_) => {}
    }
}

fn edges(model: &Model, id: TypeId) -> Vec<TypeId> {
    let mut out = Vec::new();
    match &model.get(id).kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| inline_named(&f.ty, &mut out)),
        TypeKind::Union(u) => u.variants.iter().for_each(|v| inline_named(&v.ty, &mut out)),
        TypeKind::Newtype(t) => inline_named(t, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

/// For each type, the strongly connected component it belongs to (Tarjan), so that a field is
/// boxed exactly when its type can contain the type that holds it.
#[derive(Debug)]
pub struct Recursion {
    component: HashMap<TypeId, usize>,
    self_loops: HashSet<TypeId>,
}

impl Recursion {
    pub fn new(model: &Model) -> Recursion {
        struct State {
            index: HashMap<TypeId, usize>,
            low: HashMap<TypeId, usize>,
            stack: Vec<TypeId>,
            on_stack: HashSet<TypeId>,
            component: HashMap<TypeId, usize>,
            next_component: usize,
        }
        // Iterative Tarjan: nesting depth of hostile schemas must not reach the call stack.
        let mut st = State {
            index: HashMap::new(),
            low: HashMap::new(),
            stack: Vec::new(),
            on_stack: HashSet::new(),
            component: HashMap::new(),
            next_component: 0,
        };
        let mut self_loops = HashSet::new();
        let all_edges: Vec<Vec<TypeId>> = (0..model.types.len()).map(|i| edges(model, TypeId(i))).collect();
        for (i, e) in all_edges.iter().enumerate() {
            if e.contains(&TypeId(i)) {
                self_loops.insert(TypeId(i));
            }
        }
        for start in 0..model.types.len() {
            let start = TypeId(start);
            if st.index.contains_key(&start) {
                continue;
            }
            let mut work: Vec<(TypeId, usize)> = vec![(start, 0)];
            while let Some((v, edge)) = work.pop() {
                if edge == 0 {
                    let n = st.index.len();
                    st.index.insert(v, n);
                    st.low.insert(v, n);
                    st.stack.push(v);
                    st.on_stack.insert(v);
                }
                let succ = &all_edges[v.0];
                if edge < succ.len() {
                    work.push((v, edge + 1));
                    let w = succ[edge];
                    if !st.index.contains_key(&w) {
                        work.push((w, 0));
                    } else if st.on_stack.contains(&w) {
                        let low = st.low[&v].min(st.index[&w]);
                        st.low.insert(v, low);
                    }
                    continue;
                }
                // All successors done: propagate low-link to the parent and close a component.
                if st.low[&v] == st.index[&v] {
                    while let Some(w) = st.stack.pop() {
                        st.on_stack.remove(&w);
                        st.component.insert(w, st.next_component);
                        if w == v {
                            break;
                        }
                    }
                    st.next_component += 1;
                }
                if let Some(&(parent, _)) = work.last() {
                    let low = st.low[&parent].min(st.low[&v]);
                    st.low.insert(parent, low);
                }
            }
        }
        Recursion { component: st.component, self_loops }
    }

    /// Whether a field of type `ty` inside `holder` must be boxed.
    pub fn needs_box(&self, holder: TypeId, ty: &TypeRef) -> bool {
        let mut named = Vec::new();
        inline_named(ty, &mut named);
        named.iter().any(|t| {
            (*t == holder && self.self_loops.contains(t))
                || (*t != holder && self.component.get(t) == self.component.get(&holder))
        })
    }
}
