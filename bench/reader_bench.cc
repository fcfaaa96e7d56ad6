// Reader benchmark: load, parse, model build and public API walk of rustdoc JSON.
#include <fmt/format.h>
#include <malloc.h>
#include <simdjson.h>
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/public_api.h"
#include "extract/extract.h"
#include "read/reader.h"
#include "toolchain/toolchain.h"
#include "util/diagnostic.h"

namespace rdylib {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// The targets from the issue.
constexpr double kTargetParseModelMs = 1000.0;  // tokio: parse + model build
constexpr double kTargetParseGbps = 1.0;        // simdjson DOM parse alone

// A crate from the machine's registry whose rustdoc JSON the bench reads.
struct BenchCrate {
  fs::path dir;
  std::vector<std::string> features;
};

const std::vector<BenchCrate>& DefaultCrates() {
  static const std::vector<BenchCrate> crates = {
      {fs::path(extract::kDefaultRegistry) / "regex-1.7.1", {}},
      {fs::path(extract::kDefaultRegistry) / "tokio-1.24.2", {"full"}},
  };
  return crates;
}

struct Timing {
  double best_ms = 0;
  double median_ms = 0;
};

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Calls `run_once` (which returns the milliseconds of its timed part) `reps`
// times and keeps the best and the median.
Timing Measure(int reps, const std::function<double()>& run_once) {
  std::vector<double> ms;
  for (int i = 0; i < reps; ++i) ms.push_back(run_once());
  std::sort(ms.begin(), ms.end());
  return {ms.front(), ms[ms.size() / 2]};
}

double CurrentRssMb() {
  long pages = 0, resident = 0;
  std::ifstream("/proc/self/statm") >> pages >> resident;
  return resident * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// Peak RSS of this process in MB, as getrusage reports it (never below the
// current RSS, which the kernel counts more precisely).
double PeakRssMb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return std::max(usage.ru_maxrss / 1024.0, CurrentRssMb());
}

// Returns freed heap to the kernel and resets the peak RSS to the current RSS
// (Linux >= 4.0), so each file's peak is its own. False where the kernel does
// not allow the reset.
bool ResetPeakRss() {
  malloc_trim(0);
  std::ofstream clear_refs("/proc/self/clear_refs");
  clear_refs << "5";
  clear_refs.flush();
  return clear_refs.good();
}

std::string CpuModel() {
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

// Returns the rustdoc JSON of `crate`, generating it with the extract stage
// the first time and reusing the copy in `work_dir`/json afterwards.
std::optional<fs::path> CrateJson(const BenchCrate& crate, const toolchain::Toolchain& tc,
                                  const fs::path& work_dir) {
  std::string features = crate.features.empty()
                             ? ""
                             : "+" + fmt::format("{}", fmt::join(crate.features, ","));
  fs::path cached = work_dir / "json" /
                    fmt::format("{}{}-rustc-{}.json", crate.dir.filename().string(),
                                features, tc.version);
  if (fs::exists(cached)) return cached;

  fmt::print(stderr, "generating {} with {} (once; cached in {})\n", crate.dir.string(),
             tc.Label(), cached.string());
  extract::ExtractOptions options;
  options.crate_dir = crate.dir;
  options.features = crate.features;
  options.work_dir = work_dir;
  options.target_dir = work_dir / "target";
  Diagnostics diags;
  std::optional<extract::ExtractResult> result = extract::Extract(options, tc, &diags);
  if (!diags.empty()) fmt::print(stderr, "{}", diags.ToString());
  if (!result) return std::nullopt;
  fs::create_directories(cached.parent_path());
  fs::copy_file(result->json_path, cached, fs::copy_options::overwrite_existing);
  return cached;
}

// Parses `json` again with `parser`, which parsed it once already.
simdjson::dom::element Reparse(simdjson::dom::parser* parser,
                               const simdjson::padded_string& json) {
  simdjson::dom::element doc;
  if (parser->parse(json).get(doc) != simdjson::SUCCESS) std::abort();
  return doc;
}

// What one crate's run measured; kept for the final targets line.
struct CrateResult {
  std::string name;
  double mb = 0;
  Timing parse;
  Timing parse_model;
};

void PrintRow(const std::string& stage, const Timing& t, double mb) {
  fmt::print("  {:<38} {:>9.2f} {:>9.2f} {:>10.0f}\n", stage, t.best_ms, t.median_ms,
             mb / (t.best_ms / 1000.0));
}

// Benchmarks one JSON file; std::nullopt when it cannot be read.
std::optional<CrateResult> BenchFile(const fs::path& path, int reps) {
  const std::string file = path.string();
  const bool peak_is_per_file = ResetPeakRss();
  const double rss_before_mb = CurrentRssMb();

  simdjson::padded_string json;
  Timing load = Measure(reps, [&] {
    Clock::time_point start = Clock::now();
    if (simdjson::padded_string::load(file).get(json) != simdjson::SUCCESS) return -1.0;
    return MsSince(start);
  });
  if (load.best_ms < 0) {
    fmt::print(stderr, "error: cannot read {}\n", file);
    return std::nullopt;
  }
  const double mb = json.size() / 1e6;

  // One parser for all repetitions, as real code would: the first parse
  // allocates its buffers, the rest reuse them.
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  Clock::time_point first_start = Clock::now();
  if (auto error = parser.parse(json).get(doc); error != simdjson::SUCCESS) {
    fmt::print(stderr, "error: {}: {}\n", file, simdjson::error_message(error));
    return std::nullopt;
  }
  const double first_parse_ms = MsSince(first_start);
  const Timing first_parse = {first_parse_ms, first_parse_ms};
  Timing parse = Measure(reps, [&] {
    Clock::time_point start = Clock::now();
    doc = Reparse(&parser, json);
    return MsSince(start);
  });

  Diagnostics diags;
  std::optional<model::Crate> crate = read::ReadCrateDocument(doc, file, &diags);
  if (!crate) {
    fmt::print(stderr, "{}", diags.ToString());
    return std::nullopt;
  }
  // The timed part ends before the model is destroyed.
  Timing model = Measure(reps, [&] {
    Diagnostics d;
    Clock::time_point start = Clock::now();
    std::optional<model::Crate> c = read::ReadCrateDocument(doc, file, &d);
    return MsSince(start);
  });
  Timing parse_model = Measure(reps, [&] {
    Diagnostics d;
    Clock::time_point start = Clock::now();
    doc = Reparse(&parser, json);
    std::optional<model::Crate> c = read::ReadCrateDocument(doc, file, &d);
    return MsSince(start);
  });
  Timing read_file = Measure(reps, [&] {
    Diagnostics d;
    Clock::time_point start = Clock::now();
    std::optional<model::Crate> c = read::ReadCrateFile(path, &d);
    return MsSince(start);
  });
  size_t api_entries = 0;
  Timing api = Measure(reps, [&] {
    Clock::time_point start = Clock::now();
    api::PublicApi public_api = api::BuildPublicApi(*crate);
    double ms = MsSince(start);
    api_entries = public_api.entries.size();
    return ms;
  });
  const double rss_model_mb = CurrentRssMb();

  fmt::print("\n== {} {} ({}, format_version {})\n", crate->name, crate->crate_version,
             file, crate->format_version);
  fmt::print(
      "  {:.2f} MB of JSON; {} items in index, {} paths, {} external crates, "
      "{} public API entries; {} repetitions\n",
      mb, crate->index.size(), crate->paths.size(), crate->external_crates.size(),
      api_entries, reps);
  fmt::print("  {:<38} {:>9} {:>9} {:>10}\n", "stage", "best ms", "median ms",
             "MB/s best");
  PrintRow("load file (page cache)", load, mb);
  PrintRow("parse, first (allocates parser)", first_parse, mb);
  PrintRow("parse (simdjson DOM, parser reused)", parse, mb);
  PrintRow("model build (ReadCrateDocument)", model, mb);
  PrintRow("parse + model build", parse_model, mb);
  PrintRow("ReadCrateFile (load+parse+model)", read_file, mb);
  PrintRow("public API walk (BuildPublicApi)", api, mb);
  fmt::print("  parse throughput: {:.2f} GB/s best, {:.2f} GB/s median\n",
             mb / parse.best_ms, mb / parse.median_ms);
  fmt::print(
      "  memory: RSS {:.1f} MB before, {:.1f} MB with JSON + DOM + model; "
      "peak RSS {:.1f} MB ({})\n",
      rss_before_mb, rss_model_mb, PeakRssMb(),
      peak_is_per_file ? "this file" : "whole process so far");
  return CrateResult{crate->name, mb, parse, parse_model};
}

int Main(int argc, char** argv) {
  CLI::App app{"Reader benchmark: rustdoc JSON load, parse, model build, API walk"};
  fs::path work_dir;
  std::string toolchain_spec = "stable";
  int reps = 100;
  std::vector<fs::path> json_files;
  app.add_option("--work-dir", work_dir,
                 "where generated JSON (regex, tokio) is cached; needed unless "
                 "JSON files are given");
  app.add_option("--toolchain", toolchain_spec, "toolchain that generates the JSON")
      ->capture_default_str();
  app.add_option("--reps", reps, "repetitions per stage")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("json", json_files, "rustdoc JSON files (default: regex and tokio)");
  CLI11_PARSE(app, argc, argv);

  if (json_files.empty()) {
    if (work_dir.empty()) {
      fmt::print(stderr, "error: give --work-dir (or JSON files)\n");
      return 2;
    }
    Diagnostics diags;
    std::optional<toolchain::Toolchain> tc = toolchain::Resolve(toolchain_spec, &diags);
    if (!tc) {
      fmt::print(stderr, "{}", diags.ToString());
      return 2;
    }
    for (const BenchCrate& crate : DefaultCrates()) {
      std::optional<fs::path> json = CrateJson(crate, *tc, fs::absolute(work_dir));
      if (!json) return 2;
      json_files.push_back(*json);
    }
  }

  double load_avg[1] = {0};
  getloadavg(load_avg, 1);
  fmt::print(
      "reader bench: {}, {} cores (load average {:.2f}), simdjson {}.{}.{} ({}), build "
      "{}\n",
      CpuModel(), sysconf(_SC_NPROCESSORS_ONLN), load_avg[0],
      int{simdjson::SIMDJSON_VERSION_MAJOR}, int{simdjson::SIMDJSON_VERSION_MINOR},
      int{simdjson::SIMDJSON_VERSION_REVISION},
      simdjson::get_active_implementation()->name(), RDYLIB_BUILD_TYPE);
  std::vector<CrateResult> results;
  for (const fs::path& file : json_files) {
    std::optional<CrateResult> result = BenchFile(file, reps);
    if (!result) return 2;
    results.push_back(*result);
  }

  // The targets are stated for tokio; without it, judge the largest file.
  auto judged = std::find_if(results.begin(), results.end(),
                             [](const CrateResult& r) { return r.name == "tokio"; });
  if (judged == results.end()) {
    judged = std::max_element(results.begin(), results.end(),
                              [](const auto& a, const auto& b) { return a.mb < b.mb; });
  }
  const double parse_gbps = judged->mb / judged->parse.median_ms;
  const bool model_met = judged->parse_model.median_ms < kTargetParseModelMs;
  const bool parse_met = parse_gbps >= kTargetParseGbps;
  fmt::print(
      "\nTARGETS ({}, {:.2f} MB, medians): parse + model build {:.1f} ms "
      "(target < {:.0f} ms: {}); parse alone {:.2f} GB/s, best {:.2f} "
      "(target >= {:.1f} GB/s: {})\n",
      judged->name, judged->mb, judged->parse_model.median_ms, kTargetParseModelMs,
      model_met ? "met" : "NOT met", parse_gbps, judged->mb / judged->parse.best_ms,
      kTargetParseGbps, parse_met ? "met" : "NOT met");
  return 0;
}

}  // namespace
}  // namespace rdylib

int main(int argc, char** argv) { return rdylib::Main(argc, argv); }
