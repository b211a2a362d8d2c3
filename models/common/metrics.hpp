#pragma once
// What a model run reports: dotted metric keys (SPEC.md, "Metrics") with numbers, and a time
// series sampled at a fixed simulated interval. Ordered maps: output order never depends on
// hashing.

#include <map>
#include <string>
#include <vector>

namespace kt::models {

using MetricMap = std::map<std::string, double>;

struct TimeSeries {
  std::vector<std::string> columns;  // columns[0] is "time_s"
  std::vector<double> values;        // row-major, columns.size() values per row
  std::size_t rows() const { return columns.empty() ? 0 : values.size() / columns.size(); }
};

}  // namespace kt::models
