#include "engine/simulation.hpp"

#include <algorithm>
#include <numeric>

namespace kt {

namespace {

std::string time_text(SimTime t) {
  return t == kTimeMax ? std::string("the end of time") : format_duration(t);
}

std::uint64_t pair_key(GroupId from, GroupId to) {
  return (static_cast<std::uint64_t>(from) << 32) | to;
}

}  // namespace

void Context::fail_causality(LpId target, SimTime at) const {
  std::string message = "LP ";
  message += std::to_string(self_);
  message += " scheduled an event for LP ";
  message += std::to_string(target);
  message += " at ";
  message += time_text(at);
  message += ", before its current time ";
  message += format_duration(now_);
  throw CausalityError(message);
}

// --- partitions ---------------------------------------------------------------------------

Partition::Partition(Simulation& sim, std::uint32_t id, std::size_t partitions)
    : sim_(sim), id_(id) {
  outbox_[0].resize(partitions);
  outbox_[1].resize(partitions);
  staged_.resize(partitions);
}

void Partition::request_stop(SimTime now) {
  if (!stopped_) stop_time_ = now;
  stopped_ = true;
}

void Partition::fail_no_target(const Event& ev) const {
  throw std::out_of_range("LP " + std::to_string(ev.source) + " sent an event to LP " +
                          std::to_string(ev.target) + ", which does not exist");
}

void Partition::post_across_groups(const Event& ev, SimTime now, GroupId from, GroupId to) {
  const SimTime lookahead = sim_.group_lookahead_.empty()
                                ? sim_.lookahead(from, to)
                                : sim_.group_lookahead_[from * sim_.group_count_ + to];
  if (ev.time - now < lookahead) sim_.fail_lookahead(ev, now, from, to, lookahead);
  const std::uint32_t dest = sim_.partition_of_group_[to];
  if (dest == id_) {
    events_.push(ev);
    return;
  }
  Outbox& box = staged_[dest];
  box.events.push_back(ev);
  box.earliest = std::min(box.earliest, ev.time);
}

void Partition::drain_inbox(std::size_t parity) {
  for (const auto& sender : sim_.partitions_) {
    Outbox& box = sender->outbox_[parity][id_];
    // The events were written by another core: ask for them well ahead (measured: the push
    // otherwise waits on each line's transfer).
    const std::size_t n = box.events.size();
    const Event* data = box.events.data();
    for (std::size_t i = 0; i < n; ++i) {
      if (i + 16 < n) __builtin_prefetch(data + i + 16);
      events_.push(data[i]);
    }
    box.events.clear();
    box.earliest = kTimeMax;
  }
}

void Partition::publish() {
  for (std::size_t dest = 0; dest < staged_.size(); ++dest) {
    Outbox& from = staged_[dest];
    if (from.events.empty()) continue;
    Outbox& to = outbox_[parity_][dest];
    to.events.insert(to.events.end(), from.events.begin(), from.events.end());
    to.earliest = std::min(to.earliest, from.earliest);
    from.events.clear();
    from.earliest = kTimeMax;
  }
}

void Partition::run_window(SimTime horizon, std::size_t parity) {
  try {
    drain_inbox(parity ^ 1);
    parity_ = parity;
    Simulation& sim = sim_;
    std::uint64_t handled = 0;
    Event ev;
    while (events_.pop_before(horizon, ev)) {
      Simulation::LpState& state = sim.lp_state_[sim.state_slot_[ev.target]];
      Context ctx(*this, ev.time, ev.target, state.rng, state.next_seq);
      sim.lps_[ev.target]->handle(ev, ctx);
      ++handled;
      if (stopped_) break;
    }
    handled_ += handled;
    publish();
  } catch (...) {
    error_ = std::current_exception();
  }
}

// --- the simulation -----------------------------------------------------------------------

Simulation::Simulation(std::uint64_t seed, std::uint64_t replication)
    : seed_(seed), replication_(replication) {}

Simulation::~Simulation() = default;

LpId Simulation::add(LogicalProcess& lp, GroupId group) {
  if (lps_.size() >= kNoLp) throw std::length_error("too many logical processes");
  if (group >= kNoLp) throw std::length_error("group id out of range");
  const auto id = static_cast<LpId>(lps_.size());
  lps_.push_back(&lp);
  state_slot_.push_back(static_cast<std::uint32_t>(lp_state_.size()));
  lp_state_.push_back({RandomStream(seed_, replication_, id), 0});
  layout_stale_ = true;
  group_of_.push_back(group);
  if (group >= group_count_) {
    group_count_ = group + 1;
    plan_stale_ = true;
  }
  // A new LP in a group that is already placed changes nothing; only more partitions than one
  // need the plan redone (the partition of each group is fixed by the plan).
  if (partitions_.size() > 1) plan_stale_ = true;
  return id;
}

void Simulation::set_lookahead(SimTime between_groups) {
  if (between_groups < 0) throw std::invalid_argument("lookahead must not be negative");
  uniform_lookahead_ = between_groups;
  plan_stale_ = true;
}

void Simulation::set_lookahead(GroupId from, GroupId to, SimTime delay) {
  if (delay < 0) throw std::invalid_argument("lookahead must not be negative");
  lookahead_overrides_[pair_key(from, to)] = delay;
  plan_stale_ = true;
}

SimTime Simulation::overridden_lookahead(GroupId from, GroupId to) const {
  const auto it = lookahead_overrides_.find(pair_key(from, to));
  return it == lookahead_overrides_.end() ? uniform_lookahead_ : it->second;
}

void Simulation::set_threads(unsigned threads) {
  const unsigned t = std::max(threads, 1u);
  if (t != threads_) plan_stale_ = true;
  threads_ = t;
}

void Simulation::fail_lookahead(const Event& ev, SimTime now, GroupId from, GroupId to,
                                SimTime lookahead) const {
  std::string message = "LP ";
  message += std::to_string(ev.source);
  message += " (group " + std::to_string(from) + ") scheduled an event for LP ";
  message += std::to_string(ev.target);
  message += " (group " + std::to_string(to) + ") at ";
  message += format_duration(ev.time);
  message += ", sent at ";
  message += format_duration(now);
  if (lookahead == kNever) {
    message += ", but its model declared that the first group never sends to the second";
  } else {
    message += ": ";
    message += format_duration(ev.time - now);
    message += " ahead, less than the lookahead of ";
    message += format_duration(lookahead);
    message += " declared between the groups";
  }
  throw LookaheadError(message);
}

namespace {

// Union-find over group ids, for merging groups that exchange immediate events.
struct Components {
  std::vector<std::uint32_t> parent;
  explicit Components(std::size_t n) : parent(n) { std::iota(parent.begin(), parent.end(), 0u); }
  std::uint32_t find(std::uint32_t x) {
    while (parent[x] != x)
      x = parent[x] = parent[parent[x]];
    return x;
  }
  void unite(std::uint32_t a, std::uint32_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent[std::max(a, b)] = std::min(a, b);  // the smallest id names it
  }
};

}  // namespace

// Groups with zero lookahead in either direction are merged into components; components are
// dealt, in group order, into at most `threads_` partitions of about equal LP counts.
void Simulation::plan_partitions(std::vector<std::uint32_t>& partition_of_group,
                                 std::size_t& count) {
  const std::size_t groups = group_count_;
  partition_of_group.assign(groups, 0);
  count = 1;
  if (threads_ <= 1 || groups <= 1) return;
  std::vector<std::size_t> lps_in_group(groups, 0);
  for (GroupId g : group_of_)
    ++lps_in_group[g];
  Components comp(groups);
  if (uniform_lookahead_ == 0) {
    // Only groups named in overrides can be apart from the others; the rest are one.
    std::vector<GroupId> named;
    for (const auto& entry : lookahead_overrides_) {
      for (const GroupId g : {static_cast<GroupId>(entry.first >> 32),
                              static_cast<GroupId>(entry.first & 0xFFFF'FFFFu)}) {
        if (g < groups && lps_in_group[g] != 0) named.push_back(g);
      }
    }
    std::sort(named.begin(), named.end());
    named.erase(std::unique(named.begin(), named.end()), named.end());
    GroupId rest = kNoLp;
    for (GroupId g = 0; g < groups; ++g) {
      if (lps_in_group[g] == 0 || std::binary_search(named.begin(), named.end(), g)) continue;
      if (rest == kNoLp) rest = g;
      comp.unite(rest, g);
    }
    for (const GroupId a : named) {
      for (GroupId b = 0; b < groups; ++b) {
        if (b != a && lps_in_group[b] != 0 && (lookahead(a, b) == 0 || lookahead(b, a) == 0)) {
          comp.unite(a, b);
        }
      }
    }
  } else {
    for (const auto& [key, delay] : lookahead_overrides_) {
      const auto a = static_cast<GroupId>(key >> 32);
      const auto b = static_cast<GroupId>(key & 0xFFFF'FFFFu);
      if (delay == 0 && a < groups && b < groups) comp.unite(a, b);
    }
  }
  std::vector<std::size_t> lps_in_component(groups, 0);
  std::size_t components = 0;
  for (GroupId g = 0; g < groups; ++g) {
    if (lps_in_group[g] == 0) continue;
    if (lps_in_component[comp.find(g)] == 0) ++components;
    lps_in_component[comp.find(g)] += lps_in_group[g];
  }
  const std::size_t parts = std::min<std::size_t>(threads_, components);
  if (parts <= 1) return;
  // Components in order of their smallest group, dealt by cumulative LP count into contiguous
  // runs, leaving at least one component for every partition still to fill.
  std::vector<std::uint32_t> partition_of_component(groups, 0);
  std::size_t seen = 0;
  std::size_t index = 0;
  std::uint32_t last = 0;
  for (GroupId g = 0; g < groups; ++g) {
    if (lps_in_group[g] == 0 || comp.find(g) != g) continue;
    std::size_t p = seen * parts / lps_.size();
    if (index + parts > components) p = std::max(p, index + parts - components);
    p = std::clamp<std::size_t>(p, last, index == 0 ? 0 : last + 1);
    partition_of_component[g] = static_cast<std::uint32_t>(p);
    last = static_cast<std::uint32_t>(p);
    seen += lps_in_component[g];
    ++index;
  }
  // Renumber the partitions actually used (a large component can swallow a share).
  std::vector<std::uint32_t> renumber(parts, kNoLp);
  std::uint32_t used = 0;
  for (GroupId g = 0; g < groups; ++g) {
    if (lps_in_group[g] == 0) continue;
    std::uint32_t& r = renumber[partition_of_component[comp.find(g)]];
    if (r == kNoLp) r = used++;
    partition_of_group[g] = r;
  }
  count = used;
}

void Simulation::prepare() {
  if (!plan_stale_ && !partitions_.empty()) return;
  std::vector<std::uint32_t> partition_of_group;
  std::size_t count = 1;
  plan_partitions(partition_of_group, count);
  plan_stale_ = false;
  // Every pair's lookahead as an array read on the path of each event between groups (a
  // hash look-up there was 2 % of an M/M/3 run); beyond 256 groups the map is read instead.
  group_lookahead_.clear();
  if (group_count_ <= 256) {
    group_lookahead_.resize(static_cast<std::size_t>(group_count_) * group_count_);
    for (GroupId a = 0; a < group_count_; ++a) {
      for (GroupId b = 0; b < group_count_; ++b)
        group_lookahead_[a * group_count_ + b] = lookahead(a, b);
    }
  }
  layout_stale_ = true;
  if (count == 1 && partitions_.size() == 1) {  // still one partition: keep its events
    partition_of_group_ = std::move(partition_of_group);
    return;
  }
  std::vector<Event> pending;
  for (auto& part : partitions_) {
    handled_before_plan_ += part->handled_;
    while (!part->events_.empty())
      pending.push_back(part->events_.pop());
  }
  partitions_.clear();
  partition_of_group_ = std::move(partition_of_group);
  for (std::uint32_t p = 0; p < count; ++p)
    partitions_.push_back(std::make_unique<Partition>(*this, p, count));
  for (const Event& ev : pending)
    partitions_[partition_of_group_[group_of_[ev.target]]]->events_.push(ev);

  // The lookahead between partitions: the least over the pairs of their groups.
  partition_lookahead_.assign(count * count, kNever);
  window_cap_ = kNever;
  if (count == 1) return;
  std::vector<bool> has_lps(group_count_, false);
  for (const GroupId g : group_of_)
    has_lps[g] = true;
  std::vector<std::size_t> groups_in(count, 0);
  for (GroupId g = 0; g < group_count_; ++g) {
    if (has_lps[g]) ++groups_in[partition_of_group_[g]];
  }
  std::vector<std::size_t> overridden(count * count, 0);
  for (const auto& [key, delay] : lookahead_overrides_) {
    const auto a = static_cast<GroupId>(key >> 32);
    const auto b = static_cast<GroupId>(key & 0xFFFF'FFFFu);
    if (a >= group_count_ || b >= group_count_ || !has_lps[a] || !has_lps[b]) continue;
    const std::size_t pa = partition_of_group_[a];
    const std::size_t pb = partition_of_group_[b];
    if (pa == pb) continue;
    SimTime& la = partition_lookahead_[pa * count + pb];
    la = std::min(la, delay);
    ++overridden[pa * count + pb];
  }
  for (std::size_t a = 0; a < count; ++a) {
    for (std::size_t b = 0; b < count; ++b) {
      if (a == b) continue;
      SimTime& la = partition_lookahead_[a * count + b];
      if (overridden[a * count + b] < groups_in[a] * groups_in[b]) {
        la = std::min(la, uniform_lookahead_);
      }
      window_cap_ = std::min(window_cap_, la);
    }
  }
}

void Simulation::lay_out_lp_state() {
  layout_stale_ = false;
  const std::size_t count = partitions_.size();
  if (count == 1) return;  // one thread writes them all: any order will do
  // Slots per partition, rounded up so that the next partition starts on a fresh pair of
  // lines (adjacent-line prefetchers fetch lines in pairs).
  constexpr std::size_t kPair = 2 * kCacheLine;
  const std::size_t stride = std::lcm(sizeof(LpState), kPair) / sizeof(LpState);
  std::vector<std::size_t> first(count + 1, 0);
  for (LpId lp = 0; lp < lps_.size(); ++lp)
    ++first[partition_of_group_[group_of_[lp]] + 1];
  for (std::size_t p = 1; p <= count; ++p)
    first[p] = first[p - 1] + (first[p] + stride - 1) / stride * stride;
  decltype(lp_state_) laid_out(first[count], LpState{RandomStream(0, 0, 0), 0});
  for (LpId lp = 0; lp < lps_.size(); ++lp) {
    const std::uint32_t slot =
        static_cast<std::uint32_t>(first[partition_of_group_[group_of_[lp]]]++);
    laid_out[slot] = lp_state_[state_slot_[lp]];
    state_slot_[lp] = slot;
  }
  lp_state_ = std::move(laid_out);
}

void Simulation::schedule(LpId target, SimTime at, EventKind kind, std::uint64_t payload,
                          std::uint16_t aux) {
  schedule_from(target, target, at, kind, payload, aux);
}

void Simulation::schedule_from(LpId source, LpId target, SimTime at, EventKind kind,
                               std::uint64_t payload, std::uint16_t aux) {
  if (target >= lps_.size()) {
    throw std::out_of_range("schedule: no LP " + std::to_string(target));
  }
  if (source >= lps_.size()) {
    throw std::out_of_range("schedule: no source LP " + std::to_string(source));
  }
  if (at < now_ || at == kTimeMax) {
    throw CausalityError("initial event for LP " + std::to_string(target) + " at " + time_text(at) +
                         ", before the current time " + format_duration(now_));
  }
  prepare();
  Event ev;
  ev.time = at;
  ev.target = target;
  ev.source = source;
  ev.seq = lp_state_[state_slot_[source]].next_seq++;
  ev.kind = kind;
  ev.aux = aux;
  ev.payload = payload;
  partitions_[partition_of_group_[group_of_[target]]]->events_.push(ev);
}

RunStats Simulation::run_until(SimTime end) {
  prepare();
  if (layout_stale_) lay_out_lp_state();
  return partitions_.size() == 1 ? run_sequential(end) : run_parallel(end);
}

RunStats Simulation::run_sequential(SimTime end) {
  RunStats stats;
  Partition& part = *partitions_.front();
  part.stopped_ = false;
  const std::uint64_t handled_before = part.handled_;
  Event ev;
  while (part.events_.pop_before(end, ev)) {
    now_ = ev.time;
    LpState& state = lp_state_[state_slot_[ev.target]];
    Context ctx(part, now_, ev.target, state.rng, state.next_seq);
    lps_[ev.target]->handle(ev, ctx);
    ++part.handled_;
    if (part.stopped_) {
      stats.stopped = true;
      break;
    }
  }
  if (!stats.stopped && end > now_) now_ = end;
  stats.events_handled = part.handled_ - handled_before;
  stats.end_time = now_;
  return stats;
}

std::uint64_t Simulation::events_handled() const {
  std::uint64_t n = handled_before_plan_;
  for (const auto& part : partitions_)
    n += part->handled_;
  return n;
}

std::size_t Simulation::pending() const {
  std::size_t n = 0;
  for (const auto& part : partitions_)
    n += part->events_.size();
  return n;
}

std::size_t Simulation::event_set_bytes() const {
  std::size_t n = 0;
  for (const auto& part : partitions_)
    n += part->events_.memory_bytes();
  return n;
}

}  // namespace kt
