//! The std-only baseline of the build-time benchmark (bench/run_build_bench.sh).
fn main() {
    println!("hello");
}
