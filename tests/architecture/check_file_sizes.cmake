# Fails when a source file (C++, or the console's JS, CSS and HTML) of api/, engine/, daemon/ or
# cli/ is over 400 lines: small files with one job each (see docs/architecture.md).
# Usage: cmake -DSOURCE_DIR=... -P check_file_sizes.cmake
cmake_policy(SET CMP0007 NEW)
set(limit 400)
set(too_long "")
foreach(part api engine daemon cli)
  file(GLOB_RECURSE sources ${SOURCE_DIR}/${part}/*.cpp ${SOURCE_DIR}/${part}/*.h
                            ${SOURCE_DIR}/${part}/*.js ${SOURCE_DIR}/${part}/*.css
                            ${SOURCE_DIR}/${part}/*.html)
  foreach(source IN LISTS sources)
    file(STRINGS ${source} lines)
    list(LENGTH lines count)
    if(count GREATER limit)
      file(RELATIVE_PATH relative ${SOURCE_DIR} ${source})
      string(APPEND too_long "  ${relative}: ${count} lines\n")
    endif()
  endforeach()
endforeach()
if(NOT too_long STREQUAL "")
  message(FATAL_ERROR "source files over ${limit} lines:\n${too_long}")
endif()
