//! Stage 6, clear boundaries: proposals that take effect only with the
//! other partner's consent, versions that are only ever added, the
//! difference between any two, and every request that must not work.

mod common;

use common::{Api, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};

on_both_engines!(
    a_boundary_takes_effect_only_when_the_other_consents,
    declining_needs_a_reason_that_both_then_see,
    a_counter_proposal_waits_for_the_first_partner,
    only_the_proposer_withdraws_and_only_while_it_waits,
    any_two_versions_can_be_compared_word_by_word,
    a_change_overtaken_by_another_needs_a_fresh_look,
    forged_and_replayed_requests_fail_clearly,
    bad_input_is_explained_and_nothing_typed_is_lost,
    the_coach_reads_what_goes_to_the_partner,
    strangers_and_visitors_see_nothing_of_the_agreement,
    racing_consents_make_one_version_each,
    the_agreement_rests_with_the_shared_space,
);

async fn propose(api: &Api, body: Value) -> Value {
    let r = api.post("/api/v1/agreement/proposals", body).await;
    assert_eq!(r.status(), StatusCode::CREATED, "a proposal is made");
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sent"], true);
    v["proposal"].clone()
}

async fn add(api: &Api, text: &str) -> i64 {
    propose(api, json!({"kind": "add", "text": text})).await["id"]
        .as_i64()
        .unwrap()
}

fn action(id: i64, what: &str) -> String {
    format!("/api/v1/agreement/proposals/{id}/{what}")
}

async fn consent(api: &Api, id: i64) -> Value {
    let r = api.post(&action(id, "consent"), json!({})).await;
    assert_eq!(r.status(), StatusCode::CREATED, "consent makes a version");
    r.json().await.unwrap()
}

async fn status_of(api: &Api, id: i64) -> Value {
    let (_, all) = api.json("/api/v1/agreement/proposals").await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("proposal {id} is listed: {all}"))
}

async fn message(r: reqwest::Response) -> String {
    let v: Value = r.json().await.unwrap();
    v["message"].as_str().unwrap_or_default().to_owned()
}

async fn a_boundary_takes_effect_only_when_the_other_consents(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;

    let (status, page) = ana.page("/agreement").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Nothing is agreed yet"));

    // Ana proposes on the page; nothing is agreed until Ben says yes.
    let r = ana
        .post(
            "/agreement/proposals",
            &[
                ("kind", "add"),
                ("text", "No contact with Sam outside work."),
                ("why", "I need to feel safe again."),
                ("note", "Can we talk about this on Sunday?"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = location.rsplit('-').next().unwrap().parse().unwrap();
    let (_, page) = ana.page("/agreement").await;
    assert!(page.contains("Nothing is agreed yet"));
    assert!(page.contains("Waiting for ben to answer."));
    let (_, page) = ben.page("/agreement").await;
    assert!(page.contains("No contact with Sam outside work."));
    assert!(page.contains("Can we talk about this on Sunday?"));
    assert!(page.contains("I consent"));

    // Ana cannot consent to her own proposal.
    let r = ana
        .post(&format!("/agreement/proposals/{id}/consent"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r.text().await.unwrap().contains("Only your partner"));

    // Ben consents: version 1, for both.
    let r = ben
        .post(&format!("/agreement/proposals/{id}/consent"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    for who in [&ana, &ben] {
        let (_, page) = who.page("/agreement").await;
        assert!(page.contains("Version 1, agreed on"));
        assert!(page.contains("No contact with Sam outside work."));
        assert!(page.contains("Why: I need to feel safe again."));
        assert!(page.contains("Nothing is waiting."));
    }
    let ana_api = ana.api_as("ana").await;
    let ben_api = ben.api_as("ben").await;
    let (_, a) = ana_api.json("/api/v1/agreement").await;
    assert_eq!(a["current"]["version"], 1);
    assert_eq!(a["current"]["proposed_by"], "me");
    assert_eq!(a["current"]["consented_by"], "partner");
    let key = a["current"]["boundaries"][0]["key"].as_i64().unwrap();
    assert_eq!(a["current"]["boundaries"][0]["since"], 1);

    // Ben proposes new wording, Ana consents: version 2; then letting it go: version 3.
    let change = propose(
        &ben_api,
        json!({"kind": "change", "boundary": key, "text": "No contact with Sam outside work, and no private messages."}),
    )
    .await;
    assert_eq!(change["boundary"], key);
    let v2 = consent(&ana_api, change["id"].as_i64().unwrap()).await;
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["boundaries"][0]["key"], key, "the same boundary");
    assert_eq!(v2["proposed_by"], "partner");
    let remove = propose(
        &ana_api,
        json!({"kind": "remove", "boundary": key.to_string()}),
    )
    .await;
    let v3 = consent(&ben_api, remove["id"].as_i64().unwrap()).await;
    assert_eq!(v3["version"], 3);
    assert_eq!(v3["boundaries"], json!([]));

    // The history keeps every version, who proposed and who consented.
    let (_, history) = ben_api.json("/api/v1/agreement/versions").await;
    let summaries: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        summaries,
        [
            "Added \u{201c}No contact with Sam outside work.\u{201d}",
            "Reworded \u{201c}No contact with Sam outside work.\u{201d} as \u{201c}No contact with Sam outside work, and no private messages.\u{201d}",
            "Let go of \u{201c}No contact with Sam outside work, and no private messages.\u{201d}",
        ]
    );
    assert_eq!(history[0]["proposed_by"], "partner", "as Ben sees it");
    assert!(history[0]["accepted_at"].as_i64().unwrap() > 0);
    let (_, page) = ana.page("/agreement").await;
    assert!(page.contains("Version 3, agreed on"));
    assert!(page.contains("Proposed by you, consented to by ben."));
    assert!(page.contains("Proposed by ben, consented to by you."));

    // Any earlier version stays as it was.
    let (status, v1) = ben.page("/agreement/versions/1").await;
    assert_eq!(status, StatusCode::OK);
    assert!(v1.contains("No contact with Sam outside work."));
    assert!(v1.contains("This is an earlier version"));
    let (_, v1) = ben_api.json("/api/v1/agreement/versions/1").await;
    assert_eq!(
        v1["boundaries"][0]["text"],
        "No contact with Sam outside work."
    );
    let (_, v0) = ben_api.json("/api/v1/agreement/versions/0").await;
    assert_eq!(v0["boundaries"], json!([]));
    assert_eq!(v0["accepted_at"], Value::Null);
    assert_eq!(
        ben.page("/agreement/versions/4").await.0,
        StatusCode::NOT_FOUND
    );

    // A copy to print, of any version, with both consents.
    let (status, print) = ana.page("/agreement/print?version=2").await;
    assert_eq!(status, StatusCode::OK);
    assert!(print.contains("class=\"print-sheet\""));
    assert!(print.contains("version 2"));
    assert!(print.contains("No contact with Sam outside work, and no private messages."));
    assert!(print.contains("proposed by ben and consented to by ana on"));
    let (_, print) = ana.page("/agreement/print").await;
    assert!(print.contains("version 3") && print.contains("No boundaries in this version."));

    // The couple's timeline will read the same versions from the store.
    let (_, mine) = ana_api.json("/api/v1/couple").await;
    let couple = kintsugi_core::CoupleId(mine["id"].as_i64().unwrap());
    let timeline = app.state.store.agreement_versions(couple).await.unwrap();
    assert_eq!(timeline.len(), 3);
    assert!(timeline
        .windows(2)
        .all(|w| w[0].accepted_at <= w[1].accepted_at));
    assert_eq!(timeline[0].summary, summaries[0]);
}

async fn declining_needs_a_reason_that_both_then_see(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let ana_api = ana.api_as("ana").await;
    let id = add(&ana_api, "We share our phone passwords.").await;

    let r = ben
        .post(
            &format!("/agreement/proposals/{id}/decline"),
            &[("reason", "  ")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Say in a few words why not"));
    assert_eq!(status_of(&ana_api, id).await["status"], "pending");

    let r = ben
        .post(
            &format!("/agreement/proposals/{id}/decline"),
            &[("reason", "I would rather we rebuild this by talking first.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = status_of(&ana_api, id).await;
    assert_eq!(p["status"], "declined");
    assert_eq!(p["closed_by"], "partner");
    assert_eq!(
        p["reason"],
        "I would rather we rebuild this by talking first."
    );
    let (_, page) = ana.page("/agreement").await;
    assert!(page.contains("Proposals that did not go ahead"));
    assert!(page.contains("I would rather we rebuild this by talking first."));
    let (_, a) = ana_api.json("/api/v1/agreement").await;
    assert_eq!(a["current"]["version"], 0, "nothing took effect");

    // A declined proposal takes no other answer.
    let ben_api = ben.api_as("ben").await;
    let r = ben_api.post(&action(id, "consent"), json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(message(r).await.contains("no longer open: it was declined"));
    let r = ben_api
        .post(&action(id, "decline"), json!({"reason": "Again"}))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);

    // Through the API, the reason is required too.
    let id = add(&ana_api, "We say goodnight, even after a fight.").await;
    let r = ben_api.post(&action(id, "decline"), json!({})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["fields"][0]["field"], "reason");
    let r = ben_api
        .post(
            &action(id, "decline"),
            json!({"reason": "Not yet, but soon."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["proposal"]["status"], "declined");
}

async fn a_counter_proposal_waits_for_the_first_partner(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let ana_api = ana.api_as("ana").await;
    let ben_api = ben.api_as("ben").await;
    let id = add(&ana_api, "We are home by ten on weeknights.").await;

    // Ana cannot answer her own proposal with other wording.
    let r = ana_api
        .post(&action(id, "counter"), json!({"text": "Home by nine."}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // Ben offers other wording on the page; the original closes as countered.
    let r = ben
        .post(
            &format!("/agreement/proposals/{id}/counter"),
            &[
                ("text", "We are home by ten on weeknights, or we call."),
                ("note", "Sometimes the train is late."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let original = status_of(&ana_api, id).await;
    assert_eq!(original["status"], "countered");
    assert_eq!(original["closed_by"], "partner");
    let (_, a) = ana_api.json("/api/v1/agreement").await;
    let counter = a["pending"][0].clone();
    assert_eq!(a["pending"].as_array().unwrap().len(), 1);
    assert_eq!(counter["counters"], id);
    assert_eq!(counter["proposed_by"], "partner");
    assert_eq!(
        counter["text"],
        "We are home by ten on weeknights, or we call."
    );
    assert_eq!(counter["note"], "Sometimes the train is late.");
    let cid = counter["id"].as_i64().unwrap();

    // Now Ben waits and Ana answers.
    let r = ben_api.post(&action(cid, "consent"), json!({})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = ana_api.post(&action(id, "consent"), json!({})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "her own, even closed");
    let r = ben_api.post(&action(id, "consent"), json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT, "the original is closed");
    let (_, page) = ana.page("/agreement").await;
    assert!(page.contains("in answer to an earlier proposal"));
    assert!(page.contains("I consent"));
    let v1 = consent(&ana_api, cid).await;
    assert_eq!(v1["version"], 1);
    assert_eq!(
        v1["boundaries"][0]["text"],
        "We are home by ten on weeknights, or we call."
    );

    // A counter to letting a boundary go offers new wording instead.
    let key = v1["boundaries"][0]["key"].as_i64().unwrap();
    let remove = propose(&ben_api, json!({"kind": "remove", "boundary": key})).await;
    let r = ana_api
        .post(
            &action(remove["id"].as_i64().unwrap(), "counter"),
            json!({"text": "We are home by eleven, or we call."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["proposal"]["kind"], "change");
    assert_eq!(v["proposal"]["boundary"], key);
    // The same words as proposed are not a counter.
    let p = add(&ana_api, "We cook together on Sundays.").await;
    let r = ben_api
        .post(
            &action(p, "counter"),
            json!({"text": "We cook together on Sundays."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

async fn only_the_proposer_withdraws_and_only_while_it_waits(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let ana_api = ana.api_as("ana").await;
    let ben_api = ben.api_as("ben").await;
    let id = add(&ana_api, "We put our phones away at dinner.").await;

    let r = ben
        .post(&format!("/agreement/proposals/{id}/withdraw"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("Only the partner who made a proposal"));
    let r = ana
        .post(&format!("/agreement/proposals/{id}/withdraw"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = status_of(&ben_api, id).await;
    assert_eq!(p["status"], "withdrawn");
    assert_eq!(p["closed_by"], "partner");

    // Withdrawn is closed: no consent, no second withdrawal.
    let r = ben
        .post(&format!("/agreement/proposals/{id}/consent"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r
        .text()
        .await
        .unwrap()
        .contains("no longer open: it was withdrawn"));
    let r = ana_api.post(&action(id, "withdraw"), json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (_, a) = ben_api.json("/api/v1/agreement").await;
    assert_eq!(a["current"]["version"], 0);
    assert_eq!(a["pending"], json!([]));

    // An agreed proposal cannot be withdrawn either.
    let id = add(&ana_api, "We plan one evening a week together.").await;
    consent(&ben_api, id).await;
    let r = ana_api.post(&action(id, "withdraw"), json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(message(r).await.contains("it was agreed"));
}

async fn any_two_versions_can_be_compared_word_by_word(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let ana_api = ana.api_as("ana").await;
    let ben_api = ben.api_as("ben").await;
    let first = add(&ana_api, "We are home by ten.").await;
    consent(&ben_api, first).await;
    let second = add(&ben_api, "No contact with Sam.").await;
    let v2 = consent(&ana_api, second).await;
    let home = v2["boundaries"][0]["key"].as_i64().unwrap();
    let sam = v2["boundaries"][1]["key"].as_i64().unwrap();
    let change = propose(
        &ana_api,
        json!({"kind": "change", "boundary": home, "text": "We are home by eleven on weekdays.", "why": "Work runs late."}),
    )
    .await;
    consent(&ben_api, change["id"].as_i64().unwrap()).await;
    let remove = propose(&ben_api, json!({"kind": "remove", "boundary": sam})).await;
    consent(&ana_api, remove["id"].as_i64().unwrap()).await;
    let third = add(&ana_api, "We share our calendars.").await;
    consent(&ben_api, third).await;

    // From version 1 to 5: one reworded, one added; Sam came and went between.
    let (status, d) = ana_api.json("/api/v1/agreement/diff?from=1&to=5").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((d["from"].as_i64(), d["to"].as_i64()), (Some(1), Some(5)));
    let changes: Vec<&str> = d["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["changed", "added"]);
    let words = &d["differences"][0]["words"];
    assert_eq!(
        words[0],
        json!({"change": "same", "text": "We are home by "})
    );
    assert!(words
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["change"] == "removed" && w["text"].as_str().unwrap().contains("ten.")));
    assert!(words
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["change"] == "added" && w["text"].as_str().unwrap().contains("eleven")));
    assert_eq!(d["differences"][0]["after"]["why"], "Work runs late.");

    // Any pair, in either direction; by default the latest change.
    let (_, d) = ben_api.json("/api/v1/agreement/diff?from=4&to=2").await;
    let changes: Vec<&str> = d["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["change"].as_str().unwrap())
        .collect();
    assert_eq!(
        changes,
        ["changed", "added"],
        "Sam's boundary comes back going backwards"
    );
    let (_, d) = ben_api.json("/api/v1/agreement/diff").await;
    assert_eq!((d["from"].as_i64(), d["to"].as_i64()), (Some(4), Some(5)));
    assert_eq!(
        d["differences"][0]["boundary"]["text"],
        "We share our calendars."
    );
    let (_, d) = ben_api.json("/api/v1/agreement/diff?from=3&to=3").await;
    assert_eq!(d["differences"], json!([]));

    // The page shows what went struck through and what came underlined.
    let (status, page) = ben.page("/agreement/diff?from=0&to=3").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("From version 0 to version 3"));
    assert!(page.contains("<ins>We are home by eleven on weekdays.</ins>"));
    let (_, page) = ben.page("/agreement/diff?from=2&to=3").await;
    assert!(page.contains("<del>"), "{page}");
    assert!(page.contains("<ins>"));
    assert!(page.contains("Reworded"));
    let (_, page) = ben.page("/agreement/diff?from=3&to=4").await;
    assert!(page.contains("Let go") && page.contains("<del>No contact with Sam.</del>"));

    // Versions that do not exist, or are not numbers.
    assert_eq!(
        ben_api.json("/api/v1/agreement/diff?from=0&to=9").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        ben_api.json("/api/v1/agreement/diff?from=-1&to=2").await.0,
        StatusCode::NOT_FOUND
    );
    let (status, body) = ben_api.json("/api/v1/agreement/diff?from=one&to=2").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["message"]
        .as_str()
        .unwrap()
        .contains("not a version number"));
    assert_eq!(
        ben.page("/agreement/diff?from=x").await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        ben.page("/agreement/versions/two").await.0,
        StatusCode::BAD_REQUEST
    );
}

async fn a_change_overtaken_by_another_needs_a_fresh_look(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let ana_api = ana.api_as("ana").await;
    let ben_api = ben.api_as("ben").await;
    let first = add(&ana_api, "We are home by ten.").await;
    let v1 = consent(&ben_api, first).await;
    let key = v1["boundaries"][0]["key"].as_i64().unwrap();

    // Two proposals about the same boundary, made against version 1.
    let change = propose(
        &ana_api,
        json!({"kind": "change", "boundary": key, "text": "We are home by eleven."}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    let removal = propose(&ben_api, json!({"kind": "remove", "boundary": key})).await["id"]
        .as_i64()
        .unwrap();
    let other = propose(
        &ben_api,
        json!({"kind": "change", "boundary": key, "text": "We are home by half past ten."}),
    )
    .await["id"]
        .as_i64()
        .unwrap();
    consent(&ben_api, change).await;

    // The removal was made against wording that is gone: it needs a fresh look.
    let (_, a) = ana_api.json("/api/v1/agreement").await;
    let stale: Vec<i64> = a["pending"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["needs_fresh_look"] == true)
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert_eq!(stale, [removal, other]);
    let (_, page) = ana.page("/agreement").await;
    assert!(page.contains("needs a fresh look"));
    let r = ana
        .post(&format!("/agreement/proposals/{removal}/consent"), &[])
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let page = r.text().await.unwrap();
    assert!(page.contains("needs a fresh look"), "{page}");
    let p = status_of(&ana_api, removal).await;
    assert_eq!(p["status"], "stale", "marked stale");
    assert_eq!(p["closed_by"], "me");
    let (_, a) = ana_api.json("/api/v1/agreement").await;
    assert_eq!(a["current"]["version"], 2, "no version was made");
    assert_eq!(
        a["current"]["boundaries"][0]["text"],
        "We are home by eleven."
    );

    // Once stale it is closed; countering the other stale one marks it too.
    let r = ana_api.post(&action(removal, "consent"), json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(message(r).await.contains("overtaken"));
    let r = ana_api
        .post(
            &action(other, "counter"),
            json!({"text": "We are home by midnight."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(message(r).await.contains("fresh look"));
    assert_eq!(status_of(&ana_api, other).await["status"], "stale");

    // A proposal about a boundary that is gone is refused as it is made.
    let removal = propose(&ana_api, json!({"kind": "remove", "boundary": key})).await;
    consent(&ben_api, removal["id"].as_i64().unwrap()).await;
    let r = ben_api
        .post(
            "/api/v1/agreement/proposals",
            json!({"kind": "change", "boundary": key, "text": "Home by nine."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["fields"][0]["field"], "boundary");
}

async fn forged_and_replayed_requests_fail_clearly(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (cyd, dee) = app.couple("cyd", "dee").await;
    let ana_api = ana.api_as("ana").await;
    let ben_api = ben.api_as("ben").await;
    let cyd_api = cyd.api_as("cyd").await;
    let dee_api = dee.api_as("dee").await;
    let id = add(&ana_api, "We tell each other when plans change.").await;

    // Another couple's proposal is simply not there, whatever is tried.
    for what in ["consent", "decline", "counter", "withdraw"] {
        let body = json!({"reason": "no", "text": "Other words."});
        for api in [&cyd_api, &dee_api] {
            let r = api.post(&action(id, what), body.clone()).await;
            assert_eq!(
                r.status(),
                StatusCode::NOT_FOUND,
                "{what} from another couple"
            );
        }
        let r = cyd
            .post(
                &format!("/agreement/proposals/{id}/{what}"),
                &[("reason", "no"), ("text", "Other words.")],
            )
            .await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert!(!r.text().await.unwrap().contains("plans change"));
        let r = ben_api.post(&action(id + 1000, what), body).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{what} on no proposal");
    }

    // One's own proposal: no consenting, declining or countering it.
    for (what, body) in [
        ("consent", json!({})),
        ("decline", json!({"reason": "changed my mind"})),
        ("counter", json!({"text": "Other words."})),
    ] {
        let r = ana_api.post(&action(id, what), body).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{what} one's own");
        assert!(message(r).await.contains("Only your partner"));
    }
    let r = ana
        .post(
            &format!("/agreement/proposals/{id}/decline"),
            &[("reason", "no")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // A replayed consent makes no second version.
    let v = consent(&ben_api, id).await;
    assert_eq!(v["version"], 1);
    for _ in 0..2 {
        let r = ben_api.post(&action(id, "consent"), json!({})).await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
        assert!(message(r).await.contains("it was agreed"));
        let r = ben
            .post(&format!("/agreement/proposals/{id}/consent"), &[])
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT);
    }
    let (_, history) = ana_api.json("/api/v1/agreement/versions").await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    for what in ["decline", "counter"] {
        let r = ben_api
            .post(
                &action(id, what),
                json!({"reason": "late", "text": "Late words."}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CONFLICT, "{what} after agreeing");
    }

    // A boundary of another couple cannot be changed through one's own.
    let theirs = add(&cyd_api, "We go to bed at the same time.").await;
    let v = consent(&dee_api, theirs).await;
    let their_key = v["boundaries"][0]["key"].as_i64().unwrap();
    let r = ana_api
        .post(
            "/api/v1/agreement/proposals",
            json!({"kind": "remove", "boundary": their_key}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, theirs) = cyd_api.json("/api/v1/agreement").await;
    assert_eq!(theirs["pending"], json!([]));
    assert_eq!(theirs["current"]["version"], 1);

    // Forms without the page's token save nothing; ids that are not numbers are refused.
    let r = ben
        .post_raw(
            &format!("/agreement/proposals/{id}/decline"),
            &[("reason", "x")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = ben_api
        .post("/api/v1/agreement/proposals/abc/consent", json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

async fn bad_input_is_explained_and_nothing_typed_is_lost(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let ana_api = ana.api_as("ana").await;

    // An empty boundary with a long note: both explained, the note kept.
    let note = "Could we talk about it tonight?";
    let r = ana
        .post(
            "/agreement/proposals",
            &[
                ("kind", "add"),
                ("text", "  "),
                ("why", "It matters to me."),
                ("note", note),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("Write the boundary in a sentence"));
    assert!(page.contains(note) && page.contains("It matters to me."));

    // Too long, and control characters: refused with the words kept.
    let long = "x".repeat(301);
    let r = ana
        .post(
            "/agreement/proposals",
            &[("kind", "add"), ("text", long.as_str())],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("please keep it to 300") && page.contains(&long));
    let r = ana_api
        .post(
            "/api/v1/agreement/proposals",
            json!({"kind": "add", "text": "Fine\u{1b}[31m"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = ana_api
        .post(
            "/api/v1/agreement/proposals",
            json!({"kind": "bargain", "text": "x"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let r = ana_api
        .post("/api/v1/agreement/proposals", json!({"kind": 5}))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = ana_api
        .http
        .post(format!("{}/api/v1/agreement/proposals", ana_api.base))
        .bearer_auth(ana_api.token.as_ref().unwrap())
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // Odd but genuine Unicode is kept exactly.
    let text =
        "Nous parlons d\u{2019}abord \u{2014} \u{05e9}\u{05dc}\u{05d5}\u{05dd} \u{1f91d} e\u{301}";
    let id = add(&ana_api, text).await;
    let (_, page) = ben.page("/agreement").await;
    assert!(page.contains(text));
    let ben_api = ben.api_as("ben").await;
    let v = consent(&ben_api, id).await;
    assert_eq!(v["boundaries"][0]["text"], text);

    // A reworded boundary that fails keeps its words under that boundary.
    let long_note = "n".repeat(1001);
    let key = v["boundaries"][0]["key"].as_i64().unwrap().to_string();
    let r = ben
        .post(
            "/agreement/proposals",
            &[
                ("kind", "change"),
                ("boundary", key.as_str()),
                ("text", "New words"),
                ("note", long_note.as_str()),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("details class=\"propose-change\" open"));
    assert!(page.contains(">New words</textarea>"));

    // A counter that fails keeps its words under the proposal it answers.
    let id = add(&ana_api, "We walk together on Saturdays.").await;
    let r = ben
        .post(
            &format!("/agreement/proposals/{id}/counter"),
            &[
                ("text", ""),
                ("why", "Saturdays are busy"),
                ("note", "Sunday?"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains("details class=\"counter\" open"));
    assert!(
        page.contains(">Saturdays are busy</textarea>") && page.contains(">Sunday?</textarea>")
    );
}

async fn the_coach_reads_what_goes_to_the_partner(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let harsh = "You never tell me where you are, so you will text me every hour.";

    // Held back once, with the coach's reading and the words kept.
    let r = ana
        .post("/agreement/proposals", &[("kind", "add"), ("text", harsh)])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("The coach has a concern"));
    assert!(page.contains("Criticism"), "the findings are shown");
    assert!(page.contains("Propose it as it is"));
    assert!(page.contains(harsh));
    let (_, page) = ben.page("/agreement").await;
    assert!(!page.contains("text me every hour"), "nothing was sent");

    // The author decides: sent as it is.
    let r = ana
        .post(
            "/agreement/proposals",
            &[("kind", "add"), ("text", harsh), ("send_anyway", "yes")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, page) = ben.page("/agreement").await;
    assert!(page.contains("text me every hour"));

    // The API says the same, and a decline's reason is read too.
    let ben_api = ben.api_as("ben").await;
    let (_, a) = ben_api.json("/api/v1/agreement").await;
    let id = a["pending"][0]["id"].as_i64().unwrap();
    let r = ben_api
        .post(
            &action(id, "decline"),
            json!({"reason": "You always try to control me."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sent"], false);
    assert_eq!(v["analysis"]["concern"], true);
    assert_eq!(status_of(&ben_api, id).await["status"], "pending");
    let r = ben_api
        .post(
            &action(id, "decline"),
            json!({"reason": "I feel watched when I have to report every hour.", "send_anyway": false}),
        )
        .await;
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sent"], true, "{v}");
    let r = ana
        .api_as("ana")
        .await
        .post(
            "/api/v1/agreement/proposals",
            json!({"kind": "add", "text": "You are selfish, so you will call me at lunch."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(
        (v["sent"].clone(), v["proposal"].clone()),
        (json!(false), Value::Null)
    );
}

async fn strangers_and_visitors_see_nothing_of_the_agreement(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (cyd, _dee) = app.couple("cyd", "dee").await;
    let ana_api = ana.api_as("ana").await;
    let id = add(&ana_api, "Our word is saffronhearth.").await;
    consent(&ben.api_as("ben").await, id).await;
    let pending = add(&ana_api, "Our other word is tidalpebble.").await;

    let cyd_api = cyd.api_as("cyd").await;
    for path in [
        "/agreement",
        "/agreement/versions/0",
        "/agreement/print",
        "/agreement/diff?from=0&to=0",
    ] {
        let (status, page) = cyd.page(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(!page.contains("saffronhearth") && !page.contains("tidalpebble"));
    }
    assert_eq!(
        cyd.page("/agreement/versions/1").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        cyd.page("/agreement/print?version=1").await.0,
        StatusCode::NOT_FOUND
    );
    for path in [
        "/api/v1/agreement",
        "/api/v1/agreement/versions",
        "/api/v1/agreement/proposals",
        "/api/v1/agreement/diff",
    ] {
        let (status, body) = cyd_api.json(path).await;
        assert_eq!(status, StatusCode::OK);
        let body = body.to_string();
        assert!(!body.contains("saffronhearth") && !body.contains("tidalpebble"));
    }
    assert_eq!(
        cyd_api.json("/api/v1/agreement/versions/1").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        cyd_api.json("/api/v1/agreement/diff?from=0&to=1").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        cyd_api
            .post(&action(pending, "consent"), json!({}))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    // Not logged in: the pages ask to log in, the API says so.
    let visitor = app.browser();
    for path in [
        "/agreement",
        "/agreement/versions/1",
        "/agreement/print",
        "/agreement/diff",
    ] {
        let r = visitor.get(path).await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        assert!(r.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login"));
    }
    let anon = app.api();
    assert_eq!(
        anon.json("/api/v1/agreement").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anon.post(&action(pending, "consent"), json!({}))
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // Alone, there is no agreement yet: it needs both partners.
    let solo = app.founder("solo", "both").await;
    let (_, page) = solo.page("/agreement").await;
    assert!(page.contains("An agreement needs both of you"));
    let r = solo
        .api_as("solo")
        .await
        .post(
            "/api/v1/agreement/proposals",
            json!({"kind": "add", "text": "x"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn racing_consents_make_one_version_each(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let ana_api = ana.api_as("ana").await;
    let ben_api = ben.api_as("ben").await;
    let ids: Vec<i64> = futures_join((0..4).map(|i| {
        let api = &ana_api;
        async move { add(api, &format!("Boundary number {i}.")).await }
    }))
    .await;

    // Four consents at once, each to a different proposal: four versions.
    let replies = futures_join(ids.iter().map(|id| {
        let api = &ben_api;
        async move { api.post(&action(*id, "consent"), json!({})).await.status() }
    }))
    .await;
    assert!(
        replies.iter().all(|s| *s == StatusCode::CREATED),
        "{replies:?}"
    );
    let (_, a) = ana_api.json("/api/v1/agreement").await;
    assert_eq!(a["current"]["version"], 4);
    assert_eq!(a["current"]["boundaries"].as_array().unwrap().len(), 4);

    // The same consent sent four times at once: one version.
    let id = add(&ana_api, "Boundary number 5.").await;
    let replies = futures_join((0..4).map(|_| {
        let api = &ben_api;
        async move { api.post(&action(id, "consent"), json!({})).await.status() }
    }))
    .await;
    assert_eq!(
        replies
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{replies:?}"
    );
    assert!(replies
        .iter()
        .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT));
    let (_, history) = ana_api.json("/api/v1/agreement/versions").await;
    assert_eq!(history.as_array().unwrap().len(), 5);
}

/// Runs futures at once and returns their results in order.
async fn futures_join<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let pinned: Vec<_> = futures.map(Box::pin).collect();
    let mut outputs = Vec::new();
    let mut pending: Vec<_> = pinned.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all_done = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all_done = false,
                }
            }
        }
        if all_done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    outputs.extend(results.into_iter().map(Option::unwrap));
    outputs
}

async fn the_agreement_rests_with_the_shared_space(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let ana_api = ana.api_as("ana").await;
    let id = add(&ana_api, "Our word is lanternmoth.").await;
    consent(&ben.api_as("ben").await, id).await;
    let pending = add(&ana_api, "We check in each evening.").await;

    let mut answers = common::safe_answers();
    answers[0].1 = "yes";
    ben.post("/safety", &answers).await;

    for who in [&ana, &ben] {
        let (status, page) = who.page("/agreement").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("resting"));
        assert!(!page.contains("lanternmoth"));
    }
    let ben_api = ben.api_as("ben").await;
    let r = ben_api.post(&action(pending, "consent"), json!({})).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(message(r).await.contains("resting"));
    let (status, body) = ana_api.json("/api/v1/agreement").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!body.to_string().contains("lanternmoth"));
    assert_eq!(status_of_raw(&ana_api).await, StatusCode::FORBIDDEN);
}

async fn status_of_raw(api: &Api) -> StatusCode {
    api.get("/api/v1/agreement/proposals").await.status()
}
