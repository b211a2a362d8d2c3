#include "runs/result_tables.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "runs/summary_json.hpp"
#include "scenarios/scenario.hpp"

namespace kt::runs {

namespace {

std::string number(double v) {
  char buf[32];
  if (v != 0 && (std::abs(v) >= 1e12 || std::abs(v) < 1e-3)) {
    std::snprintf(buf, sizeof buf, "%.3e", v);
  } else if (std::abs(v) >= 1e4) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else if (v == static_cast<double>(static_cast<long long>(v))) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%.4g", v);
  }
  return buf;
}

// Metric keys in display order: global keys in SPEC order, then each scope's keys.
std::vector<std::string> ordered_keys(const RunResults& results) {
  std::set<std::string> present;
  for (const auto& [policy, keys] : results.summary) {
    for (const auto& [key, s] : keys)
      present.insert(key);
  }
  std::vector<std::string> out;
  std::set<std::string> placed;
  std::vector<std::string> scopes = {""};
  for (const std::string& key : present) {
    if (key.rfind("workloads.", 0) != 0) continue;
    for (const std::string& metric : scenario::metric_keys()) {
      const std::string suffix = "." + metric;
      if (key.size() > suffix.size() &&
          key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0) {
        const std::string scope = key.substr(0, key.size() - metric.size());
        if (std::find(scopes.begin(), scopes.end(), scope) == scopes.end()) scopes.push_back(scope);
      }
    }
  }
  for (const std::string& scope : scopes) {
    for (const std::string& metric : scenario::metric_keys()) {
      const std::string key = scope + metric;
      if (present.count(key) && placed.insert(key).second) out.push_back(key);
    }
  }
  for (const std::string& key : present) {
    if (placed.insert(key).second) out.push_back(key);
  }
  return out;
}

std::string cell(const RunResults& results, const std::string& policy, const std::string& key) {
  const auto p = results.summary.find(policy);
  if (p == results.summary.end()) return "-";
  const auto it = p->second.find(key);
  if (it == p->second.end()) return "-";
  std::string text = number(it->second.mean);
  if (it->second.n > 1) text += " ± " + number(it->second.ci95);
  return text;
}

int better_direction_of(const std::string& key) {
  static const char* lower[] = {"latency.",
                                "wait.",
                                "requests.failed",
                                "requests.dropped",
                                "coldstarts.",
                                "pods.evicted",
                                "pods.pending.max",
                                "cost.",
                                "quantum.wait.",
                                "quantum.jobs.rejected",
                                "edge.requests.offline",
                                "serverless.idle_gb_s",
                                "workflows.makespan_s",
                                "recovery."};
  static const char* higher[] = {"requests.completed", "edge.uplink.availability",
                                 "quantum.jobs.completed"};
  for (const char* l : lower) {
    if (key.find(l) != std::string::npos) return -1;
  }
  for (const char* h : higher) {
    if (key.find(h) != std::string::npos) return 1;
  }
  return 0;
}

// The policy with the best mean for `key`, or -1 when there is no single best (direction
// unknown, fewer than two policies, or a tie).
int best_policy(const RunResults& results, const std::string& key) {
  const int direction = better_direction_of(key);
  if (direction == 0 || results.policies.size() < 2) return -1;
  int best = -1;
  double best_value = 0;
  bool tie = false;
  for (std::size_t i = 0; i < results.policies.size(); ++i) {
    const auto p = results.summary.find(results.policies[i]);
    if (p == results.summary.end()) continue;
    const auto it = p->second.find(key);
    if (it == p->second.end()) continue;
    const double v = it->second.mean * direction;
    if (best < 0 || v > best_value) {
      best = static_cast<int>(i);
      best_value = v;
      tie = false;
    } else if (v == best_value) {
      tie = true;
    }
  }
  return tie ? -1 : best;
}

std::string slo_text(const SloVerdict& v) {
  std::string bound;
  if (v.max) bound += "<= " + number(*v.max);
  if (v.min) bound += std::string(bound.empty() ? "" : ", ") + ">= " + number(*v.min);
  return v.metric + " " + bound;
}

std::string verdict_text(const SloVerdict& v) {
  if (!v.value) return "FAIL (not measured)";
  return std::string(v.pass ? "pass (" : "FAIL (") + number(*v.value) + ")";
}

std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    n += (c & 0xC0) != 0x80;  // count UTF-8 code points
  return n;
}

std::string pad(const std::string& s, std::size_t width) {
  return s + std::string(width > display_width(s) ? width - display_width(s) : 0, ' ');
}

}  // namespace

int better_direction(const std::string& key) {
  return better_direction_of(key);
}

std::string metric_scope(const std::string& key) {
  for (const char* prefix : {"workloads.", "regions.", "sites.", "pools.", "qpus.", "tenants."}) {
    if (key.rfind(prefix, 0) != 0) continue;
    const std::size_t dot = key.find('.', std::string(prefix).size());
    return dot == std::string::npos ? "" : key.substr(0, dot);
  }
  return "";
}

std::string text_table(const RunResults& results, bool colour, bool all) {
  std::vector<std::string> keys = ordered_keys(results);
  std::size_t hidden = 0;
  if (!all) {
    const auto scoped = [](const std::string& k) { return !metric_scope(k).empty(); };
    hidden = static_cast<std::size_t>(std::count_if(keys.begin(), keys.end(), scoped));
    keys.erase(std::remove_if(keys.begin(), keys.end(), scoped), keys.end());
  }
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header = {"metric"};
  header.insert(header.end(), results.policies.begin(), results.policies.end());
  rows.push_back(header);
  for (const std::string& key : keys) {
    std::vector<std::string> row = {key};
    const int best = best_policy(results, key);
    for (std::size_t i = 0; i < results.policies.size(); ++i) {
      // The best mean of the row is marked with '*'.
      row.push_back(cell(results, results.policies[i], key) +
                    (static_cast<int>(i) == best ? " *" : ""));
    }
    rows.push_back(row);
  }
  std::vector<std::size_t> slo_rows;
  for (std::size_t i = 0; i < results.slos.size(); i += results.policies.size()) {
    std::vector<std::string> row = {"SLO " + slo_text(results.slos[i])};
    for (std::size_t p = 0; p < results.policies.size() && i + p < results.slos.size(); ++p) {
      row.push_back(verdict_text(results.slos[i + p]));
    }
    slo_rows.push_back(rows.size());
    rows.push_back(row);
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c)
      widths[c] = std::max(widths[c], display_width(row[c]));
  }
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    for (std::size_t c = 0; c < rows[r].size(); ++c) {
      std::string text = pad(rows[r][c], widths[c]);
      if (colour && c > 0 && std::find(slo_rows.begin(), slo_rows.end(), r) != slo_rows.end()) {
        const bool pass = rows[r][c].rfind("pass", 0) == 0;
        text = std::string(pass ? "\033[32m" : "\033[31m") + text + "\033[0m";
      }
      out += (c ? "  " : "") + text;
    }
    while (!out.empty() && out.back() == ' ')
      out.pop_back();
    out += '\n';
    if (r == 0) {
      std::size_t total = 0;
      for (std::size_t w : widths)
        total += w + 2;
      out += std::string(total - 2, '-') + '\n';
    }
  }
  if (hidden > 0) {
    out += "(" + std::to_string(hidden) +
           " rows per workload, region, site, QPU or tenant: --all shows them; all are in "
           "summary.json and report.html)\n";
  }
  return out;
}

std::string markdown_table(const RunResults& results) {
  std::string out = "| metric |";
  for (const std::string& policy : results.policies)
    out += " " + policy + " |";
  out += "\n|---|";
  for (std::size_t i = 0; i < results.policies.size(); ++i)
    out += "---|";
  out += '\n';
  for (const std::string& key : ordered_keys(results)) {
    out += "| " + key + " |";
    for (const std::string& policy : results.policies) {
      out += ' ';
      out += cell(results, policy, key);
      out += " |";
    }
    out += '\n';
  }
  for (std::size_t i = 0; i < results.slos.size(); i += results.policies.size()) {
    out += "| SLO " + slo_text(results.slos[i]) + " |";
    for (std::size_t p = 0; p < results.policies.size() && i + p < results.slos.size(); ++p) {
      out += ' ';
      out += verdict_text(results.slos[i + p]);
      out += " |";
    }
    out += '\n';
  }
  return out;
}

std::string timeseries_csv(const RunResults& results) {
  std::string out;
  if (results.runs.empty()) return "policy,replication,time_s\n";
  // Policies may differ in their columns (a node autoscaler's node counts): the header is the
  // union, in order of first appearance; a run leaves the cells of columns it lacks empty.
  std::vector<std::string> columns;
  for (const RunRecord& run : results.runs) {
    for (const std::string& c : run.series.columns) {
      if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
    }
  }
  out += "policy,replication";
  for (const std::string& c : columns)
    out += "," + c;
  out += '\n';
  for (const RunRecord& run : results.runs) {
    const auto& s = run.series;
    const std::size_t width = s.columns.size();
    std::vector<long> where(columns.size(), -1);  // the run's column for each of the header's
    for (std::size_t c = 0; c < columns.size(); ++c) {
      const auto it = std::find(s.columns.begin(), s.columns.end(), columns[c]);
      if (it != s.columns.end()) where[c] = it - s.columns.begin();
    }
    for (std::size_t r = 0; r < s.rows(); ++r) {
      out += run.policy;
      out += ',';
      out += std::to_string(run.replication);
      for (std::size_t c = 0; c < columns.size(); ++c) {
        out += ',';
        if (where[c] >= 0)
          out += json_number(s.values[r * width + static_cast<std::size_t>(where[c])]);
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace kt::runs
