//! Peak-allocation bounds for each class of hostile input (issue 13, "Never
//! exhaust memory or time"). A counting global allocator (as in
//! `crates/stsplay-bench`) records the peak of live heap bytes while one input
//! is read; each test asserts a bound on that peak, never on wall-clock time.
//!
//! Before the fixes these inputs cost gigabytes (the Locator's per-level path
//! strings, a billion-laughs alias behind a quote the text pre-scan misread,
//! `apply -f /dev/zero` read to the end). The allocator also refuses any
//! single allocation above [`HARD_CAP`], so a regression aborts the test
//! binary instead of exhausting the machine.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use stsplay_core::kubectl::{self, MemoryFiles};
use stsplay_core::manifest::{self, MAX_BLOCK_DEPTH, MAX_MANIFEST_BYTES};
use stsplay_core::Simulation;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Live heap above this fails the allocation (the process aborts).
const HARD_CAP: usize = 1 << 30;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if LIVE.load(Ordering::Relaxed).saturating_add(layout.size()) > HARD_CAP {
            return std::ptr::null_mut();
        }
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let now = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() && LIVE.load(Ordering::Relaxed).saturating_add(new_size) > HARD_CAP {
            return std::ptr::null_mut();
        }
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            let now = LIVE.fetch_add(new_size, Ordering::Relaxed) + new_size;
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// One test at a time (each takes this first): the peak is process-wide, so
/// another test's allocations must not overlap a measurement.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `f` and returns its result with the peak of live heap bytes it added
/// above what was live when it started.
fn peak_of<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let out = f();
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(base);
    eprintln!("{}: peak {peak} bytes", std::thread::current().name().unwrap_or("?"));
    (out, peak)
}

const MIB: usize = 1 << 20;

/// `kubectl apply -f bad.yaml` of `text` on a fresh simulation: its output
/// and exit code, and the peak allocation of the apply alone.
fn apply(text: String) -> ((String, i32), usize) {
    let mut sim = Simulation::new(1);
    let mut files = MemoryFiles::default();
    files.0.insert("bad.yaml".to_string(), text);
    peak_of(|| {
        let r = kubectl::run_line(&mut sim, "kubectl apply -f bad.yaml", &files);
        (r.output, r.exit_code)
    })
}

/// 120 KB of nested block sequences on one line (`- - - …`): the Locator
/// built one ever longer path per level (GBs); now it stops at the depth
/// bound, and the parser's events refuse the document.
#[test]
fn block_nesting_on_one_line() {
    let _serial = serial();
    let text = format!("{}x\n", "- ".repeat(60_000));
    let ((out, code), peak) = apply(text.clone());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains(&format!("nested deeper than {MAX_BLOCK_DEPTH} levels")), "{out}");
    assert!(peak < 8 * MIB, "peak {peak} bytes");
    // Block mappings, one level per line (1,000 levels: about 500 KB).
    let keys: String = (0..1_000).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    assert!(keys.len() < MAX_MANIFEST_BYTES);
    let ((out, code), peak) = apply(keys);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("nested deeper"), "{out}");
    assert!(peak < 8 * MIB, "peak {peak} bytes");
}

/// A long key with many children: each child's path repeats the key.
#[test]
fn long_key_repeated_in_paths() {
    let _serial = serial();
    let text = format!("{}:\n{}", "k".repeat(100_000), "  a: 1\n".repeat(120_000));
    let (loc, peak) = peak_of(|| manifest::Locator::scan(&text, 1));
    drop(loc);
    assert!(peak < 24 * text.len(), "peak {peak} bytes for {} input bytes", text.len());
}

/// Billion laughs, with the first alias placed where the old text pre-scan
/// believed a quoted scalar had started (`[x 'y, *a …`); and one whose
/// anchors sit in flow collections.
#[test]
fn billion_laughs_behind_a_quote() {
    let _serial = serial();
    let mut text =
        String::from("a: &a [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
    for w in names.windows(2) {
        let (prev, cur) = (w[0], w[1]);
        text.push_str(&format!("{cur}: &{cur} [x 'y, {}]\n", vec![format!("*{prev}"); 9].join(", ")));
    }
    let ((out, code), peak) = apply(text);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("anchors and aliases"), "{out}");
    assert!(peak < 4 * MIB, "peak {peak} bytes");
    // Plain `*`/`&` text in scalars is not an alias: accepted as kubectl does.
    let ok = "apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n  annotations:\n    os: '*nix & co'\n    note: runs on *nix\nspec:\n  clusterIP: None\n";
    let ((out, code), _) = apply(ok.to_string());
    assert_eq!((code, out.as_str()), (0, "service/s created\n"));
}

/// A manifest just over the size bound is refused before it is parsed (the
/// peak is the file source's copy of the text).
#[test]
fn oversized_manifest() {
    let _serial = serial();
    let text = "a: b\n".repeat(MAX_MANIFEST_BYTES / 5 + 1);
    let len = text.len();
    let ((out, code), peak) = apply(text);
    assert_eq!(code, 1, "{out}");
    assert!(peak < len + 64 * 1024, "peak {peak} bytes");
}

/// Reads stop at the bound plus one byte: an endless reader costs at most
/// about twice the bound (the buffer's growth), a device nothing.
#[test]
fn bounded_reads() {
    let _serial = serial();
    let (r, peak) = peak_of(|| stsplay_cli::read_bounded(std::io::repeat(b'a'), MAX_MANIFEST_BYTES, "standard input"));
    assert!(r.is_err());
    assert!(peak <= 2 * MAX_MANIFEST_BYTES + 64 * 1024, "peak {peak} bytes");
    #[cfg(unix)]
    {
        let path = std::path::Path::new("/dev/zero");
        let (r, peak) = peak_of(|| stsplay_cli::read_file_bounded(path, "/dev/zero", MAX_MANIFEST_BYTES));
        assert!(r.is_err());
        assert!(peak < 64 * 1024, "peak {peak} bytes");
    }
}

/// Integers near their type's maximum: nothing is sized by them.
#[test]
fn huge_integers() {
    let _serial = serial();
    let text = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  serviceName: web\n  replicas: 3\n  ordinals:\n    start: 2147483647\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      terminationGracePeriodSeconds: 9223372036854775807\n      tolerations:\n      - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 9223372036854775807}\n      containers:\n      - {name: web, image: nginx}\n";
    let mut sim = Simulation::new(1);
    let mut files = MemoryFiles::default();
    files.0.insert("big.yaml".to_string(), text.to_string());
    let (codes, peak) = peak_of(|| {
        [
            "kubectl apply -f big.yaml",
            "sleep 1m",
            "kubectl delete pod web-2147483646 --grace-period=9223372036854775807",
            "node down kind-worker",
            "sleep 10m",
        ]
        .map(|line| kubectl::run_line(&mut sim, line, &files).exit_code)
    });
    assert_eq!(codes[0], 0);
    assert!(peak < 8 * MIB, "peak {peak} bytes");
}
