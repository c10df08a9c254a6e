file(REMOVE_RECURSE
  "../../libcsfleak-orthanc.pdb"
  "../../libcsfleak-orthanc.so"
  "CMakeFiles/csfleak_orthanc.dir/analysis.c.o"
  "CMakeFiles/csfleak_orthanc.dir/analysis.c.o.d"
  "CMakeFiles/csfleak_orthanc.dir/config.c.o"
  "CMakeFiles/csfleak_orthanc.dir/config.c.o.d"
  "CMakeFiles/csfleak_orthanc.dir/geometry.c.o"
  "CMakeFiles/csfleak_orthanc.dir/geometry.c.o.d"
  "CMakeFiles/csfleak_orthanc.dir/keyimage.c.o"
  "CMakeFiles/csfleak_orthanc.dir/keyimage.c.o.d"
  "CMakeFiles/csfleak_orthanc.dir/orthanc_io.c.o"
  "CMakeFiles/csfleak_orthanc.dir/orthanc_io.c.o.d"
  "CMakeFiles/csfleak_orthanc.dir/plugin.c.o"
  "CMakeFiles/csfleak_orthanc.dir/plugin.c.o.d"
  "CMakeFiles/csfleak_orthanc.dir/queue.c.o"
  "CMakeFiles/csfleak_orthanc.dir/queue.c.o.d"
  "CMakeFiles/csfleak_orthanc.dir/rest.c.o"
  "CMakeFiles/csfleak_orthanc.dir/rest.c.o.d"
  "CMakeFiles/csfleak_orthanc.dir/series.c.o"
  "CMakeFiles/csfleak_orthanc.dir/series.c.o.d"
  "CMakeFiles/csfleak_orthanc.dir/worker.c.o"
  "CMakeFiles/csfleak_orthanc.dir/worker.c.o.d"
  "CMakeFiles/csfleak_orthanc.dir/writeback.c.o"
  "CMakeFiles/csfleak_orthanc.dir/writeback.c.o.d"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/csfleak_orthanc.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
