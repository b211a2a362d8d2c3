// libFuzzer target over the scenario layer: any bytes, read as a YAML file, must give objects,
// scenarios or diagnostics, never a crash, a hang or unbounded memory; read as a Prometheus
// export, mapped onto a workload and fitted (kubetwin calibrate's path), likewise.
//   make fuzz FUZZ_SECONDS=600

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "models/fitting/bucket_fit.hpp"
#include "models/fitting/diurnal_fit.hpp"
#include "scenarios/manifest_loader.hpp"
#include "scenarios/prometheus_export.hpp"
#include "scenarios/scenario_parser.hpp"
#include "scenarios/yaml_source.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kt::scenario;
  const std::string text(reinterpret_cast<const char*>(data), size);
  Diagnostics diags;
  std::vector<YamlDocument> documents;
  load_yaml_text(text, "fuzz.yaml", documents, diags);
  ManifestSet set;
  read_manifests(documents, set, diags);
  check_manifest_set(set.objects, diags);
  for (const YamlDocument& doc : set.scenario_documents) {
    Scenario sc;
    try {
      parse_scenario(doc, sc, diags);
    } catch (const YAML::Exception&) {
      // load_paths reports these as diagnostics; the fuzzer looks for crashes only
    }
  }
  for (const Diagnostic& d : diags.all())
    (void)format_diagnostic(d);

  std::vector<PromSeries> series;
  Diagnostics prom;
  if (read_prometheus_text(text, "fuzz.json", series, prom)) {
    Scenario sc;
    Workload web;
    web.name = "web";
    web.target = {"v1", "Service", "web", {}};
    sc.workloads.push_back(web);
    std::vector<WorkloadObservation> observed;
    if (observe_workloads(sc, series, {}, observed, prom)) {
      for (const WorkloadObservation& o : observed) {
        std::vector<double> mid;
        for (double t : o.times)
          mid.push_back(t - o.window_start() - o.step_s / 2);
        if (o.step_s > 0) (void)kt::models::fit_diurnal(mid, o.rate, 86400, o.step_s);
        if (o.buckets.empty()) continue;
        std::vector<double> counts(o.bounds.size() + 1, 0.0);
        for (const std::vector<double>& row : o.buckets)
          for (std::size_t k = 0; k < row.size() && k < counts.size(); ++k)
            counts[k] += row[k] - (k ? row[k - 1] : 0.0);
        (void)kt::models::fit_lognormal(o.bounds, counts);
        (void)kt::models::fit_gamma(o.bounds, counts);
      }
    }
  }
  return 0;
}
