// Runs rustfmt on generated code.
#include "emit/rustfmt.h"

#include <cstdlib>
#include <filesystem>

#include "toolchain/toolchain.h"
#include "util/process.h"

namespace rdylib::emit {

void RustFmt(const std::filesystem::path& lib_rs, Diagnostics* diags) {
  static const std::filesystem::path rustfmt = [] {
    Diagnostics ignored;
    std::optional<toolchain::Toolchain> tc = toolchain::Resolve("stable", &ignored);
    return tc ? tc->rustc.parent_path() / "rustfmt" : std::filesystem::path();
  }();
  if (rustfmt.empty() || !std::filesystem::exists(rustfmt)) {
    diags->Warning(lib_rs.string(), "rustfmt (rustup stable) not found: generated code is left as printed",
                   "install it with `rustup component add rustfmt`");
    return;
  }
  ProcessResult r = RunProcess({rustfmt.string(), "--edition", "2021", lib_rs.string()});
  if (!r.ok()) {
    diags->Warning(lib_rs.string(), "rustfmt failed on generated code: " + r.err,
                   "this is a bug in rdylib's code generation; please report it");
  }
}

}  // namespace rdylib::emit
