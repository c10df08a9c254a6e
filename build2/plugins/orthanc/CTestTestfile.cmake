# CMake generated Testfile for 
# Source directory: /work/wt/dynamic/plugins/orthanc
# Build directory: /work/wt/dynamic/build2/plugins/orthanc
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(test_orthanc_geometry "/work/wt/dynamic/build2/plugins/orthanc/test_orthanc_geometry")
set_tests_properties(test_orthanc_geometry PROPERTIES  TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt/dynamic/plugins/orthanc/CMakeLists.txt;37;add_test;/work/wt/dynamic/plugins/orthanc/CMakeLists.txt;0;")
add_test(test_orthanc_config "/work/wt/dynamic/build2/plugins/orthanc/test_orthanc_config")
set_tests_properties(test_orthanc_config PROPERTIES  TIMEOUT "60" _BACKTRACE_TRIPLES "/work/wt/dynamic/plugins/orthanc/CMakeLists.txt;45;add_test;/work/wt/dynamic/plugins/orthanc/CMakeLists.txt;0;")
