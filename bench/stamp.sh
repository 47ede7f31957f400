#!/bin/bash
# stamp.sh T0FILE CMD [ARGS...]: writes the wall-clock start time (bash's
# $EPOCHREALTIME, seconds since the epoch) into T0FILE, then becomes CMD
# (exec: same PID), so every client's start-up is timed from the same point.
printf '%s\n' "$EPOCHREALTIME" > "$1.tmp" && mv "$1.tmp" "$1"
shift
exec "$@"
