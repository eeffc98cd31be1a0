//! Stage 3, structured conversations: the floor passes only when the
//! speaker is heard rightly, pauses hold, and crafted requests cannot break
//! the turn order.

mod common;

use std::time::Duration;

use common::{Api, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    a_conversation_passes_the_floor_only_when_the_speaker_feels_heard,
    a_pause_holds_for_both_and_ends_on_time,
    crafted_and_replayed_turns_are_refused,
    the_other_device_hears_of_each_change_at_once,
    the_coach_reads_every_turn_and_the_speaker_decides,
);

async fn turn(api: &Api, id: i64, kind: &str, text: &str, after: i64) -> reqwest::Response {
    api.post(
        &format!("/api/v1/conversations/{id}/turns"),
        json!({"kind": kind, "text": text, "after": after}),
    )
    .await
}

async fn say(id: i64, who: &common::Browser, kind: &str, text: &str, after: &str) -> StatusCode {
    who.post(
        &format!("/talk/{id}/turns"),
        &[("kind", kind), ("text", text), ("after", after)],
    )
    .await
    .status()
}

async fn started(app: &TestApp) -> (common::Browser, common::Browser, i64) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let r = ana
        .post(
            "/talk",
            &[("topic", "The night of the party"), ("ground_rules", "")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = r.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/talk/")
        .parse()
        .unwrap();
    (ana, ben, id)
}

async fn a_conversation_passes_the_floor_only_when_the_speaker_feels_heard(app: TestApp) {
    let (ana, ben, id) = started(&app).await;
    let (_, page) = ana.page(&format!("/talk/{id}")).await;
    assert!(page.contains("Waiting for ben to accept"));
    assert!(
        page.contains("We speak about ourselves"),
        "the suggested ground rules"
    );
    assert_eq!(
        ana.post(&format!("/talk/{id}/accept"), &[]).await.status(),
        StatusCode::CONFLICT,
        "one does not accept one's own proposal"
    );
    let (_, page) = ben.page(&format!("/talk/{id}")).await;
    assert!(page.contains("Accept"));
    assert_eq!(
        ben.post(&format!("/talk/{id}/accept"), &[]).await.status(),
        StatusCode::SEE_OTHER
    );

    assert_eq!(
        say(id, &ana, "speak", "I felt invisible that night.", "0").await,
        StatusCode::SEE_OTHER
    );
    let r = ben
        .post(
            &format!("/talk/{id}/turns"),
            &[
                ("kind", "speak"),
                ("text", "But you left first!"),
                ("after", "1"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CONFLICT,
        "the listener cannot take the floor"
    );
    let page = r.text().await.unwrap();
    assert!(
        page.contains("reflect back what you heard"),
        "the refusal says what the floor waits for"
    );
    assert!(page.contains("But you left first!"), "the words are kept");

    assert_eq!(
        say(
            id,
            &ben,
            "reflect",
            "What I heard is that you felt unseen.",
            "1"
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        say(
            id,
            &ana,
            "correct",
            "Unseen, and alone in a full room.",
            "2"
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        say(
            id,
            &ben,
            "reflect",
            "You felt alone even with people around.",
            "3"
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        say(id, &ana, "confirm", "", "4").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        say(
            id,
            &ben,
            "speak",
            "I was scared of how far apart we were.",
            "5"
        )
        .await,
        StatusCode::SEE_OTHER
    );

    let (_, page) = ana.page(&format!("/talk/{id}")).await;
    assert!(page.contains("felt heard"));
    assert!(
        page.contains("Reflect back what you heard"),
        "now Ana listens"
    );

    let r = ben
        .post(
            &format!("/talk/{id}/end"),
            &[("closing_note", "Thank you for staying.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = ana.page(&format!("/talk/{id}")).await;
    assert!(
        page.contains("This conversation has ended") && page.contains("Thank you for staying.")
    );
    assert!(
        page.contains("I felt invisible that night."),
        "kept for both"
    );
    assert_eq!(
        say(id, &ana, "reflect", "late", "6").await,
        StatusCode::CONFLICT
    );
}

async fn a_pause_holds_for_both_and_ends_on_time(app: TestApp) {
    let (ana, ben, id) = started(&app).await;
    ben.post(&format!("/talk/{id}/accept"), &[]).await;
    let r = ben
        .post(&format!("/talk/{id}/pause"), &[("minutes", "1")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let api = ana.api_as("ana").await;
    let (_, c) = api.json(&format!("/api/v1/conversations/{id}")).await;
    let until = c["paused_until"]
        .as_i64()
        .expect("both see when they come back");
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    assert!(
        until >= now + 19 * 60,
        "a pause lasts at least twenty minutes"
    );
    let (_, page) = ana.page(&format!("/talk/{id}")).await;
    assert!(page.contains("ben asked for a pause") && page.contains("<time datetime="));
    let r = turn(&api, id, "speak", "Can we go on?", 0).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let body: Value = r.json().await.unwrap();
    assert!(body["message"].as_str().unwrap().contains("resting"));

    // Time passes.
    app.execute("UPDATE conversations SET paused_until = 1")
        .await;
    assert_eq!(
        turn(&api, id, "speak", "Thank you for the break.", 0)
            .await
            .status(),
        StatusCode::CREATED
    );
}

async fn crafted_and_replayed_turns_are_refused(app: TestApp) {
    let (ana, ben, id) = started(&app).await;
    let (ana, ben) = (ana.api_as("ana").await, ben.api_as("ben").await);
    assert_eq!(
        turn(&ana, id, "speak", "Too early", 0).await.status(),
        StatusCode::CONFLICT,
        "not accepted yet"
    );
    assert_eq!(
        ben.post(&format!("/api/v1/conversations/{id}/accept"), json!({}))
            .await
            .status(),
        StatusCode::OK
    );

    assert_eq!(
        turn(&ben, id, "speak", "Me first", 0).await.status(),
        StatusCode::CONFLICT,
        "the listener posting as speaker"
    );
    assert_eq!(
        turn(&ana, id, "confirm", "", 0).await.status(),
        StatusCode::CONFLICT,
        "a kind out of order"
    );
    assert_eq!(
        turn(&ana, id, "shout", "x", 0).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        turn(&ana, id, "speak", "", 0).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        turn(&ana, id, "speak", &"x".repeat(1201), 0).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );

    assert_eq!(
        turn(&ana, id, "speak", "Once", 0).await.status(),
        StatusCode::CREATED
    );
    let replay = turn(&ana, id, "speak", "Once", 0).await;
    assert_eq!(
        replay.status(),
        StatusCode::CONFLICT,
        "a replayed turn does not land twice"
    );
    let (_, c) = ana.json(&format!("/api/v1/conversations/{id}")).await;
    assert_eq!(c["turns"].as_array().unwrap().len(), 1);
    assert_eq!(
        c["waiting_for"],
        "your partner is reflecting back what they heard"
    );

    // Racing reflections from two tabs: exactly one lands.
    let (a, b) = tokio::join!(
        turn(&ben, id, "reflect", "From one tab", 1),
        turn(&ben, id, "reflect", "From another tab", 1)
    );
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT]);

    // Another couple cannot see or touch it.
    let (cyd, _dee) = app.couple("cyd", "dee").await;
    let cyd = cyd.api_as("cyd").await;
    assert_eq!(
        cyd.json(&format!("/api/v1/conversations/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        turn(&cyd, id, "confirm", "", 2).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        cyd.post(&format!("/api/v1/conversations/{id}/end"), json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

async fn the_other_device_hears_of_each_change_at_once(app: TestApp) {
    let (ana, ben, id) = started(&app).await;
    ben.post(&format!("/talk/{id}/accept"), &[]).await;
    let mut events = ben.get(&format!("/talk/{id}/events")).await;
    assert_eq!(events.status(), StatusCode::OK);
    assert!(events.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    let api = ana.api_as("ana").await;
    assert_eq!(
        turn(&api, id, "speak", "Are you there?", 0).await.status(),
        StatusCode::CREATED
    );

    let mut seen = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    while !seen.contains("event: changed") {
        let chunk = tokio::time::timeout_at(deadline, events.chunk())
            .await
            .expect("an event arrives within seconds")
            .unwrap()
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(!seen.contains("Are you there?"), "events carry no content");
    // A stranger cannot listen in.
    let (cyd, _) = app.couple("cyd", "dee").await;
    assert_eq!(
        cyd.get(&format!("/talk/{id}/events")).await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn the_coach_reads_every_turn_and_the_speaker_decides(app: TestApp) {
    let (ana, ben, id) = started(&app).await;
    assert_eq!(
        ben.post(&format!("/talk/{id}/accept"), &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    let harsh = "You never cared about me, whatever.";
    let r = ana
        .post(
            &format!("/talk/{id}/turns"),
            &[("kind", "speak"), ("text", harsh), ("after", "0")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK, "held back, not refused");
    let page = r.text().await.unwrap();
    assert!(page.contains("The coach has a concern") && page.contains("Criticism"));
    assert!(page.contains(harsh), "the words are kept");
    let (_, his) = ben.page(&format!("/talk/{id}")).await;
    assert!(!his.contains("never cared"), "nothing reached the listener");

    let r = ana
        .post(
            &format!("/talk/{id}/turns"),
            &[
                ("kind", "speak"),
                ("text", harsh),
                ("after", "0"),
                ("send_anyway", "yes"),
            ],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::SEE_OTHER,
        "advice, never censorship"
    );
    let (_, his) = ben.page(&format!("/talk/{id}")).await;
    assert!(his.contains("never cared"));
}
