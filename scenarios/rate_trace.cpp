#include "scenarios/rate_trace.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "scenarios/units.hpp"

namespace kt::scenario {

namespace {

std::string trim(std::string s) {
  const std::size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  const std::size_t b = s.find_last_not_of(" \t");
  return s.substr(a, b - a + 1);
}

}  // namespace

bool load_rate_trace(const std::string& path, const SourcePos& named_at, RateTrace& out,
                     Diagnostics& diags) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    diags.error(named_at, "rate trace " + path + " not found",
                "a relative path is read from the scenario's folder");
    return false;
  }
  std::ifstream in(path);
  std::string line;
  int line_no = 0;
  std::vector<SimTime> absolute;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (const std::size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
    if (trim(line).empty()) continue;
    const std::size_t comma = line.find(',');
    const std::string start_text = trim(line.substr(0, comma));
    const int start_col = static_cast<int>(line.find_first_not_of(" \t")) + 1;
    const Parsed<double> seconds = parse_number(start_text);
    SimTime start = 0;
    if (seconds.ok() && seconds.value >= 0 && seconds.value <= 1e10) {
      start = from_seconds(seconds.value);
    } else if (const DurationParse d = parse_duration(start_text); d.ok()) {
      start = d.value_ns;
    } else {
      if (absolute.empty() && line_no == 1) continue;  // the header
      diags.error({path, line_no, start_col},
                  "not a start time: \"" + start_text.substr(0, 40) + "\"",
                  "one `start,rate` per line: seconds (\"60\") or a duration (\"1m\")");
      return false;
    }
    if (comma == std::string::npos) {
      diags.error({path, line_no, static_cast<int>(line.size()) + 1},
                  "a rate trace line needs `start,rate`");
      return false;
    }
    const std::string rate_text = trim(line.substr(comma + 1));
    const int rate_col = static_cast<int>(line.find_first_not_of(" \t", comma + 1)) + 1;
    const Parsed<double> rate = parse_number(rate_text);
    if (!rate.ok() || !(rate.value >= 0) || rate.value > 1e9) {
      diags.error({path, line_no, rate_col > 0 ? rate_col : static_cast<int>(comma) + 2},
                  "not a rate: \"" + rate_text.substr(0, 40) + "\"",
                  "requests per second, a number >= 0");
      return false;
    }
    if (!absolute.empty() && start <= absolute.back()) {
      diags.error({path, line_no, start_col}, "start times must increase",
                  "one row per interval, in time order");
      return false;
    }
    absolute.push_back(start);
    out.rates.push_back(rate.value);
  }
  if (absolute.size() < 2) {
    diags.error(named_at, "rate trace " + path + " needs at least two `start,rate` rows",
                "the last interval is as long as the one before it");
    return false;
  }
  for (SimTime t : absolute)
    out.starts.push_back(t - absolute.front());
  out.span = 2 * out.starts.back() - out.starts[out.starts.size() - 2];
  double total = 0;
  for (double r : out.rates)
    total += r;
  if (!(total > 0)) {
    diags.error(named_at, "rate trace " + path + " has no interval with a rate above 0");
    return false;
  }
  return true;
}

std::string rate_trace_csv(const RateTrace& trace) {
  std::string out = "start_s,rate_per_s\n";
  char line[64];
  for (std::size_t i = 0; i < trace.starts.size(); ++i) {
    std::snprintf(line, sizeof line, "%.9g,%.9g\n", to_seconds(trace.starts[i]), trace.rates[i]);
    out += line;
  }
  return out;
}

}  // namespace kt::scenario
