#pragma once
// report.html: a self-contained page (no scripts, no external files) with the policy
// comparison, the SLO verdicts and inline SVG charts of the time series, one line per policy.

#include <cstddef>
#include <string>

#include "runs/run_results.hpp"

namespace kt::runs {

std::string report_html(const RunResults& results, std::size_t replications);

// One of report.html's charts on its own: time-series `column`, one line per policy ("" when
// the runs have no such column). The dashboard's SVG export.
std::string timeseries_chart_svg(const RunResults& results, const std::string& column);

}  // namespace kt::runs
