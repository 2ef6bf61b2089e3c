//! Modules whose types refer to each other in a cycle, merged into one module for languages whose
//! modules cannot import each other in a cycle (Go). Schema files may refer to each other both
//! ways (`user.json` ↔ `org.json`), and each file has a module of its own.
//!
//! The modules of a cycle go into the first of them (by path); the types of the others take
//! their module's last segment as a name prefix (`org::Org` → `user::OrgOrg`). The result depends
//! on the files alone, so it is as stable as the modules themselves.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;

use eventbind_build::ir::{Model, TypeId, TypeKind, TypeRef};
use eventbind_build::naming::Namer;

fn named_in(ty: &TypeRef, out: &mut Vec<TypeId>) {
    match ty {
        TypeRef::Named(id) => out.push(*id),
        TypeRef::List(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => named_in(inner, out),
        TypeRef::Primitive(_) => {}
    }
}

fn references(kind: &TypeKind) -> Vec<TypeId> {
    let mut out = Vec::new();
    match kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|f| named_in(&f.ty, &mut out)),
        TypeKind::Union(u) => u.variants.iter().for_each(|v| named_in(&v.ty, &mut out)),
        TypeKind::Newtype(inner) => named_in(inner, &mut out),
        TypeKind::Enum(_) => {}
    }
    out
}

/// Strongly connected components of a graph of modules (Tarjan's algorithm, without recursion).
fn components(graph: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    let nodes: Vec<&Vec<String>> = graph.keys().collect();
    let index_of: BTreeMap<&Vec<String>, usize> = nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let edges: Vec<Vec<usize>> =
        nodes.iter().map(|n| graph[*n].iter().filter_map(|m| index_of.get(m).copied()).collect()).collect();
    let n = nodes.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut next, mut out) = (Vec::new(), 0, Vec::new());
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(start, 0usize)];
        while let Some(top) = work.len().checked_sub(1) {
            let (v, edge) = work[top];
            if edge == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(edge) {
                work[top].1 += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component.push(nodes[w].clone());
                    if w == v {
                        break;
                    }
                }
                component.sort();
                out.push(component);
            }
        }
    }
    out
}

/// New places (module, name) for the types of modules in import cycles; types not listed keep
/// `place`'s. Modules holding event types are never moved.
pub(crate) fn merge_cycles(
    model: &Model,
    place: &dyn Fn(TypeId) -> (Vec<String>, String),
) -> BTreeMap<TypeId, (Vec<String>, String)> {
    let mut graph: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (i, def) in model.types.iter().enumerate() {
        let from = place(TypeId(i)).0;
        let entry = graph.entry(from.clone()).or_default();
        for to in references(&def.kind) {
            let to = place(to).0;
            if to != from {
                entry.insert(to);
            }
        }
    }
    let event_modules: BTreeSet<&Vec<String>> = model.events.iter().map(|e| &e.module).collect();
    let mut moved = BTreeMap::new();
    for component in components(&graph) {
        if component.len() < 2 || component.iter().any(|m| event_modules.contains(m)) {
            continue;
        }
        let target = component[0].clone();
        let mut namer = Namer::new();
        let members: Vec<(TypeId, (Vec<String>, String))> = (0..model.types.len())
            .map(|i| (TypeId(i), place(TypeId(i))))
            .filter(|(_, p)| component.contains(&p.0))
            .collect();
        for (_, (module, name)) in &members {
            if *module == target {
                namer.reserve(name);
            }
        }
        for module in &component[1..] {
            let prefix = module.last().map(|s| s.to_upper_camel_case()).unwrap_or_default();
            for (id, (_, name)) in members.iter().filter(|(_, p)| &p.0 == module) {
                moved.insert(*id, (target.clone(), namer.claim(&format!("{prefix}{name}"), "")));
            }
        }
    }
    moved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_are_found() {
        let m = |s: &str| vec![s.to_owned()];
        let mut graph = BTreeMap::new();
        graph.insert(m("a"), BTreeSet::from([m("b")]));
        graph.insert(m("b"), BTreeSet::from([m("c")]));
        graph.insert(m("c"), BTreeSet::from([m("a")]));
        graph.insert(m("d"), BTreeSet::from([m("a")]));
        let mut found = components(&graph);
        found.sort();
        assert_eq!(found, vec![vec![m("a"), m("b"), m("c")], vec![m("d")]]);
    }
}
