// spec.infrastructure.edgeSites[].uplink(s): the region, latency, bandwidth and outages of an
// edge site's uplink, and the outage trace file (docs/scenario.md, "Edge sites").

#include <filesystem>
#include <fstream>

#include "scenarios/scenario_sections.hpp"
#include "scenarios/units.hpp"

namespace kt::scenario::sections {

namespace {

namespace fs = std::filesystem;

// A CSV of down intervals: a header `start,end`, then one interval per line, each a duration
// from the start of the run ("2h", "90m", "3600s", or plain seconds); '#' starts a comment.
// Intervals must be ordered, not overlap, and end after they start.
bool load_outage_trace(const std::string& path, const SourcePos& named_at,
                       std::vector<std::pair<SimTime, SimTime>>& out, Diagnostics& diags) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    diags.error(named_at, "outage trace " + path + " not found",
                "a relative path is read from the scenario's folder");
    return false;
  }
  std::ifstream in(path);
  std::string line;
  int line_no = 0;
  bool header = false;
  const auto field = [&](const std::string& text, int column, SimTime& value) {
    std::string t = text;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t'))
      t.erase(t.begin());
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t'))
      t.pop_back();
    const bool digits = !t.empty() && t.find_first_not_of("0123456789.") == std::string::npos;
    const DurationParse d = parse_duration(digits ? t + "s" : t);
    if (!d.ok() || d.value_ns < 0) {
      std::string message = "'";
      message.append(t, 0, 30).append("' is not a time from the start of the run");
      diags.error({path, line_no, column}, message,
                  "write a duration such as 2h, 90m or 3600 (seconds)");
      return false;
    }
    value = d.value_ns;
    return true;
  };
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const auto comma = line.find(',');
    if (!header) {
      header = true;
      if (line.find("start") != std::string::npos) {
        if (comma == std::string::npos || line.find("end", comma) == std::string::npos) {
          diags.error({path, line_no, 1}, "the header must be 'start,end'");
          return false;
        }
        continue;
      }
    }
    if (comma == std::string::npos || line.find(',', comma + 1) != std::string::npos) {
      diags.error({path, line_no, 1}, "a row must be 'start,end'");
      return false;
    }
    SimTime start = 0;
    SimTime end = 0;
    if (!field(line.substr(0, comma), 1, start)) return false;
    if (!field(line.substr(comma + 1), static_cast<int>(comma) + 2, end)) return false;
    if (end <= start) {
      diags.error({path, line_no, static_cast<int>(comma) + 2},
                  "an outage must end after it starts");
      return false;
    }
    if (!out.empty() && start < out.back().second) {
      diags.error({path, line_no, 1}, "outages must be in time order and not overlap");
      return false;
    }
    out.emplace_back(start, end);
  }
  return true;
}

}  // namespace

std::optional<Uplink> read_uplink(const YAML::Node& up, const std::vector<Region>& regions,
                                  YamlReader& r, const std::string& what, const std::string& dir) {
  if (!r.expect_map(up, what)) return std::nullopt;
  r.check_keys(up, {"region", "latency", "bandwidth", "outage"}, what, Severity::error);
  Uplink uplink;
  uplink.pos = r.pos(up);
  if (up["region"]) {
    if (auto reg = r.string(up["region"], what + ".region")) uplink.region = *reg;
    bool found = false;
    for (const Region& region : regions)
      found = found || region.name == uplink.region;
    if (!found) {
      std::vector<std::string> candidates;
      for (const Region& region : regions)
        candidates.push_back(region.name);
      const std::string m = closest_match(uplink.region, candidates);
      r.error(up["region"], "uplink region '" + uplink.region + "' is not a region",
              m.empty() ? std::string("define it under spec.infrastructure.regions")
                        : "did you mean '" + m + "'?");
    }
  } else {
    r.error(up, what + " has no 'region'");
  }
  if (up["latency"]) {
    if (auto l = r.duration(up["latency"], what + ".latency", 0, kMinute)) uplink.latency = *l;
  }
  // Bytes per second, a quantity as imagePullBandwidth ("10Mi": 10 MiB/s).
  if (up["bandwidth"]) {
    if (auto q = r.quantity(up["bandwidth"], what + ".bandwidth")) {
      if (*q <= 0) {
        r.error(up["bandwidth"], what + ".bandwidth must be above 0");
      } else {
        uplink.bytes_per_s = static_cast<double>(*q) / 1000.0;
      }
    }
  }
  if (const YAML::Node o = up["outage"]; o && r.expect_map(o, what + ".outage")) {
    r.check_keys(o, {"meanUp", "meanDown", "trace"}, what + ".outage", Severity::error);
    if (o["meanUp"] || o["meanDown"]) {
      OnOffOutage outage;
      if (auto u = o["meanUp"]
                       ? r.duration(o["meanUp"], what + ".outage.meanUp", kSecond, 365 * kDay)
                       : std::nullopt) {
        outage.mean_up = *u;
      } else if (!o["meanUp"]) {
        r.error(o, what + ".outage has no 'meanUp'");
      }
      if (auto d = o["meanDown"]
                       ? r.duration(o["meanDown"], what + ".outage.meanDown", kSecond, 365 * kDay)
                       : std::nullopt) {
        outage.mean_down = *d;
      } else if (!o["meanDown"]) {
        r.error(o, what + ".outage has no 'meanDown'");
      }
      uplink.outage = outage;
    }
    if (o["trace"]) {
      if (auto f = r.string(o["trace"], what + ".outage.trace")) {
        const std::string path = fs::path(*f).is_absolute() ? *f : (fs::path(dir) / *f).string();
        load_outage_trace(path, r.pos(o["trace"]), uplink.outage_intervals, r.diags());
      }
    } else if (!o["meanUp"] && !o["meanDown"]) {
      r.error(o, what + ".outage needs meanUp and meanDown, or a trace");
    }
  }
  return uplink;
}

}  // namespace kt::scenario::sections
