//! Every input the fuzzer found interesting (fixtures/fuzz/) goes through the whole pipeline on
//! each test run, writing included: none may panic. Unoptimised, the vault's 10,000 PBKDF2
//! rounds take a third of a second, so a placeholder stands in for the encrypted vault here;
//! the fuzz target encrypts it.

#[test]
fn fuzz_corpus_inputs_are_answered() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/fuzz");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| cephspray::exercise_with(&data, false));
        assert!(outcome.is_ok(), "{} makes cephspray panic", path.display());
        count += 1;
    }
    assert!(count > 100, "only {count} fuzz inputs kept");
}
