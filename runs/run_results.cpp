#include "runs/run_results.hpp"

namespace kt::runs {

bool RunResults::all_slos_pass() const {
  for (const SloVerdict& v : slos) {
    if (!v.pass) return false;
  }
  return true;
}

void summarize_runs(RunResults& results, const std::vector<scenario::Slo>& slos) {
  for (const std::string& policy : results.policies) {
    std::map<std::string, std::vector<double>> values;
    for (const RunRecord& run : results.runs) {
      if (run.policy != policy) continue;
      for (const auto& [key, value] : run.metrics)
        values[key].push_back(value);
    }
    auto& out = results.summary[policy];
    for (const auto& [key, list] : values)
      out[key] = summarize(list);
  }
  for (const scenario::Slo& slo : slos) {
    for (const std::string& policy : results.policies) {
      SloVerdict v;
      v.metric = slo.metric;
      v.policy = policy;
      v.max = slo.max;
      v.min = slo.min;
      const auto& summary = results.summary[policy];
      const auto it = summary.find(slo.metric);
      if (it != summary.end()) {
        v.value = it->second.mean;
        v.pass = (!slo.max || *v.value <= *slo.max) && (!slo.min || *v.value >= *slo.min);
      }
      results.slos.push_back(v);
    }
  }
}

}  // namespace kt::runs
