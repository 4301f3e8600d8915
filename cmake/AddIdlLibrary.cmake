# add_idl_library(<target> <file.idl>... [IMPORT_DIRS dir...] [OUTPUT_DIR dir])
#
# Runs idlc on each IDL file at build time and makes <target>, a library
# holding the generated message types, client stubs and server skeletons.
# It links idlrpc::runtime and exposes the generated headers: an IDL
# `teams.idl` is included as "teams.idl.h", one in a sub-folder
# `common/geo.idl` as "common/geo.idl.h".
#
# Relative IDL paths are taken from the current source directory; the
# folder part of that path is kept under OUTPUT_DIR (default:
# ${CMAKE_CURRENT_BINARY_DIR}/<target>_idl), so two types.idl in different
# folders never collide. idlc writes a depfile, so editing an IDL or any
# IDL it imports regenerates exactly what depends on it.
#
# An IDL that another one imports must be compiled too: list it in the same
# add_idl_library() call, or in another one that <target> links.
include_guard(GLOBAL)

function(add_idl_library target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "OUTPUT_DIR" "IMPORT_DIRS")
  set(idl_files ${arg_UNPARSED_ARGUMENTS})
  if(NOT idl_files)
    message(FATAL_ERROR "add_idl_library(${target}): no IDL files given")
  endif()
  if(NOT arg_OUTPUT_DIR)
    set(arg_OUTPUT_DIR "${CMAKE_CURRENT_BINARY_DIR}/${target}_idl")
  endif()
  cmake_path(ABSOLUTE_PATH arg_OUTPUT_DIR BASE_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}")

  set(import_flags "")
  foreach(dir IN LISTS arg_IMPORT_DIRS)
    cmake_path(ABSOLUTE_PATH dir BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}")
    list(APPEND import_flags -I "${dir}")
  endforeach()

  set(generated_sources "")
  set(generated_headers "")
  foreach(idl IN LISTS idl_files)
    # idlc keeps the folder of the path it is given: pass the path relative
    # to the source directory so "common/geo.idl" lands in gen/common/.
    cmake_path(ABSOLUTE_PATH idl BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" OUTPUT_VARIABLE idl_abs)
    cmake_path(RELATIVE_PATH idl_abs BASE_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}" OUTPUT_VARIABLE idl_rel)
    if(idl_rel MATCHES "^\\.\\./")
      cmake_path(GET idl_abs FILENAME idl_rel)
      cmake_path(GET idl_abs PARENT_PATH idl_root)
    else()
      set(idl_root "${CMAKE_CURRENT_SOURCE_DIR}")
    endif()
    set(header "${arg_OUTPUT_DIR}/${idl_rel}.h")
    set(source "${arg_OUTPUT_DIR}/${idl_rel}.cpp")
    set(depfile "${arg_OUTPUT_DIR}/${idl_rel}.d")
    add_custom_command(
      OUTPUT "${header}" "${source}"
      COMMAND ${IDLRPC_IDLC_EXECUTABLE} ${import_flags} -o "${arg_OUTPUT_DIR}"
              --depfile "${depfile}" "${idl_rel}"
      WORKING_DIRECTORY "${idl_root}"
      DEPENDS "${idl_abs}" ${IDLRPC_IDLC_EXECUTABLE}
      DEPFILE "${depfile}"
      COMMENT "idlc ${idl_rel}"
      VERBATIM COMMAND_EXPAND_LISTS)
    list(APPEND generated_sources "${source}")
    list(APPEND generated_headers "${header}")
  endforeach()

  add_library(${target} ${generated_sources} ${generated_headers})
  target_include_directories(${target} PUBLIC "$<BUILD_INTERFACE:${arg_OUTPUT_DIR}>")
  target_link_libraries(${target} PUBLIC idlrpc::runtime)
  target_compile_features(${target} PUBLIC cxx_std_20)
endfunction()
