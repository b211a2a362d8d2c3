#include "scenarios/calibrate.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "scenarios/loader.hpp"
#include "scenarios/manifest_loader.hpp"
#include "scenarios/scenario_paths.hpp"
#include "scenarios/yaml_source.hpp"
#include "scenarios/yaml_writer.hpp"

namespace kt::scenario {

namespace {

namespace fs = std::filesystem;

std::string number(double v, const char* format = "%.6g") {
  char text[64];
  std::snprintf(text, sizeof text, format, v);
  return text;
}

// Seconds as a duration the scenario reads back: whole hours, minutes or seconds when exact.
std::string duration_text(double s) {
  const auto whole = std::llround(s);
  if (std::abs(s - static_cast<double>(whole)) < 1e-9 && whole > 0) {
    if (whole % 3600 == 0) return std::to_string(whole / 3600) + "h";
    if (whole % 60 == 0) return std::to_string(whole / 60) + "m";
    return std::to_string(whole) + "s";
  }
  return number(s * 1000, "%.6g") + "ms";
}

std::string safe_file_name(const std::string& name) {
  std::string out;
  for (char c : name)
    out += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
  return out;
}

}  // namespace

const models::BucketFit* WorkloadCalibration::chosen() const {
  if (lognormal && gamma) return lognormal->aic <= gamma->aic ? &*lognormal : &*gamma;
  return lognormal ? &*lognormal : gamma ? &*gamma : nullptr;
}

bool observe_exports(const Scenario& sc, const std::vector<std::string>& exports,
                     const ObservationOptions& options, std::vector<WorkloadObservation>& out,
                     Diagnostics& diags) {
  std::vector<PromSeries> series;
  bool ok = true;
  for (const std::string& path : exports)
    ok = read_prometheus_export(path, series, diags) && ok;
  if (!ok) return false;
  return observe_workloads(sc, series, options, out, diags);
}

bool calibrate(const std::string& scenario_path, const std::vector<std::string>& exports,
               const std::string& out_dir, const CalibrationOptions& options, Calibration& out,
               Diagnostics& diags) {
  out.scenario_file = scenario_path;
  out.exports = exports;
  out.options = options;
  Scenario sc;
  if (!load_scenario_file(scenario_path, sc, diags)) return false;
  std::vector<WorkloadObservation> observed;
  if (!observe_exports(sc, exports, options.observe, observed, diags)) return false;

  for (WorkloadObservation& obs : observed) {
    WorkloadCalibration cal;
    cal.workload = obs.workload;
    const double start = obs.window_start();
    std::vector<double> mid;
    for (std::size_t i = 0; i < obs.times.size(); ++i) {
      mid.push_back(obs.times[i] - obs.step_s / 2 - start);
      if (std::isfinite(obs.rate[i])) cal.requests += obs.rate[i] * obs.step_s;
    }
    cal.diurnal = models::fit_diurnal(mid, obs.rate, options.period_s, obs.step_s);
    if (options.arrival == "replay") {
      for (std::size_t i = 0; i < obs.times.size(); ++i) {
        cal.trace.starts.push_back(from_seconds(obs.times[i] - obs.step_s - start));
        cal.trace.rates.push_back(std::isfinite(obs.rate[i]) ? std::max(obs.rate[i], 0.0) : 0.0);
      }
      cal.trace.span = from_seconds(obs.times.back() - start);
      cal.rate_file = "rates/" + safe_file_name(obs.workload) + ".csv";
      out.files.emplace_back(cal.rate_file, rate_trace_csv(cal.trace));
    }
    if (!obs.buckets.empty()) {
      cal.bucket_counts.assign(obs.bounds.size() + 1, 0.0);
      for (const std::vector<double>& row : obs.buckets) {
        bool finite = true;
        for (double v : row)
          finite = finite && std::isfinite(v);
        if (!finite) continue;
        for (std::size_t k = 0; k < row.size(); ++k)
          cal.bucket_counts[k] += row[k] - (k ? row[k - 1] : 0.0);
      }
      int non_empty = 0;
      for (double c : cal.bucket_counts)
        non_empty += c > 0;
      if (non_empty >= 2) {
        cal.lognormal = models::fit_lognormal(obs.bounds, cal.bucket_counts);
        cal.gamma = models::fit_gamma(obs.bounds, cal.bucket_counts);
      } else {
        diags.warning({sc.file, 1, 1}, "the latency histogram of workload " + obs.workload +
                                           " has fewer than two non-empty buckets: its "
                                           "service time is not fitted");
      }
    }
    if (cal.diurnal.intervals < 4 && options.arrival == "diurnal") {
      diags.error({sc.file, 1, 1}, "workload " + obs.workload +
                                       ": fewer than four intervals with a rate; a diurnal fit "
                                       "needs more");
      return false;
    }
    out.step_s = obs.step_s;
    out.window_start_unix = start;
    out.window_s = obs.times.back() - start;
    cal.observed = std::move(obs);
    out.workloads.push_back(std::move(cal));
  }

  for (WorkloadCalibration& cal : out.workloads) {
    if (const models::BucketFit* fit = cal.chosen()) {
      cal.service_family = fit->family;
      cal.service_mean_s = fit->mean_s;
      cal.service_cv = fit->cv;
    }
  }
  std::vector<YamlDocument> docs;
  if (!load_yaml_file(scenario_path, docs, diags)) return false;
  for (const YamlDocument& d : docs) {
    if (!is_scenario_document(d.root)) continue;
    const YAML::Node ws = d.root["spec"]["workloads"];
    for (std::size_t k = 0; ws && ws.IsSequence() && k < ws.size(); ++k) {
      for (WorkloadCalibration& cal : out.workloads) {
        if (ws[k]["name"] && ws[k]["name"].IsScalar() && ws[k]["name"].Scalar() == cal.workload)
          cal.yaml_index = static_cast<int>(k);
      }
    }
  }
  return render_calibrated_scenario(out, out_dir, diags);
}

namespace {

std::string arrival_flow(const WorkloadCalibration& cal, bool replay) {
  if (replay) return "{process: rateTrace, file: \"" + cal.rate_file + "\"}";
  const models::DiurnalFit& f = cal.diurnal;
  return "{process: diurnal, mean: " + number(f.mean) +
         "/s, amplitude: " + number(f.amplitude, "%.4f") +
         ", period: " + duration_text(f.period_s) +
         ", peak: " + duration_text(std::round(f.peak_s)) + "}";
}

std::string service_flow(const WorkloadCalibration& cal) {
  return "{distribution: " + cal.service_family +
         ", mean: " + number(cal.service_mean_s * 1000, "%.5g") +
         "ms, cv: " + number(cal.service_cv, "%.4f") + "}";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> calibrated_settings(const Calibration& cal) {
  std::vector<std::pair<std::string, std::string>> out = {
      {"spec.duration", duration_text(cal.window_s + cal.step_s)}, {"spec.warmup", "0s"}};
  for (const WorkloadCalibration& w : cal.workloads) {
    if (w.yaml_index < 0) continue;
    const std::string at = "spec.workloads[" + std::to_string(w.yaml_index) + "].";
    out.emplace_back(at + "arrival", arrival_flow(w, false));
    if (!w.service_family.empty()) out.emplace_back(at + "service", service_flow(w));
  }
  return out;
}

bool render_calibrated_scenario(Calibration& out, const std::string& out_dir, Diagnostics& diags) {
  const std::string& scenario_path = out.scenario_file;
  // The input document with the fitted fields replaced.
  std::vector<YamlDocument> docs;
  if (!load_yaml_file(scenario_path, docs, diags)) return false;
  YAML::Node root;
  for (const YamlDocument& d : docs)
    if (is_scenario_document(d.root)) root = d.root;
  YAML::Node spec = root["spec"];
  spec["duration"] = duration_text(out.window_s);
  spec["warmup"] = "0s";
  rebase_paths(spec, fs::path(scenario_path).parent_path(), fs::path(out_dir));
  std::string header = "# Calibrated by `kubetwin calibrate` from " +
                       fs::path(scenario_path).filename().string() + " and";
  for (const std::string& e : out.exports)
    header.append(" ").append(fs::path(e).filename().string());
  header += "\n# (window " + number(out.window_s / 3600, "%.4g") + " h from unix time " +
            number(out.window_start_unix, "%.0f") + ", step " + number(out.step_s) +
            " s); every fit and its goodness is in calibration.md.\n";
  const bool replay = out.options.arrival == "replay";
  for (const WorkloadCalibration& cal : out.workloads) {
    if (cal.yaml_index < 0) continue;
    YAML::Node w = spec["workloads"][static_cast<std::size_t>(cal.yaml_index)];
    w["arrival"] = YAML::Load(arrival_flow(cal, replay));
    if (replay) {
      header += "# " + cal.workload + ": arrival replays the observed rate (" + cal.rate_file + ")";
    } else {
      const models::DiurnalFit& f = cal.diurnal;
      header += "# " + cal.workload + ": diurnal fit, rmse " + number(f.rmse, "%.3g") +
                "/s (Poisson noise alone: " + number(f.noise_rmse, "%.3g") + "/s), R^2 " +
                number(f.r2, "%.3f");
    }
    if (const models::BucketFit* fit = cal.chosen()) {
      w["service"] = YAML::Load(service_flow(cal));
      header += "; service " + fit->family + " by maximum likelihood (AIC " +
                number(fit->aic, "%.1f") + " vs " +
                number((fit == &*cal.lognormal ? cal.gamma : cal.lognormal)->aic, "%.1f") + ")";
      if (cal.twin_latency_mean_s > 0) {
        header += ", corrected for queueing (mean " + number(fit->mean_s * 1000, "%.4g") + " -> " +
                  number(cal.service_mean_s * 1000, "%.4g") + " ms)";
      }
    }
    header += "\n";
  }
  out.scenario_yaml = header + yaml_text(root) + "\n";
  return true;
}

}  // namespace kt::scenario
