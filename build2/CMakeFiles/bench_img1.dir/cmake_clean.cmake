file(REMOVE_RECURSE
  "CMakeFiles/bench_img1.dir/bench/bench_img1.c.o"
  "CMakeFiles/bench_img1.dir/bench/bench_img1.c.o.d"
  "bench_img1"
  "bench_img1.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_img1.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
