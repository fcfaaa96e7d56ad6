// Tests for cargo runs in generated workspaces: parsing cargo's JSON
// messages, and blaming the right code when a real build fails.
#include "extract/cargo_run.h"

#include <gtest/gtest.h>

#include <map>

#include "extract/extract.h"
#include "test_support.h"
#include "util/files.h"

namespace rdylib::extract {
namespace {

namespace fs = std::filesystem;

TEST(CargoRunTest, PackageLabelReadsEverySpelling) {
  EXPECT_EQ(PackageLabel("path+file:///work/badbody#0.1.0"), "badbody v0.1.0");
  EXPECT_EQ(PackageLabel("path+file:///work/dir#my-crate@0.2.0"), "my-crate v0.2.0");
  EXPECT_EQ(PackageLabel("registry+https://github.com/rust-lang/crates.io-index#regex@1.7.1"),
            "regex v1.7.1");
  EXPECT_EQ(PackageLabel("regex 1.7.1 (registry+https://github.com/rust-lang/crates.io-index)"),
            "regex v1.7.1");
}

TEST(CargoRunTest, ParsesErrorsAndSkipsTheRest) {
  std::string out =
      R"({"reason":"compiler-message","package_id":"path+file:///w/a#0.1.0","manifest_path":"/w/a/Cargo.toml","message":{"rendered":"warning: unused\n","level":"warning","message":"unused","spans":[]}})"
      "\n"
      R"({"reason":"compiler-message","package_id":"path+file:///w/a#0.1.0","manifest_path":"/w/a/Cargo.toml","message":{"rendered":"error[E0308]: mismatched types\n","level":"error","message":"mismatched types","spans":[{"file_name":"src/lib.rs","line_start":2,"column_start":5,"is_primary":false},{"file_name":"src/lib.rs","line_start":3,"column_start":7,"is_primary":true}]}})"
      "\n"
      R"({"reason":"compiler-message","package_id":"path+file:///w/a#0.1.0","manifest_path":"/w/a/Cargo.toml","message":{"rendered":"error: aborting due to 1 previous error\n","level":"error","message":"aborting due to 1 previous error","spans":[]}})"
      "\n"
      "test result: ok. 1 passed\n"
      R"({"reason":"build-finished","success":false})"
      "\n";
  std::vector<CompilerError> errors = ParseCompilerErrors(out);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].package, "a v0.1.0");
  EXPECT_EQ(errors[0].manifest, "/w/a/Cargo.toml");
  EXPECT_EQ(errors[0].location, "/w/a/src/lib.rs:3:7");  // the primary span, made absolute
  EXPECT_EQ(errors[0].rendered, "error[E0308]: mismatched types\n");
}

// A crate under the test work dir, and a generated workspace that builds a
// binary depending on it (as the probe's does).
struct Built {
  CargoRun run;
  CargoOutcome outcome;
  PackageInfo package;
  toolchain::Toolchain tc;
};

// `manifest_tail` goes after [package]; `files` are written into the crate.
Built BuildAgainst(const std::string& name, const std::string& lib_rs,
                   const std::string& main_rs, const std::string& manifest_tail = "",
                   const std::map<std::string, std::string>& files = {}) {
  Diagnostics diags;
  Built b;
  b.tc = *toolchain::Resolve("stable", &diags);
  fs::path crate = testing::TestWorkDir() / "cargo-run" / name;
  WriteFile(crate / "Cargo.toml", "[package]\nname = \"" + name +
                                      "\"\nversion = \"0.1.0\"\nedition = \"2021\"\n" +
                                      manifest_tail + "[workspace]\n");
  WriteFile(crate / "src/lib.rs", lib_rs);
  for (const auto& [file, text] : files) WriteFile(crate / file, text);
  ExtractOptions options;
  options.crate_dir = crate;
  options.work_dir = testing::TestWorkDir() / "cargo-run";
  options.target_dir = testing::TestWorkDir() / "target";
  b.package = *ReadPackage(crate, b.tc, &diags);
  fs::path wrapper = WriteWrapperWorkspace(options, b.package, "probe", name + "-bin", main_rs);
  b.run.what = "the layout probe";
  b.run.generator = "probe generator";
  b.run.options.env = b.tc.Env();
  b.run.options.env["CARGO_TARGET_DIR"] = options.target_dir.string();
  b.run.options.cwd = wrapper;
  b.run.argv = {b.tc.cargo.string(), "build", "--offline", "--bin", name + "-bin"};
  b.run.log = wrapper / "rdylib-cargo.log";
  b.outcome = RunCargo(b.run);
  return b;
}

TEST(CargoRunTest, AnErrorInTheCrateSaysTheCrateDoesNotCompile) {
  Built b = BuildAgainst("body_error", "pub fn f() -> u32 {\n    \"x\"\n}\n", "fn main() {}\n");
  ASSERT_FALSE(b.outcome.ok());
  Diagnostics diags;
  ReportCargoFailure(b.run, b.outcome, b.package, b.tc, &diags);
  ASSERT_EQ(diags.items().size(), 1u);
  const Diagnostic& d = diags.items()[0];
  EXPECT_EQ(d.location, (b.package.manifest.parent_path() / "src/lib.rs").string() + ":2:5");
  EXPECT_TRUE(d.message.starts_with("the crate `body_error` does not compile with stable (1.95."))
      << d.message;
  EXPECT_NE(d.message.find("error[E0308]: mismatched types"), std::string::npos) << d.message;
  EXPECT_EQ(d.message.find("Compiling"), std::string::npos) << d.message;  // only rustc's text
  EXPECT_TRUE(d.hint.starts_with("the errors are in the crate's own code, not in code rdylib "
                                 "generated: fix them and run rdylib again; reproduce with: cd "))
      << d.hint;
  EXPECT_EQ(d.hint.find("bug"), std::string::npos);
}

TEST(CargoRunTest, AnErrorInGeneratedCodeIsABugWithTheLog) {
  Built b = BuildAgainst("fine", "pub fn f() -> u32 {\n    1\n}\n",
                         "fn main() {\n    let x: u32 = target_crate::g();\n}\n");
  ASSERT_FALSE(b.outcome.ok());
  Diagnostics diags;
  ReportCargoFailure(b.run, b.outcome, b.package, b.tc, &diags);
  ASSERT_EQ(diags.items().size(), 1u);
  const Diagnostic& d = diags.items()[0];
  EXPECT_EQ(d.location, (b.run.options.cwd / "main.rs").string() + ":2:32");
  EXPECT_TRUE(d.message.starts_with(
      "the layout probe, which rdylib generated, does not compile with stable (1.95."))
      << d.message;
  EXPECT_NE(d.message.find("cannot find function `g`"), std::string::npos) << d.message;
  EXPECT_EQ(d.hint, "this is a bug in rdylib's probe generator; please report it with the log " +
                        b.run.log.string() + "; reproduce with: cd " + b.run.options.cwd.string() +
                        " && env CARGO_TARGET_DIR=" + (testing::TestWorkDir() / "target").string() +
                        " RUSTC=" + b.tc.rustc.string() + " RUSTC_BOOTSTRAP=1 RUSTDOC=" +
                        b.tc.rustdoc.string() +
                        " 'RUSTDOCFLAGS=--cap-lints warn' 'RUSTFLAGS=--cap-lints warn' " +
                        ShellQuote(b.run.argv));
  std::optional<std::string> log = ReadFile(b.run.log);
  ASSERT_TRUE(log);
  EXPECT_NE(log->find("cannot find function `g`"), std::string::npos);
}

TEST(CargoRunTest, AnErrorInADependencyNamesIt) {
  Built b = BuildAgainst("with_bad_dep", "pub fn f() -> u32 {\n    bad_dep::g()\n}\n",
                         "fn main() {}\n", "[dependencies]\nbad_dep = { path = \"bad_dep\" }\n",
                         {{"bad_dep/Cargo.toml",
                           "[package]\nname = \"bad_dep\"\nversion = \"0.3.0\"\nedition = \"2021\"\n"},
                          {"bad_dep/src/lib.rs", "pub fn g() -> u32 {\n    \"no\"\n}\n"}});
  ASSERT_FALSE(b.outcome.ok());
  Diagnostics diags;
  ReportCargoFailure(b.run, b.outcome, b.package, b.tc, &diags);
  ASSERT_EQ(diags.items().size(), 1u);
  const Diagnostic& d = diags.items()[0];
  EXPECT_EQ(d.location,
            (b.package.manifest.parent_path() / "bad_dep/src/lib.rs").string() + ":2:5");
  EXPECT_TRUE(d.message.starts_with("the crate `with_bad_dep` does not compile with stable (1.95."))
      << d.message;
  EXPECT_NE(d.message.find("its dependency `bad_dep v0.3.0` fails:\nerror[E0308]"),
            std::string::npos)
      << d.message;
  EXPECT_EQ(d.hint.find("bug"), std::string::npos);
}

TEST(CargoRunTest, AFailingBuildScriptIsTheCrates) {
  Built b = BuildAgainst("bad_build_script", "pub fn f() -> u32 {\n    1\n}\n", "fn main() {}\n",
                         "build = \"build.rs\"\n",
                         {{"build.rs", "fn main() {\n    panic!(\"libfoo is missing\");\n}\n"}});
  ASSERT_FALSE(b.outcome.ok());
  Diagnostics diags;
  ReportCargoFailure(b.run, b.outcome, b.package, b.tc, &diags);
  ASSERT_EQ(diags.items().size(), 1u);
  const Diagnostic& d = diags.items()[0];
  EXPECT_TRUE(d.message.starts_with(
      "the build script of the crate `bad_build_script` fails with stable (1.95."))
      << d.message;
  EXPECT_NE(d.message.find("libfoo is missing"), std::string::npos) << d.message;
  EXPECT_EQ(d.hint.find("bug"), std::string::npos);
}

}  // namespace
}  // namespace rdylib::extract
