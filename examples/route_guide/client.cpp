// route_guide_client: one call of each kind against the route guide.
//
//   route_guide_client [--target localhost:50053] [--lb round_robin]
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <idlrpc/channel.hpp>

#include <thread>
#include <vector>

#include "geo.hpp"
#include "route_guide.idl.h"

namespace {

using routeguide::make_point;
using routeguide::Point;
using routeguide::RouteNote;

// Unary: one point in, one feature out.
void get_feature(routeguide::RouteGuide::Client& guide, const Point& point) {
  auto feature = guide.GetFeature(point);
  if (feature.name.empty()) {
    fmt::print("Found no feature at {}\n", describe(point));
  } else {
    fmt::print("Found feature called \"{}\" at {}\n", feature.name, describe(feature.location));
  }
}

// Server streaming: read until the server ends the call.
void list_features(routeguide::RouteGuide::Client& guide) {
  routeguide::Rectangle paris{.lo = make_point(48.80, 2.20), .hi = make_point(48.90, 2.40)};
  fmt::print("Looking for features between {} and {}\n", describe(paris.lo), describe(paris.hi));
  for (const auto& feature : guide.ListFeatures(paris)) {
    fmt::print("  {} at {}\n", feature.name, describe(feature.location));
  }
}

// Client streaming: write the points, then finish() for the summary.
void record_route(routeguide::RouteGuide::Client& guide) {
  const std::vector<Point> route = {
      make_point(48.8583700, 2.2944813),  // Eiffel Tower
      make_point(48.8737800, 2.2950300),  // Arc de Triomphe
      make_point(48.8600000, 2.3200000),  // nothing known here
      make_point(48.8606111, 2.3375800),  // Louvre
      make_point(48.8529700, 2.3499900),  // Notre-Dame
  };
  auto recorder = guide.RecordRoute();
  for (const auto& point : route) {
    fmt::print("Visiting point {}\n", describe(point));
    if (!recorder.write(point)) break;  // the call ended early: finish() says why
  }
  auto summary = recorder.finish();
  fmt::print("Finished trip with {} points. Passed {} features. Travelled {} meters.\n",
             summary.point_count, summary.feature_count, summary.distance);
}

// Bidirectional: one thread writes the notes while this one reads the replies.
void route_chat(routeguide::RouteGuide::Client& guide) {
  const std::vector<RouteNote> notes = {
      {.location = make_point(0, 1), .message = "First message"},
      {.location = make_point(0, 2), .message = "Second message"},
      {.location = make_point(0, 3), .message = "Third message"},
      {.location = make_point(0, 1), .message = "Fourth message"},
      {.location = make_point(0, 2), .message = "Fifth message"},
  };
  auto chat = guide.RouteChat();
  std::jthread writer([&] {
    for (const auto& note : notes) {
      if (!chat.write(note)) return;
    }
    chat.writes_done();
  });
  for (const auto& note : chat) {
    fmt::print("Got message \"{}\" at {}\n", note.message, describe(note.location));
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Calls each RouteGuide method once."};
  std::string target = "localhost:50053";
  app.add_option("--target", target, "server address: host:port, unix:/path, dns:///name:port, ipv4:a:p,b:p or file:///path");
  std::string lb = "pick_first";
  app.add_option("--lb", lb, "how calls spread over the target's addresses")
      ->check(CLI::IsMember({"pick_first", "round_robin"}));
  CLI11_PARSE(app, argc, argv);

  routeguide::RouteGuide::Client guide{idlrpc::Channel(target, {.lb_policy = idlrpc::lb_policy_from_name(lb)})};
  try {
    fmt::print("-------------- GetFeature --------------\n");
    get_feature(guide, make_point(48.8583700, 2.2944813));
    get_feature(guide, make_point(0, 0));
    fmt::print("-------------- ListFeatures --------------\n");
    list_features(guide);
    fmt::print("-------------- RecordRoute --------------\n");
    record_route(guide);
    fmt::print("-------------- RouteChat --------------\n");
    route_chat(guide);
  } catch (const idlrpc::RpcError& e) {
    fmt::print(stderr, "route_guide_client: {}\n", e.what());
    return 1;
  }
  return 0;
}
