//! Security at the edge: who is asking, whether they meant to ask, and how
//! often. Each concern is one small module, applied the same way everywhere.

pub mod csrf;
pub mod headers;
pub mod password;
pub mod rate_limit;
pub mod session;
