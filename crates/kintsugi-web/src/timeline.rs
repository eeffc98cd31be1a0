//! Stage 7, time to heal: the couple's road so far, week by week.
//!
//! Nothing here is stored: the page gathers what the viewer may already see
//! elsewhere — records shared between the two of them, their own check-ins
//! and the partner's shared ones — and `kintsugi_core::timeline` puts it in
//! order. Drafts, private answers, the journal and private check-ins of the
//! partner never enter it.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use kintsugi_core::commitment::Mark;
use kintsugi_core::couple::Visibility;
use kintsugi_core::timeline::{
    by_week, totals, Event, Happening, StatementKind, Totals, Week, WeekRatings,
};
use kintsugi_core::trend::{DayRatings, Measure};
use kintsugi_core::{CoupleId, UserId};
use kintsugi_store::CheckIn;
use maud::{html, Markup};
use serde::Serialize;
use time::macros::date;
use utoipa::ToSchema;

use crate::couple::{resting_notice, Space};
use crate::layout::{local_time, Shell};
use crate::routing::Routes;
use crate::security::session::Viewer;
use crate::state::AppState;
use crate::Error;

pub fn routes() -> Routes {
    Routes::new().get("/timeline", timeline_page)
}

pub fn api_routes() -> Routes {
    Routes::new().get("/timeline", timeline_api)
}

/// Everything the viewer's timeline holds, gathered from each stage.
async fn gather(state: &AppState, space: &Space, couple: CoupleId) -> Result<Vec<Week>, Error> {
    let store = &state.store;
    let mut events = Vec::new();

    for t in store.shared_texts(couple, "reflection:").await? {
        events.push(Event {
            at: t.shared_at,
            by: Some(t.author),
            what: Happening::ReflectionShared,
        });
    }
    for c in store.conversations(couple).await? {
        use kintsugi_core::conversation::Phase;
        // A conversation counts once it was accepted: a proposal declined
        // is not a conversation held.
        if matches!(c.state.phase, Phase::Active | Phase::Ended) {
            events.push(Event {
                at: c.created_at,
                by: Some(c.state.proposer),
                what: Happening::ConversationBegun {
                    topic: c.topic.clone(),
                },
            });
        }
        if c.state.phase == Phase::Ended {
            events.push(Event {
                at: c.updated_at,
                by: c.ended_by,
                what: Happening::ConversationClosed { topic: c.topic },
            });
        }
    }
    for t in store.shared_texts(couple, "statement:").await? {
        let statement = match t.subject.as_str() {
            "statement:responsibility" => StatementKind::Responsibility,
            "statement:apology" => StatementKind::Apology,
            _ => continue,
        };
        events.push(Event {
            at: t.shared_at,
            by: Some(t.author),
            what: Happening::StatementShared {
                statement,
                version: t.version,
            },
        });
    }
    for v in store.agreement_versions(couple).await? {
        events.push(Event {
            at: v.accepted_at,
            by: None,
            what: Happening::AgreementVersion {
                version: v.version,
                summary: v.summary,
            },
        });
    }
    let commitments = store.commitments(couple).await?;
    let mut marks = store.occasion_marks(couple, None).await?;
    // Marks come by commitment, occasion and then in the order made; a
    // correction is a later mark, and the road tells the last word.
    marks.reverse();
    marks.dedup_by_key(|m| (m.commitment, m.occasion));
    for m in marks {
        let Some(c) = commitments.iter().find(|c| c.id == m.commitment) else {
            continue;
        };
        events.push(Event {
            at: m.at,
            by: Some(m.by),
            what: Happening::CommitmentMarked {
                commitment: c.text.clone(),
                kept: m.mark == Mark::Kept,
            },
        });
    }
    for d in store.disclosures(couple).await? {
        events.push(Event {
            at: d.created_at,
            by: d.author,
            what: Happening::Disclosure {
                category: d.disclosure.category.as_str().to_owned(),
                correction: d.disclosure.corrects.is_some(),
            },
        });
    }
    for s in store.steps_done_between(couple, i64::MIN, i64::MAX).await? {
        events.push(Event {
            at: s.at,
            by: Some(s.by),
            what: Happening::StepTaken {
                goal: s.goal,
                step: s.step,
            },
        });
    }
    for a in store.appreciations(couple).await? {
        events.push(Event {
            at: a.created_at,
            by: Some(a.author),
            what: Happening::Appreciation,
        });
    }
    for m in store.good_moments(couple).await? {
        events.push(Event {
            at: m.created_at,
            by: Some(m.author),
            what: Happening::GoodMoment { text: m.text },
        });
    }
    for r in store.laid_to_rest(couple).await? {
        events.push(Event {
            at: r.rested_at,
            by: None,
            what: Happening::LaidToRest { incident: r.name },
        });
    }

    let check_ins = store
        .visible_check_ins(couple, space.me, date!(1970 - 01 - 01))
        .await?;
    let (mine, partner) = split_check_ins(&check_ins, space.me);
    Ok(by_week(events, &mine, &partner))
}

/// The viewer's own check-ins, and the partner's shared ones. The store has
/// already left out what the viewer may not see; the visibility is checked
/// again here so a change there cannot quietly widen this view.
fn split_check_ins(all: &[CheckIn], me: UserId) -> (Vec<DayRatings>, Vec<DayRatings>) {
    let ratings = |c: &CheckIn| DayRatings {
        day: c.day,
        trust: c.trust.get(),
        safety: c.safety.get(),
        connection: c.connection.get(),
    };
    let mine = all.iter().filter(|c| c.author == me).map(ratings).collect();
    let partner = all
        .iter()
        .filter(|c| c.author != me && c.visibility == Visibility::Shared)
        .map(ratings)
        .collect();
    (mine, partner)
}

/// Who may see the timeline: both partners, while their space is open.
fn readable(space: &Space) -> Result<CoupleId, Error> {
    space.require_safety_check_api()?;
    let couple = space.require_couple()?.couple;
    if !space.has_partner() {
        return Err(Error::Forbidden(
            "Your timeline begins once your partner has joined.",
        ));
    }
    if !space.open {
        return Err(Error::Forbidden(
            "Your shared space is resting for now, so the timeline waits too.",
        ));
    }
    Ok(couple)
}

async fn timeline_page(
    State(state): State<AppState>,
    shell: Shell,
    viewer: Viewer,
) -> Result<Response, Error> {
    const TITLE: &str = "Time to heal";
    let space = Space::load(&state, viewer.user.id).await?;
    if let Err(redirect) = space.require_safety_check("/timeline") {
        return Ok(redirect.into_response());
    }
    let Some(membership) = &space.membership else {
        return Ok(shell
            .render(TITLE, html! {
                h1 { (TITLE) }
                p { "The timeline belongs to a couple's space. " a href="/couple" { "Create yours, or join your partner's" } " first." }
            })
            .into_response());
    };
    if !space.open {
        return Ok(shell
            .render(
                TITLE,
                html! {
                    h1 { (TITLE) }
                    @if space.has_partner() { (resting_notice()) }
                    @else { p { "Your timeline begins once your partner has joined." } }
                },
            )
            .into_response());
    }
    let weeks = gather(&state, &space, membership.couple).await?;
    let partner_name = membership
        .partner
        .as_ref()
        .map_or("Your partner", |p| p.username.as_str());
    let who = |by: Option<UserId>| match by {
        Some(id) if id == space.me => "You",
        Some(_) => partner_name,
        None => "Together",
    };
    Ok(shell
        .render(TITLE, html! {
            h1 { (TITLE) }
            p.lead { "Healing has no timetable, and the partner who was hurt sets the pace. This is not a measure of how far you have to go; it is a record of the road you have already walked, one week at a time." }
            (summary(&totals(&weeks)))
            @if weeks.is_empty() {
                p.empty { "Nothing here yet. As you share a reflection, hold a conversation, agree a boundary or check in, it will gather here." }
            }
            @for week in &weeks {
                section.week aria-labelledby=(format!("week-{}", week.monday)) {
                    h2 id=(format!("week-{}", week.monday)) { "Week of " (long_day(week.monday)) }
                    @if week.mine.is_some() || week.partner.is_some() {
                        dl.week-ratings {
                            @if let Some(r) = week.mine { dt { "Your check-ins" } dd { (ratings_text(&r)) } }
                            @if let Some(r) = week.partner { dt { (partner_name) "'s shared check-ins" } dd { (ratings_text(&r)) } }
                        }
                    }
                    @if !week.events.is_empty() {
                        ol.timeline {
                            @for e in &week.events {
                                li data-stage=(e.what.stage()) {
                                    span.when { (local_time(e.at)) }
                                    " "
                                    span.who { (who(e.by)) }
                                    " "
                                    (describe(&e.what))
                                    " "
                                    a.stage href=(stage_path(&e.what)) { "Stage " (e.what.stage()) }
                                }
                            }
                        }
                    }
                }
            }
        })
        .into_response())
}

fn long_day(day: time::Date) -> String {
    day.format(time::macros::format_description!(
        "[day padding:none] [month repr:long] [year]"
    ))
    .unwrap_or_default()
}

fn ratings_text(r: &WeekRatings) -> String {
    let days = if r.days == 1 {
        "1 day".to_owned()
    } else {
        format!("{} days", r.days)
    };
    let parts: Vec<String> = Measure::ALL
        .iter()
        .map(|m| format!("{} {:.1}", m.label().to_lowercase(), r.get(*m)))
        .collect();
    format!("{days}: {} (out of 10, on average)", parts.join(" · "))
}

fn summary(t: &Totals) -> Markup {
    let Some(since) = t.since else {
        return html! {};
    };
    let counts: Vec<String> = [
        (
            t.conversations_closed,
            "conversation closed",
            "conversations closed",
        ),
        (
            t.agreement_versions,
            "version of your agreement",
            "versions of your agreement",
        ),
        (t.occasions_kept, "commitment kept", "commitments kept"),
        (t.disclosures, "disclosure made", "disclosures made"),
        (
            t.good_moments,
            "good moment remembered",
            "good moments remembered",
        ),
        (
            t.laid_to_rest,
            "incident laid to rest",
            "incidents laid to rest",
        ),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| format!("{n} {}", if n == 1 { one } else { many }))
    .collect();
    html! {
        p.summary {
            "Since " (long_day(since))
            @if counts.is_empty() { "." } @else { ": " (counts.join(", ")) "." }
        }
    }
}

fn describe(what: &Happening) -> Markup {
    match what {
        Happening::ReflectionShared => html! { "shared a reflection." },
        Happening::ConversationBegun { topic } => {
            html! { "began a conversation about " q { (topic) } "." }
        }
        Happening::ConversationClosed { topic } => {
            html! { "closed the conversation about " q { (topic) } "." }
        }
        Happening::StatementShared {
            statement: StatementKind::Responsibility,
            version,
        } => {
            html! { "shared a statement of responsibility" @if *version > 1 { " (version " (version) ")" } "." }
        }
        Happening::StatementShared {
            statement: StatementKind::Apology,
            version,
        } => {
            html! { "shared an apology" @if *version > 1 { " (version " (version) ")" } "." }
        }
        Happening::AgreementVersion { version, summary } => {
            html! { "agreed version " (version) " of your boundaries" @if !summary.is_empty() { ": " (summary) } "." }
        }
        Happening::CommitmentMarked {
            commitment,
            kept: true,
        } => html! { "kept " q { (commitment) } "." },
        Happening::CommitmentMarked {
            commitment,
            kept: false,
        } => html! { "missed " q { (commitment) } ", and said so." },
        Happening::Disclosure {
            category,
            correction,
        } => {
            html! { @if *correction { "corrected an entry in the transparency log (" (category) ")." } @else { "made a disclosure (" (category) ")." } }
        }
        Happening::StepTaken { goal, step } => {
            html! { "took a step towards " q { (goal) } ": " (step) "." }
        }
        Happening::GoodMoment { text } => html! { "remembered a good moment: " (text) },
        Happening::Appreciation => html! { "sent an appreciation." },
        Happening::LaidToRest { incident } => html! { "laid " q { (incident) } " to rest." },
    }
}

fn stage_path(what: &Happening) -> &'static str {
    kintsugi_core::program::STAGES[usize::from(what.stage()) - 1]
        .path
        .unwrap_or("/")
}

/// The timeline as JSON: newest week first.
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineView {
    #[schema(value_type = Object)]
    pub totals: Totals,
    /// Each week: `monday`, `mine` and `partner` (check-in means, or null),
    /// and `events`, oldest first, each with `at`, `by`, `stage`, `kind` and
    /// the kind's own fields.
    #[schema(value_type = Vec<Object>)]
    pub weeks: Vec<WeekView>,
}

#[derive(Debug, Serialize)]
pub struct WeekView {
    monday: String,
    mine: Option<WeekRatings>,
    partner: Option<WeekRatings>,
    events: Vec<EventView>,
}

#[derive(Debug, Serialize)]
pub struct EventView {
    at: i64,
    /// `me`, `partner`, or null for what both did together.
    by: Option<&'static str>,
    stage: u8,
    #[serde(flatten)]
    what: Happening,
}

/// The couple's timeline as the viewer may see it.
#[utoipa::path(get, path = "/api/v1/timeline", tag = "timeline", security(("bearer" = [])),
    responses((status = 200, body = TimelineView), (status = 401, body = crate::error::ErrorBody), (status = 403, body = crate::error::ErrorBody)))]
pub async fn timeline_api(
    State(state): State<AppState>,
    viewer: Viewer,
) -> Result<Json<TimelineView>, Error> {
    let space = Space::load(&state, viewer.user.id).await?;
    let couple = readable(&space)?;
    let weeks = gather(&state, &space, couple).await?;
    let me = space.me;
    Ok(Json(TimelineView {
        totals: totals(&weeks),
        weeks: weeks
            .into_iter()
            .map(|w| WeekView {
                monday: crate::layout::iso(w.monday),
                mine: w.mine,
                partner: w.partner,
                events: w
                    .events
                    .into_iter()
                    .map(|e| EventView {
                        at: e.at,
                        by: e.by.map(|id| if id == me { "me" } else { "partner" }),
                        stage: e.what.stage(),
                        what: e.what,
                    })
                    .collect(),
            })
            .collect(),
    }))
}
