//! Stage 2, the feelings journal: written, edited and deleted by its author,
//! and never seen by anyone else.

mod common;

use common::TestApp;
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    a_journal_entry_is_written_edited_and_deleted_for_good,
    bad_entries_are_explained_and_keep_what_was_written,
    the_api_keeps_the_journal_to_its_author,
);

async fn a_journal_entry_is_written_edited_and_deleted_for_good(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (status, page) = ana.page("/journal").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Only you can ever read it"));

    let r = ana
        .post(
            "/journal",
            &[
                ("feelings", "betrayed"),
                ("feelings", "lonely"),
                ("intensity", "8"),
                ("text", "The drive home was the hardest part."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = to.rsplit("entry-").next().unwrap().parse().unwrap();

    let (_, page) = ana.page("/journal").await;
    assert!(page.contains("The drive home was the hardest part."));
    assert!(page.contains("betrayed") && page.contains("strength 8 of 10"));
    assert!(page.contains("<svg"), "a chart of strength over time");
    assert!(page.contains("Sadness (1)") && page.contains("Anger (1)"));

    // Ben has a journal of his own, empty, and cannot open Ana's entry.
    let (_, his) = ben.page("/journal").await;
    assert!(!his.contains("drive home"));
    assert_eq!(
        ben.page(&format!("/journal/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
    let r = ben
        .post(
            &format!("/journal/{id}"),
            &[("feelings", "calm"), ("intensity", "1")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "nor change it");
    let r = ben
        .post(&format!("/journal/{id}/delete"), &[("confirm", "yes")])
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "nor delete it");

    let r = ana
        .post(
            &format!("/journal/{id}"),
            &[
                ("feelings", "hopeful"),
                ("intensity", "4"),
                ("text", "Later, calmer."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = ana.page(&format!("/journal/{id}")).await;
    assert!(page.contains("Later, calmer.") && !page.contains("drive home"));

    let r = ana.post(&format!("/journal/{id}/delete"), &[]).await;
    assert_eq!(
        r.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "deleting asks to be sure"
    );
    let r = ana
        .post(&format!("/journal/{id}/delete"), &[("confirm", "yes")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        ana.page(&format!("/journal/{id}")).await.0,
        StatusCode::NOT_FOUND
    );
}

async fn bad_entries_are_explained_and_keep_what_was_written(app: TestApp) {
    let ana = app.browser();
    ana.signup("ana").await;
    let r = ana
        .post(
            "/journal",
            &[
                ("feelings", "invincible"),
                ("intensity", "11"),
                ("day", "2999-01-01"),
                ("text", "Words worth keeping"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("not one of the feelings listed"));
    assert!(page.contains("from 1 to 10"));
    assert!(page.contains("day still to come"));
    assert!(page.contains("Words worth keeping"), "the text comes back");
    let r = ana.post("/journal", &[("intensity", "3")]).await;
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Choose at least one feeling"));
}

async fn the_api_keeps_the_journal_to_its_author(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (ana, ben) = (ana.api_as("ana").await, ben.api_as("ben").await);

    let r = ana
        .post(
            "/api/v1/journal",
            json!({"feelings": ["Anxious", "tender"], "intensity": 6, "text": "private words"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let entry: Value = r.json().await.unwrap();
    assert_eq!(entry["feelings"], json!(["anxious", "tender"]));
    let id = entry["id"].as_i64().unwrap();

    let (status, list) = ana.json("/api/v1/journal").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (_, list) = ben.json("/api/v1/journal").await;
    assert_eq!(list, json!([]), "the partner's journal is their own");
    assert_eq!(
        ben.json(&format!("/api/v1/journal/{id}")).await.0,
        StatusCode::NOT_FOUND
    );

    let put = |api: &common::Api, body: Value| {
        let req = api
            .http
            .put(format!("{}/api/v1/journal/{id}", api.base))
            .bearer_auth(api.token.clone().unwrap())
            .json(&body);
        async move { req.send().await.unwrap() }
    };
    let r = put(&ben, json!({"feelings": ["calm"], "intensity": 1})).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = put(&ana, json!({"feelings": [], "intensity": 1})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = put(&ana, json!({"feelings": ["calm"], "intensity": 2})).await;
    assert_eq!(r.status(), StatusCode::OK);

    let delete = |api: &common::Api| {
        let req = api
            .http
            .delete(format!("{}/api/v1/journal/{id}", api.base))
            .bearer_auth(api.token.clone().unwrap());
        async move { req.send().await.unwrap().status() }
    };
    assert_eq!(delete(&ben).await, StatusCode::NOT_FOUND);
    assert_eq!(delete(&ana).await, StatusCode::NO_CONTENT);
    assert_eq!(delete(&ana).await, StatusCode::NOT_FOUND, "gone for good");

    let (status, vocab) = ana.json("/api/v1/journal/feelings").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(vocab[0]["id"], "sadness");
}
