// Fleet-level kinds: MultiClusterDeployment (multicloud placement), IntelligentDeployment
// (predictive scaling), and GitOpsPolicy (accepted, not simulated).

#include <cmath>

#include "scenarios/kind_registry.hpp"

namespace kt::scenario {

namespace {

void parse_multicluster_deployment(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  MultiClusterDeploymentSpec spec;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "MultiClusterDeployment has no 'spec'");
    return;
  }
  if (s["template"]) {
    read_pod_template(s["template"], spec.pod, r, "spec.template");
  } else {
    r.error(s, "MultiClusterDeployment spec has no 'template'");
  }
  if (s["replicas"]) {
    if (auto n = r.integer(s["replicas"], "spec.replicas", 0, 100000)) spec.replicas = *n;
  }
  const YAML::Node placement = s["placement"];
  if (!placement) {
    r.error(s, "MultiClusterDeployment spec has no 'placement'");
    obj.spec = std::move(spec);
    return;
  }
  if (!r.expect_map(placement, "spec.placement")) return;
  if (placement["strategy"]) {
    if (auto v = r.string(placement["strategy"], "spec.placement.strategy")) {
      if (*v == "weighted" || *v == "cost-optimized" || *v == "latency-optimized" ||
          *v == "spread") {
        spec.strategy = *v;
      } else {
        r.error(placement["strategy"], "unknown placement strategy '" + *v + "'",
                "use weighted, cost-optimized, latency-optimized or spread");
      }
    }
  }
  if (const YAML::Node regions = placement["regions"];
      regions && r.expect_sequence(regions, "spec.placement.regions")) {
    double total = 0;
    bool all_weighted = true;
    for (const YAML::Node& item : regions) {
      if (!r.expect_map(item, "spec.placement.regions[]")) continue;
      RegionWeight rw;
      rw.pos = r.pos(item);
      if (auto n = item["name"] ? r.string(item["name"], "spec.placement.regions[].name")
                                : std::nullopt) {
        rw.name = *n;
      } else {
        if (!item["name"]) r.error(item, "spec.placement.regions[] has no 'name'");
        continue;
      }
      for (const RegionWeight& other : spec.regions) {
        if (other.name == rw.name)
          r.error(item["name"], "region '" + rw.name + "' is listed twice");
      }
      if (item["weight"]) {
        // Weights are written as percentages ("40%"); a bare number is read as percent too.
        const YAML::Node w = item["weight"];
        if (w.IsScalar() && !w.Scalar().empty() && w.Scalar().back() != '%') {
          if (auto n = r.number(w, "spec.placement.regions[].weight", 0, 100)) rw.weight = *n / 100;
        } else if (auto p = r.percentage(w, "spec.placement.regions[].weight")) {
          rw.weight = *p;
        }
      }
      if (rw.weight) {
        total += *rw.weight;
      } else {
        all_weighted = false;
      }
      spec.regions.push_back(std::move(rw));
    }
    if (all_weighted && !spec.regions.empty() && std::fabs(total - 1.0) > 1e-9) {
      r.warning(
          regions,
          "region weights add up to " + std::to_string(std::lround(total * 100)) + "%, not 100%",
          "kubetwin normalises them to their sum");
    }
  }
  obj.spec = std::move(spec);
}

void parse_intelligent_deployment(const YAML::Node& root, ManifestObject& obj, YamlReader& r) {
  IntelligentDeploymentSpec spec;
  const YAML::Node s = root["spec"];
  if (!s || !r.expect_map(s, "spec")) {
    if (!s) r.error(root, "IntelligentDeployment has no 'spec'");
    return;
  }
  r.check_keys(
      s,
      {"replicas", "scalingPolicy", "resourceOptimization", "selfHealing", "template", "selector"},
      "spec", Severity::warning);
  if (const YAML::Node rep = s["replicas"]) {
    if (rep.IsScalar() && rep.Scalar() == "auto") {
      spec.auto_replicas = true;
    } else if (auto n = r.integer(rep, "spec.replicas", 0, 100000)) {
      spec.replicas = *n;
    }
  }
  if (const YAML::Node p = s["scalingPolicy"]; p && r.expect_map(p, "spec.scalingPolicy")) {
    if (p["type"]) {
      auto t = r.string(p["type"], "spec.scalingPolicy.type");
      if (t && (*t == "predictive" || *t == "reactive")) {
        spec.scaling_type = *t;
      } else if (t) {
        r.error(p["type"], "unknown scalingPolicy.type '" + *t + "'", "use predictive or reactive");
      }
    }
    if (p["predictionWindow"]) {
      if (auto d = r.duration(p["predictionWindow"], "spec.scalingPolicy.predictionWindow", kMinute,
                              30 * kDay)) {
        spec.prediction_window = *d;
      }
    }
    if (spec.scaling_type == "predictive" && spec.prediction_window == 0) {
      r.error(p, "predictive scaling needs a predictionWindow");
    }
  }
  if (const YAML::Node o = s["resourceOptimization"];
      o && r.expect_map(o, "spec.resourceOptimization")) {
    if (o["enabled"]) {
      if (auto b = r.boolean(o["enabled"], "spec.resourceOptimization.enabled")) {
        spec.optimization_enabled = *b;
      }
    }
    if (o["strategy"]) {
      auto t = r.string(o["strategy"], "spec.resourceOptimization.strategy");
      if (t && (*t == "cost-effective" || *t == "performance" || *t == "balanced")) {
        spec.optimization_strategy = *t;
      } else if (t) {
        r.error(o["strategy"], "unknown resourceOptimization.strategy '" + *t + "'",
                "use cost-effective, performance or balanced");
      }
    }
  }
  if (const YAML::Node h = s["selfHealing"]; h && r.expect_map(h, "spec.selfHealing")) {
    if (h["enabled"]) {
      if (auto b = r.boolean(h["enabled"], "spec.selfHealing.enabled")) spec.self_healing = *b;
    }
    if (h["recoveryTimeObjective"]) {
      if (auto d = r.duration(h["recoveryTimeObjective"], "spec.selfHealing.recoveryTimeObjective",
                              kSecond, kDay)) {
        spec.recovery_time_objective = *d;
      }
    }
  }
  if (s["template"]) {
    PodTemplate pod;
    read_pod_template(s["template"], pod, r, "spec.template");
    spec.pod = std::move(pod);
  } else {
    r.warning(s, "IntelligentDeployment has no pod template",
              "kubetwin sizes its pods from the workload's service time; add spec.template to "
              "give them resource requests");
  }
  obj.spec = std::move(spec);
}

// The seed's proposal: replicas "auto" sized by the forecaster (resourceOptimization picks
// the utilisation target), self-healing measured against its RTO.
void plan_intelligent_deployment(const ManifestObject& obj, PlanContext& ctx,
                                 models::FleetDeployment& d) {
  const auto& spec = std::get<IntelligentDeploymentSpec>(obj.spec);
  if (spec.pod) {
    apply_pod(*spec.pod, ctx.policy.objects, d);
  } else {
    d.cpu_milli = 100;
    d.memory_bytes = 128LL << 20;
    d.image = obj.name;
  }
  d.places = {ctx.home};
  d.replicas = spec.auto_replicas ? 1 : static_cast<std::uint32_t>(spec.replicas);
  if (spec.auto_replicas || spec.scaling_type == "predictive") {
    autoscaling::HpaConfig c;
    c.min_replicas = 1;
    c.max_replicas = 1000;
    c.metrics.front().target_milli = spec.optimization_strategy == "performance" ? 50
                                     : spec.optimization_strategy == "balanced"  ? 65
                                                                                 : 80;
    // An HPA with upstream's default behavior (no such controller exists upstream; this is
    // the closest one).
    c.behavior = autoscaling::Behavior{};
    d.hpa = c;
    d.always_predictive = spec.scaling_type == "predictive";
    if (spec.prediction_window > 0) ctx.fleet.forecast_season = spec.prediction_window;
  }
  if (spec.self_healing) d.recovery_time_objective = spec.recovery_time_objective;
}

// Replicas spread over the regions it names, by the policy's placement or its own strategy.
void plan_multicluster_deployment(const ManifestObject& obj, PlanContext& ctx,
                                  models::FleetDeployment& d) {
  const auto& spec = std::get<MultiClusterDeploymentSpec>(obj.spec);
  apply_pod(spec.pod, ctx.policy.objects, d);
  for (const RegionWeight& rw : spec.regions) {
    const auto p = ctx.place_index.find(rw.name);
    if (p == ctx.place_index.end()) {
      ctx.diags.error(rw.pos, obj.id() + " places pods in '" + rw.name +
                                  "', which is not a region of spec.infrastructure");
      ctx.ok = false;
      continue;
    }
    d.places.push_back(p->second);
    d.weights.push_back(rw.weight.value_or(1.0));
  }
  d.replicas = static_cast<std::uint32_t>(
      spec.replicas > 0 ? spec.replicas : static_cast<std::int64_t>(d.places.size()));
  const std::string strategy = !ctx.policy.placement.empty() ? ctx.policy.placement
                               : !spec.strategy.empty()      ? spec.strategy
                                                             : std::string("weighted");
  d.placement = *placement_strategy(strategy);
}

}  // namespace

void register_fleet_kinds(KindRegistry& registry) {
  KindHandler mcd{"multicluster.x-k8s.io",
                  {"v1alpha1"},
                  "MultiClusterDeployment",
                  "multicloud",
                  "",
                  parse_multicluster_deployment,
                  true,
                  "multicluster.x-k8s.io serves no MultiClusterDeployment upstream (SIG "
                  "Multicluster defines ServiceExport/ServiceImport); read as the seed's proposal"};
  mcd.plan = plan_multicluster_deployment;
  registry.add(mcd);
  KindHandler intelligent{"apps",
                          {"v2"},
                          "IntelligentDeployment",
                          "cluster",
                          "",
                          parse_intelligent_deployment,
                          true,
                          "apps/v2 does not exist in Kubernetes; IntelligentDeployment is read as "
                          "the seed's proposal (docs/scenario.md)"};
  intelligent.plan = plan_intelligent_deployment;
  registry.add(intelligent);
  registry.add({"gitops.weave.works",
                {"v1alpha1"},
                "GitOpsPolicy",
                "",
                "compliance and audit policy; it acts on the Git workflow, not on running "
                "workloads",
                nullptr,
                false,
                "gitops.weave.works/v1alpha1 GitOpsPolicy is the seed's proposal, "
                "not a published API"});
}

}  // namespace kt::scenario
