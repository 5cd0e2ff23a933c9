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

fn messages<'a>(json: &'a Value, kind: &str) -> Vec<&'a str> {
    json[kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect()
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
    // Created with 1 PG (Ceph 17+), the data pool is at its minimum 32 until the bulk flag.
    let reasoning = json["pools"][0]["reasoning"].as_str().unwrap();
    assert!(
        reasoning.ends_with("pg_num 1 at creation, 32 before the bulk flag is set, then 256"),
        "{reasoning}"
    );
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

/// `--osds N --hosts N --method autoscale`, a CephFS metadata pool as `ceph fs new` leaves it
/// (bias 4, pg_num_min 16) created first, then a bulk data pool, as in the measured trials.
fn cephfs_trial(osds: &str, target: &str) -> (Option<i32>, Value) {
    pg(&[
        "--osds",
        osds,
        "--method",
        "autoscale",
        "--target-pgs-per-osd",
        target,
        "--pool",
        "cephfs_metadata=0,bias=4,min=16",
        "--pool",
        "cephfs_data=0,bulk",
    ])
}

#[test]
fn autoscale_models_mon_target_pg_per_osd() {
    // Measured on Ceph 16.2 (docs/pg-calculation.md): mon_target_pg_per_osd 150 gives the bulk
    // data pool 256 on 6 OSDs (900 / 3 = 300 → 256) and 512 on 10 (1500 / 3 = 500 → 512).
    let (code, json) = cephfs_trial("6", "150");
    assert_eq!(code, Some(0));
    assert_eq!(pg_nums(&json), vec![16, 256]);
    assert_eq!(json["target_per_osd"], 150);
    let (_, json) = cephfs_trial("10", "150");
    assert_eq!(pg_nums(&json), vec![16, 512]);
    assert!(
        json["pools"][1]["reasoning"]
            .as_str()
            .unwrap()
            .starts_with("autoscaler: 10 OSDs × 150 PGs shared by ratio 0, bulk / size 3 → 512")
    );
    // The default target is 100: 6 OSDs → 600 / 3 = 200 → 256, 10 OSDs → 333 → 256.
    assert_eq!(pg_nums(&cephfs_trial("10", "100").1), vec![16, 256]);
}

#[test]
fn the_monitors_refuse_what_the_autoscaler_wants() {
    // Measured: 10 OSDs, mon_target_pg_per_osd 500, one bulk pool: the autoscaler's 2048 is
    // refused ("would mean 6147 total pgs, which exceeds max 2500"), the pool stays at 32 and
    // health stays OK.
    let (code, json) = pg(&[
        "--osds",
        "10",
        "--method",
        "autoscale",
        "--target-pgs-per-osd",
        "500",
        "--pool",
        "big=0,bulk",
    ]);
    assert_eq!(code, Some(0));
    assert_eq!(pg_nums(&json), vec![32]);
    assert_eq!(json["pools"][0]["target_pg_num"], 2048);
    let warnings = messages(&json, "warnings");
    assert!(
        warnings.iter().any(|w| w.starts_with(
            "pool big: the autoscaler wants pg_num 2048, but the monitors refuse it: the pools would hold \
             6147 PG replicas, which exceeds mon_max_pg_per_osd (250) × 10 OSDs = 2500; the pool stays at 32"
        )),
        "{warnings:?}"
    );
}

#[test]
fn the_monitors_count_at_least_three_osds() {
    // Measured: on 2 OSDs Ceph accepts a pool of 256 × size 2 (512 ≤ 250 × 3) and warns
    // TOO_MANY_PGS ("too many PGs per OSD (256 > max 250)").
    let (code, json) = pg(&[
        "--osds",
        "2",
        "--size",
        "2",
        "--target-pgs-per-osd",
        "300",
        "--pool",
        "a=100",
    ]);
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(pg_nums(&json), vec![256]);
    assert_eq!(json["errors"], serde_json::json!([]));
    assert_eq!(json["mon_max_pg_replicas"], 750);
    assert_eq!(json["mon_pg_replicas"], 514);
    let warnings = messages(&json, "warnings");
    assert!(
        warnings[0].starts_with("257 PG replicas per OSD on average")
            && warnings[0].contains("health warns TOO_MANY_PGS"),
        "{warnings:?}"
    );
}

#[test]
fn just_over_the_monitors_limit_is_an_error() {
    // Measured on 3 OSDs: `pg_num 256 size 3 would mean 771 total pgs, which exceeds max 750`.
    let (code, json) = pg(&[
        "--osds",
        "3",
        "--size",
        "3",
        "--target-pgs-per-osd",
        "200",
        "--pool",
        "a=100",
    ]);
    assert_eq!(code, Some(1));
    assert_eq!(pg_nums(&json), vec![256]);
    let errors = messages(&json, "errors");
    assert_eq!(
        errors,
        vec![
            "pool a: the monitors refuse to create it with pg_num 256 (size 3): the pools would hold 771 PG \
             replicas (Σ pg_num × size, the manager's 1-PG pool included), which exceeds mon_max_pg_per_osd \
             (250) × 3 OSDs = 750; lower its pg_num to at most 249 (128 as a power of two) or the target PGs \
             per OSD, or add OSDs (4 accept all 771)"
        ]
    );
    // One step lower fits.
    let (code, json) = pg(&[
        "--osds",
        "3",
        "--size",
        "3",
        "--target-pgs-per-osd",
        "150",
        "--pool",
        "a=100",
    ]);
    assert_eq!((code, pg_nums(&json)), (Some(0), vec![128]));
}

#[test]
fn an_osd_alone_on_its_host_hits_the_osds_own_limit() {
    // Measured: hosts of 1, 6 and 6 OSDs, 1024 PGs of size 3. The monitors accept it, but the
    // lone OSD holds a copy of every PG and activates 750: 257 PGs stayed creating+activating.
    let disks = |n: usize| {
        (0..n)
            .map(|d| {
                format!(
                    "{{ device: /dev/sd{}, size: 1TB }}",
                    (b'b' + d as u8) as char
                )
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let spec = format!(
        "cluster: {{ name: lone }}
network: {{ private: 10.8.0.0/24 }}
nodes:
  - {{ name: n1, address: 10.8.0.1, disks: [{}] }}
  - {{ name: n2, address: 10.8.0.2, disks: [{}] }}
  - {{ name: n3, address: 10.8.0.3, disks: [{}] }}
ceph:
  pg: {{ mode: fixed }}
  pools: [{{ name: big, application: rbd, share: 100, pg_num: 1024 }}]
",
        disks(1),
        disks(6),
        disks(6)
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lone.yaml");
    std::fs::write(&path, spec).unwrap();
    let (code, json) = pg(&[path.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{json}");
    assert_eq!(json["mon_pg_replicas"], 3075);
    assert_eq!(json["mon_max_pg_replicas"], 3250);
    let errors = messages(&json, "errors");
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with(
            "an OSD on a host with 1 of the 13 OSDs would hold about 1024 PG replicas, more than the 750 an \
             OSD activates"
        ) && errors[0].contains("give that host more OSDs"),
        "{errors:?}"
    );
}

#[test]
fn a_spec_in_autoscale_mode_models_ceph_fs_new_and_the_creation_order() {
    // The CephFS metadata pool gets bias 4 and pg_num_min 16 from `ceph fs new`; the data pool
    // the bulk flag from cephspray's playbook, after site.yml; every pool starts at its target.
    let (_, json) = pg(&["fixtures/five-nodes.yaml"]);
    assert_eq!(json["method"], "autoscale");
    assert_eq!(json["target_per_osd"], 100);
    let meta = &json["pools"][1];
    assert_eq!(meta["name"], "fs_meta");
    assert!(
        meta["reasoning"]
            .as_str()
            .unwrap()
            .contains("bias 4, pg_num_min 16"),
        "{meta}"
    );
    // Ceph reads the ratio 0.02 back as a 32-bit float (0.0199999995…): 23.99… PGs with bias 4,
    // a target of 16, not 32 (measured by tests/real_ceph.rs). ceph-ansible creates the pool at
    // that target in warn mode.
    assert_eq!(
        (&meta["target_pg_num"], &meta["pg_num"]),
        (&16.into(), &16.into())
    );
    assert!(
        meta["reasoning"]
            .as_str()
            .unwrap()
            .contains("pg_num 16 at first"),
        "{meta}"
    );
    assert_eq!(pg_nums(&json), vec![128, 16, 128]);
}

#[test]
fn a_pool_without_a_copy_of_its_data_is_an_error() {
    for pool in ["a=100", "a=100,ec=0+2"] {
        let size = if pool.contains("ec=") { "3" } else { "0" };
        let (code, json) = pg(&["--osds", "6", "--size", size, "--pool", pool]);
        assert_eq!(code, Some(1), "{pool}: {json}");
        assert!(
            json["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e.as_str().unwrap().contains("stores no copy")),
            "{pool}: {json}"
        );
    }
}
