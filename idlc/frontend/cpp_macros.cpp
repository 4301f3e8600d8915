#include "frontend/cpp_macros.hpp"

#include <array>
#include <string>
#include <unordered_map>

namespace idlc::frontend {
namespace {

struct MacroGroup {
  std::string_view origin;
  std::initializer_list<std::string_view> names;
};

// 1. The macros of the C++20 standard library ([support.c.headers] and the
//    header synopses it refers to). Names starting with '_' and a capital
//    letter are reserved anyway (cpp_names.cpp), so they are not listed.
// 2. The POSIX signal numbers: <csignal> on a POSIX system, which every
//    program using the runtime (Asio, sockets) includes.
// 3. The object-like macros GCC and Clang predefine without a leading
//    underscore in GNU mode (-std=gnu++20, CMake's default) on the targets
//    `clang++ --target=... -dM -E` reports them for: Linux, BSDs, Solaris
//    and MinGW on x86, ARM, MIPS, SPARC, m68k.
// The families of <cstdint> and <cinttypes> (INT32_MAX, PRId64, ...) are
// generated below.
const MacroGroup kMacroGroups[] = {
    {"<cassert>", {"assert"}},
    {"<cerrno>",
     {"errno",        "E2BIG",          "EACCES",       "EADDRINUSE",      "EADDRNOTAVAIL", "EAFNOSUPPORT",
      "EAGAIN",       "EALREADY",       "EBADF",        "EBADMSG",         "EBUSY",         "ECANCELED",
      "ECHILD",       "ECONNABORTED",   "ECONNREFUSED", "ECONNRESET",      "EDEADLK",       "EDESTADDRREQ",
      "EDOM",         "EEXIST",         "EFAULT",       "EFBIG",           "EHOSTUNREACH",  "EIDRM",
      "EILSEQ",       "EINPROGRESS",    "EINTR",        "EINVAL",          "EIO",           "EISCONN",
      "EISDIR",       "ELOOP",          "EMFILE",       "EMLINK",          "EMSGSIZE",      "ENAMETOOLONG",
      "ENETDOWN",     "ENETRESET",      "ENETUNREACH",  "ENFILE",          "ENOBUFS",       "ENODATA",
      "ENODEV",       "ENOENT",         "ENOEXEC",      "ENOLCK",          "ENOLINK",       "ENOMEM",
      "ENOMSG",       "ENOPROTOOPT",    "ENOSPC",       "ENOSR",           "ENOSTR",        "ENOSYS",
      "ENOTCONN",     "ENOTDIR",        "ENOTEMPTY",    "ENOTRECOVERABLE", "ENOTSOCK",      "ENOTSUP",
      "ENOTTY",       "ENXIO",          "EOPNOTSUPP",   "EOVERFLOW",       "EOWNERDEAD",    "EPERM",
      "EPIPE",        "EPROTO",         "EPROTONOSUPPORT", "EPROTOTYPE",   "ERANGE",        "EROFS",
      "ESPIPE",       "ESRCH",          "ETIME",        "ETIMEDOUT",       "ETXTBSY",       "EWOULDBLOCK",
      "EXDEV"}},
    {"<cfenv>",
     {"FE_ALL_EXCEPT", "FE_DIVBYZERO", "FE_INEXACT", "FE_INVALID", "FE_OVERFLOW", "FE_UNDERFLOW", "FE_DOWNWARD",
      "FE_TONEAREST", "FE_TOWARDZERO", "FE_UPWARD", "FE_DFL_ENV"}},
    {"<cfloat>",
     {"FLT_ROUNDS",      "FLT_EVAL_METHOD",  "FLT_HAS_SUBNORM", "DBL_HAS_SUBNORM", "LDBL_HAS_SUBNORM",
      "FLT_RADIX",       "FLT_MANT_DIG",     "DBL_MANT_DIG",    "LDBL_MANT_DIG",   "FLT_DECIMAL_DIG",
      "DBL_DECIMAL_DIG", "LDBL_DECIMAL_DIG", "DECIMAL_DIG",     "FLT_DIG",         "DBL_DIG",
      "LDBL_DIG",        "FLT_MIN_EXP",      "DBL_MIN_EXP",     "LDBL_MIN_EXP",    "FLT_MIN_10_EXP",
      "DBL_MIN_10_EXP",  "LDBL_MIN_10_EXP",  "FLT_MAX_EXP",     "DBL_MAX_EXP",     "LDBL_MAX_EXP",
      "FLT_MAX_10_EXP",  "DBL_MAX_10_EXP",   "LDBL_MAX_10_EXP", "FLT_MAX",         "DBL_MAX",
      "LDBL_MAX",        "FLT_EPSILON",      "DBL_EPSILON",     "LDBL_EPSILON",    "FLT_MIN",
      "DBL_MIN",         "LDBL_MIN",         "FLT_TRUE_MIN",    "DBL_TRUE_MIN",    "LDBL_TRUE_MIN"}},
    {"<climits>",
     {"CHAR_BIT", "SCHAR_MIN", "SCHAR_MAX", "UCHAR_MAX", "CHAR_MIN", "CHAR_MAX", "MB_LEN_MAX", "SHRT_MIN",
      "SHRT_MAX", "USHRT_MAX", "INT_MIN", "INT_MAX", "UINT_MAX", "LONG_MIN", "LONG_MAX", "ULONG_MAX", "LLONG_MIN",
      "LLONG_MAX", "ULLONG_MAX"}},
    {"<clocale>", {"LC_ALL", "LC_COLLATE", "LC_CTYPE", "LC_MONETARY", "LC_NUMERIC", "LC_TIME"}},
    {"<cmath>",
     {"HUGE_VAL", "HUGE_VALF", "HUGE_VALL", "INFINITY", "NAN", "FP_INFINITE", "FP_NAN", "FP_NORMAL",
      "FP_SUBNORMAL", "FP_ZERO", "FP_FAST_FMA", "FP_FAST_FMAF", "FP_FAST_FMAL", "FP_ILOGB0", "FP_ILOGBNAN",
      "MATH_ERRNO", "MATH_ERREXCEPT", "math_errhandling"}},
    {"<csetjmp>", {"setjmp"}},
    {"<csignal>", {"SIG_DFL", "SIG_ERR", "SIG_IGN", "SIGABRT", "SIGFPE", "SIGILL", "SIGINT", "SIGSEGV", "SIGTERM"}},
    {"<csignal> on POSIX systems",
     {"SIG_HOLD", "SIGALRM", "SIGBUS",  "SIGCHLD", "SIGCLD",    "SIGCONT", "SIGHUP",  "SIGIO",   "SIGIOT",
      "SIGKILL",  "SIGPIPE", "SIGPOLL", "SIGPROF", "SIGPWR",    "SIGQUIT", "SIGRTMAX", "SIGRTMIN", "SIGSTKFLT",
      "SIGSTOP",  "SIGSYS",  "SIGTRAP", "SIGTSTP", "SIGTTIN",   "SIGTTOU", "SIGURG",  "SIGUSR1", "SIGUSR2",
      "SIGVTALRM", "SIGWINCH", "SIGXCPU", "SIGXFSZ"}},
    {"<cstdarg>", {"va_arg", "va_copy", "va_end", "va_start"}},
    {"<cstddef>", {"NULL", "offsetof"}},
    {"<cstdint>",
     {"INTPTR_MIN", "INTPTR_MAX", "UINTPTR_MAX", "INTMAX_MIN", "INTMAX_MAX", "UINTMAX_MAX", "PTRDIFF_MIN",
      "PTRDIFF_MAX", "SIZE_MAX", "SIG_ATOMIC_MIN", "SIG_ATOMIC_MAX", "WCHAR_MIN", "WCHAR_MAX", "WINT_MIN",
      "WINT_MAX", "INTMAX_C", "UINTMAX_C"}},
    {"<cstdio>",
     {"BUFSIZ", "EOF", "FILENAME_MAX", "FOPEN_MAX", "L_tmpnam", "SEEK_CUR", "SEEK_END", "SEEK_SET", "TMP_MAX",
      "stderr", "stdin", "stdout"}},
    {"<cstdlib>", {"EXIT_FAILURE", "EXIT_SUCCESS", "MB_CUR_MAX", "RAND_MAX"}},
    {"<ctime>", {"CLOCKS_PER_SEC", "TIME_UTC"}},
    {"<cwchar>", {"WEOF"}},
    {"predefined by GCC and Clang in GNU mode",
     {"linux", "unix", "i386", "mips", "MIPSEB", "MIPSEL", "sparc", "sun", "mc68000", "WIN32", "WIN64", "WINNT"}},
};

using MacroMap = std::unordered_map<std::string, std::string_view>;

// INT8_MIN ... UINT_FAST64_MAX, INT8_C ... UINT64_C, and PRId8 ... SCNxPTR.
void add_integer_families(MacroMap& macros) {
  constexpr std::array<std::string_view, 4> kWidths = {"8", "16", "32", "64"};
  for (std::string_view width : kWidths) {
    for (std::string_view kind : {"", "_LEAST", "_FAST"}) {
      std::string signed_name = "INT" + std::string(kind) + std::string(width);
      macros.try_emplace(signed_name + "_MIN", "<cstdint>");
      macros.try_emplace(signed_name + "_MAX", "<cstdint>");
      macros.try_emplace("U" + signed_name + "_MAX", "<cstdint>");
    }
    macros.try_emplace("INT" + std::string(width) + "_C", "<cstdint>");
    macros.try_emplace("UINT" + std::string(width) + "_C", "<cstdint>");
  }
  std::array<std::string, 14> suffixes = {"8", "16", "32", "64", "LEAST8", "LEAST16", "LEAST32", "LEAST64",
                                          "FAST8", "FAST16", "FAST32", "FAST64", "MAX", "PTR"};
  for (const std::string& suffix : suffixes) {
    for (char conversion : std::string_view("diouxX")) macros.try_emplace("PRI" + std::string(1, conversion) + suffix, "<cinttypes>");
    for (char conversion : std::string_view("diouxX")) {
      if (conversion != 'X') macros.try_emplace("SCN" + std::string(1, conversion) + suffix, "<cinttypes>");
    }
  }
}

const MacroMap& macros() {
  static const MacroMap map = [] {
    MacroMap built;
    for (const MacroGroup& group : kMacroGroups) {
      for (std::string_view name : group.names) built.try_emplace(std::string(name), group.origin);
    }
    add_integer_families(built);
    return built;
  }();
  return map;
}

}  // namespace

std::optional<std::string_view> cpp_macro_origin(std::string_view name) {
  const MacroMap& map = macros();
  auto found = map.find(std::string(name));
  if (found == map.end()) return std::nullopt;
  return found->second;
}

}  // namespace idlc::frontend
