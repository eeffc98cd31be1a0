//! What a person owns, table by table: what their export holds, and what
//! happens to each row when they leave their couple or delete their account.
//!
//! Every table of the schema is classified here, in [`TABLES`], and only
//! here. A test lists the tables the migrations actually made and fails on
//! any table missing from this list, so a new feature's table cannot slip
//! out of people's exports, or outlive its author's departure, unnoticed:
//! adding a table means deciding, in this file, who may take a copy of it
//! and what becomes of it when a partner goes.
//!
//! Departure works the same way for leaving and for deleting an account.
//! Inside one transaction:
//!
//! 1. the leaver's private records in the couple are erased (`erase`);
//! 2. a placeholder person takes their seat ("former partner"), and every
//!    column naming them in the couple's shared records (`people`) is
//!    pointed at the placeholder — so the remaining partner keeps the
//!    history, and nothing shared carries the leaver's name or account;
//! 3. when no partner is left in the couple, the couple is erased with
//!    everything in it.
//!
//! Deleting an account then deletes the person's row, which takes with it
//! what belongs to the person and not to a couple (sessions, journal, safety
//! checks). The transparency log's entries are shared records: they are
//! re-attributed, never removed or changed, so the log still verifies.

use kintsugi_core::export::{
    Departure, Export, Person, Record, Relation, Section, Value, FORMAT, FORMAT_VERSION,
    FORMER_PARTNER,
};
use kintsugi_core::{CoupleId, UserId};
use sqlx::any::AnyRow;
use sqlx::{Any, Column, Row, Transaction};

use crate::{Engine, Result, Store, StoreError};

/// One table of the schema, classified.
pub struct TableRule {
    pub table: &'static str,
    /// The export section's heading.
    pub title: &'static str,
    pub export: Exported,
    /// Statements that erase the leaver's private rows in the couple; each
    /// takes `$1` the leaver and `$2` the couple.
    pub erase: &'static [&'static str],
    /// Columns that name a person. In a couple's table they are
    /// re-attributed to the former partner when that person leaves; in an
    /// export they are shown as names.
    pub people: &'static [&'static str],
    /// Whether rows carry `couple_id`, so a departure re-attributes them.
    pub couple_scoped: bool,
}

/// Whether, and which of, a table's rows go into a person's export.
pub enum Exported {
    /// The rows the viewer may see. `$1` is the viewer, `$2` their couple
    /// (or -1 when they have none); both appear in every query.
    Rows(&'static str),
    /// Not exported, and why.
    Excluded(&'static str),
}

/// Every table of the schema. See the module's documentation.
pub const TABLES: &[TableRule] = &[
    TableRule {
        table: "users",
        title: "Your account",
        export: Exported::Rows(
            "SELECT id, username, created_at FROM users WHERE id = $1 AND $2 = $2",
        ),
        erase: &[],
        people: &[],
        couple_scoped: false,
    },
    TableRule {
        table: "sessions",
        title: "Sessions",
        export: Exported::Excluded(
            "a log-in's token hash and expiry: nothing anyone wrote, and a key to the account",
        ),
        erase: &[],
        people: &[],
        couple_scoped: false,
    },
    TableRule {
        table: "couples",
        title: "Your couple's space",
        export: Exported::Rows("SELECT id, created_at FROM couples WHERE id = $2 AND $1 = $1"),
        erase: &[],
        people: &[],
        couple_scoped: false,
    },
    TableRule {
        table: "members",
        title: "The two of you",
        export: Exported::Rows(
            "SELECT user_id, seat, role, joined_at FROM members WHERE couple_id = $2 AND $1 = $1 ORDER BY seat",
        ),
        erase: &[],
        people: &["user_id"],
        couple_scoped: true,
    },
    TableRule {
        table: "former_partners",
        title: "Partners who left",
        export: Exported::Rows(
            "SELECT user_id, how, left_at FROM former_partners WHERE couple_id = $2 AND $1 = $1 ORDER BY left_at",
        ),
        erase: &[],
        people: &["user_id"],
        couple_scoped: true,
    },
    TableRule {
        table: "invitations",
        title: "Invitations",
        export: Exported::Excluded(
            "single-use links, kept only as a hash that says nothing about the couple",
        ),
        erase: &[],
        people: &["created_by", "used_by"],
        couple_scoped: true,
    },
    TableRule {
        table: "safety_checks",
        title: "Your safety checks",
        export: Exported::Rows(
            "SELECT answers, outcome, taken_at FROM safety_checks WHERE user_id = $1 AND $2 = $2 ORDER BY taken_at",
        ),
        erase: &[],
        people: &[],
        couple_scoped: false,
    },
    TableRule {
        table: "check_ins",
        title: "Daily check-ins",
        // Every version of one's own; the partner's only when shared, and
        // only the current version, as the pages show them.
        export: Exported::Rows(
            "SELECT id, user_id, day, version, trust, safety, connection, act_kind, act, note, visibility, created_at \
             FROM check_ins WHERE couple_id = $2 AND (user_id = $1 OR (visibility = 'shared' AND \
             version = (SELECT MAX(v.version) FROM check_ins v WHERE v.user_id = check_ins.user_id AND v.day = check_ins.day))) \
             ORDER BY day, user_id, version",
        ),
        // What the partner never saw: private versions, and shared versions
        // a later one replaced.
        erase: &[CHECK_INS_ERASE],
        people: &["user_id"],
        couple_scoped: true,
    },
    TableRule {
        table: "drafts",
        title: "Your drafts (private)",
        export: Exported::Rows(
            "SELECT subject, text, updated_at FROM drafts WHERE user_id = $1 AND $2 = $2 ORDER BY subject",
        ),
        erase: &["DELETE FROM drafts WHERE user_id = $1 AND couple_id = $2"],
        people: &["user_id"],
        couple_scoped: true,
    },
    TableRule {
        table: "shared_texts",
        title: "Shared reflections, statements and apologies",
        export: Exported::Rows(
            "SELECT id, user_id, subject, version, text, shared_at FROM shared_texts \
             WHERE couple_id = $2 AND $1 = $1 ORDER BY subject, user_id, version",
        ),
        erase: &[],
        people: &["user_id"],
        couple_scoped: true,
    },
    TableRule {
        table: "responses",
        title: "Answers to statements and apologies",
        export: Exported::Rows(
            "SELECT id, shared_text_id, user_id, verdict, text, created_at FROM responses \
             WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &["user_id"],
        couple_scoped: true,
    },
    TableRule {
        table: "journal_entries",
        title: "Your feelings journal (private)",
        export: Exported::Rows(
            "SELECT id, day, feelings, intensity, text, created_at, updated_at FROM journal_entries \
             WHERE user_id = $1 AND $2 = $2 ORDER BY day, id",
        ),
        erase: &[],
        people: &[],
        couple_scoped: false,
    },
    TableRule {
        table: "conversations",
        title: "Conversations",
        export: Exported::Rows(
            "SELECT id, proposer, partner, topic, ground_rules, phase, speaker, step, turns, paused_until, \
             paused_by, closing_note, ended_by, created_at, updated_at FROM conversations \
             WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &["proposer", "partner", "speaker", "paused_by", "ended_by"],
        couple_scoped: true,
    },
    TableRule {
        table: "turns",
        title: "Conversation turns",
        export: Exported::Rows(
            "SELECT conversation_id, seq, author, kind, text, created_at FROM turns \
             WHERE couple_id = $2 AND $1 = $1 ORDER BY conversation_id, seq",
        ),
        erase: &[],
        people: &["author"],
        couple_scoped: true,
    },
    TableRule {
        table: "messages",
        title: "Messages",
        // The coach's counts are the author's private tally.
        export: Exported::Rows(
            "SELECT id, user_id, text, CASE WHEN user_id = $1 THEN concerns_first END AS concerns_first, \
             CASE WHEN user_id = $1 THEN concerns_sent END AS concerns_sent, created_at FROM messages \
             WHERE couple_id = $2 ORDER BY id",
        ),
        erase: &["UPDATE messages SET concerns_first = 0, concerns_sent = 0 WHERE user_id = $1 AND couple_id = $2"],
        people: &["user_id"],
        couple_scoped: true,
    },
    TableRule {
        table: "agreement_proposals",
        title: "Boundary proposals",
        export: Exported::Rows(
            "SELECT id, proposer, kind, boundary_key, seen_since, text, why, note, counters, created_at \
             FROM agreement_proposals WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &["proposer"],
        couple_scoped: true,
    },
    TableRule {
        table: "agreement_outcomes",
        title: "Answers to boundary proposals",
        export: Exported::Rows(
            "SELECT proposal_id, outcome, by_user, reason, created_at FROM agreement_outcomes \
             WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &["by_user"],
        couple_scoped: true,
    },
    TableRule {
        table: "agreement_versions",
        title: "Versions of the agreement",
        export: Exported::Rows(
            "SELECT version, proposal_id, proposed_by, consented_by, summary, accepted_at FROM agreement_versions \
             WHERE couple_id = $2 AND $1 = $1 ORDER BY version",
        ),
        erase: &[],
        people: &["proposed_by", "consented_by"],
        couple_scoped: true,
    },
    TableRule {
        table: "agreement_boundaries",
        title: "Boundaries in each version",
        export: Exported::Rows(
            "SELECT version, boundary_key, text, why, since FROM agreement_boundaries \
             WHERE couple_id = $2 AND $1 = $1 ORDER BY version, boundary_key",
        ),
        erase: &[],
        people: &[],
        couple_scoped: true,
    },
    TableRule {
        table: "disclosures",
        title: "Transparency log",
        export: Exported::Rows(
            "SELECT position, author_id, category, occurred_at, text, corrects, salt, created_at FROM disclosures \
             WHERE couple_id = $2 AND $1 = $1 ORDER BY position",
        ),
        erase: &[],
        people: &["author_id"],
        couple_scoped: true,
    },
    TableRule {
        table: "log_hashes",
        title: "Transparency log hashes",
        export: Exported::Excluded(
            "the Merkle tree's hashes, recomputed from the disclosures; the log's own download carries what a check needs",
        ),
        erase: &[],
        people: &[],
        couple_scoped: true,
    },
    TableRule {
        table: "log_checkpoints",
        title: "Transparency log checkpoints",
        export: Exported::Rows(
            "SELECT size, note, created_at FROM log_checkpoints WHERE couple_id = $2 AND $1 = $1 ORDER BY size",
        ),
        erase: &[],
        people: &[],
        couple_scoped: true,
    },
    // Stage 8: commitments are both partners' to see, marks and witnesses too.
    TableRule {
        table: "commitments",
        title: "Commitments",
        export: Exported::Rows(
            "SELECT id, author, text, repeat, days, starts, at, replaces, created_at FROM commitments WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &["author"],
        couple_scoped: true,
    },
    TableRule {
        table: "commitment_endings",
        title: "Commitments ended or changed",
        export: Exported::Rows(
            "SELECT commitment_id, last_day, reason, note, created_at FROM commitment_endings WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &[],
        couple_scoped: true,
    },
    TableRule {
        table: "commitment_marks",
        title: "Occasions marked kept or missed",
        export: Exported::Rows(
            "SELECT commitment_id, occasion, seq, mark, note, by_user, created_at FROM commitment_marks WHERE couple_id = $2 AND $1 = $1 ORDER BY commitment_id, occasion, seq",
        ),
        erase: &[],
        people: &["by_user"],
        couple_scoped: true,
    },
    TableRule {
        table: "commitment_witnesses",
        title: "What the other partner saw",
        export: Exported::Rows(
            "SELECT commitment_id, occasion, seq, seen, note, by_user, created_at FROM commitment_witnesses WHERE couple_id = $2 AND $1 = $1 ORDER BY commitment_id, occasion, seq",
        ),
        erase: &[],
        people: &["by_user"],
        couple_scoped: true,
    },
    TableRule {
        table: "calendar_feeds",
        title: "Calendar address",
        export: Exported::Excluded(
            "a calendar address's token hash: a key to the feed, not something anyone wrote",
        ),
        erase: &["DELETE FROM calendar_feeds WHERE user_id = $1 AND couple_id = $2"],
        people: &["user_id"],
        couple_scoped: true,
    },
    // Stage 11: growing together is shared by nature.
    TableRule {
        table: "goals",
        title: "Shared goals",
        export: Exported::Rows(
            "SELECT id, author, title, created_at FROM goals WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &["author"],
        couple_scoped: true,
    },
    TableRule {
        table: "goal_steps",
        title: "Steps towards the goals",
        export: Exported::Rows(
            "SELECT id, goal_id, author, text, created_at FROM goal_steps WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &["author"],
        couple_scoped: true,
    },
    TableRule {
        table: "step_ticks",
        title: "Steps ticked off",
        export: Exported::Rows(
            "SELECT step_id, by_user, done, created_at FROM step_ticks WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &["by_user"],
        couple_scoped: true,
    },
    TableRule {
        table: "rituals",
        title: "Rituals",
        export: Exported::Rows(
            "SELECT id, author, name, days, at_time, note, created_at FROM rituals WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &["author"],
        couple_scoped: true,
    },
    TableRule {
        table: "appreciations",
        title: "Appreciations",
        export: Exported::Rows(
            "SELECT id, author, text, created_at FROM appreciations WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &["author"],
        couple_scoped: true,
    },
    TableRule {
        table: "good_moments",
        title: "Good moments",
        export: Exported::Rows(
            "SELECT id, author, day, text, created_at FROM good_moments WHERE couple_id = $2 AND $1 = $1 ORDER BY day, id",
        ),
        erase: &[],
        people: &["author"],
        couple_scoped: true,
    },
    // Stage 12: an incident is its author's alone until shared; what each
    // carries forward is theirs alone until both have written.
    TableRule {
        table: "incidents",
        title: "Incidents",
        export: Exported::Rows(
            "SELECT id, author, name, description, created_at FROM incidents WHERE couple_id = $2 AND \
             (author = $1 OR id IN (SELECT s.incident_id FROM incident_shares s WHERE s.couple_id = $2)) ORDER BY id",
        ),
        erase: &["DELETE FROM incidents WHERE author = $1 AND couple_id = $2 AND \
                  id NOT IN (SELECT s.incident_id FROM incident_shares s WHERE s.couple_id = $2)"],
        people: &["author"],
        couple_scoped: true,
    },
    TableRule {
        table: "incident_shares",
        title: "Incidents shared",
        export: Exported::Rows(
            "SELECT incident_id, created_at FROM incident_shares WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &[],
        couple_scoped: true,
    },
    TableRule {
        table: "incident_readiness",
        title: "Your readiness to lay incidents to rest",
        export: Exported::Rows(
            "SELECT incident_id, ready, created_at FROM incident_readiness WHERE couple_id = $2 AND user_id = $1 ORDER BY id",
        ),
        erase: &["DELETE FROM incident_readiness WHERE user_id = $1 AND couple_id = $2"],
        people: &["user_id"],
        couple_scoped: true,
    },
    TableRule {
        table: "incidents_at_rest",
        title: "Incidents laid to rest",
        export: Exported::Rows(
            "SELECT incident_id, created_at FROM incidents_at_rest WHERE couple_id = $2 AND $1 = $1 ORDER BY id",
        ),
        erase: &[],
        people: &[],
        couple_scoped: true,
    },
    TableRule {
        table: "carried_forward",
        title: "What each of you carries forward",
        export: Exported::Rows(
            "SELECT incident_id, user_id, text, created_at FROM carried_forward WHERE couple_id = $2 AND \
             (user_id = $1 OR (SELECT COUNT(*) FROM carried_forward c WHERE c.incident_id = carried_forward.incident_id) = 2) \
             ORDER BY incident_id, user_id",
        ),
        erase: &["DELETE FROM carried_forward WHERE user_id = $1 AND couple_id = $2 AND \
                  (SELECT COUNT(*) FROM carried_forward c WHERE c.incident_id = carried_forward.incident_id) < 2"],
        people: &["user_id"],
        couple_scoped: true,
    },
    TableRule {
        table: "_sqlx_migrations",
        title: "Migrations",
        export: Exported::Excluded("the schema's own bookkeeping, the same on every server"),
        erase: &[],
        people: &[],
        couple_scoped: false,
    },
];

const CHECK_INS_ERASE: &str = "DELETE FROM check_ins WHERE user_id = $1 AND couple_id = $2 AND NOT (visibility = 'shared' AND version = (SELECT MAX(v.version) FROM check_ins v WHERE v.user_id = check_ins.user_id AND v.day = check_ins.day))";

/// What a departure did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Departed {
    pub couple: CoupleId,
    /// No partner was left, so the couple was erased with everything in it.
    pub couple_erased: bool,
}

impl Store {
    /// The names of every table the migrations made, for the check that
    /// each one is classified in [`TABLES`].
    pub async fn table_names(&self) -> Result<Vec<String>> {
        let sql = match self.engine {
            Engine::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            }
            Engine::Postgres => {
                "SELECT table_name::text FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
            }
        };
        Ok(sqlx::query_scalar(sql).fetch_all(&self.pool).await?)
    }

    /// Everything `viewer` may see, as one document.
    pub async fn export(&self, viewer: UserId, now: i64) -> Result<Export> {
        let me = self.user(viewer).await?;
        let membership = self.membership(viewer).await?;
        let couple = membership.as_ref().map(|m| m.couple.0).unwrap_or(-1);
        let you = Person {
            id: viewer.0,
            relation: Relation::You,
            name: me.username.clone(),
        };
        let mut people = vec![you.clone()];
        if let Some(p) = membership.as_ref().and_then(|m| m.partner.as_ref()) {
            people.push(Person {
                id: p.id.0,
                relation: if p.former {
                    Relation::FormerPartner
                } else {
                    Relation::Partner
                },
                name: p.username.clone(),
            });
        }
        // Earlier former partners of this couple, if a seat changed hands.
        let former: Vec<i64> =
            sqlx::query_scalar("SELECT user_id FROM former_partners WHERE couple_id = $1")
                .bind(couple)
                .fetch_all(&self.pool)
                .await?;
        for id in former {
            if !people.iter().any(|p| p.id == id) {
                people.push(Person {
                    id,
                    relation: Relation::FormerPartner,
                    name: FORMER_PARTNER.to_owned(),
                });
            }
        }

        let mut sections = Vec::new();
        for rule in TABLES {
            let Exported::Rows(sql) = rule.export else {
                continue;
            };
            let rows = sqlx::query(sql)
                .bind(viewer.0)
                .bind(couple)
                .fetch_all(&self.pool)
                .await?;
            let records = rows.iter().map(record).collect::<Result<Vec<_>>>()?;
            sections.push(Section {
                table: rule.table.to_owned(),
                title: rule.title.to_owned(),
                person_columns: rule.people.iter().map(|c| (*c).to_owned()).collect(),
                records,
            });
        }
        Ok(Export {
            format: FORMAT,
            format_version: FORMAT_VERSION,
            exported_at: now,
            person: you,
            people,
            sections,
        })
    }

    /// The person with this username, for the host's `kintsugi export`.
    pub async fn user_named(&self, username: &str) -> Result<Option<UserId>> {
        let id: Option<i64> = sqlx::query_scalar(
            "SELECT u.id FROM users u WHERE u.username = $1 \
             AND NOT EXISTS (SELECT 1 FROM former_partners f WHERE f.user_id = u.id)",
        )
        .bind(username)
        .fetch_optional(&self.pool)
        .await?;
        Ok(id.map(UserId))
    }

    /// Takes `user` out of their couple (see the module's documentation).
    /// `None` when they are in no couple.
    pub async fn leave_couple(&self, user: UserId, now: i64) -> Result<Option<Departed>> {
        let mut tx = self.writer.begin().await?;
        let departed = depart(&mut tx, user, Departure::Leave, now).await?;
        tx.commit().await?;
        Ok(departed)
    }

    /// Deletes `user`'s account: they leave their couple, then everything
    /// that was theirs alone goes with the account, sessions included.
    pub async fn delete_account(&self, user: UserId, now: i64) -> Result<Option<Departed>> {
        let mut tx = self.writer.begin().await?;
        let departed = depart(&mut tx, user, Departure::DeleteAccount, now).await?;
        sqlx::query("DELETE FROM users WHERE id = $1")
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(departed)
    }
}

async fn depart(
    tx: &mut Transaction<'static, Any>,
    user: UserId,
    how: Departure,
    now: i64,
) -> Result<Option<Departed>> {
    let seat: Option<(i64, i64)> =
        sqlx::query_as("SELECT couple_id, seat FROM members WHERE user_id = $1")
            .bind(user.0)
            .fetch_optional(&mut **tx)
            .await?;
    let Some((couple, seat)) = seat else {
        return Ok(None);
    };
    for rule in TABLES {
        for sql in rule.erase {
            sqlx::query(sql)
                .bind(user.0)
                .bind(couple)
                .execute(&mut **tx)
                .await?;
        }
    }
    // The placeholder's username has a capital letter, which no sign-up or
    // log-in ever produces (both lower-case the name), so no one can log in
    // as it or take it; its password hash is not a hash at all.
    let placeholder: i64 = sqlx::query_scalar(
        "INSERT INTO users (username, password_hash, created_at) VALUES ($1, '!', $2) RETURNING id",
    )
    .bind(format!("Former:{couple}:{seat}:{}", user.0))
    .bind(now)
    .fetch_one(&mut **tx)
    .await?;
    sqlx::query(
        "INSERT INTO former_partners (user_id, couple_id, how, left_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(placeholder)
    .bind(couple)
    .bind(match how {
        Departure::Leave => "left",
        Departure::DeleteAccount => "deleted",
    })
    .bind(now)
    .execute(&mut **tx)
    .await?;
    for rule in TABLES.iter().filter(|r| r.couple_scoped) {
        for column in rule.people {
            let sql = format!(
                "UPDATE {table} SET {column} = $1 WHERE couple_id = $2 AND {column} = $3",
                table = rule.table
            );
            sqlx::query(&sql)
                .bind(placeholder)
                .bind(couple)
                .bind(user.0)
                .execute(&mut **tx)
                .await?;
        }
    }
    let remaining: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM members m WHERE m.couple_id = $1 \
         AND NOT EXISTS (SELECT 1 FROM former_partners f WHERE f.user_id = m.user_id)",
    )
    .bind(couple)
    .fetch_one(&mut **tx)
    .await?;
    let couple_erased = remaining == 0;
    if couple_erased {
        let placeholders: Vec<i64> =
            sqlx::query_scalar("SELECT user_id FROM former_partners WHERE couple_id = $1")
                .bind(couple)
                .fetch_all(&mut **tx)
                .await?;
        sqlx::query("DELETE FROM couples WHERE id = $1")
            .bind(couple)
            .execute(&mut **tx)
            .await?;
        for id in placeholders {
            sqlx::query("DELETE FROM users WHERE id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
        }
    }
    Ok(Some(Departed {
        couple: CoupleId(couple),
        couple_erased,
    }))
}

/// A row as the export's record, whatever its columns' types.
fn record(row: &AnyRow) -> Result<Record> {
    let mut out = Vec::with_capacity(row.columns().len());
    for (i, column) in row.columns().iter().enumerate() {
        let value = if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
            v.map_or(Value::Null, Value::Integer)
        } else if let Ok(v) = row.try_get::<Option<String>, _>(i) {
            v.map_or(Value::Null, Value::Text)
        } else if let Ok(v) = row.try_get::<Option<f64>, _>(i) {
            v.map_or(Value::Null, Value::Real)
        } else {
            return Err(StoreError::Corrupt(format!(
                "column {} has a type the export cannot read",
                column.name()
            )));
        };
        out.push((column.name().to_owned(), value));
    }
    Ok(Record(out))
}

/// Tables the schema has that [`TABLES`] does not classify.
pub fn unclassified(tables: &[String]) -> Vec<String> {
    tables
        .iter()
        .filter(|t| !TABLES.iter().any(|r| r.table == t.as_str()))
        .cloned()
        .collect()
}
