// Planning and writing dependency facades.
#include "driver/dependencies.h"

#include <fmt/format.h>

#include <cstdio>
#include <functional>

#include "build/build_deps.h"
#include "plan/plan_deps.h"

namespace rdylib::driver {

plan::Plan PlanWithDependencies(const Analysis& a, const extract::ExtractOptions& ex,
                                const std::string& toolchain_spec, Diagnostics* diags,
                                std::vector<PlannedDependency>* deps) {
  std::vector<plan::ForeignType> foreign;
  std::vector<std::string> reached = plan::ReachedDependencies(a.crate, a.api);
  if (reached.empty()) return plan::MakePlan(a.crate, a.api, a.layouts);
  std::optional<extract::DependencyGraph> graph =
      extract::ResolveDependencyGraph(ex, a.extracted.package, a.tc, diags);
  if (!graph) return plan::MakePlan(a.crate, a.api, a.layouts);
  const std::string host = a.crate.name;

  // Plans the dependencies of package `from` that `crate`'s API reaches,
  // and collects the types of theirs it names.
  std::function<void(const std::string&, const model::Crate&, const api::PublicApi&,
                     std::vector<plan::ForeignType>*, int)>
      reach = [&](const std::string& from, const model::Crate& crate, const api::PublicApi& api,
                  std::vector<plan::ForeignType>* out, int depth) {
        for (const std::string& name : plan::ReachedDependencies(crate, api)) {
          const extract::ResolvedPackage* dep = graph->Dependency(from, name);
          if (dep == nullptr || depth > 8) continue;  // not a normal dependency (e.g. a sysroot crate)
          PlannedDependency* done = nullptr;
          for (PlannedDependency& d : *deps) {
            if (d.package.id == dep->id) done = &d;
          }
          if (done == nullptr) {
            extract::ExtractOptions dep_ex = ex;
            dep_ex.crate_dir = dep->dir;
            dep_ex.features = dep->features;
            dep_ex.all_features = false;
            dep_ex.no_default_features = true;
            Diagnostics dep_diags;
            std::optional<Analysis> da = Analyze(toolchain_spec, dep_ex, &dep_diags);
            if (!da) {
              diags->Warning(dep->dir.string(),
                             fmt::format("the dependency {} {} cannot be analysed: the items that "
                                         "name its types stay unsupported",
                                         dep->name, dep->version));
              continue;
            }
            auto analysis = std::make_unique<Analysis>(std::move(*da));
            std::vector<plan::ForeignType> dep_foreign;
            reach(dep->id, analysis->crate, analysis->api, &dep_foreign, depth + 1);
            plan::Plan p = plan::MakePlan(analysis->crate, analysis->api, analysis->layouts, dep_foreign);
            plan::HostIn(&p, host);
            deps->push_back({*dep, std::move(analysis), std::move(p)});
            done = &deps->back();
          }
          plan::AddForeignTypes(crate, done->analysis->crate, done->analysis->api, done->plan, out);
        }
      };
  reach(graph->root, a.crate, a.api, &foreign, 0);
  plan::Plan main = plan::MakePlan(a.crate, a.api, a.layouts, foreign);
  // Each link names the dependency's package, as its facade's Cargo.toml does.
  auto name_packages = [&](plan::Plan* p) {
    for (plan::DepLink& link : p->deps) {
      for (const PlannedDependency& d : *deps) {
        if (d.plan.crate_name == link.crate) link.package = d.package.name;
      }
    }
  };
  name_packages(&main);
  for (PlannedDependency& d : *deps) name_packages(&d.plan);
  return main;
}

void WriteDependencies(const std::vector<PlannedDependency>& deps,
                       const std::string& host_lib_file, const std::filesystem::path& out_dir,
                       Diagnostics* diags) {
  for (const PlannedDependency& d : deps) {
    build::WriteDependency(d.plan, d.package, host_lib_file, out_dir, diags);
  }
}

}  // namespace rdylib::driver
