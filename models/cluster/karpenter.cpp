#include "models/cluster/karpenter.hpp"

#include <algorithm>
#include <cmath>

#include "models/cluster/fleet_core.hpp"

namespace kt::models {

namespace {

// The taint Karpenter puts on a node it disrupts (karpenter.sh/disrupted, NoSchedule).
constexpr const char* kDisrupted = "karpenter.sh/disrupted";
constexpr SimTime kBatchPoll = kSecond;
// A node claim that has not registered by then is deleted (the nodeclaim liveness
// controller's registration TTL).
constexpr SimTime kRegistrationTtl = 15 * kMinute;

bool larger(const PackPod& a, const PackPod& b) {
  if (a.cpu_milli != b.cpu_milli) return a.cpu_milli > b.cpu_milli;
  return a.memory_bytes > b.memory_bytes;
}

}  // namespace

Karpenter::Karpenter(FleetCore& core) : NodeAutoscalerBase(core, NodeAutoscaler::karpenter) {}

void Karpenter::start() {
  schedule_at(kBatchPoll, kBatch);
  schedule_at(core_.config().karpenter.polling_period, kDisrupt);
}

void Karpenter::handle(EventKind local_kind, std::uint64_t payload, std::uint16_t) {
  if (handle_base(local_kind, payload)) return;
  if (local_kind == kBatch) {
    batch();
    schedule_in(kBatchPoll, kBatch);
  } else if (local_kind == kDisrupt) {
    disrupt();
    schedule_in(core_.config().karpenter.polling_period, kDisrupt);
  } else if (local_kind == kValidate) {
    command_pending_ = false;
    // Still valid with the cluster as it is now, and as good: then it runs.
    const Command again = consolidation(command_.nodes);
    if (again.valid && again.replace == command_.replace &&
        (!again.replace ||
         again.replacement.price_usd_per_hour <= command_.replacement.price_usd_per_hour))
      execute(again);
  }
}

std::vector<InstanceType> Karpenter::types_of(std::uint32_t pool) const {
  const NodePoolConfig& p = core_.config().pools[pool];
  if (!p.scaling.instance_types.empty()) return p.scaling.instance_types;
  return {{"", p.cpu_milli, p.memory_bytes, p.price_usd_per_hour}};
}

void Karpenter::batch() {
  finish_retirements();
  core_.schedule_pending();
  std::vector<PackPod> pods = unschedulable(0);
  // Pods that a node on its way has room for wait for it.
  if (!in_flight_.empty() && !pods.empty()) {
    std::vector<PackBin> bins;
    std::vector<std::uint32_t> places;
    for (const auto& [launch, bin] : in_flight_) {
      bins.push_back(bin);
      places.push_back(core_.config().pools[launches()[launch].pool].place);
    }
    std::vector<PackPod> kept;
    for (const PackPod& pod : pods) {
      const std::uint32_t home = core_.pod(pod.id).home;
      bool taken = false;
      for (std::size_t b = 0; b < bins.size() && !taken; ++b) {
        if (places[b] != home || !fits(pod, bins[b]) ||
            !core_.accepts(pod.deployment, home, bins[b].node_class))
          continue;
        bins[b].cpu_free -= pod.cpu_milli;
        bins[b].memory_free -= pod.memory_bytes;
        --bins[b].pods_free;
        taken = true;
      }
      if (!taken) kept.push_back(pod);
    }
    pods.swap(kept);
  }
  if (pods.empty()) {
    batch_open_ = false;
    return;
  }
  const SimTime now = core_.now();
  const KarpenterConfig& k = core_.config().karpenter;
  if (!batch_open_) {
    batch_open_ = true;
    batch_start_ = last_new_ = now;
    last_count_ = pods.size();
    if (k.batch_idle > 0) return;
  }
  if (pods.size() > last_count_) last_new_ = now;
  last_count_ = pods.size();
  if (now - last_new_ < k.batch_idle && now - batch_start_ < k.batch_max) return;
  batch_open_ = false;
  provision(std::move(pods));
}

bool Karpenter::try_add(Claim& claim, const PackPod& pod) {
  if (core_.pod(pod.id).home != claim.place) return false;
  std::vector<InstanceType> kept;
  for (const InstanceType& t : claim.options) {
    if (t.cpu_milli < claim.cpu + pod.cpu_milli ||
        t.memory_bytes < claim.memory + pod.memory_bytes ||
        static_cast<std::int32_t>(claim.pods.size()) + 1 > scheduling::kDefaultMaxPods)
      continue;
    if (!core_.accepts(pod.deployment, claim.place, core_.template_class(claim.pool, t.name)))
      continue;
    kept.push_back(t);
  }
  if (kept.empty()) return false;
  claim.options.swap(kept);
  claim.pods.push_back(pod);
  claim.cpu += pod.cpu_milli;
  claim.memory += pod.memory_bytes;
  return true;
}

void Karpenter::provision(std::vector<PackPod> pods) {
  const FleetConfig& config = core_.config();
  std::stable_sort(pods.begin(), pods.end(), larger);
  // Pools by weight (priority), then in file order.
  std::vector<std::uint32_t> order = pools_;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return config.pools[a].scaling.priority > config.pools[b].scaling.priority;
  });
  std::vector<Claim> claims;
  std::vector<std::int64_t> room(config.pools.size(), 0);
  for (std::uint32_t pool : pools_) {
    room[pool] = static_cast<std::int64_t>(config.pools[pool].scaling.max) - live_nodes(pool) -
                 launches_in_flight(pool);
  }
  for (const PackPod& pod : pods) {
    bool placed = false;
    for (Claim& claim : claims) {
      if (try_add(claim, pod)) {
        placed = true;
        break;
      }
    }
    if (placed) continue;
    bool any_type_fits = false;
    const std::uint32_t home = core_.pod(pod.id).home;
    for (std::uint32_t pool : order) {
      if (config.pools[pool].place != home) continue;
      Claim claim{pool, home, types_of(pool), {}, 0, 0};
      if (!try_add(claim, pod)) continue;
      any_type_fits = true;
      if (room[pool] <= 0) continue;
      --room[pool];
      claims.push_back(std::move(claim));
      placed = true;
      break;
    }
    if (!any_type_fits) note_unhelpable(pod.id);
  }
  for (const Claim& claim : claims) {
    // The cheapest type that fits (the first listed of equal price).
    const InstanceType* best = &claim.options.front();
    for (const InstanceType& t : claim.options) {
      if (t.price_usd_per_hour < best->price_usd_per_hour) best = &t;
    }
    const std::uint32_t l = launch(claim.pool, *best, kRegistrationTtl);
    // Its whole room: the pods it was planned for are still pending, and are what fills it.
    in_flight_[l] = {best->cpu_milli, best->memory_bytes, scheduling::kDefaultMaxPods,
                     core_.template_class(claim.pool, best->name), l};
  }
}

void Karpenter::on_launch_failed(std::uint32_t launch) {
  abandon(launch);
  in_flight_.erase(launch);
  replacing_.erase(launch);  // the consolidation is dropped; its nodes stay
}

void Karpenter::on_node_registered(std::uint32_t launch, std::uint32_t) {
  in_flight_.erase(launch);
  const auto it = replacing_.find(launch);
  if (it == replacing_.end()) return;
  // The replacement is Ready: the nodes it replaces are drained onto it.
  for (std::uint32_t node : it->second) {
    if (!core_.node_removed(node) && !retiring(node)) retire(node, kDisrupted);
  }
  replacing_.erase(it);
  finish_retirements();
}

std::uint32_t Karpenter::budget_left(std::uint32_t pool) const {
  const double nodes = core_.pool_runtime(pool).nodes.current();
  const auto allowed =
      static_cast<std::int64_t>(std::ceil(nodes * core_.config().karpenter.budget_share - 1e-9));
  std::int64_t disrupting = 0;
  for (std::uint32_t n = 0; n < core_.node_count(); ++n) {
    if (core_.node_pool(n) == static_cast<std::int32_t>(pool) && retiring(n)) ++disrupting;
  }
  for (const auto& [launch, nodes_replaced] : replacing_) {
    for (std::uint32_t n : nodes_replaced)
      disrupting += core_.node_pool(n) == static_cast<std::int32_t>(pool) ? 1 : 0;
  }
  return static_cast<std::uint32_t>(std::max<std::int64_t>(0, allowed - disrupting));
}

std::vector<std::uint32_t> Karpenter::candidates() {
  const SimTime now = core_.now();
  if (pods_seen_.size() < core_.node_count()) {
    pods_seen_.resize(core_.node_count(), 0);
    changed_at_.resize(core_.node_count(), now);
  }
  std::vector<std::uint32_t> out;
  for (std::uint32_t node : managed_nodes()) {
    const auto pods = static_cast<std::uint32_t>(core_.pods_on(node).size());
    if (pods != pods_seen_[node]) {
      pods_seen_[node] = pods;
      changed_at_[node] = now;
    }
    bool busy = false;
    for (const auto& [launch, replaced] : replacing_)
      busy = busy || std::find(replaced.begin(), replaced.end(), node) != replaced.end();
    if (busy || core_.node_down(node) || !core_.node_drainable(node)) continue;
    if (now - changed_at_[node] < core_.config().karpenter.consolidate_after) continue;
    out.push_back(node);
  }
  // Fewest pods first (the disruption cost), then the older node.
  std::stable_sort(out.begin(), out.end(), [&](std::uint32_t a, std::uint32_t b) {
    return core_.pods_on(a).size() < core_.pods_on(b).size();
  });
  return out;
}

Karpenter::Command Karpenter::consolidation(const std::vector<std::uint32_t>& nodes) {
  Command c;
  c.nodes = nodes;
  if (nodes.empty()) return c;
  const std::uint32_t place = core_.node_place(nodes.front());
  double price = 0;
  std::vector<PackPod> pods;
  for (std::uint32_t n : nodes) {
    if (core_.node_place(n) != place || core_.node_removed(n) || retiring(n)) return c;
    price += core_.node_price(n);
    const auto on = pods_on(n);
    pods.insert(pods.end(), on.begin(), on.end());
  }
  std::vector<std::uint32_t> excluded = nodes;
  std::sort(excluded.begin(), excluded.end());
  std::vector<PackBin> bins = other_bins(place, excluded);
  std::stable_sort(pods.begin(), pods.end(), larger);
  const AcceptsClass accepts = accepts_in(place);
  std::vector<PackPod> left;
  for (const PackPod& pod : pods) {
    if (first_fit(pod, bins, accepts) < 0) left.push_back(pod);
  }
  if (left.empty()) {
    c.valid = true;
    return c;
  }
  // One new node for the rest, cheaper than what it replaces.
  const InstanceType* best = nullptr;
  std::uint32_t best_pool = 0;
  for (std::uint32_t pool : pools_) {
    if (core_.config().pools[pool].place != place) continue;
    Claim claim{pool, place, types_of(pool), {}, 0, 0};
    bool ok = true;
    for (const PackPod& pod : left)
      ok = ok && try_add(claim, pod);
    if (!ok) continue;
    for (const InstanceType& t : types_of(pool)) {
      const bool kept = std::any_of(claim.options.begin(), claim.options.end(),
                                    [&](const InstanceType& o) { return o.name == t.name; });
      if (kept && (!best || t.price_usd_per_hour < best->price_usd_per_hour)) {
        c.replacement = t;
        best = &c.replacement;
        best_pool = pool;
      }
    }
  }
  if (!best || best->price_usd_per_hour >= price - 1e-12) return c;
  c.replace = true;
  c.pool = best_pool;
  c.valid = true;
  return c;
}

void Karpenter::execute(const Command& command) {
  if (command.replace) {
    const std::uint32_t l = launch(command.pool, command.replacement, kRegistrationTtl);
    replacing_[l] = command.nodes;
    in_flight_[l] = {command.replacement.cpu_milli, command.replacement.memory_bytes,
                     scheduling::kDefaultMaxPods,
                     core_.template_class(command.pool, command.replacement.name), l};
    return;
  }
  for (std::uint32_t node : command.nodes)
    retire(node, kDisrupted);
  finish_retirements();
}

void Karpenter::disrupt() {
  finish_retirements();
  std::vector<std::uint32_t> nodes = candidates();
  if (command_pending_ || !core_.pending().empty() || !in_flight_.empty() || !replacing_.empty())
    return;
  // Within each pool's budget.
  std::map<std::uint32_t, std::uint32_t> budget;
  for (std::uint32_t pool : pools_)
    budget[pool] = budget_left(pool);
  const auto within_budget = [&](const std::vector<std::uint32_t>& set) {
    std::map<std::uint32_t, std::uint32_t> need;
    for (std::uint32_t n : set)
      ++need[static_cast<std::uint32_t>(core_.node_pool(n))];
    for (const auto& [pool, count] : need) {
      if (count > budget[pool]) return false;
    }
    return true;
  };
  // Emptiness: every empty candidate, within the budget.
  std::vector<std::uint32_t> empty;
  for (std::uint32_t n : nodes) {
    if (!core_.pods_on(n).empty()) continue;
    const auto pool = static_cast<std::uint32_t>(core_.node_pool(n));
    if (budget[pool] == 0) continue;
    --budget[pool];
    empty.push_back(n);
  }
  if (!empty.empty()) {
    for (std::uint32_t n : empty)
      retire(n, kDisrupted);
    finish_retirements();
    return;
  }
  if (!core_.config().karpenter.consolidate_underutilized) return;
  Command found;
  // Multi-node: the largest prefix [0, mid] (at least two nodes) that consolidates.
  const std::size_t limit =
      std::min<std::size_t>(nodes.size(), core_.config().karpenter.max_multi_node_candidates);
  if (limit >= 2) {
    std::size_t lo = 1;
    std::size_t hi = limit - 1;
    while (lo <= hi) {
      const std::size_t mid = (lo + hi) / 2;
      const std::vector<std::uint32_t> prefix(nodes.begin(),
                                              nodes.begin() + static_cast<std::ptrdiff_t>(mid + 1));
      Command c = within_budget(prefix) ? consolidation(prefix) : Command{};
      if (c.valid) {
        found = std::move(c);
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
  }
  // Single-node: the first node that consolidates on its own.
  for (std::size_t i = 0; i < nodes.size() && !found.valid; ++i) {
    if (within_budget({nodes[i]})) found = consolidation({nodes[i]});
  }
  if (!found.valid) return;
  command_ = found;
  command_pending_ = true;
  schedule_in(core_.config().karpenter.validation_delay, kValidate);
}

}  // namespace kt::models
