#pragma once
// report.html: a self-contained page (no scripts, no external files) with the policy
// comparison, the SLO verdicts and inline SVG charts of the time series, one line per policy.

#include <cstddef>
#include <string>

#include "runs/run_results.hpp"

namespace kt::runs {

std::string report_html(const RunResults& results, std::size_t replications);

}  // namespace kt::runs
