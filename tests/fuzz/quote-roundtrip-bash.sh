#!/bin/sh
# tests/fuzz/quote-roundtrip-bash.sh [FILE...]
#
# The real-bash check of sq_quote_buf(): for every input, words split on
# NUL bytes are quoted by dvm's quote.c (through tests/fuzz/quote_helper)
# into  printf '%s\0' <words>, which bash -c runs; bash must print the
# input's exact bytes followed by one NUL. Inputs: the given files, or
# else the fuzz_quote seed corpus plus QUOTE_RANDOM_COUNT (default 300)
# random strings from QUOTE_SEED (default: the time; printed, so a
# failure can be replayed). Each runs under LC_ALL=C and, when the
# system has it, a UTF-8 locale. Failing inputs are kept in
# tests/fuzz/build/quote-roundtrip-failures/. Exit 1 on any mismatch.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."

cc=${FUZZ_CC:-clang}
bash=${QUOTE_BASH:-bash}
build=tests/fuzz/build
helper=${QUOTE_HELPER:-$build/quote_helper}
count=${QUOTE_RANDOM_COUNT:-300}
seed=${QUOTE_SEED:-$(date +%s)}
failures=$build/quote-roundtrip-failures

case $count$seed in
*[!0-9]*)
	echo "quote-roundtrip: QUOTE_RANDOM_COUNT and QUOTE_SEED must be numbers" >&2
	exit 2
	;;
esac

helper_src="tests/fuzz/quote_helper.c src/quote.c src/strbuf.c src/strvec.c \
src/util.c"
if [ -z "${QUOTE_HELPER:-}" ]; then
	# shellcheck disable=SC2086 # a fixed list of paths without blanks
	if [ ! -x "$helper" ] ||
		[ -n "$(find $helper_src include -newer "$helper" | head -n 1)" ]; then
		mkdir -p "$build"
		# shellcheck disable=SC2086
		"$cc" -std=c99 -D_POSIX_C_SOURCE=200809L -Iinclude -g -O1 \
			-fsanitize=address,undefined -fno-sanitize-recover=undefined \
			-o "$helper" $helper_src
	fi
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dvm-quote.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM

if [ "$#" -eq 0 ]; then
	mkdir "$tmp/random"
	"$helper" gen "$seed" "$count" "$tmp/random"
	set -- tests/fuzz/corpus/fuzz_quote/* "$tmp"/random/*
fi

locales=C
for l in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
	if locale -a 2>/dev/null | grep -qx "$l"; then
		locales="C $l"
		break
	fi
done

n=0
bad=0
for f in "$@"; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	"$helper" "$f" >"$tmp/cmd"
	{
		cat "$f"
		printf '\000'
	} >"$tmp/want"
	for loc in $locales; do
		if ! LC_ALL=$loc "$bash" --noprofile --norc -c "$(cat "$tmp/cmd")" \
			>"$tmp/got" 2>"$tmp/err" ||
			! cmp -s "$tmp/want" "$tmp/got"; then
			bad=$((bad + 1))
			mkdir -p "$failures"
			cp "$f" "$failures/"
			echo "quote-roundtrip: FAIL ($loc): $f (kept in $failures/)" >&2
			# Shown with every unprintable byte as '?'.
			{
				printf '  command: '
				cat "$tmp/cmd"
				printf '\n'
				sed 's/^/  bash: /' "$tmp/err"
			} | LC_ALL=C tr -c '[:print:]\n' '?' >&2
			break
		fi
	done
done

if [ "$bad" -ne 0 ]; then
	echo "quote-roundtrip: $bad of $n inputs did not come back from bash unchanged (QUOTE_SEED=$seed)"
	exit 1
fi
echo "quote-roundtrip: ok, $n inputs came back from bash unchanged (locales: $locales; QUOTE_SEED=$seed)"
