#include "runs/summary_json.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace kt::runs {

std::string json_number(double value) {
  if (!std::isfinite(value)) return "null";
  if (value == 0) return "0";  // also folds -0
  char buf[32];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, result.ptr);
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char esc[8];
          std::snprintf(esc, sizeof esc, "\\u%04x", static_cast<unsigned>(c));
          out += esc;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string summary_json(const RunResults& results) {
  std::string out = "{\n";
  out += "  \"scenario\": " + json_string(results.scenario) + ",\n";
  out += "  \"version\": " + json_string(results.version) + ",\n";
  out += "  \"runs\": [";
  for (std::size_t i = 0; i < results.runs.size(); ++i) {
    const RunRecord& run = results.runs[i];
    out += i ? ",\n" : "\n";
    out += "    {\"policy\": " + json_string(run.policy) +
           ", \"replication\": " + std::to_string(run.replication) +
           ", \"seed\": " + std::to_string(run.seed) + ", \"metrics\": {";
    bool first = true;
    for (const auto& [key, value] : run.metrics) {
      out += first ? "" : ", ";
      first = false;
      out += json_string(key) + ": " + json_number(value);
    }
    out += "}}";
  }
  out += results.runs.empty() ? "],\n" : "\n  ],\n";
  out += "  \"policies\": {";
  bool first_policy = true;
  for (const std::string& policy : results.policies) {
    out += first_policy ? "\n" : ",\n";
    first_policy = false;
    out += "    " + json_string(policy) + ": {";
    const auto it = results.summary.find(policy);
    bool first = true;
    if (it != results.summary.end()) {
      for (const auto& [key, s] : it->second) {
        out += first ? "\n" : ",\n";
        first = false;
        out += "      " + json_string(key) + ": {\"mean\": " + json_number(s.mean) +
               ", \"ci95\": " + json_number(s.ci95) + ", \"min\": " + json_number(s.min) +
               ", \"max\": " + json_number(s.max) + "}";
      }
    }
    out += first ? "}" : "\n    }";
  }
  out += results.policies.empty() ? "},\n" : "\n  },\n";
  out += "  \"slo\": [";
  for (std::size_t i = 0; i < results.slos.size(); ++i) {
    const SloVerdict& v = results.slos[i];
    out += i ? ",\n" : "\n";
    out += "    {\"metric\": " + json_string(v.metric) + ", \"policy\": " + json_string(v.policy) +
           ", \"value\": " + (v.value ? json_number(*v.value) : std::string("null"));
    if (v.max) out += ", \"max\": " + json_number(*v.max);
    if (v.min) out += ", \"min\": " + json_number(*v.min);
    out += std::string(", \"pass\": ") + (v.pass ? "true" : "false") + "}";
  }
  out += results.slos.empty() ? "],\n" : "\n  ],\n";
  out += "  \"not_simulated\": [";
  for (std::size_t i = 0; i < results.not_simulated.size(); ++i) {
    out += (i ? ", " : "") + json_string(results.not_simulated[i]);
  }
  out += "]\n}\n";
  return out;
}

}  // namespace kt::runs
