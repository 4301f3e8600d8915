# cmake -DIDLC=<idlc> -DCAPNP=<capnp> -DWORK=<dir> -DIDLS=<a.idl;b.idl> -P capnp_accepts_schemas.cmake
# Runs `idlc --emit-capnp` on each IDL (from its own folder) and checks that
# the capnp compiler accepts the emitted schema.
file(REMOVE_RECURSE "${WORK}")
foreach(idl IN LISTS IDLS)
  get_filename_component(dir "${idl}" DIRECTORY)
  get_filename_component(name "${idl}" NAME_WE)
  get_filename_component(file "${idl}" NAME)
  set(out "${WORK}/${name}")
  execute_process(COMMAND "${IDLC}" --emit-capnp -o "${out}" "${file}"
                  WORKING_DIRECTORY "${dir}" RESULT_VARIABLE failed ERROR_VARIABLE errors)
  if(failed)
    message(FATAL_ERROR "idlc failed on ${idl}:\n${errors}")
  endif()
  execute_process(COMMAND "${CAPNP}" compile -o- "${name}.capnp"
                  WORKING_DIRECTORY "${out}" RESULT_VARIABLE failed OUTPUT_QUIET ERROR_VARIABLE errors)
  if(failed)
    message(FATAL_ERROR "capnp rejects the schema idlc emitted for ${idl}:\n${errors}")
  endif()
  message(STATUS "capnp accepts ${name}.capnp")
endforeach()
