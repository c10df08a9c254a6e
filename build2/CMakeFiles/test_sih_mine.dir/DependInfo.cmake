
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/wt/dynamic/tests/support/csf_test_dicom.c" "CMakeFiles/test_sih_mine.dir/tests/support/csf_test_dicom.c.o" "gcc" "CMakeFiles/test_sih_mine.dir/tests/support/csf_test_dicom.c.o.d"
  "/work/wt/dynamic/tests/support/csf_test_nifti.c" "CMakeFiles/test_sih_mine.dir/tests/support/csf_test_nifti.c.o" "gcc" "CMakeFiles/test_sih_mine.dir/tests/support/csf_test_nifti.c.o.d"
  "/work/wt/dynamic/tests/support/detect_synth.c" "CMakeFiles/test_sih_mine.dir/tests/support/detect_synth.c.o" "gcc" "CMakeFiles/test_sih_mine.dir/tests/support/detect_synth.c.o.d"
  "/work/wt/dynamic/tests/test_sih_mine.c" "CMakeFiles/test_sih_mine.dir/tests/test_sih_mine.c.o" "gcc" "CMakeFiles/test_sih_mine.dir/tests/test_sih_mine.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/wt/dynamic/build2/CMakeFiles/csfleak_lib.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
