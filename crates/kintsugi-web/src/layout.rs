//! One way to render a page: the shell every page shares — the quick exit,
//! the navigation, the plain words about what Kintsugi is and is not.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use maud::{html, Markup, DOCTYPE};

use crate::error::ErrorBody;
use crate::security::csrf::{CsrfToken, FIELD};
use crate::security::session::MaybeViewer;
use crate::state::AppState;
use crate::Error;

/// What the shell needs to know about this request.
pub struct Shell {
    pub username: Option<String>,
    pub csrf: String,
    pub exit_url: String,
}

impl FromRequestParts<AppState> for Shell {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let MaybeViewer(viewer) = MaybeViewer::from_request_parts(parts, state).await?;
        let CsrfToken(csrf) = CsrfToken::from_request_parts(parts, state).await?;
        Ok(Self {
            username: viewer.map(|v| v.user.username),
            csrf,
            exit_url: state.config.exit_url.clone(),
        })
    }
}

impl Shell {
    /// The hidden field every form carries.
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name=(FIELD) value=(self.csrf); }
    }

    pub fn render(&self, title: &str, content: Markup) -> Markup {
        document(
            title,
            &self.exit_url,
            self.username.as_deref().map(|u| (u, self.csrf.as_str())),
            content,
        )
    }
}

fn document(title: &str, exit_url: &str, session: Option<(&str, &str)>, content: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="referrer" content="no-referrer";
                meta name="robots" content="noindex, nofollow";
                title { (title) " · Kintsugi" }
                link rel="stylesheet" href="/assets/kintsugi.css";
                link rel="icon" href="/assets/favicon.svg" type="image/svg+xml";
                // Not deferred: its quick-exit guard must run before the page is shown.
                script src="/assets/kintsugi.js" {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                a.quick-exit href=(exit_url) data-quick-exit rel="noreferrer noopener" title="Leave this site at once (or press Shift three times)" {
                    "Quick exit"
                }
                header.site {
                    a.brand href="/" { span.mark aria-hidden="true" { "⟡" } " Kintsugi" }
                    @if let Some((username, csrf)) = session {
                        nav aria-label="Main" {
                            a href="/" { "Program" }
                            a href="/reflection" { "Reflect" }
                            a href="/talk" { "Talk" }
                            a href="/statements/apology" { "Apology" }
                            a href="/agreement" { "Boundaries" }
                            a href="/timeline" { "Timeline" }
                            a href="/messages" { "Messages" }
                            a href="/commitments" { "Commitments" }
                            a href="/transparency" { "Transparency" }
                            a href="/together" { "Together" }
                            a href="/past" { "Letting go" }
                            a href="/checkin" { "Check-in" }
                            a href="/journal" { "Journal" }
                            a href="/coach" { "Coach" }
                            a href="/couple" { "Couple" }
                            a href="/safety" { "Safety" }
                            a href="/account/export" { "Your data" }
                            form.inline method="post" action="/logout" {
                                input type="hidden" name=(FIELD) value=(csrf);
                                button.link type="submit" title={ "Log out " (username) } { "Log out" }
                            }
                        }
                    }
                }
                main id="main" { (content) }
                footer.site {
                    p {
                        "Kintsugi is a companion for couples rebuilding trust. It is not therapy, and it is not for relationships where there is violence, threats or control. "
                        "A phone or computer can be monitored: if you are worried about that, use a device your partner cannot reach. "
                        a href="/safety/help" { "Where to find help" } "."
                    }
                }
            }
        }
    }
}

/// The page for an error, rendered without a session: it must work even
/// when the database does not.
pub fn error_page(status: StatusCode, body: &ErrorBody, exit_url: &str) -> Markup {
    let heading = match status {
        StatusCode::NOT_FOUND => "Not here",
        StatusCode::FORBIDDEN => "That could not be done",
        StatusCode::TOO_MANY_REQUESTS => "A short pause",
        StatusCode::SERVICE_UNAVAILABLE => "Kintsugi is resting for a moment",
        s if s.is_server_error() => "Something went wrong",
        _ => "That did not work",
    };
    document(
        heading,
        exit_url,
        None,
        html! {
            section.card.error {
                h1 { (heading) }
                p { (body.message) }
                @if !body.fields.is_empty() {
                    ul { @for f in &body.fields { li { strong { (f.field) } ": " (f.message) } } }
                }
                p { a href="/" data-back { "Go back" } " · " a href="/" { "Home" } }
            }
        },
    )
}

/// A page for someone whose session has just ended with their account:
/// the shell without the navigation.
pub fn farewell_page(exit_url: &str, content: Markup) -> Markup {
    document("Goodbye", exit_url, None, content)
}

/// Field errors, shown at the top of a form and linked to each field.
pub fn form_errors(errors: &[kintsugi_core::Invalid]) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.errors role="alert" tabindex="-1" {
                p { strong { "Please look again at:" } }
                ul { @for e in errors { li { a href={ "#" (e.field) } { (e.message) } } } }
            }
        }
    }
}

/// The error for one field, if there is one.
pub fn field_error(errors: &[kintsugi_core::Invalid], field: &str) -> Markup {
    html! {
        @for e in errors.iter().filter(|e| e.field == field) {
            p.field-error id={ (field) "-error" } { (e.message) }
        }
    }
}

/// Paragraphs from plain text, keeping the author's line breaks.
pub fn paragraphs(text: &str) -> Markup {
    html! { @for p in text.split("\n\n") { p { @for (i, line) in p.lines().enumerate() { @if i > 0 { br; } (line) } } } }
}

/// A day as people and forms write it: `2026-11-25`.
pub fn iso(day: time::Date) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    day.format(f).unwrap_or_default()
}

/// A time both partners see the same: UTC in the page, turned into each
/// person's own clock by `kintsugi.js` where JavaScript runs.
pub fn local_time(unix: i64) -> Markup {
    let t =
        time::OffsetDateTime::from_unix_timestamp(unix).unwrap_or(time::OffsetDateTime::UNIX_EPOCH);
    let iso = t
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default();
    let shown = t
        .format(time::macros::format_description!(
            "[hour]:[minute] UTC on [year]-[month]-[day]"
        ))
        .unwrap_or_default();
    html! { time datetime=(iso) data-local-time { (shown) } }
}
