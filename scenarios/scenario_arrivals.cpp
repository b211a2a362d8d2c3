// spec.workloads[].arrival: the arrival processes and the trace files they read.

#include "scenarios/scenario_sections.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <numeric>
#include <string_view>
#include <unordered_map>

#include "models/workload/arrival_process.hpp"
#include "scenarios/azure_trace.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario::sections {

namespace {

namespace fs = std::filesystem;

// Problems inside the trace are reported at its own line and column; a missing or empty
// trace at the scenario's `file:` field (`named_at`), where the user can fix it.
bool load_trace(const std::string& path, const SourcePos& named_at, Arrival& arrival,
                Diagnostics& diags) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    diags.error(named_at, "trace file " + path + " not found",
                "a relative path is read from the scenario's folder");
    return false;
  }
  std::ifstream in(path);
  std::string line;
  int line_no = 0;
  SimTime last = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t start = line.find_first_not_of(" \t");
    if (start == std::string::npos || line[start] == '#') continue;
    std::string field = line.substr(start, line.find(',', start) - start);
    while (!field.empty() && (field.back() == ' ' || field.back() == '\t'))
      field.pop_back();
    const Parsed<double> seconds = parse_number(field);
    SimTime t = 0;
    if (seconds.ok()) {
      if (seconds.value < 0 || seconds.value > 1e9) {
        diags.error({path, line_no, static_cast<int>(start) + 1}, "arrival time out of range");
        return false;
      }
      t = from_seconds(seconds.value);
    } else {
      const DurationParse d = parse_duration(field);
      if (!d.ok()) {
        if (arrival.trace.empty() && line_no == 1) continue;  // a header line
        diags.error({path, line_no, static_cast<int>(start) + 1},
                    "not an arrival time: \"" + field.substr(0, 40) + "\"",
                    "one arrival per line, in seconds (\"12.5\") or with a unit (\"12s\")");
        return false;
      }
      t = d.value_ns;
    }
    if (t < last) {
      diags.error({path, line_no, static_cast<int>(start) + 1}, "arrival times must not decrease",
                  "sort the trace by time");
      return false;
    }
    last = t;
    if (arrival.trace.size() >= 100'000'000) {
      diags.error({path, line_no, 1}, "trace has more than 100,000,000 arrivals");
      return false;
    }
    arrival.trace.push_back(t);
  }
  if (arrival.trace.empty()) {
    diags.error(named_at, "trace file " + path + " has no arrivals");
    return false;
  }
  return true;
}

}  // namespace

std::optional<Arrival> read_arrival(const YAML::Node& node, YamlReader& r, const std::string& what,
                                    const std::string& base_dir) {
  if (!r.expect_map(node, what)) return std::nullopt;
  Arrival a;
  const auto process =
      node["process"] ? r.string(node["process"], what + ".process") : std::nullopt;
  if (!process) {
    if (!node["process"]) {
      r.error(node, what + " has no 'process'",
              "use poisson, constant, diurnal, trace, rateTrace, cron or azureFunctions");
    }
    return std::nullopt;
  }
  const auto need = [&](const char* key) {
    if (!node[key])
      r.error(node, what + ": a " + *process + " arrival process needs '" + key + "'");
    return node[key];
  };
  if (*process == "poisson") {
    r.check_keys(node, {"process", "rate"}, what, Severity::error);
    a.process = Arrival::Process::poisson;
    const YAML::Node rate = need("rate");
    if (!rate) return std::nullopt;
    const auto v = r.rate(rate, what + ".rate");
    if (!v) return std::nullopt;
    a.rate_per_s = *v;
  } else if (*process == "constant") {
    r.check_keys(node, {"process", "interval"}, what, Severity::error);
    a.process = Arrival::Process::constant;
    const YAML::Node interval = need("interval");
    if (!interval) return std::nullopt;
    const auto v = r.duration(interval, what + ".interval", kNanosecond, 365 * kDay);
    if (!v) return std::nullopt;
    a.interval = *v;
    a.rate_per_s = 1.0 / to_seconds(*v);
  } else if (*process == "diurnal") {
    r.check_keys(node, {"process", "mean", "amplitude", "period", "peak"}, what, Severity::error);
    a.process = Arrival::Process::diurnal;
    const YAML::Node mean = need("mean");
    const YAML::Node amp = need("amplitude");
    if (!mean || !amp) return std::nullopt;
    const auto m = r.rate(mean, what + ".mean");
    const auto am = r.number(amp, what + ".amplitude", 0, 1);
    a.period = kDay;
    if (node["period"]) {
      const auto p = r.duration(node["period"], what + ".period", kSecond, 365 * kDay);
      if (!p) return std::nullopt;
      a.period = *p;
    }
    if (node["peak"]) {
      const auto at = r.duration(node["peak"], what + ".peak", 0, a.period - 1);
      if (!at) return std::nullopt;
      // sin(2 pi t / P + phase) is largest at t = peak.
      a.phase = std::numbers::pi / 2 -
                2 * std::numbers::pi * static_cast<double>(*at) / static_cast<double>(a.period);
    }
    if (!m || !am) return std::nullopt;
    a.rate_per_s = *m;
    a.amplitude = *am;
  } else if (*process == "trace") {
    r.check_keys(node, {"process", "file"}, what, Severity::error);
    a.process = Arrival::Process::trace;
    const YAML::Node file = need("file");
    if (!file) return std::nullopt;
    const auto f = r.string(file, what + ".file");
    if (!f) return std::nullopt;
    a.trace_file = fs::path(*f).is_absolute() ? *f : (fs::path(base_dir) / *f).string();
    if (!load_trace(a.trace_file, r.pos(file), a, r.diags())) return std::nullopt;
  } else if (*process == "rateTrace") {
    r.check_keys(node, {"process", "file"}, what, Severity::error);
    a.process = Arrival::Process::rate_trace;
    const YAML::Node file = need("file");
    if (!file) return std::nullopt;
    const auto f = r.string(file, what + ".file");
    if (!f) return std::nullopt;
    a.trace_file = fs::path(*f).is_absolute() ? *f : (fs::path(base_dir) / *f).string();
    if (!load_rate_trace(a.trace_file, r.pos(file), a.rate_trace, r.diags())) return std::nullopt;
    models::ArrivalConfig c;
    c.process = models::ArrivalConfig::Process::rate_trace;
    c.rate_starts = &a.rate_trace.starts;
    c.rates = &a.rate_trace.rates;
    c.rate_span = a.rate_trace.span;
    a.rate_per_s = models::mean_arrival_rate(c, a.rate_trace.span);
  } else if (*process == "cron") {
    r.check_keys(node, {"process", "schedule"}, what, Severity::error);
    a.process = Arrival::Process::cron;
    const YAML::Node schedule = need("schedule");
    if (!schedule) return std::nullopt;
    const auto text = r.string(schedule, what + ".schedule");
    if (!text) return std::nullopt;
    const Parsed<k8s::CronSchedule> cron = parse_cron(*text);
    if (!cron.ok()) {
      r.error(schedule, what + ".schedule: " + cron.error);
      return std::nullopt;
    }
    a.cron = cron.value;
    // The mean rate over a week of firings, for sizing and the volume check.
    models::ArrivalConfig c;
    c.process = models::ArrivalConfig::Process::cron;
    c.cron = a.cron;
    a.rate_per_s = models::mean_arrival_rate(c, 7 * kDay);
  } else if (*process == "azureFunctions") {
    r.check_keys(node, {"process", "invocations", "function", "durations", "per"}, what,
                 Severity::error);
    a.process = Arrival::Process::azure_functions;
    const YAML::Node file = need("invocations");
    if (!file) return std::nullopt;
    const auto f = r.string(file, what + ".invocations");
    if (!f) return std::nullopt;
    std::string function;
    if (node["function"]) {
      if (auto fn = r.string(node["function"], what + ".function")) function = *fn;
    }
    const auto resolve = [&](const std::string& p) {
      return fs::path(p).is_absolute() ? p : (fs::path(base_dir) / p).string();
    };
    a.trace_file = resolve(*f);
    bool per_application = false;
    if (const YAML::Node per = node["per"]) {
      const auto p = r.string(per, what + ".per");
      if (!p) return std::nullopt;
      if (*p != "function" && *p != "application") {
        r.error(per, what + ".per must be function or application, not '" + *p + "'");
        return std::nullopt;
      }
      if (function != "*") {
        r.error(per, what + ".per applies to a whole population", "add function: \"*\"");
        return std::nullopt;
      }
      per_application = *p == "application";
    }
    if (function == "*") {
      // The whole population: one member per function (or per application), with its own
      // durations when given.
      std::vector<AzureFunctionTrace> rows;
      if (!load_azure_population(a.trace_file, r.pos(file), rows, r.diags())) return std::nullopt;
      std::vector<AzureDurationRow> table;
      if (const YAML::Node d = node["durations"]) {
        const auto path = r.string(d, what + ".durations");
        if (!path || !load_azure_duration_table(resolve(*path), r.pos(d), table, r.diags())) {
          return std::nullopt;
        }
      }
      // A function's durations: its first row in the file (a map, as real files hold tens of
      // thousands of functions).
      std::unordered_map<std::string_view, const AzureDurationRow*> by_function;
      for (const AzureDurationRow& row : table)
        by_function.try_emplace(row.function, &row);
      const auto durations_of = [&](const std::string& hash) -> const AzureDurationRow* {
        if (const auto it = by_function.find(hash); it != by_function.end()) return it->second;
        r.error(node["durations"], "function " + hash + " of " + *f + " has no durations");
        return nullptr;
      };
      // Each member's functions with their invocations: itself, or an application's.
      std::vector<std::vector<std::pair<std::string, std::uint64_t>>> functions;
      if (per_application) {
        if (!fold_into_applications(rows, functions, r.pos(file), r.diags())) return std::nullopt;
      } else {
        for (const AzureFunctionTrace& row : rows)
          functions.push_back({{row.hash, 0}});
      }
      for (std::size_t i = 0; i < rows.size(); ++i) {
        Arrival::Member m;
        m.hash = rows[i].hash;
        m.per_minute = std::move(rows[i].per_minute);
        if (node["durations"]) {
          std::vector<const std::vector<double>*> parts;
          std::vector<double> weights;
          for (const auto& [hash, invocations] : functions[i]) {
            const AzureDurationRow* d = durations_of(hash);
            if (d == nullptr) return std::nullopt;
            parts.push_back(&d->quantiles_s);
            weights.push_back(static_cast<double>(invocations));
          }
          // An application's service times: its functions' mixed by their invocations (all
          // alike when it had none).
          if (std::accumulate(weights.begin(), weights.end(), 0.0) == 0)
            weights.assign(weights.size(), 1.0);
          m.durations = DistributionSpec{
              std::string("Azure durations of ") + (per_application ? "application " : "") + m.hash,
              parts.size() == 1 ? quantile_function_distribution(*parts.front())
                                : mix_quantile_functions(parts, weights)};
        }
        a.population.push_back(std::move(m));
      }
      std::uint64_t total = 0;
      for (const Arrival::Member& m : a.population)
        for (std::uint32_t n : m.per_minute)
          total += n;
      a.rate_per_s = static_cast<double>(total) / 86400.0;
      return a;
    }
    if (!load_azure_invocations(a.trace_file, r.pos(file), function, a.per_minute, r.diags())) {
      return std::nullopt;
    }
    if (const YAML::Node d = node["durations"]) {
      const auto path = r.string(d, what + ".durations");
      if (!path) return std::nullopt;
      DistributionSpec spec;
      if (!load_azure_durations(resolve(*path), r.pos(d), function, spec.dist, r.diags())) {
        return std::nullopt;
      }
      spec.text = "Azure durations of " + (function.empty() ? *path : function);
      a.durations = spec;
    }
  } else {
    r.error(node["process"], "unknown arrival process '" + *process + "'",
            "use poisson, constant, diurnal, trace, rateTrace, cron or azureFunctions");
    return std::nullopt;
  }
  return a;
}

}  // namespace kt::scenario::sections
