file(REMOVE_RECURSE
  "CMakeFiles/test_orthanc_config.dir/config.c.o"
  "CMakeFiles/test_orthanc_config.dir/config.c.o.d"
  "CMakeFiles/test_orthanc_config.dir/queue.c.o"
  "CMakeFiles/test_orthanc_config.dir/queue.c.o.d"
  "CMakeFiles/test_orthanc_config.dir/tests/test_orthanc_config.c.o"
  "CMakeFiles/test_orthanc_config.dir/tests/test_orthanc_config.c.o.d"
  "test_orthanc_config"
  "test_orthanc_config.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_orthanc_config.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
