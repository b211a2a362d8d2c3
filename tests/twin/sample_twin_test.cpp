// The twin loop on the bundled sample (data/twin-sample, made by make_sample.py from a stated
// ground truth): import -> calibrate -> back-test. Calibration must recover the truth within
// the fits' own standard errors (rates) or a stated tolerance (service times, below); the
// back-test of the calibrated twin against the other day's export must cover about 95 % of
// intervals, and must fail --min-coverage when the service time is set 2x too long.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "runs/backtest.hpp"
#include "runs/queueing_correction.hpp"
#include "scenarios/calibrate.hpp"
#include "scenarios/cluster_import.hpp"

namespace kt {
namespace {

namespace fs = std::filesystem;

const std::string kSample = std::string(KT_SOURCE_DIR) + "/data/twin-sample";

// The ground truth, as data/twin-sample/truth/scenario.yaml states it.
struct Truth {
  const char* workload;
  double rate, amplitude, peak_h;
  const char* family;
  double mean_s, cv;
};
constexpr Truth kTruth[] = {{"checkout", 15, 0.6, 14, "lognormal", 0.8, 0.8},
                            {"catalog", 6, 0.3, 20, "gamma", 0.15, 0.5}};

class SampleTwin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = fs::temp_directory_path() / ("kt-twin-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "imported" / "manifests");
    scenario::Diagnostics diags;
    std::vector<scenario::PriceRow> prices;
    scenario::ClusterImport im;
    ASSERT_TRUE(
        scenario::import_cluster({kSample + "/cluster-dump.yaml"}, prices, "sample", im, diags));
    std::ofstream(dir_ / "imported" / "scenario.yaml") << im.scenario_yaml;
    std::ofstream(dir_ / "imported" / "manifests" / "cluster-objects.yaml") << im.objects_yaml;
    const std::vector<std::string> day1 = {kSample + "/prometheus/day1/requests.json",
                                           kSample + "/prometheus/day1/latency.json",
                                           kSample + "/prometheus/day1/replicas.json"};
    const fs::path out = dir_ / "calibrated";
    ASSERT_TRUE(scenario::calibrate((dir_ / "imported" / "scenario.yaml").string(), day1,
                                    out.string(), {}, raw_, diags))
        << diags.all().front().message;
    calibrated_ = raw_;
    ASSERT_TRUE(runs::correct_for_queueing(calibrated_, out.string(), 4, 2, diags));
    fs::create_directories(out);
    std::ofstream(out / "scenario.yaml") << calibrated_.scenario_yaml;
  }
  static void TearDownTestSuite() { fs::remove_all(dir_); }

  static const scenario::WorkloadCalibration& of(const scenario::Calibration& c,
                                                 const std::string& name) {
    for (const scenario::WorkloadCalibration& w : c.workloads)
      if (w.workload == name) return w;
    throw std::runtime_error("no workload " + name);
  }

  static runs::Backtest backtest(const std::vector<std::pair<std::string, std::string>>& set) {
    runs::BacktestOptions options;
    options.threads = 2;
    options.settings = set;
    runs::Backtest bt;
    scenario::Diagnostics diags;
    EXPECT_TRUE(runs::run_backtest(
        (dir_ / "calibrated" / "scenario.yaml").string(),
        {kSample + "/prometheus/day2/requests.json", kSample + "/prometheus/day2/latency.json",
         kSample + "/prometheus/day2/replicas.json"},
        options, bt, diags));
    return bt;
  }

  static inline fs::path dir_;
  static inline scenario::Calibration raw_, calibrated_;
};

TEST_F(SampleTwin, CalibrationRecoversTheRateCurves) {
  for (const Truth& t : kTruth) {
    const models::DiurnalFit& f = of(calibrated_, t.workload).diurnal;
    EXPECT_NEAR(f.mean, t.rate, 3 * f.mean_se) << t.workload;
    EXPECT_NEAR(f.amplitude, t.amplitude, 3 * f.amplitude_se) << t.workload;
    const double peak_se = f.amplitude_se / f.amplitude / (2 * std::numbers::pi / 86400);
    EXPECT_NEAR(f.peak_s, t.peak_h * 3600, 3 * peak_se) << t.workload;
    EXPECT_NEAR(f.rmse / f.noise_rmse, 1, 3 / std::sqrt(2.0 * f.intervals)) << t.workload;
  }
}

TEST_F(SampleTwin, CalibrationRecoversTheServiceTimesAndTheirFamily) {
  // Tolerance 1 %: the MLE's own relative standard error is under 0.1 % with a day of
  // requests (1.3 M and 0.5 M); the rest is what one correction step leaves.
  for (const Truth& t : kTruth) {
    const scenario::WorkloadCalibration& w = of(calibrated_, t.workload);
    EXPECT_EQ(w.service_family, t.family) << t.workload;
    EXPECT_NEAR(w.service_mean_s, t.mean_s, 0.01 * t.mean_s) << t.workload;
    EXPECT_NEAR(w.service_cv, t.cv, 0.01 * t.cv) << t.workload;
  }
  // Without the correction, checkout's fit carries its pods' queueing wait: about 1 % long,
  // more than the tolerance's remainder (the correction is what brings it within).
  EXPECT_GT(of(raw_, "checkout").service_mean_s, 0.8 * 1.006);
}

TEST_F(SampleTwin, BacktestCoversAboutNinetyFivePercent) {
  const runs::Backtest bt = backtest({});
  EXPECT_EQ(bt.replications, 39u);
  EXPECT_DOUBLE_EQ(bt.nominal_coverage, 0.95);
  for (const runs::WorkloadBacktest& w : bt.workloads) {
    for (const runs::MetricComparison& m : w.metrics) {
      ASSERT_EQ(m.compared, 1440) << w.workload << " " << m.metric;
      if (m.metric == "replicas") {
        // Integers: ties make the band cover at least nominally.
        EXPECT_GE(m.coverage(), 0.95 - 3 * std::sqrt(0.95 * 0.05 / 1440)) << w.workload;
        continue;
      }
      // Latency quantiles: 95 % within 3 binomial standard errors (1.7 points for 1440
      // intervals; neighbouring intervals are not independent, which the binomial error does
      // not count, so this is a tight check).
      EXPECT_NEAR(m.coverage(), 0.95, 3 * std::sqrt(0.95 * 0.05 / 1440))
          << w.workload << " " << m.metric;
    }
  }
}

TEST_F(SampleTwin, BacktestFailsWhenTheServiceTimeIsTwiceTooLong) {
  const double doubled = 2 * of(calibrated_, "checkout").service_mean_s * 1000;
  const runs::Backtest bt =
      backtest({{"spec.workloads[0].service.mean", std::to_string(doubled) + "ms"}});
  EXPECT_LT(bt.coverage(), 0.9) << "--min-coverage 0.9 fails";
  for (const runs::MetricComparison& m : bt.workloads.at(0).metrics) {
    EXPECT_LT(m.coverage(), 0.05) << "checkout " << m.metric;
  }
}

}  // namespace
}  // namespace kt
