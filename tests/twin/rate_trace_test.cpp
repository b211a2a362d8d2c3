// rateTrace: an observed rate curve replayed as a non-homogeneous Poisson process. The count
// in each interval is Poisson with mean rate x length (checked within 3 standard deviations),
// nothing arrives where the rate is 0, and the file format reads back what it writes.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "engine/random.hpp"
#include "models/workload/arrival_process.hpp"
#include "scenarios/rate_trace.hpp"

namespace kt {
namespace {

namespace fs = std::filesystem;

fs::path write(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("kt-rates-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / name) << text;
  return dir / name;
}

TEST(RateTrace, CountsPerIntervalArePoissonWithTheTracesRates) {
  scenario::RateTrace trace;
  scenario::Diagnostics diags;
  // Unix timestamps are shifted to start at 0; the last interval is as long as the one before.
  ASSERT_TRUE(scenario::load_rate_trace(
      write("r.csv", "start,rate\n1795996800,20\n1795997400,0\n1795998000,2.5 # quiet\n").string(),
      {"s.yaml", 1, 1}, trace, diags));
  ASSERT_EQ(trace.starts, (std::vector<SimTime>{0, 600 * kSecond, 1200 * kSecond}));
  EXPECT_EQ(trace.span, 1800 * kSecond);
  models::ArrivalConfig c;
  c.process = models::ArrivalConfig::Process::rate_trace;
  c.rate_starts = &trace.starts;
  c.rates = &trace.rates;
  c.rate_span = trace.span;
  EXPECT_DOUBLE_EQ(models::mean_arrival_rate(c, trace.span), (20 * 600 + 2.5 * 600) / 1800.0);
  // The rate a forecast of the curve reads at a time: the interval's, the trace repeating.
  EXPECT_DOUBLE_EQ(models::arrival_rate_at(c, 599 * kSecond, trace.span), 20);
  EXPECT_DOUBLE_EQ(models::arrival_rate_at(c, 600 * kSecond, trace.span), 0);
  EXPECT_DOUBLE_EQ(models::arrival_rate_at(c, 1800 * kSecond + 1300 * kSecond, trace.span), 2.5);
  models::ArrivalProcess p(c);
  RandomStream rng(3, 0, 0);
  // Ten repetitions of the 30-minute trace.
  std::vector<double> counts(3, 0.0);
  for (SimTime t = p.next(0, rng); t < 10 * trace.span; t = p.next(t, rng))
    counts[static_cast<std::size_t>(t % trace.span / (600 * kSecond))] += 1;
  EXPECT_NEAR(counts[0], 120000, 3 * std::sqrt(120000.0));
  EXPECT_EQ(counts[1], 0) << "no arrival where the rate is 0";
  EXPECT_NEAR(counts[2], 15000, 3 * std::sqrt(15000.0));
  // What rate_trace_csv writes reads back the same.
  scenario::RateTrace again;
  ASSERT_TRUE(scenario::load_rate_trace(write("w.csv", scenario::rate_trace_csv(trace)).string(),
                                        {"s.yaml", 1, 1}, again, diags));
  EXPECT_EQ(again.starts, trace.starts);
  EXPECT_EQ(again.rates, trace.rates);
  EXPECT_EQ(again.span, trace.span);
}

TEST(RateTrace, BadLinesAreErrorsAtTheirPlace) {
  const auto first = [](const std::string& text) {
    scenario::RateTrace trace;
    scenario::Diagnostics diags;
    EXPECT_FALSE(
        scenario::load_rate_trace(write("b.csv", text).string(), {"s.yaml", 4, 9}, trace, diags));
    const scenario::Diagnostic& d = diags.all().at(0);
    return fs::path(d.pos.file).filename().string() + ":" + std::to_string(d.pos.line) + ":" +
           std::to_string(d.pos.column) + ": " + d.message;
  };
  EXPECT_EQ(first("0,1\n60,fast\n"), "b.csv:2:4: not a rate: \"fast\"");
  EXPECT_EQ(first("0,1\n60,-1\n"), "b.csv:2:4: not a rate: \"-1\"");
  EXPECT_EQ(first("0,1\n0,2\n"), "b.csv:2:1: start times must increase");
  EXPECT_EQ(first("start,rate\nsoon,1\n"), "b.csv:2:1: not a start time: \"soon\"");
  EXPECT_EQ(first("0,1\n60\n"), "b.csv:2:3: a rate trace line needs `start,rate`");
  EXPECT_EQ(first("0,0\n60,0\n").substr(0, 8), "s.yaml:4") << "all-zero: at the scenario's field";
  EXPECT_EQ(first("0,1\n").substr(0, 8), "s.yaml:4") << "one row has no length";
}

// A diurnal curve's rate at a time: mean x (1 + amplitude x sin(2 pi t / period + phase)),
// the peak a quarter period in, the trough at three quarters; Poisson's is its rate.
TEST(ArrivalRateAt, DiurnalCurveAndPoisson) {
  models::ArrivalConfig c;
  c.process = models::ArrivalConfig::Process::diurnal;
  c.rate_per_s = 40;
  c.amplitude = 0.6;
  c.period = 24 * kHour;
  EXPECT_NEAR(models::arrival_rate_at(c, 6 * kHour, kDay), 64, 1e-9);
  EXPECT_NEAR(models::arrival_rate_at(c, 18 * kHour, kDay), 16, 1e-9);
  EXPECT_NEAR(models::arrival_rate_at(c, 24 * kHour + 12 * kHour, kDay), 40, 1e-9);
  c.process = models::ArrivalConfig::Process::poisson;
  EXPECT_DOUBLE_EQ(models::arrival_rate_at(c, 6 * kHour, kDay), 40);
}

}  // namespace
}  // namespace kt
