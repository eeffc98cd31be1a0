//! Free text as people type it: trimmed, bounded, and free of invisible control characters.

use crate::Invalid;

/// Accepts text for `field` if, once trimmed, it holds at most `max_chars`
/// characters and no control characters other than line breaks and tabs.
/// Empty text is `None`: optional fields stay optional.
pub fn optional(
    field: &'static str,
    raw: &str,
    max_chars: usize,
) -> Result<Option<String>, Invalid> {
    let text = raw.trim();
    if text.is_empty() {
        return Ok(None);
    }
    let count = text.chars().count();
    if count > max_chars {
        return Err(Invalid::new(
            field,
            format!("This is {count} characters long; please keep it to {max_chars}."),
        ));
    }
    if text
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(Invalid::new(
            field,
            "This contains invisible control characters; please remove them.",
        ));
    }
    // Line breaks arrive as CRLF from browsers; keep one form in storage.
    Ok(Some(text.replace("\r\n", "\n")))
}

/// Like [`optional`], for a field that must not be empty.
pub fn required(field: &'static str, raw: &str, max_chars: usize) -> Result<String, Invalid> {
    optional(field, raw, max_chars)?.ok_or_else(|| Invalid::new(field, "Please fill this in."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_and_normalises_line_breaks() {
        assert_eq!(
            optional("f", "  a\r\nb  ", 10).unwrap().as_deref(),
            Some("a\nb")
        );
        assert_eq!(optional("f", "   ", 10).unwrap(), None);
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert!(optional("f", "ééééé", 5).is_ok());
        assert!(optional("f", "🙂🙂🙂🙂🙂🙂", 5).is_err());
    }

    #[test]
    fn rejects_control_characters_and_empty_required() {
        assert!(optional("f", "a\u{0}b", 10).is_err());
        assert!(optional("f", "a\u{1b}[31m", 10).is_err());
        assert_eq!(required("f", " ", 10).unwrap_err().field, "f");
    }
}
