"""Unit tests of mutations.py: the edits apply, and each kind of run gets the right verdict."""

import tempfile
import unittest
from pathlib import Path

import mutations

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures/mutation_lib"
REFUSAL = ("\nthread 'main' panicked at /w/facade/src/rdylib_rt.rs:129:13:\n"
           "rdylib: /w/lib/libmutlib.so does not match this facade; layout changed: "
           "mutlib::Gauge (facade: size 40; library: size 48).\n"
           "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n")
EDIT = mutations.find("public_field_added")
BEHAVIOUR = mutations.find("add_body")


class ApplyTest(unittest.TestCase):
    def test_every_edit_applies_to_the_fixture_and_changes_it(self):
        mutations.check_coverage()
        original = (FIXTURE / "src/lib.rs").read_text()
        for edit in mutations.EDITS:
            with tempfile.TemporaryDirectory() as d:
                (Path(d) / "src").mkdir()
                (Path(d) / "src/lib.rs").write_text(original)
                mutations.apply(edit, d)
                self.assertNotEqual((Path(d) / "src/lib.rs").read_text(), original, edit.name)

    def test_text_that_is_not_there_exactly_once_is_an_error(self):
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "src").mkdir()
            (Path(d) / "src/lib.rs").write_text("pub fn add(a: i32, b: i32) -> i32 {}\n" * 2)
            with self.assertRaises(SystemExit):
                mutations.apply(mutations.find("add_param_i32_to_i64"), d)


class JudgeTest(unittest.TestCase):
    def judge(self, edit, **files):
        with tempfile.TemporaryDirectory() as d:
            for name, text in files.items():
                (Path(d) / name.replace("_", ".")).write_text(text)
            return mutations.judge(edit, d)

    def test_a_refusal_naming_the_item(self):
        v = self.judge(EDIT, run_rc="101", run_err=REFUSAL, valgrind_rc="101", valgrind_err=REFUSAL)
        self.assertTrue(v.startswith("refused   public_field_added: rdylib: "), v)

    def test_a_refusal_naming_another_item_or_only_a_method(self):
        for other in ("mutlib::Span", "mutlib::Gauge::read", "mutlib::Gauges"):
            err = REFUSAL.replace("mutlib::Gauge", other)
            v = self.judge(EDIT, run_rc="101", run_err=err, valgrind_rc="101", valgrind_err=err)
            self.assertTrue(v.startswith("FAILED public_field_added: the refusal does not name"), v)

    def test_a_trait_impl_names_its_type(self):
        err = REFUSAL.replace("layout changed: mutlib::Gauge", "missing: <mutlib::Gauge as Display>")
        v = self.judge(EDIT, run_rc="101", run_err=err, valgrind_rc="101", valgrind_err=err)
        self.assertTrue(v.startswith("refused"), v)

    def test_a_refused_behaviour_change(self):
        v = self.judge(BEHAVIOUR, run_rc="101", run_err=REFUSAL, valgrind_rc="101", valgrind_err=REFUSAL)
        self.assertIn("changes behaviour only", v)

    def test_a_panic_that_is_not_a_refusal(self):
        err = "thread 'main' panicked at src/x.rs:1:1:\nbad tag\n"
        self.assertIn("panicked without a refusal: bad tag", self.judge(EDIT, run_rc="101", run_err=err))

    def test_a_crash_and_a_hang(self):
        self.assertIn("killed by signal 11", self.judge(EDIT, run_rc="139"))
        self.assertIn("timed out", self.judge(EDIT, run_rc="124"))

    def test_valgrind_errors_fail_a_refusal(self):
        vg = REFUSAL + "==12== Invalid read of size 8\n"
        v = self.judge(EDIT, run_rc="101", run_err=REFUSAL, valgrind_rc="99", valgrind_err=vg)
        self.assertIn("under valgrind (exit 99): ==12== Invalid read", v)

    def test_compatible_only_with_the_native_output(self):
        same = dict(run_rc="0", run_out="a\nb\n", valgrind_rc="0", valgrind_out="a\nb\n")
        self.assertEqual(self.judge(EDIT, native_rc="0", native_out="a\nb\n", **same),
                         "compatible public_field_added")
        v = self.judge(EDIT, native_rc="0", native_out="a\nc\n", **same)
        self.assertIn("output differs from the native build, line 2: facade `b`, native `c`", v)
        v = self.judge(EDIT, native_rc="build-failed", native_why="error[E0004]", **same)
        self.assertIn("no longer compiles", v)
        self.assertIn("not built", self.judge(EDIT, **same))

    def test_valgrind_errors_fail_a_compatible_run(self):
        v = self.judge(EDIT, run_rc="0", run_out="a\n", native_rc="0", native_out="a\n",
                       valgrind_rc="99", valgrind_out="a\n", valgrind_err="==3== Conditional jump\n")
        self.assertIn("under valgrind", v)


if __name__ == "__main__":
    unittest.main()
