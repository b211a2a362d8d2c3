// `kubetwin sweep` and `kubetwin merge` (SPEC.md): a grid over scenario or manifest fields x
// policies x replications, run in parallel; `--shard K/N` runs every N-th grid point from the
// K-th, and `merge` joins shard folders into exactly what the unsharded sweep writes.

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "headless/args.hpp"
#include "headless/commands.hpp"
#include "headless/diagnostics_output.hpp"
#include "headless/interrupts.hpp"
#include "headless/output_folder.hpp"
#include "headless/progress_bar.hpp"
#include "runs/runner.hpp"
#include "runs/summary_json.hpp"
#include "scenarios/loader.hpp"

namespace kt::cli {

using namespace runs;  // the run library: planning, execution, results, reports

namespace {

constexpr const char* kSweepUsage =
    "usage: kubetwin sweep SCENARIO --set PATH=V1,V2,... [--set ...] [--shard K/N]\n"
    "                      [--out DIR] [--seed N] [--replications N] [--threads N] [--quiet]\n"
    "  PATH: spec.workloads[0].arrival.rate, or Kind/name:spec.replicas (a manifest field)\n"
    "  writes DIR/sweep.csv and DIR/sweep.json; exit 0 when every SLO holds everywhere, 1 when\n"
    "  one fails somewhere, 2 on invalid input\n";

constexpr const char* kMergeUsage =
    "usage: kubetwin merge DIR... [--out DIR]\n"
    "  joins the folders of a sharded sweep (kubetwin sweep --shard K/N) into one\n";

struct Parameter {
  std::string path;
  std::vector<std::string> values;
};

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, sep))
    out.push_back(item);
  if (!text.empty() && text.back() == sep) out.emplace_back();
  return out;
}

// The grid point's value index for each parameter (the first parameter varies slowest).
std::vector<std::size_t> coordinates(std::size_t point, const std::vector<Parameter>& params) {
  std::vector<std::size_t> out(params.size());
  for (std::size_t i = params.size(); i-- > 0;) {
    out[i] = point % params[i].values.size();
    point /= params[i].values.size();
  }
  return out;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string meta_json(const std::string& scenario, const std::vector<Parameter>& params,
                      std::size_t points, std::size_t shard, std::size_t shards) {
  std::string out = "{\n  \"scenario\": " + json_string(scenario) + ",\n  \"parameters\": [";
  for (std::size_t i = 0; i < params.size(); ++i) {
    out += (i ? ", " : "") + std::string("{\"path\": ") + json_string(params[i].path) +
           ", \"values\": [";
    for (std::size_t v = 0; v < params[i].values.size(); ++v) {
      out += (v ? ", " : "") + json_string(params[i].values[v]);
    }
    out += "]}";
  }
  out += "],\n  \"points\": " + std::to_string(points) + ",\n  \"shard\": \"" +
         std::to_string(shard) + "/" + std::to_string(shards) + "\"\n}\n";
  return out;
}

std::string csv_header(const std::vector<Parameter>& params) {
  std::string out = "point";
  for (const Parameter& p : params) {
    out += ',';
    out += csv_field(p.path);
  }
  return out + ",policy,metric,mean,ci95,min,max\n";
}

}  // namespace

int sweep_command(const std::vector<std::string>& argv) {
  const Args args(argv, {"shard", "out", "seed", "replications", "threads"}, {"help", "quiet"},
                  {"set"});
  if (args.flag("help")) {
    std::fputs(kSweepUsage, stdout);
    return 0;
  }
  if (args.positionals().size() != 1) {
    throw UsageError(std::string("sweep needs exactly one SCENARIO file\n") + kSweepUsage);
  }
  std::vector<Parameter> params;
  for (const std::string& set : args.values("set")) {
    const std::size_t eq = set.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == set.size()) {
      throw UsageError("--set " + set + ": expected PATH=V1,V2,...");
    }
    params.push_back({set.substr(0, eq), split(set.substr(eq + 1), ',')});
  }
  if (params.empty())
    throw UsageError(std::string("sweep needs at least one --set\n") + kSweepUsage);
  std::size_t points = 1;
  for (const Parameter& p : params) {
    points *= p.values.size();
    if (points > 100'000) throw UsageError("the grid has more than 100000 points");
  }
  std::size_t shard = 1;
  std::size_t shards = 1;
  if (const auto s = args.value("shard")) {
    const auto parts = split(*s, '/');
    try {
      if (parts.size() != 2) throw std::invalid_argument(*s);
      shard = std::stoul(parts[0]);
      shards = std::stoul(parts[1]);
    } catch (const std::exception&) {
      throw UsageError("--shard must be K/N, e.g. 2/4, got '" + *s + "'");
    }
    if (shards == 0 || shard == 0 || shard > shards) {
      throw UsageError("--shard K/N needs 1 <= K <= N, got '" + *s + "'");
    }
  }
  const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  const std::uint64_t threads = args.get_uint("threads", cores, 1, 4096);
  const bool quiet = args.flag("quiet");
  InterruptDeferral::install();

  // Load every grid point of this shard; every problem of every point is reported.
  std::vector<std::unique_ptr<PreparedRun>> prepared;
  std::vector<std::size_t> point_of;
  scenario::Diagnostics diags;
  std::string scenario_name;
  for (std::size_t point = shard - 1; point < points; point += shards) {
    std::vector<std::pair<std::string, std::string>> settings;
    const auto coord = coordinates(point, params);
    for (std::size_t i = 0; i < params.size(); ++i) {
      settings.emplace_back(params[i].path, params[i].values[coord[i]]);
    }
    auto run = std::make_unique<PreparedRun>();
    if (!scenario::load_scenario_file(args.positionals().front(), run->scenario, diags, settings) ||
        !prepare_run(*run, {}, diags)) {
      print_diagnostics(diags);
      std::fprintf(stderr, "kubetwin: grid point %zu is invalid\n", point);
      return 2;
    }
    if (args.value("seed")) run->scenario.seed = args.get_uint("seed", 0, 0, UINT64_MAX);
    if (args.value("replications")) {
      run->scenario.replications =
          static_cast<std::int64_t>(args.get_uint("replications", 1, 1, 10000));
    }
    scenario_name = run->scenario.name;
    prepared.push_back(std::move(run));
    point_of.push_back(point);
  }
  // Planning happened before --seed/--replications were applied; the plans do not depend on
  // them (replications and seeds are taken from the scenario when executing).
  const std::string default_out =
      (std::filesystem::path("kubetwin-out") /
       (scenario_name + "-sweep" +
        (shards > 1 ? "-" + std::to_string(shard) + "-of-" + std::to_string(shards) : "")))
          .string();
  OutputFolder folder(args.value("out").value_or(default_out));
  std::vector<PreparedRun*> runs;
  for (auto& r : prepared)
    runs.push_back(r.get());
  TerminalProgress bar(!quiet && ProgressBar::stderr_is_terminal());
  execute_runs(runs, threads, &bar);

  std::string csv = csv_header(params);
  bool all_pass = true;
  std::string table = "point";
  for (const Parameter& p : params)
    table += "  " + p.path;
  table += "  policy  latency.p99_ms  requests.failed  cost.total_usd  SLOs\n";
  for (std::size_t k = 0; k < runs.size(); ++k) {
    const RunResults& results = runs[k]->results;
    const auto coord = coordinates(point_of[k], params);
    std::string prefix = std::to_string(point_of[k]);
    for (std::size_t i = 0; i < params.size(); ++i) {
      prefix += ',';
      prefix += csv_field(params[i].values[coord[i]]);
    }
    for (const std::string& policy : results.policies) {
      const auto& summary = results.summary.at(policy);
      for (const auto& [key, s] : summary) {
        csv += prefix + "," + csv_field(policy) + "," + csv_field(key) + "," + json_number(s.mean) +
               "," + json_number(s.ci95) + "," + json_number(s.min) + "," + json_number(s.max) +
               "\n";
      }
      bool pass = true;
      for (const SloVerdict& v : results.slos) {
        if (v.policy == policy && !v.pass) pass = false;
      }
      all_pass = all_pass && pass;
      csv += prefix + "," + csv_field(policy) + ",slo.pass," + (pass ? "1" : "0") + ",0," +
             (pass ? "1" : "0") + "," + (pass ? "1" : "0") + "\n";
      const auto value = [&](const char* key) {
        const auto it = summary.find(key);
        if (it == summary.end()) return std::string("-");
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.4g", it->second.mean);
        return std::string(buf);
      };
      table += std::to_string(point_of[k]);
      for (std::size_t i = 0; i < params.size(); ++i)
        table += "  " + params[i].values[coord[i]];
      table += "  " + policy + "  " + value("latency.p99_ms") + "  " + value("requests.failed") +
               "  " + value("cost.total_usd") + "  " +
               (results.slos.empty() ? "-"
                : pass               ? "pass"
                                     : "FAIL") +
               "\n";
    }
  }
  InterruptDeferral::begin();
  folder.write("sweep.csv", csv);
  folder.write("sweep.json", meta_json(scenario_name, params, points, shard, shards));
  folder.commit();
  InterruptDeferral::end();
  std::fputs(table.c_str(), stdout);
  if (!quiet) {
    std::fprintf(stderr, "kubetwin: %zu grid point%s x policies x replications; results in %s\n",
                 runs.size(), runs.size() == 1 ? "" : "s", folder.destination().c_str());
  }
  return all_pass ? 0 : 1;
}

int merge_command(const std::vector<std::string>& argv) {
  const Args args(argv, {"out"}, {"help"});
  if (args.flag("help")) {
    std::fputs(kMergeUsage, stdout);
    return 0;
  }
  if (args.positionals().empty())
    throw UsageError(std::string("merge needs folders\n") + kMergeUsage);
  std::string header;
  std::string meta_first;
  std::map<std::size_t, std::string> rows_by_point;  // point -> its rows, in order
  std::size_t total_points = 0;
  std::string scenario;
  std::vector<std::string> parameter_lines;
  for (const std::string& dir : args.positionals()) {
    const std::filesystem::path csv_path = std::filesystem::path(dir) / "sweep.csv";
    const std::filesystem::path meta_path = std::filesystem::path(dir) / "sweep.json";
    std::ifstream csv(csv_path);
    std::ifstream meta(meta_path);
    if (!csv || !meta) throw UsageError(dir + ": not a sweep folder (no sweep.csv / sweep.json)");
    std::string meta_text((std::istreambuf_iterator<char>(meta)), std::istreambuf_iterator<char>());
    // Everything but the shard line must agree between shards.
    const std::string common = meta_text.substr(0, meta_text.find("  \"shard\""));
    if (meta_first.empty()) {
      meta_first = common;
    } else if (common != meta_first) {
      throw UsageError(dir + ": from a different sweep (scenario, parameters or grid differ)");
    }
    const std::size_t points_at = meta_text.find("\"points\": ");
    total_points = std::stoul(meta_text.substr(points_at + 10));
    std::string line;
    std::getline(csv, line);
    if (header.empty()) {
      header = line;
    } else if (line != header) {
      throw UsageError(dir + ": sweep.csv has other columns than the first folder's");
    }
    while (std::getline(csv, line)) {
      const std::size_t point = std::stoul(line.substr(0, line.find(',')));
      rows_by_point[point] += line + "\n";
    }
  }
  for (std::size_t p = 0; p < total_points; ++p) {
    if (!rows_by_point.count(p)) {
      throw UsageError("grid point " + std::to_string(p) + " is in none of the folders");
    }
  }
  std::string csv = header + "\n";
  for (const auto& [point, rows] : rows_by_point)
    csv += rows;
  std::string meta = meta_first + "  \"shard\": \"1/1\"\n}\n";
  const std::string out = args.value("out").value_or("kubetwin-out/merged-sweep");
  OutputFolder folder(out);
  InterruptDeferral::install();
  InterruptDeferral::begin();
  folder.write("sweep.csv", csv);
  folder.write("sweep.json", meta);
  folder.commit();
  InterruptDeferral::end();
  std::fprintf(stderr, "kubetwin: merged %zu folders, %zu grid points, into %s\n",
               args.positionals().size(), total_points, out.c_str());
  return 0;
}

}  // namespace kt::cli
