//! Stage 1, the reflection: drafts stay private, shares are versions the
//! partner sees side by side, and nothing shared is rewritten.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    drafts_stay_private_and_every_shared_version_is_kept,
    bad_answers_and_unknown_questions_are_refused_clearly,
    while_the_space_rests_nothing_is_shared,
);

async fn drafts_stay_private_and_every_shared_version_is_kept(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (status, page) = ana.page("/reflection").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Which actions, secrets or choices put distance between you?"));

    let r = ana
        .post(
            "/reflection/distance",
            &[("text", "A draft only I have seen")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = ana.page("/reflection").await;
    assert!(
        page.contains("A draft only I have seen"),
        "the draft is kept"
    );
    let (_, page) = ben.page("/reflection").await;
    assert!(
        !page.contains("A draft only I have seen"),
        "drafts never reach the partner"
    );

    // Saving in the background, as the page's script does.
    let token = ana.token().await;
    let r = ana
        .http
        .post(format!("{}/reflection/needs", app.base))
        .header("x-kintsugi-autosave", "1")
        .form(&[("text", "Saved while typing"), ("csrf", &token)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.text().await.unwrap(), "Draft saved");

    let r = ana
        .post(
            "/reflection/distance/share",
            &[("text", "First words I share")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = ana
        .post(
            "/reflection/distance/share",
            &[("text", "Truer words, a week later")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    ana.post("/reflection/distance", &[("text", "Still private")])
        .await;

    let (_, page) = ben.page("/reflection").await;
    assert!(page.contains("What ana shared"));
    assert!(page.contains("Truer words, a week later") && page.contains("Version 2"));
    assert!(
        page.contains("First words I share"),
        "the earlier version stays visible"
    );
    assert!(!page.contains("Still private") && !page.contains("Saved while typing"));

    let api = ben.api_as("ben").await;
    let (status, prompts) = api.json("/api/v1/reflection").await;
    assert_eq!(status, StatusCode::OK);
    let distance = prompts
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "distance")
        .unwrap();
    assert_eq!(distance["partner"].as_array().unwrap().len(), 2);
    assert_eq!(distance["draft"], "", "Ben's own draft, not Ana's");

    let r = api
        .post(
            "/api/v1/reflection/understand/share",
            json!({"text": "That I was lonely too"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (_, page) = ana.page("/reflection").await;
    assert!(
        page.contains("That I was lonely too"),
        "both see each other's shares"
    );
}

async fn bad_answers_and_unknown_questions_are_refused_clearly(app: TestApp) {
    let (ana, _ben) = app.couple("ana", "ben").await;
    let r = ana
        .post("/reflection/distance/share", &[("text", "   ")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Please fill this in"));

    let long = "w".repeat(10_001);
    let r = ana.post("/reflection/needs", &[("text", &long)]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("please keep it to 10000"));
    assert!(page.contains(&long), "the words come back to be shortened");

    assert_eq!(
        ana.post("/reflection/not-a-question", &[("text", "x")])
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let api = ana.api_as("ana").await;
    let r = api
        .http
        .put(format!("{}/api/v1/reflection/needs", app.base))
        .bearer_auth(api.token.clone().unwrap())
        .json(&json!({"text": "bell\u{7}"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "text");
}

async fn while_the_space_rests_nothing_is_shared(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    ana.post("/reflection/ahead/share", &[("text", "Sunday walks again")])
        .await;
    let mut answers = common::safe_answers();
    answers[0].1 = "yes";
    ben.post("/safety", &answers).await;

    let (_, page) = ben.page("/reflection").await;
    assert!(
        !page.contains("Sunday walks again"),
        "the partner's shares rest too"
    );
    let r = ben
        .post("/reflection/ahead/share", &[("text", "Kept for later")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("kept as a private draft"));
    let (_, prompts) = ben.api_as("ben").await.json("/api/v1/reflection").await;
    assert_eq!(prompts[4]["id"], "ahead");
    assert_eq!(prompts[4]["draft"], "Kept for later", "as the message says");
    let (_, page) = ana.page("/reflection").await;
    assert!(page.contains("resting"));
    assert!(!page.contains("Kept for later"));
}
