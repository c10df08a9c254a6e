file(REMOVE_RECURSE
  "libcsfleak.a"
)
