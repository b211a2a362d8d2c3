#include "runs/reports.hpp"

#include <cstdio>

#include "runs/result_tables.hpp"
#include "runs/summary_json.hpp"

namespace kt::runs {

std::string printf_number(const char* format, double v) {
  char text[64];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

std::string xml_escape(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

namespace {

std::string bound_text(const SloVerdict& v) {
  std::string out;
  if (v.max) out += "<= " + json_number(*v.max);
  if (v.min) {
    if (!out.empty()) out += ", ";
    out += ">= " + json_number(*v.min);
  }
  return out;
}

}  // namespace

std::string report_markdown(const RunResults& results, std::size_t replications) {
  std::string out = "# kubetwin report: " + results.scenario + "\n\n";
  out += "kubetwin " + results.version + "; " + std::to_string(results.policies.size()) + " polic" +
         (results.policies.size() == 1 ? "y" : "ies") + " x " + std::to_string(replications) +
         " replication" + (replications == 1 ? "" : "s") +
         "; cells are the mean ± the half-width of its 95 % confidence interval.\n\n";
  std::size_t failed = 0;
  for (const SloVerdict& v : results.slos)
    failed += v.pass ? 0 : 1;
  if (results.slos.empty()) {
    out += "No SLOs are defined.\n\n";
  } else if (failed == 0) {
    out += "**Every SLO holds for every policy.**\n\n";
  } else {
    out += "**" + std::to_string(failed) + " of " + std::to_string(results.slos.size()) +
           " SLO checks fail.**\n\n";
  }
  out += markdown_table(results);
  if (!results.not_simulated.empty()) {
    out += "\n## Not yet simulated\n\n";
    for (const std::string& line : results.not_simulated)
      out += "- " + line + "\n";
  }
  return out;
}

std::string junit_xml(const RunResults& results) {
  std::size_t failures = 0;
  for (const SloVerdict& v : results.slos)
    failures += v.pass ? 0 : 1;
  const std::string tests = std::to_string(results.slos.size());
  const std::string failed = std::to_string(failures);
  const std::string suite = xml_escape(results.scenario);
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"kubetwin\" tests=\"" + tests + "\" failures=\"" + failed +
         "\" errors=\"0\" time=\"0\">\n";
  out += "  <testsuite name=\"" + suite + "\" tests=\"" + tests + "\" failures=\"" + failed +
         "\" errors=\"0\" skipped=\"0\" time=\"0\">\n";
  for (const SloVerdict& v : results.slos) {
    const std::string name = v.metric + " " + bound_text(v);
    out += "    <testcase classname=\"" + suite + "." + xml_escape(v.policy) + "\" name=\"" +
           xml_escape(name) + "\" time=\"0\"";
    if (v.pass) {
      out += "/>\n";
      continue;
    }
    const std::string message = v.value ? v.metric + " = " + json_number(*v.value) +
                                              " for policy " + v.policy + ", bound " + bound_text(v)
                                        : v.metric + " was not measured for policy " + v.policy +
                                              " (no run produced it), bound " + bound_text(v);
    out += ">\n      <failure type=\"SLO\" message=\"" + xml_escape(message) + "\">" +
           xml_escape(message) + "</failure>\n    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace kt::runs
