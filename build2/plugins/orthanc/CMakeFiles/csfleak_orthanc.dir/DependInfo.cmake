
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/dynamic/plugins/orthanc/analysis.c" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/analysis.c.o" "gcc" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/analysis.c.o.d"
  "/work/wt/dynamic/plugins/orthanc/config.c" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/config.c.o" "gcc" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/config.c.o.d"
  "/work/wt/dynamic/plugins/orthanc/geometry.c" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/geometry.c.o" "gcc" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/geometry.c.o.d"
  "/work/wt/dynamic/plugins/orthanc/keyimage.c" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/keyimage.c.o" "gcc" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/keyimage.c.o.d"
  "/work/wt/dynamic/plugins/orthanc/orthanc_io.c" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/orthanc_io.c.o" "gcc" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/orthanc_io.c.o.d"
  "/work/wt/dynamic/plugins/orthanc/plugin.c" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/plugin.c.o" "gcc" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/plugin.c.o.d"
  "/work/wt/dynamic/plugins/orthanc/queue.c" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/queue.c.o" "gcc" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/queue.c.o.d"
  "/work/wt/dynamic/plugins/orthanc/rest.c" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/rest.c.o" "gcc" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/rest.c.o.d"
  "/work/wt/dynamic/plugins/orthanc/series.c" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/series.c.o" "gcc" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/series.c.o.d"
  "/work/wt/dynamic/plugins/orthanc/worker.c" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/worker.c.o" "gcc" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/worker.c.o.d"
  "/work/wt/dynamic/plugins/orthanc/writeback.c" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/writeback.c.o" "gcc" "plugins/orthanc/CMakeFiles/csfleak_orthanc.dir/writeback.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/dynamic/build2/CMakeFiles/csfleak_lib.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
