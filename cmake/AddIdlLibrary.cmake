# add_idl_library(<target> <file.idl>... [IMPORT_DIRS dir...] [OUTPUT_DIR dir]
#                 [STRIP_PREFIX dir] [EMIT_CAPNP] [PRECOMPILE_HEADERS])
#
# Runs idlc on each IDL file at build time and makes <target>, a library
# holding the generated message types, client stubs and server skeletons.
# It links idlrpc::runtime and exposes the generated headers: for teams.idl,
# "teams.idl.h" (everything) and its parts "teams.idl.messages.h",
# "teams.idl.blocking.h", "teams.idl.async.h" (docs/generated-code.md says
# which to include for what).
#
# Where each file is generated, and so how it is included, is its path
# relative to the deepest of these folders that holds it: STRIP_PREFIX,
# each IMPORT_DIRS folder, the current source directory (relative folders
# are taken from the current source directory). That is also how imports
# name it, so an import always finds its header:
#   teams.idl                      -> "teams.idl.h"
#   common/geo.idl                 -> "common/geo.idl.h"
#   ../shared/common/types.idl with IMPORT_DIRS ../shared
#                                  -> "common/types.idl.h"
#   proto/kv.idl with STRIP_PREFIX proto -> "kv.idl.h"
# A file under none of them is generated under its file name alone. The
# files go under OUTPUT_DIR (default: ${CMAKE_CURRENT_BINARY_DIR}/<target>_idl),
# so two types.idl in different folders never collide. idlc writes a
# depfile, so editing an IDL or any IDL it imports regenerates exactly what
# depends on it.
#
# EMIT_CAPNP also writes each file's Cap'n Proto schema (kv.idl ->
# kv.capnp, beside the header); the target's IDL_CAPNP_FILES property
# lists them.
#
# PRECOMPILE_HEADERS precompiles the runtime headers every generated .cpp
# includes (Asio, Cap'n Proto, idlrpc's templates), once for the target:
# worth it for a target with several IDL files; with one, the precompiled
# header costs about what it saves.
#
# An IDL that another one imports must be compiled too: list it in the same
# add_idl_library() call, or in another one that <target> links.
include_guard(GLOBAL)

function(add_idl_library target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "EMIT_CAPNP;PRECOMPILE_HEADERS" "OUTPUT_DIR;STRIP_PREFIX" "IMPORT_DIRS")
  set(idl_files ${arg_UNPARSED_ARGUMENTS})
  if(NOT idl_files)
    message(FATAL_ERROR "add_idl_library(${target}): no IDL files given")
  endif()
  if(NOT arg_OUTPUT_DIR)
    set(arg_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${target}_idl")
  endif()
  cmake_path(ABSOLUTE_PATH arg_OUTPUT_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")

  # The folders a file's generated path is taken relative to.
  set(import_flags "")
  set(roots "${CMAKE_CURRENT_SOURCE_DIR}")
  foreach(dir IN LISTS arg_IMPORT_DIRS)
    cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
    list(APPEND import_flags -I "${dir}")
    list(APPEND roots "${dir}")
  endforeach()
  if(DEFINED arg_STRIP_PREFIX)
    set(dir "${arg_STRIP_PREFIX}")
    cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE)
    list(APPEND roots "${dir}")
  endif()
  set(capnp_flag "")
  if(arg_EMIT_CAPNP)
    set(capnp_flag --emit-capnp)
  endif()

  set(generated_sources "")
  set(generated_headers "")
  set(generated_schemas "")
  foreach(idl IN LISTS idl_files)
    cmake_path(ABSOLUTE_PATH idl BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" NORMALIZE OUTPUT_VARIABLE idl_abs)
    # idlc keeps the folder of the path it is given (and imports name files
    # relative to the folder they are found in): run it from the deepest
    # root that holds the file, with the path relative to that root.
    cmake_path(GET idl_abs FILENAME idl_rel)
    cmake_path(GET idl_abs PARENT_PATH idl_root)
    set(best_length -1)
    foreach(root IN LISTS roots)
      cmake_path(IS_PREFIX root "${idl_abs}" NORMALIZE inside)
      string(LENGTH "${root}" length)
      if(inside AND length GREATER best_length)
        set(best_length ${length})
        set(idl_root "${root}")
        cmake_path(RELATIVE_PATH idl_abs BASE_DIRECTORY "${root}" OUTPUT_VARIABLE idl_rel)
      endif()
    endforeach()
    # The all-in header and its three parts (docs/generated-code.md).
    set(headers "${arg_OUTPUT_DIR}/${idl_rel}.h")
    foreach(part IN ITEMS messages blocking async)
      list(APPEND headers "${arg_OUTPUT_DIR}/${idl_rel}.${part}.h")
    endforeach()
    set(source "${arg_OUTPUT_DIR}/${idl_rel}.cpp")
    set(depfile "${arg_OUTPUT_DIR}/${idl_rel}.d")
    set(outputs ${headers} "${source}")
    if(arg_EMIT_CAPNP)
      cmake_path(REPLACE_EXTENSION idl_rel LAST_ONLY .capnp OUTPUT_VARIABLE schema)
      set(schema "${arg_OUTPUT_DIR}/${schema}")
      list(APPEND outputs "${schema}")
      list(APPEND generated_schemas "${schema}")
    endif()
    add_custom_command(
      OUTPUT ${outputs}
      COMMAND ${IDLRPC_IDLC_EXECUTABLE} ${import_flags} ${capnp_flag} -o "${arg_OUTPUT_DIR}"
              --depfile "${depfile}" "${idl_rel}"
      WORKING_DIRECTORY "${idl_root}"
      DEPENDS "${idl_abs}" ${IDLRPC_IDLC_EXECUTABLE}
      DEPFILE "${depfile}"
      COMMENT "idlc ${idl_rel}"
      VERBATIM COMMAND_EXPAND_LISTS)
    list(APPEND generated_sources "${source}")
    list(APPEND generated_headers ${headers})
  endforeach()

  add_library(${target} ${generated_sources} ${generated_headers} ${generated_schemas})
  set_target_properties(${target} PROPERTIES IDL_CAPNP_FILES "${generated_schemas}")
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${arg_OUTPUT_DIR}>")
  target_link_libraries(${target} PUBLIC idlrpc::runtime)
  target_compile_features(${target} PUBLIC cxx_std_20)
  if(arg_PRECOMPILE_HEADERS)
    target_precompile_headers(${target} PRIVATE <idlrpc/message.hpp> <idlrpc/client.hpp> <idlrpc/service.hpp>
                              <idlrpc/stream.hpp> <idlrpc/task.hpp>)
  endif()
endfunction()
