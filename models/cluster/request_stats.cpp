#include "models/cluster/request_stats.hpp"

namespace kt::models {

void export_request_stats(const RequestStats& s, const std::string& prefix,
                          std::map<std::string, double>& out) {
  out[prefix + "requests.total"] = static_cast<double>(s.arrivals);
  out[prefix + "requests.completed"] = static_cast<double>(s.completed);
  out[prefix + "requests.failed"] = static_cast<double>(s.failed);
  if (s.retried) out[prefix + "requests.retries"] = static_cast<double>(s.retries);
  // requests.dropped applies where a bounded buffer lies on the path (a serverless revision's
  // activator and queue-proxies); elsewhere a request that finds no endpoint, or loses its
  // pod, fails (requests.failed) and the key is absent.
  if (s.bounded) out[prefix + "requests.dropped"] = static_cast<double>(s.dropped);
  if (s.completed == 0) return;
  const double n = static_cast<double>(s.completed);
  out[prefix + "latency.mean_ms"] = s.latency_sum_ns / n * 1e-6;
  out[prefix + "latency.p50_ms"] = s.latency_ns.quantile(0.50) * 1e-6;
  out[prefix + "latency.p95_ms"] = s.latency_ns.quantile(0.95) * 1e-6;
  out[prefix + "latency.p99_ms"] = s.latency_ns.quantile(0.99) * 1e-6;
  out[prefix + "wait.mean_ms"] = s.wait_sum_ns / n * 1e-6;
}

}  // namespace kt::models
