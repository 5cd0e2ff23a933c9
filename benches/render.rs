//! Rendering a generated 1,000-node spec (12 disks each) into memory and onto disk.
//! Target: under 100 ms for 1,000 nodes on the CI machine, memory proportional to the output
//! (the peak heap over the output size is printed before the timings).

use criterion::{Criterion, criterion_group, criterion_main};
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live and peak heap bytes.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the counters are atomics.
#[allow(unsafe_code)]
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// A spec of `nodes` nodes: 3 control-plane/etcd/mon/mgr/mds nodes, the rest OSD workers with
/// 12 disks each, spread over racks.
fn spec_text(nodes: usize) -> String {
    let mut s = String::from(
        "cluster: { name: bench }\nnetwork: { private: 10.0.0.0/16, pods: 10.128.0.0/9, services: 10.96.0.0/16 }\nnodes:\n",
    );
    for i in 0..nodes {
        let address = format!("10.0.{}.{}", i / 250, i % 250 + 1);
        if i < 3 {
            s.push_str(&format!(
                "  - {{ name: cp{i}.example.net, address: {address}, roles: [control_plane, etcd, mon, mgr, mds, ceph_client] }}\n"
            ));
            continue;
        }
        s.push_str(&format!(
            "  - name: osd{i}.example.net\n    address: {address}\n    roles: [worker, osd]\n    crush: {{ rack: r{} }}\n    disks:\n",
            i % 20
        ));
        for d in 0..12u8 {
            s.push_str(&format!(
                "      - {{ device: /dev/sd{}, size: 8TB }}\n",
                (b'b' + d) as char
            ));
        }
    }
    s.push_str(
        "ceph:\n  pools:\n    - { name: data, application: cephfs, share: 90 }\n    - { name: meta, application: cephfs, share: 1 }\n    - { name: rbd, application: rbd, share: 9 }\n  cephfs: { data_pool: data, metadata_pool: meta }\n",
    );
    s
}

fn bench(c: &mut Criterion) {
    let text = spec_text(1000);
    let spec = cephspray::spec::parse("bench.yaml", &text).unwrap();
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let tree = cephspray::build(&spec, &cephspray::Inputs::new("bench.yaml"))
        .unwrap()
        .0;
    let peak = PEAK.load(Ordering::Relaxed) - before;
    println!(
        "1,000 nodes: spec {} KiB, output {} files / {} KiB, peak heap while checking and rendering {} KiB ({:.1}x the output)",
        text.len() / 1024,
        tree.files().count(),
        tree.size() / 1024,
        peak / 1024,
        peak as f64 / tree.size() as f64
    );
    let mut group = c.benchmark_group("1,000 nodes x 12 disks");
    group.sample_size(20);
    group.bench_function("load: parse (serde-saphyr)", |b| {
        b.iter(|| cephspray::spec::parse("bench.yaml", black_box(&text)).unwrap())
    });
    group.bench_function("check + plan + render into memory", |b| {
        b.iter(|| {
            cephspray::build(black_box(&spec), &cephspray::Inputs::new("bench.yaml")).unwrap()
        })
    });
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("inventory");
    group.bench_function(
        "check + plan + render onto disk (re-render, nothing changed)",
        |b| {
            b.iter(|| {
                let tree =
                    cephspray::build(black_box(&spec), &cephspray::Inputs::new("bench.yaml"))
                        .unwrap()
                        .0;
                cephspray::output::write(&tree, &dir, false).unwrap()
            })
        },
    );
    // The usual pull request: one node's address changes; everything else is hard-linked over.
    let changed = spec_text(1000).replace("10.0.2.1\n", "10.0.10.1\n");
    assert_ne!(changed, text);
    let changed = cephspray::spec::parse("bench.yaml", &changed).unwrap();
    let trees = [
        cephspray::build(&spec, &cephspray::Inputs::new("bench.yaml"))
            .unwrap()
            .0,
        cephspray::build(&changed, &cephspray::Inputs::new("bench.yaml"))
            .unwrap()
            .0,
    ];
    let mut turn = 0;
    group.bench_function("write a re-render where one node changed", |b| {
        b.iter(|| {
            turn += 1;
            cephspray::output::write(&trees[turn % 2], &dir, false).unwrap()
        })
    });
    group.bench_function("write into an empty directory (first render)", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |fresh| {
                cephspray::output::write(&tree, &fresh.path().join("inventory"), false).unwrap()
            },
            criterion::BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
