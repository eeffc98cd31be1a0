//! The check-in page as a person meets it: what it says after saving, and
//! what its charts show, wherever in the world the person checks in from.

mod common;

use common::TestApp;
use reqwest::StatusCode;

on_both_engines!(
    saving_says_so,
    a_check_in_for_the_authors_own_tomorrow_is_on_the_charts,
);

async fn saving_says_so(app: TestApp) {
    let ana = app.founder("ana", "hurt").await;
    let (_, page) = ana.page("/checkin").await;
    assert!(!page.contains("Your check-in is saved"));
    let r = ana.check_in(&[("act", "Made tea")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let location = r.headers()["location"].to_str().unwrap().to_owned();
    let (status, page) = ana.page(&location).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Your check-in is saved"),
        "after saving, the page says it is saved"
    );
    let (_, page) = ana.page("/checkin").await;
    assert!(
        !page.contains("Your check-in is saved"),
        "only right after saving"
    );
}

/// East of the server's time zone, a person's today can be the server's
/// tomorrow: the form sends their own date, and the charts — theirs and
/// their partner's — must show it.
async fn a_check_in_for_the_authors_own_tomorrow_is_on_the_charts(app: TestApp) {
    let (ana, ben) = app.couple("ana", "ben").await;
    let tomorrow = time::OffsetDateTime::now_utc().date() + time::Duration::days(1);
    let f = time::macros::format_description!("[year]-[month]-[day]");
    let tomorrow = tomorrow.format(f).unwrap();
    let r = ana
        .check_in(&[
            ("day", &tomorrow),
            ("trust", "9"),
            ("visibility", "shared"),
            ("act", "Morning walk together"),
        ])
        .await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);

    let (_, page) = ana.page("/checkin").await;
    assert_eq!(
        page.matches("class=\"dot me\"").count(),
        3,
        "her check-in is a point on each of the three charts"
    );
    assert!(page.contains("You: 9"));
    let (_, page) = ben.page("/checkin?days=90").await;
    assert_eq!(
        page.matches("class=\"dot partner\"").count(),
        3,
        "and on her partner's"
    );
}
