// Keeps a copied generic type (plan::CopiedTypePlan) only when the facade
// compiles it to the library's own MIR: the parts that find the copies in
// the facade and in rustc's MIR.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"

namespace rdylib::build {

/// The lines of one copied part in a facade's unformatted lib.rs, as
/// emit::WriteFacadeLib printed it: after its marker comment ("// The
/// library's import #N.", "// The library's type, copied from FILE:LINE.",
/// "// The library's impl, copied from FILE:LINE.") up to the next marker.
struct CopiedRegion {
  bool is_import = false;
  size_t index = 0;  // Plan::copied_modules (an import) or Plan::copied_types
  size_t import = 0;  // the import's index in its module
  /// The impl's index in CopiedTypePlan::impls, or npos for the definition.
  size_t impl = std::string::npos;
  int first = 0;  // 1-based, inclusive
  int last = 0;
};

/// Every copied import, type definition and impl of `plan` in `lib_rs`.
std::vector<CopiedRegion> FindCopiedRegions(const plan::Plan& plan, std::string_view lib_rs);

/// `mir` with each function of an impl that `labels` knows by its first
/// line ("FILE:LINE", FILE as rustc printed it or ending in it) renamed
/// from `module::<impl at FILE:L:C: L:C>::name` to `LABEL::name`, so that the
/// same impl compiled in two crates has one name.
std::string LabelImpls(std::string_view mir, const std::map<std::string, std::string>& labels);

/// The label of impl `impl` of copied type `type` (both indexes).
std::string CopiedImplLabel(size_t type, size_t impl);

/// Why the MIR under `label` (every body named `label::...`) differs between
/// the library's `lib` and the facade's `facade` (build::MirBodies), or "".
/// `must_exist`: the impl has functions, so the library must show some.
std::string MirDifferenceUnder(const std::map<std::string, std::string>& lib,
                               const std::map<std::string, std::string>& facade, const std::string& label,
                               bool must_exist);

}  // namespace rdylib::build
