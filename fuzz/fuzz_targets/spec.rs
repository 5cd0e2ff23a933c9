//! Any bytes as a spec: loading, locating, checking and rendering must answer, never panic, hang
//! or run away with memory.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| cephspray::exercise(data));
