# Warnings, sanitizers and ccache for every target of this project.
# Kept out of the installed package: users choose their own flags.

find_program(IDLRPC_CCACHE ccache)
if(IDLRPC_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${IDLRPC_CCACHE}")
endif()

# idlrpc_warnings(<target>...): the warning flags this project holds its own
# code to. Private to each target, so nothing leaks into users' builds.
function(idlrpc_warnings)
  foreach(target IN LISTS ARGN)
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic)
    if(IDLRPC_WERROR)
      target_compile_options(${target} PRIVATE -Werror)
    endif()
  endforeach()
endfunction()

if(IDLRPC_SANITIZE)
  string(REPLACE ";" "," _idlrpc_san "${IDLRPC_SANITIZE}")
  add_compile_options(-fsanitize=${_idlrpc_san} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  add_link_options(-fsanitize=${_idlrpc_san})
endif()
