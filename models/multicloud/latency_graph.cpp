#include "models/multicloud/latency_graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

namespace kt::multicloud {

std::size_t LatencyGraph::add_place(const std::string& name, bool stub) {
  names_.push_back(name);
  stub_.push_back(stub ? 1 : 0);
  dirty_ = true;
  return names_.size() - 1;
}

void LatencyGraph::add_link(std::size_t a, std::size_t b, SimTime latency) {
  links_.push_back({a, b, latency, true});
  dirty_ = true;
}

void LatencyGraph::set_link_up(std::size_t a, std::size_t b, bool up) {
  for (Link& l : links_) {
    if ((l.a == a && l.b == b) || (l.a == b && l.b == a)) l.up = up;
  }
  dirty_ = true;
}

std::size_t LatencyGraph::index_of(const std::string& name) const {
  for (std::size_t i = 0; i < names_.size(); ++i) {
    if (names_[i] == name) return i;
  }
  return names_.size();
}

void LatencyGraph::recompute() {
  using Graph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS, boost::no_property,
                            boost::property<boost::edge_weight_t, SimTime>>;
  const std::size_t n = names_.size();
  // Links between places that carry transit; a stub's own links join only when the stub is
  // the source, and a stub target is reached by its last link.
  const auto transit = [&](const Link& l) { return !stub_[l.a] && !stub_[l.b]; };
  Graph core(n);
  for (const Link& l : links_) {
    if (l.up && transit(l)) boost::add_edge(l.a, l.b, l.latency, core);
  }
  distances_.assign(n * n, kTimeMax);
  std::vector<SimTime> dist(n);
  for (std::size_t s = 0; s < n; ++s) {
    Graph g = core;
    if (stub_[s]) {
      for (const Link& l : links_) {
        if (l.up && !transit(l) && (l.a == s || l.b == s)) boost::add_edge(l.a, l.b, l.latency, g);
      }
    }
    boost::dijkstra_shortest_paths(
        g, s,
        boost::distance_map(
            boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g)))
            .distance_inf(kTimeMax));
    for (std::size_t t = 0; t < n; ++t) {
      if (!stub_[t] || t == s) distances_[s * n + t] = dist[t];
    }
    for (const Link& l : links_) {
      if (!l.up || transit(l)) continue;
      // A link into stub t from u: t's distance through it, u being a transit place or the
      // source itself.
      for (const auto& [t, u] : {std::pair{l.a, l.b}, std::pair{l.b, l.a}}) {
        if (!stub_[t] || t == s || (stub_[u] && u != s) || dist[u] == kTimeMax) continue;
        SimTime& d = distances_[s * n + t];
        d = std::min(d, dist[u] + l.latency);
      }
    }
  }
  dirty_ = false;
}

}  // namespace kt::multicloud
