//! Prints nanoseconds per call for a trivial method and a &str round trip.
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
    println!("method {bump:.2} str {word:.2}");
}
