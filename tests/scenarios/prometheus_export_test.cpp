// Prometheus exports: what is read, how series map onto workloads, and the exact message of
// every bad export (kubetwin calibrate and backtest exit 2 with these).

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "scenarios/loader.hpp"
#include "scenarios/prometheus_export.hpp"

namespace kt::scenario {
namespace {

namespace fs = std::filesystem;

fs::path temp_file(const std::string& name, const std::string& text) {
  const fs::path dir = fs::temp_directory_path() / ("kt-prom-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / name) << text;
  return dir / name;
}

// A scenario with one workload aimed at Service shop/web, which selects Deployment web.
Scenario web_scenario() {
  const fs::path dir = temp_file("m.yaml", R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template: {metadata: {labels: {app: web}}, spec: {containers: [{name: web, image: web}]}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
)")
                           .parent_path();
  const fs::path sc = temp_file("s.yaml", R"(apiVersion: kubetwin.io/v1alpha1
kind: Scenario
metadata: {name: t}
spec:
  duration: 1h
  manifests: [m.yaml]
  workloads:
    - {name: web, target: Service/web, arrival: {process: poisson, rate: 1/s}, service: {distribution: exponential, mean: 10ms}}
)");
  (void)dir;
  Scenario out;
  Diagnostics diags;
  EXPECT_TRUE(load_scenario_file(sc.string(), out, diags));
  return out;
}

std::string matrix(const std::string& series) {
  return R"({"status":"success","data":{"resultType":"matrix","result":[)" + series + "]}}";
}

const std::string kRate =
    R"({"metric":{"namespace":"shop","service":"web"},"values":[[1000,"2"],[1060,"4"],[1120,"3"]]})";

std::string bucket(const std::string& le, const std::string& a, const std::string& b,
                   const std::string& c) {
  return R"({"metric":{"namespace":"shop","service":"web","le":")" + le +
         R"("},"values":[[1000,")" + a + R"("],[1060,")" + b + R"("],[1120,")" + c + R"("]]})";
}

// The first error's "file:line:col: message" (file without its folder), or "" when none.
std::string first_error(const std::string& text, bool observe = false) {
  const fs::path p = temp_file("e.json", text);
  Diagnostics diags;
  std::vector<PromSeries> series;
  bool ok = read_prometheus_export(p.string(), series, diags);
  if (ok && observe) {
    std::vector<WorkloadObservation> obs;
    ok = observe_workloads(web_scenario(), series, {}, obs, diags);
  }
  for (const Diagnostic& d : diags.all()) {
    if (d.severity != Severity::error) continue;
    return fs::path(d.pos.file).filename().string() + ":" + std::to_string(d.pos.line) + ":" +
           std::to_string(d.pos.column) + ": " + d.message;
  }
  return ok ? "" : "failed without an error";
}

TEST(PrometheusExport, MapsRatesBucketsAndReplicasOntoTheWorkload) {
  const fs::path p = temp_file(
      "ok.json",
      matrix(
          kRate + "," + bucket("0.1", "10", "20", "30") + "," + bucket("+Inf", "12", "24", "31") +
          R"(,{"metric":{"__name__":"kube_deployment_status_replicas","deployment":"web","namespace":"shop","service":"kube-state-metrics"},"values":[[1000,"2"],[1120,"3"]]})" +
          R"(,{"metric":{"namespace":"other","service":"web"},"values":[[1000,"99"]]})"));
  Diagnostics diags;
  std::vector<PromSeries> series;
  ASSERT_TRUE(read_prometheus_export(p.string(), series, diags));
  ASSERT_EQ(series.size(), 5u);
  std::vector<WorkloadObservation> obs;
  ASSERT_TRUE(observe_workloads(web_scenario(), series, {}, obs, diags));
  ASSERT_EQ(obs.size(), 1u);
  const WorkloadObservation& o = obs[0];
  EXPECT_EQ(o.step_s, 60);
  EXPECT_EQ(o.window_start(), 940);
  EXPECT_EQ(o.rate, (std::vector<double>{2, 4, 3})) << "the other namespace's series is not web's";
  EXPECT_EQ(o.bounds, std::vector<double>{0.1});
  EXPECT_EQ(o.buckets[1], (std::vector<double>{20, 24}));
  ASSERT_EQ(o.replicas.size(), 3u);
  EXPECT_EQ(o.replicas[0], 2);
  EXPECT_TRUE(std::isnan(o.replicas[1])) << "no sample at 1060";
  EXPECT_EQ(o.replicas[2], 3);
}

TEST(PrometheusExport, ReadyReplicasArePreferredAndOtherGaugesIgnored) {
  const auto gauge = [](const std::string& name, const std::string& v) {
    return R"({"metric":{"__name__":")" + name +
           R"(","deployment":"web","namespace":"shop"},"values":[[1000,")" + v + R"("]]})";
  };
  const fs::path p =
      temp_file("gauges.json",
                matrix(kRate + "," + gauge("kube_deployment_status_replicas_unavailable", "9") +
                       "," + gauge("kube_deployment_status_replicas", "5") + "," +
                       gauge("kube_deployment_status_replicas_ready", "4") + "," +
                       gauge("kube_deployment_status_replicas_available", "3")));
  Diagnostics diags;
  std::vector<PromSeries> series;
  ASSERT_TRUE(read_prometheus_export(p.string(), series, diags));
  std::vector<WorkloadObservation> obs;
  ASSERT_TRUE(observe_workloads(web_scenario(), series, {}, obs, diags));
  ASSERT_EQ(obs[0].rate.size(), 3u) << "no gauge is read as a request rate";
  EXPECT_EQ(obs[0].replicas[0], 4) << "ready replicas are what the twin counts";
}

TEST(PrometheusExport, RawCountersAreDifferenced) {
  const fs::path p = temp_file(
      "raw.json",
      matrix(
          R"({"metric":{"__name__":"http_requests_total","service":"web"},"values":[[0,"100"],[60,"160"],[120,"40"]]})"));
  Diagnostics diags;
  std::vector<PromSeries> series;
  ASSERT_TRUE(read_prometheus_export(p.string(), series, diags));
  std::vector<WorkloadObservation> obs;
  ASSERT_TRUE(observe_workloads(web_scenario(), series, {}, obs, diags));
  // 60 requests in the first minute; then a counter reset: 40 since it.
  EXPECT_EQ(obs[0].rate, (std::vector<double>{1.0, 40.0 / 60}));
  EXPECT_EQ(obs[0].times, (std::vector<double>{60, 120}));
}

TEST(PrometheusExport, BadExportsHaveExactMessages) {
  EXPECT_EQ(first_error(R"({"status":"success","data":{"resultType":"vector","result":[]}})"),
            "e.json:1:42: not a query_range answer: data.resultType is \"vector\", not \"matrix\"");
  EXPECT_EQ(first_error(R"({"status":"error","errorType":"bad_data","error":"parse error"})"),
            "e.json:1:11: the export is Prometheus's error answer: parse error");
  EXPECT_EQ(first_error(R"({"data":{}})"),
            "e.json:1:1: not a Prometheus API answer: it has no \"status\"");
  EXPECT_EQ(first_error(matrix(R"({"metric":{"service":"web"},"values":[[0,"1"],[60,"abc"]]})")),
            "e.json:1:111: series {service=\"web\"}: value \"abc\" at t=60 is not a number");
  EXPECT_EQ(first_error(matrix(R"({"metric":{"service":"web"},"values":[[0,"NaN"]]})")),
            "e.json:1:102: series {service=\"web\"}: NaN at t=0");
  EXPECT_EQ(first_error(matrix(R"({"metric":{"service":"web"},"values":[[60,"1"],[0,"1"]]})")),
            "e.json:1:109: series {service=\"web\"}: sample times must increase (t=0 after t=60)");
  EXPECT_EQ(first_error(matrix(R"({"metric":{"service":"web"}})")),
            "e.json:1:61: a series needs \"metric\" (its labels) and \"values\" (its samples)");
  // Mapping onto the workload.
  EXPECT_EQ(
      first_error(matrix(R"({"metric":{"service":"api"},"values":[[0,"1"],[60,"1"]]})"), true),
      "s.yaml:8:7: no request-rate series for workload web (service=\"web\", namespace "
      "\"shop\") in the exports");
  EXPECT_EQ(
      first_error(matrix(kRate + "," + bucket("0.5", "10", "20", "30") + "," +
                         bucket("0.1", "10", "25", "30") + "," + bucket("+Inf", "12", "26", "31")),
                  true),
      "e.json:1:153: latency buckets of workload web are not cumulative at t=1060: "
      "le=\"0.5\" counts 20.000000, less than le=\"0.1\"'s 25.000000");
  EXPECT_EQ(first_error(matrix(kRate + "," + bucket("0.1", "1", "2", "3")), true),
            "e.json:1:153: the latency buckets of workload web have no le=\"+Inf\" series");
  EXPECT_EQ(first_error(matrix(kRate + "," + bucket("fast", "1", "2", "3")), true),
            "e.json:1:153: series {le=\"fast\", namespace=\"shop\", service=\"web\"}: le=\"fast\" "
            "is not a bucket bound (seconds > 0, or +Inf)");
}

TEST(PrometheusExport, NotJsonIsAParseErrorAtItsPlace) {
  EXPECT_EQ(first_error("{\"status\": \"success\", \"data\": [1, 2\n"),
            "e.json:2:1: invalid JSON: end of sequence flow not found");
}

}  // namespace
}  // namespace kt::scenario
