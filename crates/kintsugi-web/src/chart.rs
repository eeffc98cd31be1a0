//! Server-rendered SVG line charts: no script, no external library, and
//! readable by a screen reader through a title, a summary and a data table.
//!
//! Styling is by class and SVG presentation attributes only, never inline
//! CSS, so the strict Content-Security-Policy holds.

use maud::{html, Markup, PreEscaped};

const WIDTH: f64 = 600.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 28.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 22.0;

/// One line on a chart.
pub struct Series<'a> {
    pub label: &'a str,
    /// A CSS class that gives the line its colour and dash.
    pub class: &'a str,
    /// `(day index in the window, value 0..=10)`, oldest first.
    pub points: Vec<(i64, u8)>,
}

fn x(day: i64, days: i64) -> f64 {
    let span = (days - 1).max(1) as f64;
    LEFT + (WIDTH - LEFT - RIGHT) * day as f64 / span
}

fn y(value: u8) -> f64 {
    TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - f64::from(value) / 10.0)
}

/// The polyline path of a series: consecutive days are joined; a missing
/// day breaks the line rather than drawing a guess across it.
pub fn path(points: &[(i64, u8)], days: i64) -> String {
    let mut d = String::new();
    let mut previous: Option<i64> = None;
    for &(day, value) in points {
        let command = if previous == Some(day - 1) { 'L' } else { 'M' };
        d.push_str(&format!("{command}{:.1},{:.1} ", x(day, days), y(value)));
        previous = Some(day);
    }
    d.trim_end().to_owned()
}

pub fn line_chart(id: &str, title: &str, summary: &str, days: i64, series: &[Series]) -> Markup {
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    html! {
        figure.chart {
            svg viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-labelledby={ (title_id) " " (desc_id) } preserveAspectRatio="none" {
                title id=(title_id) { (title) }
                desc id=(desc_id) { (summary) }
                @for v in [0u8, 5, 10] {
                    line.grid x1=(LEFT) x2=(WIDTH - RIGHT) y1=(y(v)) y2=(y(v)) {}
                    text.axis x=(LEFT - 6.0) y=(y(v) + 4.0) text-anchor="end" { (v) }
                }
                text.axis x=(LEFT) y=(HEIGHT - 4.0) { (days) " days ago" }
                text.axis x=(WIDTH - RIGHT) y=(HEIGHT - 4.0) text-anchor="end" { "today" }
                @for s in series {
                    @if !s.points.is_empty() {
                        path class={ "line " (s.class) } d=(path(&s.points, days)) fill="none" {}
                        @for &(day, value) in &s.points {
                            circle class={ "dot " (s.class) } cx=(format!("{:.1}", x(day, days))) cy=(format!("{:.1}", y(value))) r="3.5" {
                                title { (s.label) ": " (value) }
                            }
                        }
                    }
                }
            }
            figcaption {
                strong { (title) }
                @for s in series { " " span class={ "key " (s.class) } { (PreEscaped("&#9644;")) " " (s.label) } }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_break_the_line() {
        let d = path(&[(0, 5), (1, 6), (3, 7)], 30);
        assert_eq!(d.matches('M').count(), 2);
        assert_eq!(d.matches('L').count(), 1);
    }

    #[test]
    fn values_map_inside_the_plot() {
        assert_eq!(y(10), TOP);
        assert_eq!(y(0), HEIGHT - BOTTOM);
        assert_eq!(x(0, 30), LEFT);
        assert_eq!(x(29, 30), WIDTH - RIGHT);
    }

    #[test]
    fn a_chart_names_itself_for_screen_readers() {
        let s = [Series {
            label: "You",
            class: "me",
            points: vec![(0, 4)],
        }];
        let svg = line_chart("trust", "Trust", "Your average: 4", 30, &s).into_string();
        assert!(svg.contains("<title id=\"trust-title\">Trust</title>"));
        assert!(svg.contains("Your average: 4"));
        assert!(!svg.contains("style="));
    }
}
