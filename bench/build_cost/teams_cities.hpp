// The member teams both Teams servers of bench/build-cost know (those of
// examples/teams/server.cpp). Standard library only.
#pragma once

#include <functional>
#include <map>
#include <string>

inline const std::map<std::string, std::string, std::less<>> kMemberTeams = {
    {"Chicago", "Jackals"},     {"Detroit", "Wheels"},         {"Minneapolis", "Nordics"}, {"New York", "Metros"},
    {"Arizona", "Roadrunners"}, {"San Francisco", "Stingers"}, {"Seattle", "Orcas"},       {"Los Angeles", "Pumas"},
    {"Philadelphia", "Foxes"},  {"Boston", "Revolutionaries"},
};
