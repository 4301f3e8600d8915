// Helpers both sides of the route guide use: points in E7 form.
#pragma once

#include <fmt/core.h>

#include <cmath>
#include <string>

#include "route_guide.idl.h"

namespace routeguide {

inline constexpr double kE7 = 1e7;

inline Point make_point(double latitude, double longitude) {
  return {.latitude = static_cast<std::int32_t>(std::lround(latitude * kE7)),
          .longitude = static_cast<std::int32_t>(std::lround(longitude * kE7))};
}

inline std::string describe(const Point& p) {
  return fmt::format("({:.4f}, {:.4f})", p.latitude / kE7, p.longitude / kE7);
}

/// Great-circle distance in meters (the haversine formula).
inline double distance_meters(const Point& from, const Point& to) {
  constexpr double kEarthRadius = 6'371'000;
  constexpr double kRadians = 3.14159265358979323846 / 180;
  const double lat1 = from.latitude / kE7 * kRadians, lat2 = to.latitude / kE7 * kRadians;
  const double dlat = lat2 - lat1;
  const double dlon = (to.longitude - from.longitude) / kE7 * kRadians;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1) * std::cos(lat2) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return kEarthRadius * 2 * std::atan2(std::sqrt(a), std::sqrt(1 - a));
}

}  // namespace routeguide
