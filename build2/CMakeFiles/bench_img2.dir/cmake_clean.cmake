file(REMOVE_RECURSE
  "CMakeFiles/bench_img2.dir/bench/bench_img2.c.o"
  "CMakeFiles/bench_img2.dir/bench/bench_img2.c.o.d"
  "bench_img2"
  "bench_img2.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/bench_img2.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
