#pragma once
// summary.json (SPEC.md, "Metrics"): byte-for-byte the same for the same results, whatever
// the thread count, because every map is ordered and numbers print in shortest round-trip form.

#include <string>

#include "runs/run_results.hpp"

namespace kt::runs {

std::string summary_json(const RunResults& results);

// A JSON number in shortest round-trip form; non-finite values become null.
std::string json_number(double value);
std::string json_string(const std::string& text);

}  // namespace kt::runs
