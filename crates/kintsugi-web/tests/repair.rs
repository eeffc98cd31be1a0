//! Stages 4, 5 and 10 and the coach: statements of responsibility and
//! apology, coached messages, and the try-the-coach page and API.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    an_apology_is_drafted_coached_sent_answered_and_revised,
    the_hurt_partner_does_not_write_the_apology,
    a_harsh_message_is_held_back_until_its_author_chooses,
    the_coaching_tally_is_the_authors_alone,
);

on_both_engines!(with six_coachings_a_minute; the_coach_reads_drafts_as_a_page_a_fragment_and_json);

fn six_coachings_a_minute(config: &mut kintsugi_web::Config) {
    config.limits.coach_per_user = 6;
}

async fn an_apology_is_drafted_coached_sent_answered_and_revised(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;

    // A private draft, saved as Ben writes, which Ana never sees.
    let r = ben
        .post(
            "/statements/apology",
            &[("text", "Still finding the words")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, mine) = ben.page("/statements/apology").await;
    assert!(mine.contains("Still finding the words"));
    let (_, hers) = ana.page("/statements/apology").await;
    assert!(!hers.contains("Still finding the words"));

    // The coach holds back an apology that isn't one; the words are kept.
    let harsh = "I'm sorry if you felt hurt, but you made me do it.";
    let r = ben
        .post("/statements/apology/send", &[("text", harsh)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("The coach has a concern"));
    assert!(
        page.contains("An apology that isn") && page.contains("Shifting the blame"),
        "the findings are shown"
    );
    assert!(
        page.contains("you made me do it"),
        "the text is kept in the form"
    );
    let (_, hers) = ana.page("/statements/apology").await;
    assert!(!hers.contains("you made me do it"), "nothing was sent");

    // A genuine one goes through, and the parts are shown to its author.
    let genuine = "I lied to you about where I was. I know it made you doubt yourself. I'm sorry. What can I do to make it right?";
    let r = ben
        .post("/statements/apology/send", &[("text", genuine)])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, hers) = ana.page("/statements/apology").await;
    assert!(hers.contains("I lied to you about where I was."));
    assert!(hers.contains("Version 1"));

    // Ana answers: what she still needs to hear needs words.
    let api = ana.api_as("ana").await;
    let (_, all) = api.json("/api/v1/statements").await;
    let apology = all
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["kind"] == "apology")
        .unwrap()
        .clone();
    let id = apology["partner"][0]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{apology}"));
    let r = ana
        .post(
            &format!("/statements/answers/{id}"),
            &[("verdict", "need_to_hear"), ("text", "  ")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("value=\"need_to_hear\" required checked"),
        "the choice is kept, under the version it answers"
    );
    let r = ana
        .post(
            &format!("/statements/answers/{id}"),
            &[
                ("verdict", "need_to_hear"),
                ("text", "That it will not happen again."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = ben
        .post(
            &format!("/statements/answers/{id}"),
            &[("verdict", "helped")],
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "an author does not answer their own apology"
    );

    // A second version follows; both stay visible to both.
    let better = format!("{genuine} From now on I will tell you where I am.");
    let r = ben
        .post("/statements/apology/send", &[("text", better.as_str())])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for who in [&ana, &ben] {
        let (_, page) = who.page("/statements/apology").await;
        assert!(page.contains("Version 1") && page.contains("Version 2"));
        assert!(page.contains("That it will not happen again."));
    }

    // The API says the same, with the coach's analysis of what was sent.
    let ben_api = ben.api_as("ben").await;
    let r = ben_api
        .post("/api/v1/statements/apology/send", json!({"text": harsh}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sent"], false);
    assert_eq!(v["analysis"]["concern"], true);
    let r = ben_api
        .post(
            "/api/v1/statements/apology/send",
            json!({"text": harsh, "send_anyway": true}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "the author may always send anyway"
    );
}

async fn the_hurt_partner_does_not_write_the_apology(app: TestApp) {
    let (ana, _ben) = app.couple("ana", "ben").await;
    let (status, page) = ana.page("/statements/apology").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !page.contains("Your words"),
        "no composer for the hurt partner"
    );
    let r = ana
        .post("/statements/apology/send", &[("text", "I am sorry.")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        ana.page("/statements/sonnet").await.0,
        StatusCode::NOT_FOUND
    );
}

async fn a_harsh_message_is_held_back_until_its_author_chooses(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let r = ana
        .post("/messages", &[("text", "Thank you for the walk today.")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, his) = ben.page("/messages").await;
    assert!(his.contains("Thank you for the walk today."));

    let harsh = "You never listen. Whatever.";
    let r = ana.post("/messages", &[("text", harsh)]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("The coach has a concern") && page.contains("Criticism"));
    assert!(page.contains(harsh), "the draft is kept");
    let (_, his) = ben.page("/messages").await;
    assert!(!his.contains("You never listen"), "not sent");

    let r = ana
        .post("/messages", &[("text", harsh), ("send_anyway", "yes")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, his) = ben.page("/messages").await;
    assert!(
        his.contains("You never listen"),
        "sent, because its author chose to"
    );

    // Bad input: empty, too long.
    assert_eq!(
        ana.post("/messages", &[("text", "   ")]).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let long = "a".repeat(4001);
    let r = ana.post("/messages", &[("text", long.as_str())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_coaching_tally_is_the_authors_alone(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    // A first draft with a concern, then a softened one: the form carries
    // how many concerns the first draft had.
    let r = ana
        .post("/messages", &[("text", "You are so selfish.")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = ana
        .post(
            "/messages",
            &[
                ("text", "I felt alone tonight. Could we talk?"),
                ("first_concerns", "1"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, hers) = ana.page("/messages").await;
    assert!(hers.contains("you softened 1"), "{hers}");
    let (_, his) = ben.page("/messages").await;
    assert!(
        !his.contains("softened"),
        "the partner never sees the tally"
    );
    let (_, thread) = ben.api_as("ben").await.json("/api/v1/messages").await;
    assert_eq!(thread["tally"]["sent"], 0, "Ben's own tally, not Ana's");
    let (_, thread) = ana.api_as("ana").await.json("/api/v1/messages").await;
    assert_eq!(thread["tally"]["softened"], 1);
}

async fn the_coach_reads_drafts_as_a_page_a_fragment_and_json(app: TestApp) {
    let ana = app.founder("ana", "hurt").await;
    let (status, page) = ana.page("/coach").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Try the coach"));

    // Without JavaScript: the page comes back with the findings marked.
    let r = ana
        .post(
            "/coach",
            &[
                ("text", "I don't think you're stupid. But you never call."),
                ("context", "message"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("<mark class=\"concern\""), "marked in place");
    assert!(
        page.contains("Criticism") && !page.contains("Contempt"),
        "negation is understood"
    );
    assert!(page.contains("Perhaps:"), "a gentler alternative");

    // With JavaScript: just the fragment.
    let r = ana
        .browser_post_fragment(
            "/coach",
            &[
                ("text", "I'm sorry. I lied to you."),
                ("context", "apology"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let fragment = r.text().await.unwrap();
    assert!(!fragment.contains("<html"), "{fragment}");
    assert!(
        fragment.contains("Not yet there, most important first: Offering to repair"),
        "{fragment}"
    );

    // Bad input is explained, and the words are kept.
    let long = "x".repeat(10_001);
    let r = ana.post("/coach", &[("text", long.as_str())]).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = ana
        .post("/coach", &[("text", "kept words"), ("context", "sonnet")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("kept words"));

    // The API answers with the command line's JSON, and is rate-limited.
    let api = app.api();
    assert_eq!(
        api.post("/api/v1/coach", json!({"text": "hi"}))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    let api = ana.api_as("ana").await;
    let r = api
        .post(
            "/api/v1/coach",
            json!({"text": "Whatever.", "context": "message"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["concern"], true);
    assert_eq!(v["findings"][0]["kind"], "stonewalling");
    assert_eq!(
        (
            v["findings"][0]["start"].as_u64(),
            v["findings"][0]["end"].as_u64()
        ),
        (Some(0), Some(8))
    );
    let r = api
        .post(
            "/api/v1/coach",
            json!({"text": "hi", "context": "limerick"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = api.post("/api/v1/coach", json!({"text": "hi"})).await;
    assert_eq!(
        r.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "six coachings a minute in this test, all used"
    );
}
