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
    y_of(f64::from(value))
}

fn y_of(value: f64) -> f64 {
    TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - value.clamp(0.0, 10.0) / 10.0)
}

/// A shaded band between two edges, for a value's uncertainty.
pub struct Band<'a> {
    pub label: &'a str,
    /// A CSS class that gives the band its fill.
    pub class: &'a str,
    /// `(day index in the window, low, high)` on the 0..=10 scale, oldest first.
    pub points: Vec<(i64, f64, f64)>,
}

/// The closed outline of a band: along the upper edge, back along the
/// lower. A missing day splits it, as it breaks a line.
pub fn band_path(points: &[(i64, f64, f64)], days: i64) -> String {
    let mut d = String::new();
    let mut run: Vec<(i64, f64, f64)> = Vec::new();
    let flush = |run: &mut Vec<(i64, f64, f64)>, d: &mut String| {
        if run.is_empty() {
            return;
        }
        for (i, &(day, _, high)) in run.iter().enumerate() {
            let c = if i == 0 { 'M' } else { 'L' };
            d.push_str(&format!("{c}{:.1},{:.1} ", x(day, days), y_of(high)));
        }
        for &(day, low, _) in run.iter().rev() {
            d.push_str(&format!("L{:.1},{:.1} ", x(day, days), y_of(low)));
        }
        d.push_str("Z ");
        run.clear();
    };
    for &p in points {
        if run.last().is_some_and(|l| l.0 != p.0 - 1) {
            flush(&mut run, &mut d);
        }
        run.push(p);
    }
    flush(&mut run, &mut d);
    d.trim_end().to_owned()
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
    banded_chart(id, title, summary, days, None, series)
}

/// A line chart with a shaded band drawn beneath the lines.
pub fn banded_chart(
    id: &str,
    title: &str,
    summary: &str,
    days: i64,
    band: Option<&Band>,
    series: &[Series],
) -> Markup {
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
                @if let Some(b) = band {
                    @if !b.points.is_empty() {
                        path class={ "band " (b.class) } d=(band_path(&b.points, days)) {
                            title { (b.label) }
                        }
                    }
                }
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
                @if let Some(b) = band { " " span class={ "key band " (b.class) } { (PreEscaped("&#9641;")) " " (b.label) } }
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
    fn a_band_goes_out_along_the_top_and_back_along_the_bottom() {
        let d = band_path(&[(0, 2.0, 8.0), (1, 3.0, 7.0), (5, 4.0, 6.0)], 30);
        assert_eq!(d.matches('M').count(), 2, "a gap splits the band: {d}");
        assert_eq!(d.matches('Z').count(), 2);
        assert!(d.starts_with(&format!("M{:.1},{:.1}", x(0, 30), y_of(8.0))));
        let banded = banded_chart(
            "r",
            "R",
            "s",
            30,
            Some(&Band {
                label: "Likely range",
                class: "range",
                points: vec![(0, 2.0, 8.0)],
            }),
            &[],
        )
        .into_string();
        assert!(banded.contains("class=\"band range\""));
        assert!(banded.contains("Likely range"));
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
