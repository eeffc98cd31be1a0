//! A couple: two people, and who is doing which part of the repair.

use serde::{Deserialize, Serialize};

use crate::Invalid;

/// What a partner is doing in this couple's repair. Often both have hurt
/// each other, so `Both` is a role of its own, not a special case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The partner who was hurt.
    Hurt,
    /// The partner who broke the trust and is repairing it.
    Repairing,
    /// Both hurt each other; both are healing and both are repairing.
    Both,
}

impl Role {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "hurt" => Ok(Self::Hurt),
            "repairing" => Ok(Self::Repairing),
            "both" => Ok(Self::Both),
            _ => Err(Invalid::new(
                "role",
                "Choose who was hurt and who is repairing, or that it is both of you.",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hurt => "hurt",
            Self::Repairing => "repairing",
            Self::Both => "both",
        }
    }

    /// The role the invited partner takes, given the founder's.
    pub fn partner(self) -> Self {
        match self {
            Self::Hurt => Self::Repairing,
            Self::Repairing => Self::Hurt,
            Self::Both => Self::Both,
        }
    }

    pub fn is_repairing(self) -> bool {
        matches!(self, Self::Repairing | Self::Both)
    }

    /// How the app names this role to the person who holds it.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Hurt => "the partner who was hurt",
            Self::Repairing => "the partner who is repairing",
            Self::Both => "both hurt and repairing",
        }
    }
}

/// Who may see a record. Everything starts private; sharing is a choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    #[default]
    Private,
    Shared,
}

impl Visibility {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        match raw {
            "private" | "" => Ok(Self::Private),
            "shared" => Ok(Self::Shared),
            _ => Err(Invalid::new("visibility", "Choose private or shared.")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Private => "private",
            Self::Shared => "shared",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partner_roles_complement() {
        assert_eq!(Role::Hurt.partner(), Role::Repairing);
        assert_eq!(Role::Repairing.partner(), Role::Hurt);
        assert_eq!(Role::Both.partner(), Role::Both);
        for r in ["hurt", "repairing", "both"] {
            assert_eq!(Role::parse(r).unwrap().as_str(), r);
        }
        assert!(Role::parse("admin").is_err());
    }

    #[test]
    fn visibility_defaults_to_private() {
        assert_eq!(Visibility::default(), Visibility::Private);
        assert_eq!(Visibility::parse("").unwrap(), Visibility::Private);
        assert!(Visibility::parse("public").is_err());
    }
}
