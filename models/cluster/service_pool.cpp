#include "models/cluster/service_pool.hpp"

namespace kt::models {

void export_request_stats(const RequestStats& s, const std::string& prefix,
                          std::map<std::string, double>& out) {
  out[prefix + "requests.total"] = static_cast<double>(s.arrivals);
  out[prefix + "requests.completed"] = static_cast<double>(s.completed);
  out[prefix + "requests.failed"] = static_cast<double>(s.failed);
  out[prefix + "requests.dropped"] = static_cast<double>(s.dropped);
  if (s.completed == 0) return;
  const double n = static_cast<double>(s.completed);
  out[prefix + "latency.mean_ms"] = s.latency_sum_ns / n * 1e-6;
  out[prefix + "latency.p50_ms"] = s.latency_ns.quantile(0.50) * 1e-6;
  out[prefix + "latency.p95_ms"] = s.latency_ns.quantile(0.95) * 1e-6;
  out[prefix + "latency.p99_ms"] = s.latency_ns.quantile(0.99) * 1e-6;
  out[prefix + "wait.mean_ms"] = s.wait_sum_ns / n * 1e-6;
}

ServicePool::ServicePool(std::uint32_t replicas, std::uint32_t concurrency, SimTime warmup,
                         std::size_t queue_limit, std::vector<RequestClass> classes)
    : replicas_(replicas),
      warmup_(warmup),
      queue_limit_(queue_limit),
      classes_(std::move(classes)),
      queue_(16) {
  const std::uint32_t servers = replicas * concurrency;
  slot_arrival_.assign(servers, 0);
  slot_start_.assign(servers, 0);
  slot_class_.assign(servers, 0);
  free_slots_.reserve(servers);
  for (std::uint32_t s = servers; s-- > 0;)
    free_slots_.push_back(s);
}

void ServicePool::start(std::uint32_t slot, const Waiting& request, Context& ctx) {
  slot_arrival_[slot] = request.arrival;
  slot_start_[slot] = ctx.now();
  slot_class_[slot] = request.klass;
  ++classes_[request.klass].stats->in_service;
  ctx.schedule_in(ctx.self(), request.service, kDepart, slot);
}

void ServicePool::handle(const Event& event, Context& ctx) {
  const SimTime now = ctx.now();
  if (event.kind == kArrive) {
    const Waiting request{now, static_cast<SimTime>(event.payload), event.aux};
    RequestStats& stats = *classes_[request.klass].stats;
    if (now >= warmup_) ++stats.arrivals;
    if (!free_slots_.empty()) {
      const std::uint32_t slot = free_slots_.back();
      free_slots_.pop_back();
      ++busy_;
      start(slot, request, ctx);
    } else if (queue_size_ < queue_limit_) {
      push(request);
      ++stats.queued;
    } else if (now >= warmup_) {
      ++stats.dropped;
    }
    return;
  }
  // kDepart: the request in `slot` is done; the slot takes the head of the queue, if any.
  const auto slot = static_cast<std::uint32_t>(event.payload);
  const std::uint32_t klass = slot_class_[slot];
  RequestStats& stats = *classes_[klass].stats;
  --stats.in_service;
  if (now >= warmup_) {
    const SimTime latency = now - slot_arrival_[slot];
    ++stats.completed;
    stats.latency_sum_ns += static_cast<double>(latency);
    stats.wait_sum_ns += static_cast<double>(slot_start_[slot] - slot_arrival_[slot]);
    stats.latency_ns.record(latency);
    stats.interval_latency.record(latency);
  }
  if (queue_size_ > 0) {
    const Waiting next = pop();
    --classes_[next.klass].stats->queued;
    start(slot, next, ctx);
  } else {
    free_slots_.push_back(slot);
    --busy_;
  }
}

void ServicePool::push(const Waiting& w) {
  if (queue_size_ == queue_.size()) {
    // Grow the ring, unrolling it so the head is at index 0.
    std::vector<Waiting> bigger(queue_.size() * 2);
    for (std::size_t i = 0; i < queue_size_; ++i) {
      bigger[i] = queue_[(queue_head_ + i) & (queue_.size() - 1)];
    }
    queue_.swap(bigger);
    queue_head_ = 0;
  }
  queue_[(queue_head_ + queue_size_) & (queue_.size() - 1)] = w;
  ++queue_size_;
}

ServicePool::Waiting ServicePool::pop() {
  const Waiting w = queue_[queue_head_];
  queue_head_ = (queue_head_ + 1) & (queue_.size() - 1);
  --queue_size_;
  return w;
}

}  // namespace kt::models
