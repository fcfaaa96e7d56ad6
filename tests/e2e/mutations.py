#!/usr/bin/env python3
"""The edits of the mutation test (mutation_test.sh) and the verdict on each run.

Each edit is a list of literal replacements in a copy of
tests/fixtures/mutation_lib/src/lib.rs; every `old` text must occur exactly
once when it is applied. `item` is the path a refusal must name. Edits marked
`behaviour_only` change no signature, type or value the consumer sees, so
they must come out compatible (a refusal is a failure too).

  mutations.py list                   the edit names, after checking coverage
  mutations.py apply NAME CRATE_DIR   applies one edit to CRATE_DIR/src/lib.rs
  mutations.py judge NAME RUN_DIR     prints the verdict line for one run
"""

import re
import sys
from pathlib import Path
from typing import NamedTuple


class Edit(NamedTuple):
    name: str
    covers: str  # what kind of change it is (see REQUIRED)
    item: str  # the path a refusal must name
    replacements: list  # [(old, new)], applied in order
    behaviour_only: bool = False


# Every kind of change the issue asks the test to cover.
REQUIRED = [
    "private field added", "private field removed", "private fields reordered",
    "private field retyped, same size", "private field retyped, other size",
    "public field added", "public field removed", "public fields reordered",
    "public field retyped, same size", "public field retyped, other size",
    "repr(C) field order", "discriminant changed",
    "fieldless variant added", "fieldless variant removed", "fieldless variants reordered",
    "data variant added", "data variant removed", "data variants reordered",
    "data field retyped", "parameter retyped", "parameter added", "return retyped",
    "receiver changed", "function removed", "method removed", "method renamed",
    "trait impl removed", "Copy removed", "constant changed", "static changed",
    "behaviour only",
    # The forms that cross since issue 9: buffers written back, iterators,
    # closures, erased generics, library traits and their vtables.
    "buffer parameter retyped", "iterator item retyped", "closure signature changed",
    "erased bound changed", "trait method added", "trait method retyped",
    "trait method renamed", "provided method added",
    # A default body the facade copies (a trait without a vtable).
    "copied default body changed",
    # std's generic types (issue 10): collections as wire forms, Rc/Arc as
    # one allocation, cells and locks moved by value.
    "collection element retyped", "collection kind changed", "shared pointer retyped",
    "shared pointer kind changed", "cell or lock retyped", "cell or lock kind changed",
    # A generic type the facade copies with its impls (issue 10).
    "copied generic type changed",
    # Comparison and Hash supertraits of a trait with a vtable.
    "supertrait added", "supertrait removed",
]

GAUGE_DISPLAY = """impl fmt::Display for Gauge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}: {}/{}]", self.label, self.level, Self::MAX_LEVEL)
    }
}

"""

TOKEN_DISPLAY_HEAD = """impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Token::Num(n) => write!(f, "#{n}"),
            Token::Word(w) => write!(f, "'{w}'"),
            Token::Range { lo, hi } => write!(f, "{lo}..{hi}"),
            Token::At(span) => write!(f, "@{}+{}", span.start, span.len()),
            Token::End => f.write_str("$"),
        }
    }
}
"""

EDITS = [
    # Gauge: a pinned struct with public and private fields.
    Edit("private_field_added", "private field added", "mutlib::Gauge", [
        ("    spare: u16,\n}", "    spare: u16,\n    serial: u64,\n}"),
        ("scale: 10, spare: 7 }", "scale: 10, spare: 7, serial: 99 }"),
    ]),
    Edit("private_field_removed", "private field removed", "mutlib::Gauge", [
        ("    spare: u16,\n}", "}"),
        ("scale: 10, spare: 7 }", "scale: 10 }"),
        ("        self.spare += 1;\n", ""),
        ("self.level, self.delta, self.spare)", "self.level, self.delta, 0)"),
    ]),
    Edit("private_fields_reordered", "private fields reordered", "mutlib::Gauge", [
        ("    scale: u16,\n    spare: u16,", "    spare: u16,\n    scale: u16,"),
    ]),
    Edit("private_label_moved_last", "private fields reordered", "mutlib::Gauge", [
        ("    label: String,\n    scale: u16,\n    spare: u16,",
         "    scale: u16,\n    spare: u16,\n    label: String,"),
    ]),
    Edit("private_u16_to_i16", "private field retyped, same size", "mutlib::Gauge", [
        ("    spare: u16,", "    spare: i16,"),
    ]),
    Edit("private_u16_to_u64", "private field retyped, other size", "mutlib::Gauge", [
        ("    scale: u16,", "    scale: u64,"),
    ]),
    Edit("public_field_added", "public field added", "mutlib::Gauge", [
        ("    pub delta: i32,", "    pub delta: i32,\n    pub extra: u8,"),
        ("delta: -3,", "delta: -3, extra: 1,"),
    ]),
    Edit("public_field_removed", "public field removed", "mutlib::Gauge", [
        ("    pub ratio: f32,\n", ""),
        ("ratio: 0.5, ", ""),
    ]),
    Edit("public_fields_reordered", "public fields reordered", "mutlib::Gauge", [
        ("    pub level: u32,\n    pub ratio: f32,", "    pub ratio: f32,\n    pub level: u32,"),
    ]),
    Edit("public_f32_to_i32", "public field retyped, same size", "mutlib::Gauge", [
        ("    pub ratio: f32,", "    pub ratio: i32,"),
        ("ratio: 0.5,", "ratio: 2,"),
    ]),
    Edit("public_i32_to_u32", "public field retyped, same size", "mutlib::Gauge", [
        ("    pub delta: i32,", "    pub delta: u32,"),
        ("delta: -3,", "delta: 3,"),
    ]),
    Edit("public_i32_to_i64", "public field retyped, other size", "mutlib::Gauge", [
        ("    pub delta: i32,", "    pub delta: i64,"),
    ]),
    Edit("public_f32_to_f64", "public field retyped, other size", "mutlib::Gauge", [
        ("    pub ratio: f32,", "    pub ratio: f64,"),
    ]),
    # Span: #[repr(C)], Copy.
    Edit("repr_c_fields_swapped", "repr(C) field order", "mutlib::Span", [
        ("    pub start: u32,\n    pub end: u32,", "    pub end: u32,\n    pub start: u32,"),
    ]),
    Edit("repr_c_weight_first", "repr(C) field order", "mutlib::Span", [
        ("    pub start: u32,\n    pub end: u32,\n    pub weight: f64,",
         "    pub weight: f64,\n    pub start: u32,\n    pub end: u32,"),
    ]),
    Edit("repr_c_f64_to_f32", "public field retyped, other size", "mutlib::Span", [
        ("    pub weight: f64,", "    pub weight: f32,"),
    ]),
    # Mode: explicit discriminants; Phase: implicit ones.
    Edit("mode_discriminant_changed", "discriminant changed", "mutlib::Mode", [
        ("    High = 5,", "    High = 6,"),
    ]),
    Edit("mode_variant_added", "fieldless variant added", "mutlib::Mode", [
        ("    High = 5,\n}", "    High = 5,\n    Turbo = 9,\n}"),
        ("            Mode::High => Mode::Off,",
         "            Mode::High => Mode::Off,\n            Mode::Turbo => Mode::Off,"),
    ]),
    Edit("mode_variant_removed", "fieldless variant removed", "mutlib::Mode", [
        ("    Low = 1,\n", ""),
        ("            Mode::Off => Mode::Low,\n            Mode::Low => Mode::High,",
         "            Mode::Off => Mode::High,"),
    ]),
    Edit("mode_variants_reordered", "fieldless variants reordered", "mutlib::Mode", [
        ("    Off = 0,\n    Low = 1,\n    High = 5,", "    High = 5,\n    Off = 0,\n    Low = 1,"),
    ]),
    Edit("phase_variants_reordered", "fieldless variants reordered", "mutlib::Phase", [
        ("    Idle,\n    Running,\n    Done,", "    Running,\n    Idle,\n    Done,"),
    ]),
    Edit("phase_variant_added_first", "fieldless variant added", "mutlib::Phase", [
        ("    Idle,\n    Running,\n    Done,", "    Waiting,\n    Idle,\n    Running,\n    Done,"),
        ("            Phase::Idle => Phase::Running,",
         "            Phase::Waiting | Phase::Idle => Phase::Running,"),
    ]),
    # Token: an enum with data.
    Edit("token_variant_added", "data variant added", "mutlib::Token", [
        ("    At(Span),\n", "    At(Span),\n    Pair(u8, u8),\n"),
        ("            Token::End => 0,",
         "            Token::End => 0,\n            Token::Pair(a, b) => *a as i64 + *b as i64,"),
        ("            Token::Num(_) | Token::End => {}",
         "            Token::Num(_) | Token::End | Token::Pair(..) => {}"),
        ("            Token::End => f.write_str(\"$\"),",
         "            Token::End => f.write_str(\"$\"),\n"
         "            Token::Pair(a, b) => write!(f, \"<{a},{b}>\"),"),
    ]),
    Edit("token_variant_removed", "data variant removed", "mutlib::Token", [
        ("    At(Span),\n", ""),
        ("            Token::At(span) => span.len() as i64,\n", ""),
        ("            Token::At(span) => span.stretch(by),\n", ""),
        ("            Token::At(span) => write!(f, \"@{}+{}\", span.start, span.len()),\n", ""),
    ]),
    Edit("token_variants_reordered", "data variants reordered", "mutlib::Token", [
        ("    Num(i64),\n    Word(String),", "    Word(String),\n    Num(i64),"),
    ]),
    Edit("token_end_first", "data variants reordered", "mutlib::Token", [
        ("    Num(i64),\n    Word(String),\n    Range { lo: u32, hi: u32 },\n    At(Span),\n    End,",
         "    End,\n    Num(i64),\n    Word(String),\n    Range { lo: u32, hi: u32 },\n    At(Span),"),
    ]),
    Edit("token_i64_to_i32", "data field retyped", "mutlib::Token", [
        ("    Num(i64),", "    Num(i32),"),
    ]),
    Edit("token_u32_to_f32", "data field retyped", "mutlib::Token", [
        ("    Range { lo: u32, hi: u32 },", "    Range { lo: f32, hi: u32 },"),
    ]),
    Edit("token_span_to_gauge", "data field retyped", "mutlib::Token", [
        ("    At(Span),", "    At(Gauge),"),
        ("            Token::At(span) => span.len() as i64,",
         "            Token::At(gauge) => gauge.level as i64,"),
        ("            Token::At(span) => span.stretch(by),",
         "            Token::At(gauge) => gauge.level += by,"),
        ("            Token::At(span) => write!(f, \"@{}+{}\", span.start, span.len()),",
         "            Token::At(gauge) => write!(f, \"@{gauge}\"),"),
    ]),
    # Signatures.
    Edit("add_param_i32_to_i64", "parameter retyped", "mutlib::add", [
        ("pub fn add(a: i32, b: i32) -> i32 {", "pub fn add(a: i64, b: i32) -> i32 {"),
    ]),
    Edit("tally_param_u8_to_u16", "parameter retyped", "mutlib::tally", [
        ("pub fn tally(mode: Mode, count: u8) -> u32 {", "pub fn tally(mode: Mode, count: u16) -> u32 {"),
    ]),
    Edit("twice_param_added", "parameter added", "mutlib::twice", [
        ("pub fn twice(x: u64) -> u64 {\n    x * 2", "pub fn twice(x: u64, times: u64) -> u64 {\n    x * times"),
    ]),
    Edit("checksum_return_u32_to_u64", "return retyped", "mutlib::checksum", [
        ("pub fn checksum(data: &[u8]) -> u32 {\n    data.iter().map(|&b| b as u32).sum()",
         "pub fn checksum(data: &[u8]) -> u64 {\n    data.iter().map(|&b| b as u64).sum()"),
    ]),
    Edit("halve_return_option_i64", "return retyped", "mutlib::halve", [
        ("pub fn halve(x: i32) -> Option<i32> {", "pub fn halve(x: i32) -> Option<i64> {"),
        ("        Some(x / 2)", "        Some(x as i64 / 2)"),
    ]),
    Edit("describe_ref_to_value", "receiver changed", "mutlib::Gauge::describe", [
        ("    pub fn describe(&self) -> String {", "    pub fn describe(self) -> String {"),
    ]),
    Edit("read_ref_to_mut", "receiver changed", "mutlib::Gauge::read", [
        ("    pub fn read(&self) -> u32 {", "    pub fn read(&mut self) -> u32 {"),
    ]),
    Edit("into_label_value_to_ref", "receiver changed", "mutlib::Gauge::into_label", [
        ("    pub fn into_label(self) -> String {\n        self.label\n",
         "    pub fn into_label(&self) -> String {\n        self.label.clone()\n"),
    ]),
    Edit("weight_ref_to_value", "receiver changed", "mutlib::Token::weight", [
        ("    pub fn weight(&self) -> i64 {\n        match self {",
         "    pub fn weight(self) -> i64 {\n        match &self {"),
    ]),
    Edit("span_len_ref_to_value", "receiver changed", "mutlib::Span::len", [
        ("    pub fn len(&self) -> u32 {", "    pub fn len(self) -> u32 {"),
    ]),
    Edit("shout_removed", "function removed", "mutlib::shout", [
        ("/// `&str` in, `String` out.\npub fn shout(text: &str) -> String {\n"
         "    format!(\"{}!\", text.to_uppercase())\n}\n", ""),
    ]),
    Edit("is_empty_removed", "method removed", "mutlib::Span::is_empty", [
        ("    pub fn is_empty(&self) -> bool {\n        self.end <= self.start\n    }\n\n", ""),
    ]),
    Edit("read_renamed", "method renamed", "mutlib::Gauge::read", [
        ("    pub fn read(&self) -> u32 {", "    pub fn reading(&self) -> u32 {"),
    ]),
    # Trait impls.
    Edit("gauge_display_removed", "trait impl removed", "mutlib::Gauge", [(GAUGE_DISPLAY, "")]),
    Edit("token_display_removed", "trait impl removed", "mutlib::Token", [
        ("\n" + TOKEN_DISPLAY_HEAD, ""),
    ]),
    Edit("gauge_partialeq_removed", "trait impl removed", "mutlib::Gauge", [
        ("#[derive(Debug, Clone, PartialEq, Default)]\npub struct Gauge",
         "#[derive(Debug, Clone, Default)]\npub struct Gauge"),
    ]),
    Edit("mode_hash_removed", "trait impl removed", "mutlib::Mode", [
        ("#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]\npub enum Mode",
         "#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]\npub enum Mode"),
    ]),
    Edit("span_copy_removed", "Copy removed", "mutlib::Span", [
        ("#[derive(Debug, Clone, Copy, PartialEq, Default)]\npub struct Span",
         "#[derive(Debug, Clone, PartialEq, Default)]\npub struct Span"),
    ]),
    # Constants and statics.
    Edit("limit_changed", "constant changed", "mutlib::LIMIT", [
        ("pub const LIMIT: u32 = 100;", "pub const LIMIT: u32 = 250;"),
    ]),
    Edit("name_changed", "constant changed", "mutlib::NAME", [
        ("pub const NAME: &str = \"mutlib\";", "pub const NAME: &str = \"mutlib 2\";"),
    ]),
    Edit("home_changed", "constant changed", "mutlib::HOME", [
        ("pub const HOME: Span = Span { start: 1, end: 4, weight: 0.25 };",
         "pub const HOME: Span = Span { start: 2, end: 8, weight: 0.75 };"),
    ]),
    Edit("max_level_changed", "constant changed", "mutlib::Gauge::MAX_LEVEL", [
        ("    pub const MAX_LEVEL: u32 = 1000;", "    pub const MAX_LEVEL: u32 = 2000;"),
    ]),
    Edit("primes_changed", "static changed", "mutlib::PRIMES", [
        ("pub static PRIMES: [u16; 4] = [2, 3, 5, 7];", "pub static PRIMES: [u16; 4] = [2, 3, 5, 11];"),
    ]),
    Edit("factor_f64_to_f32", "static changed", "mutlib::FACTOR", [
        ("pub static FACTOR: f64 = 0.1;", "pub static FACTOR: f32 = 0.1;"),
    ]),
    Edit("hits_initial_changed", "static changed", "mutlib::HITS", [
        ("AtomicU32::new(0);", "AtomicU32::new(10);"),
    ]),
    # Behaviour only: the consumer must see the new behaviour, unrefused.
    Edit("add_body", "behaviour only", "mutlib::add", [
        ("    (a as i64 + b as i64) as i32", "    (a as i64 + b as i64 + 1) as i32"),
    ], behaviour_only=True),
    Edit("bump_body", "behaviour only", "mutlib::Gauge::bump", [
        ("        self.level += by;", "        self.level += by * 2;"),
    ], behaviour_only=True),
    Edit("gauge_display_body", "behaviour only", "mutlib::Gauge", [
        ("write!(f, \"[{}: {}/{}]\",", "write!(f, \"<{} is {} of {}>\","),
    ], behaviour_only=True),
    Edit("mode_next_body", "behaviour only", "mutlib::Mode::next", [
        ("            Mode::Low => Mode::High,\n            Mode::High => Mode::Off,",
         "            Mode::Low => Mode::Off,\n            Mode::High => Mode::Low,"),
    ], behaviour_only=True),
    Edit("token_parse_body", "behaviour only", "mutlib::Token::parse", [
        ("            Err(_) => Token::Word(text.to_string()),",
         "            Err(_) => Token::Word(text.to_uppercase()),"),
    ], behaviour_only=True),
    Edit("span_stretch_body", "behaviour only", "mutlib::Span::stretch", [
        ("        self.weight *= 2.0;", "        self.weight *= 3.0;"),
    ], behaviour_only=True),
    Edit("phase_of_body", "behaviour only", "mutlib::phase_of", [
        ("    [Phase::Idle, Phase::Running, Phase::Done].get(n as usize).copied()",
         "    [Phase::Done, Phase::Idle].get(n as usize).copied()"),
    ], behaviour_only=True),
    # Forms since issue 9.
    Edit("append_tag_buffer_to_bytes", "buffer parameter retyped", "mutlib::append_tag", [
        ("pub fn append_tag(buf: &mut String, tag: &str) {\n    buf.push('#');\n    buf.push_str(tag);",
         "pub fn append_tag(buf: &mut Vec<u8>, tag: &str) {\n    buf.push(b'#');\n"
         "    buf.extend_from_slice(tag.as_bytes());"),
    ]),
    Edit("push_squares_u32_to_u64", "buffer parameter retyped", "mutlib::push_squares", [
        ("pub fn push_squares(list: &mut Vec<u32>, n: u32) {", "pub fn push_squares(list: &mut Vec<u64>, n: u32) {"),
        ("        list.push(i * i);", "        list.push(i as u64 * i as u64);"),
    ]),
    Edit("join_all_strings_to_strs", "parameter retyped", "mutlib::join_all", [
        ("pub fn join_all(parts: &[String]) -> String {", "pub fn join_all(parts: &[&str]) -> String {"),
    ]),
    Edit("words_strings_to_lengths", "return retyped", "mutlib::words", [
        ("pub fn words(text: &str) -> Vec<String> {\n    text.split_whitespace().map(str::to_string).collect()",
         "pub fn words(text: &str) -> Vec<u32> {\n    text.split_whitespace().map(|w| w.len() as u32).collect()"),
    ]),
    Edit("countdown_item_u32_to_u64", "iterator item retyped", "mutlib::countdown", [
        ("pub fn countdown(from: u32) -> impl Iterator<Item = u32> {\n    (0..from).rev()",
         "pub fn countdown(from: u32) -> impl Iterator<Item = u64> {\n    (0..from as u64).rev()"),
    ]),
    Edit("apply_twice_closure_u32_to_u64", "closure signature changed", "mutlib::apply_twice", [
        ("pub fn apply_twice(f: impl Fn(u32) -> u32, x: u32) -> u32 {\n    f(f(x))",
         "pub fn apply_twice(f: impl Fn(u64) -> u64, x: u32) -> u32 {\n    f(f(x as u64)) as u32"),
    ]),
    Edit("apply_twice_fn_to_fnmut", "closure signature changed", "mutlib::apply_twice", [
        ("pub fn apply_twice(f: impl Fn(u32) -> u32, x: u32) -> u32 {\n    f(f(x))",
         "pub fn apply_twice(mut f: impl FnMut(u32) -> u32, x: u32) -> u32 {\n    let y = f(x);\n    f(y)"),
    ]),
    Edit("adder_returns_u64_closure", "closure signature changed", "mutlib::adder", [
        ("pub fn adder(n: u32) -> impl Fn(u32) -> u32 {\n    move |x| x + n",
         "pub fn adder(n: u32) -> impl Fn(u64) -> u64 {\n    move |x| x + n as u64"),
    ]),
    Edit("measure_len_as_ref_to_into", "erased bound changed", "mutlib::measure_len", [
        ("pub fn measure_len<S: AsRef<str>>(text: S) -> usize {\n    text.as_ref().len()",
         "pub fn measure_len<S: Into<String>>(text: S) -> usize {\n    text.into().len()"),
    ]),
    Edit("tally_item_u32_to_u64", "erased bound changed", "mutlib::Tally", [
        ("    fn tally<I: IntoIterator<Item = u32>>(&self, items: I) -> u32;",
         "    fn tally<I: IntoIterator<Item = u64>>(&self, items: I) -> u32;"),
        ("    fn tally<I: IntoIterator<Item = u32>>(&self, items: I) -> u32 {\n"
         "        items.into_iter().fold(self.level, |acc, x| acc + x)",
         "    fn tally<I: IntoIterator<Item = u64>>(&self, items: I) -> u32 {\n"
         "        items.into_iter().fold(self.level, |acc, x| acc + x as u32)"),
        # The library's range handed to a consumer's tally (a vtable entry).
        ("    t.tally(1..to)", "    t.tally(1..to as u64)"),
    ]),
    Edit("meter_required_method_added", "trait method added", "mutlib::Meter", [
        ("    fn measure(&self) -> u32;\n", "    fn measure(&self) -> u32;\n\n    fn unit(&self) -> u8;\n"),
        ("    fn measure(&self) -> u32 {\n        self.level\n    }\n",
         "    fn measure(&self) -> u32 {\n        self.level\n    }\n\n    fn unit(&self) -> u8 {\n        1\n    }\n"),
        ("    fn measure(&self) -> u32 {\n        1\n    }\n",
         "    fn measure(&self) -> u32 {\n        1\n    }\n\n    fn unit(&self) -> u8 {\n        0\n    }\n"),
    ]),
    Edit("meter_provided_method_added", "provided method added", "mutlib::Meter", [
        ("    fn measure(&self) -> u32;\n",
         "    fn measure(&self) -> u32;\n\n    fn offset(&self) -> u32 {\n        0\n    }\n"),
    ]),
    Edit("meter_measure_u32_to_u64", "trait method retyped", "mutlib::Meter", [
        ("    fn measure(&self) -> u32;", "    fn measure(&self) -> u64;"),
        ("        self.measure() * by\n", "        self.measure() as u32 * by\n"),
        ("    fn measure(&self) -> u32 {\n        self.level\n",
         "    fn measure(&self) -> u64 {\n        self.level as u64\n"),
        ("    meter.measure() + meter.scaled(10)", "    meter.measure() as u32 + meter.scaled(10)"),
        ("    fn measure(&self) -> u32 {\n        1\n", "    fn measure(&self) -> u64 {\n        1\n"),
        ("    meters.iter().map(|m| m.measure()).sum()", "    meters.iter().map(|m| m.measure() as u32).sum()"),
        ("    meters.iter().map(|m| m.measure()).max()", "    meters.iter().map(|m| m.measure() as u32).max()"),
    ]),
    Edit("meter_scaled_renamed", "trait method renamed", "mutlib::Meter", [
        ("    fn scaled(&self, by: u32) -> u32 {", "    fn scaled_by(&self, by: u32) -> u32 {"),
        ("    meter.measure() + meter.scaled(10)", "    meter.measure() + meter.scaled_by(10)"),
        ("    meter.scaled(2)", "    meter.scaled_by(2)"),
    ]),
    Edit("grade_hash_added", "supertrait added", "mutlib::Grade", [
        ("pub trait Grade: Ord {", "pub trait Grade: Ord + std::hash::Hash {"),
    ]),
    Edit("grade_ord_to_partialord", "supertrait removed", "mutlib::Grade", [
        ("pub trait Grade: Ord {", "pub trait Grade: PartialOrd {"),
    ]),
    Edit("stride_default_body", "copied default body changed", "mutlib::Stride", [
        ("        self.stride() * n\n", "        self.stride() * n + 1\n"),
    ]),
    Edit("gauge_meter_removed", "trait impl removed", "mutlib::Gauge", [
        ("impl Meter for Gauge {\n    fn measure(&self) -> u32 {\n        self.level\n    }\n}\n\n", ""),
    ]),
    Edit("max_measure_boxes_to_refs", "parameter retyped", "mutlib::max_measure", [
        ("pub fn max_measure(meters: &[Box<dyn Meter>]) -> u32 {",
         "pub fn max_measure(meters: &[&dyn Meter]) -> u32 {"),
    ]),
    Edit("total_measure_send_added", "parameter retyped", "mutlib::total_measure", [
        ("pub fn total_measure(meters: Vec<Box<dyn Meter>>) -> u32 {",
         "pub fn total_measure(meters: Vec<Box<dyn Meter + Send>>) -> u32 {"),
    ]),
    Edit("rotate_meters_slice_to_vec", "parameter retyped", "mutlib::rotate_meters", [
        ("pub fn rotate_meters(meters: &mut [Box<dyn Meter>]) -> u32 {",
         "pub fn rotate_meters(meters: &mut Vec<Box<dyn Meter>>) -> u32 {"),
    ]),
    Edit("add_unit_send_added", "parameter retyped", "mutlib::add_unit", [
        ("pub fn add_unit(meters: &mut Vec<Box<dyn Meter>>) -> usize {",
         "pub fn add_unit(meters: &mut Vec<Box<dyn Meter + Send>>) -> usize {"),
    ]),
    Edit("rotate_meters_body", "behaviour only", "mutlib::rotate_meters", [
        ("    meters.rotate_left(1);", "    meters.rotate_right(1);"),
    ], behaviour_only=True),
    Edit("unit_meter_returns_unit", "return retyped", "mutlib::unit_meter", [
        ("pub fn unit_meter() -> &'static dyn Meter {", "pub fn unit_meter() -> &'static Unit {"),
    ]),
    # `&'static dyn` kept by the library, then only lent for the call.
    Edit("keep_meter_lent_for_the_call", "parameter retyped", "mutlib::keep_meter", [
        ("pub fn keep_meter(meter: &'static (dyn Meter + Sync)) -> u32 {\n"
         "    let mut kept = KEPT_METERS.lock().unwrap();\n"
         "    kept.push(meter);\n"
         "    // `as u32`: the sum stays u32 when an edit retypes measure.\n"
         "    kept.iter().map(|m| m.measure() as u32).sum()",
         "pub fn keep_meter(meter: &(dyn Meter + Sync)) -> u32 {\n"
         "    let kept = KEPT_METERS.lock().unwrap();\n"
         "    kept.iter().map(|m| m.measure() as u32).sum::<u32>() + meter.measure() as u32"),
    ]),
    Edit("total_measure_body", "behaviour only", "mutlib::total_measure", [
        ("    meters.iter().map(|m| m.measure()).sum()", "    meters.iter().map(|m| m.measure() * 2).sum()"),
    ], behaviour_only=True),
    Edit("append_tag_body", "behaviour only", "mutlib::append_tag", [
        ("    buf.push('#');", "    buf.push_str(\" %\");"),
    ], behaviour_only=True),
    Edit("countdown_body", "behaviour only", "mutlib::countdown", [
        ("    (0..from).rev()", "    (1..=from).rev().step_by(2)"),
    ], behaviour_only=True),
    Edit("scaled_default_body", "behaviour only", "mutlib::Meter", [
        ("        self.measure() * by\n", "        self.measure() * by + 1\n"),
    ], behaviour_only=True),
    Edit("tally_body", "behaviour only", "mutlib::Tally", [
        ("        items.into_iter().fold(self.level, |acc, x| acc + x)",
         "        items.into_iter().fold(self.level, |acc, x| acc * 2 + x)"),
    ], behaviour_only=True),
    Edit("read_meter_body", "behaviour only", "mutlib::read_meter", [
        ("    meter.measure() + meter.scaled(10)", "    meter.scaled(10) - meter.measure()"),
    ], behaviour_only=True),
    # std's generic types.
    Edit("word_counts_u32_to_u64", "collection element retyped", "mutlib::word_counts", [
        ("pub fn word_counts(text: &str) -> HashMap<String, u32> {",
         "pub fn word_counts(text: &str) -> HashMap<String, u64> {"),
    ]),
    Edit("heaviest_key_u32_to_i32", "collection element retyped", "mutlib::heaviest", [
        ("pub fn heaviest(weights: BTreeMap<u32, String>) -> String {",
         "pub fn heaviest(weights: BTreeMap<i32, String>) -> String {"),
    ]),
    Edit("queue_to_btreeset", "collection kind changed", "mutlib::queue", [
        ("use std::collections::{BTreeMap, HashMap, VecDeque};",
         "use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};"),
        ("pub fn queue(n: u32) -> VecDeque<u32> {", "pub fn queue(n: u32) -> BTreeSet<u32> {"),
    ]),
    Edit("shared_total_u64_to_u32", "shared pointer retyped", "mutlib::shared_total", [
        ("pub fn shared_total(n: u64) -> Arc<u64> {\n    Arc::new(n * 10)",
         "pub fn shared_total(n: u64) -> Arc<u32> {\n    Arc::new(n as u32 * 10)"),
    ]),
    Edit("shared_total_arc_to_rc", "shared pointer kind changed", "mutlib::shared_total", [
        ("pub fn shared_total(n: u64) -> Arc<u64> {\n    Arc::new(n * 10)",
         "pub fn shared_total(n: u64) -> Rc<u64> {\n    Rc::new(n * 10)"),
    ]),
    Edit("shared_name_string_to_u64", "shared pointer retyped", "mutlib::shared_name", [
        ("pub fn shared_name(name: &str) -> Rc<String> {\n    Rc::new(format!(\"<{name}>\"))",
         "pub fn shared_name(name: &str) -> Rc<u64> {\n    Rc::new(name.len() as u64)"),
    ]),
    Edit("counter_cell_u32_to_u64", "cell or lock retyped", "mutlib::counter_cell", [
        ("pub fn counter_cell(start: u32) -> Cell<u32> {\n    Cell::new(start + 1)",
         "pub fn counter_cell(start: u32) -> Cell<u64> {\n    Cell::new(start as u64 + 1)"),
    ]),
    Edit("counter_cell_to_refcell", "cell or lock kind changed", "mutlib::counter_cell", [
        ("pub fn counter_cell(start: u32) -> Cell<u32> {\n    Cell::new(start + 1)",
         "pub fn counter_cell(start: u32) -> std::cell::RefCell<u32> {\n    std::cell::RefCell::new(start + 1)"),
    ]),
    Edit("locked_to_rwlock", "cell or lock kind changed", "mutlib::locked", [
        ("pub fn locked(value: u32) -> Mutex<u32> {\n    Mutex::new(value * 2)",
         "pub fn locked(value: u32) -> std::sync::RwLock<u32> {\n    std::sync::RwLock::new(value * 2)"),
    ]),
    Edit("unlock_u32_to_i32", "cell or lock retyped", "mutlib::unlock", [
        ("pub fn unlock(lock: Mutex<u32>) -> u32 {\n    lock.into_inner().unwrap_or(0) + 1",
         "pub fn unlock(lock: Mutex<i32>) -> u32 {\n    lock.into_inner().unwrap_or(0) as u32 + 1"),
    ]),
    Edit("pair_sum_body", "copied generic type changed", "mutlib::Pair", [
        ("        self.a + self.b\n", "        self.b + self.a + self.a\n"),
    ]),
    Edit("word_counts_body", "behaviour only", "mutlib::word_counts", [
        ("        *counts.entry(word.to_string()).or_insert(0) += 1;",
         "        *counts.entry(word.to_uppercase()).or_insert(0) += 2;"),
    ], behaviour_only=True),
    Edit("shared_total_body", "behaviour only", "mutlib::shared_total", [
        ("    Arc::new(n * 10)", "    Arc::new(n + 10)"),
    ], behaviour_only=True),
    Edit("adder_body", "behaviour only", "mutlib::adder", [
        ("    move |x| x + n\n", "    move |x| x * n\n"),
    ], behaviour_only=True),
    # A generic method of a vtable instance (`Pour<Item = u32>`), and a closed
    # parameter beside an erased closure (`ranked<L: Level, F: Fn(u32) -> u32>`).
    Edit("pour_closure_takes_two", "closure signature changed", "mutlib::Pour", [
        ("    fn pour<F: FnMut(Self::Item) -> bool>(&mut self, f: F) -> u32;",
         "    fn pour<F: FnMut(Self::Item, u32) -> bool>(&mut self, f: F) -> u32;"),
        ("    let poured = p.pour(|x| {", "    let poured = p.pour(|x, _| {"),
    ]),
    Edit("pour_returns_u64", "trait method retyped", "mutlib::Pour", [
        ("    fn pour<F: FnMut(Self::Item) -> bool>(&mut self, f: F) -> u32;",
         "    fn pour<F: FnMut(Self::Item) -> bool>(&mut self, f: F) -> u64;"),
        ("    poured * 1000 + seen", "    poured as u32 * 1000 + seen"),
    ]),
    Edit("pour_until_body", "behaviour only", "mutlib::pour_until", [
        ("        seen < limit\n", "        seen <= limit\n"),
    ], behaviour_only=True),
    Edit("ranked_closure_u64", "closure signature changed", "mutlib::ranked", [
        ("pub fn ranked<L: Level, F: Fn(u32) -> u32>(l: L, f: F) -> u32 {\n    f(l.rank()) + 1",
         "pub fn ranked<L: Level, F: Fn(u64) -> u64>(l: L, f: F) -> u32 {\n    f(l.rank() as u64) as u32 + 1"),
    ]),
    Edit("ranked_body", "behaviour only", "mutlib::ranked", [
        ("    f(l.rank()) + 1\n", "    f(l.rank() + 1) + 1\n"),
    ], behaviour_only=True),
]

# The run before any edit: the harness itself must find it compatible.
BASELINE = Edit("baseline", "nothing", "", [], behaviour_only=True)


def find(name):
    for e in EDITS + [BASELINE]:
        if e.name == name:
            return e
    sys.exit(f"mutations.py: no edit named {name}")


def check_coverage():
    names = [e.name for e in EDITS]
    dupes = {n for n in names if names.count(n) > 1}
    missing = [c for c in REQUIRED if c not in {e.covers for e in EDITS}]
    unknown = [e.name for e in EDITS if e.covers not in REQUIRED]
    if dupes or missing or unknown or len(EDITS) < 30:
        sys.exit(f"mutations.py: bad edit list: duplicates {sorted(dupes)}, uncovered {missing}, "
                 f"unknown kinds in {unknown}, {len(EDITS)} edits (30 needed)")


def apply(edit, crate_dir):
    path = Path(crate_dir) / "src/lib.rs"
    text = path.read_text()
    for old, new in edit.replacements:
        n = text.count(old)
        if n != 1:
            sys.exit(f"edit {edit.name}: the text to replace occurs {n} times, not once "
                     f"(the fixture changed?):\n{old}")
        text = text.replace(old, new)
    path.write_text(text)


def read(run_dir, name, default=""):
    p = Path(run_dir) / name
    return p.read_text(errors="replace") if p.exists() else default


def panic_message(stderr):
    """The first line of the panic message (after 'panicked at FILE:LINE:COL:')."""
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        if " panicked at " in line:
            if line.rstrip().endswith(":") and i + 1 < len(lines):
                return lines[i + 1]
            return line.split(" panicked at ", 1)[1]
    return lines[0] if lines else "(no output on stderr)"


def valgrind_errors(stderr):
    return [l for l in stderr.splitlines() if re.match(r"==\d+==", l)]


def exit_text(rc):
    if rc == 124:
        return "timed out"
    if rc > 128:
        return f"killed by signal {rc - 128}"
    return f"exit {rc}"


def first_difference(got, want):
    g, w = got.splitlines(), want.splitlines()
    for i in range(max(len(g), len(w))):
        a = g[i] if i < len(g) else "(nothing)"
        b = w[i] if i < len(w) else "(nothing)"
        if a != b:
            return f"line {i + 1}: facade `{a}`, native `{b}`"
    return "same lines, different line ends"


def names(text, item):
    """Whether `text` names `item` as a whole path (`a::B`, not `a::B::c` or `a::Bc`)."""
    return re.search(r"(?<![\w:])" + re.escape(item) + r"(?![\w]|::\w)", text) is not None


def judge(edit, run_dir):
    """The verdict line: 'refused …', 'compatible …' or 'FAILED …'."""
    rc = int(read(run_dir, "run.rc", "-1"))
    out, err = read(run_dir, "run.out"), read(run_dir, "run.err")
    vg_rc = int(read(run_dir, "valgrind.rc", "-1"))
    vg_out, vg_err = read(run_dir, "valgrind.out"), read(run_dir, "valgrind.err")
    message = panic_message(err)
    work = read(run_dir, "work").strip()
    if work:
        message = message.replace(work, "WORK")
    if rc == 0:
        native = read(run_dir, "native.rc", "")
        if native == "":
            return f"FAILED {edit.name}: exit 0, but the native consumer was not built"
        if native.strip() == "build-failed":
            why = read(run_dir, "native.why").strip()
            return (f"FAILED {edit.name}: ran (exit 0), yet the consumer no longer compiles "
                    f"against the changed library ({why}), so only a refusal is right")
        if native.strip() == "stale":
            return f"FAILED {edit.name}: cargo did not rebuild the changed mutlib for the native consumer"
        native_out = read(run_dir, "native.out")
        if int(native) != 0:
            return f"FAILED {edit.name}: the native consumer fails ({exit_text(int(native))}) but the facade's runs"
        if out != native_out:
            return f"FAILED {edit.name}: output differs from the native build, {first_difference(out, native_out)}"
        if vg_rc != 0 or valgrind_errors(vg_err) or vg_out != out:
            first = (valgrind_errors(vg_err) or [panic_message(vg_err)])[0]
            return f"FAILED {edit.name}: under valgrind ({exit_text(vg_rc)}): {first}"
        return f"compatible {edit.name}"
    if rc != 101:
        tail = " | ".join(err.strip().splitlines()[-3:])
        return f"FAILED {edit.name}: {exit_text(rc)}: {tail}"
    if "does not match this facade" not in err:
        return f"FAILED {edit.name}: panicked without a refusal: {message}"
    if edit.behaviour_only:
        return f"FAILED {edit.name}: refused, but the edit changes behaviour only: {message}"
    if not names(err, edit.item):
        return f"FAILED {edit.name}: the refusal does not name {edit.item}: {message}"
    if vg_rc != 101 or valgrind_errors(vg_err):
        first = (valgrind_errors(vg_err) or [panic_message(vg_err)])[0]
        return f"FAILED {edit.name}: under valgrind ({exit_text(vg_rc)}): {first}"
    return f"refused   {edit.name}: {message}"


def main(argv):
    if argv[1:2] == ["list"]:
        check_coverage()
        print("\n".join(e.name for e in EDITS))
    elif argv[1:2] == ["apply"] and len(argv) == 4:
        apply(find(argv[2]), argv[3])
    elif argv[1:2] == ["judge"] and len(argv) == 4:
        # A crash can leave any bytes on stderr: print them as `?`.
        print("".join(c if c.isprintable() else "?" for c in judge(find(argv[2]), argv[3])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
