file(REMOVE_RECURSE
  "CMakeFiles/test_orthanc_geometry.dir/__/__/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_orthanc_geometry.dir/__/__/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_orthanc_geometry.dir/__/__/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_orthanc_geometry.dir/__/__/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_orthanc_geometry.dir/geometry.c.o"
  "CMakeFiles/test_orthanc_geometry.dir/geometry.c.o.d"
  "CMakeFiles/test_orthanc_geometry.dir/tests/test_orthanc_geometry.c.o"
  "CMakeFiles/test_orthanc_geometry.dir/tests/test_orthanc_geometry.c.o.d"
  "test_orthanc_geometry"
  "test_orthanc_geometry.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_orthanc_geometry.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
