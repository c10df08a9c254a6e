CMakeFiles/csfleak_lib.dir/src/sih/workup.c.o: \
 /work/wt/dynamic/src/sih/workup.c /usr/include/stdc-predef.h \
 /usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h \
 /work/wt/dynamic/include/csfleak/sih.h \
 /work/wt/dynamic/include/csfleak/error.h
