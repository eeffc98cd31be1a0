//! Stage 7, time to heal: the timeline gathers what both partners share,
//! week by week, with each one's check-ins beside the other's shared ones —
//! and nothing either of them kept private.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    the_road_gathers_what_both_share,
    private_records_stay_off_the_partners_timeline,
    a_timeline_needs_a_couple,
);

fn events(timeline: &Value) -> Vec<Value> {
    timeline["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| w["events"].as_array().unwrap().clone())
        .collect()
}

fn kinds(timeline: &Value) -> Vec<String> {
    events(timeline)
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn the_road_gathers_what_both_share(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (ana_api, ben_api) = (ana.api_as("ana").await, ben.api_as("ben").await);

    // Nothing yet: an empty road, said kindly.
    let (status, empty) = ana_api.json("/api/v1/timeline").await;
    assert_eq!(status, StatusCode::OK);
    assert!(empty["weeks"].as_array().unwrap().is_empty());
    let (_, page) = ana.page("/timeline").await;
    assert!(page.contains("Nothing here yet"));

    // A conversation held and closed.
    let r = ana_api
        .post(
            "/api/v1/conversations",
            json!({"topic": "The weekend away", "ground_rules": ""}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let accept = ben_api
        .post(&format!("/api/v1/conversations/{id}/accept"), json!({}))
        .await;
    assert_eq!(accept.status(), StatusCode::OK);
    let end = ana_api
        .post(
            &format!("/api/v1/conversations/{id}/end"),
            json!({"closing_note": "We listened."}),
        )
        .await;
    assert_eq!(end.status(), StatusCode::OK);

    // A boundary both chose.
    let r = ana_api
        .post(
            "/api/v1/agreement/proposals",
            json!({"kind": "add", "text": "We tell each other when plans change."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let proposal = r.json::<Value>().await.unwrap()["proposal"]["id"]
        .as_i64()
        .unwrap();
    let consent = ben_api
        .post(
            &format!("/api/v1/agreement/proposals/{proposal}/consent"),
            json!({}),
        )
        .await;
    assert_eq!(consent.status(), StatusCode::CREATED);

    // A disclosure from Ben, who is repairing.
    let r = ben_api
        .post(
            "/api/v1/transparency",
            json!({"category": "whereabouts", "occurred_at": "2026-11-20T19:05", "text": "At my sister's until nine."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // A commitment Ben keeps today, after first marking it missed: the road
    // tells the last word.
    let r = ben_api
        .post(
            "/api/v1/commitments",
            json!({"text": "I call when I leave work.", "repeat": "daily"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let commitment = r.json::<Value>().await.unwrap()["commitment"]["commitment"]["id"]
        .as_i64()
        .unwrap();
    let today = time::OffsetDateTime::now_utc().date();
    let mark = format!(
        "/api/v1/commitments/{commitment}/occasions/{:04}-{:02}-{:02}/mark",
        today.year(),
        u8::from(today.month()),
        today.day()
    );
    for (word, correction) in [("missed", false), ("kept", true)] {
        let r = ben_api
            .post(&mark, json!({"mark": word, "correction": correction}))
            .await;
        assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    }

    // Growing together: a good moment and a word of thanks.
    let r = ana_api
        .post(
            "/api/v1/moments",
            json!({"day": "2026-05-09", "text": "The picnic by the river"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = ben_api
        .post(
            "/api/v1/appreciations",
            json!({"text": "Thank you for listening to me tonight."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    // Check-ins: Ben shares his, Ana keeps hers to herself.
    let r = ben_api
        .post("/api/v1/checkins", json!({"trust": 8, "safety": 8, "connection": 8, "act_kind": "effort", "act": "Cooked", "visibility": "shared"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = ana_api
        .post("/api/v1/checkins", json!({"trust": 3, "safety": 3, "connection": 3, "act_kind": "kindness", "act": "Rested", "visibility": "private"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let (_, timeline) = ana_api.json("/api/v1/timeline").await;
    let kinds = kinds(&timeline);
    for expected in [
        "conversation_begun",
        "conversation_closed",
        "agreement_version",
        "disclosure",
        "commitment_marked",
        "good_moment",
        "appreciation",
    ] {
        assert!(
            kinds.iter().any(|k| k == expected),
            "{expected} in {kinds:?}"
        );
    }
    let all = events(&timeline);
    let disclosure = all.iter().find(|e| e["kind"] == "disclosure").unwrap();
    assert_eq!(disclosure["by"], "partner");
    assert_eq!(disclosure["stage"], 9);
    assert_eq!(disclosure["category"], "whereabouts");
    let begun = all
        .iter()
        .find(|e| e["kind"] == "conversation_begun")
        .unwrap();
    assert_eq!(begun["by"], "me");
    assert_eq!(begun["topic"], "The weekend away");
    assert!(all
        .iter()
        .any(|e| e["kind"] == "agreement_version" && e["by"].is_null() && e["version"] == 1));

    // This week: Ana's own check-in and Ben's shared one, side by side.
    let week = &timeline["weeks"][0];
    assert_eq!(week["mine"]["trust"], 3.0);
    assert_eq!(week["partner"]["trust"], 8.0);
    assert_eq!(timeline["totals"]["conversations_closed"], 1);
    assert_eq!(timeline["totals"]["agreement_versions"], 1);
    assert_eq!(timeline["totals"]["disclosures"], 1);
    assert_eq!(timeline["totals"]["occasions_kept"], 1);
    let marked: Vec<&Value> = all
        .iter()
        .filter(|e| e["kind"] == "commitment_marked")
        .collect();
    assert_eq!(marked.len(), 1, "one occasion, its last word");
    assert_eq!(marked[0]["kept"], true);
    assert_eq!(marked[0]["commitment"], "I call when I leave work.");

    // The same road from Ben's side; the disclosure is his own.
    let (_, his) = ben_api.json("/api/v1/timeline").await;
    let disclosure = events(&his)
        .into_iter()
        .find(|e| e["kind"] == "disclosure")
        .unwrap();
    assert_eq!(disclosure["by"], "me");

    let (status, page) = ben.page("/timeline").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Week of"));
    assert!(page.contains("The weekend away"));
    assert!(page.contains("Since "));
    assert!(page.contains("1 conversation closed"));
}

async fn private_records_stay_off_the_partners_timeline(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (ana_api, ben_api) = (ana.api_as("ana").await, ben.api_as("ben").await);

    // A reflection draft and a private check-in are Ana's alone.
    let r = ana
        .post("/reflection/distance", &[("text", "Only for me for now")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = ana_api
        .post("/api/v1/checkins", json!({"trust": 2, "safety": 4, "connection": 1, "act_kind": "honesty", "act": "Wrote it down", "note": "nobody else", "visibility": "private"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // A conversation proposed and declined was never held.
    let r = ben_api
        .post(
            "/api/v1/conversations",
            json!({"topic": "Not this week", "ground_rules": ""}),
        )
        .await;
    let id = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();
    let r = ana_api
        .post(&format!("/api/v1/conversations/{id}/decline"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let (_, his) = ben_api.json("/api/v1/timeline").await;
    assert!(events(&his).is_empty(), "{his}");
    assert!(
        his["weeks"].as_array().unwrap().is_empty(),
        "Ana's private check-in does not make a week on Ben's road: {his}"
    );
    let (_, page) = ben.page("/timeline").await;
    assert!(!page.contains("Not this week"));
    assert!(!page.contains("2.0"), "Ana's private rating");

    // Ana sees her own check-in.
    let (_, hers) = ana_api.json("/api/v1/timeline").await;
    assert_eq!(hers["weeks"][0]["mine"]["connection"], 1.0);
    assert!(hers["weeks"][0]["partner"].is_null());

    // Once she shares the answer, both see that she did — never its words.
    let r = ana
        .post(
            "/reflection/distance/share",
            &[("text", "Words I choose to share")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, his) = ben_api.json("/api/v1/timeline").await;
    let shared: Vec<Value> = events(&his);
    assert_eq!(shared.len(), 1);
    assert_eq!(shared[0]["kind"], "reflection_shared");
    assert_eq!(shared[0]["by"], "partner");
    assert!(!his.to_string().contains("Only for me"));
}

async fn a_timeline_needs_a_couple(app: TestApp) {
    let eve = app.founder("eve", "hurt").await;
    let (status, page) = eve.page("/timeline").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("begins once your partner has joined"));
    let api = eve.api_as("eve").await;
    let (status, body) = api.json("/api/v1/timeline").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("partner has joined"));
}
