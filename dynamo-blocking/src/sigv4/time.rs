//! The `YYYYMMDD'T'HHMMSS'Z'` timestamp SigV4 uses, formatted without allocation.

use chrono::{DateTime, Datelike, Timelike, Utc};

/// A signing timestamp in the basic ISO 8601 form, e.g. `20150830T123600Z`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct AmzDate {
    buf: [u8; 16],
}

impl AmzDate {
    /// Formats `time` (UTC). Years outside 0..=9999 cannot be represented
    /// by the format; only their last four digits are kept.
    pub(crate) fn new(time: &DateTime<Utc>) -> Self {
        let mut buf = *b"00000000T000000Z";
        let year = time.year().rem_euclid(10_000) as u32;
        put_digits(&mut buf[0..4], year);
        put_digits(&mut buf[4..6], time.month());
        put_digits(&mut buf[6..8], time.day());
        put_digits(&mut buf[9..11], time.hour());
        put_digits(&mut buf[11..13], time.minute());
        put_digits(&mut buf[13..15], time.second());
        AmzDate { buf }
    }

    /// The full timestamp, e.g. `20150830T123600Z`.
    pub(crate) fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf).expect("AmzDate holds only ASCII")
    }

    /// The date part used in the credential scope, e.g. `20150830`.
    pub(crate) fn date(&self) -> &str {
        &self.as_str()[..8]
    }
}

/// Writes `value` as zero-padded decimal filling all of `out`.
fn put_digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formats_basic_iso8601() {
        let t = Utc.with_ymd_and_hms(2015, 8, 30, 12, 36, 0).unwrap();
        let d = AmzDate::new(&t);
        assert_eq!(d.as_str(), "20150830T123600Z");
        assert_eq!(d.date(), "20150830");
        let t = Utc.with_ymd_and_hms(2024, 12, 31, 23, 59, 59).unwrap();
        assert_eq!(AmzDate::new(&t).as_str(), "20241231T235959Z");
        let t = Utc.with_ymd_and_hms(987, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(AmzDate::new(&t).as_str(), "09870102T030405Z");
    }

    #[test]
    fn matches_chrono_formatting() {
        for secs in [0_i64, 1_440_938_160, 1_700_000_000, 4_102_444_799] {
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            let expected = t.format("%Y%m%dT%H%M%SZ").to_string();
            assert_eq!(AmzDate::new(&t).as_str(), expected);
        }
    }
}
