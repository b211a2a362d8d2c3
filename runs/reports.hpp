#pragma once
// report.md (the comparison a person reads in a merge request) and junit.xml (one test case
// per SLO x policy, the form CI systems display). Both are deterministic: no wall-clock times.

#include <string>

#include "runs/run_results.hpp"

namespace kt::runs {

// Text made safe inside XML and HTML, in elements and in quoted attributes.
std::string xml_escape(const std::string& text);
// One number through a printf format ("%.4g"), for the report writers.
std::string printf_number(const char* format, double v);

std::string report_markdown(const RunResults& results, std::size_t replications);
std::string junit_xml(const RunResults& results);

}  // namespace kt::runs
