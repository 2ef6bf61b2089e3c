use serde::{Deserialize, Serialize};

/// What happened to the entity of a data change event (`data_op`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DataOp {
    /// `C`: the entity was created.
    #[serde(rename = "C")]
    Create,
    /// `U`: the entity was updated.
    #[serde(rename = "U")]
    Update,
    /// `D`: the entity was deleted.
    #[serde(rename = "D")]
    Delete,
    /// `S`: a snapshot of the entity, e.g. from a re-publication.
    #[serde(rename = "S")]
    Snapshot,
}

impl DataOp {
    /// The wire letter.
    pub fn as_str(self) -> &'static str {
        match self {
            DataOp::Create => "C",
            DataOp::Update => "U",
            DataOp::Delete => "D",
            DataOp::Snapshot => "S",
        }
    }
}

impl std::fmt::Display for DataOp {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}
