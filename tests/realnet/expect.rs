//! What probes should find, and running a batch of them: the tests write what they expect, and
//! get back the probes that found something else, described.

use super::{Check, Net, Reach};
use std::time::Duration;

/// How long a probe that should be dropped waits.
pub const DROPPED: Duration = Duration::from_millis(1000);
/// How long a probe that should answer may take. The first packet over the mesh waits for a
/// handshake, and a handshake initiation that was lost (seen once in some 20 runs: mesh pings
/// took 4.9 s instead of 0.3-0.9) is only retried after WireGuard's REKEY_TIMEOUT, 5 s plus
/// jitter. A probe returns as soon as it is answered, so this costs nothing when all is well.
pub const ANSWERS: Duration = Duration::from_secs(12);

/// What a probe should find.
#[derive(Debug)]
pub enum Want {
    /// An answer; from a listener, its banner starts with this (`NODE tcp PORT`).
    Answer(Option<String>),
    /// Refused (TCP RST).
    Refused,
    /// Dropped: no answer before the deadline.
    Dropped,
    /// No route there.
    NoRoute,
    /// No answer at all: dropped on the way, or no route.
    Unanswered,
}

/// Runs every probe at once (from the namespace each names); the ones that did not find what
/// they should, described.
pub fn check<S: AsRef<str>>(net: &Net, expect: &[(S, Check, Want)]) -> Vec<String> {
    let probes: Vec<(&str, Check, Duration)> = expect
        .iter()
        .map(|(from, c, want)| {
            let wait = if matches!(want, Want::Dropped | Want::NoRoute | Want::Unanswered) {
                DROPPED
            } else {
                ANSWERS
            };
            (from.as_ref(), *c, wait)
        })
        .collect();
    let results = net.probe_all(&probes);
    let mut failures = Vec::new();
    for ((from, c, want), r) in expect.iter().zip(results) {
        let ok = match (want, &r) {
            (Want::Answer(None), Ok(Reach::Answered(_))) => true,
            (Want::Answer(Some(b)), Ok(Reach::Answered(got))) => got.starts_with(b.as_str()),
            (Want::Refused, Ok(Reach::Refused)) => true,
            (Want::Dropped, Ok(Reach::TimedOut)) => true,
            (Want::NoRoute, Ok(Reach::Unreachable(_))) => true,
            (Want::Unanswered, Ok(Reach::TimedOut | Reach::Unreachable(_))) => true,
            _ => false,
        };
        if !ok {
            failures.push(format!(
                "{} {c:?}: wanted {want:?}, got {r:?}",
                from.as_ref()
            ));
        }
    }
    failures
}
