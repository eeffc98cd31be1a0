//! Who a person is to Kintsugi: a username (or e-mail) and a password.

use std::fmt;

use crate::Invalid;

/// A login name: an e-mail address or a simple handle, compared without case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim().to_lowercase();
        let len = name.chars().count();
        if !(3..=64).contains(&len) {
            return Err(Invalid::new(
                "username",
                "Choose a username or e-mail of 3 to 64 characters.",
            ));
        }
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '-' | '@' | '+');
        if !name.chars().all(allowed) {
            return Err(Invalid::new(
                "username",
                "Use letters, digits and . _ - + @ only (no spaces).",
            ));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password that meets the policy. Its text never appears in `Debug` output.
pub struct NewPassword(String);

impl NewPassword {
    /// Length is what matters (NIST SP 800-63B): at least 10 characters,
    /// at most 1024 so hashing stays bounded; no composition rules.
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let len = raw.chars().count();
        if len < 10 {
            return Err(Invalid::new(
                "password",
                "Choose a password of at least 10 characters; a short phrase works well.",
            ));
        }
        if len > 1024 {
            return Err(Invalid::new(
                "password",
                "That password is longer than 1024 characters.",
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_fold_case_and_reject_oddities() {
        assert_eq!(
            Username::parse(" Alex@Example.org ").unwrap().as_str(),
            "alex@example.org"
        );
        assert!(Username::parse("ab").is_err());
        assert!(Username::parse("two words").is_err());
        assert!(Username::parse("a\u{202e}bc").is_err());
        assert!(Username::parse("rosé").is_ok());
    }

    #[test]
    fn passwords_need_length_not_symbols() {
        assert!(NewPassword::parse("short").is_err());
        assert!(NewPassword::parse("a calm long phrase").is_ok());
        assert!(NewPassword::parse(&"x".repeat(1025)).is_err());
        assert_eq!(
            format!("{:?}", NewPassword::parse("a calm long phrase").unwrap()),
            "NewPassword(…)"
        );
    }
}
