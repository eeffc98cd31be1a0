//! Couples, their two members, and the invitation that links them.

use kintsugi_core::couple::Role;
use kintsugi_core::{CoupleId, UserId};

use crate::{decode, Result, Store, StoreError};

/// A person's place in their couple.
#[derive(Debug, Clone)]
pub struct Membership {
    pub couple: CoupleId,
    pub role: Role,
    pub partner: Option<Partner>,
}

#[derive(Debug, Clone)]
pub struct Partner {
    pub id: UserId,
    /// "former partner" when they have left or deleted their account.
    pub username: String,
    pub role: Role,
    /// They left the couple or deleted their account; what they shared stays.
    pub former: bool,
}

/// Why an invitation cannot be used, in words a person understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationProblem {
    Unknown,
    Expired,
    Used,
    OwnCouple,
    AlreadyInACouple,
    CoupleFull,
}

impl InvitationProblem {
    pub fn explain(self) -> &'static str {
        match self {
            Self::Unknown => "This invitation link is not valid. Please ask your partner for a new one.",
            Self::Expired => "This invitation has expired. Please ask your partner for a new one.",
            Self::Used => "This invitation has already been used. Each link works once; ask your partner for a new one if needed.",
            Self::OwnCouple => "This is an invitation to your own space: send it to your partner so they can join you.",
            Self::AlreadyInACouple => "You are already part of a couple in Kintsugi, so you cannot join another one.",
            Self::CoupleFull => "This couple already has two partners; a couple's space is for two people only.",
        }
    }
}

impl Store {
    /// Creates a couple with its founder in the first seat.
    pub async fn create_couple(&self, founder: UserId, role: Role, now: i64) -> Result<CoupleId> {
        let mut tx = self.writer.begin().await?;
        let id: i64 =
            sqlx::query_scalar("INSERT INTO couples (created_at) VALUES ($1) RETURNING id")
                .bind(now)
                .fetch_all(&mut *tx)
                .await
                .map(crate::returned)??;
        sqlx::query("INSERT INTO members (couple_id, user_id, seat, role, joined_at) VALUES ($1, $2, 1, $3, $4)")
            .bind(id)
            .bind(founder.0)
            .bind(role.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(CoupleId(id))
    }

    pub async fn membership(&self, user: UserId) -> Result<Option<Membership>> {
        // A former partner's placeholder goes by "former partner", never by
        // a username: see `ownership`.
        let rows: Vec<(i64, i64, String, String, i64)> = sqlx::query_as(
            "SELECT m.couple_id, m.user_id, m.role, \
             CASE WHEN f.user_id IS NULL THEN u.username ELSE 'former partner' END, \
             CASE WHEN f.user_id IS NULL THEN 0 ELSE 1 END FROM members m \
             JOIN users u ON u.id = m.user_id LEFT JOIN former_partners f ON f.user_id = m.user_id \
             WHERE m.couple_id = (SELECT couple_id FROM members WHERE user_id = $1)",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        let mut mine = None;
        let mut partner = None;
        for (couple, member, role, username, former) in rows {
            let role = decode("members.role", &role, |r| Role::parse(r).ok())?;
            if member == user.0 {
                mine = Some((CoupleId(couple), role));
            } else {
                partner = Some(Partner {
                    id: UserId(member),
                    username,
                    role,
                    former: former == 1,
                });
            }
        }
        Ok(mine.map(|(couple, role)| Membership {
            couple,
            role,
            partner,
        }))
    }

    pub async fn create_invitation(
        &self,
        couple: CoupleId,
        by: UserId,
        token_hash: &str,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO invitations (couple_id, token_hash, created_by, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(couple.0)
        .bind(token_hash)
        .bind(by.0)
        .bind(now)
        .bind(expires_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Checks an invitation without using it: what the person opening the
    /// link would be told. `viewer` is `None` for someone not logged in.
    pub async fn check_invitation(
        &self,
        token_hash: &str,
        viewer: Option<UserId>,
        now: i64,
    ) -> Result<Result<CoupleId, InvitationProblem>> {
        let row: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT couple_id, expires_at, used_at FROM invitations WHERE token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some((couple, expires_at, used_at)) = row else {
            return Ok(Err(InvitationProblem::Unknown));
        };
        if used_at.is_some() {
            return Ok(Err(InvitationProblem::Used));
        }
        if expires_at <= now {
            return Ok(Err(InvitationProblem::Expired));
        }
        if let Some(viewer) = viewer {
            if let Some(m) = self.membership(viewer).await? {
                return Ok(Err(if m.couple.0 == couple {
                    InvitationProblem::OwnCouple
                } else {
                    InvitationProblem::AlreadyInACouple
                }));
            }
        }
        let members: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM members WHERE couple_id = $1")
            .bind(couple)
            .fetch_one(&self.pool)
            .await?;
        if members >= 2 {
            return Ok(Err(InvitationProblem::CoupleFull));
        }
        Ok(Ok(CoupleId(couple)))
    }

    /// Uses an invitation: `user` joins the couple in the second seat, with
    /// the role complementing the founder's. The invitation is claimed first,
    /// atomically, so two people racing for one link cannot both get in; the
    /// seat constraint keeps a couple at two whatever happens.
    pub async fn accept_invitation(
        &self,
        token_hash: &str,
        user: UserId,
        now: i64,
    ) -> Result<Result<CoupleId, InvitationProblem>> {
        let couple = match self.check_invitation(token_hash, Some(user), now).await? {
            Ok(couple) => couple,
            Err(problem) => return Ok(Err(problem)),
        };
        let mut tx = self.writer.begin().await?;
        let claimed = sqlx::query(
            "UPDATE invitations SET used_at = $1, used_by = $2 \
             WHERE token_hash = $3 AND used_at IS NULL AND expires_at > $1",
        )
        .bind(now)
        .bind(user.0)
        .bind(token_hash)
        .execute(&mut *tx)
        .await?;
        if claimed.rows_affected() != 1 {
            return Ok(Err(InvitationProblem::Used));
        }
        let founder_role: String =
            sqlx::query_scalar("SELECT role FROM members WHERE couple_id = $1 AND seat = 1")
                .bind(couple.0)
                .fetch_one(&mut *tx)
                .await?;
        let role = decode("members.role", &founder_role, |r| Role::parse(r).ok())?.partner();
        let joined = sqlx::query("INSERT INTO members (couple_id, user_id, seat, role, joined_at) VALUES ($1, $2, 2, $3, $4)")
            .bind(couple.0)
            .bind(user.0)
            .bind(role.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await;
        match joined.map_err(StoreError::from) {
            Ok(_) => {
                tx.commit().await?;
                Ok(Ok(couple))
            }
            // Someone else took the seat, or this person joined a couple meanwhile.
            Err(StoreError::Conflict) => Ok(Err(InvitationProblem::CoupleFull)),
            Err(e) => Err(e),
        }
    }
}
