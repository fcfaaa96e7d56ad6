// The driver's check of copied default bodies.
#include "driver/copied_defaults.h"

#include <map>
#include <optional>

#include <fmt/format.h>

#include "build/build_deps.h"
#include "build/check_copied_types.h"
#include "build/check_defaults.h"
#include "emit/facade_writer.h"
#include "emit/runtime_files.h"
#include "extract/extract.h"
#include "util/files.h"
#include "util/process.h"

namespace rdylib::driver {
namespace fs = std::filesystem;
namespace {

constexpr int kMaxRounds = 6;
constexpr int kMaxPasses = 4;

// A facade under check: its plan and where its lib.rs is written.
struct Checked {
  plan::Plan* plan;
  fs::path lib_rs;
};

// The first of `parts` (each with a `facade` and lines `lines_of(part)`
// has as `first`..`last`) that one of message `m`'s places falls in, or null.
template <typename Part, typename LinesOf>
const Part* FirstPlaceIn(const build::CompilerMessage& m, const std::vector<Part>& parts, LinesOf lines_of) {
  for (const auto& [file, line] : m.places) {
    for (const Part& part : parts) {
      const auto& lines = lines_of(part);
      if (fs::path(file) == part.facade->lib_rs.lexically_normal() && line >= lines.first && line <= lines.last) {
        return &part;
      }
    }
  }
  return nullptr;
}

// `rustc -Zunpretty=mir` of the library package in `dir` (`package`, or
// the one there), unoptimized, with full paths; nullopt with `why`.
std::optional<std::string> Mir(const toolchain::Toolchain& tc, const fs::path& dir, const std::string& package,
                               const fs::path& target_dir, std::string* why) {
  ProcessOptions options;
  options.env = tc.Env();
  options.env["RUSTC_BOOTSTRAP"] = "1";  // -Z flags on a stable toolchain, as for rustdoc's JSON
  options.env["CARGO_TARGET_DIR"] = target_dir.string();
  options.cwd = dir;
  // Check mode: dependencies need only their metadata.
  std::vector<std::string> argv = {tc.cargo.string(), "rustc", "--profile=check", "--offline", "--lib", "-q"};
  if (!package.empty()) argv.insert(argv.end(), {"-p", package});
  argv.insert(argv.end(), {"--", "-Zunpretty=mir", "-Zmir-opt-level=0", "-Ztrim-diagnostic-paths=false"});
  ProcessResult r = RunProcess(argv, options);
  if (!r.ok()) {
    *why = fmt::format("`cargo rustc -Zunpretty=mir` failed in {}: {}", dir.string(),
                       r.error.empty() ? r.err.substr(0, r.err.find('\n')) : r.error);
    return std::nullopt;
  }
  return r.out;
}

// The library's MIR, compiled from a wrapper workspace as rustdoc's is.
std::optional<std::string> LibraryMir(const Analysis& a, const extract::ExtractOptions& ex, std::string* why) {
  const extract::PackageInfo& package = a.extracted.package;
  fs::path wrapper = extract::WriteWrapperWorkspace(ex, package, "mir");
  return Mir(a.tc, wrapper, package.name + "@" + package.version, ex.target_dir, why);
}

// Keeps each copied body of `plan` (the library analysed in `a`) whose MIR
// in the facade (package `facade_package` of the workspace at `facade`, or
// the facade itself) is the library's own, and drops the others.
void KeepSameMir(const Analysis& a, const extract::ExtractOptions& ex, plan::Plan* plan, const fs::path& facade,
                 const std::string& facade_package, const fs::path& facade_lib_rs, const fs::path& target) {
  std::string why;
  std::optional<std::string> lib_mir = LibraryMir(a, ex, &why);
  std::optional<std::string> facade_mir;
  if (lib_mir) facade_mir = Mir(a.tc, facade, facade_package, target, &why);
  if (!lib_mir || !facade_mir) {
    build::DropAllCopiedBodies(plan, "its MIR could not be compared with the library's: " + why);
    return;
  }
  // The library's MIR spells crates by its `extern crate .. as` aliases,
  // and names its items by where they are defined; the facade's, by crate
  // names and the public paths it declares them at.
  std::map<std::string, std::string> aliases;
  if (const model::Item* root = a.crate.Find(a.crate.root); root != nullptr && root->span) {
    if (std::optional<std::string> text = ReadFile(root->span->file)) aliases = build::ExternCrateAliases(*text);
  }
  std::map<std::string, std::string> renames;
  const std::string prefix = a.crate.name + "::";
  for (const auto& [id, canonical] : a.api.canonical_paths) {
    const model::ItemSummary* summary = a.crate.FindPath(id);
    if (summary == nullptr || summary->crate_id != 0 || !canonical.starts_with(prefix)) continue;
    std::string defined = summary->Joined();
    if (!defined.starts_with(prefix) || defined == canonical) continue;
    renames[defined.substr(prefix.size())] = canonical.substr(prefix.size());
  }
  // A module's own `extern crate std;` (a no_std crate's): the library's
  // MIR names std's items through it (`lazy::std::sync::ONCE_INIT`).
  for (const plan::CopiedModulePlan& m : plan->copied_modules) {
    if (m.from_module.empty()) continue;
    for (const auto& [alias, name] : build::ExternCrateAliases(fmt::format("{}", fmt::join(m.imports, "\n")))) {
      renames[m.from_module + "::" + alias] = name;
    }
  }
  // Copied impls: rustc names their functions by the impl's first line,
  // which differs between the library's source and the facade.
  std::map<std::string, std::string> lib_labels;
  std::map<std::string, std::string> facade_labels;
  if (std::optional<std::string> text = ReadFile(facade_lib_rs)) {
    for (const build::CopiedRegion& r : build::FindCopiedRegions(*plan, *text)) {
      if (r.is_import || r.impl == std::string::npos) continue;
      const plan::CopiedImplPlan& impl = plan->copied_types[r.index].impls[r.impl];
      std::string label = build::CopiedImplLabel(r.index, r.impl);
      lib_labels[fmt::format("{}:{}", impl.file, impl.line)] = label;
      facade_labels[fmt::format("src/lib.rs:{}", r.first)] = label;
    }
  }
  // The copies live in a `mod rdylib_copied_<library module>` of their
  // facade module, which the library's paths do not have.
  std::string facade_text = build::LabelImpls(*facade_mir, facade_labels);
  for (size_t at = facade_text.find("rdylib_copied"); at != std::string::npos;
       at = facade_text.find("rdylib_copied", at)) {
    size_t end = at;
    while (end < facade_text.size() && (std::isalnum(static_cast<unsigned char>(facade_text[end])) ||
                                        facade_text[end] == '_')) {
      ++end;
    }
    if (facade_text.compare(end, 2, "::") == 0 && (at == 0 || facade_text[at - 1] == ':' ||
                                                   !std::isalnum(static_cast<unsigned char>(facade_text[at - 1])))) {
      facade_text.erase(at, end + 2 - at);
    } else {
      at = end;
    }
  }
  std::map<std::string, std::string> lib_bodies =
      build::MirBodies(build::LabelImpls(*lib_mir, lib_labels), aliases, renames);
  std::map<std::string, std::string> facade_bodies =
      build::MirBodies(facade_text);
  for (size_t i = 0; i < plan->copied_types.size(); ++i) {
    plan::CopiedTypePlan& t = plan->copied_types[i];
    if (!t.dropped.empty()) continue;
    std::string differs;
    for (size_t j = 0; j < t.impls.size() && differs.empty(); ++j) {
      bool has_items = t.impls[j].text.find("fn ") != std::string::npos ||
                       t.impls[j].text.find("const ") != std::string::npos;
      differs = build::MirDifferenceUnder(lib_bodies, facade_bodies, build::CopiedImplLabel(i, j), has_items);
      if (!differs.empty()) differs = fmt::format("its impl at {}: {}", t.impls[j].from, differs);
    }
    if (differs.empty()) {
      plan::ConfirmCopiedType(plan, t);
    } else {
      plan::DropCopiedType(plan, &t, differs);
    }
  }
  for (plan::CopiedFunctionPlan& f : plan->copied_functions) {
    if (f.body.empty()) continue;
    std::string differs = build::MirDifference(lib_bodies, facade_bodies, f.path.substr(plan->crate_name.size() + 2));
    if (differs.empty()) {
      plan::ConfirmCopiedFunction(plan, f);
    } else {
      plan::DropCopiedFunction(plan, &f, differs);
    }
  }
  for (plan::TraitPlan& t : plan->traits) {
    std::string trait = t.path.substr(plan->crate_name.size() + 2);
    for (plan::TraitMethodPlan& m : t.methods) {
      if (m.copied_body.empty()) continue;
      std::string differs = build::MirDifference(lib_bodies, facade_bodies, trait + "::" + m.name);
      if (differs.empty()) {
        plan::ConfirmCopiedBody(plan, t.path, m);
      } else {
        plan::DropCopiedBody(plan, t.path, &m, differs);
      }
    }
  }
}

}  // namespace

void CheckCopiedDefaults(const Analysis& a, const extract::ExtractOptions& ex, plan::Plan* plan,
                         std::vector<PlannedDependency>* deps, Diagnostics* diags) {
  bool any = build::HasCopiedBodies(*plan);
  for (const PlannedDependency& d : *deps) any |= build::HasCopiedBodies(d.plan);
  if (!any) return;

  const std::string lib_file = "lib" + a.extracted.package.lib_name + ".so";
  std::error_code ec;
  fs::path root = fs::absolute(ex.work_dir, ec) / "default-check" / plan->crate_name;
  fs::remove_all(root, ec);
  fs::path facade = root / plan->crate_name / "facade";
  std::vector<Checked> checked = {{plan, facade / "src/lib.rs"}};
  for (PlannedDependency& d : *deps) {
    checked.push_back({&d.plan, root / d.plan.crate_name / "facade/src/lib.rs"});
  }
  auto drop_all = [&](const std::string& why) {
    for (Checked& c : checked) build::DropAllCopiedBodies(c.plan, why);
  };
  // A copy the MIR check drops may be what another copy names (a copied
  // type's field, a copied function's call): the facade is checked again
  // until a pass drops nothing.
  for (int pass = 0;; ++pass) {
    if (pass == kMaxPasses) {
      drop_all(fmt::format("the copies still changed after {} passes of compiling and comparing MIR", kMaxPasses));
      return;
    }
    size_t kept = 0;
    for (const Checked& c : checked) kept += build::KeptCopies(*c.plan);
    for (int round = 0;; ++round) {
      if (round == kMaxRounds) {
        drop_all(fmt::format("the facade still did not compile after {} rounds of dropping bodies", kMaxRounds));
        return;
      }
      Diagnostics write_diags;
      for (const PlannedDependency& d : *deps) build::WriteDependency(d.plan, d.package, lib_file, root, &write_diags);
      WriteFile(facade / "Cargo.toml",
                emit::WriteFacadeManifest(*plan, a.extracted.package.name, a.extracted.package.lib_name));
      WriteFile(facade / "src/lib.rs", emit::WriteFacadeLib(*plan, lib_file));
      WriteFile(facade / "src/rdylib_rt.rs", emit::FacadeRuntime());
      WriteFile(facade / "src/rdylib_wire.rs", emit::WireRuntime());
      ProcessOptions options;
      options.env = a.tc.Env();
      options.env["CARGO_TARGET_DIR"] = (root.parent_path() / "target").string();
      options.cwd = facade;
      ProcessResult r = RunProcess({a.tc.cargo.string(), "check", "--offline", "--lib", "--message-format=json"},
                                   options);
      if (r.exit_code < 0) {
        drop_all("cargo could not be run to check it: " + r.error);
        return;
      }
      std::vector<build::CompilerMessage> messages = build::ParseCompilerMessages(r.out);
      struct Where {
        Checked* facade;
        build::BodyLines lines;
      };
      std::vector<Where> bodies;
      struct Region {
        Checked* facade;
        build::CopiedRegion region;
      };
      std::vector<Region> regions;
      for (Checked& c : checked) {
        std::optional<std::string> text = ReadFile(c.lib_rs);
        if (!text) continue;
        for (const build::BodyLines& b : build::FindCopiedBodies(*c.plan, *text)) bodies.push_back({&c, b});
        for (const build::CopiedRegion& r : build::FindCopiedRegions(*c.plan, *text)) regions.push_back({&c, r});
      }
      bool dropped = false;
      for (const build::CompilerMessage& m : messages) {
        const Where* hit = FirstPlaceIn(m, bodies, [](const Where& w) { return w.lines; });
        const Region* in_copy = FirstPlaceIn(m, regions, [](const Region& r) { return r.region; });
        if (hit == nullptr && in_copy != nullptr) {
          plan::Plan* p = in_copy->facade->plan;
          if (in_copy->region.is_import) {
            // An import the copies cannot have (a private item of the crate):
            // what needed it fails next round, by name.
            if (m.level != "error") continue;
            std::string& text = p->copied_modules[in_copy->region.index].imports[in_copy->region.import];
            if (text.empty()) continue;
            text.clear();
            dropped = true;
            continue;
          }
          plan::CopiedTypePlan& t = p->copied_types[in_copy->region.index];
          if (!t.dropped.empty()) continue;
          plan::DropCopiedType(p, &t,
                               m.level == "error" ? "it does not compile in the facade: " + m.text
                                                  : "it warns in the facade: " + m.text);
          dropped = true;
          continue;
        }
        if (hit == nullptr) {
          if (m.level != "error") continue;  // the facade's own, not a body's
          drop_all(fmt::format("the facade with the copied bodies does not compile: error: {} ({}:{})", m.text,
                               m.places[0].first, m.places[0].second));
          diags->Warning(m.places[0].first, "a facade does not compile with its copied default bodies: " + m.text,
                         "every body is dropped; please report this as a bug in rdylib");
          return;
        }
        std::string why =
            m.level == "error" ? "it does not compile in the facade: " + m.text : "it warns in the facade: " + m.text;
        if (hit->lines.function_index != std::string::npos) {
          plan::CopiedFunctionPlan& f = hit->facade->plan->copied_functions[hit->lines.function_index];
          if (f.body.empty()) continue;  // dropped for an earlier message
          plan::DropCopiedFunction(hit->facade->plan, &f, why);
          dropped = true;
          continue;
        }
        plan::TraitPlan& t = hit->facade->plan->traits[hit->lines.trait_index];
        plan::TraitMethodPlan& method = t.methods[hit->lines.method_index];
        if (method.copied_body.empty()) continue;  // dropped for an earlier message
        plan::DropCopiedBody(hit->facade->plan, t.path, &method, why);
        dropped = true;
      }
      if (!dropped) {
        if (!r.ok()) {
          drop_all("cargo check of the facade failed: " + r.err.substr(0, r.err.find('\n')));
          return;
        }
        break;
      }
    }
    // The last word: each copy must compile to the library's own code. MIR
    // names every item a path or method call resolved to, and shows the
    // captures, temporaries and drops the edition decides; a body that reads
    // the same but means something else in the facade differs here.
    fs::path target = root.parent_path() / "target";
    if (build::HasCopiedBodies(*plan)) KeepSameMir(a, ex, plan, facade, "", checked[0].lib_rs, target);
    for (PlannedDependency& d : *deps) {
      if (!build::HasCopiedBodies(d.plan)) continue;
      extract::ExtractOptions dep_ex = ex;
      dep_ex.crate_dir = d.package.dir;
      dep_ex.features = d.package.features;
      dep_ex.all_features = false;
      dep_ex.no_default_features = true;
      KeepSameMir(*d.analysis, dep_ex, &d.plan, facade, d.analysis->extracted.package.name,
                  root / d.plan.crate_name / "facade/src/lib.rs", target);
    }
    size_t still = 0;
    for (const Checked& c : checked) still += build::KeptCopies(*c.plan);
    if (still == kept) break;
  }
}

}  // namespace rdylib::driver
