// Cargo runs in generated workspaces, and who is to blame when one fails.
#include "extract/cargo_run.h"

#include <fmt/format.h>
#include <simdjson.h>

#include "util/files.h"

namespace rdylib::extract {
namespace fs = std::filesystem;
namespace {

// At most this many errors are quoted in a diagnostic; the log has them all.
constexpr size_t kQuotedErrors = 5;

std::string TrimEnd(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The last lines of cargo's own output, where its error is.
std::string Tail(const std::string& text, int lines) {
  size_t pos = text.size();
  for (int i = 0; i <= lines && pos > 0; ++i) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) return text;
  }
  return text.substr(pos + 1);
}

bool SameFile(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

// The command without the JSON format, as a person would type it, with the
// variables that choose the toolchain and the target directory.
std::string Reproduce(const CargoRun& run) {
  std::vector<std::string> argv = {"env"};
  for (const auto& [name, value] : run.options.env) {
    if (value && name != "CARGO") argv.push_back(name + "=" + *value);
  }
  argv.insert(argv.end(), run.argv.begin(), run.argv.end());
  return fmt::format("cd {} && {}", run.options.cwd.string(), ShellQuote(argv));
}

// The quoted errors, and a line saying how many more the log has.
std::string Quote(const std::vector<const CompilerError*>& errors, const fs::path& log) {
  std::string out;
  for (size_t i = 0; i < errors.size() && i < kQuotedErrors; ++i) {
    out += "\n" + TrimEnd(errors[i]->rendered);
  }
  if (errors.size() > kQuotedErrors) {
    out += fmt::format("\n... and {} more errors (all of them in {})",
                       errors.size() - kQuotedErrors, log.string());
  }
  return out;
}

}  // namespace

std::vector<CompilerError> ParseCompilerErrors(std::string_view json_lines) {
  std::vector<CompilerError> out;
  simdjson::dom::parser parser;
  size_t start = 0;
  while (start < json_lines.size()) {
    size_t end = json_lines.find('\n', start);
    if (end == std::string_view::npos) end = json_lines.size();
    std::string_view line = json_lines.substr(start, end - start);
    start = end + 1;
    if (!line.starts_with("{")) continue;
    simdjson::dom::element msg;
    std::string_view reason, level, s;
    if (parser.parse(simdjson::padded_string(line)).get(msg) != simdjson::SUCCESS ||
        msg["reason"].get_string().get(reason) != simdjson::SUCCESS ||
        reason != "compiler-message" ||
        msg["message"]["level"].get_string().get(level) != simdjson::SUCCESS ||
        level != "error") {
      continue;
    }
    CompilerError e;
    if (msg["message"]["rendered"].get_string().get(s) == simdjson::SUCCESS) e.rendered = s;
    // rustc's closing "aborting due to N previous errors" says nothing new.
    if (msg["message"]["message"].get_string().get(s) == simdjson::SUCCESS &&
        s.starts_with("aborting due to")) {
      continue;
    }
    if (msg["package_id"].get_string().get(s) == simdjson::SUCCESS) e.package = PackageLabel(s);
    if (msg["manifest_path"].get_string().get(s) == simdjson::SUCCESS) e.manifest = s;
    simdjson::dom::array spans;
    if (msg["message"]["spans"].get_array().get(spans) == simdjson::SUCCESS) {
      for (simdjson::dom::element span : spans) {
        bool primary = false;
        int64_t line_no = 0, column = 0;
        if (span["is_primary"].get_bool().get(primary) != simdjson::SUCCESS || !primary ||
            span["file_name"].get_string().get(s) != simdjson::SUCCESS) {
          continue;
        }
        fs::path file(s);
        // Workspace members are compiled from the workspace root, which for
        // rdylib's workspaces is the package's directory.
        if (file.is_relative() && !e.manifest.empty()) file = e.manifest.parent_path() / file;
        e.location = file.string();
        if (span["line_start"].get_int64().get(line_no) == simdjson::SUCCESS &&
            span["column_start"].get_int64().get(column) == simdjson::SUCCESS) {
          e.location += fmt::format(":{}:{}", line_no, column);
        }
        break;
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::string PackageLabel(std::string_view id) {
  if (size_t hash = id.rfind('#'); hash != std::string_view::npos) {
    std::string_view fragment = id.substr(hash + 1);
    if (size_t at = fragment.find('@'); at != std::string_view::npos) {
      return fmt::format("{} v{}", fragment.substr(0, at), fragment.substr(at + 1));
    }
    // "path+file:///dir/name#1.2.3": the name is the directory's.
    std::string_view url = id.substr(0, hash);
    if (size_t q = url.find('?'); q != std::string_view::npos) url = url.substr(0, q);
    std::string_view name = url.substr(url.rfind('/') + 1);
    return fmt::format("{} v{}", name, fragment);
  }
  // The older spelling: "name 1.2.3 (source)".
  size_t space = id.find(' ');
  if (space == std::string_view::npos) return std::string(id);
  size_t end = id.find(' ', space + 1);
  return fmt::format("{} v{}", id.substr(0, space), id.substr(space + 1, end - space - 1));
}

bool CargoOutcome::Mentions(std::string_view text) const {
  if (process.err.find(text) != std::string::npos) return true;
  for (const CompilerError& e : errors) {
    if (e.rendered.find(text) != std::string::npos) return true;
  }
  return false;
}

CargoOutcome RunCargo(const CargoRun& run) {
  std::vector<std::string> argv = run.argv;
  argv.insert(argv.begin() + 2, "--message-format=json");
  CargoOutcome outcome;
  outcome.process = RunProcess(argv, run.options);
  if (outcome.ok()) return outcome;
  outcome.errors = ParseCompilerErrors(outcome.process.out);
  std::string log = fmt::format("$ {}\n{}", Reproduce(run),
                                outcome.process.err.empty() ? outcome.process.error
                                                            : outcome.process.err);
  for (const CompilerError& e : outcome.errors) {
    log += fmt::format("\n[{}]\n{}", e.package, TrimEnd(e.rendered));
  }
  WriteFile(run.log, log + "\n");
  return outcome;
}

void ReportCargoFailure(const CargoRun& run, const CargoOutcome& outcome,
                        const PackageInfo& crate, const toolchain::Toolchain& tc,
                        Diagnostics* diags) {
  std::vector<const CompilerError*> in_crate, in_dependency, generated;
  fs::path generated_manifest = run.options.cwd / "Cargo.toml";
  for (const CompilerError& e : outcome.errors) {
    if (SameFile(e.manifest, crate.manifest)) {
      in_crate.push_back(&e);
    } else if (SameFile(e.manifest, generated_manifest)) {
      generated.push_back(&e);
    } else {
      in_dependency.push_back(&e);
    }
  }
  std::string reproduce = Reproduce(run);
  if (!in_crate.empty()) {
    const std::string& at = in_crate[0]->location;
    diags->Error(at.empty() ? crate.manifest.string() : at,
                 fmt::format("the crate `{}` does not compile with {}:{}", crate.name,
                             tc.Label(), Quote(in_crate, run.log)),
                 fmt::format("the errors are in the crate's own code, not in code rdylib "
                             "generated: fix them and run rdylib again; reproduce with: {}",
                             reproduce));
    return;
  }
  if (!in_dependency.empty()) {
    const std::string& at = in_dependency[0]->location;
    diags->Error(at.empty() ? crate.manifest.string() : at,
                 fmt::format("the crate `{}` does not compile with {}: its dependency `{}` "
                             "fails:{}",
                             crate.name, tc.Label(), in_dependency[0]->package,
                             Quote(in_dependency, run.log)),
                 fmt::format("the errors are in a dependency of the crate, not in code rdylib "
                             "generated: change that dependency, or try another --toolchain or "
                             "other features; reproduce with: {}",
                             reproduce));
    return;
  }
  if (!generated.empty()) {
    const std::string& at = generated[0]->location;
    diags->Error(at.empty() ? generated_manifest.string() : at,
                 fmt::format("{}, which rdylib generated, does not compile with {}:{}", run.what,
                             tc.Label(), Quote(generated, run.log)),
                 fmt::format("this is a bug in rdylib's {}; please report it with the log {}; "
                             "reproduce with: {}",
                             run.generator, run.log.string(), reproduce));
    return;
  }
  const std::string& err = outcome.process.err.empty() ? outcome.process.error
                                                       : outcome.process.err;
  std::string build_script = fmt::format("failed to run custom build command for `{} v{}",
                                         crate.name, crate.version);
  if (size_t at = err.find("error: " + build_script); at != std::string::npos) {
    diags->Error(crate.manifest.string(),
                 fmt::format("the build script of the crate `{}` fails with {}:\n{}", crate.name,
                             tc.Label(), TrimEnd(Tail(err.substr(at), 30))),
                 fmt::format("the error is in the crate's build script, not in code rdylib "
                             "generated; the whole log is {}; reproduce with: {}",
                             run.log.string(), reproduce));
    return;
  }
  diags->Error(generated_manifest.string(),
               fmt::format("cargo failed on {} with {}:\n{}", run.what, tc.Label(),
                           TrimEnd(Tail(err, 30))),
               fmt::format("the whole log is {}; reproduce with: {}", run.log.string(),
                           reproduce));
}

}  // namespace rdylib::extract
