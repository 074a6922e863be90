//! The run second by second: how many requests completed in each second since the run's start,
//! how many of them failed, and their p50 and p99, for hoego to draw over time.
//!
//! A request belongs to the second it completed in (as k6 and Prometheus time a sample), so
//! every request of the run is in exactly one second and the seconds add up to the run's totals.
//! The last second is usually partial: its count is of that part, not scaled to a rate.
//!
//! Each second keeps an HDR histogram only while completions may still land in it: once a
//! request completes two seconds later, the second is reduced to its p50 and p99 and the
//! histogram dropped, so an hour's run holds a few histograms, not 3,600. (A request measured
//! in one second and recorded more than a second later still counts, only without its latency.)

use std::time::Duration;

use hdrhistogram::Histogram;

/// One second of the run.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Seconds since the run's start: this point covers `[second, second + 1)`.
    pub second: u64,
    /// Requests that completed in this second.
    pub requests: u64,
    /// Of those, the failed ones: answered outside 200–399 or not at all (k6's
    /// `http_req_failed`, so the seconds' errors add up to the export's failed requests).
    pub errors: u64,
    /// Milliseconds; `None` for a second in which no request completed.
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
}

/// A second while requests may still complete in it.
struct Tally {
    requests: u64,
    errors: u64,
    /// Microseconds; `None` once sealed.
    latency: Option<Histogram<u64>>,
    /// Set when sealed (milliseconds).
    p50_ms: Option<f64>,
    p99_ms: Option<f64>,
}

impl Tally {
    fn new() -> Tally {
        Tally {
            requests: 0,
            errors: 0,
            latency: Some(new_histogram()),
            p50_ms: None,
            p99_ms: None,
        }
    }

    fn seal(&mut self) {
        if let Some(h) = self.latency.take()
            && !h.is_empty()
        {
            self.p50_ms = Some(h.value_at_quantile(0.50) as f64 / 1000.0);
            self.p99_ms = Some(h.value_at_quantile(0.99) as f64 / 1000.0);
        }
    }
}

/// The same bounds as the run's own histogram: 1 µs to 60 s at three significant digits.
fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, 60_000_000, 3).expect("histogram bounds")
}

/// Collects the series while the run goes on.
#[derive(Default)]
pub struct Recorder {
    seconds: Vec<Tally>,
    /// Seconds below this are sealed.
    sealed: usize,
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder::default()
    }

    /// A request that completed `at` after the run's start, after `micros`, failed or not.
    pub fn record(&mut self, at: Duration, micros: u64, failed: bool) {
        let second = at.as_secs() as usize;
        while self.seconds.len() <= second {
            self.seconds.push(Tally::new());
        }
        let tally = &mut self.seconds[second];
        tally.requests += 1;
        tally.errors += u64::from(failed);
        if let Some(h) = &mut tally.latency {
            h.saturating_record(micros.max(1));
        }
        while self.sealed + 1 < second {
            self.seconds[self.sealed].seal();
            self.sealed += 1;
        }
    }

    /// The series of a run that lasted `elapsed`: one point for each second it began, whether
    /// or not a request completed in it (`⌈elapsed⌉` points, at least one).
    pub fn finish(mut self, elapsed: Duration) -> Vec<Point> {
        let span = (elapsed.as_nanos().div_ceil(1_000_000_000) as usize).max(1);
        let len = span.max(self.seconds.len());
        while self.seconds.len() < len {
            self.seconds.push(Tally::new());
        }
        self.seconds
            .into_iter()
            .enumerate()
            .map(|(second, mut t)| {
                t.seal();
                Point {
                    second: second as u64,
                    requests: t.requests,
                    errors: t.errors,
                    p50_ms: t.p50_ms,
                    p99_ms: t.p99_ms,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(ms: u64) -> Duration {
        Duration::from_millis(ms)
    }

    #[test]
    fn one_point_per_second_begun_with_its_requests_errors_and_percentiles() {
        let mut r = Recorder::new();
        // Second 0: 100 requests of 1..=100 ms, 3 failed.
        for i in 1..=100u64 {
            r.record(ms(i * 9), i * 1000, i % 40 == 0 || i == 7);
        }
        // Second 1: none. Second 2: two, one failed. Second 3 (partial): one.
        r.record(ms(2_100), 4_000, true);
        r.record(ms(2_900), 6_000, false);
        r.record(ms(3_020), 2_000, false);
        let series = r.finish(ms(3_050));

        assert_eq!(series.len(), 4, "3.05 s of run: seconds 0, 1, 2 and 3");
        assert_eq!(
            series.iter().map(|p| p.second).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
        assert_eq!(
            series
                .iter()
                .map(|p| (p.requests, p.errors))
                .collect::<Vec<_>>(),
            [(100, 3), (0, 0), (2, 1), (1, 0)]
        );
        // HDR keeps three significant digits: within 0.1 %.
        let near = |got: Option<f64>, want: f64| (got.unwrap() - want).abs() <= want * 0.001;
        assert!(near(series[0].p50_ms, 50.0), "{:?}", series[0].p50_ms);
        assert!(near(series[0].p99_ms, 99.0), "{:?}", series[0].p99_ms);
        assert_eq!((series[1].p50_ms, series[1].p99_ms), (None, None));
        assert!(near(series[2].p50_ms, 4.0) && near(series[2].p99_ms, 6.0));
        for p in &series {
            if let (Some(p50), Some(p99)) = (p.p50_ms, p.p99_ms) {
                assert!(p99 >= p50, "second {}: p99 {p99} < p50 {p50}", p.second);
            }
        }
    }

    #[test]
    fn a_run_ending_on_a_whole_second_has_no_empty_point_after_it_and_a_short_run_has_one() {
        let mut r = Recorder::new();
        r.record(ms(500), 1_000, false);
        r.record(ms(1_999), 1_000, false);
        assert_eq!(r.finish(ms(2_000)).len(), 2);
        assert_eq!(Recorder::new().finish(ms(40)).len(), 1);
        assert_eq!(Recorder::new().finish(Duration::ZERO).len(), 1);
    }

    #[test]
    fn a_late_recording_into_a_sealed_second_still_counts() {
        let mut r = Recorder::new();
        r.record(ms(100), 2_000, false);
        r.record(ms(2_500), 3_000, false); // seals second 0
        r.record(ms(900), 50_000, true); // measured in second 0, recorded late
        let series = r.finish(ms(2_600));
        assert_eq!((series[0].requests, series[0].errors), (2, 1));
        assert!(
            series[0].p99_ms.unwrap() < 2.1,
            "sealed before the late one"
        );
        assert_eq!(
            series.iter().map(|p| p.requests).sum::<u64>(),
            3,
            "every request in one second"
        );
    }
}
