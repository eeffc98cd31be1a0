//! Many couples at once, for load tests and capacity planning.
//!
//! Signing up a hundred thousand couples through the web would spend most
//! of its time hashing passwords, one Argon2 run each; a load test needs the
//! rows, not the ceremony. So this writes them directly, in batches of a few
//! hundred couples per transaction and one multi-row `INSERT` per table:
//! accounts sharing one precomputed password hash, their couple, a clear
//! safety check each (so the shared space is open), a little history (check-
//! ins and messages), and optionally a live session per person so a load
//! tool can act as them without logging in. It is reached only through the
//! hidden `kintsugi seed` command and never runs on its own.

use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments};

use crate::{day_to_text, Result, Store};

/// One couple to create: two usernames and, for each, the hash of the
/// session token the load tool will present (or `None` for no session).
#[derive(Debug, Clone)]
pub struct SeedCouple {
    pub usernames: [String; 2],
    pub sessions: [Option<String>; 2],
}

/// What every seeded row shares.
#[derive(Debug, Clone)]
pub struct SeedPlan {
    /// An Argon2 PHC string, computed once for every account.
    pub password_hash: String,
    /// The stored form of a clear safety check (`Answers::encode`).
    pub safety_answers: String,
    pub now: i64,
    pub session_expires_at: i64,
    /// Check-ins per person, one a day going back from `today`.
    pub check_ins_each: u32,
    /// Messages per couple.
    pub messages_each: u32,
    pub today: time::Date,
}

/// Couples written per transaction: large enough to amortise a commit,
/// small enough to keep every statement under SQLite's parameter limit.
pub const BATCH: usize = 100;

/// The most check-ins per person a batch can carry within those limits.
pub const MAX_CHECK_INS_EACH: u32 = 10;

/// A statement with `$n` placeholders built up row by row, for either engine.
struct Rows {
    sql: String,
    args: AnyArguments<'static>,
    n: usize,
    first: bool,
}

impl Rows {
    fn new(head: &str) -> Self {
        Self {
            sql: format!("{head} VALUES "),
            args: AnyArguments::default(),
            n: 0,
            first: true,
        }
    }

    fn row(&mut self, values: Vec<Value>) {
        if !self.first {
            self.sql.push_str(", ");
        }
        self.first = false;
        self.sql.push('(');
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.n += 1;
            self.sql.push_str(&format!("${}", self.n));
            let added = match v {
                Value::Int(x) => self.args.add(x),
                Value::Text(s) => self.args.add(s),
            };
            added.expect("integers and text always bind");
        }
        self.sql.push(')');
    }
}

enum Value {
    Int(i64),
    Text(String),
}

use Value::{Int, Text};

impl Store {
    /// Writes `couples` in one transaction and returns how many people were
    /// created. Call it with at most [`BATCH`] couples at a time.
    pub async fn seed_couples(&self, plan: &SeedPlan, couples: &[SeedCouple]) -> Result<usize> {
        if couples.is_empty() {
            return Ok(0);
        }
        let mut tx = self.writer.begin().await?;

        let mut users = Rows::new("INSERT INTO users (username, password_hash, created_at)");
        for c in couples {
            for name in &c.usernames {
                users.row(vec![
                    Text(name.clone()),
                    Text(plan.password_hash.clone()),
                    Int(plan.now),
                ]);
            }
        }
        users.sql.push_str(" RETURNING id, username");
        let created: Vec<(i64, String)> = sqlx::query_as_with::<Any, _, _>(&users.sql, users.args)
            .fetch_all(&mut *tx)
            .await?;
        let ids: std::collections::HashMap<String, i64> =
            created.into_iter().map(|(id, name)| (name, id)).collect();

        // A couple row holds nothing but its time, so which new id goes to
        // which pair of people does not matter.
        let mut rows = Rows::new("INSERT INTO couples (created_at)");
        for _ in couples {
            rows.row(vec![Int(plan.now)]);
        }
        rows.sql.push_str(" RETURNING id");
        let couple_ids: Vec<(i64,)> = sqlx::query_as_with::<Any, _, _>(&rows.sql, rows.args)
            .fetch_all(&mut *tx)
            .await?;

        let mut members =
            Rows::new("INSERT INTO members (couple_id, user_id, seat, role, joined_at)");
        let mut safety =
            Rows::new("INSERT INTO safety_checks (user_id, answers, outcome, taken_at)");
        let mut sessions =
            Rows::new("INSERT INTO sessions (token_hash, user_id, created_at, expires_at)");
        let mut check_ins = Rows::new(
            "INSERT INTO check_ins (couple_id, user_id, day, version, trust, safety, connection, \
             act_kind, act, note, visibility, created_at)",
        );
        let mut messages = Rows::new(
            "INSERT INTO messages (couple_id, user_id, text, concerns_first, concerns_sent, created_at)",
        );
        for (couple, (couple_id,)) in couples.iter().zip(&couple_ids) {
            let people = [ids[&couple.usernames[0]], ids[&couple.usernames[1]]];
            for (seat, (user, role)) in people.iter().zip(["hurt", "repairing"]).enumerate() {
                members.row(vec![
                    Int(*couple_id),
                    Int(*user),
                    Int(seat as i64 + 1),
                    Text(role.into()),
                    Int(plan.now),
                ]);
                safety.row(vec![
                    Int(*user),
                    Text(plan.safety_answers.clone()),
                    Text("clear".into()),
                    Int(plan.now),
                ]);
                if let Some(hash) = &couple.sessions[seat] {
                    sessions.row(vec![
                        Text(hash.clone()),
                        Int(*user),
                        Int(plan.now),
                        Int(plan.session_expires_at),
                    ]);
                }
                for d in 0..plan.check_ins_each {
                    let day = plan.today - time::Duration::days(i64::from(d) + 1);
                    let rating = i64::from((d + seat as u32) % 11);
                    check_ins.row(vec![
                        Int(*couple_id),
                        Int(*user),
                        Text(day_to_text(day)),
                        Int(1),
                        Int(rating),
                        Int(10 - rating),
                        Int(5),
                        Text("kindness".into()),
                        Text("Made tea in the morning".into()),
                        Text("A quiet, good day.".into()),
                        Text(if d % 2 == 0 { "shared" } else { "private" }.into()),
                        Int(plan.now - i64::from(d + 1) * 86_400),
                    ]);
                }
            }
            for m in 0..plan.messages_each {
                messages.row(vec![
                    Int(*couple_id),
                    Int(people[m as usize % 2]),
                    Text("I felt close to you when we walked together last night.".into()),
                    Int(0),
                    Int(0),
                    Int(plan.now - i64::from(plan.messages_each - m) * 3_600),
                ]);
            }
        }
        for rows in [members, safety, sessions, check_ins, messages] {
            if rows.n > 0 {
                sqlx::query_with::<Any, _>(&rows.sql, rows.args)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(couples.len() * 2)
    }
}
