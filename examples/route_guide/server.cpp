// route_guide_server: the route guide of the gRPC tutorials, every kind of
// call in one service.
//
//   route_guide_server [--port 50053] [--db route_guide_db.json]
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/server.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "geo.hpp"
#include "route_guide.idl.h"

namespace {

using routeguide::Feature;
using routeguide::Point;
using routeguide::RouteNote;

std::vector<Feature> load_features(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(fmt::format("cannot open feature database {}", path));
  std::vector<Feature> features;
  for (const auto& entry : nlohmann::json::parse(in)) {
    features.push_back({.name = entry.at("name").get<std::string>(),
                        .location = {.latitude = entry.at("latitude").get<std::int32_t>(),
                                     .longitude = entry.at("longitude").get<std::int32_t>()}});
  }
  return features;
}

bool inside(const routeguide::Rectangle& r, const Point& p) {
  const auto [lat_lo, lat_hi] = std::minmax(r.lo.latitude, r.hi.latitude);
  const auto [lon_lo, lon_hi] = std::minmax(r.lo.longitude, r.hi.longitude);
  return p.latitude >= lat_lo && p.latitude <= lat_hi && p.longitude >= lon_lo && p.longitude <= lon_hi;
}

class RouteGuideService final : public routeguide::RouteGuide::Service {
 public:
  explicit RouteGuideService(std::vector<Feature> features) : features_(std::move(features)) {}

  Feature GetFeature(idlrpc::ServerContext&, const Point& point) override {
    return feature_at(point);
  }

  void ListFeatures(idlrpc::ServerContext&, const routeguide::Rectangle& area,
                    idlrpc::ServerWriter<Feature>& writer) override {
    for (const auto& feature : features_) {
      if (!feature.name.empty() && inside(area, feature.location) && !writer.write(feature)) return;
    }
  }

  routeguide::RouteSummary RecordRoute(idlrpc::ServerContext&,
                                       idlrpc::ServerReader<Point>& reader) override {
    const auto start = std::chrono::steady_clock::now();
    routeguide::RouteSummary summary;
    std::optional<Point> previous;
    for (const Point& point : reader) {
      ++summary.point_count;
      if (!feature_at(point).name.empty()) ++summary.feature_count;
      if (previous) summary.distance += static_cast<std::int32_t>(routeguide::distance_meters(*previous, point));
      previous = point;
    }
    summary.elapsed_time = static_cast<std::int32_t>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start).count());
    return summary;
  }

  void RouteChat(idlrpc::ServerContext&,
                 idlrpc::ServerReaderWriter<RouteNote, RouteNote>& stream) override {
    for (const RouteNote& note : stream) {
      // Copy the earlier notes out under the lock, write them without it:
      // a slow client must not hold up other chats.
      std::vector<RouteNote> earlier;
      {
        std::lock_guard lock(notes_mutex_);
        auto& at_point = notes_[{note.location.latitude, note.location.longitude}];
        earlier = at_point;
        at_point.push_back(note);
      }
      for (const auto& n : earlier) {
        if (!stream.write(n)) return;
      }
    }
  }

 private:
  Feature feature_at(const Point& point) const {
    for (const auto& feature : features_) {
      if (feature.location == point) return feature;
    }
    return {.name = "", .location = point};
  }

  const std::vector<Feature> features_;
  std::mutex notes_mutex_;
  std::map<std::pair<std::int32_t, std::int32_t>, std::vector<RouteNote>> notes_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Serves the RouteGuide service."};
  std::uint16_t port = 50053;
  std::string db = ROUTE_GUIDE_DEFAULT_DB;
  app.add_option("--port", port, "TCP port to listen on (0: any free port)");
  app.add_option("--db", db, "the feature database (JSON)");
  CLI11_PARSE(app, argc, argv);

  try {
    RouteGuideService service(load_features(db));
    idlrpc::Server server({.listen = {fmt::format("0.0.0.0:{}", port)}});
    server.add_service(service);
    server.enable_health();  // the Health service, and /readyz on the same port (docs/operations.md)
    server.start();
    server.shutdown_on_signals();
    fmt::print("RouteGuide server listening on 0.0.0.0:{}\n", server.port());
    std::fflush(stdout);
    server.wait();
  } catch (const std::exception& e) {
    fmt::print(stderr, "route_guide_server: {}\n", e.what());
    return 1;
  }
  return 0;
}
