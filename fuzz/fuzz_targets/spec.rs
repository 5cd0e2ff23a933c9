//! Any bytes as a spec: loading, locating, checking and rendering must answer, never panic, hang
//! or run away with memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = cephspray::spec::Locations::of(text);
    let Ok(spec) = cephspray::spec::parse("fuzz.yaml", text) else {
        return;
    };
    let found = cephspray::check::check(&spec);
    if !cephspray::check::has_errors(&found) {
        let _ = cephspray::build(&spec, &cephspray::Inputs::new("fuzz.yaml"));
    }
});
