// The Azure Functions 2019 trace format (scenarios/azure_trace.hpp) on the synthetic sample
// of data/traces/azure-synthetic (made by data/traces/make_azure_synthetic.py, seed 2019), and
// malformed files reported at their file:line:col.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "scenarios/azure_trace.hpp"

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

}  // namespace
}  // namespace kt::scenario
