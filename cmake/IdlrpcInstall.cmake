# Installs idlc, the runtime, add_idl_library() and a CMake package config
# so that an outside project can find_package(idlrpc CONFIG REQUIRED).
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(IDLRPC_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/idlrpc")

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
