#include "models/cluster/fleet_model.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <deque>
#include <map>
#include <memory>
#include <optional>

#include "engine/simulation.hpp"
#include "engine/statistics.hpp"
#include "models/cluster/service_pool.hpp"
#include "models/forecast/seasonal_ar.hpp"
#include "models/multicloud/latency_graph.hpp"
#include "models/workload/arrival_source.hpp"

namespace kt::models {

namespace {

using scheduling::NodeIndex;

// Events handled by the fleet LP.
enum : EventKind {
  kArrive = 1,    // aux: workload, payload: service demand (ns); a request reaches its origin
  kAtPod = 2,     // payload: request; it reaches the pod it was routed to
  kDepart = 3,    // payload: request; its service ends
  kPodReady = 4,  // payload: pod, aux: generation low bits; the container started
  kHpaSync = 5,   // payload: deployment
  kRetryPending = 6,
  kFaultStart = 7,    // payload: fault
  kFaultEnd = 8,      // payload: fault
  kNodeNotReady = 9,  // payload: global node, aux: fault generation low bits
  kEvictNode = 10,    // payload: global node, aux: fault generation low bits
  kSample = 11,
  kJobPodDone = 12,  // payload: pod, aux: generation; a Job's pod finished its work
  kJobRetry = 13,    // payload: job run; the back-off after a failed pod is over
};

constexpr std::uint32_t kNone = 0xFFFFFFFFu;

struct Request {
  SimTime arrival = 0;
  SimTime start = 0;
  SimTime service = 0;  // its demand, drawn by its source
  std::uint32_t workload = 0;
  std::uint32_t pod = kNone;
  bool alive = false;
  bool serving = false;              // in service (not queued)
  std::uint16_t pod_generation = 0;  // the pod it was routed to, not a later one in its slot
};

enum class PodState : std::uint8_t { pending, starting, ready, terminating, gone };

struct Pod {
  std::uint32_t deployment = 0;
  std::uint32_t place = 0;
  NodeIndex node = 0;
  PodState state = PodState::gone;
  std::uint16_t generation = 0;
  std::uint32_t busy = 0;
  std::deque<std::uint32_t> queue;
  bool node_down = false;  // its node stopped answering (pods look ready until NotReady)
  std::uint32_t job_run = 0xFFFFFFFFu;  // the Job run it works for (Job pods only)
};

// One run of a Job: upstream's Job controller keeps up to `parallelism` pods running until
// `completions` have succeeded, replacing failed ones after an exponential back-off (10 s,
// doubling, at most 6 min) until more than `backoffLimit` have failed.
struct JobRun {
  std::uint32_t deployment = 0;
  std::uint32_t workload = 0;
  SimTime submitted = 0;
  SimTime first_running = -1;
  std::uint32_t active = 0;
  std::uint32_t succeeded = 0;
  std::uint32_t failed = 0;
  bool finished = false;
};

struct NodeRuntime {
  bool down = false;
  bool unreachable = false;  // tainted node.kubernetes.io/unreachable
  SimTime unreachable_since = 0;
  std::uint16_t fault_generation = 0;
  // Images on the node and when each is (or will be) pulled: pods that start while a pull is
  // in progress wait for it, as kubelet's image manager does; later ones find it cached.
  std::vector<std::pair<std::uint32_t, SimTime>> images;
  std::vector<k8s::Taint> base_taints;
};

struct PlaceRuntime {
  scheduling::NodeTable table;
  std::unique_ptr<scheduling::Scheduler> scheduler;
  std::vector<NodeRuntime> nodes;
  std::vector<std::vector<std::uint32_t>> pods_on_node;
  std::uint32_t first_global_node = 0;
  double price_usd_per_hour = 0;  // all its nodes together
  double cpu_alloc_milli = 0;
  TimeWeighted cpu_busy_milli;
  RequestStats served;
  std::uint64_t evicted = 0;
  TimeWeighted ready_pods;
  double egress_bytes = 0;  // sent from here to other places
};

struct DeploymentRuntime {
  std::vector<scheduling::PreparedPod> prepared;  // per place
  std::vector<std::vector<std::uint32_t>> pods;   // per place: live pods
  std::int32_t desired = 0;
  std::optional<autoscaling::Hpa> hpa;
  double busy_area = 0;  // slot-nanoseconds since the last HPA sync
  SimTime busy_since = 0;
  std::uint32_t busy = 0;
  std::uint32_t ready = 0;
  TimeWeighted ready_tw;
  std::uint32_t image = 0;
  std::vector<multicloud::RegionOption> options;  // per entry of FleetDeployment::places
  std::uint64_t arrivals = 0;  // requests for it since the last sync (forecast input)
  std::uint64_t evicted = 0;
  std::uint64_t pending_max = 0;
  // Self-healing: from the moment pods are lost until the ready count is back at the desired
  // count.
  SimTime degraded_since = -1;
  SimTime recovery_max = 0;
  std::uint64_t recoveries = 0;
  std::uint64_t rto_missed = 0;
  std::vector<std::size_t> next_pod;  // per place: round-robin position
  std::optional<forecast::SeasonalAr> forecaster;
};

class Fleet final : public LogicalProcess {
 public:
  explicit Fleet(const FleetConfig& config) : config_(config) {
    for (std::size_t p = 0; p < config.places.size(); ++p) {
      graph_.add_place(config.places[p].name);
      places_.push_back(std::make_unique<PlaceRuntime>());
    }
    for (const LinkConfig& l : config.links)
      graph_.add_link(l.a, l.b, l.latency);
    std::uint32_t global = 0;
    for (std::size_t p = 0; p < places_.size(); ++p) {
      PlaceRuntime& place = *places_[p];
      place.first_global_node = global;
      for (const NodePoolConfig& pool : config.pools) {
        if (pool.place != p) continue;
        for (std::uint32_t i = 0; i < pool.count; ++i) {
          scheduling::NodeShape shape;
          shape.cpu_milli = pool.cpu_milli;
          shape.memory_bytes = pool.memory_bytes;
          shape.labels = pool.labels;
          shape.taints = pool.taints;
          place.table.add(shape);
          NodeRuntime node;
          node.base_taints = pool.taints;
          place.nodes.push_back(node);
          node_pool_.push_back(static_cast<std::int32_t>(&pool - config.pools.data()));
          node_place_.push_back(static_cast<std::uint32_t>(p));
          ++global;
        }
        place.price_usd_per_hour += pool.price_usd_per_hour * pool.count;
        place.cpu_alloc_milli += static_cast<double>(pool.cpu_milli) * pool.count;
      }
      place.pods_on_node.resize(place.table.size());
      place.scheduler = std::make_unique<scheduling::Scheduler>(place.table, config.scheduler);
    }
    std::vector<std::string> images;
    for (const FleetDeployment& d : config.deployments) {
      DeploymentRuntime rt;
      scheduling::PodSpecView view;
      view.cpu_milli = d.cpu_milli;
      view.memory_bytes = d.memory_bytes;
      view.node_selector = d.node_selector;
      view.node_affinity = d.node_affinity;
      view.tolerations = d.tolerations;
      // Upstream's DefaultTolerationSeconds admission adds these to every pod.
      for (const char* key : {"node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"}) {
        k8s::Toleration t;
        t.key = key;
        t.op = k8s::Toleration::Op::Exists;
        t.effect = k8s::TaintEffect::NoExecute;
        t.toleration_seconds = config.timings.unreachable_toleration / kSecond;
        view.tolerations.push_back(t);
      }
      for (auto& place : places_)
        rt.prepared.push_back(place->scheduler->prepare(view));
      rt.pods.resize(places_.size());
      rt.next_pod.assign(places_.size(), 0);
      rt.desired = static_cast<std::int32_t>(d.replicas);
      if (d.hpa && !config.static_replicas) {
        rt.hpa.emplace(*d.hpa);
        rt.desired = std::clamp(rt.desired, d.hpa->min_replicas, d.hpa->max_replicas);
        if (config.predictive || d.always_predictive) {
          const SimTime bin = d.hpa->sync_period;
          rt.forecaster.emplace(static_cast<std::size_t>(config.forecast_season / bin),
                                static_cast<std::size_t>(config.forecast_history / bin));
        }
      }
      const auto it = std::find(images.begin(), images.end(), d.image);
      rt.image = static_cast<std::uint32_t>(it - images.begin());
      if (it == images.end()) images.push_back(d.image);
      deployments_.push_back(std::move(rt));
    }
    workload_stats_.resize(config.workloads.size());
    placement_options();
  }

  // What each placement strategy weighs, per Deployment and place: the manifest's weight;
  // the price of one pod (the cheapest CPU among the place's pools, times the pod's CPU
  // request); the demand-weighted latency from the workloads' origins; the pods that fit.
  void placement_options() {
    for (std::size_t d = 0; d < deployments_.size(); ++d) {
      const FleetDeployment& dep = config_.deployments[d];
      const double pod_cpu = static_cast<double>(dep.cpu_milli > 0 ? dep.cpu_milli : 100);
      const double pod_mem = static_cast<double>(dep.memory_bytes > 0 ? dep.memory_bytes : 1);
      for (std::size_t i = 0; i < dep.places.size(); ++i) {
        const std::uint32_t place = dep.places[i];
        multicloud::RegionOption o;
        o.name = config_.places[place].name;
        o.weight = i < dep.weights.size() ? dep.weights[i] : 1.0;
        double cheapest = 1e300;
        std::int64_t capacity = 0;
        for (const NodePoolConfig& pool : config_.pools) {
          if (pool.place != place || pool.cpu_milli <= 0) continue;
          cheapest =
              std::min(cheapest, pool.price_usd_per_hour / static_cast<double>(pool.cpu_milli));
          const double per_node = std::min(static_cast<double>(pool.cpu_milli) / pod_cpu,
                                           static_cast<double>(pool.memory_bytes) / pod_mem);
          capacity += static_cast<std::int64_t>(per_node) * pool.count;
        }
        o.price_usd_per_pod_hour = cheapest < 1e300 ? cheapest * pod_cpu : 1e300;
        o.capacity_pods = capacity;
        double rate = 0;
        double weighted = 0;
        for (const FleetWorkload& w : config_.workloads) {
          if (w.deployment != d) continue;
          const SimTime l = graph_.latency(w.origin, place);
          const double r = w.arrival.rate_per_s > 0 ? w.arrival.rate_per_s : 1.0;
          rate += r;
          weighted += r * (l == kTimeMax ? 1e12 : static_cast<double>(l));
        }
        o.latency_to_demand = rate > 0 ? static_cast<SimTime>(weighted / rate) : 0;
        deployments_[d].options.push_back(o);
      }
    }
  }

  void start(Simulation& sim, LpId self) {
    for (std::size_t d = 0; d < deployments_.size(); ++d) {
      if (deployments_[d].hpa) {
        sim.schedule(self, deployments_[d].hpa->config().sync_period, kHpaSync,
                     static_cast<std::uint32_t>(d));
      }
    }
    for (std::size_t f = 0; f < config_.faults.size(); ++f) {
      sim.schedule(self, config_.faults[f].at, kFaultStart, static_cast<std::uint32_t>(f));
    }
    sim.schedule(self, 0, kSample);
    sim.schedule(self, 0, kRetryPending);  // creates the initial pods at time 0
  }

  void handle(const Event& ev, Context& ctx) override {
    switch (ev.kind) {
      case kArrive:
        arrive(ev.aux, static_cast<SimTime>(ev.payload), ctx);
        break;
      case kAtPod:
        at_pod(ev.payload, ctx);
        break;
      case kDepart:
        depart(ev.payload, ctx);
        break;
      case kPodReady:
        pod_ready(ev.payload, ev.aux, ctx);
        break;
      case kHpaSync:
        hpa_sync(ev.payload, ctx);
        break;
      case kRetryPending:
        retry_pending(ctx);
        break;
      case kFaultStart:
        fault(ev.payload, true, ctx);
        break;
      case kFaultEnd:
        fault(ev.payload, false, ctx);
        break;
      case kNodeNotReady:
        node_not_ready(ev.payload, ev.aux, ctx);
        break;
      case kEvictNode:
        evict_node(ev.payload, ev.aux, ctx);
        break;
      case kSample:
        sample(ctx);
        break;
      case kJobPodDone:
        job_pod_done(ev.payload, ev.aux, ctx);
        break;
      case kJobRetry:
        job_fill(ev.payload, ctx);
        break;
      default:
        break;
    }
  }

  void finish(SimTime end, FlowResult& result);

 private:
  // --- requests -----------------------------------------------------------------------
  std::uint32_t new_request() {
    if (!free_requests_.empty()) {
      const std::uint32_t r = free_requests_.back();
      free_requests_.pop_back();
      return r;
    }
    requests_.emplace_back();
    return static_cast<std::uint32_t>(requests_.size() - 1);
  }

  void fail_request(std::uint32_t r, SimTime now) {
    Request& req = requests_[r];
    if (now >= config_.warmup) ++workload_stats_[req.workload].failed;
    req.alive = false;
  }

  SimTime latency(std::uint32_t from, std::uint32_t to) { return graph_.latency(from, to); }

  static std::uint32_t load_of(const Pod& pod) {
    return pod.state == PodState::ready ? pod.busy + static_cast<std::uint32_t>(pod.queue.size())
                                        : kNone;
  }
  void sync_load(std::uint32_t p) { ready_load_[p] = load_of(pods_[p]); }

  // Waterfall routing, as global load balancers do: the nearest place with a ready pod that
  // has a free slot; if every ready pod is busy, the nearest place with a ready pod. Within a
  // place: the ready pod with the fewest outstanding requests.
  std::uint32_t route(std::uint32_t deployment, std::uint32_t origin) {
    const FleetDeployment& d = config_.deployments[deployment];
    DeploymentRuntime& rt = deployments_[deployment];
    std::uint32_t best_free = kNone;
    SimTime best_free_latency = kTimeMax;
    std::uint32_t best_any = kNone;
    SimTime best_any_latency = kTimeMax;
    std::uint64_t best_any_load = UINT64_MAX;
    for (std::uint32_t place : d.places) {
      const SimTime l = latency(origin, place);
      if (l == kTimeMax) continue;  // unreachable
      std::uint32_t least = kNone;
      std::uint32_t least_load = kNone;  // a pod that is not ready (load kNone) never wins
      if (d.round_robin) {
        // The next ready pod after the last one used in this place.
        const auto& list = rt.pods[place];
        const std::size_t next = rt.next_pod[place];
        for (std::size_t k = 0; k < list.size() && least == kNone; ++k) {
          const std::uint32_t p = list[(next + k) % list.size()];
          assert(ready_load_[p] == load_of(pods_[p]));
          if (ready_load_[p] == kNone) continue;
          least = p;
          least_load = ready_load_[p];
        }
      } else {
        for (std::uint32_t p : rt.pods[place]) {
          assert(ready_load_[p] == load_of(pods_[p]));
          const std::uint32_t load = ready_load_[p];
          if (load < least_load) {
            least_load = load;
            least = p;
          }
        }
      }
      if (least == kNone) continue;
      if (least_load < d.concurrency && l < best_free_latency) {
        best_free_latency = l;
        best_free = least;
      }
      if (l < best_any_latency || (l == best_any_latency && least_load < best_any_load)) {
        best_any_latency = l;
        best_any = least;
        best_any_load = least_load;
      }
    }
    const std::uint32_t chosen = best_free != kNone ? best_free : best_any;
    if (d.round_robin && chosen != kNone) {  // the place that served moves on by one
      const std::uint32_t place = pods_[chosen].place;
      const auto& list = rt.pods[place];
      const auto at = std::find(list.begin(), list.end(), chosen) - list.begin();
      rt.next_pod[place] = (static_cast<std::size_t>(at) + 1) % list.size();
    }
    return chosen;
  }

  void arrive(std::uint32_t workload, SimTime service, Context& ctx) {
    const SimTime now = ctx.now();
    RequestStats& stats = workload_stats_[workload];
    if (now >= config_.warmup) ++stats.arrivals;
    const FleetWorkload& w = config_.workloads[workload];
    ++deployments_[w.deployment].arrivals;
    if (config_.deployments[w.deployment].job) {
      JobRun run;
      run.deployment = w.deployment;
      run.workload = workload;
      run.submitted = now;
      job_runs_.push_back(run);
      job_fill(static_cast<std::uint32_t>(job_runs_.size() - 1), ctx);
      return;
    }
    const std::uint32_t pod = route(w.deployment, w.origin);
    if (pod == kNone) {
      if (now >= config_.warmup) ++stats.failed;  // no endpoint: the ingress answers 503
      return;
    }
    const std::uint32_t r = new_request();
    requests_[r] = {now, 0, service, workload, pod, true, false, pods_[pod].generation};
    ctx.schedule(ctx.self(), now + latency(w.origin, pods_[pod].place), kAtPod, r);
  }

  void at_pod(std::uint32_t r, Context& ctx) {
    Request& req = requests_[r];
    Pod& pod = pods_[req.pod];
    if (pod.generation != req.pod_generation || pod.state != PodState::ready || pod.node_down) {
      fail_request(r, ctx.now());  // the pod went away or its node is down: connection error
      free_requests_.push_back(r);
      return;
    }
    if (pod.busy < config_.deployments[pod.deployment].concurrency) {
      start_service(r, ctx);
    } else {
      pod.queue.push_back(r);
      sync_load(req.pod);
      ++workload_stats_[req.workload].queued;
    }
  }

  void set_busy(std::uint32_t deployment, std::uint32_t place, int delta, SimTime now) {
    DeploymentRuntime& rt = deployments_[deployment];
    rt.busy_area += static_cast<double>(rt.busy) * static_cast<double>(now - rt.busy_since);
    rt.busy_since = now;
    rt.busy = static_cast<std::uint32_t>(static_cast<int>(rt.busy) + delta);
    const FleetDeployment& d = config_.deployments[deployment];
    places_[place]->cpu_busy_milli.add(
        now, delta * static_cast<double>(d.cpu_milli > 0 ? d.cpu_milli : 100) / d.concurrency);
  }

  void start_service(std::uint32_t r, Context& ctx) {
    Request& req = requests_[r];
    Pod& pod = pods_[req.pod];
    req.start = ctx.now();
    req.serving = true;
    ++pod.busy;
    sync_load(req.pod);
    ++workload_stats_[req.workload].in_service;
    set_busy(pod.deployment, pod.place, +1, ctx.now());
    ctx.schedule_in(ctx.self(), req.service, kDepart, r);
  }

  void depart(std::uint32_t r, Context& ctx) {
    Request& req = requests_[r];
    const SimTime now = ctx.now();
    if (!req.alive) {  // failed with its node; its slot was released then
      free_requests_.push_back(r);
      return;
    }
    Pod& pod = pods_[req.pod];
    RequestStats& stats = workload_stats_[req.workload];
    --stats.in_service;
    --pod.busy;
    sync_load(req.pod);
    set_busy(pod.deployment, pod.place, -1, now);
    const FleetWorkload& w = config_.workloads[req.workload];
    // The response travels back to the origin.
    const SimTime back = latency(pod.place, w.origin);
    const SimTime done = back == kTimeMax ? kTimeMax : now + back;
    if (done == kTimeMax) {
      fail_request(r, now);
    } else if (done >= config_.warmup) {
      if (pod.place != w.origin) {  // the request crossed to another place and back
        places_[w.origin]->egress_bytes += static_cast<double>(w.request_bytes);
        places_[pod.place]->egress_bytes += static_cast<double>(w.response_bytes);
      }
      const SimTime lat = done - req.arrival;
      const SimTime wait = req.start - req.arrival - latency(w.origin, pod.place);
      for (RequestStats* s : {&stats, &places_[pod.place]->served}) {
        ++s->completed;
        s->latency_sum_ns += static_cast<double>(lat);
        s->wait_sum_ns += static_cast<double>(std::max<SimTime>(wait, 0));
        s->latency_ns.record(lat);
      }
      stats.interval_latency.record(lat);
    }
    req.alive = false;
    free_requests_.push_back(r);
    const std::uint32_t pod_id = req.pod;
    if (!pod.queue.empty()) {
      const std::uint32_t next = pod.queue.front();
      pod.queue.pop_front();
      sync_load(pod_id);
      --workload_stats_[requests_[next].workload].queued;
      start_service(next, ctx);
    } else if (pod.state == PodState::terminating && pod.busy == 0) {
      remove_pod(pod_id, ctx);
    }
  }

  // --- pods -----------------------------------------------------------------------------
  std::uint32_t new_pod() {
    if (!free_pods_.empty()) {
      const std::uint32_t p = free_pods_.back();
      free_pods_.pop_back();
      return p;
    }
    pods_.emplace_back();
    ready_load_.push_back(kNone);
    return static_cast<std::uint32_t>(pods_.size() - 1);
  }

  void set_ready(std::uint32_t deployment, std::uint32_t place, int delta, SimTime now) {
    DeploymentRuntime& rt = deployments_[deployment];
    rt.ready = static_cast<std::uint32_t>(static_cast<int>(rt.ready) + delta);
    rt.ready_tw.set(now, rt.ready);
    places_[place]->ready_pods.add(now, delta);
    if (delta > 0 && rt.degraded_since >= 0 && static_cast<std::int32_t>(rt.ready) >= rt.desired) {
      const SimTime took = now - rt.degraded_since;
      rt.recovery_max = std::max(rt.recovery_max, took);
      ++rt.recoveries;
      const SimTime rto = config_.deployments[deployment].recovery_time_objective;
      if (rto > 0 && took > rto) ++rt.rto_missed;
      rt.degraded_since = -1;
    }
  }

  // Tries to place a pending pod; starts it if a node fits.
  bool try_schedule(std::uint32_t p, Context& ctx) {
    Pod& pod = pods_[p];
    PlaceRuntime& place = *places_[pod.place];
    auto node = place.scheduler->schedule(deployments_[pod.deployment].prepared[pod.place]);
    if (!node) return false;
    pod.node = *node;
    pod.state = PodState::starting;
    sync_load(p);
    place.pods_on_node[*node].push_back(p);
    NodeRuntime& nr = place.nodes[*node];
    pod.node_down = nr.down;  // a node in its grace period still looks Ready to the scheduler
    const std::uint32_t image = deployments_[pod.deployment].image;
    // Binding, then the pull (unless cached or in progress), then the container start.
    const SimTime now =
        ctx.now() + std::llround(config_.timings.scheduling.sample(ctx.rng()) * 1e9);
    SimTime pulled = now;
    auto cached = std::find_if(nr.images.begin(), nr.images.end(),
                               [&](const auto& entry) { return entry.first == image; });
    if (cached == nr.images.end()) {  // first pull on this node
      pulled = now + std::llround(config_.timings.image_pull.sample(ctx.rng()) * 1e9);
      nr.images.emplace_back(image, pulled);
    } else {
      pulled = std::max(now, cached->second);
    }
    const SimTime start = std::llround(config_.timings.container_start.sample(ctx.rng()) * 1e9);
    ctx.schedule(ctx.self(), pulled + start, kPodReady, p, pod.generation);
    return true;
  }

  void pod_ready(std::uint32_t p, std::uint16_t generation, Context& ctx) {
    Pod& pod = pods_[p];
    if (pod.generation != generation || pod.state != PodState::starting || pod.node_down) return;
    pod.state = PodState::ready;
    sync_load(p);
    set_ready(pod.deployment, pod.place, +1, ctx.now());
    if (pod.job_run != kNone) {  // a Job's pod runs its work, then exits
      JobRun& run = job_runs_[pod.job_run];
      if (run.first_running < 0) run.first_running = ctx.now();
      const double seconds = config_.workloads[run.workload].service_time.sample(ctx.rng());
      ctx.schedule_in(ctx.self(), std::llround(seconds * 1e9), kJobPodDone, p, pod.generation);
    }
  }

  // --- jobs ---------------------------------------------------------------------------
  // Starts pods until `parallelism` are active or every completion has a pod.
  void job_fill(std::uint32_t r, Context& ctx) {
    JobRun& run = job_runs_[r];
    if (run.finished) return;
    const FleetJob& job = *config_.deployments[run.deployment].job;
    while (run.active < job.parallelism && run.succeeded + run.active < job.completions) {
      ++run.active;
      const std::uint32_t p =
          create_pod(run.deployment, config_.deployments[run.deployment].places.front(), ctx);
      pods_[p].job_run = r;
    }
  }

  void job_pod_done(std::uint32_t p, std::uint16_t generation, Context& ctx) {
    Pod& pod = pods_[p];
    if (pod.generation != generation || pod.state != PodState::ready || pod.node_down) return;
    const std::uint32_t r = pod.job_run;
    remove_pod(p, ctx);
    JobRun& run = job_runs_[r];
    --run.active;
    ++run.succeeded;
    const FleetJob& job = *config_.deployments[run.deployment].job;
    if (run.succeeded >= job.completions) {
      finish_job(r, true, ctx);
    } else {
      job_fill(r, ctx);
    }
    after_change(ctx);
  }

  void job_pod_failed(std::uint32_t r, Context& ctx) {
    JobRun& run = job_runs_[r];
    --run.active;
    ++run.failed;
    const FleetJob& job = *config_.deployments[run.deployment].job;
    if (run.failed > job.backoff_limit) {
      finish_job(r, false, ctx);
      return;
    }
    // Upstream's back-off for failed Job pods: 10 s, doubling, capped at 6 minutes.
    const SimTime delay =
        std::min<SimTime>(10 * kSecond << std::min<std::uint32_t>(run.failed - 1, 6), 6 * kMinute);
    ctx.schedule_in(ctx.self(), delay, kJobRetry, r);
  }

  void finish_job(std::uint32_t r, bool success, Context& ctx) {
    JobRun& run = job_runs_[r];
    run.finished = true;
    const SimTime now = ctx.now();
    if (now < config_.warmup) return;
    RequestStats& stats = workload_stats_[run.workload];
    if (!success) {
      ++stats.failed;
      return;
    }
    // A Job run is a request whose latency is its makespan and whose wait is the time until
    // its first pod ran.
    const SimTime makespan = now - run.submitted;
    ++stats.completed;
    stats.latency_sum_ns += static_cast<double>(makespan);
    stats.wait_sum_ns += static_cast<double>(run.first_running - run.submitted);
    stats.latency_ns.record(makespan);
  }

  std::uint32_t create_pod(std::uint32_t deployment, std::uint32_t place, Context& ctx) {
    const std::uint32_t p = new_pod();
    Pod& pod = pods_[p];
    const std::uint16_t generation = static_cast<std::uint16_t>(pod.generation + 1);
    pod = Pod{};
    pod.generation = generation;
    pod.deployment = deployment;
    pod.place = place;
    pod.state = PodState::pending;
    sync_load(p);
    deployments_[deployment].pods[place].push_back(p);
    if (!try_schedule(p, ctx)) pending_.push_back(p);
    return p;
  }

  // Releases what a pod booked and forgets it.
  void remove_pod(std::uint32_t p, Context& ctx) {
    Pod& pod = pods_[p];
    PlaceRuntime& place = *places_[pod.place];
    if (pod.state == PodState::ready) set_ready(pod.deployment, pod.place, -1, ctx.now());
    if (pod.state != PodState::pending) {
      place.scheduler->release(pod.node, deployments_[pod.deployment].prepared[pod.place]);
      auto& on_node = place.pods_on_node[pod.node];
      on_node.erase(std::remove(on_node.begin(), on_node.end(), p), on_node.end());
    } else {
      pending_.erase(std::remove(pending_.begin(), pending_.end(), p), pending_.end());
    }
    auto& list = deployments_[pod.deployment].pods[pod.place];
    list.erase(std::remove(list.begin(), list.end(), p), list.end());
    pod.state = PodState::gone;
    sync_load(p);
    ++pod.generation;
    free_pods_.push_back(p);
    capacity_changed_ = true;
  }

  // Deleting a pod: it stops taking traffic, finishes what it holds, then goes.
  void delete_pod(std::uint32_t p, Context& ctx) {
    Pod& pod = pods_[p];
    if (pod.state == PodState::ready) set_ready(pod.deployment, pod.place, -1, ctx.now());
    if (pod.state == PodState::ready && (pod.busy > 0 || !pod.queue.empty())) {
      pod.state = PodState::terminating;
      sync_load(p);
      auto& list = deployments_[pod.deployment].pods[pod.place];
      list.erase(std::remove(list.begin(), list.end(), p), list.end());
      return;
    }
    if (pod.state == PodState::ready) pod.state = PodState::terminating;  // counted already
    remove_pod(p, ctx);                                                   // syncs the load
  }

  // The ReplicaSet controller: make each place's live pods match its share of `desired`.
  void reconcile(std::uint32_t deployment, Context& ctx) {
    const FleetDeployment& d = config_.deployments[deployment];
    DeploymentRuntime& rt = deployments_[deployment];
    if (d.job) return;  // a Job's pods are managed by its runs, not by a replica count
    // A place whose nodes are all unreachable takes no replicas: the multi-cluster
    // controller moves its share to the places that are up (and back once it recovers).
    std::vector<multicloud::RegionOption> options = rt.options;
    if (d.places.size() > 1) {
      for (std::size_t i = 0; i < d.places.size(); ++i) {
        if (place_failed_over(d.places[i], ctx.now())) {
          options[i].weight = 0;
          options[i].capacity_pods = 0;
          options[i].price_usd_per_pod_hour = 1e300;
          options[i].latency_to_demand = kTimeMax;
        }
      }
    }
    const auto shares = multicloud::place_replicas(rt.desired, options, d.placement);
    for (std::size_t i = 0; i < d.places.size(); ++i) {
      const std::uint32_t place = d.places[i];
      auto& live = rt.pods[place];
      while (static_cast<std::int64_t>(live.size()) < shares[i])
        create_pod(deployment, place, ctx);
      while (static_cast<std::int64_t>(live.size()) > shares[i]) {
        // Upstream's ranking for deletion: pending before starting before ready; among ready
        // pods the least loaded (kubetwin's stand-in for "newest").
        std::uint32_t victim = live.back();
        int victim_rank = 99;
        std::uint64_t victim_load = UINT64_MAX;
        for (std::uint32_t p : live) {
          const Pod& pod = pods_[p];
          const int rank = pod.state == PodState::pending    ? 0
                           : pod.state == PodState::starting ? 1
                                                             : 2;
          const std::uint64_t load = pod.busy + pod.queue.size();
          if (rank < victim_rank || (rank == victim_rank && load < victim_load)) {
            victim = p;
            victim_rank = rank;
            victim_load = load;
          }
        }
        delete_pod(victim, ctx);
      }
    }
  }

  // Every node of the place has been unreachable for the pods' toleration: its pods are
  // being evicted, and a multi-cluster controller places its share elsewhere (before that,
  // as with Karmada's cluster failover toleration, the share stays put).
  bool place_failed_over(std::uint32_t place, SimTime now) const {
    const PlaceRuntime& p = *places_[place];
    if (p.nodes.empty()) return false;
    for (const NodeRuntime& n : p.nodes) {
      if (!n.unreachable || now - n.unreachable_since < config_.timings.unreachable_toleration) {
        return false;
      }
    }
    return true;
  }

  void retry_pending(Context& ctx) {
    if (!initialised_) {
      initialised_ = true;
      for (std::uint32_t d = 0; d < deployments_.size(); ++d)
        reconcile(d, ctx);
    }
    std::vector<std::uint32_t> still;
    for (std::uint32_t p : pending_) {
      if (pods_[p].state == PodState::pending && !try_schedule(p, ctx)) still.push_back(p);
    }
    pending_.swap(still);
    note_pending();
    capacity_changed_ = false;
    if (!pending_.empty())
      ctx.schedule_in(ctx.self(), config_.timings.pod_retry_interval, kRetryPending);
  }

  void note_pending() {
    pending_max_ = std::max<std::uint64_t>(pending_max_, pending_.size());
    for (DeploymentRuntime& rt : deployments_) {
      std::uint64_t n = 0;
      for (const auto& list : rt.pods) {
        for (std::uint32_t p : list)
          n += pods_[p].state == PodState::pending ? 1 : 0;
      }
      rt.pending_max = std::max(rt.pending_max, n);
    }
  }

  void after_change(Context& ctx) {
    note_pending();
    if (capacity_changed_ && !pending_.empty()) retry_pending(ctx);
  }

  void hpa_sync(std::uint32_t deployment, Context& ctx) {
    DeploymentRuntime& rt = deployments_[deployment];
    const SimTime now = ctx.now();
    const SimTime period = rt.hpa->config().sync_period;
    rt.busy_area += static_cast<double>(rt.busy) * static_cast<double>(now - rt.busy_since);
    rt.busy_since = now;
    // CPU utilisation relative to requests: a request in service uses 1/concurrency of the
    // pod's CPU request, so a pod with every slot busy runs at 100 %.
    const double slots =
        static_cast<double>(rt.ready) * config_.deployments[deployment].concurrency;
    const double utilization = slots > 0 ? rt.busy_area / (static_cast<double>(period) * slots) : 0;
    rt.busy_area = 0;
    std::int32_t current = 0;
    for (const auto& list : rt.pods)
      current += static_cast<std::int32_t>(list.size());
    rt.desired = rt.hpa->sync(now, current, static_cast<std::int32_t>(rt.ready), utilization);
    if (rt.forecaster) {
      // Provision for the rate forecast one pod start-up (plus a sync) ahead: the replicas
      // that keep utilisation at the HPA's target, never fewer than the HPA asks for.
      const FleetDeployment& d = config_.deployments[deployment];
      rt.forecaster->observe(static_cast<double>(rt.arrivals) / to_seconds(period));
      const double startup_s =
          config_.timings.image_pull.mean() + config_.timings.container_start.mean();
      const auto horizon = static_cast<std::size_t>(
          std::ceil((startup_s + to_seconds(period)) / to_seconds(period)));
      const double rate = rt.forecaster->forecast(horizon);
      const double needed = std::ceil(rate * d.mean_service_s /
                                      (d.concurrency * rt.hpa->config().target_utilization));
      const auto predicted = static_cast<std::int32_t>(std::min(needed, 1e6));
      rt.desired = std::max(rt.desired, std::clamp(predicted, rt.hpa->config().min_replicas,
                                                   rt.hpa->config().max_replicas));
    }
    rt.arrivals = 0;
    reconcile(deployment, ctx);
    after_change(ctx);
    ctx.schedule_in(ctx.self(), period, kHpaSync, deployment);
  }

  // --- faults ---------------------------------------------------------------------------
  struct NodeRef {
    PlaceRuntime& place;
    NodeIndex index;  // in its place's table
    NodeRuntime& node;
  };
  NodeRef node_ref(std::uint32_t global) {
    PlaceRuntime& place = *places_[node_place_[global]];
    const NodeIndex n = global - place.first_global_node;
    return {place, n, place.nodes[n]};
  }

  void node_down(std::uint32_t global, Context& ctx) {
    auto [place, n, nr] = node_ref(global);
    if (nr.down) return;
    nr.down = true;
    ++nr.fault_generation;
    // Requests on the node fail now; its pods still look ready until the node is NotReady.
    for (std::uint32_t p : place.pods_on_node[n]) {
      Pod& pod = pods_[p];
      pod.node_down = true;
      DeploymentRuntime& owner = deployments_[pod.deployment];
      if (owner.degraded_since < 0) owner.degraded_since = ctx.now();
      for (std::uint32_t r : pod.queue) {
        --workload_stats_[requests_[r].workload].queued;
        fail_request(r, ctx.now());
        free_requests_.push_back(r);
      }
      pod.queue.clear();
      sync_load(p);
      for (std::uint32_t r = 0; r < requests_.size() && pod.busy > 0; ++r) {
        Request& req = requests_[r];
        if (req.alive && req.serving && req.pod == p) {
          --workload_stats_[req.workload].in_service;
          --pod.busy;
          sync_load(p);
          set_busy(pod.deployment, pod.place, -1, ctx.now());
          fail_request(r, ctx.now());  // its departure event finds it dead and frees it
        }
      }
    }
    ctx.schedule_in(ctx.self(), config_.timings.node_monitor_grace_period, kNodeNotReady, global,
                    nr.fault_generation);
  }

  void node_not_ready(std::uint32_t global, std::uint16_t generation, Context& ctx) {
    auto [place, n, nr] = node_ref(global);
    if (!nr.down || nr.fault_generation != generation) return;
    nr.unreachable = true;
    nr.unreachable_since = ctx.now();
    // The node lifecycle controller taints an Unknown node twice: NoExecute (evict after the
    // pods' toleration) and NoSchedule (taint-by-condition: place nothing new there).
    std::vector<k8s::Taint> taints = nr.base_taints;
    taints.push_back({"node.kubernetes.io/unreachable", "", k8s::TaintEffect::NoExecute});
    taints.push_back({"node.kubernetes.io/unreachable", "", k8s::TaintEffect::NoSchedule});
    place.table.set_taints(n, taints);
    // The endpoints controller drops the node's pods from Services.
    for (std::uint32_t p : place.pods_on_node[n]) {
      Pod& pod = pods_[p];
      if (pod.state == PodState::ready) {
        set_ready(pod.deployment, pod.place, -1, ctx.now());
        pod.state = PodState::starting;  // not ready; its readiness comes back with the node
        sync_load(p);
        ++pod.generation;
      }
    }
    ctx.schedule_in(ctx.self(), config_.timings.unreachable_toleration, kEvictNode, global,
                    nr.fault_generation);
  }

  void evict_node(std::uint32_t global, std::uint16_t generation, Context& ctx) {
    auto [place, n, nr] = node_ref(global);
    if (!nr.down || nr.fault_generation != generation) return;
    // Taint-based eviction: the pods are deleted and their ReplicaSets replace them.
    const std::vector<std::uint32_t> victims = place.pods_on_node[n];
    std::vector<std::uint32_t> owners;
    std::vector<std::uint32_t> failed_runs;
    for (std::uint32_t p : victims) {
      if (ctx.now() >= config_.warmup) {
        ++place.evicted;
        ++deployments_[pods_[p].deployment].evicted;
      }
      if (pods_[p].job_run != kNone) {
        failed_runs.push_back(pods_[p].job_run);  // an evicted Job pod counts as failed
      } else {
        owners.push_back(pods_[p].deployment);
      }
      pods_[p].busy = 0;
      remove_pod(p, ctx);  // syncs the load
    }
    for (std::uint32_t r : failed_runs)
      job_pod_failed(r, ctx);
    std::sort(owners.begin(), owners.end());
    owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
    for (std::uint32_t d : owners)
      reconcile(d, ctx);
    after_change(ctx);
  }

  void node_up(std::uint32_t global, Context& ctx) {
    auto [place, n, nr] = node_ref(global);
    if (!nr.down) return;
    nr.down = false;
    ++nr.fault_generation;
    if (nr.unreachable) {
      nr.unreachable = false;
      place.table.set_taints(n, nr.base_taints);
    }
    // Pods that were not evicted become ready again (their containers restart).
    for (std::uint32_t p : place.pods_on_node[n]) {
      Pod& pod = pods_[p];
      pod.node_down = false;
      if (pod.state == PodState::starting) {
        ++pod.generation;
        const double restart = config_.timings.container_start.sample(ctx.rng());
        ctx.schedule_in(ctx.self(), std::llround(restart * 1e9), kPodReady, p, pod.generation);
      }
    }
    capacity_changed_ = true;
    for (std::uint32_t d = 0; d < deployments_.size(); ++d) {
      if (config_.deployments[d].places.size() > 1) reconcile(d, ctx);
    }
    after_change(ctx);
  }

  void fault(std::uint32_t f, bool begin, Context& ctx) {
    const FleetFault& fault = config_.faults[f];
    std::vector<std::uint32_t> nodes;
    for (std::uint32_t g = 0; g < node_place_.size(); ++g) {
      if (node_place_[g] != fault.place) continue;
      if (fault.pool >= 0 && node_pool_[g] != fault.pool) continue;
      nodes.push_back(g);
    }
    if (fault.kind == FleetFault::Kind::node_failure) {
      // One node: the first of the target that is up (when the fault begins) or that this
      // fault took down (when it ends).
      if (begin) {
        for (std::uint32_t g : nodes) {
          if (!node_is_down(g)) {
            failed_by_fault_[f] = g;
            node_down(g, ctx);
            break;
          }
        }
      } else if (failed_by_fault_.count(f)) {
        node_up(failed_by_fault_[f], ctx);
      }
    } else {
      for (std::uint32_t g : nodes)
        begin ? node_down(g, ctx) : node_up(g, ctx);
    }
    if (begin && fault.duration > 0) ctx.schedule_in(ctx.self(), fault.duration, kFaultEnd, f);
  }

  bool node_is_down(std::uint32_t global) const {
    const PlaceRuntime& place = *places_[node_place_[global]];
    return place.nodes[global - place.first_global_node].down;
  }

  // --- time series --------------------------------------------------------------------
  void sample(Context& ctx);

 public:
  const FleetConfig& config_;
  multicloud::LatencyGraph graph_;
  std::vector<std::unique_ptr<PlaceRuntime>> places_;
  std::vector<DeploymentRuntime> deployments_;
  std::vector<Pod> pods_;
  // Per pod: its outstanding requests (in service + queued) when ready, kNone otherwise. A
  // dense copy of what routing compares, kept by sync_load() after every change: scanning
  // a place's pods for the least loaded is the fleet's hottest loop, and 4 bytes per pod
  // read far faster than the whole Pod with its deque.
  std::vector<std::uint32_t> ready_load_;
  std::vector<std::uint32_t> free_pods_;
  std::vector<Request> requests_;
  std::vector<std::uint32_t> free_requests_;
  std::vector<std::uint32_t> pending_;
  std::vector<std::int32_t> node_pool_;
  std::vector<std::uint32_t> node_place_;
  std::map<std::uint32_t, std::uint32_t> failed_by_fault_;
  std::vector<RequestStats> workload_stats_;
  std::vector<JobRun> job_runs_;
  std::uint64_t pending_max_ = 0;
  bool capacity_changed_ = false;
  bool initialised_ = false;
  TimeSeries series_;
  SimTime sample_interval_ = kMinute;
  double sampled_egress_usd_ = 0;
};

void Fleet::sample(Context& ctx) {
  if (series_.columns.empty()) {
    series_.columns.push_back("time_s");
    for (const FleetWorkload& w : config_.workloads) {
      for (const char* c : {".replicas", ".in_flight", ".queued", ".completed", ".failed",
                            ".latency_p50_ms", ".latency_p99_ms"}) {
        series_.columns.push_back(w.name + c);
      }
    }
    series_.columns.push_back("pods.pending");
    series_.columns.push_back("cost_usd_per_hour");
    for (const PlaceConfig& p : config_.places)
      series_.columns.push_back(p.name + ".ready_pods");
    sample_interval_ = effective_sample_interval(config_.sample_interval, config_.duration);
  }
  series_.values.push_back(to_seconds(ctx.now()));
  for (std::size_t w = 0; w < config_.workloads.size(); ++w) {
    const RequestStats& s = workload_stats_[w];
    series_.values.push_back(deployments_[config_.workloads[w].deployment].ready);
    series_.values.push_back(s.in_service);
    series_.values.push_back(static_cast<double>(s.queued));
    series_.values.push_back(static_cast<double>(s.completed));
    series_.values.push_back(static_cast<double>(s.failed));
    IntervalHistogram& h = workload_stats_[w].interval_latency;
    series_.values.push_back(h.quantile(0.50) * 1e-6);
    series_.values.push_back(h.quantile(0.99) * 1e-6);
    h.clear();
  }
  series_.values.push_back(static_cast<double>(pending_.size()));
  // Cost rate: the nodes' prices plus the egress paid since the last sample, per hour.
  double compute = 0;
  double egress = 0;
  for (std::size_t p = 0; p < places_.size(); ++p) {
    compute += places_[p]->price_usd_per_hour;
    egress += places_[p]->egress_bytes / 1e9 * config_.places[p].egress_usd_per_gb;
  }
  const double hours = to_seconds(sample_interval_) / 3600.0;
  series_.values.push_back(compute + (ctx.now() > 0 ? (egress - sampled_egress_usd_) / hours : 0));
  sampled_egress_usd_ = egress;
  for (const auto& p : places_)
    series_.values.push_back(p->ready_pods.current());
  ctx.schedule_in(ctx.self(), sample_interval_, kSample);
}

void Fleet::finish(SimTime end, FlowResult& result) {
  MetricMap& m = result.metrics;
  RequestStats total;
  for (std::size_t w = 0; w < config_.workloads.size(); ++w) {
    const RequestStats& s = workload_stats_[w];
    const std::string prefix = "workloads." + config_.workloads[w].name + ".";
    export_request_stats(s, prefix, m);
    DeploymentRuntime& rt = deployments_[config_.workloads[w].deployment];
    m[prefix + "replicas.mean"] = rt.ready_tw.mean(end);
    m[prefix + "replicas.max"] = rt.ready_tw.max();
    m[prefix + "replicas.final"] = rt.ready;
    m[prefix + "pods.evicted"] = static_cast<double>(rt.evicted);
    m[prefix + "pods.pending.max"] = static_cast<double>(rt.pending_max);
    // kubetwin extensions: how long self-healing took after a node or region failure.
    if (rt.recoveries > 0) m[prefix + "recovery.time_max_s"] = to_seconds(rt.recovery_max);
    if (config_.deployments[config_.workloads[w].deployment].recovery_time_objective > 0) {
      m[prefix + "recovery.rto_missed"] = static_cast<double>(rt.rto_missed);
    }
    total.merge(s);
  }
  export_request_stats(total, "", m);
  double ready_mean = 0;
  double ready_max = 0;
  double ready_final = 0;
  for (DeploymentRuntime& rt : deployments_) {
    ready_mean += rt.ready_tw.mean(end);
    ready_max += rt.ready_tw.max();
    ready_final += rt.ready;
  }
  m["replicas.mean"] = ready_mean;
  m["replicas.max"] = ready_max;
  m["replicas.final"] = ready_final;
  const double hours = to_seconds(end - config_.warmup) / 3600.0;
  bool payloads = false;
  for (const FleetWorkload& w : config_.workloads) {
    payloads = payloads || w.request_bytes > 0 || w.response_bytes > 0;
  }
  double egress_total = 0;
  double compute_total = 0;
  double cost = 0;
  double busy = 0;
  double alloc = 0;
  std::uint64_t evicted = 0;
  for (std::size_t p = 0; p < places_.size(); ++p) {
    PlaceRuntime& place = *places_[p];
    const std::string prefix =
        (config_.places[p].edge ? "sites." : "regions.") + config_.places[p].name + ".";
    const double compute_cost = place.price_usd_per_hour * hours;
    // Data leaving the place for another, at its price per GB (10^9 bytes); only when the
    // workloads declare payloads, else the key does not apply.
    const double egress_cost = place.egress_bytes / 1e9 * config_.places[p].egress_usd_per_gb;
    const double place_cost = compute_cost + egress_cost;
    m[prefix + "cost.compute_usd"] = compute_cost;
    if (payloads) m[prefix + "cost.egress_usd"] = egress_cost;
    m[prefix + "cost.total_usd"] = place_cost;
    egress_total += egress_cost;
    compute_total += compute_cost;
    m[prefix + "pods.evicted"] = static_cast<double>(place.evicted);
    m[prefix + "replicas.mean"] = place.ready_pods.mean(end);
    m[prefix + "replicas.max"] = place.ready_pods.max();
    m[prefix + "replicas.final"] = place.ready_pods.current();
    if (place.cpu_alloc_milli > 0) {
      m[prefix + "nodes.cpu_utilization"] = place.cpu_busy_milli.mean(end) / place.cpu_alloc_milli;
    }
    const RequestStats& s = place.served;
    if (s.completed > 0) {
      const double n = static_cast<double>(s.completed);
      m[prefix + "requests.completed"] = n;
      m[prefix + "latency.mean_ms"] = s.latency_sum_ns / n * 1e-6;
      m[prefix + "latency.p50_ms"] = s.latency_ns.quantile(0.50) * 1e-6;
      m[prefix + "latency.p95_ms"] = s.latency_ns.quantile(0.95) * 1e-6;
      m[prefix + "latency.p99_ms"] = s.latency_ns.quantile(0.99) * 1e-6;
      m[prefix + "wait.mean_ms"] = s.wait_sum_ns / n * 1e-6;
    }
    cost += place_cost;
    busy += place.cpu_busy_milli.mean(end);
    alloc += place.cpu_alloc_milli;
    evicted += place.evicted;
  }
  m["cost.compute_usd"] = compute_total;
  if (payloads) m["cost.egress_usd"] = egress_total;
  m["cost.total_usd"] = cost;
  m["pods.evicted"] = static_cast<double>(evicted);
  m["pods.pending.max"] = static_cast<double>(pending_max_);
  if (alloc > 0) m["nodes.cpu_utilization"] = busy / alloc;
  result.series = std::move(series_);
}

}  // namespace

FlowResult run_fleet(const FleetConfig& config, std::uint64_t seed, std::uint64_t replication,
                     RunProgress* progress, unsigned threads) {
  FlowResult result;
  if (config.workloads.empty()) return result;
  Simulation sim(seed, replication);
  Fleet fleet(config);
  const LpId fleet_id = sim.add(fleet);
  // The fleet is group 0; the sources, which only send to it, and always
  // `lead` ahead, group 1.
  constexpr GroupId kSourceGroup = 1;
  std::vector<ArrivalFeed> feeds;
  for (const FleetWorkload& w : config.workloads) {
    // A Job's pods draw their own run time when they start (one per pod, retries included).
    const bool job = config.deployments[w.deployment].job.has_value();
    feeds.push_back({&w.arrival, fleet_id, job ? nullptr : &w.service_time});
  }
  const auto sources = add_arrival_sources(sim, feeds, kArrive, config.duration, kSourceGroup, 0);
  sim.set_threads(threads);
  fleet.start(sim, fleet_id);
  // Statistics count from the warm-up on.
  if (config.warmup > 0) {
    run_with_progress(sim, config.warmup, progress);
    for (auto& place : fleet.places_) {
      place->cpu_busy_milli.restart(config.warmup);
      place->ready_pods.restart(config.warmup);
    }
    for (DeploymentRuntime& rt : fleet.deployments_)
      rt.ready_tw.restart(config.warmup);
    fleet.pending_max_ = fleet.pending_.size();
  }
  run_with_progress(sim, config.duration, progress);
  result.events = sim.events_handled();
  fleet.finish(config.duration, result);
  return result;
}

}  // namespace kt::models
