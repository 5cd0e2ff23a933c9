//! Any bytes as a spec: loading, locating, checking, rendering (with an encrypted vault) and
//! writing must answer, never panic, hang or run away with memory; a spec that renders is
//! written, compared, written again, and written over something put in the way
//! (`cephspray::exercise`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cephspray::exercise(data));
