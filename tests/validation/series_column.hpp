#pragma once
// A column of a run's time series, by name (a missing column fails the calling test).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "models/cluster/fleet_model.hpp"

namespace kt::models {

inline std::vector<double> column(const RunOutput& out, const std::string& name) {
  const auto& cols = out.series.columns;
  const auto it = std::find(cols.begin(), cols.end(), name);
  EXPECT_NE(it, cols.end()) << name;
  if (it == cols.end()) return {};
  const std::size_t c = static_cast<std::size_t>(it - cols.begin());
  std::vector<double> v;
  for (std::size_t r = 0; r < out.series.rows(); ++r)
    v.push_back(out.series.values[r * cols.size() + c]);
  return v;
}

}  // namespace kt::models
