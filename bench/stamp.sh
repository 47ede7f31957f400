#!/bin/bash
# stamp.sh T0FILE CMD [ARGS...]: writes the wall-clock start time (bash's
# $EPOCHREALTIME, seconds since the epoch) into T0FILE, then becomes CMD
# (exec: same PID), so every client's start-up is timed from the same point.
# T0FILE.cpu gets the CPU time (ns, /proc schedstat) this shell used so
# far, so CPU to a client's first frame can be told from the shell's.
read -r cpu _ < /proc/$$/schedstat
printf '%s\n' "$cpu" > "$1.cpu"
printf '%s\n' "$EPOCHREALTIME" > "$1.tmp" && mv "$1.tmp" "$1"
shift
exec "$@"
