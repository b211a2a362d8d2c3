#include "scenarios/prometheus_export.hpp"
#include "scenarios/prometheus_samples.hpp"

#include <cmath>
#include <cstdio>

#include "scenarios/units.hpp"
#include "scenarios/yaml_source.hpp"

namespace kt::scenario {

std::string format_sample_time(double unix_s) {
  char text[64];
  std::snprintf(text, sizeof text, "t=%.0f", unix_s);
  return text;
}

bool parse_sample(const std::string& text, double& out) {
  if (text == "NaN" || text == "+Inf" || text == "-Inf" || text == "Inf") {
    out = text == "NaN" ? std::nan("") : (text[0] == '-' ? -INFINITY : INFINITY);
    return true;
  }
  const Parsed<double> v = parse_number(text);
  if (!v.ok()) return false;
  out = v.value;
  return true;
}

std::string PromSeries::describe() const {
  std::string out = "{";
  for (const auto& [k, v] : labels) {
    if (k == "__name__") continue;
    out += (out.size() > 1 ? ", " : "") + k + "=\"" + v + "\"";
  }
  out += "}";
  const auto name = labels.find("__name__");
  return name == labels.end() ? out : name->second + out;
}

namespace {

YamlLimits export_limits() {
  YamlLimits limits;
  limits.max_file_bytes = 256u << 20;  // a day of 1-minute samples of many series
  limits.max_nodes = 100'000'000;
  return limits;
}

bool read_documents(const std::vector<YamlDocument>& docs, const std::string& path,
                    std::vector<PromSeries>& out, Diagnostics& diags);

}  // namespace

bool read_prometheus_export(const std::string& path, std::vector<PromSeries>& out,
                            Diagnostics& diags) {
  std::vector<YamlDocument> docs;
  if (!load_yaml_file(path, docs, diags, export_limits())) return false;
  return read_documents(docs, path, out, diags);
}

bool read_prometheus_text(const std::string& text, const std::string& file,
                          std::vector<PromSeries>& out, Diagnostics& diags) {
  std::vector<YamlDocument> docs;
  if (!load_yaml_text(text, file, docs, diags, export_limits())) return false;
  return read_documents(docs, file, out, diags);
}

namespace {

bool read_documents(const std::vector<YamlDocument>& docs, const std::string& path,
                    std::vector<PromSeries>& out, Diagnostics& diags) {
  const std::size_t errors = diags.error_count();
  const char* const hint = "export the JSON that Prometheus's /api/v1/query_range answers";
  for (const YamlDocument& doc : docs) {
    const YAML::Node& root = doc.root;
    const auto at = [&](const YAML::Node& n) { return position_of(n, path, doc.line_offset); };
    if (!root.IsMap() || !root["status"] || !root["status"].IsScalar()) {
      diags.error(at(root), "not a Prometheus API answer: it has no \"status\"", hint);
      continue;
    }
    if (root["status"].Scalar() != "success") {
      const YAML::Node e = root["error"];
      diags.error(at(root["status"]),
                  "the export is Prometheus's error answer" +
                      (e && e.IsScalar() ? ": " + e.Scalar() : std::string()),
                  "run the query again; only a \"status\": \"success\" answer holds data");
      continue;
    }
    const YAML::Node data = root["data"];
    if (!data || !data.IsMap() || !data["resultType"] || !data["result"]) {
      diags.error(at(root), "not a query_range answer: it has no data.resultType and data.result",
                  hint);
      continue;
    }
    const std::string type = data["resultType"].IsScalar() ? data["resultType"].Scalar() : "";
    if (type != "matrix") {
      diags.error(at(data["resultType"]),
                  "not a query_range answer: data.resultType is \"" + type + "\", not \"matrix\"",
                  type == "vector" ? "this is an instant query (/api/v1/query); use "
                                     "/api/v1/query_range with start, end and step"
                                   : hint);
      continue;
    }
    const YAML::Node result = data["result"];
    if (!result.IsSequence()) {
      diags.error(at(result), "data.result must be a list of series", hint);
      continue;
    }
    for (const YAML::Node& item : result) {
      PromSeries s;
      s.pos = at(item);
      const YAML::Node metric = item["metric"];
      const YAML::Node values = item["values"];
      if (!item.IsMap() || !metric || !metric.IsMap() || !values || !values.IsSequence()) {
        diags.error(s.pos, "a series needs \"metric\" (its labels) and \"values\" (its samples)",
                    hint);
        continue;
      }
      for (const auto& kv : metric) {
        if (kv.first.IsScalar() && kv.second.IsScalar())
          s.labels[kv.first.Scalar()] = kv.second.Scalar();
      }
      bool ok = true;
      for (const YAML::Node& pair : values) {
        double t = 0, v = 0;
        if (!pair.IsSequence() || pair.size() != 2 || !pair[0].IsScalar() || !pair[1].IsScalar() ||
            !parse_sample(pair[0].Scalar(), t) || !std::isfinite(t)) {
          diags.error(at(pair),
                      "series " + s.describe() + ": a sample must be [unix time, \"value\"]");
          ok = false;
          break;
        }
        if (!parse_sample(pair[1].Scalar(), v)) {
          diags.error(at(pair[1]), "series " + s.describe() + ": value \"" +
                                       pair[1].Scalar().substr(0, 40) + "\" at " +
                                       format_sample_time(t) + " is not a number");
          ok = false;
          break;
        }
        if (!std::isfinite(v)) {
          diags.error(
              at(pair[1]),
              "series " + s.describe() + ": " + pair[1].Scalar() + " at " + format_sample_time(t),
              "a rate or ratio over an interval without requests is NaN in PromQL; export "
              "the counts (increase) or drop those samples (> 0)");
          ok = false;
          break;
        }
        if (!s.times.empty() && t <= s.times.back()) {
          diags.error(at(pair[0]), "series " + s.describe() + ": sample times must increase (" +
                                       format_sample_time(t) + " after " +
                                       format_sample_time(s.times.back()) + ")");
          ok = false;
          break;
        }
        s.times.push_back(t);
        s.values.push_back(v);
      }
      if (ok) out.push_back(std::move(s));
    }
  }
  return diags.error_count() == errors;
}

}  // namespace

}  // namespace kt::scenario
