//! Kintsugi storage.
