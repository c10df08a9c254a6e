file(REMOVE_RECURSE
  "CMakeFiles/bench_phantom.dir/bench/bench_phantom.c.o"
  "CMakeFiles/bench_phantom.dir/bench/bench_phantom.c.o.d"
  "bench_phantom"
  "bench_phantom.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_phantom.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
