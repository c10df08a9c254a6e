file(REMOVE_RECURSE
  "CMakeFiles/test_io_dicom.dir/tests/support/csf_test_dicom.c.o"
  "CMakeFiles/test_io_dicom.dir/tests/support/csf_test_dicom.c.o.d"
  "CMakeFiles/test_io_dicom.dir/tests/support/csf_test_nifti.c.o"
  "CMakeFiles/test_io_dicom.dir/tests/support/csf_test_nifti.c.o.d"
  "CMakeFiles/test_io_dicom.dir/tests/support/detect_synth.c.o"
  "CMakeFiles/test_io_dicom.dir/tests/support/detect_synth.c.o.d"
  "CMakeFiles/test_io_dicom.dir/tests/test_io_dicom.c.o"
  "CMakeFiles/test_io_dicom.dir/tests/test_io_dicom.c.o.d"
  "test_io_dicom"
  "test_io_dicom.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_io_dicom.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
