//! Kintsugi domain.
