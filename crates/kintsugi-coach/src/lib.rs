//! The gentle-communication coach.
