// std::chrono's clocks, durations and time points, which idlrpc's public
// headers use (deadlines, timeouts, backoffs), without what C++20 added to
// <chrono>: with libstdc++ 11 and later, <chrono> also brings the calendar,
// time zones and their iostreams, 46,000 preprocessed lines and about a
// third of a second in every file that includes a blocking client or server
// (issue 18). libstdc++ keeps the part we use in <bits/chrono.h>, which
// <chrono> itself includes; other standard libraries get <chrono>. A file
// that wants the rest (or the literals, with their own `using`) includes
// <chrono> as usual.
#pragma once

#include <version>  // defines __GLIBCXX__ (libstdc++), even as the first include

#if defined(__GLIBCXX__) && __has_include(<bits/chrono.h>)
#include <bits/chrono.h>  // IWYU pragma: export
#else
#include <chrono>  // IWYU pragma: export

#include "idlrpc/detail/chrono.hpp"
#endif
