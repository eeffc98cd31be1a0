//! Rate limits for logging in, signing up and coaching, with the `governor`
//! crate's keyed limiters (GCRA: smooth, and memory bounded by the keys seen).

use std::num::NonZeroU32;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::RateLimits;
use crate::Error;

pub struct Limiters {
    login_account: DefaultKeyedRateLimiter<String>,
    login_address: DefaultKeyedRateLimiter<String>,
    signup_address: DefaultKeyedRateLimiter<String>,
    coach_user: DefaultKeyedRateLimiter<String>,
}

fn per_minute(n: u32) -> DefaultKeyedRateLimiter<String> {
    RateLimiter::keyed(Quota::per_minute(
        NonZeroU32::new(n.max(1)).expect("at least one"),
    ))
}

impl Limiters {
    pub fn new(l: RateLimits) -> Self {
        Self {
            login_account: per_minute(l.login_per_account),
            login_address: per_minute(l.login_per_address),
            signup_address: per_minute(l.signup_per_address),
            coach_user: per_minute(l.coach_per_user),
        }
    }

    /// Both limits apply: one address cannot try many accounts, and many
    /// addresses cannot hammer one account.
    pub fn login(&self, account: &str, address: &str) -> Result<(), Error> {
        let a = self
            .login_account
            .check_key(&account.to_lowercase())
            .is_ok();
        let b = self.login_address.check_key(&address.to_owned()).is_ok();
        if a && b {
            Ok(())
        } else {
            Err(Error::RateLimited)
        }
    }

    pub fn signup(&self, address: &str) -> Result<(), Error> {
        self.signup_address
            .check_key(&address.to_owned())
            .map_err(|_| Error::RateLimited)
    }

    pub fn coach(&self, user: &str) -> Result<(), Error> {
        self.coach_user
            .check_key(&user.to_owned())
            .map_err(|_| Error::RateLimited)
    }

    pub fn forget_idle(&self) {
        self.login_account.retain_recent();
        self.login_address.retain_recent();
        self.signup_address.retain_recent();
        self.coach_user.retain_recent();
    }
}
