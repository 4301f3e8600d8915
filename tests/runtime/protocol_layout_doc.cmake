# docs/protocol.md quotes the layout of every frame struct, as
# `capnp compile -ocapnp` computes it, between frame-layout markers; this
# fails when the schema and the page disagree.
#   cmake -DCAPNP=... -DSCHEMA_DIR=... -DDOC=... -P protocol_layout_doc.cmake
execute_process(COMMAND "${CAPNP}" compile -ocapnp frame.capnp WORKING_DIRECTORY "${SCHEMA_DIR}"
                OUTPUT_VARIABLE actual RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "capnp compile failed")
endif()
string(REGEX REPLACE "^# [^\n]*\n" "" actual "${actual}")  # "# frame.capnp": the path it was given
string(STRIP "${actual}" actual)
file(READ "${DOC}" doc)
string(REGEX MATCH "<!-- frame-layout:begin -->\n```\n(.*)\n```\n<!-- frame-layout:end -->" found "${doc}")
if(NOT found)
  message(FATAL_ERROR "${DOC} has no frame-layout block")
endif()
string(STRIP "${CMAKE_MATCH_1}" quoted)
if(NOT quoted STREQUAL actual)
  message(FATAL_ERROR "${DOC}'s frame layout differs from the schema's; it should read:\n${actual}")
endif()
