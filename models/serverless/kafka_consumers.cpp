#include "models/serverless/kafka_consumers.hpp"

#include <algorithm>
#include <cmath>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

namespace {
constexpr std::uint32_t kNotOurs = 0xFFFFFFFFu;
}  // namespace

KafkaConsumers::KafkaConsumers(FleetCore& core) : FleetComponent(core) {
  const FleetConfig& config = core.config();
  group_index_.assign(config.deployments.size(), kNotOurs);
  for (std::uint32_t d = 0; d < config.deployments.size(); ++d) {
    const FleetDeployment& dep = config.deployments[d];
    if (!dep.kafka) continue;
    group_index_[d] = static_cast<std::uint32_t>(groups_.size());
    Group g;
    g.deployment = d;
    g.place = dep.places.front();
    g.cfg = &*dep.kafka;
    g.partitions.resize(std::max<std::uint32_t>(1, dep.kafka->partitions));
    g.hpa.emplace(dep.kafka->hpa);
    groups_.push_back(std::move(g));
  }
}

void KafkaConsumers::start() {
  for (std::uint32_t i = 0; i < groups_.size(); ++i) {
    Group& g = groups_[i];
    g.replicas = g.cfg->min_replicas;
    core_.init_desired(g.deployment, g.replicas);
    schedule_at(g.cfg->polling_interval, kPoll, i);
    schedule_at(g.cfg->hpa.sync_period, kHpaSync, i);
  }
}

void KafkaConsumers::handle(EventKind kind, std::uint64_t payload, std::uint16_t) {
  Group& g = groups_[payload];
  if (kind == kPoll) {
    poll(g);
    schedule_in(g.cfg->polling_interval, kPoll, payload);
  } else if (kind == kHpaSync) {
    hpa_sync(g);
    schedule_in(g.cfg->hpa.sync_period, kHpaSync, payload);
  } else if (kind == kRebalance) {
    rebalance(g);
  }
}

std::uint64_t KafkaConsumers::lag(const Group& g) const {
  std::uint64_t n = g.in_flight;
  for (const auto& p : g.partitions)
    n += p.size();
  return n;
}

// KEDA's scale loop (scale_scaledobjects.go): activation 0 <-> 1 and the cooldown to zero;
// the rest is its HPA's.
void KafkaConsumers::poll(Group& g) {
  const SimTime now = core_.now();
  const bool active = static_cast<double>(lag(g)) > g.cfg->activation_lag_threshold;
  if (active) {
    g.last_active = now;
    if (g.replicas == 0) scale(g, std::max(1, g.cfg->min_replicas));
  } else if (g.replicas > 0 && g.cfg->min_replicas == 0 && g.last_active >= 0 &&
             g.last_active + g.cfg->cooldown_period < now) {
    scale(g, 0);
  } else if (g.replicas > 0 && g.cfg->min_replicas == 0 && g.last_active < 0 &&
             now >= g.cfg->cooldown_period) {
    scale(g, 0);  // never active: initialCooldownPeriod 0, then the cooldown
  }
}

// The HPA KEDA made: the External metric (the lag, capped unless idle consumers are allowed)
// against AverageValue lagThreshold, then the HPA's normalisation.
void KafkaConsumers::hpa_sync(Group& g) {
  if (g.replicas == 0) return;  // scaled to zero: the HPA is inactive (ScalingDisabled)
  double total = static_cast<double>(lag(g));
  const double threshold = g.cfg->lag_threshold;
  const double bound = static_cast<double>(g.partitions.size());
  // Go's integer division, as upstream: a lag below (partitions + 1) x lagThreshold is not
  // capped, so the HPA may ask for one consumer more than there are partitions.
  if (!g.cfg->allow_idle_consumers && std::floor(total / threshold) > bound) {
    total = bound * threshold;
  }
  const autoscaling::Proposal proposal = autoscaling::average_value_replicas(
      g.replicas, std::llround(total * 1000), std::llround(threshold * 1000), g.cfg->hpa.tolerance);
  const std::int32_t next = g.hpa->sync(core_.now(), g.replicas, {proposal});
  if (next != g.replicas) scale(g, next);
}

void KafkaConsumers::scale(Group& g, std::int32_t replicas) {
  g.replicas = replicas;
  core_.set_desired(g.deployment, replicas);
}

void KafkaConsumers::reconcile(std::uint32_t deployment) {
  Group& g = group_of(deployment);
  const DeploymentRuntime& rt = core_.deployment(deployment);
  const auto& live = rt.pods[g.place];
  while (static_cast<std::int32_t>(live.size()) < rt.desired)
    core_.create_pod(deployment, g.place);
  while (static_cast<std::int32_t>(live.size()) > rt.desired) {
    // Pending or starting pods first, else the newest consumer.
    std::uint32_t victim = live.back();
    for (std::uint32_t p : live) {
      if (core_.pod(p).state != PodState::ready) {
        victim = p;
        break;
      }
    }
    core_.delete_pod(victim);  // it finishes the message it holds
    // It leaves the group now (no longer ready): the rest rebalance.
    schedule_in(0, kRebalance, group_index_[deployment]);
  }
}

bool KafkaConsumers::on_arrival(std::uint32_t workload, SimTime service) {
  Group& g = group_of(core_.config().workloads[workload].deployment);
  const std::size_t p = g.next_partition;
  g.next_partition = (g.next_partition + 1) % g.partitions.size();
  g.partitions[p].push_back({workload, service, core_.now()});
  g.lag_max = std::max(g.lag_max, lag(g));
  // The consumer that owns the partition takes it now if it is idle.
  for (std::size_t c = 0; c < g.consumers.size(); ++c) {
    const auto [first, last] = range(g, c);
    if (p >= first && p < last && core_.pod(g.consumers[c]).outstanding == 0) consume(g, c);
  }
  return true;
}

std::pair<std::size_t, std::size_t> KafkaConsumers::range(const Group& g, std::size_t c) const {
  const std::size_t n = g.consumers.size();
  const std::size_t p = g.partitions.size();
  const std::size_t base = p / n;
  const std::size_t extra = p % n;
  const std::size_t first = c * base + std::min(c, extra);
  return {first, first + base + (c < extra ? 1 : 0)};
}

// The consumer group rebalances when a consumer joins or leaves: the ready pods, in a fixed
// order, take the range assignor's blocks.
void KafkaConsumers::rebalance(Group& g) {
  g.consumers.clear();
  for (std::uint32_t p : core_.deployment(g.deployment).ready_sets[g.place].pods)
    g.consumers.push_back(p);
  std::sort(g.consumers.begin(), g.consumers.end());
  g.cursor.assign(g.consumers.size(), 0);
  for (std::size_t c = 0; c < g.consumers.size(); ++c) {
    g.cursor[c] = range(g, c).first;
    if (core_.pod(g.consumers[c]).outstanding == 0) consume(g, c);
  }
}

// An idle consumer takes the oldest message of the next partition of its block that has one.
void KafkaConsumers::consume(Group& g, std::size_t c) {
  if (core_.pod(g.consumers[c]).state != PodState::ready) return;  // leaving the group
  const auto [first, last] = range(g, c);
  if (first == last) return;  // more consumers than partitions: this one idles
  const std::size_t span = last - first;
  for (std::size_t i = 0; i < span; ++i) {
    const std::size_t p = first + (g.cursor[c] - first + i) % span;
    if (g.partitions[p].empty()) continue;
    const Message m = g.partitions[p].front();
    g.partitions[p].pop_front();
    g.cursor[c] = first + (p - first + 1) % span;
    ++g.in_flight;
    core_.send_request_to(m.workload, m.service, m.written, g.consumers[c]);
    return;
  }
}

void KafkaConsumers::on_pod_ready(std::uint32_t pod) {
  rebalance(group_of(core_.pod(pod).deployment));
}

void KafkaConsumers::on_request_done(std::uint32_t pod) {
  Group& g = group_of(core_.pod(pod).deployment);
  if (g.in_flight > 0) --g.in_flight;  // committed
  const auto it = std::find(g.consumers.begin(), g.consumers.end(), pod);
  if (it != g.consumers.end() && core_.pod(pod).outstanding == 0) {
    consume(g, static_cast<std::size_t>(it - g.consumers.begin()));
  }
}

void KafkaConsumers::on_pod_removed(std::uint32_t pod) {
  Group& g = group_of(core_.pod(pod).deployment);
  if (std::find(g.consumers.begin(), g.consumers.end(), pod) == g.consumers.end()) return;
  // Leaves the group; its partitions go to the others (deferred past the removal itself).
  g.consumers.erase(std::remove(g.consumers.begin(), g.consumers.end(), pod), g.consumers.end());
  g.cursor.assign(g.consumers.size(), 0);
  for (std::size_t c = 0; c < g.consumers.size(); ++c)
    g.cursor[c] = range(g, c).first;
  schedule_in(0, kRebalance, group_index_[core_.pod(pod).deployment]);
}

void KafkaConsumers::export_metrics(SimTime, MetricMap& out) {
  const FleetConfig& config = core_.config();
  for (std::uint32_t w = 0; w < config.workloads.size(); ++w) {
    const std::uint32_t i = group_index_[config.workloads[w].deployment];
    if (i == kNotOurs) continue;
    // kubetwin extension: the largest lag the topic reached (messages).
    out["workloads." + config.workloads[w].name + ".kafka.lag_max"] =
        static_cast<double>(groups_[i].lag_max);
  }
}

void KafkaConsumers::series_columns(std::vector<std::string>& columns) const {
  for (const FleetWorkload& w : core_.config().workloads) {
    if (group_index_[w.deployment] != kNotOurs) columns.push_back(w.name + ".kafka_lag");
  }
}

void KafkaConsumers::series_values(std::vector<double>& row) const {
  for (const FleetWorkload& w : core_.config().workloads) {
    if (group_index_[w.deployment] != kNotOurs) {
      row.push_back(static_cast<double>(lag(groups_[group_index_[w.deployment]])));
    }
  }
}

}  // namespace kt::models
