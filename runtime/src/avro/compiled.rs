//! An Avro schema flattened for decoding: one node per schema, named references resolved to node
//! indexes (so recursive types are plain cycles), names and symbols as `&'static str`. Built once
//! per event type's own schema and kept for the process, like the schema itself.

use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;

use apache_avro::schema::{Name, Namespace, ResolvedSchema};
use apache_avro::Schema;

/// Index of a node in [`Compiled::nodes`].
pub(crate) type NodeId = usize;

/// One schema, as the datum decoder needs it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Boolean,
    Int,
    Long,
    Float,
    Double,
    Bytes,
    String,
    Array(NodeId),
    Map(NodeId),
    Union(Box<[NodeId]>),
    Record(Box<[(&'static str, NodeId)]>),
    Enum(Box<[&'static str]>),
    Fixed(usize),
    /// `decimal` on bytes (`fixed: None`) or on a fixed of that size.
    Decimal {
        scale: usize,
        fixed: Option<usize>,
    },
    BigDecimal,
    Uuid,
    Date,
    TimeMillis,
    TimeMicros,
    TimestampMillis,
    TimestampMicros,
    TimestampNanos,
    LocalTimestampMillis,
    LocalTimestampMicros,
    LocalTimestampNanos,
    Duration,
    /// Placeholder while a named type's fields are compiled; never left in a finished tree.
    Pending,
}

/// A schema flattened into nodes; `root` is the schema itself.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub(crate) nodes: Vec<Node>,
    pub(crate) root: NodeId,
    /// The fewest bytes a datum of each node takes (0 for null and empty records), to bound
    /// block counts by the input left.
    pub(crate) min_size: Vec<usize>,
}

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_owned().into_boxed_str())
}

struct Builder<'s> {
    names: HashMap<Name, &'s Schema>,
    nodes: Vec<Node>,
    by_name: HashMap<Name, NodeId>,
}

impl<'s> Builder<'s> {
    fn push(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Reserves the node of a named type before its children, so references to it (recursion)
    /// find it.
    fn named(&mut self, name: &Name, enclosing: &Namespace) -> (NodeId, Namespace) {
        let full = name.fully_qualified_name(enclosing);
        let id = self.push(Node::Pending);
        let namespace = full.namespace.clone();
        self.by_name.insert(full, id);
        (id, namespace)
    }

    fn compile(&mut self, schema: &'s Schema, enclosing: &Namespace) -> Result<NodeId, String> {
        let node = match schema {
            Schema::Null => Node::Null,
            Schema::Boolean => Node::Boolean,
            Schema::Int => Node::Int,
            Schema::Long => Node::Long,
            Schema::Float => Node::Float,
            Schema::Double => Node::Double,
            Schema::Bytes => Node::Bytes,
            Schema::String => Node::String,
            Schema::Array(a) => {
                let items = self.compile(&a.items, enclosing)?;
                Node::Array(items)
            }
            Schema::Map(m) => {
                let values = self.compile(&m.types, enclosing)?;
                Node::Map(values)
            }
            Schema::Union(u) => {
                let branches =
                    u.variants().iter().map(|b| self.compile(b, enclosing)).collect::<Result<Vec<_>, _>>()?;
                Node::Union(branches.into_boxed_slice())
            }
            Schema::Record(r) => {
                let (id, namespace) = self.named(&r.name, enclosing);
                let mut fields = Vec::with_capacity(r.fields.len());
                for f in &r.fields {
                    fields.push((leak(&f.name), self.compile(&f.schema, &namespace)?));
                }
                self.nodes[id] = Node::Record(fields.into_boxed_slice());
                return Ok(id);
            }
            Schema::Enum(e) => {
                let (id, _) = self.named(&e.name, enclosing);
                self.nodes[id] = Node::Enum(e.symbols.iter().map(|s| leak(s)).collect());
                return Ok(id);
            }
            Schema::Fixed(f) => {
                let (id, _) = self.named(&f.name, enclosing);
                self.nodes[id] = Node::Fixed(f.size);
                return Ok(id);
            }
            Schema::Decimal(d) => match &*d.inner {
                Schema::Fixed(f) => {
                    // The fixed's name is declared by the decimal; a reference to it reads the raw
                    // fixed, as apache-avro does.
                    let (fixed, _) = self.named(&f.name, enclosing);
                    self.nodes[fixed] = Node::Fixed(f.size);
                    Node::Decimal { scale: d.scale, fixed: Some(f.size) }
                }
                Schema::Bytes => Node::Decimal { scale: d.scale, fixed: None },
                other => return Err(format!("a decimal on {other:?} is not supported")),
            },
            Schema::BigDecimal => Node::BigDecimal,
            Schema::Uuid => Node::Uuid,
            Schema::Date => Node::Date,
            Schema::TimeMillis => Node::TimeMillis,
            Schema::TimeMicros => Node::TimeMicros,
            Schema::TimestampMillis => Node::TimestampMillis,
            Schema::TimestampMicros => Node::TimestampMicros,
            Schema::TimestampNanos => Node::TimestampNanos,
            Schema::LocalTimestampMillis => Node::LocalTimestampMillis,
            Schema::LocalTimestampMicros => Node::LocalTimestampMicros,
            Schema::LocalTimestampNanos => Node::LocalTimestampNanos,
            Schema::Duration => Node::Duration,
            Schema::Ref { name } => {
                let full = name.fully_qualified_name(enclosing);
                if let Some(id) = self.by_name.get(&full) {
                    return Ok(*id);
                }
                let target = *self.names.get(&full).ok_or_else(|| format!("unknown named type `{full}`"))?;
                return self.compile(target, &full.namespace);
            }
        };
        Ok(self.push(node))
    }
}

impl Compiled {
    pub(crate) fn of(schema: &Schema) -> Result<Compiled, String> {
        let resolved = ResolvedSchema::try_from(schema).map_err(|e| e.to_string())?;
        let names = resolved.get_names().iter().map(|(n, s)| (n.clone(), *s)).collect();
        let mut builder = Builder { names, nodes: Vec::new(), by_name: HashMap::new() };
        let root = builder.compile(schema, &None)?;
        let nodes = builder.nodes;
        let min_size = min_sizes(&nodes);
        Ok(Compiled { nodes, root, min_size })
    }

    /// The compiled form of a type's own schema, built once per schema and kept for the process.
    pub(crate) fn of_static(schema: &'static Schema) -> Result<&'static Compiled, String> {
        static CACHE: RwLock<BTreeMap<usize, &'static Compiled>> = RwLock::new(BTreeMap::new());
        let key = schema as *const Schema as usize;
        if let Some(compiled) = CACHE.read().ok().and_then(|c| c.get(&key).copied()) {
            return Ok(compiled);
        }
        // One small leak per event type: the schema itself lives for the process too.
        let compiled: &'static Compiled = Box::leak(Box::new(Compiled::of(schema)?));
        if let Ok(mut cache) = CACHE.write() {
            cache.insert(key, compiled);
        }
        Ok(compiled)
    }
}

/// The fewest bytes each node's datum takes, by fixed-point iteration (records may be recursive;
/// a record that can only recurse forever never decodes anyway).
fn min_sizes(nodes: &[Node]) -> Vec<usize> {
    const UNKNOWN: usize = usize::MAX;
    let mut sizes = vec![UNKNOWN; nodes.len()];
    loop {
        let mut changed = false;
        for (i, node) in nodes.iter().enumerate() {
            let size = match node {
                Node::Null | Node::Pending => 0,
                Node::Float => 4,
                Node::Double => 8,
                Node::Fixed(n) => *n,
                Node::Decimal { fixed: Some(n), .. } => *n,
                Node::Duration => 12,
                Node::Record(fields) => fields
                    .iter()
                    .try_fold(0usize, |acc, (_, f)| (sizes[*f] != UNKNOWN).then(|| acc.saturating_add(sizes[*f])))
                    .unwrap_or(UNKNOWN),
                // Everything else starts with at least one byte (a varint, a length, an index).
                _ => 1,
            };
            if size != sizes[i] {
                sizes[i] = size;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    sizes.into_iter().map(|s| if s == UNKNOWN { 0 } else { s }).collect()
}
