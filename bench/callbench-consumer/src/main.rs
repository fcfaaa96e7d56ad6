//! Prints nanoseconds per call for a trivial method, a &str round trip, an
//! owned String round trip, and what the shim's panic guard costs.
use std::hint::black_box;
use std::time::Instant;

fn per_call(n: u64, mut f: impl FnMut()) -> f64 {
    f(); // the first call loads the library through the facade
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        best = best.min(start.elapsed().as_nanos() as f64 / n as f64);
    }
    best
}

fn main() {
    let n = 5_000_000;
    let mut c = callbench::Counter::new();
    let bump = per_call(n, || {
        black_box(black_box(&mut c).bump());
    });
    let text = String::from("hello world");
    let word = per_call(n, || {
        black_box(callbench::first_word(black_box(&text)));
    });
    let owned = per_call(n, || {
        black_box(callbench::shout(black_box(String::from("hey"))));
    });
    // The shim's guard around every call (runtime/shim_rt.rs `guard`): a
    // thread-local flag set and restored, and catch_unwind. Measured here on
    // a trivial function, with and without it.
    thread_local! {
        static IN_GUARD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    }
    #[inline(never)]
    fn trivial(x: u64) -> u64 {
        x.wrapping_mul(3)
    }
    let bare = per_call(n, || {
        black_box(trivial(black_box(7)));
    });
    let guarded = per_call(n, || {
        let was = IN_GUARD.with(|g| g.replace(true));
        let r = std::panic::catch_unwind(|| trivial(black_box(7)));
        IN_GUARD.with(|g| g.set(was));
        black_box(r.is_ok());
    });
    println!("method {bump:.2} str {word:.2} string {owned:.2} guard {:.2}", guarded - bare);
}
