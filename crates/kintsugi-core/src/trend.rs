//! Check-in trends: the last N days of ratings, one person at a time.

use time::Date;

/// Which of the three daily ratings a trend follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Trust,
    Safety,
    Connection,
}

impl Measure {
    pub const ALL: [Measure; 3] = [Self::Trust, Self::Safety, Self::Connection];

    pub fn label(self) -> &'static str {
        match self {
            Self::Trust => "Trust",
            Self::Safety => "Feeling safe",
            Self::Connection => "Connection",
        }
    }
}

/// One day's ratings, as a trend needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayRatings {
    pub day: Date,
    pub trust: u8,
    pub safety: u8,
    pub connection: u8,
}

impl DayRatings {
    pub fn get(&self, m: Measure) -> u8 {
        match m {
            Measure::Trust => self.trust,
            Measure::Safety => self.safety,
            Measure::Connection => self.connection,
        }
    }
}

/// Points of one measure inside a window of `days` days ending `today`:
/// `(days since the window opened, value)`, oldest first. Days without a
/// check-in are simply absent — a gap, never a zero.
pub fn points(entries: &[DayRatings], measure: Measure, today: Date, days: i64) -> Vec<(i64, u8)> {
    let start = today - time::Duration::days(days - 1);
    let mut pts: Vec<_> = entries
        .iter()
        .filter(|e| e.day >= start && e.day <= today)
        .map(|e| ((e.day - start).whole_days(), e.get(measure)))
        .collect();
    pts.sort_unstable();
    pts.dedup_by_key(|p| p.0);
    pts
}

/// The mean of a measure over the points, if there are any.
pub fn mean(points: &[(i64, u8)]) -> Option<f64> {
    (!points.is_empty())
        .then(|| points.iter().map(|p| f64::from(p.1)).sum::<f64>() / points.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn r(day: Date, v: u8) -> DayRatings {
        DayRatings {
            day,
            trust: v,
            safety: 10 - v,
            connection: v / 2,
        }
    }

    #[test]
    fn keeps_only_the_window_oldest_first() {
        let today = date!(2026 - 11 - 25);
        let e = [
            r(today, 8),
            r(date!(2026 - 10 - 01), 1),
            r(date!(2026 - 11 - 20), 4),
        ];
        assert_eq!(
            points(&e, Measure::Trust, today, 30),
            vec![(24, 4), (29, 8)]
        );
        assert_eq!(
            points(&e, Measure::Safety, today, 30),
            vec![(24, 6), (29, 2)]
        );
        assert_eq!(points(&e, Measure::Trust, today, 90).len(), 3);
    }

    #[test]
    fn mean_of_nothing_is_nothing() {
        assert_eq!(mean(&[]), None);
        assert_eq!(mean(&[(0, 4), (1, 6)]), Some(5.0));
    }
}
