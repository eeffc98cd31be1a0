//! The couple's world as types and rules.
//!
//! Everything here is pure: no database, no HTTP, no clock. Time comes in as
//! arguments, input comes in as strings and leaves as parsed types
//! (`Rating`, `Username`, `CheckInDraft`…), so the edges never re-check what
//! the core has already accepted.

pub mod account;
pub mod agreement;
pub mod checkin;
pub mod commitment;
pub mod conversation;
pub mod couple;
pub mod export;
pub mod growing;
pub mod ids;
pub mod journal;
pub mod letting_go;
pub mod program;
pub mod reflection;
pub mod safety;
pub mod schedule;
pub mod statement;
pub mod text;
pub mod timeline;
pub mod transparency;
pub mod trend;

pub use ids::{CheckInId, CoupleId, UserId};

/// Why some input was not accepted: a sentence a person can act on, and the
/// field it is about so a form can show it in place.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub field: &'static str,
    pub message: String,
}

impl Invalid {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}
