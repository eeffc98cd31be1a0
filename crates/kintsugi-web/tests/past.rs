//! Stage 12, letting the past go: incidents private until shared, laid to
//! rest only when both partners are ready, what each carries forward, the
//! coach's gentle note when a draft goes back to one — and every request
//! that must not work.

mod common;

use common::{Api, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    an_incident_rests_only_when_both_are_ready,
    carrying_forward_waits_for_rest_and_is_written_once,
    the_coach_notes_a_draft_that_goes_back_to_what_was_laid_to_rest,
    a_private_incident_never_reaches_the_partner_through_the_coach,
    forged_requests_fail_clearly,
    bad_input_is_explained_and_nothing_typed_is_lost,
    the_pages_walk_through_it_without_javascript,
);

async fn record(api: &Api, name: &str, description: &str, share: bool) -> i64 {
    let r = api
        .post(
            "/api/v1/incidents",
            json!({"name": name, "description": description, "share": share}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED, "an incident is recorded");
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

fn action(id: i64, what: &str) -> String {
    format!("/api/v1/incidents/{id}/{what}")
}

async fn act(api: &Api, id: i64, what: &str) -> (StatusCode, Value) {
    let r = api.post(&action(id, what), json!({})).await;
    let status = r.status();
    (status, r.json().await.unwrap_or(Value::Null))
}

async fn seen(api: &Api, id: i64) -> Option<Value> {
    let (status, all) = api.json("/api/v1/incidents").await;
    assert_eq!(status, StatusCode::OK);
    all.as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .cloned()
}

/// Lays an incident to rest: shared by `a`, both ready.
async fn laid_to_rest(a: &Api, b: &Api, name: &str, description: &str) -> i64 {
    let id = record(a, name, description, true).await;
    assert_eq!(act(a, id, "ready").await.0, StatusCode::OK);
    let (status, v) = act(b, id, "ready").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["status"], "laid_to_rest");
    id
}

fn kinds(analysis: &Value) -> Vec<String> {
    analysis["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["kind"].as_str().unwrap().to_owned())
        .collect()
}

async fn an_incident_rests_only_when_both_are_ready(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (a, b) = (ana.api_as("ana").await, ben.api_as("ben").await);

    // Private until shared: Ben does not see it, and cannot act on it.
    let id = record(
        &a,
        "The harbour night",
        "What happened at the harbour.",
        false,
    )
    .await;
    assert_eq!(seen(&a, id).await.unwrap()["status"], "private");
    assert!(seen(&b, id).await.is_none());
    assert_eq!(act(&b, id, "ready").await.0, StatusCode::NOT_FOUND);
    let (status, body) = act(&a, id, "ready").await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a private incident is not laid to rest"
    );
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("share it with your partner first"));

    let (status, v) = act(&a, id, "share").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["status"], "shared");
    let theirs = seen(&b, id).await.expect("shared, Ben sees it");
    assert_eq!(theirs["name"], "The harbour night");
    assert_eq!(theirs["recorded_by"], "partner");

    // Ana is ready, then not, then ready again; Ben is never told.
    let (_, v) = act(&a, id, "ready").await;
    assert_eq!(
        (v["status"].clone(), v["ready"].clone()),
        (json!("shared"), json!(true))
    );
    assert_eq!(
        seen(&b, id).await.unwrap()["ready"],
        false,
        "Ana's readiness is hers"
    );
    let (_, v) = act(&a, id, "not-ready").await;
    assert_eq!(v["ready"], false);
    let (status, body) = act(&a, id, "not-ready").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("nothing to take back"));

    // Ben alone is not enough; with Ana again, it rests.
    let (_, v) = act(&b, id, "ready").await;
    assert_eq!(v["status"], "shared");
    let (_, again) = act(&b, id, "ready").await;
    assert_eq!(
        again["status"], "shared",
        "saying it twice is still one yes"
    );
    let (_, v) = act(&a, id, "ready").await;
    assert_eq!(v["status"], "laid_to_rest");
    assert!(v["laid_to_rest_at"].as_i64().is_some());
    assert_eq!(seen(&b, id).await.unwrap()["status"], "laid_to_rest");

    // Settled: readiness can no longer be taken back or given again.
    for what in ["not-ready", "ready"] {
        let (status, body) = act(&b, id, what).await;
        assert_eq!(status, StatusCode::CONFLICT, "{what}");
        assert!(body["message"].as_str().unwrap().contains("settled"));
    }

    // The program page says what the couple has done.
    let (_, home) = ben.page("/").await;
    assert!(home.contains("You have laid one thing to rest together."));
}

async fn carrying_forward_waits_for_rest_and_is_written_once(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (a, b) = (ana.api_as("ana").await, ben.api_as("ben").await);
    let id = record(&a, "The missed birthday", "", true).await;
    async fn carry_as(api: &Api, id: i64, text: &str) -> (StatusCode, Value) {
        let r = api
            .post(&action(id, "carry"), json!({ "text": text }))
            .await;
        let status = r.status();
        (status, r.json::<Value>().await.unwrap_or(Value::Null))
    }
    let carry = |api, text| carry_as(api, id, text);

    // Before both are ready there is nothing to carry forward yet.
    act(&a, id, "ready").await;
    let (status, body) = carry(&a, "Early words").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("once you have both said you are ready"));
    act(&b, id, "ready").await;

    // Ana writes first: Ben does not see her words until he has written his.
    let (status, v) = carry(&a, "I carry forward that we both showed up.").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v["carried_forward"]["mine"],
        "I carry forward that we both showed up."
    );
    assert_eq!(v["carried_forward"]["partner"], Value::Null);
    let theirs = seen(&b, id).await.unwrap();
    assert_eq!(
        theirs["carried_forward"],
        json!({"mine": null, "partner": null})
    );
    let (_, page) = ben.page("/past").await;
    assert!(
        !page.contains("we both showed up"),
        "not on Ben's page either"
    );

    let (status, v) = carry(&b, "I carry forward the promise to ask, not guess.").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        v["carried_forward"]["partner"],
        "I carry forward that we both showed up."
    );
    let mine = seen(&a, id).await.unwrap();
    assert_eq!(
        mine["carried_forward"]["partner"],
        "I carry forward the promise to ask, not guess."
    );
    for who in [&ana, &ben] {
        let (_, page) = who.page("/past").await;
        assert!(page.contains("we both showed up") && page.contains("to ask, not guess"));
    }

    // Written once, kept as written.
    let (status, body) = carry(&a, "Something else").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("already written"));
    assert_eq!(
        seen(&a, id).await.unwrap()["carried_forward"]["mine"],
        "I carry forward that we both showed up."
    );
}

async fn the_coach_notes_a_draft_that_goes_back_to_what_was_laid_to_rest(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (a, b) = (ana.api_as("ana").await, ben.api_as("ben").await);
    laid_to_rest(&a, &b, "the Lisbon trip", "").await;
    let open = record(&a, "the office party", "", true).await;
    act(&a, open, "ready").await;

    // A message naming what was laid to rest is held once, with the note.
    let r = b
        .post(
            "/api/v1/messages",
            json!({"text": "I keep thinking about the Lisbon trip."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sent"], false);
    let reopening = v["analysis"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "reopening")
        .expect("the coach notes the return to it");
    assert_eq!(reopening["severity"], "note");
    assert!(reopening["reason"]
        .as_str()
        .unwrap()
        .contains("the Lisbon trip"));
    let r = b
        .post(
            "/api/v1/messages",
            json!({"text": "I keep thinking about the Lisbon trip.", "send_anyway": true}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "the author may send it as it is"
    );

    // One not yet laid to rest gets no such note.
    let r = b
        .post(
            "/api/v1/messages",
            json!({"text": "I keep thinking about the office party."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert!(!kinds(&v["analysis"]).contains(&"reopening".to_owned()));

    // The page holds it too, without JavaScript, and keeps the words.
    let r = ben
        .post("/messages", &[("text", "Remember the Lisbon trip?")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("go back to something you both laid to rest"));
    assert!(page.contains("Something laid to rest"));
    assert!(page.contains("Remember the Lisbon trip?"));

    // Everywhere words go to the partner: the coach page and its live
    // fragment, the API, appreciations.
    let r = b
        .post(
            "/api/v1/coach",
            json!({"text": "Was the Lisbon trip really that bad?"}),
        )
        .await;
    assert!(kinds(&r.json::<Value>().await.unwrap()).contains(&"reopening".to_owned()));
    let r = ana
        .browser_post_fragment(
            "/coach",
            &[("text", "About the Lisbon trip"), ("context", "apology")],
        )
        .await;
    assert!(r.text().await.unwrap().contains("Something laid to rest"));
    let r = ana
        .post("/coach", &[("text", "About the Lisbon trip")])
        .await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("which you both chose to lay to rest"));
    let r = a
        .post(
            "/api/v1/appreciations",
            json!({"text": "Thank you for the Lisbon trip."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sent"], false);
    assert!(kinds(&v["analysis"]).contains(&"reopening".to_owned()));
    assert!(kinds(&v["analysis"]).contains(&"appreciation".to_owned()));

    // A statement and a conversation turn are read with it too: the
    // statement's held analysis and the turn's held page carry the note.
    let r = b
        .post(
            "/api/v1/statements/apology/send",
            json!({"text": "I am sorry, but the Lisbon trip was your idea."}),
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert!(
        kinds(&v["analysis"]).contains(&"reopening".to_owned()),
        "{v}"
    );

    // Another couple's coach knows nothing of it.
    let (cy, _) = app.couple("cyd", "dee").await;
    let r = cy
        .api_as("cyd")
        .await
        .post("/api/v1/coach", json!({"text": "About the Lisbon trip"}))
        .await;
    assert!(!kinds(&r.json::<Value>().await.unwrap()).contains(&"reopening".to_owned()));
}

async fn a_private_incident_never_reaches_the_partner_through_the_coach(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (a, b) = (ana.api_as("ana").await, ben.api_as("ben").await);
    // The description starts with words Ben never types: were the incident
    // handed to his coach, its finding would quote them back to him.
    let private = record(
        &a,
        "the marigold letter",
        "Quillfeather evening: I found the marigold letter hidden in the glovebox drawer beside receipts.",
        false,
    )
    .await;
    // Even shared-and-ready on her side only, nothing is at rest.
    for text in [
        "Let us talk about the marigold letter.",
        "The marigold letter, the glovebox drawer and the receipts.",
    ] {
        for (who, api) in [("ben", &b), ("ana", &a)] {
            let r = api.post("/api/v1/coach", json!({ "text": text })).await;
            let body = r.text().await.unwrap();
            assert!(!body.contains("reopening"), "{who}: {body}");
            assert!(!body.contains("Quillfeather"), "{who}: {body}");
        }
        let r = b.post("/api/v1/messages", json!({ "text": text })).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        assert!(!r.text().await.unwrap().contains("Quillfeather"));
        let r = ben.browser_post_fragment("/coach", &[("text", text)]).await;
        assert!(!r.text().await.unwrap().contains("Quillfeather"));
    }
    // Ana cannot lay a private incident to rest alone, so it never reaches
    // the coach while private.
    assert_eq!(act(&a, private, "ready").await.0, StatusCode::CONFLICT);
    let (_, page) = ben.page("/past").await;
    assert!(!page.contains("marigold") && !page.contains("Quillfeather"));
    let (_, list) = b.json("/api/v1/incidents").await;
    assert_eq!(list, json!([]));
}

async fn forged_requests_fail_clearly(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (a, b) = (ana.api_as("ana").await, ben.api_as("ben").await);
    let (cy, _) = app.couple("cyd", "dee").await;
    let c = cy.api_as("cyd").await;
    let private = record(&a, "Only mine", "", false).await;
    let shared = record(&a, "Ours", "", true).await;

    // Another couple's incident is not theirs to see or act on.
    for what in ["ready", "not-ready", "share", "carry"] {
        for id in [private, shared] {
            let (status, body) = act(&c, id, what).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{what} {id}");
            assert!(body["message"]
                .as_str()
                .unwrap()
                .contains("not yours to see"));
        }
    }
    let r = cy
        .post(&format!("/past/incidents/{shared}/ready"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // The partner cannot reach Ana's private one, not even to learn it exists.
    for what in ["ready", "not-ready", "share", "carry"] {
        assert_eq!(
            act(&b, private, what).await.0,
            StatusCode::NOT_FOUND,
            "{what}"
        );
    }
    assert_eq!(act(&b, 999_999, "ready").await.0, StatusCode::NOT_FOUND);
    // Only the author shares; sharing twice is refused plainly.
    let (status, body) = act(&b, shared, "share").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("Only the person who wrote"));
    let (status, body) = act(&a, shared, "share").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(body["message"].as_str().unwrap().contains("already shared"));

    // Carrying forward before both are ready, by page and by API.
    let r = ben
        .post(
            &format!("/past/incidents/{shared}/carry"),
            &[("text", "Too soon")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(page.contains("once you have both said you are ready"));

    // A form without its token, a visitor, an id that is not a number.
    let r = ana
        .post_raw(&format!("/past/incidents/{shared}/ready"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        seen(&a, shared).await.unwrap()["ready"],
        false,
        "nothing was done"
    );
    let anon = app.api();
    assert_eq!(
        act(&anon, shared, "ready").await.0,
        StatusCode::UNAUTHORIZED
    );
    let r = a.post("/api/v1/incidents/abc/ready", json!({})).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // A replayed "ready" is still one yes: Ben's alone never lays it to rest.
    for _ in 0..3 {
        act(&b, shared, "ready").await;
    }
    assert_eq!(seen(&a, shared).await.unwrap()["status"], "shared");
}

async fn bad_input_is_explained_and_nothing_typed_is_lost(app: TestApp) {
    let (ana, _ben) = app.couple("ana", "ben").await;
    let a = ana.api_as("ana").await;
    let fields = |v: &Value| -> Vec<String> {
        v["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_owned())
            .collect()
    };
    let r = a.post("/api/v1/incidents", json!({"name": "  "})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r.json().await.unwrap()), ["name"]);
    let huge = "é".repeat(4001);
    let r = a
        .post(
            "/api/v1/incidents",
            json!({"name": "ok", "description": huge}),
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(fields(&v), ["description"]);
    assert!(v["fields"][0]["message"]
        .as_str()
        .unwrap()
        .contains("4001 characters"));
    let r = a
        .post("/api/v1/incidents", json!({"name": "two\nlines\u{0}"}))
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = a.post("/api/v1/incidents", json!({"name": 42})).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = a
        .http
        .post(format!("{}/api/v1/incidents", a.base))
        .bearer_auth(a.token.as_ref().unwrap())
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // Odd Unicode is kept exactly.
    let odd = "Ле́то \u{202e}שלום\u{202c} 👩‍❤️‍👨 e\u{301}";
    let id = record(&a, odd, "ﬁne ＦＵＬＬ", false).await;
    let v = seen(&a, id).await.unwrap();
    assert_eq!(v["name"], odd);
    assert_eq!(v["description"], "ﬁne ＦＵＬＬ");

    // A page form that needs another look comes back with what was typed.
    let r = ana
        .post(
            "/past/incidents",
            &[
                ("name", ""),
                ("description", "Words I do not want to lose."),
                ("share", "yes"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("Words I do not want to lose."));
    assert!(page.contains("Please fill this in."));
    let (_, list) = a.json("/api/v1/incidents").await;
    assert_eq!(list.as_array().unwrap().len(), 1, "nothing half-saved");
}

async fn the_pages_walk_through_it_without_javascript(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (status, page) = ana.page("/past").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Name something that happened"));

    let r = ana
        .post(
            "/past/incidents",
            &[
                ("name", "The quiet weekend"),
                ("description", "When I went silent."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id: i64 = r.headers()["location"]
        .to_str()
        .unwrap()
        .rsplit('-')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (_, page) = ana.page("/past").await;
    assert!(page.contains("Only yours") && page.contains("Share it with ben"));
    let (_, page) = ben.page("/past").await;
    assert!(!page.contains("The quiet weekend"));

    assert_eq!(
        ana.post(&format!("/past/incidents/{id}/share"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        ben.post(&format!("/past/incidents/{id}/ready"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (_, page) = ben.page("/past").await;
    assert!(page.contains("You have said you are ready"));
    assert!(page.contains("I am not ready after all"));
    let (_, page) = ana.page("/past").await;
    assert!(page.contains("The quiet weekend") && !page.contains("You have said you are ready"));
    assert!(
        !page.contains("ben is ready") && !page.contains("ben has said"),
        "no nudge"
    );
    assert_eq!(
        ana.post(&format!("/past/incidents/{id}/ready"), &[])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let (_, page) = ana.page("/past").await;
    assert!(page.contains("Laid to rest together on"));
    assert!(page.contains("What I carry forward"));
    let r = ana
        .post(&format!("/past/incidents/{id}/carry"), &[("text", "")])
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = ana
        .post(
            &format!("/past/incidents/{id}/carry"),
            &[("text", "Patience with each other.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = ana.page("/past").await;
    assert!(page.contains("Patience with each other."));
    assert!(page.contains("shown side by side once you have both written"));
}
