//! [`CapacityMeter`]: running totals of the capacity DynamoDB reports.

use std::fmt;
use std::sync::{Arc, Mutex};

use dynamo_core::wire::{ConsumedCapacity, ReturnConsumedCapacity};

use crate::rate_limit::RateLimit;
use crate::Error;

/// Capacity units summed over DynamoDB's answers.
///
/// DynamoDB reports them only when asked (`ReturnConsumedCapacity`); the
/// iterators and the batch writer ask when given a meter or a rate limit.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct CapacityTotal {
    /// All units (`CapacityUnits`): reads and writes together.
    pub units: f64,
    /// Read units (`ReadCapacityUnits`), where DynamoDB splits them out.
    pub read_units: f64,
    /// Write units (`WriteCapacityUnits`), where DynamoDB splits them out.
    pub write_units: f64,
    /// How many answers reported capacity.
    pub answers: u64,
}

impl fmt::Display for CapacityTotal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:.1} capacity units ({:.1} read, {:.1} write) in {} answers",
            self.units, self.read_units, self.write_units, self.answers
        )
    }
}

/// A running [`CapacityTotal`] shared by its clones, so threads (the
/// segments of a parallel scan) add to one total the caller reads during
/// and after the work.
///
/// ```
/// use dynamo_blocking::CapacityMeter;
/// let meter = CapacityMeter::new();
/// assert_eq!(meter.total().units, 0.0);
/// // users.scan().capacity_meter(&meter) ... then:
/// println!("{}", meter.total());
/// ```
#[derive(Clone, Debug, Default)]
pub struct CapacityMeter {
    total: Arc<Mutex<CapacityTotal>>,
}

impl CapacityMeter {
    /// A meter at zero.
    pub fn new() -> Self {
        CapacityMeter::default()
    }

    /// The total so far.
    pub fn total(&self) -> CapacityTotal {
        *self.total.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Adds what one answer reported; returns its units (0 when it reported
    /// none).
    pub(crate) fn add<'a>(&self, consumed: impl IntoIterator<Item = &'a ConsumedCapacity>) -> f64 {
        let mut added = 0.0;
        let mut total = self.total.lock().unwrap_or_else(|p| p.into_inner());
        let mut any = false;
        for c in consumed {
            any = true;
            let units = units_of(c);
            total.units += units;
            total.read_units += c.read_capacity_units.unwrap_or(0.0);
            total.write_units += c.write_capacity_units.unwrap_or(0.0);
            added += units;
        }
        if any {
            total.answers += 1;
        }
        added
    }
}

/// How a read or write job watches and limits its capacity: what to ask
/// DynamoDB for, where to add what it reports, and the rate to hold.
#[derive(Clone, Debug, Default)]
pub(crate) struct Metering {
    /// `ReturnConsumedCapacity` as the caller asked (else `TOTAL` when a
    /// meter or a limit needs the figures).
    pub mode: Option<ReturnConsumedCapacity>,
    /// The caller's meter, if given.
    pub meter: Option<CapacityMeter>,
    /// The job's own total (set fresh for each run of a builder, so runs
    /// of its clones do not add up).
    pub total: CapacityMeter,
    pub limit: Option<RateLimit>,
    /// A refused rate, reported when the job runs.
    pub invalid_rate: Option<f64>,
}

impl Metering {
    /// Limits the job to `units` per second (refused when it runs if not a
    /// positive finite number).
    pub(crate) fn set_rate(&mut self, units: f64) {
        match RateLimit::new(units) {
            Ok(limit) => {
                self.limit = Some(limit);
                self.invalid_rate = None;
            }
            Err(_) => self.invalid_rate = Some(units),
        }
    }

    /// The error of a refused rate.
    pub(crate) fn check(&self) -> Result<(), Error> {
        match self.invalid_rate {
            Some(units) => Err(Error::InvalidRate { units }),
            None => Ok(()),
        }
    }

    /// What each request asks for in `ReturnConsumedCapacity`.
    pub(crate) fn request_mode(&self) -> Option<ReturnConsumedCapacity> {
        self.mode.or_else(|| {
            (self.meter.is_some() || self.limit.is_some()).then_some(ReturnConsumedCapacity::Total)
        })
    }

    /// Sends one request through the limit (waiting for its turn), and adds
    /// what its answer reports (`reported`) to the meter and the limit.
    pub(crate) fn run<T>(
        &self,
        send: impl FnOnce() -> Result<T, Error>,
        reported: impl FnOnce(&T) -> &[ConsumedCapacity],
    ) -> Result<T, Error> {
        let reserved = self.limit.as_ref().map(RateLimit::acquire);
        // A failed request keeps its reservation as its cost.
        let out = send()?;
        let report = reported(&out);
        let units = self.total.add(report);
        if let Some(meter) = &self.meter {
            meter.add(report);
        }
        if let (Some(limit), Some(reserved)) = (&self.limit, reserved) {
            limit.settle(reserved, units);
        }
        Ok(out)
    }
}

/// The units of one report (`CapacityUnits`, else read plus write).
fn units_of(c: &ConsumedCapacity) -> f64 {
    c.capacity_units
        .unwrap_or(c.read_capacity_units.unwrap_or(0.0) + c.write_capacity_units.unwrap_or(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn consumed(units: Option<f64>, read: Option<f64>, write: Option<f64>) -> ConsumedCapacity {
        let mut c = ConsumedCapacity::default();
        c.capacity_units = units;
        c.read_capacity_units = read;
        c.write_capacity_units = write;
        c
    }

    #[test]
    fn sums_units_and_counts_answers_across_clones() {
        let meter = CapacityMeter::new();
        let clone = meter.clone();
        assert_eq!(meter.add([&consumed(Some(2.5), Some(2.5), None)]), 2.5);
        // Batch answers list one entry per table: one answer.
        clone.add([
            &consumed(None, None, Some(3.0)),
            &consumed(Some(1.0), None, Some(1.0)),
        ]);
        assert_eq!(meter.add([]), 0.0, "an answer without capacity");
        let total = meter.total();
        assert_eq!(total.units, 6.5);
        assert_eq!(total.read_units, 2.5);
        assert_eq!(total.write_units, 4.0);
        assert_eq!(total.answers, 2);
        assert_eq!(
            total.to_string(),
            "6.5 capacity units (2.5 read, 4.0 write) in 2 answers"
        );
    }
}
