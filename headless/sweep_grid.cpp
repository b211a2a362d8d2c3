#include "headless/sweep_grid.hpp"

#include <cstdio>

#include "runs/summary_json.hpp"
#include "scenarios/loader.hpp"

namespace kt::cli {

namespace {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

constexpr const char* kPointMagic = "#kubetwin-sweep-point 1\n";
constexpr const char* kTableMark = "#table\n";

}  // namespace

std::vector<std::size_t> SweepGrid::shard_points() const {
  std::vector<std::size_t> out;
  for (std::size_t point = shard - 1; point < points; point += shards)
    out.push_back(point);
  return out;
}

std::vector<std::size_t> SweepGrid::coordinates(std::size_t point) const {
  std::vector<std::size_t> out(params.size());
  for (std::size_t i = params.size(); i-- > 0;) {
    out[i] = point % params[i].values.size();
    point /= params[i].values.size();
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> SweepGrid::settings(std::size_t point) const {
  std::vector<std::pair<std::string, std::string>> out;
  const auto coord = coordinates(point);
  for (std::size_t i = 0; i < params.size(); ++i)
    out.emplace_back(params[i].path, params[i].values[coord[i]]);
  return out;
}

bool load_point(const SweepGrid& grid, std::size_t point, runs::PreparedRun& run,
                scenario::Diagnostics& diags) {
  if (!scenario::load_scenario_file(grid.scenario_file, run.scenario, diags,
                                    grid.settings(point)) ||
      !runs::prepare_run(run, {}, diags)) {
    return false;
  }
  // Planning does not depend on these: replications and seeds are read when executing.
  if (grid.seed) run.scenario.seed = *grid.seed;
  if (grid.replications) run.scenario.replications = *grid.replications;
  return true;
}

PointResult point_result(const SweepGrid& grid, std::size_t point,
                         const runs::RunResults& results) {
  PointResult out;
  const auto coord = grid.coordinates(point);
  std::string prefix = std::to_string(point);
  for (std::size_t i = 0; i < grid.params.size(); ++i) {
    prefix += ',';
    prefix += csv_field(grid.params[i].values[coord[i]]);
  }
  for (const std::string& policy : results.policies) {
    const auto& summary = results.summary.at(policy);
    for (const auto& [key, s] : summary) {
      out.csv_rows += prefix + "," + csv_field(policy) + "," + csv_field(key) + "," +
                      runs::json_number(s.mean) + "," + runs::json_number(s.ci95) + "," +
                      runs::json_number(s.min) + "," + runs::json_number(s.max) + "\n";
    }
    bool pass = true;
    for (const runs::SloVerdict& v : results.slos) {
      if (v.policy == policy && !v.pass) pass = false;
    }
    out.pass = out.pass && pass;
    out.csv_rows += prefix + "," + csv_field(policy) + ",slo.pass," + (pass ? "1" : "0") + ",0," +
                    (pass ? "1" : "0") + "," + (pass ? "1" : "0") + "\n";
    const auto value = [&](const char* key) {
      const auto it = summary.find(key);
      if (it == summary.end()) return std::string("-");
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.4g", it->second.mean);
      return std::string(buf);
    };
    out.table_rows += std::to_string(point);
    for (std::size_t i = 0; i < grid.params.size(); ++i)
      out.table_rows += "  " + grid.params[i].values[coord[i]];
    out.table_rows += "  " + policy + "  " + value("latency.p99_ms") + "  " +
                      value("requests.failed") + "  " + value("cost.total_usd") + "  " +
                      (results.slos.empty() ? "-"
                       : pass               ? "pass"
                                            : "FAIL") +
                      "\n";
  }
  return out;
}

std::string encode_point(const PointResult& result) {
  return std::string(kPointMagic) + (result.pass ? "#pass 1\n" : "#pass 0\n") + result.csv_rows +
         kTableMark + result.table_rows;
}

bool decode_point(const std::string& text, PointResult& out) {
  const std::string magic = kPointMagic;
  if (text.compare(0, magic.size(), magic) != 0) return false;
  std::size_t at = magic.size();
  if (text.compare(at, 8, "#pass 1\n") == 0) {
    out.pass = true;
  } else if (text.compare(at, 8, "#pass 0\n") == 0) {
    out.pass = false;
  } else {
    return false;
  }
  at += 8;
  // The table mark starts a line; CSV rows never begin with '#'.
  const std::string table = kTableMark;
  std::size_t mark = at;
  if (text.compare(at, table.size(), table) != 0) {
    const std::size_t m = text.find("\n" + table, at);
    if (m == std::string::npos) return false;
    mark = m + 1;
  }
  out.csv_rows = text.substr(at, mark - at);
  out.table_rows = text.substr(mark + table.size());
  return true;
}

std::string sweep_csv_header(const SweepGrid& grid) {
  std::string out = "point";
  for (const SweepParameter& p : grid.params) {
    out += ',';
    out += csv_field(p.path);
  }
  return out + ",policy,metric,mean,ci95,min,max\n";
}

std::string sweep_table_header(const SweepGrid& grid) {
  std::string out = "point";
  for (const SweepParameter& p : grid.params)
    out += "  " + p.path;
  return out + "  policy  latency.p99_ms  requests.failed  cost.total_usd  SLOs\n";
}

std::string sweep_meta_json(const SweepGrid& grid, const std::string& scenario_name) {
  std::string out =
      "{\n  \"scenario\": " + runs::json_string(scenario_name) + ",\n  \"parameters\": [";
  for (std::size_t i = 0; i < grid.params.size(); ++i) {
    out += (i ? ", " : "") + std::string("{\"path\": ") + runs::json_string(grid.params[i].path) +
           ", \"values\": [";
    for (std::size_t v = 0; v < grid.params[i].values.size(); ++v)
      out += (v ? ", " : "") + runs::json_string(grid.params[i].values[v]);
    out += "]}";
  }
  out += "],\n  \"points\": " + std::to_string(grid.points) + ",\n  \"shard\": \"" +
         std::to_string(grid.shard) + "/" + std::to_string(grid.shards) + "\"\n}\n";
  return out;
}

}  // namespace kt::cli
