# Writes every block of DOC marked
#   <!-- compiled-snippet: NAME -->
#   ```cpp
#   ...
#   ```
# to OUT/NAME.cpp (rewritten only when it changed, so an edit elsewhere in
# the page recompiles nothing) and sets DOC_SNIPPETS to the files, in page
# order. Included at configure time by tests/docs/CMakeLists.txt, which
# makes the page a configure dependency. The code is handled with FIND and
# SUBSTRING only: C++'s semicolons would split a CMake list.
function(extract_doc_snippets DOC OUT)
  file(READ "${DOC}" doc)
  set(rest "${doc}")
  string(LENGTH "${doc}" doc_length)
  set(files "")
  set(names "")
  set(marker "<!-- compiled-snippet: ")
  string(LENGTH "${marker}" marker_length)
  while(TRUE)
    string(FIND "${rest}" "${marker}" at)
    if(at EQUAL -1)
      break()
    endif()
    math(EXPR at "${at} + ${marker_length}")
    string(SUBSTRING "${rest}" ${at} -1 rest)
    string(FIND "${rest}" " -->" name_end)
    string(SUBSTRING "${rest}" 0 ${name_end} name)
    if(NOT name MATCHES "^[a-z0-9_]+$" OR name IN_LIST names)
      message(FATAL_ERROR "${DOC}: bad or repeated snippet name '${name}'")
    endif()
    list(APPEND names "${name}")
    string(FIND "${rest}" "\n" line_end)
    math(EXPR line_end "${line_end} + 1")
    string(SUBSTRING "${rest}" ${line_end} -1 rest)
    string(FIND "${rest}" "```cpp\n" open)
    if(NOT open EQUAL 0)
      message(FATAL_ERROR "${DOC}: snippet '${name}': the marker must be followed by a ```cpp fence")
    endif()
    string(SUBSTRING "${rest}" 7 -1 rest)
    # The page's line of the code's first line, for #line: compiler
    # messages then point into the page.
    string(LENGTH "${rest}" rest_length)
    math(EXPR consumed "${doc_length} - ${rest_length}")
    string(SUBSTRING "${doc}" 0 ${consumed} before)
    string(REGEX MATCHALL "\n" newlines "${before}")
    list(LENGTH newlines first_line)
    math(EXPR first_line "${first_line} + 1")
    string(FIND "${rest}" "\n```" close)
    if(close EQUAL -1)
      message(FATAL_ERROR "${DOC}: snippet '${name}' has no closing fence")
    endif()
    math(EXPR close "${close} + 1")
    string(SUBSTRING "${rest}" 0 ${close} code)
    string(SUBSTRING "${rest}" ${close} -1 rest)
    set(file "${OUT}/${name}.cpp")
    set(header "// Extracted from ${DOC} (snippet ${name}) by tests/docs: edit the page, not this file.\n")
    string(APPEND header "#line ${first_line} \"${DOC}\"\n")
    file(WRITE "${file}.tmp" "${header}${code}")
    configure_file("${file}.tmp" "${file}" COPYONLY)
    list(APPEND files "${file}")
  endwhile()
  set(DOC_SNIPPETS "${files}" PARENT_SCOPE)
endfunction()
