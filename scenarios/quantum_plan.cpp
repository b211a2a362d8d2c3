// Scenario + policy -> the quantum part of the fleet's configuration (docs/models/quantum.md):
// QPUs from QuantumCluster objects and quantum Nodes, circuits from Jobs and workflow steps,
// hybrid workflows as DAGs, the queue policy, prices.

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "scenarios/fleet_plan.hpp"
#include "scenarios/plan_step.hpp"

namespace kt::scenario {

namespace {

// A count as labels and env write it: a decimal integer, not negative.
std::optional<std::int64_t> whole(const std::string& text) {
  const auto v = k8s::decimal_integer(text);
  if (!v || *v < 0) return std::nullopt;
  return v;
}

quantum::QueuePolicy policy_named(const std::string& name) {
  if (name == "priority") return quantum::QueuePolicy::priority;
  if (name == "fair-share") return quantum::QueuePolicy::fair_share;
  if (name == "shortest-job-first") return quantum::QueuePolicy::shortest_job_first;
  return quantum::QueuePolicy::fifo;
}

}  // namespace

// quantum.qubits in a container's requests or limits (quantities, in milli-units), else the
// QUBITS environment variable (the seed's Job); CIRCUIT_DEPTH and SHOTS from the environment.
std::optional<quantum::QuantumJobConfig> circuit_of(const std::vector<Container>& containers) {
  for (const Container& c : containers) {
    quantum::QuantumJobConfig job;
    bool quantum = false;
    for (const auto* list : {&c.requests, &c.limits}) {
      if (const auto it = list->find("quantum.qubits"); it != list->end() && !quantum) {
        job.qubits = it->second / 1000;
        quantum = true;
      }
    }
    if (const std::string* q = c.env_value("QUBITS"); q && !quantum) {
      if (const auto v = whole(*q)) {
        job.qubits = *v;
        quantum = true;
      }
    }
    if (!quantum) continue;
    if (const std::string* d = c.env_value("CIRCUIT_DEPTH"))
      job.depth = whole(*d).value_or(job.depth);
    if (const std::string* s = c.env_value("SHOTS")) job.shots = whole(*s).value_or(job.shots);
    return job;
  }
  return std::nullopt;
}

// An Argo Workflow from its entrypoint: steps (outer lists in sequence, inner in parallel) and
// dag tasks (by their dependencies) down to container templates, each a step of the run; the
// classical ones' pods are Deployments of their own, right after the workflow's.
void plan_workflow(const ManifestObject& obj, PlanContext& ctx, models::FleetDeployment& d) {
  const auto& spec = std::get<WorkflowSpec>(obj.spec);
  d.places = {ctx.home};
  d.replicas = 0;
  quantum::WorkflowConfig wf;
  std::map<std::string, const WorkflowTemplate*> by_name;
  for (const WorkflowTemplate& t : spec.templates)
    by_name[t.name] = &t;
  std::map<std::string, std::uint32_t> pods_of;  // classical template -> companion
  using Ids = std::vector<std::uint32_t>;
  std::function<Ids(const WorkflowTemplate&, const Ids&, int)> expand =
      [&](const WorkflowTemplate& t, const Ids& after, int depth) -> Ids {
    if (depth > 32) return after;  // recursion Argo would refuse too
    const auto call = [&](const WorkflowStep& s, const Ids& deps) {
      const auto it = by_name.find(s.template_name);
      return it == by_name.end() ? deps : expand(*it->second, deps, depth + 1);
    };
    switch (t.type) {
      case WorkflowTemplate::Type::container:
      case WorkflowTemplate::Type::script:
      case WorkflowTemplate::Type::container_set: {
        std::vector<Container> containers = t.container_set;
        if (t.container) containers.insert(containers.begin(), *t.container);
        quantum::WorkflowStep step;
        step.name = t.name;
        step.deps = after;
        if (const auto circuit = circuit_of(containers)) {
          step.quantum = true;
          step.job = *circuit;
        } else {
          auto [it, added] =
              pods_of.emplace(t.name, static_cast<std::uint32_t>(ctx.companions.size()));
          if (added) {
            models::FleetDeployment pods;
            pods.name = obj.id() + ":" + t.name;
            PodTemplate pod;
            pod.containers = containers;
            pod.restart_policy = "Never";
            apply_pod(pod, ctx.policy.objects, pods);
            pods.places = {ctx.home};
            pods.replicas = 0;
            pods.workflow_pods = true;
            ctx.companions.push_back(std::move(pods));
          }
          step.pod_offset = it->second;
        }
        wf.steps.push_back(std::move(step));
        return Ids{static_cast<std::uint32_t>(wf.steps.size() - 1)};
      }
      case WorkflowTemplate::Type::steps: {
        Ids current = after;
        for (const auto& group : t.steps) {
          Ids outs;
          for (const WorkflowStep& s : group) {
            const Ids o = call(s, current);
            outs.insert(outs.end(), o.begin(), o.end());
          }
          if (!outs.empty()) current = outs;
        }
        return current;
      }
      case WorkflowTemplate::Type::dag: {
        std::map<std::string, Ids> outs;
        std::vector<bool> done(t.tasks.size(), false);
        std::vector<std::string> depended;
        for (const WorkflowStep& s : t.tasks)
          depended.insert(depended.end(), s.dependencies.begin(), s.dependencies.end());
        // In dependency order (the parser rejected unknown names; a cycle stops the loop).
        for (bool progress = true; progress;) {
          progress = false;
          for (std::size_t i = 0; i < t.tasks.size(); ++i) {
            const WorkflowStep& s = t.tasks[i];
            if (done[i]) continue;
            const bool ready = std::all_of(s.dependencies.begin(), s.dependencies.end(),
                                           [&](const std::string& n) { return outs.count(n) > 0; });
            if (!ready) continue;
            Ids deps;
            for (const std::string& n : s.dependencies)
              deps.insert(deps.end(), outs[n].begin(), outs[n].end());
            if (s.dependencies.empty()) deps = after;
            outs[s.name] = call(s, deps);
            done[i] = progress = true;
          }
        }
        Ids exits;
        for (const WorkflowStep& s : t.tasks) {
          if (std::find(depended.begin(), depended.end(), s.name) != depended.end()) continue;
          exits.insert(exits.end(), outs[s.name].begin(), outs[s.name].end());
        }
        return exits.empty() ? after : exits;
      }
      default:  // resource, suspend, http, data, plugin: no simulated time (said by validate)
        return after;
    }
  };
  if (const auto it = by_name.find(spec.entrypoint); it != by_name.end())
    expand(*it->second, {}, 0);
  d.workflow = std::move(wf);
}

// The QPUs: one per QuantumCluster (its qubits, calibration, queue depth and policy) and per
// Node labelled quantum.qubits (default timings, unbounded queue), unless a QuantumCluster of
// its vendor (label quantum.vendor, the cluster's provider) and qubits describes the same
// device, as the seed's quantum-node-1 and ibm-quantum-cluster do. The policy knob
// quantumQueue, when set, applies to all.
void plan_quantum(const Scenario& sc, const Policy& policy, models::FleetConfig& f) {
  quantum::QuantumConfig& q = f.quantum;
  const auto lower = [](std::string s) {
    for (char& ch : s)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
  };
  const auto described_by_cluster = [&](const NodeSpec& node, std::int64_t qubits) {
    const auto vendor = node.labels.find("quantum.vendor");
    for (const ManifestObject& o : policy.objects) {
      const auto* qc = std::get_if<QuantumClusterSpec>(&o.spec);
      if (qc && qc->qubits == qubits &&
          (vendor == node.labels.end() || lower(vendor->second) == lower(qc->provider))) {
        return true;
      }
    }
    return false;
  };
  for (const ManifestObject& o : policy.objects) {
    quantum::QpuConfig c;
    c.name = o.name;
    if (const auto* qc = std::get_if<QuantumClusterSpec>(&o.spec)) {
      c.qubits = qc->qubits;
      c.all_to_all = qc->connectivity.empty() || qc->connectivity == "all-to-all";
      c.t1 = qc->t1;
      c.t2 = qc->t2;
      c.gate_1q = qc->gate_1q.value_or(c.gate_1q);
      c.gate_2q = qc->gate_2q.value_or(c.gate_2q);
      c.readout = qc->readout.value_or(c.readout);
      c.reset = qc->reset.value_or(c.reset);
      c.overhead = qc->overhead.value_or(c.overhead);
      c.queue_depth = static_cast<std::uint32_t>(qc->queue_depth);
      c.policy = policy_named(qc->priority);
      c.calibration_period = qc->window_every.value_or(kDay);
      c.calibration_length = qc->window_duration.value_or(30 * kMinute);
      c.calibration_start = qc->window_start.value_or(c.calibration_period / 2);
    } else if (const auto* node = std::get_if<NodeSpec>(&o.spec)) {
      const auto it = node->labels.find("quantum.qubits");
      if (it == node->labels.end()) continue;
      const auto qubits = whole(it->second);
      if (!qubits || *qubits == 0 || described_by_cluster(*node, *qubits)) continue;
      c.qubits = *qubits;
      c.calibration_period = kDay;
      c.calibration_length = 30 * kMinute;
      c.calibration_start = kDay / 2;
    } else {
      continue;
    }
    if (!policy.quantum_queue.empty()) c.policy = policy_named(policy.quantum_queue);
    q.qpus.push_back(std::move(c));
  }
  q.strict_fidelity = sc.infrastructure.quantum.strict_fidelity;
  q.usd_per_qpu_second =
      sc.infrastructure.quantum.usd_per_qpu_second.value_or(q.usd_per_qpu_second);
  q.usd_per_shot = sc.infrastructure.quantum.usd_per_shot.value_or(q.usd_per_shot);
  q.fair_share_half_life =
      sc.infrastructure.quantum.fair_share_half_life.value_or(q.fair_share_half_life);
}

// A workload's circuits that no QPU can run: said at its target; the tenant it counts for.
void plan_quantum_workload(const Workload& wl, models::FleetWorkload& w, models::FleetConfig& f,
                           Diagnostics& diags) {
  const models::FleetDeployment& d = f.deployments[w.deployment];
  if (!d.quantum && !d.workflow) return;
  const std::string tenant = wl.tenant.empty() ? wl.name : wl.tenant;
  auto& tenants = f.quantum.tenants;
  const auto it = std::find(tenants.begin(), tenants.end(), tenant);
  w.tenant = static_cast<std::int32_t>(it - tenants.begin());
  if (it == tenants.end()) tenants.push_back(tenant);
  w.priority = static_cast<std::int32_t>(wl.priority);
  std::int64_t need = d.quantum ? d.quantum->qubits : 0;
  if (d.workflow) {
    for (const quantum::WorkflowStep& s : d.workflow->steps)
      if (s.quantum) need = std::max(need, s.job.qubits);
  }
  std::int64_t largest = 0;
  for (const quantum::QpuConfig& c : f.quantum.qpus)
    largest = std::max(largest, c.qubits);
  if (need > largest) {
    diags.warning(wl.target.pos,
                  "workload " + wl.name + ": its circuits need " + std::to_string(need) +
                      " qubits and the largest QPU has " + std::to_string(largest) +
                      ": every one is rejected",
                  "QPUs come from QuantumCluster objects and Nodes labelled quantum.qubits");
  }
}

}  // namespace kt::scenario
