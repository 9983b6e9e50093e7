#!/usr/bin/env bash
# Smoke test of the app in a real terminal: start `modl` in tmux on a fresh workspace, check
# that the catalogue shows every topic, press q, and check that the app exited cleanly.
# Usage: scripts/tmux_smoke.sh   (MODL=/path/to/modl to test another executable)
set -euo pipefail

MODL=${MODL:-modl}
TOPICS=(derivatives backprop losses precision optimization)
command -v tmux >/dev/null || { echo "tmux_smoke: tmux is not installed" >&2; exit 2; }
command -v "$MODL" >/dev/null || { echo "tmux_smoke: $MODL not found" >&2; exit 2; }

tmp=$(mktemp -d)
session="modl-smoke-$$"
cleanup() { tmux kill-session -t "$session" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

"$MODL" init "$tmp/ws" --student smoke >/dev/null
started=$(date +%s.%N)
tmux new-session -d -s "$session" -x 110 -y 40 \
    "cd '$tmp/ws' && env TERM=xterm-256color '$MODL'; echo \$? > '$tmp/exit'; sleep 30"

pane=""
for _ in $(seq 1 120); do                # up to 30 s for the first paint
    pane=$(tmux capture-pane -p -t "$session")
    if grep -q "optimization" <<<"$pane"; then break; fi
    sleep 0.25
done
painted=$(date +%s.%N)
echo "----- pane after start-up -----"
echo "$pane"
echo "-------------------------------"

missing=()
for topic in "${TOPICS[@]}"; do
    grep -q "$topic" <<<"$pane" || missing+=("$topic")
done
if ((${#missing[@]})); then
    echo "tmux_smoke: FAIL: the catalogue does not show: ${missing[*]}" >&2
    exit 1
fi
grep -q "Exercises" <<<"$pane" || { echo "tmux_smoke: FAIL: no exercise list" >&2; exit 1; }

tmux send-keys -t "$session" q
for _ in $(seq 1 40); do                 # up to 10 s to quit
    [[ -s "$tmp/exit" ]] && break
    sleep 0.25
done
if [[ ! -s "$tmp/exit" ]]; then
    echo "tmux_smoke: FAIL: the app did not quit on q" >&2
    exit 1
fi
status=$(cat "$tmp/exit")
if [[ "$status" != 0 ]]; then
    echo "tmux_smoke: FAIL: modl exited with status $status" >&2
    exit 1
fi
printf 'tmux_smoke: OK: catalogue with %d topics painted in %.1f s; q quit with status 0\n' \
    "${#TOPICS[@]}" "$(echo "$painted - $started" | bc)"
