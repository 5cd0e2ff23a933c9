//! `cephspray pg` from flags and from a spec, as users run it.

use serde_json::Value;

fn pg(args: &[&str]) -> (Option<i32>, Value) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cephspray"))
        .arg("pg")
        .args(args)
        .args(["--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let json = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), json)
}

fn pg_nums(json: &Value) -> Vec<u64> {
    json["pools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["pg_num"].as_u64().unwrap())
        .collect()
}

#[test]
fn pgcalc_examples() {
    let (code, json) = pg(&[
        "--osds",
        "6",
        "--size",
        "3",
        "--pool",
        "cephfs_data=95",
        "--pool",
        "cephfs_metadata=5",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(pg_nums(&json), vec![256, 8]);
    assert_eq!(json["pools"][0]["name"], "cephfs_data");
    assert_eq!(json["pools"][0]["size"], 3);
    assert_eq!(json["pg_replicas_per_osd"], 132.0);
    assert_eq!(json["errors"], serde_json::json!([]));
    assert_eq!(
        pg_nums(&pg(&["--osds", "6", "--pool", "a=50", "--pool", "b=50"]).1),
        vec![128, 128]
    );
    assert_eq!(
        pg_nums(&pg(&["--osds", "200", "--hosts", "20", "--pool", "all=100"]).1),
        vec![8192]
    );
}

#[test]
fn autoscale_examples() {
    let (_, json) = pg(&[
        "--osds",
        "6",
        "--hosts",
        "3",
        "--method",
        "autoscale",
        "--pool",
        "cephfs_data=0,bulk",
        "--pool",
        "cephfs_metadata=0,bias=4,min=16",
    ]);
    assert_eq!(pg_nums(&json), vec![256, 16]);
    let (_, json) = pg(&[
        "--osds",
        "1000",
        "--hosts",
        "50",
        "--method",
        "autoscale",
        "--pool",
        "only=100,bulk",
    ]);
    assert_eq!(pg_nums(&json), vec![32768]);
}

#[test]
fn errors_exit_1_and_are_listed() {
    let (code, json) = pg(&["--osds", "4", "--hosts", "2", "--pool", "a=100"]);
    assert_eq!(code, Some(1));
    assert!(
        json["errors"][0]
            .as_str()
            .unwrap()
            .contains("size 3 needs 3 failure domains")
    );
    let (code, json) = pg(&["--osds", "12", "--hosts", "4", "--pool", "ec=100,ec=4+2"]);
    assert_eq!(code, Some(1));
    assert!(json["errors"][0].as_str().unwrap().contains("k+m = 4+2"));
}

#[test]
fn capacity_from_device_sizes() {
    let (_, json) = pg(&[
        "--osds",
        "8",
        "--hosts",
        "4",
        "--osd-size",
        "3TB",
        "--pool",
        "data=100",
    ]);
    let c = &json["capacity"];
    assert_eq!(c["raw_bytes"], 24_000_000_000_000u64);
    assert_eq!(c["usable_bytes"], 8_000_000_000_000u64);
    // Losing one host of four leaves 18 TB raw: 18 × 0.85 / 3 = 5.1 TB.
    assert_eq!(c["usable_after_host_loss_bytes"], 5_100_000_000_000u64);
    let weight = c["crush_weights"][0]["weight"].as_f64().unwrap();
    assert!((weight - 2.7285).abs() < 1e-3, "{weight}");
}

#[test]
fn from_a_spec() {
    let (code, json) = pg(&["fixtures/pair2jeux.yaml"]);
    assert_eq!(code, Some(0));
    assert_eq!(pg_nums(&json), vec![256, 8]);
    assert_eq!(json["osds"], 6);
    assert_eq!(json["failure_domains"], 3);
    // Three 3 TB disks and three 2.9 TB partitions.
    assert_eq!(json["capacity"]["raw_bytes"], 17_700_000_000_000u64);
    let (_, json) = pg(&["fixtures/pair2jeux.yaml", "--method", "autoscale"]);
    assert_eq!(json["method"], "autoscale");
}
