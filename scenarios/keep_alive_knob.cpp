#include "scenarios/keep_alive_knob.hpp"

#include <string_view>

#include "scenarios/units.hpp"

namespace kt::scenario {

namespace {

// A percentage strictly inside (low, high], or (low, high) when !high_included.
std::string percent(std::string_view key, std::string_view value, double low, double high,
                    bool high_included, double& out) {
  const Parsed<double> n = parse_number(value);
  const bool inside = n.ok() && n.value > low && (high_included ? n.value <= high : n.value < high);
  if (!inside) {
    return std::string(key) + " must be a percentage above " +
           std::to_string(static_cast<int>(low)) +
           (high_included ? " and at most " : " and below ") +
           std::to_string(static_cast<int>(high)) + ", got '" + std::string(value) + "'";
  }
  out = n.value / 100;
  return {};
}

}  // namespace

std::string parse_hybrid_params(const std::string& text, serverless::HybridHistogramParams& out) {
  std::string_view rest = text;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) return "expected KEY=VALUE, got '" + std::string(item) + "'";
    const std::string_view key = item.substr(0, eq);
    const std::string_view value = item.substr(eq + 1);
    std::string problem;
    if (key == "range") {
      const DurationParse d = parse_duration(value);
      if (!d.ok() || d.value_ns < kMinute || d.value_ns > kDay) {
        problem = "range must be a duration from 1m to 24h, got '" + std::string(value) + "'";
      } else {
        out.range = d.value_ns;
      }
    } else if (key == "head") {
      problem = percent(key, value, 0, 100, false, out.head_percentile);
    } else if (key == "tail") {
      problem = percent(key, value, 0, 100, true, out.tail_percentile);
    } else if (key == "margin") {
      const Parsed<double> n = parse_number(value);
      if (!n.ok() || n.value < 0 || n.value >= 100) {
        problem =
            "margin must be a percentage from 0 to below 100, got '" + std::string(value) + "'";
      } else {
        out.margin = n.value / 100;
      }
    } else if (key == "cv") {
      const Parsed<double> n = parse_number(value);
      if (!n.ok() || n.value < 0) {
        problem = "cv must be a number >= 0, got '" + std::string(value) + "'";
      } else {
        out.cv_threshold = n.value;
      }
    } else {
      problem = "unknown parameter '" + std::string(key) + "'; the parameters are range, head, " +
                "tail, cv and margin";
    }
    if (!problem.empty()) return problem;
  }
  if (out.head_percentile >= out.tail_percentile) return "head must be below tail";
  return {};
}

}  // namespace kt::scenario
