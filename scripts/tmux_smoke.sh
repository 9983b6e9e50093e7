#!/usr/bin/env bash
# Smoke test of the app in a real terminal of 80x24: start `modl` in tmux on a fresh workspace,
# read the screen with capture-pane, and drive it as a student does:
#   1. the catalogue shows every topic on its own line (name, space, bar) and exercise titles;
#   2. "/" + a search + Enter opens the exercise in one Enter;
#   3. typing the right answer + Enter says "Correct";
#   4. Esc Esc goes back to the catalogue, which marks the exercise done; q quits with status 0.
# Usage: scripts/tmux_smoke.sh   (MODL=/path/to/modl to test another executable;
#        SMOKE_SIZE=120x40 for another terminal size). Exit 0 on success, 1 on a failure,
#        2 when tmux or modl is missing.
set -euo pipefail

MODL=${MODL:-modl}
SIZE=${SMOKE_SIZE:-80x24}
COLS=${SIZE%x*}
ROWS=${SIZE#*x}
TOPICS=(derivatives backprop losses precision optimization regularization information
        adversarial explainability generative federated)
command -v tmux >/dev/null || { echo "tmux_smoke: tmux is not installed" >&2; exit 2; }
command -v "$MODL" >/dev/null || { echo "tmux_smoke: $MODL not found" >&2; exit 2; }

tmp=$(mktemp -d)
sock="$tmp/tmux.sock"                    # a private tmux server: never the user's sessions
session="modl-smoke"
tm() { tmux -S "$sock" "$@"; }
cleanup() { tm kill-server 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT

export XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
"$MODL" init "$tmp/ws" --student smoke >/dev/null 2>&1
now() { date +%s.%N; }
pane() { tm capture-pane -p -t "$session"; }
fail() {
    echo "tmux_smoke: FAIL: $*" >&2
    echo "----- pane -----" >&2; pane >&2 || true; echo "----------------" >&2
    exit 1
}
# wait_for PATTERN SECONDS: poll the pane until grep -E finds PATTERN
wait_for() {
    local deadline
    deadline=$(echo "$(now) + $2" | bc)
    while (( $(echo "$(now) < $deadline" | bc) )); do
        if pane | grep -qE -- "$1"; then return 0; fi
        sleep 0.1
    done
    return 1
}

started=$(now)
tm new-session -d -s "$session" -x "$COLS" -y "$ROWS" \
    "cd '$tmp/ws' && env TERM=xterm-256color '$MODL'; echo \$? > '$tmp/exit'; sleep 30"
[[ "$(tm display-message -p -t "$session" '#{pane_width}x#{pane_height}')" == "$SIZE" ]] ||
    fail "the pane is not $SIZE"

wait_for "federated" 30 || fail "no catalogue after 30 s"
painted=$(now)
screen=$(pane)
for topic in "${TOPICS[@]}"; do
    rows=$(grep -cE "│ $topic +[█▓░─]" <<<"$screen" || true)
    [[ "$rows" == 1 ]] || fail "topic '$topic' is not one line with a space before its bar"
done
grep -q "Exercises" <<<"$screen" || fail "no exercise list"
grep -qE "[0-9] pt  [A-Z]" <<<"$screen" || fail "the exercise list shows no titles and points"

# The first frame can come before the app reads keys: retry the search until it shows.
for _ in $(seq 1 20); do
    tm send-keys -t "$session" /
    sleep 0.3                            # the focus moves to the search box first
    tm send-keys -t "$session" -l "derivative of the sigmoid"
    wait_for "▊  derivative of the sigmoid" 1 && break
    tm send-keys -t "$session" Escape
done
wait_for "▊  derivative of the sigmoid" 1 || fail "/ does not search"
sleep 0.3
opening=$(now)
tm send-keys -t "$session" Enter
wait_for "modl-tutor — derivatives/sigmoid_prime —" 10 || fail "one Enter in the search box did not open it"
opened=$(now)

wait_for "an expression in x" 10 || fail "no answer box"
sleep 0.3                                # the answer box takes the focus on mount
tm send-keys -t "$session" -l "sigmoid(x)*(1 - sigmoid(x))"
wait_for "▊  sigmoid\(x\)\*\(1 - sigmoid" 5 || fail "typing does not reach the answer box"
tm send-keys -t "$session" Enter
wait_for "Correct \(2/2\)" 30 || fail "the right answer was not marked correct"

tm send-keys -t "$session" Escape         # leaves the answer box: single keys work again
wait_for "h Hint  g Give up" 10 || fail "Esc does not leave the answer box"
sleep 0.3                                # two Esc in one read would be one key (alt+esc)
tm send-keys -t "$session" Escape         # back to the catalogue
wait_for "✓ .*2 pt  Derivative of the sigmoid" 10 || fail "the catalogue does not mark it done"

tm send-keys -t "$session" q
for _ in $(seq 1 100); do                # up to 10 s to quit
    [[ -s "$tmp/exit" ]] && break
    sleep 0.1
done
[[ -s "$tmp/exit" ]] || fail "the app did not quit on q"
status=$(cat "$tmp/exit")
[[ "$status" == 0 ]] || fail "modl exited with status $status"
grep -q "Correct" "$tmp/ws/answers.toml" 2>/dev/null && fail "answers.toml holds a message"
grep -q "sigmoid_prime = " "$tmp/ws/answers.toml" || fail "the answer was not saved"
printf 'tmux_smoke: OK at %s: catalogue painted %.2f s after launch (%d topics on one line each); ' \
    "$SIZE" "$(echo "$painted - $started" | bc)" "${#TOPICS[@]}"
printf 'one Enter opened the search match in %.2f s; answer correct and saved; q quit with 0\n' \
    "$(echo "$opened - $opening" | bc)"
