//! Any text as `--date` (or a template's `date` filter) and any number of
//! seconds as `SOURCE_DATE_EPOCH`: the calendar arithmetic never panics or
//! overflows, and a date of years 0–9999 reads back as the day it names.
#![no_main]

use bumpwise::notes::changelog::{civil_date, unix_time};
use libfuzzer_sys::fuzz_target;

/// 0000-01-01 and 9999-12-31 23:59:59 as Unix times.
const FIRST: i64 = -62_167_219_200;
const LAST: i64 = 253_402_300_799;

fuzz_target!(|data: &[u8]| {
    if let Some(seconds) = unix_time(&String::from_utf8_lossy(data)) {
        assert!((FIRST..=LAST).contains(&seconds));
    }
    if let Some(bytes) = data.get(..8) {
        let any = i64::from_le_bytes(bytes.try_into().unwrap());
        let _ = civil_date(any);
        let seconds = FIRST + any.rem_euclid(LAST - FIRST + 1);
        let day = civil_date(seconds);
        let midnight = unix_time(&day).expect("a civil date reads back");
        assert!(midnight <= seconds && seconds - midnight < 86_400, "{day}");
    }
});
