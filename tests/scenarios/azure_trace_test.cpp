// The Azure Functions 2019 trace format (scenarios/azure_trace.hpp) on the synthetic sample
// of data/traces/azure-synthetic (made by data/traces/make_azure_synthetic.py, seed 2019), and
// malformed files reported at their file:line:col.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include "scenarios/azure_trace.hpp"
#include "scenarios/loader.hpp"

namespace kt::scenario {
namespace {

namespace fs = std::filesystem;

const std::string kDir = std::string(KT_SOURCE_DIR) + "/data/traces/azure-synthetic/";
const std::string kInvocations = kDir + "invocations_per_function_md.anon.d01.csv";
const std::string kDurations = kDir + "function_durations_percentiles.anon.d01.csv";
// The sample's second function: timer-triggered every 5 minutes, first at minute 4.
const std::string kTimer = "06e57d456c9e86e77c1b3d9c5f6992e603b0af26639ffb6a63a0001f144c6973";

TEST(AzureTrace, ReadsTheSamplePopulation) {
  Diagnostics diags;
  std::vector<std::uint32_t> all;
  ASSERT_TRUE(load_azure_invocations(kInvocations, {}, "", all, diags));
  ASSERT_EQ(all.size(), 1440u);
  // Every row summed: the generator's total for seed 2019.
  EXPECT_EQ(std::accumulate(all.begin(), all.end(), std::uint64_t{0}), 3285128u);
  std::vector<std::uint32_t> timer;
  ASSERT_TRUE(load_azure_invocations(kInvocations, {}, kTimer, timer, diags));
  EXPECT_EQ(std::accumulate(timer.begin(), timer.end(), 0u), 288u);
  for (std::size_t m = 0; m < timer.size(); ++m)
    EXPECT_EQ(timer[m], (m + 1) % 5 == 4 ? 1u : 0u) << "minute " << m + 1;
  EXPECT_TRUE(diags.ok());
}

TEST(AzureTrace, DurationsFollowThePercentiles) {
  Diagnostics diags;
  Distribution d;
  ASSERT_TRUE(load_azure_durations(kDurations, {}, kTimer, d, diags));
  // Its row: percentiles 0, 1, 25, 50, 75, 99, 100 at 2.560, 4.717, 17.686, 30.324, 51.995,
  // 194.950, 359.224 ms. Of 40 000 draws the share below the 25th and 75th percentile must
  // lie within 3 standard errors (sqrt(p (1 - p) / n) = 0.0022) of 0.25 and 0.75.
  RandomStream rng(7, 0, 0);
  const int n = 40000;
  int below25 = 0;
  int below75 = 0;
  double lo = 1e9;
  double hi = 0;
  for (int i = 0; i < n; ++i) {
    const double s = d.sample(rng);
    below25 += s < 0.017686;
    below75 += s < 0.051995;
    lo = std::min(lo, s);
    hi = std::max(hi, s);
  }
  const double se = std::sqrt(0.25 * 0.75 / n);
  EXPECT_NEAR(below25 / static_cast<double>(n), 0.25, 3 * se);
  EXPECT_NEAR(below75 / static_cast<double>(n), 0.75, 3 * se);
  EXPECT_GE(lo, 0.002560);
  EXPECT_LE(hi, 0.359224);
}

// Quantiles at 0, 1, ..., 100 % of the uniform distribution on [lo, hi].
std::vector<double> uniform_quantiles(double lo, double hi) {
  std::vector<double> q;
  for (int i = 0; i <= 100; ++i)
    q.push_back(lo + (hi - lo) * i / 100.0);
  return q;
}

// An application's functions mixed by their invocations: uniform on [0, 10 ms] three times
// as often as uniform on [1 s, 2 s]. Closed forms: mean 0.75 x 0.005 + 0.25 x 1.5 = 0.37875 s;
// E[X^2] = 0.75 x 0.01^2 / 3 + 0.25 x 7 / 3; the share below 10 ms is 0.75.
TEST(AzureTrace, MixtureOfDurationsIsExact) {
  const std::vector<double> fast = uniform_quantiles(0, 0.01);
  const std::vector<double> slow = uniform_quantiles(1, 2);
  const Distribution d = mix_quantile_functions({&fast, &slow}, {30, 10});
  EXPECT_NEAR(d.mean(), 0.37875, 1e-12);
  EXPECT_NEAR(d.variance(), 0.75 * 1e-4 / 3 + 0.25 * 7.0 / 3 - 0.37875 * 0.37875, 1e-12);
  RandomStream rng(11, 0, 0);
  const int n = 40000;
  int below = 0;
  for (int i = 0; i < n; ++i)
    below += d.sample(rng) <= 0.01;
  EXPECT_NEAR(below / static_cast<double>(n), 0.75, 3 * std::sqrt(0.75 * 0.25 / n));
  // One function alone: its own distribution.
  const Distribution one = mix_quantile_functions({&slow}, {5});
  EXPECT_NEAR(one.mean(), 1.5, 1e-12);
  EXPECT_NEAR(one.variance(), 1.0 / 12, 1e-12);
}

std::string write(const std::string& name, const std::string& text) {
  const fs::path p = fs::temp_directory_path() / name;
  std::ofstream(p) << text;
  return p.string();
}

std::string header() {
  std::string h = "HashOwner,HashApp,HashFunction,Trigger";
  for (int m = 1; m <= 1440; ++m) {
    h += ',';
    h += std::to_string(m);
  }
  h += '\n';
  return h;
}

std::string row(const std::string& fn, const std::string& first) {
  std::string r = "o,a," + fn + ",http," + first;
  for (int m = 2; m <= 1440; ++m)
    r += ",0";
  return r + "\n";
}

std::string first_error(const std::string& path, const std::string& fn) {
  Diagnostics diags;
  std::vector<std::uint32_t> out;
  EXPECT_FALSE(load_azure_invocations(path, {"s.yaml", 9, 7}, fn, out, diags));
  return diags.all().empty() ? "" : format_diagnostic(diags.sorted().front());
}

TEST(AzureTrace, MalformedFilesAreErrorsAtTheirPlace) {
  const std::string bad_count =
      write("kt-azure-count.csv", header() + row("f", "3") + row("g", "x"));
  EXPECT_EQ(first_error(bad_count, ""),
            bad_count + ":3:12: error: invocations in minute 1 must be a count, got \"x\"");
  const std::string short_row = write("kt-azure-short.csv", header() + "o,a,f,http,1,2\n");
  EXPECT_EQ(first_error(short_row, ""),
            short_row + ":2:1: error: a row has 6 fields, the format 1444");
  const std::string bad_header = write("kt-azure-header.csv", "Owner,App,Function\n");
  EXPECT_EQ(first_error(bad_header, ""),
            bad_header +
                ":1:1: error: expected column 'HashOwner' of the Azure Functions 2019 format; "
                "hint: the header starts HashOwner,HashApp,HashFunction");
  const std::string fine = write("kt-azure-fine.csv", header() + row("f", "3"));
  EXPECT_EQ(first_error(fine, "zz"), "s.yaml:9:7: error: function zz is not in " + fine);
  EXPECT_EQ(first_error("/nonexistent/kt.csv", ""),
            "s.yaml:9:7: error: trace file /nonexistent/kt.csv not found; hint: a relative path "
            "is read from the scenario's folder");
  for (const char* f :
       {"kt-azure-count.csv", "kt-azure-short.csv", "kt-azure-header.csv", "kt-azure-fine.csv"})
    fs::remove(fs::temp_directory_path() / f);
}

// per: application folds an application's functions into one member (Azure's unit of warm-up):
// app A's f1 (every minute), f2 (2 calls in minute 1) and f3 (1 in minute 10, listed after
// app B) become one member whose counts add up and whose durations mix theirs by calls.
TEST(AzureTrace, PerApplicationFoldsAnApplicationsFunctions) {
  const fs::path dir = fs::temp_directory_path() / "kubetwin-azure-per-app";
  fs::create_directories(dir);
  // Every minute once (every_minute), or n calls in minute `at` only.
  const auto counts = [](bool every_minute, int at, int n) {
    std::ostringstream c;
    for (int m = 1; m <= 1440; ++m)
      c << ',' << (every_minute ? 1 : m == at ? n : 0);
    return c.str();
  };
  std::ofstream(dir / "inv.csv") << header() << "o,A,f1,http" << counts(true, 0, 0) << "\n"
                                 << "o,A,f2,http" << counts(false, 1, 2) << "\n"
                                 << "o,B,g,timer" << counts(false, 5, 1) << "\n"
                                 << "o,A,f3,queue" << counts(false, 10, 1) << "\n";
  const auto uniform_row = [](const std::string& fn, double lo, double hi) {
    std::ostringstream r;
    r << "o,x," << fn << ",1,1,1,1";
    for (double p : {0.0, 1.0, 25.0, 50.0, 75.0, 99.0, 100.0})
      r << ',' << lo + (hi - lo) * p / 100;
    r << '\n';
    return r.str();
  };
  std::ofstream(dir / "dur.csv")
      << "HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,"
         "percentile_Average_1,percentile_Average_25,percentile_Average_50,"
         "percentile_Average_75,percentile_Average_99,percentile_Average_100\n"
      << uniform_row("f1", 0, 10) << uniform_row("f2", 1000, 2000) << uniform_row("g", 0, 10)
      << uniform_row("f3", 100, 200);
  std::ofstream(dir / "fn.yaml")
      << "provider: {name: openfaas}\nfunctions:\n  fn: {lang: python3, image: x/fn:1}\n";
  const auto scenario = [&](const std::string& arrival) {
    std::ofstream(dir / "case.yaml")
        << "apiVersion: kubetwin.io/v1alpha1\nkind: Scenario\nmetadata: {name: c}\nspec:\n"
           "  duration: 1h\n  manifests: [fn.yaml]\n  workloads:\n"
           "    - name: pop\n      target: Function/fn\n      arrival: "
        << arrival << "\n";
    return (dir / "case.yaml").string();
  };
  {
    Diagnostics diags;
    Scenario sc;
    ASSERT_TRUE(load_scenario_file(
        scenario("{process: azureFunctions, invocations: inv.csv, durations: dur.csv, "
                 "function: '*', per: application}"),
        sc, diags))
        << (diags.all().empty() ? "" : format_diagnostic(diags.sorted().front()));
    ASSERT_EQ(sc.workloads.size(), 2u);
    EXPECT_EQ(sc.workloads[0].name, "pop/A");
    EXPECT_EQ(sc.workloads[1].name, "pop/B");
    const std::vector<std::uint32_t>& a = sc.workloads[0].arrival.per_minute;
    ASSERT_EQ(a.size(), 1440u);
    EXPECT_EQ(a[0], 3u);  // f1 + f2
    EXPECT_EQ(a[1], 1u);
    EXPECT_EQ(a[9], 2u);  // f1 + f3
    EXPECT_EQ(std::accumulate(a.begin(), a.end(), 0u), 1443u);
    EXPECT_EQ(std::accumulate(sc.workloads[1].arrival.per_minute.begin(),
                              sc.workloads[1].arrival.per_minute.end(), 0u),
              1u);
    // Durations mixed 1440 : 2 : 1 (uniform means 5 ms, 1.5 s, 150 ms).
    EXPECT_NEAR(sc.workloads[0].service.dist.mean(), (1440 * 0.005 + 2 * 1.5 + 0.15) / 1443, 1e-12);
    EXPECT_NEAR(sc.workloads[1].service.dist.mean(), 0.005, 1e-12);
  }
  {
    // per: function (the default) keeps one member per function.
    Diagnostics diags;
    Scenario sc;
    ASSERT_TRUE(load_scenario_file(
        scenario("{process: azureFunctions, invocations: inv.csv, function: '*', per: function}\n"
                 "      service: {distribution: deterministic, value: 10ms}"),
        sc, diags));
    EXPECT_EQ(sc.workloads.size(), 4u);
  }
  const auto first_error = [&](const std::string& arrival) -> std::string {
    Diagnostics diags;
    Scenario sc;
    EXPECT_FALSE(load_scenario_file(
        scenario(arrival + "\n      service: {distribution: deterministic, value: 10ms}"), sc,
        diags));
    return diags.all().empty() ? "" : format_diagnostic(diags.sorted().front());
  };
  const std::string file = (dir / "case.yaml").string();
  EXPECT_EQ(first_error("{process: azureFunctions, invocations: inv.csv, per: application}"),
            file +
                ":10:69: error: spec.workloads[0].arrival.per applies to a whole population; "
                "hint: add function: \"*\"");
  EXPECT_EQ(first_error("{process: azureFunctions, invocations: inv.csv, function: '*', per: app}"),
            file +
                ":10:84: error: spec.workloads[0].arrival.per must be function or "
                "application, not 'app'");
  // A function of an application without a durations row: an error at the durations key.
  std::ofstream(dir / "short.csv")
      << "HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,"
         "percentile_Average_1,percentile_Average_25,percentile_Average_50,"
         "percentile_Average_75,percentile_Average_99,percentile_Average_100\n"
      << uniform_row("f1", 0, 10) << uniform_row("f2", 1000, 2000) << uniform_row("g", 0, 10);
  Diagnostics diags;
  Scenario sc;
  EXPECT_FALSE(load_scenario_file(
      scenario("{process: azureFunctions, invocations: inv.csv, durations: short.csv, "
               "function: '*', per: application}"),
      sc, diags));
  const std::string want = file + ":10:75: error: function f3 of inv.csv has no durations";
  const auto& all = diags.all();
  const bool named = std::any_of(all.begin(), all.end(),
                                 [&](const Diagnostic& d) { return format_diagnostic(d) == want; });
  EXPECT_TRUE(named) << (diags.all().empty() ? "" : format_diagnostic(diags.sorted().back()));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace kt::scenario
