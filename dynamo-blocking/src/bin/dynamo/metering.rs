//! `--rate UNITS/s` and, with `-v`, the consumed-capacity totals of
//! `scan`, `query`, `dump` and `load`.

use dynamo_blocking::{BatchWriter, CapacityMeter, Error, Query, Scan};

use crate::args::{Args, Failure};

/// A command's capacity settings.
#[derive(Default)]
pub struct Metering {
    /// Set with `-v`: the totals are printed at the end.
    meter: Option<CapacityMeter>,
    rate: Option<f64>,
}

impl Metering {
    /// Totals when `-v` was given.
    pub fn new(args: &Args) -> Metering {
        Metering {
            meter: (args.globals.verbosity > 0).then(CapacityMeter::new),
            rate: None,
        }
    }

    /// Takes `--rate UNITS/s` (or `--rate UNITS`).
    pub fn take_rate(&mut self, args: &mut Args) -> Result<(), Failure> {
        let text = args.value("rate")?;
        let number = text.trim().strip_suffix("/s").unwrap_or(text.trim());
        match number.parse::<f64>() {
            Ok(units) if units.is_finite() && units > 0.0 => {
                self.rate = Some(units);
                Ok(())
            }
            _ => Err(args.usage(format!(
                "--rate: `{text}` is not a number of capacity units per second above 0, e.g. 100/s"
            ))),
        }
    }

    pub fn scan(&self, mut scan: Scan) -> Scan {
        if let Some(meter) = &self.meter {
            scan = scan.capacity_meter(meter);
        }
        if let Some(rate) = self.rate {
            scan = scan.max_read_units_per_second(rate);
        }
        scan
    }

    pub fn query(&self, query: Query) -> Query {
        match &self.meter {
            Some(meter) => query.capacity_meter(meter),
            None => query,
        }
    }

    pub fn writer(&self, batch: &mut BatchWriter) -> Result<(), Error> {
        if let Some(meter) = &self.meter {
            batch.capacity_meter(meter);
        }
        if let Some(rate) = self.rate {
            batch.max_write_units_per_second(rate)?;
        }
        Ok(())
    }

    /// Prints the totals on stderr (with `-v`).
    pub fn report(&self) {
        if let Some(meter) = &self.meter {
            eprintln!("dynamo: consumed {}", meter.total());
        }
    }
}
