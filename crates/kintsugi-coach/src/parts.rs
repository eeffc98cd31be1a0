//! The parts of an apology and of a statement of responsibility.
//!
//! Lewicki, Polin & Lount (2016) found that acknowledging responsibility
//! and offering repair matter most to the person receiving an apology, and
//! asking for forgiveness least; the parts are listed in that order, so the
//! first missing one is the one most worth adding.

use crate::kind::{Context, Kind};
use crate::{Finding, Parts};

const APOLOGY: &[Kind] = &[
    Kind::Acknowledgment,
    Kind::Repair,
    Kind::Impact,
    Kind::Regret,
    Kind::Change,
    Kind::ForgivenessRequest,
];
const RESPONSIBILITY: &[Kind] = &[
    Kind::Responsibility,
    Kind::Acknowledgment,
    Kind::Repair,
    Kind::Impact,
    Kind::Change,
];

pub fn expected(context: Context) -> &'static [Kind] {
    match context {
        Context::Message => &[],
        Context::Apology => APOLOGY,
        Context::Responsibility => RESPONSIBILITY,
    }
}

pub fn parts(context: Context, findings: &[Finding]) -> Parts {
    let mut parts = Parts::default();
    for &kind in expected(context) {
        // Owning it ("it was my fault") counts as naming it in an apology.
        let present = findings.iter().any(|f| {
            f.kind == kind
                || (context == Context::Apology
                    && kind == Kind::Acknowledgment
                    && f.kind == Kind::Responsibility)
        });
        if present {
            &mut parts.present
        } else {
            &mut parts.missing
        }
        .push(kind);
    }
    parts
}
