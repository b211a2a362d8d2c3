// Edge sites as a user writes them (docs/scenario.md, "Edge sites"): uplinks, bandwidth,
// outage processes and traces, buffers, linkOutage faults, into the fleet's configuration;
// and the errors a bad outage trace gets, at its file:line:col.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "scenarios/loader.hpp"
#include "scenarios/run_plan.hpp"

namespace kt::scenario {
namespace {

namespace fs = std::filesystem;

constexpr const char* kManifest = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: web:1}]}
)";

std::string scenario(const std::string& sites, const std::string& extra = "") {
  return "apiVersion: kubetwin.io/v1alpha1\nkind: Scenario\nmetadata: {name: t}\nspec:\n"
         "  duration: 1h\n  manifests: [m.yaml]\n  infrastructure:\n    regions:\n"
         "      - {name: us-east, nodePools: [{name: p, count: 1, cpu: \"4\", memory: 8Gi}]}\n"
         "      - {name: eu-west, nodePools: [{name: p, count: 1, cpu: \"4\", memory: 8Gi}]}\n"
         "    network: {latency: {us-east~eu-west: 80ms}}\n    edgeSites:\n" +
         sites +
         "  workloads:\n    - {name: w, target: Deployment/web, origin: f1, arrival: {process: "
         "poisson, rate: 1/s}, service: {distribution: exponential, mean: 10ms}}\n" +
         extra;
}

struct Loaded {
  std::vector<RunPlan> plans;
  std::vector<std::string> errors;
};

Loaded load(const std::string& text, const std::string& trace = "") {
  const fs::path dir =
      fs::temp_directory_path() / ("kubetwin-edge-plan-" + std::to_string(::getpid()) + "-" +
                                   std::to_string(std::hash<std::string>{}(text + trace)));
  fs::create_directories(dir);
  std::ofstream(dir / "m.yaml") << kManifest;
  std::ofstream(dir / "s.yaml") << text;
  if (!trace.empty()) std::ofstream(dir / "out.csv") << trace;
  Loaded out;
  Diagnostics diags;
  Scenario sc;
  const std::string cwd = fs::current_path();
  fs::current_path(dir);
  if (load_scenario_file("s.yaml", sc, diags)) {
    for (const Policy& p : sc.policies) {
      RunPlan rp;
      if (build_run_plan(sc, p, rp, diags)) out.plans.push_back(std::move(rp));
    }
  }
  fs::current_path(cwd);
  fs::remove_all(dir);
  for (const Diagnostic& d : diags.sorted()) {
    if (d.severity == Severity::error) out.errors.push_back(format_diagnostic(d));
  }
  return out;
}

TEST(EdgePlan, UplinksBandwidthOutagesAndBuffersReachTheFleet) {
  const Loaded l =
      load(scenario("      - name: f1\n"
                    "        buffer: 42\n"
                    "        uplinks:\n"
                    "          - {region: us-east, latency: 15ms, bandwidth: 2Mi, outage: {meanUp: "
                    "4h, meanDown: 10m}}\n"
                    "          - {region: eu-west, latency: 60ms, outage: {trace: out.csv}}\n",
                    "  faults:\n    - {at: 20m, kind: linkOutage, target: f1, duration: 5m}\n"
                    "  policies:\n    - {name: a}\n    - {name: b, edgeOutage: tolerate, "
                    "edgeBuffer: 7}\n"),
           "start,end\n# a comment\n10m,15m\n1800, 2400\n");
  ASSERT_TRUE(l.errors.empty()) << l.errors.front();
  ASSERT_EQ(l.plans.size(), 2u);
  const models::FleetConfig& f = l.plans[0].fleet_config;
  ASSERT_EQ(f.places.size(), 3u);
  EXPECT_EQ(f.places[2].cluster, 0);  // its first uplink's region
  EXPECT_EQ(f.places[2].buffer, 42u);
  EXPECT_EQ(l.plans[1].fleet_config.places[2].buffer, 7u);
  EXPECT_EQ(f.edge.mode, edge::OutageMode::evict);
  EXPECT_EQ(l.plans[1].fleet_config.edge.mode, edge::OutageMode::tolerate);
  // The network's link, then the two uplinks.
  ASSERT_EQ(f.links.size(), 3u);
  EXPECT_EQ(f.links[1].a, 2u);
  EXPECT_EQ(f.links[1].b, 0u);
  EXPECT_EQ(f.links[1].latency, 15 * kMillisecond);
  EXPECT_DOUBLE_EQ(f.links[1].bytes_per_s, 2.0 * 1024 * 1024);
  EXPECT_EQ(f.links[2].b, 1u);
  EXPECT_EQ(f.links[2].bytes_per_s, 0);
  // The on/off process, the trace, then the fault on both uplinks.
  ASSERT_EQ(f.edge.outages.size(), 4u);
  EXPECT_EQ(f.edge.outages[0].link, 1u);
  EXPECT_EQ(f.edge.outages[0].mean_up, 4 * kHour);
  EXPECT_EQ(f.edge.outages[0].mean_down, 10 * kMinute);
  EXPECT_EQ(f.edge.outages[1].link, 2u);
  EXPECT_EQ(f.edge.outages[1].intervals,
            (std::vector<std::pair<SimTime, SimTime>>{{10 * kMinute, 15 * kMinute},
                                                      {30 * kMinute, 40 * kMinute}}));
  EXPECT_EQ(f.edge.outages[2].intervals.front(), std::make_pair(20 * kMinute, 25 * kMinute));
  EXPECT_EQ(f.edge.outages[3].link, 2u);
  // Nothing about the edge is left unsimulated.
  for (const std::string& n : l.plans[0].not_simulated)
    EXPECT_EQ(n.find("f1"), std::string::npos) << n;
}

TEST(EdgePlan, BadOutageTracesAreErrorsAtTheirLine) {
  const std::string site =
      "      - name: f1\n        uplink: {region: us-east, outage: {trace: out.csv}}\n";
  const struct {
    const char* trace;
    const char* error;
  } cases[] = {
      {"start,end\n10m,5m\n", "out.csv:2:5: error: an outage must end after it starts"},
      {"start,end\n10m,20m\n15m,30m\n",
       "out.csv:3:1: error: outages must be in time order and not overlap"},
      {"start,end\n10m,soon\n",
       "out.csv:2:5: error: 'soon' is not a time from the start of the run; hint: write a "
       "duration such as 2h, 90m or 3600 (seconds)"},
      {"start,end\n10m\n", "out.csv:2:1: error: a row must be 'start,end'"},
      {"begin\n", "out.csv:1:1: error: a row must be 'start,end'"},
  };
  for (const auto& c : cases) {
    const Loaded l = load(scenario(site), c.trace);
    ASSERT_FALSE(l.errors.empty()) << c.trace;
    EXPECT_EQ(l.errors.front(), c.error) << c.trace;
  }
  const Loaded missing = load(scenario(site));
  ASSERT_FALSE(missing.errors.empty());
  EXPECT_NE(missing.errors.front().find("s.yaml:14:51:"), std::string::npos)
      << missing.errors.front();
  EXPECT_NE(missing.errors.front().find("outage trace"), std::string::npos);
}

TEST(EdgePlan, UplinkMistakesAreErrors) {
  const Loaded both =
      load(scenario("      - name: f1\n        uplink: {region: us-east}\n"
                    "        uplinks: [{region: eu-west}]\n"));
  ASSERT_FALSE(both.errors.empty());
  EXPECT_EQ(both.errors.front(),
            "s.yaml:15:18: error: spec.infrastructure.edgeSites[0] has both 'uplink' and "
            "'uplinks'; hint: list every uplink under 'uplinks'");
  const Loaded twice = load(scenario(
      "      - name: f1\n        uplinks: [{region: us-east}, {region: us-east, latency: 5ms}]\n"));
  ASSERT_FALSE(twice.errors.empty());
  EXPECT_NE(twice.errors.front().find("has two uplinks to 'us-east'"), std::string::npos)
      << twice.errors.front();
  const Loaded bandwidth =
      load(scenario("      - name: f1\n        uplink: {region: us-east, bandwidth: \"0\"}\n"));
  ASSERT_FALSE(bandwidth.errors.empty());
  EXPECT_NE(bandwidth.errors.front().find("bandwidth must be above 0"), std::string::npos)
      << bandwidth.errors.front();
  const Loaded neither =
      load(scenario("      - name: f1\n        uplink: {region: us-east, outage: {}}\n"));
  ASSERT_FALSE(neither.errors.empty());
  EXPECT_NE(neither.errors.front().find("needs meanUp and meanDown, or a trace"), std::string::npos)
      << neither.errors.front();
}

}  // namespace
}  // namespace kt::scenario
