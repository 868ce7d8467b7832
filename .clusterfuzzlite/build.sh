#!/bin/bash -eu
# ClusterFuzzLite runs $SRC/build.sh: ffa-emu's one build script, oss-fuzz/build.sh.
exec "$SRC/ffa-emu/oss-fuzz/build.sh" "$@"
