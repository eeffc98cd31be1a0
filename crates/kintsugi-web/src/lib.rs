//! Kintsugi web.
