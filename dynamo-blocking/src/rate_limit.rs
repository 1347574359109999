//! [`RateLimit`]: a token bucket of capacity units, fed by what DynamoDB
//! reports each answer cost.
//!
//! A request may start when the bucket is not in debt; it reserves what the
//! previous answer cost (an estimate: the real cost is known only when the
//! answer comes) and the answer settles the difference. Whatever the page
//! sizes, the units spent over a run of several seconds hold the rate, and
//! threads sharing one limit (the segments of a parallel scan) share it.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::Error;

/// What a request is assumed to cost before any answer said: one unit (a
/// strongly consistent read of up to 4 KB, or two eventually consistent).
const FIRST_ESTIMATE: f64 = 1.0;
/// The most units saved up while idle: one second's worth, so a pause is
/// not followed by a burst.
const MAX_SAVED_SECONDS: f64 = 1.0;

/// A token bucket: `balance` units, refilled at `rate` per second.
#[derive(Debug)]
struct Bucket {
    rate: f64,
    balance: f64,
    refilled: Instant,
    estimate: f64,
}

impl Bucket {
    fn refill(&mut self, now: Instant) {
        let elapsed = now.saturating_duration_since(self.refilled).as_secs_f64();
        self.refilled = now;
        self.balance = (self.balance + elapsed * self.rate).min(self.rate * MAX_SAVED_SECONDS);
    }

    /// Reserves the estimate if the bucket is not in debt (returns the
    /// reservation), else how long until it is not.
    fn try_reserve(&mut self, now: Instant) -> Result<f64, Duration> {
        self.refill(now);
        if self.balance >= 0.0 {
            self.balance -= self.estimate;
            Ok(self.estimate)
        } else {
            Err(Duration::from_secs_f64(-self.balance / self.rate))
        }
    }

    /// Replaces a reservation with what the answer cost.
    fn settle(&mut self, reserved: f64, actual: f64) {
        self.balance += reserved - actual;
        if actual > 0.0 {
            self.estimate = actual;
        }
    }
}

/// A limit of capacity units per second, shared by its clones.
#[derive(Clone, Debug)]
pub(crate) struct RateLimit {
    bucket: Arc<Mutex<Bucket>>,
}

impl RateLimit {
    /// `units` per second; a rate that is not a positive finite number
    /// would stop the work or not limit it, and is refused.
    pub(crate) fn new(units: f64) -> Result<Self, Error> {
        if !(units.is_finite() && units > 0.0) {
            return Err(Error::InvalidRate { units });
        }
        Ok(RateLimit {
            bucket: Arc::new(Mutex::new(Bucket {
                rate: units,
                balance: 0.0,
                refilled: Instant::now(),
                estimate: FIRST_ESTIMATE,
            })),
        })
    }

    fn bucket(&self) -> std::sync::MutexGuard<'_, Bucket> {
        self.bucket.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits until a request may go; returns the units reserved for it, to
    /// pass to [`settle`](Self::settle) with what the answer cost.
    pub(crate) fn acquire(&self) -> f64 {
        loop {
            let wait = match self.bucket().try_reserve(Instant::now()) {
                Ok(reserved) => return reserved,
                Err(wait) => wait,
            };
            std::thread::sleep(wait);
        }
    }

    /// Charges what the answer cost in place of the reservation.
    pub(crate) fn settle(&self, reserved: f64, actual: f64) {
        self.bucket().settle(reserved, actual);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(rate: f64, now: Instant) -> Bucket {
        Bucket {
            rate,
            balance: 0.0,
            refilled: now,
            estimate: FIRST_ESTIMATE,
        }
    }

    #[test]
    fn debt_from_an_answer_is_paid_off_at_the_rate() {
        let t0 = Instant::now();
        let mut b = bucket(4.0, t0);
        assert_eq!(b.try_reserve(t0), Ok(1.0));
        // The answer cost 3 units: 3 units of debt, 0.75 s at 4 units/s.
        b.settle(1.0, 3.0);
        assert_eq!(b.try_reserve(t0), Err(Duration::from_millis(750)));
        let later = t0 + Duration::from_millis(750);
        // Now the estimate is the last answer's 3 units.
        assert_eq!(b.try_reserve(later), Ok(3.0));
        assert_eq!(b.try_reserve(later), Err(Duration::from_millis(750)));
    }

    #[test]
    fn concurrent_requests_wait_on_the_estimate_before_any_answer() {
        let t0 = Instant::now();
        let mut b = bucket(2.0, t0);
        assert!(b.try_reserve(t0).is_ok());
        assert_eq!(b.try_reserve(t0), Err(Duration::from_millis(500)));
    }

    #[test]
    fn idle_time_saves_at_most_a_second() {
        let t0 = Instant::now();
        let mut b = bucket(10.0, t0);
        b.refill(t0 + Duration::from_secs(60));
        assert_eq!(b.balance, 10.0);
    }

    #[test]
    fn held_rate_over_many_requests() {
        // Simulated: each request costs 2.5 units at 5 units/s; the clock
        // jumps to when the bucket allows the next.
        let t0 = Instant::now();
        let mut b = bucket(5.0, t0);
        let mut now = t0;
        let mut spent = 0.0;
        for _ in 0..100 {
            let reserved = loop {
                match b.try_reserve(now) {
                    Ok(r) => break r,
                    Err(wait) => now += wait,
                }
            };
            b.settle(reserved, 2.5);
            spent += 2.5;
        }
        let rate = spent / (now - t0).as_secs_f64();
        assert!((rate - 5.0).abs() / 5.0 < 0.03, "{rate}");
    }

    #[test]
    fn zero_negative_and_nan_rates_are_refused() {
        for units in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert!(matches!(
                RateLimit::new(units),
                Err(Error::InvalidRate { .. })
            ));
        }
    }
}
