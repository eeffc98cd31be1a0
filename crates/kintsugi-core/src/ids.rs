//! Identifiers as types, so a couple's id is never passed where a person's is expected.

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// A person with an account.
    UserId
);
id!(
    /// A couple's shared space; every record a couple owns carries it.
    CoupleId
);
id!(
    /// One version of one person's check-in for one day.
    CheckInId
);
