file(REMOVE_RECURSE
  "CMakeFiles/bench_io.dir/bench/bench_io.c.o"
  "CMakeFiles/bench_io.dir/bench/bench_io.c.o.d"
  "bench_io"
  "bench_io.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_io.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
