//! Stage 8, consistent actions: commitments made by the repairing partner,
//! occasions marked by their maker and witnessed by the other, corrections
//! that keep what they correct, the consistency view, the private calendar
//! feed, and every request that must not work.

mod common;

use common::{Api, TestApp};
use reqwest::StatusCode;
use serde_json::{json, Value};
use time::{Date, Duration, OffsetDateTime};

on_both_engines!(
    ben_commits_and_marks_and_ana_witnesses_on_the_pages,
    forged_requests_fail_with_a_clear_message,
    bad_input_is_explained_and_nothing_typed_is_lost,
    changing_or_ending_keeps_the_history,
    the_coach_reads_what_goes_to_the_partner,
    a_correction_keeps_the_first_mark_in_view,
    seen_otherwise_is_shown_and_not_counted,
    past_occasions_count_and_few_do_not_look_certain,
    the_calendar_feed_is_private_and_revocable,
    when_both_are_repairing_each_keeps_their_own,
    racing_marks_land_once,
    strangers_and_visitors_see_nothing,
    the_timeline_reads_a_range_of_commitments_and_marks,
    the_program_suggests_and_counts_commitments,
    how_it_feels_shows_only_check_ins_the_viewer_may_see,
);

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn iso(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

async fn message(r: reqwest::Response) -> String {
    let v: Value = r.json().await.unwrap();
    v["message"].as_str().unwrap_or_default().to_owned()
}

/// Makes a commitment over the API and returns its id.
async fn commit(api: &Api, body: Value) -> i64 {
    let r = api.post("/api/v1/commitments", body).await;
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "a commitment is made: {v}");
    assert_eq!(v["sent"], true);
    v["commitment"]["commitment"]["id"].as_i64().unwrap()
}

fn occasion(id: i64, day: Date, what: &str) -> String {
    format!("/api/v1/commitments/{id}/occasions/{}/{what}", iso(day))
}

async fn detail(api: &Api, id: i64) -> Value {
    let (status, v) = api.json(&format!("/api/v1/commitments/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    v
}

/// The occasion of `day` in a commitment's detail.
fn day_of(detail: &Value, day: Date) -> Value {
    detail["occasions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["day"] == iso(day))
        .cloned()
        .unwrap_or_else(|| panic!("{} is an occasion: {detail}", iso(day)))
}

/// Moves a commitment's start back by `days`, as if it had been made then.
async fn started_ago(app: &TestApp, id: i64, days: i64) {
    let day = iso(today() - Duration::days(days));
    app.execute(&format!(
        "UPDATE commitments SET starts = '{day}' WHERE id = {id}"
    ))
    .await;
}

async fn ben_commits_and_marks_and_ana_witnesses_on_the_pages(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;

    let (status, page) = ben.page("/commitments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Make a commitment"));
    let r = ben
        .post(
            "/commitments",
            &[
                ("text", "I will be home by seven, or call before six."),
                ("repeat", "daily"),
                ("at", "19:00"),
                ("today", &iso(today())),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let id: i64 = location.rsplit('-').next().unwrap().parse().unwrap();

    // Ana sees it, and that the making is Ben's.
    let (_, page) = ana.page("/commitments").await;
    assert!(page.contains("I will be home by seven, or call before six."));
    assert!(page.contains("Every day at 19:00"));
    assert!(page.contains("ben made it"));
    assert!(
        !page.contains("Make a commitment"),
        "Ana is not the one repairing"
    );

    // Ben's today waits for his word; he marks it kept.
    let (_, page) = ben.page("/commitments").await;
    assert!(page.contains("Waiting for your word"));
    assert!(page.contains("I kept it"));
    let mark = format!("/commitments/{id}/occasions/{}/mark", iso(today()));
    let r = ben
        .post(
            &mark,
            &[("mark", "kept"), ("note", "Home at ten to seven.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        format!("/commitments/{id}#occasion-{}", iso(today())).as_str()
    );

    // Ana is asked what she saw, and says so.
    let (_, page) = ana.page("/commitments").await;
    assert!(page.contains("What ben marked"), "{page}");
    assert!(page.contains("Home at ten to seven."));
    let witness = format!("/commitments/{id}/occasions/{}/witness", iso(today()));
    let r = ana
        .post(
            &witness,
            &[("seen", "witnessed"), ("note", "Thank you, I noticed.")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    for (who, browser) in [("ana", &ana), ("ben", &ben)] {
        let (status, page) = browser.page(&format!("/commitments/{id}")).await;
        assert_eq!(status, StatusCode::OK, "{who}");
        assert!(
            page.contains("marked it <strong>kept</strong>"),
            "{who}: {page}"
        );
        assert!(page.contains("saw it"), "{who}");
        assert!(page.contains("Thank you, I noticed."), "{who}");
        let (_, page) = browser.page("/commitments").await;
        assert!(page.contains("<svg"), "{who} sees the chart");
        assert!(page.contains("class=\"band range\""), "{who} sees the band");
        assert!(page.contains("1 kept and 0 missed"), "{who}");
    }

    // The same story in the API: 1 kept, expected (1 + 1) / (1 + 2).
    let api = ana.api_as("ana").await;
    let (_, list) = api.json("/api/v1/commitments").await;
    let c = &list["commitments"][0];
    assert_eq!(c["maker"], "partner");
    assert_eq!(c["schedule"]["rrule"], "FREQ=DAILY");
    assert!((c["reputation"]["expected"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(list["overall"][0]["maker"], "partner");
    let d = detail(&api, id).await;
    let today_occasion = day_of(&d, today());
    assert_eq!(today_occasion["outcome"], "kept");
    assert_eq!(today_occasion["witnesses"][0]["seen"], "witnessed");
}

async fn forged_requests_fail_with_a_clear_message(app: TestApp) {
    let (ana, ben_browser) = app.couple("ana", "ben").await;
    let (_cyd, dee) = app.couple("cyd", "dee").await;
    let (ana, ben) = (ana.api_as("ana").await, ben_browser.api_as("ben").await);
    let dee = dee.api_as("dee").await;

    // Ana is the one who was hurt: commitments are not hers to make.
    let r = ana
        .post(
            "/api/v1/commitments",
            json!({"text": "I will try.", "repeat": "daily"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(message(r)
        .await
        .contains("made by the partner who is repairing"));

    let id = commit(
        &ben,
        json!({"text": "A walk together on Mondays.", "repeat": "weekdays", "days": ["mon"]}),
    )
    .await;
    started_ago(&app, id, 14).await;
    let monday = (0..7)
        .map(|i| today() - Duration::days(i))
        .find(|d| d.weekday() == time::Weekday::Monday)
        .unwrap();
    let not_monday = monday + Duration::days(1);

    // Marking the partner's commitment.
    let r = ana
        .post(&occasion(id, monday, "mark"), json!({"mark": "kept"}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(message(r)
        .await
        .contains("Only the partner who made a commitment marks"));
    // A day the schedule does not produce.
    let r = ben
        .post(&occasion(id, not_monday, "mark"), json!({"mark": "kept"}))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(message(r).await.contains("no occasion on that day"));
    // A day still to come.
    let r = ben
        .post(
            &occasion(id, monday + Duration::days(7), "mark"),
            json!({"mark": "kept"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(message(r).await.contains("has not come yet"));
    // Not a day at all, and not an id.
    let r = ben
        .post(
            &format!("/api/v1/commitments/{id}/occasions/someday/mark"),
            json!({"mark": "kept"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(message(r).await.contains("is not a day"));
    let r = ben
        .post(
            &format!("/api/v1/commitments/x{id}/occasions/{}/mark", iso(monday)),
            json!({"mark": "kept"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    // Witnessing before there is a mark.
    let r = ana
        .post(
            &occasion(id, monday, "witness"),
            json!({"seen": "witnessed"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(message(r).await.contains("nothing to witness"));
    // A correction with nothing to correct.
    let r = ben
        .post(
            &occasion(id, monday, "mark"),
            json!({"mark": "kept", "correction": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(message(r).await.contains("no mark to correct"));

    let r = ben
        .post(&occasion(id, monday, "mark"), json!({"mark": "kept"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // Replayed: refused, and nothing is counted twice.
    let r = ben
        .post(&occasion(id, monday, "mark"), json!({"mark": "kept"}))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(message(r).await.contains("already marked"));
    // Witnessing one's own occasion.
    let r = ben
        .post(
            &occasion(id, monday, "witness"),
            json!({"seen": "witnessed"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert!(message(r).await.contains("witnessing is for your partner"));
    // Changing or ending the partner's commitment.
    let r = ana
        .post(&format!("/api/v1/commitments/{id}/end"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = ana
        .post(
            &format!("/api/v1/commitments/{id}/change"),
            json!({"text": "Nothing.", "repeat": "once"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Another couple's commitment is not there at all, for every action.
    for (path, body) in [
        (
            occasion(id, monday, "witness"),
            json!({"seen": "saw_otherwise"}),
        ),
        (
            occasion(id, monday, "mark"),
            json!({"mark": "missed", "correction": true}),
        ),
        (format!("/api/v1/commitments/{id}/end"), json!({})),
        (
            format!("/api/v1/commitments/{id}/change"),
            json!({"text": "Mine now.", "repeat": "daily"}),
        ),
    ] {
        let r = dee.post(&path, body).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let (status, _) = dee.json(&format!("/api/v1/commitments/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let d = detail(&ben, id).await;
    assert_eq!(
        day_of(&d, monday)["marks"].as_array().unwrap().len(),
        1,
        "one mark, no more"
    );

    // A form without its CSRF token changes nothing.
    let r = ben_browser
        .post_raw("/commitments", &[("text", "Forged."), ("repeat", "daily")])
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (_, list) = ben.json("/api/v1/commitments").await;
    assert_eq!(list["commitments"].as_array().unwrap().len(), 1);
}

async fn bad_input_is_explained_and_nothing_typed_is_lost(app: TestApp) {
    let (_ana, ben_page) = app.couple("ana", "ben").await;
    let ben = ben_page.api_as("ben").await;

    let cases = [
        (json!({"text": "", "repeat": "daily"}), "text"),
        (json!({"text": "x".repeat(281), "repeat": "daily"}), "text"),
        (
            json!({"text": "Home by 7\u{0007}", "repeat": "daily"}),
            "text",
        ),
        (
            json!({"text": "Home by 7", "repeat": "fortnightly"}),
            "repeat",
        ),
        (json!({"text": "Home by 7", "repeat": "weekdays"}), "days"),
        (
            json!({"text": "Home by 7", "repeat": "weekdays", "days": ["funday"]}),
            "days",
        ),
        (
            json!({"text": "Home by 7", "repeat": "daily", "starts": iso(today() - Duration::days(3))}),
            "starts",
        ),
        (
            json!({"text": "Home by 7", "repeat": "daily", "starts": "31/12/2026"}),
            "starts",
        ),
        (
            json!({"text": "Home by 7", "repeat": "daily", "at": "25:99"}),
            "at",
        ),
        (
            json!({"text": "Home by 7", "repeat": "daily", "today": "1999-01-01"}),
            "today",
        ),
    ];
    for (body, field) in cases {
        let r = ben.post("/api/v1/commitments", body.clone()).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let v: Value = r.json().await.unwrap();
        assert!(
            v["fields"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["field"] == field),
            "{body}: {v}"
        );
    }
    // Malformed JSON, and a body far too large.
    let r = ben
        .http
        .post(format!("{}/api/v1/commitments", ben.base))
        .bearer_auth(ben.token.as_ref().unwrap())
        .header("content-type", "application/json")
        .body("{\"text\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let r = ben
        .post(
            "/api/v1/commitments",
            json!({"text": "y".repeat(2_000_000), "repeat": "daily"}),
        )
        .await;
    assert!(matches!(
        r.status(),
        StatusCode::PAYLOAD_TOO_LARGE | StatusCode::UNPROCESSABLE_ENTITY
    ));
    let (_, list) = ben.json("/api/v1/commitments").await;
    assert!(
        list["commitments"].as_array().unwrap().is_empty(),
        "nothing was made"
    );

    // Odd Unicode is kept exactly.
    let odd = "Nachricht 🌙 שלום e\u{301}crit — «à sept heures»";
    let id = commit(&ben, json!({"text": odd, "repeat": "once"})).await;
    assert_eq!(detail(&ben, id).await["commitment"]["text"], odd);

    // On the page, the form comes back with what was typed and where it went wrong.
    let r = ben_page
        .post(
            "/commitments",
            &[
                ("text", "Call at lunch, every weekday."),
                ("repeat", "weekdays"),
                ("at", "noon"),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(
        page.contains("Call at lunch, every weekday."),
        "the words are kept"
    );
    assert!(page.contains("Choose at least one day of the week."));
    assert!(page.contains("Give the time as HH:MM"));
    // A missed mark's note that is too long comes back kept, with the reason.
    let long = "n".repeat(1001);
    let r = ben_page
        .post(
            &format!("/commitments/{id}/occasions/{}/mark", iso(today())),
            &[("mark", "missed"), ("note", &long)],
        )
        .await;
    // The once-commitment is today: the mark is refused for the note only.
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    assert!(page.contains(&long), "the note is kept");
    assert!(page.contains("please keep it to 1000"));
    let r = ben_page
        .post(
            &format!("/commitments/{id}/occasions/{}/mark", iso(today())),
            &[("mark", "perhaps")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("Choose kept or missed."));
}

async fn changing_or_ending_keeps_the_history(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (ana, ben) = (ana.api_as("ana").await, ben.api_as("ben").await);
    let old = commit(
        &ben,
        json!({"text": "Home by seven.", "repeat": "daily", "at": "19:00"}),
    )
    .await;
    started_ago(&app, old, 2).await;
    let r = ben
        .post(
            &occasion(old, today() - Duration::days(1), "mark"),
            json!({"mark": "kept"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let r = ben
        .post(
            &format!("/api/v1/commitments/{old}/change"),
            json!({"text": "Home by half past six.", "repeat": "weekdays", "days": ["mon", "tue", "wed", "thu", "fri"], "at": "18:30"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let new = r.json::<Value>().await.unwrap()["commitment"]["commitment"].clone();
    assert_eq!(new["replaces"], old);
    assert_eq!(new["schedule"]["rrule"], "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
    let new_id = new["id"].as_i64().unwrap();

    // Both see the old one as it was, ended as changed, pointing forward.
    for api in [&ana, &ben] {
        let d = detail(api, old).await;
        assert_eq!(d["commitment"]["text"], "Home by seven.");
        assert_eq!(d["commitment"]["ending"]["reason"], "changed");
        assert_eq!(d["commitment"]["replaced_by"], new_id);
        assert_eq!(
            day_of(&d, today() - Duration::days(1))["outcome"],
            "kept",
            "its marks stay"
        );
    }
    // It cannot be changed or ended again, nor can today be marked on it.
    let r = ben
        .post(
            &format!("/api/v1/commitments/{old}/change"),
            json!({"text": "Again.", "repeat": "daily"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(message(r).await.contains("already ended"));
    let r = ben
        .post(&occasion(old, today(), "mark"), json!({"mark": "kept"}))
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // Ending, with a note both see.
    let r = ben
        .post(
            &format!("/api/v1/commitments/{new_id}/end"),
            json!({"note": "We agreed to talk about evenings again."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let d = detail(&ana, new_id).await;
    assert_eq!(d["commitment"]["ending"]["reason"], "ended");
    assert_eq!(
        d["commitment"]["ending"]["note"],
        "We agreed to talk about evenings again."
    );
    let r = ben
        .post(&format!("/api/v1/commitments/{new_id}/end"), json!({}))
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let (_, list) = ana.json("/api/v1/commitments").await;
    assert_eq!(
        list["commitments"].as_array().unwrap().len(),
        2,
        "nothing is lost"
    );
}

async fn the_coach_reads_what_goes_to_the_partner(app: TestApp) {
    let (ana, ben_page) = app.couple("ana", "ben").await;
    let ben = ben_page.api_as("ben").await;
    let harsh = "You never notice anything I do, but I will be home by seven.";
    let r = ben
        .post(
            "/api/v1/commitments",
            json!({"text": harsh, "repeat": "daily"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["sent"], false);
    assert!(v["analysis"]["findings"]
        .as_array()
        .is_some_and(|f| !f.is_empty()));
    let (_, list) = ben.json("/api/v1/commitments").await;
    assert!(
        list["commitments"].as_array().unwrap().is_empty(),
        "nothing reached Ana"
    );

    // On the page, the words come back with the coach's reading and the choice to send.
    let r = ben_page
        .post("/commitments", &[("text", harsh), ("repeat", "daily")])
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    assert!(page.contains("The coach has a concern"));
    assert!(page.contains("Send it as it is"));
    assert!(
        page.contains("You never notice anything I do"),
        "the words are kept"
    );
    let r = ben_page
        .post(
            "/commitments",
            &[("text", harsh), ("repeat", "daily"), ("send_anyway", "yes")],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "the author decides");
    let id = ben.json("/api/v1/commitments").await.1["commitments"][0]["id"]
        .as_i64()
        .unwrap();

    // A missed occasion's note, and a witness's word, are read too.
    let harsh_note = "Whatever. You made me late anyway.";
    let r = ben
        .post(
            &occasion(id, today(), "mark"),
            json!({"mark": "missed", "note": harsh_note}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["sent"], false);
    let r = ben
        .post(
            &occasion(id, today(), "mark"),
            json!({"mark": "missed", "note": "I stayed late and did not call. I am sorry."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let ana_api = ana.api_as("ana").await;
    let r = ana_api
        .post(
            &occasion(id, today(), "witness"),
            json!({"seen": "witnessed", "note": "You always say that, you are pathetic."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["sent"], false);
    let d = detail(&ben, id).await;
    assert!(day_of(&d, today())["witnesses"]
        .as_array()
        .unwrap()
        .is_empty());
}

async fn a_correction_keeps_the_first_mark_in_view(app: TestApp) {
    let (ana, ben_page) = app.couple("ana", "ben").await;
    let ben = ben_page.api_as("ben").await;
    let id = commit(
        &ben,
        json!({"text": "A phone call at lunch.", "repeat": "daily"}),
    )
    .await;
    let r = ben
        .post(&occasion(id, today(), "mark"), json!({"mark": "kept"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // On the page, as a correction.
    let r = ben_page
        .post(
            &format!("/commitments/{id}/occasions/{}/mark", iso(today())),
            &[
                ("mark", "missed"),
                ("correction", "yes"),
                ("note", "I marked it too soon; the call did not happen."),
            ],
        )
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let d = detail(&ana.api_as("ana").await, id).await;
    let o = day_of(&d, today());
    assert_eq!(o["marks"][0]["mark"], "kept");
    assert_eq!(o["marks"][1]["mark"], "missed");
    assert_eq!(o["marks"][1]["seq"], 2);
    assert_eq!(o["outcome"], "missed", "the latest word counts");
    let (_, page) = ana.page(&format!("/commitments/{id}")).await;
    assert!(page.contains("Corrected later."));
    assert!(page.contains("(a correction)"));
    assert!(page.contains("I marked it too soon"));
}

async fn seen_otherwise_is_shown_and_not_counted(app: TestApp) {
    let (ana_page, ben) = app.couple("ana", "ben").await;
    let (ana, ben) = (ana_page.api_as("ana").await, ben.api_as("ben").await);
    let id = commit(
        &ben,
        json!({"text": "No phone at dinner.", "repeat": "daily"}),
    )
    .await;
    ben.post(&occasion(id, today(), "mark"), json!({"mark": "kept"}))
        .await;
    let r = ana
        .post(
            &occasion(id, today(), "witness"),
            json!({"seen": "saw_otherwise", "note": "I saw the phone out during dinner."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let d = detail(&ben, id).await;
    assert_eq!(day_of(&d, today())["outcome"], "disputed");
    let rep = &d["commitment"]["reputation"];
    assert_eq!(
        (
            rep["kept"].as_i64(),
            rep["missed"].as_i64(),
            rep["disputed"].as_i64()
        ),
        (Some(0), Some(0), Some(1))
    );
    assert_eq!(rep["expected"], 0.5);
    let (_, page) = ana_page.page(&format!("/commitments/{id}")).await;
    assert!(page.contains("saw it differently"));
    assert!(page.contains("not counted either way"));
    // Saying it twice is refused; a correction is a new word beside the first.
    let r = ana
        .post(
            &occasion(id, today(), "witness"),
            json!({"seen": "witnessed"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let r = ana
        .post(&occasion(id, today(), "witness"), json!({"seen": "witnessed", "correction": true, "note": "We talked; it was a call from your mother."}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let d = detail(&ben, id).await;
    let o = day_of(&d, today());
    assert_eq!(o["witnesses"].as_array().unwrap().len(), 2);
    assert_eq!(o["outcome"], "kept");
}

async fn past_occasions_count_and_few_do_not_look_certain(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let (ana, ben) = (ana.api_as("ana").await, ben.api_as("ben").await);
    let id = commit(
        &ben,
        json!({"text": "A short walk each evening.", "repeat": "daily", "at": "20:00"}),
    )
    .await;
    started_ago(&app, id, 2).await;
    for ago in 0..3 {
        let r = ben
            .post(
                &occasion(id, today() - Duration::days(ago), "mark"),
                json!({"mark": "kept"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let (_, list) = ana.json("/api/v1/commitments").await;
    let rep = &list["overall"][0]["reputation"];
    assert_eq!(rep["kept"], 3);
    let (low, high) = (rep["low"].as_f64().unwrap(), rep["high"].as_f64().unwrap());
    assert!(
        high - low > 0.3,
        "three kept occasions leave a wide band: {rep}"
    );
    assert!(rep["expected"].as_f64().unwrap() < 0.81);

    let (status, v) = ana.json("/api/v1/commitments/consistency?days=90").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["days"], 90);
    let points = v["makers"][0]["reliability"].as_array().unwrap();
    assert_eq!(points.len(), 90);
    assert_eq!(
        points[0]["expected"], 0.5,
        "before anything happened, an even guess"
    );
    assert!(points[89]["expected"].as_f64().unwrap() > 0.7);
}

async fn the_calendar_feed_is_private_and_revocable(app: TestApp) {
    // Both are repairing, so both have commitments of their own.
    let ana_page = app.founder("ana", "both").await;
    let link = ana_page.invite().await;
    let ben_page = app.browser();
    ben_page.signup("ben").await;
    ben_page.pass_safety().await;
    ben_page.join(&link).await;
    let (ana, ben) = (ana_page.api_as("ana").await, ben_page.api_as("ben").await);
    commit(
        &ana,
        json!({"text": "Ana's own promise, hers alone.", "repeat": "daily"}),
    )
    .await;
    commit(
        &ben,
        json!({"text": "Ben cooks on Sundays, always.", "repeat": "weekly"}),
    )
    .await;
    commit(&ben, json!({"text": "Evening call; at seven", "repeat": "weekdays", "days": ["mon", "thu"], "at": "19:00"})).await;
    let r = ana_page
        .check_in(&[("note", "A private word in my check-in.")])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    // A ritual the two of them chose belongs in both feeds.
    let r = ana
        .post(
            "/api/v1/rituals",
            json!({"name": "Our Sunday walk", "repeats": "weekly", "weekday": "su", "time": "10:30"}),
        )
        .await;
    assert_eq!(
        r.status(),
        StatusCode::CREATED,
        "{}",
        r.text().await.unwrap()
    );

    let r = ben.post("/api/v1/commitments/calendar", json!({})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let url = r.json::<Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = &url[url.find("/calendar/").unwrap()..];
    assert!(path.ends_with(".ics"));

    // No session: the address is the key.
    let anon = app.api();
    let r = anon.get(path).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let feed = r.text().await.unwrap();
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\n"));
    assert!(feed.contains("SUMMARY:Ben cooks on Sundays\\, always."));
    assert!(feed.contains("SUMMARY:Evening call\\; at seven"));
    assert!(feed.contains("RRULE:FREQ=WEEKLY;BYDAY=MO,TH"));
    assert!(feed.contains("T190000\r\n"), "a floating local time");
    assert!(feed.contains("SUMMARY:Our Sunday walk"));
    assert!(feed.contains("RRULE:FREQ=WEEKLY;BYDAY=SU;BYHOUR=10;BYMINUTE=30"));
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 3);
    assert!(!feed.contains("Ana's own promise"), "never the partner's");
    assert!(!feed.contains("private word"));
    assert!(feed.lines().all(|l| l.len() <= 76), "lines are folded");

    // The token is stored only as a hash.
    let stored = app
        .state
        .store
        .calendar_feed_owner(
            path.trim_start_matches("/calendar/")
                .trim_end_matches(".ics"),
        )
        .await
        .unwrap();
    assert!(
        stored.is_none(),
        "the raw token opens nothing in the database"
    );

    // A new address retires the old one; turning it off retires the new.
    let r = ben.post("/api/v1/commitments/calendar", json!({})).await;
    let url2 = r.json::<Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let path2 = &url2[url2.find("/calendar/").unwrap()..];
    assert_ne!(path, path2);
    assert_eq!(anon.get(path).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(anon.get(path2).await.status(), StatusCode::OK);
    let r = ben
        .http
        .delete(format!("{}/api/v1/commitments/calendar", ben.base))
        .bearer_auth(ben.token.as_ref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(anon.get(path2).await.status(), StatusCode::NOT_FOUND);
    let r = ben
        .http
        .delete(format!("{}/api/v1/commitments/calendar", ben.base))
        .bearer_auth(ben.token.as_ref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        anon.get("/calendar/not-a-real-token.ics").await.status(),
        StatusCode::NOT_FOUND
    );

    // On the page: the address is shown once, then only that it is active.
    let r = ben_page.post("/commitments/calendar", &[]).await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.unwrap();
    let start = page.find("/calendar/").unwrap();
    let token: String = page[start + 10..]
        .chars()
        .take_while(|c| *c != '"')
        .collect();
    assert_eq!(
        anon.get(&format!("/calendar/{token}")).await.status(),
        StatusCode::OK
    );
    let (_, page) = ben_page.page("/commitments").await;
    assert!(!page.contains(&token), "shown only once");
    assert!(page.contains("Your address is active"));
    let r = ben_page.post("/commitments/calendar/revoke", &[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        anon.get(&format!("/calendar/{token}")).await.status(),
        StatusCode::NOT_FOUND
    );
}

async fn when_both_are_repairing_each_keeps_their_own(app: TestApp) {
    let ana_page = app.founder("ana", "both").await;
    let link = ana_page.invite().await;
    let ben_page = app.browser();
    ben_page.signup("ben").await;
    ben_page.pass_safety().await;
    ben_page.join(&link).await;
    let (ana, ben) = (ana_page.api_as("ana").await, ben_page.api_as("ben").await);
    let a = commit(
        &ana,
        json!({"text": "I say when I am upset.", "repeat": "daily"}),
    )
    .await;
    let b = commit(
        &ben,
        json!({"text": "I answer messages the same day.", "repeat": "daily"}),
    )
    .await;
    assert_eq!(
        ana.post(&occasion(a, today(), "mark"), json!({"mark": "kept"}))
            .await
            .status(),
        StatusCode::CREATED
    );
    assert_eq!(
        ana.post(&occasion(b, today(), "mark"), json!({"mark": "kept"}))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        ben.post(
            &occasion(a, today(), "witness"),
            json!({"seen": "witnessed"})
        )
        .await
        .status(),
        StatusCode::CREATED
    );
    let (_, list) = ben.json("/api/v1/commitments").await;
    let makers: Vec<_> = list["overall"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["maker"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(makers.len(), 2, "each has their own consistency: {list}");
    let (_, page) = ben_page.page("/commitments").await;
    assert!(page.contains("Your commitments"));
    assert!(page.contains("Commitments ana made"));
}

async fn racing_marks_land_once(app: TestApp) {
    let (_ana, ben) = app.couple("ana", "ben").await;
    let ben = ben.api_as("ben").await;
    let id = commit(
        &ben,
        json!({"text": "Breakfast together.", "repeat": "daily"}),
    )
    .await;
    let path = occasion(id, today(), "mark");
    let tries = (0..6).map(|_| ben.post(&path, json!({"mark": "kept"})));
    let mut statuses = Vec::new();
    for r in futures_join(tries).await {
        statuses.push(r.status());
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let d = detail(&ben, id).await;
    assert_eq!(day_of(&d, today())["marks"].as_array().unwrap().len(), 1);
}

async fn futures_join<F: std::future::Future>(futures: impl Iterator<Item = F>) -> Vec<F::Output> {
    let handles: Vec<_> = futures.map(Box::pin).collect();
    let mut out = Vec::new();
    // Poll them together so the requests overlap.
    let mut pending: Vec<_> = handles.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut all = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => all = false,
                }
            }
        }
        if all {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    for r in results {
        out.push(r.unwrap());
    }
    out
}

async fn strangers_and_visitors_see_nothing(app: TestApp) {
    let (_ana, ben) = app.couple("ana", "ben").await;
    let (cyd, _dee) = app.couple("cyd", "dee").await;
    let ben_api = ben.api_as("ben").await;
    let id = commit(
        &ben_api,
        json!({"text": "The quietest promise.", "repeat": "daily"}),
    )
    .await;
    let (status, page) = cyd.page(&format!("/commitments/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!page.contains("quietest"));
    let (status, page) = cyd.page("/commitments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("quietest"));
    let anon = app.browser();
    assert_eq!(
        anon.get("/commitments").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.api().get("/api/v1/commitments").await.status(),
        StatusCode::UNAUTHORIZED
    );
    // Someone without a partner is told, kindly, what commitments need.
    let solo = app.founder("solo", "repairing").await;
    let (status, page) = solo.page("/commitments").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("invite them first"));
    let solo_api = solo.api_as("solo").await;
    let r = solo_api
        .post(
            "/api/v1/commitments",
            json!({"text": "Alone.", "repeat": "daily"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

async fn the_timeline_reads_a_range_of_commitments_and_marks(app: TestApp) {
    let (_ana, ben) = app.couple("ana", "ben").await;
    let ben = ben.api_as("ben").await;
    let id = commit(
        &ben,
        json!({"text": "Tea in the garden.", "repeat": "daily"}),
    )
    .await;
    started_ago(&app, id, 10).await;
    for ago in [9, 5, 1] {
        ben.post(
            &occasion(id, today() - Duration::days(ago), "mark"),
            json!({"mark": "kept"}),
        )
        .await;
    }
    let couple =
        kintsugi_core::CoupleId(ben.json("/api/v1/couple").await.1["id"].as_i64().unwrap());
    let store = &app.state.store;
    let marks = store
        .occasion_marks_between(couple, today() - Duration::days(6), today())
        .await
        .unwrap();
    assert_eq!(marks.len(), 2);
    let running = store
        .commitments_between(
            couple,
            today() - Duration::days(30),
            today() - Duration::days(20),
        )
        .await
        .unwrap();
    assert!(running.is_empty(), "it had not started yet");
    let running = store
        .commitments_between(couple, today() - Duration::days(30), today())
        .await
        .unwrap();
    assert_eq!(running.len(), 1);
}

async fn the_program_suggests_and_counts_commitments(app: TestApp) {
    let (_ana, ben) = app.couple("ana", "ben").await;
    let r = ben.check_in(&[]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let api = ben.api_as("ben").await;
    let (_, program) = api.json("/api/v1/program").await;
    assert_eq!(program["suggestion"]["path"], "/commitments");
    let stage = program["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["number"] == 8)
        .unwrap()
        .clone();
    assert_eq!(stage["available"], true);
    let id = commit(&api, json!({"text": "Dinner together.", "repeat": "daily"})).await;
    let (_, page) = ben.page("/").await;
    assert!(page.contains("1 commitment is running."));
    assert!(
        page.contains("waiting for your word"),
        "today's occasion is suggested"
    );
    api.post(&occasion(id, today(), "mark"), json!({"mark": "kept"}))
        .await;
    let (_, program) = api.json("/api/v1/program").await;
    assert_eq!(program["suggestion"]["path"], "/coach");
}

async fn how_it_feels_shows_only_check_ins_the_viewer_may_see(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let ben_api = ben.api_as("ben").await;
    commit(
        &ben_api,
        json!({"text": "Home by seven.", "repeat": "daily"}),
    )
    .await;
    // Ana's private check-in is hers: on her own chart, never on Ben's.
    let r = ana
        .check_in(&[
            ("trust", "3"),
            ("act", "a private act"),
            ("visibility", "private"),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let ana_api = ana.api_as("ana").await;
    let (_, mine) = ana_api.json("/api/v1/commitments/consistency").await;
    assert_eq!(mine["makers"][0]["trust"][0]["trust"], 3);
    let (_, his) = ben_api.json("/api/v1/commitments/consistency").await;
    assert_eq!(his["makers"][0]["trust"], json!([]), "{his}");
    let (_, page) = ben.page("/commitments").await;
    assert!(page.contains("no check-ins to show"));
    // Once she shares it, he sees how it feels beside what happened.
    let r = ana
        .check_in(&[
            ("trust", "6"),
            ("act", "a shared act"),
            ("visibility", "shared"),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, his) = ben_api.json("/api/v1/commitments/consistency").await;
    assert_eq!(his["makers"][0]["trust"][0]["trust"], 6, "{his}");
}
