// Keeps a copied default body (plan::TraitMethodPlan::copied_body) only when
// the facade compiles with it: the parts that read the compiler's verdict.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "plan/plan.h"

namespace rdylib::build {

/// An error or warning rustc reported, read from cargo's JSON messages.
struct CompilerMessage {
  std::string level;  // "error" or "warning"
  /// The primary span's file (absolute: a relative one is taken from the
  /// package's directory) and first line, then each macro call it expands
  /// from, outward.
  std::vector<std::pair<std::string, int>> places;
  std::string text;  // the message's first line, e.g. "cannot find value `x` in this scope"
};

/// Every error and warning with a primary span in `cargo check
/// --message-format=json` output, in order. Summaries ("aborting due to")
/// and other lines are skipped.
std::vector<CompilerMessage> ParseCompilerMessages(std::string_view json_lines);

/// Where a copied body lies in a facade's unformatted lib.rs.
struct BodyLines {
  size_t trait_index = 0;   // in Plan::traits
  size_t method_index = 0;  // in TraitPlan::methods
  /// A copied function's index in Plan::copied_functions (then the two
  /// above mean nothing), or npos.
  size_t function_index = std::string::npos;
  int first = 0;            // 1-based, the declaration's line
  int last = 0;             // 1-based, the body's closing line
};

/// The lines of each copied body of `plan` in `lib_rs`, its facade as
/// emit::WriteFacadeLib printed it (each body follows the comment
/// "// The library's default body, copied from FILE:LINE." or, for a copied
/// function, "// The library's body, copied from FILE:LINE." and its
/// attributes).
std::vector<BodyLines> FindCopiedBodies(const plan::Plan& plan, std::string_view lib_rs);

/// The bodies in `rustc -Zunpretty=mir` output, by name (`Step::nth`,
/// `Step::nth::{closure#0}`, `Step::nth::promoted[0]`), each with source
/// locations (`{closure@src/lib.rs:3:9: 3:12}`) taken out, so that the same
/// code compiled in two crates compares equal. Paths are spelled the way the
/// crate sees them: `crates` renames a path's first segment (an `extern
/// crate num_traits as traits;` alias back to `num_traits`; `std` and
/// `alloc` to `core`, whose items they re-export at the same paths), and
/// `paths` renames whole paths (an item's defining path `roots::Roots` to
/// the public one the facade declares it at, `Roots`; names too).
std::map<std::string, std::string> MirBodies(std::string_view mir,
                                             const std::map<std::string, std::string>& crates = {},
                                             const std::map<std::string, std::string>& paths = {});

/// `extern crate NAME as ALIAS;` items of a crate root's source, as
/// ALIAS -> NAME (and `extern crate NAME;` as NAME -> NAME).
std::map<std::string, std::string> ExternCrateAliases(std::string_view root_source);

/// The line of `a` where it first differs from `b`, without its indentation
/// (for the report).
std::string FirstDifferingLine(const std::string& a, const std::string& b);

/// Why the MIR of trait method `method` (`Step::nth`, with its closures and
/// promoted constants) differs between the library's `lib` and the facade's
/// `facade` (MirBodies, both under the facade's names), or "" when it is
/// the same.
std::string MirDifference(const std::map<std::string, std::string>& lib,
                          const std::map<std::string, std::string>& facade, const std::string& method);

/// Whether any trait method or function of `plan` still has a copied body,
/// or any copied generic type is still kept.
bool HasCopiedBodies(const plan::Plan& plan);

/// How many copied bodies, functions and types of `plan` are still kept.
size_t KeptCopies(const plan::Plan& plan);

/// Drops every copied body and type of `plan`, saying `why` in the report.
void DropAllCopiedBodies(plan::Plan* plan, const std::string& why);

}  // namespace rdylib::build
