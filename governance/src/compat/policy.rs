//! Verdicts and version bumps.
//!
//! Two semantics are applied, and named in every report:
//! - the **event guidelines** (`compatible`, `forward`, `none`; the default, from each event
//!   type's `compatibility_mode`): producers never publish undeclared fields and consumers ignore
//!   fields they do not know, so adding an optional property is compatible both ways and closing
//!   a content model breaks no reader. The bump follows the guidelines: annotations are PATCH,
//!   additions MINOR, removals MAJOR, and any other change is MINOR when the mode's direction
//!   allows it (`compatible`: both directions; `forward` and `none`: readers on OLD read NEW),
//!   else MAJOR. This matches Nakadi's levels except where noted in the README.
//! - the **schema registries'** levels (`BACKWARD`, `FORWARD`, `FULL`, their `_TRANSITIVE`
//!   forms, `NONE`): the verdict is the one Confluent's Schema Registry gives, from its own
//!   comparison of the two schemas ([`crate::compat::registry`]); the change kinds explain it.

use std::fmt;

use crate::compat::kinds::{ChangeKind, Class, Effect};
use crate::compat::registry::RegistryCheck;
use crate::compat::Change;
use eventbind_build::catalog::CompatibilityMode;

/// A semantic version bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bump {
    None,
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The bump from one version to the next; `None` if the version did not grow.
    pub fn between(old: &semver::Version, new: &semver::Version) -> Option<Bump> {
        if new <= old {
            return (new == old).then_some(Bump::None);
        }
        Some(if new.major > old.major {
            Bump::Major
        } else if new.minor > old.minor {
            Bump::Minor
        } else {
            Bump::Patch
        })
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str().to_uppercase())
    }
}

/// A schema registry's compatibility level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RegistryPolicy {
    Backward,
    BackwardTransitive,
    Forward,
    ForwardTransitive,
    Full,
    FullTransitive,
    None,
}

/// The rule a change is judged by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Policy {
    /// The event guidelines' mode (each event type's own `compatibility_mode` by default).
    Guidelines(CompatibilityMode),
    Registry(RegistryPolicy),
}

impl Policy {
    /// Parses `compatible`, `forward`, `none` (guidelines) or `BACKWARD`, `FORWARD`, `FULL`,
    /// `BACKWARD_TRANSITIVE`, `FORWARD_TRANSITIVE`, `FULL_TRANSITIVE`, `NONE` (registries).
    pub fn parse(s: &str) -> Option<Policy> {
        Some(match s {
            "compatible" => Policy::Guidelines(CompatibilityMode::Compatible),
            "forward" => Policy::Guidelines(CompatibilityMode::Forward),
            "none" => Policy::Guidelines(CompatibilityMode::None),
            "BACKWARD" => Policy::Registry(RegistryPolicy::Backward),
            "BACKWARD_TRANSITIVE" => Policy::Registry(RegistryPolicy::BackwardTransitive),
            "FORWARD" => Policy::Registry(RegistryPolicy::Forward),
            "FORWARD_TRANSITIVE" => Policy::Registry(RegistryPolicy::ForwardTransitive),
            "FULL" => Policy::Registry(RegistryPolicy::Full),
            "FULL_TRANSITIVE" => Policy::Registry(RegistryPolicy::FullTransitive),
            "NONE" => Policy::Registry(RegistryPolicy::None),
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Policy::Guidelines(CompatibilityMode::Compatible) => "compatible",
            Policy::Guidelines(CompatibilityMode::Forward) => "forward",
            Policy::Guidelines(CompatibilityMode::None) => "none",
            Policy::Registry(RegistryPolicy::Backward) => "BACKWARD",
            Policy::Registry(RegistryPolicy::BackwardTransitive) => "BACKWARD_TRANSITIVE",
            Policy::Registry(RegistryPolicy::Forward) => "FORWARD",
            Policy::Registry(RegistryPolicy::ForwardTransitive) => "FORWARD_TRANSITIVE",
            Policy::Registry(RegistryPolicy::Full) => "FULL",
            Policy::Registry(RegistryPolicy::FullTransitive) => "FULL_TRANSITIVE",
            Policy::Registry(RegistryPolicy::None) => "NONE",
        }
    }

    /// Whether the policy compares with every earlier version, not only the last.
    pub fn transitive(self) -> bool {
        matches!(
            self,
            Policy::Registry(
                RegistryPolicy::BackwardTransitive | RegistryPolicy::ForwardTransitive | RegistryPolicy::FullTransitive
            )
        )
    }

    /// The guidelines' mode whose bump table applies (registries have none: Nakadi's `none`
    /// levels, which are the forward ones).
    pub fn mode(self) -> CompatibilityMode {
        match self {
            Policy::Guidelines(mode) => mode,
            Policy::Registry(_) => CompatibilityMode::None,
        }
    }

    fn effect(self, kind: ChangeKind) -> Effect {
        match self {
            Policy::Guidelines(_) => kind.tolerant(),
            Policy::Registry(_) => kind.strict(),
        }
    }

    /// Whether one change is allowed under the policy.
    pub fn allows(self, kind: ChangeKind) -> bool {
        let effect = self.effect(kind);
        match self {
            Policy::Guidelines(CompatibilityMode::None) | Policy::Registry(RegistryPolicy::None) => true,
            Policy::Guidelines(mode) => required_bump(kind, mode) < Bump::Major,
            Policy::Registry(RegistryPolicy::Backward | RegistryPolicy::BackwardTransitive) => effect.backward(),
            Policy::Registry(RegistryPolicy::Forward | RegistryPolicy::ForwardTransitive) => effect.forward(),
            Policy::Registry(RegistryPolicy::Full | RegistryPolicy::FullTransitive) => {
                effect.backward() && effect.forward()
            }
        }
    }
}

/// The bump one change requires under a guidelines mode.
pub fn required_bump(kind: ChangeKind, mode: CompatibilityMode) -> Bump {
    let effect = kind.tolerant();
    match kind.class() {
        Class::Annotation => Bump::Patch,
        Class::Addition => Bump::Minor,
        Class::Removal | Class::Breaking => Bump::Major,
        Class::Constraint => {
            let allowed = match mode {
                CompatibilityMode::Compatible => effect == Effect::Neutral,
                CompatibilityMode::Forward | CompatibilityMode::None => effect.forward(),
            };
            if allowed {
                Bump::Minor
            } else {
                Bump::Major
            }
        }
    }
}

/// What a set of changes amounts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    /// A consumer on NEW reads data written with OLD.
    pub backward: bool,
    /// A consumer on OLD reads data written with NEW.
    pub forward: bool,
    pub full: bool,
    /// The bump the changes require under the policy's guidelines mode.
    pub bump: Bump,
    /// Whether every change is allowed under the policy.
    pub compatible: bool,
}

impl Verdict {
    /// The verdict on `changes` under `policy`. Under a registry level the registry's own
    /// comparison (`registry`) decides the directions and the verdict; without one (the schemas
    /// could not be compared that way) the changes' set semantics stand in.
    pub fn of(changes: &[Change], policy: Policy, registry: Option<&RegistryCheck>) -> Verdict {
        let bump = changes.iter().map(|c| required_bump(c.kind, policy.mode())).max().unwrap_or(Bump::None);
        if let (Policy::Registry(level), Some(check)) = (policy, registry) {
            let (backward, forward) = (check.backward_compatible(), check.forward_compatible());
            return Verdict { backward, forward, full: backward && forward, bump, compatible: check.allows(level) };
        }
        let backward = changes.iter().all(|c| policy.effect(c.kind).backward());
        let forward = changes.iter().all(|c| policy.effect(c.kind).forward());
        let compatible = changes.iter().all(|c| policy.allows(c.kind));
        Verdict { backward, forward, full: backward && forward, bump, compatible }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guideline_bumps() {
        use CompatibilityMode::*;
        assert_eq!(required_bump(ChangeKind::DescriptionChanged, Compatible), Bump::Patch);
        assert_eq!(required_bump(ChangeKind::PropertyAddedToOpenContentModel, Compatible), Bump::Minor);
        assert_eq!(required_bump(ChangeKind::PropertyRemovedFromOpenContentModel, Forward), Bump::Major);
        assert_eq!(required_bump(ChangeKind::RequiredAttributeAdded, Forward), Bump::Minor);
        assert_eq!(required_bump(ChangeKind::RequiredAttributeAdded, Compatible), Bump::Major);
        assert_eq!(required_bump(ChangeKind::EnumValueAdded, Forward), Bump::Major);
        assert_eq!(required_bump(ChangeKind::ExtensibleEnumValueAdded, Compatible), Bump::Minor);
        assert_eq!(required_bump(ChangeKind::TypeChanged, None), Bump::Major);
    }

    #[test]
    fn registry_semantics_are_strict() {
        let backward = Policy::parse("BACKWARD").unwrap();
        assert!(!backward.allows(ChangeKind::PropertyAddedToOpenContentModel));
        assert!(backward.allows(ChangeKind::PropertyAddedToClosedContentModel));
        let forward = Policy::parse("FORWARD").unwrap();
        assert!(forward.allows(ChangeKind::PropertyAddedToOpenContentModel));
        assert!(!Policy::parse("FULL").unwrap().allows(ChangeKind::EnumValueAdded));
        assert!(Policy::parse("NONE").unwrap().allows(ChangeKind::TypeChanged));
        assert!(Policy::parse("FULL_TRANSITIVE").unwrap().transitive());
        assert_eq!(Policy::parse("bogus"), Option::None);
    }

    #[test]
    fn declared_bumps() {
        let v = |s: &str| semver::Version::parse(s).unwrap();
        assert_eq!(Bump::between(&v("1.2.3"), &v("2.0.0")), Some(Bump::Major));
        assert_eq!(Bump::between(&v("1.2.3"), &v("1.3.0")), Some(Bump::Minor));
        assert_eq!(Bump::between(&v("1.2.3"), &v("1.2.4")), Some(Bump::Patch));
        assert_eq!(Bump::between(&v("1.2.3"), &v("1.2.3")), Some(Bump::None));
        assert_eq!(Bump::between(&v("1.2.3"), &v("1.2.2")), Option::None);
    }
}
