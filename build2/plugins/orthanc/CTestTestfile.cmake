# CMake generated Testfile for 
# Source directory: /work/wt/dynamic/plugins/orthanc
# Build directory: /work/wt/dynamic/build2/plugins/orthanc
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(test_orthanc_geometry "/work/wt/dynamic/build2/plugins/orthanc/test_orthanc_geometry")
set_tests_properties(test_orthanc_geometry PROPERTIES  TIMEOUT "120" _BACKTRACE_TRIPLES "/work/wt/dynamic/plugins/orthanc/CMakeLists.txt;37;add_test;/work/wt/dynamic/plugins/orthanc/CMakeLists.txt;0;")
