//! How a host configures Kintsugi: flags and `KINTSUGI_*` environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Everything the server needs to know, already checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; by default an SQLite file in `data_dir`.
    pub database_url: String,
    /// The address people use to reach the server; invitation links start
    /// with it, and an `https` address makes cookies `Secure`.
    pub public_url: String,
    pub invitation_days: i64,
    pub session_hours: i64,
    /// Where the quick-exit control leads: a neutral, everyday site.
    pub exit_url: String,
    /// Crisis resources shown on the safety page, one per line as `name | contact`.
    pub crisis_resources: Vec<(String, String)>,
    pub body_limit: usize,
    pub limits: RateLimits,
}

/// Requests allowed per minute, per key.
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub login_per_account: u32,
    pub login_per_address: u32,
    pub signup_per_address: u32,
    pub coach_per_user: u32,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            login_per_account: 5,
            login_per_address: 30,
            signup_per_address: 10,
            coach_per_user: 600,
        }
    }
}

pub const DEFAULT_EXIT_URL: &str = "https://www.bbc.co.uk/weather";

/// Shown until the host sets their own; they are real and widely reachable.
pub const DEFAULT_CRISIS_RESOURCES: &str = "\
In immediate danger | Call your local emergency number (112 in Europe, 911 in North America, 999 in the UK, 000 in Australia)
Find a helpline in your country | findahelpline.com — free, confidential support lines worldwide
United States: National Domestic Violence Hotline | 1-800-799-7233, or text START to 88788 (thehotline.org)
United Kingdom: National Domestic Abuse Helpline | 0808 2000 247, free and open day and night
Men's Advice Line (UK) | 0808 801 0327, for men experiencing abuse";

impl Config {
    /// A configuration for the given data directory with every default.
    pub fn new(data_dir: PathBuf, listen: SocketAddr) -> Self {
        let database_url = format!(
            "sqlite://{}?mode=rwc",
            data_dir.join("kintsugi.db").display()
        );
        Self {
            listen,
            public_url: format!("http://{listen}"),
            data_dir,
            database_url,
            invitation_days: 7,
            session_hours: 12,
            exit_url: DEFAULT_EXIT_URL.to_owned(),
            crisis_resources: parse_resources(DEFAULT_CRISIS_RESOURCES),
            body_limit: 64 * 1024,
            limits: RateLimits::default(),
        }
    }

    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Reads `name | contact` lines; blank lines and `#` comments are skipped.
pub fn parse_resources(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('|') {
            Some((name, contact)) => (name.trim().to_owned(), contact.trim().to_owned()),
            None => (l.to_owned(), String::new()),
        })
        .collect()
}
