//! The privacy matrix: every route the server has, called by the author of
//! the records, their partner, a stranger from another couple and a visitor
//! who is not logged in — and what each of them gets.
//!
//! The list of routes comes from the router itself, so a new route without
//! a row here fails this test. Besides each row's expected status, every
//! response to every viewer is searched for the words of records that viewer
//! must never see: the author's private check-in, and the other couple's.

mod common;

use std::collections::BTreeSet;

use common::{Browser, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

on_both_engines!(with unlimited; every_route_shows_each_viewer_only_what_is_theirs);

/// The matrix logs in and signs up more often than the per-minute limits
/// allow from one address; those limits have tests of their own.
fn unlimited(config: &mut kintsugi_web::Config) {
    config.limits.login_per_account = 1000;
    config.limits.login_per_address = 1000;
    config.limits.signup_per_address = 1000;
}

/// Words that appear only in one record each.
const ANA_PRIVATE: &str = "amberlantern";
const ANA_PRIVATE_NOTE: &str = "quietharbour";
const BEN_SHARED: &str = "copperkettle";
const STRANGER_SHARED: &str = "slatemeadow";
const ANA_JOURNAL: &str = "velvetcompass";
const ANA_DRAFT: &str = "hiddenlagoon";
const ANA_SHARED_ANSWER: &str = "openorchard";
const COUPLE_TOPIC: &str = "emberbridge";
const BEN_DRAFT: &str = "silverwillow";
const BEN_APOLOGY: &str = "gentlefjord";
const ANA_MESSAGE: &str = "mossylantern";
const AGREED_BOUNDARY: &str = "saffronvow";
const BEN_PROPOSAL: &str = "tidalpromise";
const BEN_DISCLOSURE: &str = "cedarlighthouse";
const BEN_COMMITMENT: &str = "juniperpromise";
const ANA_PRIVATE_INCIDENT: &str = "thornvalley";
const SHARED_INCIDENT: &str = "driftwoodpier";
const COUPLE_GOAL: &str = "lanternpath";
const BEN_APPRECIATION: &str = "honeyedorbit";
const GOOD_MOMENT: &str = "pebblecove";
const COUPLE_RITUAL: &str = "moonlitwaltz";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Viewer {
    Author,
    Partner,
    Stranger,
    LoggedOut,
}

const VIEWERS: [Viewer; 4] = [
    Viewer::Author,
    Viewer::Partner,
    Viewer::Stranger,
    Viewer::LoggedOut,
];

impl Viewer {
    /// Record words this viewer must never receive, from any route.
    fn never_sees(self) -> &'static [&'static str] {
        match self {
            Viewer::Author => &[STRANGER_SHARED, BEN_DRAFT],
            Viewer::Partner => &[
                ANA_PRIVATE,
                ANA_PRIVATE_NOTE,
                ANA_JOURNAL,
                ANA_DRAFT,
                STRANGER_SHARED,
                ANA_PRIVATE_INCIDENT,
            ],
            Viewer::Stranger => &[
                ANA_PRIVATE,
                ANA_PRIVATE_NOTE,
                ANA_JOURNAL,
                ANA_DRAFT,
                ANA_SHARED_ANSWER,
                BEN_SHARED,
                COUPLE_TOPIC,
                BEN_DRAFT,
                BEN_APOLOGY,
                ANA_MESSAGE,
                AGREED_BOUNDARY,
                BEN_PROPOSAL,
                BEN_DISCLOSURE,
                BEN_COMMITMENT,
                ANA_PRIVATE_INCIDENT,
                SHARED_INCIDENT,
                COUPLE_GOAL,
                BEN_APPRECIATION,
                GOOD_MOMENT,
                COUPLE_RITUAL,
            ],
            Viewer::LoggedOut => &[
                ANA_PRIVATE,
                ANA_PRIVATE_NOTE,
                ANA_JOURNAL,
                ANA_DRAFT,
                ANA_SHARED_ANSWER,
                BEN_SHARED,
                STRANGER_SHARED,
                COUPLE_TOPIC,
                BEN_DRAFT,
                BEN_APOLOGY,
                ANA_MESSAGE,
                AGREED_BOUNDARY,
                BEN_PROPOSAL,
                BEN_DISCLOSURE,
                BEN_COMMITMENT,
                ANA_PRIVATE_INCIDENT,
                SHARED_INCIDENT,
                COUPLE_GOAL,
                BEN_APPRECIATION,
                GOOD_MOMENT,
                COUPLE_RITUAL,
            ],
        }
    }
}

/// What one viewer gets: a status, and words the body must contain (so the
/// row proves the route really served the data it is about).
#[derive(Clone, Copy)]
struct Expect {
    status: u16,
    shows: &'static [&'static str],
}

const fn st(status: u16) -> Expect {
    Expect { status, shows: &[] }
}

const fn shows(status: u16, shows: &'static [&'static str]) -> Expect {
    Expect { status, shows }
}

enum Body {
    None,
    Form(Vec<(&'static str, String)>),
    Json(Value),
}

struct Row {
    method: Method,
    /// The route as the router knows it, `/checkins/{id}`.
    route: &'static str,
    /// The concrete path called.
    path: String,
    body: Body,
    /// Author, partner, stranger, logged out.
    expect: [Expect; 4],
}

/// The records the matrix is about: Ana (hurt) and Ben (repairing) are a
/// couple; Cyd and Dee are another.
struct World {
    ana: Browser,
    ben: Browser,
    cy: Browser,
    anon: Browser,
    ana_api: common::Api,
    ben_api: common::Api,
    cy_api: common::Api,
    anon_api: common::Api,
    ana_private_id: i64,
    ana_journal_id: i64,
    conversation_id: i64,
    apology_id: i64,
    /// Ben's proposals to the agreement, waiting for Ana: one for each row that answers one.
    ben_proposals: Vec<i64>,
    /// Ben's commitments: one for each row that acts on one.
    ben_commitments: Vec<i64>,
    /// A calendar address Ben made and turned off.
    revoked_calendar: String,
    today: String,
    used_invitation: String,
    /// Growing together: Ana's goal and its step.
    goal_id: i64,
    step_id: i64,
    /// Letting go: Ana's private incidents to share (page, API), shared ones
    /// to say ready to (page, API), shared ones Ana is ready for (page,
    /// API), and ones laid to rest (page, API).
    incidents: Vec<i64>,
}

async fn world(app: &TestApp) -> World {
    let ana = app.founder("ana", "hurt").await;
    let used_invitation = ana.invite().await;
    let ben = app.browser();
    ben.signup("ben").await;
    ben.pass_safety().await;
    ben.join(&used_invitation).await;
    let (cy, dee) = app.couple("cyd", "dee").await;
    drop(dee);

    let r = ana
        .check_in(&[
            ("act", ANA_PRIVATE),
            ("note", ANA_PRIVATE_NOTE),
            ("visibility", "private"),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = ben
        .check_in(&[("act", BEN_SHARED), ("visibility", "shared")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = cy
        .check_in(&[("act", STRANGER_SHARED), ("visibility", "shared")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let ana_api = ana.api_as("ana").await;
    let (_, list) = ana_api.json("/api/v1/checkins").await;
    let ana_private_id = list["mine"]
        .as_array()
        .expect("a list of check-ins")
        .iter()
        .find(|c| c["act"] == ANA_PRIVATE)
        .expect("Ana sees her own private check-in")["id"]
        .as_i64()
        .unwrap();
    let today = list["mine"][0]["day"].as_str().unwrap().to_owned();

    let r = ana_api
        .post(
            "/api/v1/journal",
            json!({"feelings": ["grieving"], "intensity": 7, "text": ANA_JOURNAL}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let ana_journal_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let r = ana
        .post("/reflection/distance", &[("text", ANA_DRAFT)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = ana
        .post("/reflection/needs/share", &[("text", ANA_SHARED_ANSWER)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let r = ana.post("/talk", &[("topic", COUPLE_TOPIC)]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let conversation_id: i64 = r.headers()["location"].to_str().unwrap()["/talk/".len()..]
        .parse()
        .unwrap();
    let talk = format!("/talk/{conversation_id}");
    assert_eq!(
        ben.post(&format!("{talk}/accept"), &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let r = ana
        .post(
            &format!("{talk}/turns"),
            &[
                ("kind", "speak"),
                ("text", "I need us to talk."),
                ("after", "0"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let apology = format!("I lied to you about {BEN_APOLOGY}. I am sorry.");
    let r = ben
        .post("/statements/apology/send", &[("text", &apology)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = ben
        .post("/statements/apology", &[("text", BEN_DRAFT)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, statements) = ben.api_as("ben").await.json("/api/v1/statements").await;
    let apology_id = statements
        .as_array()
        .and_then(|all| all.iter().find(|s| s["kind"] == "apology"))
        .and_then(|s| s["mine"][0]["id"].as_i64())
        .unwrap_or_else(|| panic!("Ben's apology is listed: {statements}"));
    let r = ana
        .post(
            "/messages",
            &[("text", &format!("Thank you for {ANA_MESSAGE} tonight."))],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // The agreement: one boundary both chose, and Ben's proposals waiting for Ana.
    let r = ana_api
        .post(
            "/api/v1/agreement/proposals",
            json!({"kind": "add", "text": format!("We keep the {AGREED_BOUNDARY} between us.")}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let agreed = r.json::<Value>().await.unwrap()["proposal"]["id"]
        .as_i64()
        .unwrap();
    let ben_agreement = ben.api_as("ben").await;
    let r = ben_agreement
        .post(
            &format!("/api/v1/agreement/proposals/{agreed}/consent"),
            json!({}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let mut ben_proposals = Vec::new();
    for i in 0..8 {
        let text = match i {
            0 => format!("We light the {BEN_PROPOSAL} candle on Fridays."),
            i => format!("We take a walk together on day {i}."),
        };
        let r = ben_agreement
            .post(
                "/api/v1/agreement/proposals",
                json!({"kind": "add", "text": text}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        ben_proposals.push(
            r.json::<Value>().await.unwrap()["proposal"]["id"]
                .as_i64()
                .unwrap(),
        );
    }
    let r = ben
        .post(
            "/transparency",
            &[
                ("category", "whereabouts"),
                ("occurred_at", "2026-11-20T19:05"),
                ("text", &format!("At the {BEN_DISCLOSURE} until nine.")),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // Ben's commitments; the first and the last are marked kept today.
    let ben_commit = ben.api_as("ben").await;
    let mut ben_commitments = Vec::new();
    for i in 0..8 {
        let text = match i {
            0 => format!("I keep the {BEN_COMMITMENT} each evening."),
            i => format!("I make breakfast on day {i}."),
        };
        let r = ben_commit
            .post(
                "/api/v1/commitments",
                json!({"text": text, "repeat": "daily"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        ben_commitments.push(
            r.json::<Value>().await.unwrap()["commitment"]["commitment"]["id"]
                .as_i64()
                .unwrap(),
        );
    }
    for id in [ben_commitments[0], ben_commitments[7]] {
        let r = ben_commit
            .post(
                &format!("/api/v1/commitments/{id}/occasions/{today}/mark"),
                json!({"mark": "kept"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let r = ben_commit
        .post("/api/v1/commitments/calendar", json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let url = r.json::<Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let revoked_calendar = url[url.find("/calendar/").unwrap()..].to_owned();
    let r = ben_commit
        .http
        .delete(format!("{}/api/v1/commitments/calendar", ben_commit.base))
        .bearer_auth(ben_commit.token.as_ref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    // Growing together: a goal with a step, a ritual, an appreciation, a moment.
    let r = ana_api
        .post(
            "/api/v1/goals",
            json!({"title": format!("We walk the {COUPLE_GOAL} each week")}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let goal_id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = ana_api
        .post(
            &format!("/api/v1/goals/{goal_id}/steps"),
            json!({"text": "Find our shoes"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let step_id = r.json::<Value>().await.unwrap()["steps"][0]["id"]
        .as_i64()
        .unwrap();
    let ben_growing = ben.api_as("ben").await;
    let r = ben_growing
        .post(
            "/api/v1/rituals",
            json!({"name": format!("The {COUPLE_RITUAL}"), "repeats": "daily", "time": "21:00"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = ben_growing
        .post(
            "/api/v1/appreciations",
            json!({"text": format!("Thank you for the {BEN_APPRECIATION} tonight.")}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = ana_api
        .post(
            "/api/v1/moments",
            json!({"day": "2026-05-09", "text": format!("The {GOOD_MOMENT} picnic")}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // Letting go: Ana's private incident, and shared ones in each state the rows need.
    let incident = |name: String, share: bool| {
        let api = &ana_api;
        async move {
            let r = api
                .post("/api/v1/incidents", json!({"name": name, "share": share}))
                .await;
            assert_eq!(r.status(), StatusCode::CREATED);
            r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
        }
    };
    incident(format!("The {ANA_PRIVATE_INCIDENT} evening"), false).await;
    let mut incidents = Vec::new();
    for i in 0..8 {
        let name = match i {
            0 | 1 => format!("Something to share, {i}"),
            2 => format!("The {SHARED_INCIDENT} night"),
            n => format!("Shared thing {n}"),
        };
        let id = incident(name, i >= 2).await;
        if i >= 4 {
            let r = ana_api
                .post(&format!("/api/v1/incidents/{id}/ready"), json!({}))
                .await;
            assert_eq!(r.status(), StatusCode::OK);
        }
        if i >= 6 {
            let r = ben_growing
                .post(&format!("/api/v1/incidents/{id}/ready"), json!({}))
                .await;
            assert_eq!(r.json::<Value>().await.unwrap()["status"], "laid_to_rest");
        }
        incidents.push(id);
    }

    let anon = app.browser();
    anon.page("/login").await;
    World {
        goal_id,
        step_id,
        incidents,
        ben_api: ben.api_as("ben").await,
        cy_api: cy.api_as("cyd").await,
        anon_api: app.api(),
        ana,
        ben,
        cy,
        anon,
        ana_api,
        ana_private_id,
        ana_journal_id,
        conversation_id,
        apology_id,
        ben_proposals,
        ben_commitments,
        revoked_calendar,
        today,
        used_invitation,
    }
}

#[rustfmt::skip]
fn rows(w: &World) -> Vec<Row> {
    use Body::{Form, Json};
    let get = |route: &'static str, path: String, expect: [Expect; 4]| Row {
        method: Method::GET,
        route,
        path,
        body: Body::None,
        expect,
    };
    let post = |route: &'static str, path: String, body: Body, expect: [Expect; 4]| Row {
        method: Method::POST,
        route,
        path,
        body,
        expect,
    };
    let put = |route: &'static str, path: String, body: Body, expect: [Expect; 4]| Row {
        method: Method::PUT,
        route,
        path,
        body,
        expect,
    };
    let delete = |route: &'static str, path: String, expect: [Expect; 4]| Row {
        method: Method::DELETE,
        route,
        path,
        body: Body::None,
        expect,
    };
    let journal_json = || Json(json!({"feelings": ["calm"], "intensity": 2, "text": ANA_JOURNAL}));
    let jid = w.ana_journal_id;
    let talk = format!("/talk/{}", w.conversation_id);
    let conv = format!("/api/v1/conversations/{}", w.conversation_id);
    let checkin_form = || {
        Form(vec![
            ("trust", "4".into()),
            ("safety", "5".into()),
            ("connection", "6".into()),
            ("act_kind", "honesty".into()),
            ("act", "a second thought".into()),
            ("visibility", "private".into()),
        ])
    };
    let checkin_json = || {
        Json(json!({
            "trust": 4, "safety": 5, "connection": 6,
            "act_kind": "honesty", "act": "a second thought", "visibility": "private"
        }))
    };
    let safety_answers: Vec<(&'static str, String)> = common::safe_answers()
        .into_iter()
        .map(|(k, v)| (k, v.to_owned()))
        .collect();
    let safety_json: serde_json::Map<String, Value> = common::safe_answers()
        .into_iter()
        .map(|(k, v)| (k.to_owned(), Value::from(v)))
        .collect();
    let to_login = 303;
    let id = w.ana_private_id;
    let day = &w.today;
    let token = w.used_invitation.trim_start_matches("/join/").to_owned();
    let bc = &w.ben_commitments;

    vec![
        // Public pages and files.
        get("/", "/".into(), [shows(200, &["Trust is a daily choice"]), st(200), st(200), shows(200, &["Begin"])]),
        get("/health", "/health".into(), [st(200); 4]),
        get("/signup", "/signup".into(), [st(200); 4]),
        get("/login", "/login".into(), [st(303), st(303), st(303), st(200)]),
        get("/assets/kintsugi.css", "/assets/kintsugi.css".into(), [st(200); 4]),
        get("/assets/kintsugi.js", "/assets/kintsugi.js".into(), [st(200); 4]),
        get("/assets/coach.js", "/assets/coach.js".into(), [st(200); 4]),
        get("/assets/talk.js", "/assets/talk.js".into(), [st(200); 4]),
        get("/assets/transparency.js", "/assets/transparency.js".into(), [st(200); 4]),
        get("/assets/favicon.svg", "/assets/favicon.svg".into(), [st(200); 4]),
        get("/safety/help", "/safety/help".into(), [st(200); 4]),
        get("/api/v1/openapi.json", "/api/v1/openapi.json".into(), [st(200); 4]),
        // The safety check is each person's own.
        get("/safety", "/safety?retake=1".into(), [st(200), st(200), st(200), st(to_login)]),
        post("/safety", "/safety".into(), Form(safety_answers), [st(303), st(303), st(303), st(to_login)]),
        get("/api/v1/safety-check", "/api/v1/safety-check".into(), [st(200), st(200), st(200), st(401)]),
        post("/api/v1/safety-check", "/api/v1/safety-check".into(), Json(json!({ "answers": safety_json })), [st(201), st(201), st(201), st(401)]),
        // The couple.
        get("/couple", "/couple".into(), [shows(200, &["ben"]), shows(200, &["ana"]), shows(200, &["dee"]), st(to_login)]),
        post("/couple", "/couple".into(), Form(vec![("role", "hurt".into())]), [st(409), st(409), st(409), st(to_login)]),
        post("/couple/invitations", "/couple/invitations".into(), Form(vec![]), [st(409), st(409), st(409), st(to_login)]),
        get("/join/{token}", w.used_invitation.clone(), [st(200), st(200), st(200), st(200)]),
        post("/join/{token}", w.used_invitation.clone(), Form(vec![]), [st(409), st(409), st(409), st(to_login)]),
        get("/api/v1/couple", "/api/v1/couple".into(), [shows(200, &["ben"]), shows(200, &["ana"]), shows(200, &["dee"]), st(401)]),
        post("/api/v1/couple", "/api/v1/couple".into(), Json(json!({"role": "hurt"})), [st(409), st(409), st(409), st(401)]),
        post("/api/v1/couple/invitations", "/api/v1/couple/invitations".into(), Json(json!({})), [st(409), st(409), st(409), st(401)]),
        post("/api/v1/invitations/{token}/accept", format!("/api/v1/invitations/{token}/accept"), Json(json!({})), [st(409), st(409), st(409), st(401)]),
        // Check-ins: the author's private one reaches nobody else.
        get("/checkin", "/checkin".into(), [shows(200, &[ANA_PRIVATE, BEN_SHARED]), shows(200, &[BEN_SHARED]), shows(200, &[STRANGER_SHARED]), st(to_login)]),
        get("/checkin/history/{day}", format!("/checkin/history/{day}"), [shows(200, &[ANA_PRIVATE, ANA_PRIVATE_NOTE]), shows(200, &[BEN_SHARED]), shows(200, &[STRANGER_SHARED]), st(to_login)]),
        get("/api/v1/checkins", "/api/v1/checkins".into(), [shows(200, &[ANA_PRIVATE, ANA_PRIVATE_NOTE, BEN_SHARED]), shows(200, &[BEN_SHARED]), shows(200, &[STRANGER_SHARED]), st(401)]),
        get("/api/v1/checkins/{id}", format!("/api/v1/checkins/{id}"), [shows(200, &[ANA_PRIVATE, ANA_PRIVATE_NOTE]), st(404), st(404), st(401)]),
        post("/checkin", "/checkin".into(), checkin_form(), [st(303), st(303), st(303), st(to_login)]),
        post("/api/v1/checkins", "/api/v1/checkins".into(), checkin_json(), [st(201), st(201), st(201), st(401)]),
        // The journal is its author's alone.
        get("/journal", "/journal".into(), [shows(200, &[ANA_JOURNAL]), st(200), st(200), st(to_login)]),
        get("/journal/{id}", format!("/journal/{jid}"), [shows(200, &[ANA_JOURNAL]), st(404), st(404), st(to_login)]),
        get("/api/v1/journal", "/api/v1/journal".into(), [shows(200, &[ANA_JOURNAL]), st(200), st(200), st(401)]),
        get("/api/v1/journal/{id}", format!("/api/v1/journal/{jid}"), [shows(200, &[ANA_JOURNAL]), st(404), st(404), st(401)]),
        get("/api/v1/journal/feelings", "/api/v1/journal/feelings".into(), [shows(200, &["grieving"]), st(200), st(200), st(401)]),
        post("/journal", "/journal".into(), Form(vec![("feelings", "calm".into()), ("intensity", "2".into())]), [st(303), st(303), st(303), st(to_login)]),
        post("/journal/{id}", format!("/journal/{jid}"), Form(vec![("feelings", "calm".into()), ("intensity", "2".into()), ("text", ANA_JOURNAL.into())]), [st(303), st(404), st(404), st(to_login)]),
        post("/journal/{id}/delete", format!("/journal/{jid}/delete"), Form(vec![]), [st(422), st(404), st(404), st(to_login)]),
        post("/api/v1/journal", "/api/v1/journal".into(), Json(json!({"feelings": ["calm"], "intensity": 2})), [st(201), st(201), st(201), st(401)]),
        put("/api/v1/journal/{id}", format!("/api/v1/journal/{jid}"), journal_json(), [shows(200, &[ANA_JOURNAL]), st(404), st(404), st(401)]),
        delete("/api/v1/journal/{id}", format!("/api/v1/journal/{jid}"), [st(204), st(404), st(404), st(401)]),
        // The reflection: drafts are the author's, shares the couple's.
        get("/reflection", "/reflection".into(), [shows(200, &[ANA_DRAFT, ANA_SHARED_ANSWER]), shows(200, &[ANA_SHARED_ANSWER]), st(200), st(to_login)]),
        get("/api/v1/reflection", "/api/v1/reflection".into(), [shows(200, &[ANA_DRAFT, ANA_SHARED_ANSWER]), shows(200, &[ANA_SHARED_ANSWER]), st(200), st(401)]),
        post("/reflection/{prompt}", "/reflection/before".into(), Form(vec![("text", "a draft".into())]), [st(303), st(303), st(303), st(to_login)]),
        post("/reflection/{prompt}/share", "/reflection/before/share".into(), Form(vec![("text", "a share".into())]), [st(303), st(303), st(303), st(to_login)]),
        put("/api/v1/reflection/{prompt}", "/api/v1/reflection/ahead".into(), Json(json!({"text": "a draft"})), [st(204), st(204), st(204), st(401)]),
        post("/api/v1/reflection/{prompt}/share", "/api/v1/reflection/ahead/share".into(), Json(json!({"text": "a share"})), [st(201), st(201), st(201), st(401)]),
        // Conversations belong to the couple. Rows run for everyone else
        // before the author, so the order of turns below is the floor's.
        get("/talk", "/talk".into(), [shows(200, &[COUPLE_TOPIC]), shows(200, &[COUPLE_TOPIC]), st(200), st(to_login)]),
        get("/talk/{id}", talk.clone(), [shows(200, &[COUPLE_TOPIC]), shows(200, &[COUPLE_TOPIC]), st(404), st(to_login)]),
        get("/talk/{id}/events", format!("{talk}/events"), [st(200), st(200), st(404), st(to_login)]),
        get("/api/v1/conversations", "/api/v1/conversations".into(), [shows(200, &[COUPLE_TOPIC]), shows(200, &[COUPLE_TOPIC]), st(200), st(401)]),
        get("/api/v1/conversations/{id}", conv.clone(), [shows(200, &[COUPLE_TOPIC]), shows(200, &[COUPLE_TOPIC]), st(404), st(401)]),
        post("/talk", "/talk".into(), Form(vec![("topic", "another day".into())]), [st(303), st(303), st(303), st(to_login)]),
        post("/api/v1/conversations", "/api/v1/conversations".into(), Json(json!({"topic": "another day"})), [st(201), st(201), st(201), st(401)]),
        post("/talk/{id}/accept", format!("{talk}/accept"), Form(vec![]), [st(409), st(409), st(404), st(to_login)]),
        post("/talk/{id}/decline", format!("{talk}/decline"), Form(vec![]), [st(409), st(409), st(404), st(to_login)]),
        post("/api/v1/conversations/{id}/accept", format!("{conv}/accept"), Json(json!({})), [st(409), st(409), st(404), st(401)]),
        post("/api/v1/conversations/{id}/decline", format!("{conv}/decline"), Json(json!({})), [st(409), st(409), st(404), st(401)]),
        post("/talk/{id}/turns", format!("{talk}/turns"), Form(vec![("kind", "reflect".into()), ("text", "What I heard is...".into()), ("after", "1".into())]), [st(409), st(303), st(404), st(to_login)]),
        post("/api/v1/conversations/{id}/turns", format!("{conv}/turns"), Json(json!({"kind": "confirm", "after": 2})), [st(201), st(409), st(404), st(401)]),
        post("/talk/{id}/pause", format!("{talk}/pause"), Form(vec![("minutes", "20".into())]), [st(303), st(303), st(404), st(to_login)]),
        post("/api/v1/conversations/{id}/pause", format!("{conv}/pause"), Json(json!({"minutes": 30})), [st(200), st(200), st(404), st(401)]),
        post("/talk/{id}/end", format!("{talk}/end"), Form(vec![("closing_note", "Enough for today.".into())]), [st(409), st(303), st(404), st(to_login)]),
        post("/api/v1/conversations/{id}/end", format!("{conv}/end"), Json(json!({})), [st(409), st(409), st(404), st(401)]),
        // Statements: the repairing partner's draft is theirs alone; what
        // they send is the couple's, and only the other partner answers it.
        get("/statements/{kind}", "/statements/apology".into(), [shows(200, &[BEN_APOLOGY]), shows(200, &[BEN_APOLOGY, BEN_DRAFT]), st(200), st(to_login)]),
        get("/api/v1/statements", "/api/v1/statements".into(), [shows(200, &[BEN_APOLOGY]), shows(200, &[BEN_APOLOGY, BEN_DRAFT]), st(200), st(401)]),
        post("/statements/{kind}", "/statements/responsibility".into(), Form(vec![("text", "a draft".into())]), [st(403), st(303), st(403), st(to_login)]),
        put("/api/v1/statements/{kind}", "/api/v1/statements/responsibility".into(), Json(json!({"text": "a draft"})), [st(403), st(204), st(403), st(401)]),
        post("/statements/{kind}/send", "/statements/responsibility/send".into(), Form(vec![("text", "I broke my promise to you.".into())]), [st(403), st(303), st(403), st(to_login)]),
        post("/api/v1/statements/{kind}/send", "/api/v1/statements/responsibility/send".into(), Json(json!({"text": "I broke my promise to you."})), [st(403), st(201), st(403), st(401)]),
        post("/statements/answers/{id}", format!("/statements/answers/{}", w.apology_id), Form(vec![("verdict", "helped".into())]), [st(303), st(404), st(404), st(to_login)]),
        post("/api/v1/statements/answers/{id}", format!("/api/v1/statements/answers/{}", w.apology_id), Json(json!({"verdict": "not_yet"})), [st(201), st(404), st(404), st(401)]),
        // Messages are the couple's; the coaching tally is each author's.
        get("/messages", "/messages".into(), [shows(200, &[ANA_MESSAGE]), shows(200, &[ANA_MESSAGE]), st(200), st(to_login)]),
        get("/api/v1/messages", "/api/v1/messages".into(), [shows(200, &[ANA_MESSAGE]), shows(200, &[ANA_MESSAGE]), st(200), st(401)]),
        post("/messages", "/messages".into(), Form(vec![("text", "See you at six.".into())]), [st(303), st(303), st(303), st(to_login)]),
        post("/api/v1/messages", "/api/v1/messages".into(), Json(json!({"text": "See you at six."})), [st(201), st(201), st(201), st(401)]),
        // The agreement is the couple's: both see every version and proposal;
        // only the other partner answers a proposal, only its maker withdraws
        // it. Each answering row has a proposal of Ben's of its own.
        get("/agreement", "/agreement".into(), [shows(200, &[AGREED_BOUNDARY, BEN_PROPOSAL]), shows(200, &[AGREED_BOUNDARY, BEN_PROPOSAL]), st(200), st(to_login)]),
        get("/agreement/versions/{n}", "/agreement/versions/1".into(), [shows(200, &[AGREED_BOUNDARY]), shows(200, &[AGREED_BOUNDARY]), st(404), st(to_login)]),
        get("/agreement/diff", "/agreement/diff?from=0&to=1".into(), [shows(200, &[AGREED_BOUNDARY]), shows(200, &[AGREED_BOUNDARY]), st(404), st(to_login)]),
        get("/agreement/print", "/agreement/print".into(), [shows(200, &[AGREED_BOUNDARY, "ana", "ben"]), shows(200, &[AGREED_BOUNDARY]), st(200), st(to_login)]),
        get("/api/v1/agreement", "/api/v1/agreement".into(), [shows(200, &[AGREED_BOUNDARY, BEN_PROPOSAL]), shows(200, &[AGREED_BOUNDARY, BEN_PROPOSAL]), st(200), st(401)]),
        get("/api/v1/agreement/versions", "/api/v1/agreement/versions".into(), [shows(200, &[AGREED_BOUNDARY]), shows(200, &[AGREED_BOUNDARY]), st(200), st(401)]),
        get("/api/v1/agreement/versions/{n}", "/api/v1/agreement/versions/1".into(), [shows(200, &[AGREED_BOUNDARY]), shows(200, &[AGREED_BOUNDARY]), st(404), st(401)]),
        get("/api/v1/agreement/diff", "/api/v1/agreement/diff?from=0&to=1".into(), [shows(200, &[AGREED_BOUNDARY]), shows(200, &[AGREED_BOUNDARY]), st(404), st(401)]),
        get("/api/v1/agreement/proposals", "/api/v1/agreement/proposals".into(), [shows(200, &[AGREED_BOUNDARY, BEN_PROPOSAL]), shows(200, &[BEN_PROPOSAL]), st(200), st(401)]),
        post("/agreement/proposals", "/agreement/proposals".into(), Form(vec![("kind", "add".into()), ("text", "A quiet hour each evening.".into())]), [st(303), st(303), st(303), st(to_login)]),
        post("/api/v1/agreement/proposals", "/api/v1/agreement/proposals".into(), Json(json!({"kind": "add", "text": "A slow breakfast on Sundays."})), [st(201), st(201), st(201), st(401)]),
        post("/agreement/proposals/{id}/decline", format!("/agreement/proposals/{}/decline", w.ben_proposals[0]), Form(vec![("reason", "Not this one, not yet.".into())]), [st(303), st(403), st(404), st(to_login)]),
        post("/agreement/proposals/{id}/consent", format!("/agreement/proposals/{}/consent", w.ben_proposals[1]), Form(vec![]), [st(303), st(403), st(404), st(to_login)]),
        post("/agreement/proposals/{id}/counter", format!("/agreement/proposals/{}/counter", w.ben_proposals[2]), Form(vec![("text", "We take a long walk together at the weekend.".into())]), [st(303), st(403), st(404), st(to_login)]),
        post("/agreement/proposals/{id}/withdraw", format!("/agreement/proposals/{}/withdraw", w.ben_proposals[3]), Form(vec![]), [st(403), st(303), st(404), st(to_login)]),
        post("/api/v1/agreement/proposals/{id}/decline", format!("/api/v1/agreement/proposals/{}/decline", w.ben_proposals[4]), Json(json!({"reason": "Let us talk about it first."})), [st(200), st(403), st(404), st(401)]),
        post("/api/v1/agreement/proposals/{id}/consent", format!("/api/v1/agreement/proposals/{}/consent", w.ben_proposals[5]), Json(json!({})), [st(201), st(403), st(404), st(401)]),
        post("/api/v1/agreement/proposals/{id}/counter", format!("/api/v1/agreement/proposals/{}/counter", w.ben_proposals[6]), Json(json!({"text": "We take a walk together at dusk."})), [st(201), st(403), st(404), st(401)]),
        post("/api/v1/agreement/proposals/{id}/withdraw", format!("/api/v1/agreement/proposals/{}/withdraw", w.ben_proposals[7]), Json(json!({})), [st(403), st(200), st(404), st(401)]),
        // The timeline gathers only what both may see; a stranger sees their own couple's.
        get("/timeline", "/timeline".into(), [shows(200, &[COUPLE_TOPIC]), shows(200, &[COUPLE_TOPIC]), st(200), st(to_login)]),
        get("/api/v1/timeline", "/api/v1/timeline".into(), [shows(200, &[COUPLE_TOPIC]), shows(200, &[COUPLE_TOPIC]), st(200), st(401)]),
        // The transparency log is the couple's; the repairing partner writes it.
        get("/transparency", "/transparency".into(), [shows(200, &[BEN_DISCLOSURE]), shows(200, &[BEN_DISCLOSURE, "Make something known"]), st(200), st(to_login)]),
        get("/api/v1/transparency", "/api/v1/transparency".into(), [shows(200, &[BEN_DISCLOSURE]), shows(200, &[BEN_DISCLOSURE]), st(200), st(401)]),
        get("/api/v1/transparency/bundle", "/api/v1/transparency/bundle".into(), [shows(200, &[BEN_DISCLOSURE]), shows(200, &[BEN_DISCLOSURE]), st(200), st(401)]),
        get("/api/v1/transparency/checkpoint", "/api/v1/transparency/checkpoint".into(), [st(200), st(200), st(200), st(401)]),
        get("/api/v1/transparency/checkpoints/{size}", "/api/v1/transparency/checkpoints/1".into(), [st(200), st(200), st(404), st(401)]),
        get("/api/v1/transparency/proofs/inclusion", "/api/v1/transparency/proofs/inclusion?index=0&size=1".into(), [st(200), st(200), st(400), st(401)]),
        get("/api/v1/transparency/proofs/consistency", "/api/v1/transparency/proofs/consistency?from=1&to=1".into(), [st(200), st(200), st(400), st(401)]),
        post("/transparency", "/transparency".into(), Form(vec![("category", "routine".into()), ("occurred_at", "2026-11-21T08:00".into()), ("text", "An early start.".into())]), [st(403), st(303), st(403), st(to_login)]),
        post("/api/v1/transparency", "/api/v1/transparency".into(), Json(json!({"category": "routine", "occurred_at": "2026-11-21T08:00", "text": "An early start."})), [st(403), st(201), st(403), st(401)]),
        // Commitments are the couple's: both see them; Ben (repairing) makes
        // and marks his, Ana witnesses them. Each acting row has its own.
        get("/commitments", "/commitments".into(), [shows(200, &[BEN_COMMITMENT]), shows(200, &[BEN_COMMITMENT, "Waiting for your word"]), st(200), st(to_login)]),
        get("/commitments/{id}", format!("/commitments/{}", bc[0]), [shows(200, &[BEN_COMMITMENT, "Say what you saw"]), shows(200, &[BEN_COMMITMENT]), st(404), st(to_login)]),
        get("/api/v1/commitments", "/api/v1/commitments".into(), [shows(200, &[BEN_COMMITMENT]), shows(200, &[BEN_COMMITMENT]), st(200), st(401)]),
        get("/api/v1/commitments/{id}", format!("/api/v1/commitments/{}", bc[0]), [shows(200, &[BEN_COMMITMENT]), shows(200, &[BEN_COMMITMENT]), st(404), st(401)]),
        get("/api/v1/commitments/consistency", "/api/v1/commitments/consistency".into(), [shows(200, &["reliability"]), shows(200, &["reliability"]), st(200), st(401)]),
        post("/commitments", "/commitments".into(), Form(vec![("text", "A calm evening walk.".into()), ("repeat", "daily".into())]), [st(403), st(303), st(403), st(to_login)]),
        post("/api/v1/commitments", "/api/v1/commitments".into(), Json(json!({"text": "A calm morning walk.", "repeat": "daily"})), [st(403), st(201), st(403), st(401)]),
        post("/commitments/{id}/change", format!("/commitments/{}/change", bc[1]), Form(vec![("text", "Breakfast at eight.".into()), ("repeat", "daily".into())]), [st(403), st(303), st(404), st(to_login)]),
        post("/commitments/{id}/end", format!("/commitments/{}/end", bc[2]), Form(vec![("note", "We found a better way.".into())]), [st(403), st(303), st(404), st(to_login)]),
        post("/commitments/{id}/occasions/{day}/mark", format!("/commitments/{}/occasions/{day}/mark", bc[3]), Form(vec![("mark", "kept".into())]), [st(403), st(303), st(404), st(to_login)]),
        post("/commitments/{id}/occasions/{day}/witness", format!("/commitments/{}/occasions/{day}/witness", bc[0]), Form(vec![("seen", "witnessed".into())]), [st(303), st(403), st(404), st(to_login)]),
        post("/api/v1/commitments/{id}/change", format!("/api/v1/commitments/{}/change", bc[4]), Json(json!({"text": "Breakfast at nine.", "repeat": "daily"})), [st(403), st(201), st(404), st(401)]),
        post("/api/v1/commitments/{id}/end", format!("/api/v1/commitments/{}/end", bc[5]), Json(json!({})), [st(403), st(200), st(404), st(401)]),
        post("/api/v1/commitments/{id}/occasions/{day}/mark", format!("/api/v1/commitments/{}/occasions/{day}/mark", bc[6]), Json(json!({"mark": "missed"})), [st(403), st(201), st(404), st(401)]),
        post("/api/v1/commitments/{id}/occasions/{day}/witness", format!("/api/v1/commitments/{}/occasions/{day}/witness", bc[7]), Json(json!({"seen": "witnessed"})), [st(201), st(403), st(404), st(401)]),
        // The calendar address is each person's own; a turned-off one opens nothing, for anyone.
        post("/commitments/calendar", "/commitments/calendar".into(), Form(vec![]), [shows(200, &["Your calendar address"]), shows(200, &["Your calendar address"]), shows(200, &["Your calendar address"]), st(to_login)]),
        post("/commitments/calendar/revoke", "/commitments/calendar/revoke".into(), Form(vec![]), [st(303), st(303), st(303), st(to_login)]),
        post("/api/v1/commitments/calendar", "/api/v1/commitments/calendar".into(), Json(json!({})), [st(201), st(201), st(201), st(401)]),
        delete("/api/v1/commitments/calendar", "/api/v1/commitments/calendar".into(), [st(204), st(204), st(204), st(401)]),
        get("/calendar/{token}", w.revoked_calendar.clone(), [st(404); 4]),
        // Growing together is the couple's: both see it all, and either adds
        // to it; another couple's goal or step is not found.
        get("/together", "/together".into(), [shows(200, &[COUPLE_GOAL, COUPLE_RITUAL, BEN_APPRECIATION, GOOD_MOMENT]), shows(200, &[COUPLE_GOAL, COUPLE_RITUAL, BEN_APPRECIATION, GOOD_MOMENT]), st(200), st(to_login)]),
        get("/api/v1/together", "/api/v1/together".into(), [shows(200, &[COUPLE_GOAL, COUPLE_RITUAL, BEN_APPRECIATION, GOOD_MOMENT]), shows(200, &[COUPLE_GOAL, COUPLE_RITUAL, BEN_APPRECIATION, GOOD_MOMENT]), st(200), st(401)]),
        post("/together/goals", "/together/goals".into(), Form(vec![("title", "Another goal".into())]), [st(303), st(303), st(303), st(to_login)]),
        post("/api/v1/goals", "/api/v1/goals".into(), Json(json!({"title": "Another goal"})), [st(201), st(201), st(201), st(401)]),
        post("/together/goals/{id}/steps", format!("/together/goals/{}/steps", w.goal_id), Form(vec![("text", "Another step".into())]), [st(303), st(303), st(404), st(to_login)]),
        post("/api/v1/goals/{id}/steps", format!("/api/v1/goals/{}/steps", w.goal_id), Json(json!({"text": "Another step"})), [shows(201, &[COUPLE_GOAL]), shows(201, &[COUPLE_GOAL]), st(404), st(401)]),
        post("/together/steps/{id}/tick", format!("/together/steps/{}/tick", w.step_id), Form(vec![("done", "yes".into())]), [st(303), st(303), st(404), st(to_login)]),
        post("/api/v1/steps/{id}/tick", format!("/api/v1/steps/{}/tick", w.step_id), Json(json!({"done": false})), [st(200), st(200), st(404), st(401)]),
        post("/together/rituals", "/together/rituals".into(), Form(vec![("name", "A slow coffee".into()), ("repeats", "weekly".into()), ("weekday", "sa".into()), ("time", "09:00".into())]), [st(303), st(303), st(303), st(to_login)]),
        post("/api/v1/rituals", "/api/v1/rituals".into(), Json(json!({"name": "A slow coffee", "repeats": "days", "days": ["sa", "su"], "time": "09:00"})), [st(201), st(201), st(201), st(401)]),
        post("/together/appreciations", "/together/appreciations".into(), Form(vec![("text", "Thank you for listening.".into())]), [st(303), st(303), st(303), st(to_login)]),
        post("/api/v1/appreciations", "/api/v1/appreciations".into(), Json(json!({"text": "Thank you for listening."})), [st(201), st(201), st(201), st(401)]),
        post("/together/moments", "/together/moments".into(), Form(vec![("day", "2026-05-10".into()), ("text", "A quiet Sunday".into())]), [st(303), st(303), st(303), st(to_login)]),
        post("/api/v1/moments", "/api/v1/moments".into(), Json(json!({"day": "2026-05-10", "text": "A quiet Sunday"})), [st(201), st(201), st(201), st(401)]),
        // Letting go: an incident is its author's until shared; readiness is
        // each partner's own; another couple's incident is not found.
        get("/past", "/past".into(), [shows(200, &[ANA_PRIVATE_INCIDENT, SHARED_INCIDENT]), shows(200, &[SHARED_INCIDENT]), st(200), st(to_login)]),
        get("/api/v1/incidents", "/api/v1/incidents".into(), [shows(200, &[ANA_PRIVATE_INCIDENT, SHARED_INCIDENT]), shows(200, &[SHARED_INCIDENT]), st(200), st(401)]),
        post("/past/incidents", "/past/incidents".into(), Form(vec![("name", "Another evening".into())]), [st(303), st(303), st(303), st(to_login)]),
        post("/api/v1/incidents", "/api/v1/incidents".into(), Json(json!({"name": "Another evening"})), [st(201), st(201), st(201), st(401)]),
        post("/past/incidents/{id}/share", format!("/past/incidents/{}/share", w.incidents[0]), Form(vec![]), [st(303), st(404), st(404), st(to_login)]),
        post("/api/v1/incidents/{id}/share", format!("/api/v1/incidents/{}/share", w.incidents[1]), Json(json!({})), [st(200), st(404), st(404), st(401)]),
        post("/past/incidents/{id}/ready", format!("/past/incidents/{}/ready", w.incidents[2]), Form(vec![]), [st(303), st(303), st(404), st(to_login)]),
        post("/api/v1/incidents/{id}/ready", format!("/api/v1/incidents/{}/ready", w.incidents[3]), Json(json!({})), [st(200), st(200), st(404), st(401)]),
        post("/past/incidents/{id}/not-ready", format!("/past/incidents/{}/not-ready", w.incidents[4]), Form(vec![]), [st(303), st(409), st(404), st(to_login)]),
        post("/api/v1/incidents/{id}/not-ready", format!("/api/v1/incidents/{}/not-ready", w.incidents[5]), Json(json!({})), [st(200), st(409), st(404), st(401)]),
        post("/past/incidents/{id}/carry", format!("/past/incidents/{}/carry", w.incidents[6]), Form(vec![("text", "Gentleness.".into())]), [st(303), st(303), st(404), st(to_login)]),
        post("/api/v1/incidents/{id}/carry", format!("/api/v1/incidents/{}/carry", w.incidents[7]), Json(json!({"text": "Gentleness."})), [st(200), st(200), st(404), st(401)]),
        // The coach reads what it is given and keeps nothing.
        get("/coach", "/coach".into(), [st(200), st(200), st(200), st(to_login)]),
        post("/coach", "/coach".into(), Form(vec![("text", "You never listen.".into())]), [shows(200, &["Criticism"]), shows(200, &["Criticism"]), shows(200, &["Criticism"]), st(to_login)]),
        post("/api/v1/coach", "/api/v1/coach".into(), Json(json!({"text": "You never listen."})), [shows(200, &["criticism"]), shows(200, &["criticism"]), shows(200, &["criticism"]), st(401)]),
        // The program and the account.
        get("/api/v1/program", "/api/v1/program".into(), [st(200), st(200), st(200), st(401)]),
        get("/api/v1/me", "/api/v1/me".into(), [shows(200, &["ana"]), shows(200, &["ben"]), shows(200, &["cyd"]), st(401)]),
        // Owning one's data: the export holds what each may see; leaving and
        // deleting ask for the password first (a wrong one here changes nothing).
        get("/account/export", "/account/export".into(), [shows(200, &["Download a copy"]), shows(200, &["Download a copy"]), shows(200, &["Download a copy"]), st(to_login)]),
        get("/account/export/download", "/account/export/download?format=html".into(), [shows(200, &[ANA_PRIVATE, ANA_PRIVATE_NOTE, BEN_APOLOGY]), shows(200, &[BEN_SHARED, ANA_SHARED_ANSWER, BEN_DRAFT]), shows(200, &[STRANGER_SHARED]), st(to_login)]),
        get("/api/v1/export", "/api/v1/export".into(), [shows(200, &[ANA_PRIVATE, ANA_PRIVATE_NOTE, BEN_APOLOGY]), shows(200, &[BEN_SHARED, ANA_SHARED_ANSWER, BEN_DRAFT]), shows(200, &[STRANGER_SHARED]), st(401)]),
        get("/account/delete", "/account/delete".into(), [shows(200, &["What happens"]), shows(200, &["What happens"]), shows(200, &["What happens"]), st(to_login)]),
        post("/account/delete", "/account/delete".into(), Form(vec![("understood", "yes".into()), ("password", "not the password".into())]), [shows(422, &["not your password"]), shows(422, &["not your password"]), shows(422, &["not your password"]), st(to_login)]),
        post("/api/v1/account/delete", "/api/v1/account/delete".into(), Json(json!({"password": "not the password"})), [st(422), st(422), st(422), st(401)]),
        get("/couple/leave", "/couple/leave".into(), [shows(200, &["What happens"]), shows(200, &["What happens"]), shows(200, &["What happens"]), st(to_login)]),
        post("/couple/leave", "/couple/leave".into(), Form(vec![("understood", "yes".into()), ("password", "not the password".into())]), [shows(422, &["not your password"]), shows(422, &["not your password"]), shows(422, &["not your password"]), st(to_login)]),
        post("/api/v1/couple/leave", "/api/v1/couple/leave".into(), Json(json!({"password": "not the password"})), [st(422), st(422), st(422), st(401)]),
        // Last, the routes that change who is logged in.
        post("/login", "/login".into(), Form(vec![("username", "nobody".into()), ("password", "not the password".into())]), [st(403); 4]),
        post("/api/v1/login", "/api/v1/login".into(), Json(json!({"username": "nobody", "password": "not the password"})), [st(403); 4]),
        post("/signup", "/signup".into(), Form(vec![("username", "ana".into()), ("password", "a calm long phrase".into())]), [shows(422, &["taken"]); 4]),
        post("/api/v1/signup", "/api/v1/signup".into(), Json(json!({"username": "ben", "password": "a calm long phrase"})), [shows(422, &["taken"]); 4]),
        post("/api/v1/logout", "/api/v1/logout".into(), Json(json!({})), [st(204), st(204), st(204), st(401)]),
        post("/logout", "/logout".into(), Form(vec![]), [st(303); 4]),
    ]
}

async fn every_route_shows_each_viewer_only_what_is_theirs(app: TestApp) {
    let w = world(&app).await;
    let rows = rows(&w);

    let served: BTreeSet<(String, String)> = kintsugi_web::endpoints()
        .into_iter()
        .map(|e| (e.method.to_string(), e.path))
        .collect();
    let covered: BTreeSet<(String, String)> = rows
        .iter()
        .map(|r| (r.method.to_string(), r.route.to_owned()))
        .collect();
    let missing: Vec<_> = served.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the privacy matrix: {missing:?}"
    );
    let stale: Vec<_> = covered.difference(&served).collect();
    assert!(
        stale.is_empty(),
        "rows for routes that do not exist: {stale:?}"
    );

    let mut failures = Vec::new();
    for row in &rows {
        // Everyone else tries first, so a row that changes or deletes a
        // record shows they could not before its author shows they can.
        for (viewer, expect) in VIEWERS.iter().zip(row.expect).rev() {
            let (status, body) = call(&w, *viewer, row).await;
            let who = format!("{:?} {} {} as {viewer:?}", row.method, row.path, row.route);
            if status.as_u16() != expect.status {
                failures.push(format!(
                    "{who}: status {status}, expected {}",
                    expect.status
                ));
            }
            for word in expect.shows {
                if !body.contains(word) {
                    failures.push(format!("{who}: should show {word:?}"));
                }
            }
            for word in viewer.never_sees() {
                if body.contains(word) {
                    failures.push(format!("{who}: LEAKED {word:?}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "privacy matrix:\n{}",
        failures.join("\n")
    );
}

/// Calls a row as one viewer: pages with the viewer's browser (cookies and
/// the CSRF token a form carries), the API with their bearer token.
async fn call(w: &World, viewer: Viewer, row: &Row) -> (StatusCode, String) {
    let api = row.path.starts_with("/api/");
    let response = if api {
        let client = match viewer {
            Viewer::Author => &w.ana_api,
            Viewer::Partner => &w.ben_api,
            Viewer::Stranger => &w.cy_api,
            Viewer::LoggedOut => &w.anon_api,
        };
        let mut request = client
            .http
            .request(row.method.clone(), format!("{}{}", client.base, row.path));
        if let Some(token) = &client.token {
            request = request.bearer_auth(token);
        }
        match &row.body {
            Body::None => {}
            Body::Json(v) => request = request.json(v),
            Body::Form(_) => unreachable!("API rows send JSON"),
        }
        request.send().await.unwrap()
    } else {
        let browser = match viewer {
            Viewer::Author => &w.ana,
            Viewer::Partner => &w.ben,
            Viewer::Stranger => &w.cy,
            Viewer::LoggedOut => &w.anon,
        };
        match &row.body {
            // An event stream stays open: its status and type are the answer.
            Body::None if row.path.ends_with("/events") => {
                let r = browser.get(&row.path).await;
                let status = r.status();
                if status == StatusCode::OK {
                    assert!(r.headers()["content-type"]
                        .to_str()
                        .unwrap()
                        .starts_with("text/event-stream"));
                }
                return (status, String::new());
            }
            Body::None => return browser.page(&row.path).await,
            Body::Form(fields) => {
                let fields: Vec<(&str, &str)> =
                    fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
                browser.post(&row.path, &fields).await
            }
            Body::Json(_) => unreachable!("page rows send forms"),
        }
    };
    let status = response.status();
    (status, response.text().await.unwrap_or_default())
}
