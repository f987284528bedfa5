# throng_add_gtests(<prefix> LIBS <libs...> [LABELS <labels...>])
# Builds one test executable per *_test.cpp in the calling folder and registers its cases with ctest.
function(throng_add_gtests prefix)
  cmake_parse_arguments(ARG "" "" "LIBS;LABELS" ${ARGN})
  # Labels go on the folder: ctest gives them to every test registered in it. (Passed through
  # gtest_discover_tests' PROPERTIES, a list keeps only its first label.)
  set_property(DIRECTORY APPEND PROPERTY LABELS ${ARG_LABELS})
  file(GLOB test_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/*_test.cpp)
  foreach(src ${test_sources})
    get_filename_component(name ${src} NAME_WE)
    set(target ${prefix}_${name})
    add_executable(${target} ${src})
    target_link_libraries(${target} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gmock GTest::gtest_main
                                            throng::warnings)
    gtest_discover_tests(${target} DISCOVERY_TIMEOUT 60)
  endforeach()
endfunction()
