#include "scenarios/not_simulated.hpp"

#include <algorithm>
#include <set>

#include "models/cluster/fleet_config.hpp"
#include "scenarios/kind_registry.hpp"
#include "scenarios/manifest_loader.hpp"
#include "scenarios/plan_step.hpp"

namespace kt::scenario {

namespace {

bool model_built(const ManifestObject& obj) {
  if (obj.model.empty()) return true;  // deliberately not simulated, said by validate already
  const KindHandler* handler = KindRegistry::builtin().find(obj.group(), obj.kind);
  return handler && handler->runnable;
}

std::string quantity_list(const k8s::ResourceList& resources) {
  std::string out;
  for (const auto& [name, milli] : resources) {
    if (name == k8s::kCpu || name == k8s::kMemory) continue;
    if (!out.empty()) out += ", ";
    out += name + "=" + std::to_string(milli / 1000);
  }
  return out;
}

// Keys only some parts of a run produce: what produces them, when this run has none ("" when
// it has, or the key is not one of these).
std::string missing_producer(const std::string& key, const models::FleetConfig& fleet) {
  bool quantum = false;
  bool workflows = false;
  bool functions = false;
  for (const models::FleetDeployment& d : fleet.deployments) {
    quantum = quantum || d.quantum || d.workflow;
    workflows = workflows || d.workflow;
    functions = functions || d.serverless;
  }
  bool sites = false;
  for (const models::LinkConfig& l : fleet.links)
    sites = sites || fleet.places[l.a].edge;
  if ((key.rfind("quantum.", 0) == 0 || key == "cost.quantum_usd") && !quantum)
    return "a workload that reaches a quantum Job or hybrid workflow";
  if (key.rfind("workflows.", 0) == 0 && !workflows) return "a workload that reaches a workflow";
  if (key.rfind("edge.", 0) == 0 && !sites) return "an edge site with an uplink";
  const bool node_autoscaling = fleet.autoscaled_by(models::NodeAutoscaler::cluster_autoscaler) ||
                                fleet.autoscaled_by(models::NodeAutoscaler::karpenter);
  if ((key == "nodes.provisioned" || key == "nodes.removed") && !node_autoscaling)
    return "a node pool that a node autoscaler resizes (autoscaling, or the nodeAutoscaling knob)";
  if (key == "requests.dropped" && !functions && fleet.edge.mode != edge::OutageMode::tolerate)
    return "a bounded buffer on a request's path (a serverless function, edgeOutage tolerate)";
  return "";
}

}  // namespace

std::vector<std::string> not_simulated_fields(const std::vector<ManifestObject>& objects) {
  std::vector<std::string> out;
  for (const ManifestObject& obj : objects) {
    // Fields of a simulated object that no model reads (an unbuilt model's objects are not
    // simulated at all, said once for the object).
    if (!obj.model.empty()) {
      const KindHandler* handler = KindRegistry::builtin().find(obj.group(), obj.kind);
      if (handler && handler->runnable) {
        for (const std::string& line : obj.unsimulated_fields)
          out.push_back(obj.id() + ": " + line);
      }
    }
    if (const auto* job = std::get_if<JobSpec>(&obj.spec)) {
      if (job->active_deadline) {
        out.push_back(obj.id() +
                      ": spec.activeDeadlineSeconds -> not simulated: a run is not "
                      "cut off at its deadline");
      }
      const std::string extended = quantity_list(job->pod.total_requests());
      if (!extended.empty()) {
        out.push_back(obj.id() + ": requests " + extended +
                      " -> not simulated: pods are scheduled by CPU and memory only");
      }
    } else if (const auto* vs = std::get_if<VirtualServiceSpec>(&obj.spec)) {
      // Retries are simulated for the Services the VirtualService routes (fleet_plan.cpp);
      // said here when it routes none, and for what of them is not simulated.
      bool routes_a_service = false;
      for (const std::string& host : vs->hosts) {
        const std::string name = host.substr(0, host.find('.'));
        for (const ManifestObject& other : objects) {
          // A core Service, or a Knative Service (its host in the mesh).
          const bool service = std::holds_alternative<ServiceSpec>(other.spec) ||
                               std::holds_alternative<KnativeServiceSpec>(other.spec);
          routes_a_service = routes_a_service || (service && other.name == name);
        }
      }
      if (vs->retries_set && !routes_a_service) {
        out.push_back(obj.id() + ": retries (" + std::to_string(vs->retry_attempts) +
                      " attempts) -> not simulated: its hosts name no Service among the "
                      "manifests, so no simulated request takes its routes");
      }
      if (vs->per_try_timeout) {
        out.push_back(obj.id() +
                      ": retries.perTryTimeout -> not simulated: a try waits for its pod "
                      "however long it takes (the route's timeout still applies)");
      }
    } else if (const auto* qc = std::get_if<QuantumClusterSpec>(&obj.spec)) {
      if (!qc->connectivity.empty() && qc->connectivity != "all-to-all") {
        out.push_back(obj.id() + ": spec.connectivity " + qc->connectivity +
                      " -> not simulated: circuits are timed as on all-to-all connectivity "
                      "(no routing SWAPs)");
      }
      if (qc->error_rates) {
        out.push_back(obj.id() +
                      ": spec.calibration error rates -> not simulated: a circuit's result "
                      "fidelity is not modelled (only T2 against its duration)");
      }
    } else if (const auto* wf = std::get_if<WorkflowSpec>(&obj.spec); wf && wf->quantum) {
      // What the quantum model (to come) will not run of a hybrid workflow.
      for (const WorkflowTemplate& t : wf->templates) {
        const char* why = nullptr;
        switch (t.type) {
          case WorkflowTemplate::Type::resource:
            why = "it acts on cluster objects (kubectl), which takes no simulated time";
            break;
          case WorkflowTemplate::Type::suspend:
            why = "it waits for a person to resume it, or a duration; taken as no wait";
            break;
          case WorkflowTemplate::Type::http:
            why = "an HTTP call outside the fleet";
            break;
          case WorkflowTemplate::Type::data:
            why = "a data transformation in Argo's executor";
            break;
          case WorkflowTemplate::Type::plugin:
            why = "an executor plugin";
            break;
          default:
            break;
        }
        if (why) out.push_back(obj.id() + ": template " + t.name + " -> not simulated: " + why);
        const std::vector<const WorkflowStep*> calls = t.calls();
        for (const WorkflowStep* step : calls) {
          const std::string at = obj.id() + ": template " + t.name + " step " + step->name;
          if (!step->when.empty()) {
            out.push_back(at + ": when -> not simulated: a condition on outputs; taken as true");
          }
          if (step->with_param) {
            out.push_back(at +
                          ": withParam -> not simulated: its items come from outputs at run "
                          "time; it runs once");
          }
          if (!step->template_ref.empty()) {
            out.push_back(at + ": templateRef " + step->template_ref +
                          " -> not simulated: a WorkflowTemplate's template is not read");
          }
        }
      }
      if (!wf->workflow_template_ref.empty()) {
        out.push_back(obj.id() + ": workflowTemplateRef " + wf->workflow_template_ref +
                      " -> not simulated: the WorkflowTemplate is not read");
      }
    } else if (const auto* hpa = std::get_if<HorizontalPodAutoscalerSpec>(&obj.spec)) {
      for (const ManifestObject& other : objects) {
        if (other.kind != hpa->target.kind || other.name != hpa->target.name) continue;
        const std::string why = hpa_not_simulated(*hpa, other);
        if (!why.empty()) {
          out.push_back(obj.id() + " -> not simulated: " + why + "; " + other.id() +
                        " keeps the replicas its manifest gives");
        }
      }
    } else if (const auto* so = std::get_if<ScaledObjectSpec>(&obj.spec)) {
      for (const ManifestObject& other : objects) {
        if (other.kind == so->target.kind && other.name == so->target.name && model_built(other)) {
          const KindHandler* h = KindRegistry::builtin().find(obj.group(), obj.kind);
          const std::string why = h && h->unsupported ? h->unsupported(obj) : "";
          if (!why.empty()) {
            out.push_back(obj.id() + " scales " + other.id() + " -> not simulated: " + why + "; " +
                          other.id() + " keeps the replicas its manifest (or HPA) gives");
          }
        }
      }
    }
  }
  return out;
}

std::vector<std::string> not_simulated_parts(const Scenario& sc, const Policy& policy,
                                             bool untargeted_objects) {
  std::vector<std::string> out;
  std::set<std::string> targeted;
  for (const Workload& wl : sc.workloads)
    targeted.insert(wl.target.kind + "/" + wl.target.name);
  for (const ManifestObject& obj : policy.objects) {
    // A KEDA ScaledObject acts on the messages a workload produces to its topic.
    if (untargeted_objects && std::holds_alternative<ScaledObjectSpec>(obj.spec) &&
        model_built(obj) && !targeted.count(obj.id())) {
      out.push_back(obj.id() +
                    " -> not simulated: no workload produces to its topic (a workload with "
                    "target " +
                    obj.id() + " and the topic's partitions does)");
      continue;
    }
    if (!untargeted_objects || model_built(obj) || targeted.count(obj.id())) continue;
    out.push_back(obj.id() + " -> not simulated: the " + obj.model +
                  " model is not built yet (no workload targets it)");
  }
  const std::vector<std::string> fields = not_simulated_fields(policy.objects);
  out.insert(out.end(), fields.begin(), fields.end());
  // Cold starts and keep-alive apply to the serverless functions workloads reach.
  bool serves_functions = false;
  for (const Workload& wl : sc.workloads) {
    const ManifestObject* target = find_object(policy.objects, wl.target.kind, wl.target.name);
    serves_functions =
        serves_functions || (target && target->model == "serverless" && model_built(*target));
  }
  if (!sc.infrastructure.cold_start.empty() && !serves_functions) {
    out.push_back(
        "spec.infrastructure.coldStart -> not simulated: no workload reaches a serverless "
        "function");
  }
  const auto pools = [&](const std::string& place, const std::vector<NodePool>& list) {
    for (const NodePool& p : list) {
      const std::string extended = quantity_list(p.extended);
      if (!extended.empty()) {
        out.push_back("node pool " + place + "/" + p.name + ": resources " + extended +
                      " -> not simulated: pods are scheduled by CPU and memory only");
      }
    }
  };
  for (const Region& r : sc.infrastructure.regions)
    pools(r.name, r.node_pools);
  for (const EdgeSite& s : sc.infrastructure.edge_sites) {
    pools(s.name, s.node_pools);
  }
  bool has_uplinks = false;
  for (const EdgeSite& s : sc.infrastructure.edge_sites)
    has_uplinks = has_uplinks || !s.uplinks.empty();
  bool has_qpus = false;
  for (const ManifestObject& obj : policy.objects) {
    has_qpus = has_qpus || std::holds_alternative<QuantumClusterSpec>(obj.spec) ||
               (std::holds_alternative<NodeSpec>(obj.spec) &&
                std::get<NodeSpec>(obj.spec).labels.count("quantum.qubits") > 0);
  }
  bool region_pools = false;
  for (const Region& r : sc.infrastructure.regions)
    region_pools = region_pools || !r.node_pools.empty();
  for (const std::string& knob : policy.knobs_set) {
    if (knob == "nodeAutoscaling" && !region_pools && policy.node_autoscaling != "native" &&
        policy.node_autoscaling != "none") {
      out.push_back("policy " + policy.name +
                    ": nodeAutoscaling -> not simulated: no region has a node pool to resize "
                    "(an edge site's nodes are fixed hardware)");
    } else if (knob == "keepAlive" && !serves_functions) {
      out.push_back("policy " + policy.name +
                    ": keepAlive -> not simulated: no workload reaches a serverless function");
    } else if ((knob == "edgeOutage" || knob == "edgeBuffer") && !has_uplinks) {
      out.push_back("policy " + policy.name + ": " + knob +
                    " -> not simulated: no edge site has an uplink");
    } else if (knob == "quantumQueue" && !has_qpus) {
      out.push_back("policy " + policy.name +
                    ": quantumQueue -> not simulated: no QPU (a QuantumCluster, or a Node "
                    "labelled quantum.qubits) among the manifests");
    }
  }
  return out;
}

void warn_unmeasurable_slos(const Scenario& sc, const models::FleetConfig& fleet,
                            const std::vector<std::string>& unsimulated_workloads,
                            Diagnostics& diags) {
  for (const Slo& slo : sc.slos) {
    std::string key = slo.metric;
    if (key.rfind("workloads.", 0) == 0) {
      const std::size_t dot = key.find('.', 10);
      const std::string name = key.substr(10, dot == std::string::npos ? 0 : dot - 10);
      if (std::find(unsimulated_workloads.begin(), unsimulated_workloads.end(), name) !=
          unsimulated_workloads.end()) {
        diags.warning(slo.pos, "SLO " + slo.metric + ": workload " + name +
                                   "'s target is not simulated yet, so the run reports this "
                                   "SLO as not measured");
        continue;
      }
      key = dot == std::string::npos ? "" : key.substr(dot + 1);
    }
    if (const std::string needs = missing_producer(key, fleet); !needs.empty()) {
      diags.warning(slo.pos, "SLO " + slo.metric + ": nothing in this run produces " + key +
                                 " (that takes " + needs +
                                 "), so the run reports it as not measured");
    } else if (fleet.unlimited_capacity &&
               (key.rfind("cost.", 0) == 0 || key.rfind("nodes.", 0) == 0 ||
                key.rfind("pods.", 0) == 0)) {
      diags.warning(slo.pos, "SLO " + slo.metric + ": " + key +
                                 " does not apply to a scenario without node pools (no nodes, "
                                 "no cost, no pending or evicted pods), so the run reports it "
                                 "as not measured");
    }
  }
}

}  // namespace kt::scenario
