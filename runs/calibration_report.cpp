#include "runs/calibration_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "runs/reports.hpp"
#include "runs/summary_json.hpp"

namespace kt::runs {

namespace {

std::string fmt(const char* format, double v) {
  return printf_number(format, v);
}

std::string clock(double seconds) {
  const auto s = static_cast<long long>(std::llround(seconds));
  char text[32];
  std::snprintf(text, sizeof text, "%02lld:%02lld", s / 3600, s / 60 % 60);
  return text;
}

struct ReplicaRange {
  double min = 0, max = 0, mean = 0;
  bool any = false;
};

ReplicaRange replica_range(const scenario::WorkloadObservation& o) {
  ReplicaRange r;
  double sum = 0;
  int n = 0;
  for (double v : o.replicas) {
    if (!std::isfinite(v)) continue;
    r.min = r.any ? std::min(r.min, v) : v;
    r.max = r.any ? std::max(r.max, v) : v;
    r.any = true;
    sum += v;
    ++n;
  }
  r.mean = n ? sum / n : 0;
  return r;
}

std::string fit_row(const models::BucketFit& f, bool chosen) {
  return "| " + f.family + (chosen ? " (kept)" : "") + " | " + fmt("%.4g", f.mean_s * 1000) +
         " ms | " + fmt("%.4f", f.cv) + " | " + fmt("%.1f", f.log_likelihood) + " | " +
         fmt("%.1f", f.aic) + " | " + fmt("%.1f", f.chi2) + " / " + std::to_string(f.dof) + " | " +
         fmt("%.3g", f.p_value) + " | " + fmt("%.4f", f.max_cdf_gap) + " |\n";
}

std::string fit_json(const models::BucketFit& f) {
  return "{\"mean_ms\": " + json_number(f.mean_s * 1000) + ", \"cv\": " + json_number(f.cv) +
         ", \"logLikelihood\": " + json_number(f.log_likelihood) +
         ", \"aic\": " + json_number(f.aic) + ", \"chi2\": " + json_number(f.chi2) +
         ", \"dof\": " + std::to_string(f.dof) + ", \"pValue\": " + json_number(f.p_value) +
         ", \"maxCdfGap\": " + json_number(f.max_cdf_gap) + "}";
}

}  // namespace

std::string calibration_markdown(const scenario::Calibration& cal) {
  namespace fs = std::filesystem;
  std::string md = "# Calibration of " + fs::path(cal.scenario_file).filename().string() + "\n\n";
  md += "Exports:";
  for (const std::string& e : cal.exports)
    md += " `" + e + "`";
  md += "\n\nWindow: " + fmt("%.4g", cal.window_s / 3600) + " h from unix time " +
        fmt("%.0f", cal.window_start_unix) + ", intervals of " + fmt("%.0f", cal.step_s) +
        " s. Time 0 of the calibrated scenario is the window's start.\n\n";
  for (const scenario::WorkloadCalibration& w : cal.workloads) {
    const scenario::WorkloadObservation& o = w.observed;
    md += "## " + w.workload + "\n\n";
    md += "- request rate: `" + o.rate_series + "`, " + fmt("%.0f", w.requests) + " requests\n";
    if (!o.latency_series.empty()) md += "- latency: `" + o.latency_series + "`\n";
    if (const ReplicaRange r = replica_range(o); r.any) {
      md += "- replicas: `" + o.replicas_series + "`, " + fmt("%.0f", r.min) + " to " +
            fmt("%.0f", r.max) + ", mean " + fmt("%.2f", r.mean) +
            " (not fitted: the manifests' replicas and autoscalers decide them; `kubetwin "
            "backtest` compares them)\n";
    }
    const models::DiurnalFit& d = w.diurnal;
    md += "\n### Arrival\n\n";
    if (cal.options.arrival == "replay") {
      md +=
          "Replayed: the observed rate of each interval, as a Poisson process with that rate "
          "(`" +
          w.rate_file +
          "`). It has no fit error, but it replays this window's counting "
          "noise too (" +
          fmt("%.3g", d.noise_rmse) +
          "/s per interval). For comparison, the "
          "diurnal least-squares fit below.\n\n";
    }
    md += "Diurnal least squares, rate(t) = mean (1 + amplitude sin(2 pi t / " +
          fmt("%.4g", d.period_s / 3600) + " h + phase)), over " + std::to_string(d.intervals) +
          " intervals:\n\n";
    md += "| mean | amplitude | peak (after the start) | RMSE | Poisson noise alone | R^2 |\n";
    md += "|---|---|---|---|---|---|\n";
    md += "| " + fmt("%.4g", d.mean) + " ± " + fmt("%.2g", d.mean_se) + " /s | " +
          fmt("%.4f", d.amplitude) + " ± " + fmt("%.2g", d.amplitude_se) + " | " + clock(d.peak_s) +
          " | " + fmt("%.3g", d.rmse) + " /s | " + fmt("%.3g", d.noise_rmse) + " /s | " +
          fmt("%.4f", d.r2) + " |\n\n";
    md +=
        "An RMSE near the Poisson noise means the curve explains all but the counting noise; "
        "well above it, the rate has a shape a sinusoid misses (try `--arrival replay`).";
    if (d.clamped) md += " The fitted amplitude exceeded 1 and was clamped to 1.";
    md += "\n\n### Service time\n\n";
    if (const models::BucketFit* kept = w.chosen()) {
      md += "Maximum likelihood on the " + std::to_string(o.bounds.size() + 1) +
            " buckets of the latency histogram (all intervals summed). Kept: the lower AIC "
            "(both families have two parameters, so the higher likelihood).\n\n";
      md += "| family | mean | cv | log L | AIC | chi^2 / dof | p | max CDF gap |\n";
      md += "|---|---|---|---|---|---|---|---|\n";
      md += fit_row(*w.lognormal, kept == &*w.lognormal);
      md += fit_row(*w.gamma, kept == &*w.gamma);
      md +=
          "\nWith this many samples the chi-square test rejects any model that is not exact; "
          "the max CDF gap says by how much.\n\n";
      if (w.twin_latency_mean_s > 0) {
        md +=
            "The histogram measures latency: service time plus the wait in a pod's queue. "
            "Corrected for that: the twin, run " +
            std::to_string(cal.correction_runs) +
            " times with the fit as service time, gave a latency of mean " +
            fmt("%.4g", w.twin_latency_mean_s * 1000) + " ms, cv " +
            fmt("%.4f", w.twin_latency_cv) + " (observed: " + fmt("%.4g", kept->mean_s * 1000) +
            " ms, " + fmt("%.4f", kept->cv) +
            "); the service time is scaled by observed / twin: **" + w.service_family + ", mean " +
            fmt("%.4g", w.service_mean_s * 1000) + " ms, cv " + fmt("%.4f", w.service_cv) +
            "**.\n\n";
      } else {
        md +=
            "The histogram measures latency, service time plus any wait in a pod's queue; it "
            "is taken as service time as it is (--no-queueing-correction): **" +
            w.service_family + ", mean " + fmt("%.4g", w.service_mean_s * 1000) + " ms, cv " +
            fmt("%.4f", w.service_cv) + "**.\n\n";
      }
    } else {
      md += "Not fitted: no latency histogram for this workload; its `service` is as it was.\n\n";
    }
  }
  return md;
}

std::string calibration_json(const scenario::Calibration& cal) {
  std::string out = "{\n  \"scenario\": " + json_string(cal.scenario_file) +
                    ",\n  \"arrival\": " + json_string(cal.options.arrival) +
                    ",\n  \"windowStart\": " + json_number(cal.window_start_unix) +
                    ",\n  \"window_s\": " + json_number(cal.window_s) +
                    ",\n  \"step_s\": " + json_number(cal.step_s) + ",\n  \"workloads\": {";
  bool first = true;
  for (const scenario::WorkloadCalibration& w : cal.workloads) {
    const models::DiurnalFit& d = w.diurnal;
    out += std::string(first ? "" : ",") + "\n    " + json_string(w.workload) + ": {" +
           "\"requests\": " + json_number(w.requests) +
           ", \"diurnal\": {\"mean_per_s\": " + json_number(d.mean) +
           ", \"mean_se\": " + json_number(d.mean_se) +
           ", \"amplitude\": " + json_number(d.amplitude) +
           ", \"amplitude_se\": " + json_number(d.amplitude_se) +
           ", \"peak_s\": " + json_number(d.peak_s) + ", \"period_s\": " + json_number(d.period_s) +
           ", \"rmse\": " + json_number(d.rmse) + ", \"noiseRmse\": " + json_number(d.noise_rmse) +
           ", \"r2\": " + json_number(d.r2) + "}";
    if (!w.rate_file.empty()) out += ", \"rateTrace\": " + json_string(w.rate_file);
    if (const models::BucketFit* kept = w.chosen()) {
      out += ", \"service\": {\"kept\": " + json_string(kept->family) +
             ", \"mean_ms\": " + json_number(w.service_mean_s * 1000) +
             ", \"cv\": " + json_number(w.service_cv) +
             ", \"twinLatencyMean_ms\": " + json_number(w.twin_latency_mean_s * 1000) +
             ", \"lognormal\": " + fit_json(*w.lognormal) + ", \"gamma\": " + fit_json(*w.gamma) +
             "}";
    }
    out += "}";
    first = false;
  }
  return out + "\n  }\n}\n";
}

std::string calibration_summary(const scenario::Calibration& cal) {
  std::string out;
  for (const scenario::WorkloadCalibration& w : cal.workloads) {
    const models::DiurnalFit& d = w.diurnal;
    out += w.workload + ": arrival " +
           (cal.options.arrival == "replay"
                ? "replayed (" + w.rate_file + ")"
                : "diurnal mean " + fmt("%.4g", d.mean) + "/s amplitude " +
                      fmt("%.3f", d.amplitude) + " peak " + clock(d.peak_s) + " (rmse " +
                      fmt("%.3g", d.rmse) + "/s, noise " + fmt("%.3g", d.noise_rmse) + "/s)");
    if (const models::BucketFit* kept = w.chosen()) {
      out += "; service " + kept->family + " mean " + fmt("%.4g", w.service_mean_s * 1000) +
             " ms cv " + fmt("%.3f", w.service_cv) + " (AIC lognormal " +
             fmt("%.1f", w.lognormal->aic) + ", gamma " + fmt("%.1f", w.gamma->aic);
      if (w.twin_latency_mean_s > 0) {
        out +=
            "; histogram fit " + fmt("%.4g", kept->mean_s * 1000) + " ms, corrected for queueing";
      }
      out += ")";
    }
    out += "\n";
  }
  return out;
}

}  // namespace kt::runs
