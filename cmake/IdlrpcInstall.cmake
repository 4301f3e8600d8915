# Installs idlc, the runtime, add_idl_library() and a CMake package config
# so that an outside project can find_package(idlrpc CONFIG REQUIRED).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(IDLRPC_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/idlrpc")

# Installed, idlrpc::wire links Cap'n Proto as idlrpc::capnp, which
# idlrpcConfig.cmake defines without loading Cap'n Proto's CMake package
# (see there); in this build it links CapnProto::capnp.
get_target_property(_idlrpc_wire_links idlrpc_wire INTERFACE_LINK_LIBRARIES)
list(TRANSFORM _idlrpc_wire_links REPLACE "^CapnProto::capnp$"
     "$<BUILD_INTERFACE:CapnProto::capnp>;$<INSTALL_INTERFACE:idlrpc::capnp>")
set_target_properties(idlrpc_wire PROPERTIES INTERFACE_LINK_LIBRARIES "${_idlrpc_wire_links}")

install(EXPORT idlrpcTargets
  NAMESPACE idlrpc::
  DESTINATION "${IDLRPC_INSTALL_CMAKEDIR}")
configure_package_config_file(
  "${PROJECT_SOURCE_DIR}/cmake/idlrpcConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/idlrpcConfig.cmake"
  INSTALL_DESTINATION "${IDLRPC_INSTALL_CMAKEDIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/idlrpcConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/idlrpcConfig.cmake"
  "${PROJECT_BINARY_DIR}/idlrpcConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/AddIdlLibrary.cmake"
  DESTINATION "${IDLRPC_INSTALL_CMAKEDIR}")
