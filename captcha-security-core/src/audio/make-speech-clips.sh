#!/bin/sh
# Makes captcha-security-core/src/main/resources/io/github/captchasecurity/provider/builtin/speech-clips.bin, the
# spoken characters of audio challenges. Run once by hand when the alphabet changes; the build never runs it.
# Needs Debian's espeak-ng (1.51) and sox: apt-get install -y espeak-ng sox
#
# Format (all numbers big-endian): "CSA1", sample rate (u16, 8000), clip count (u16), then per clip: the character
# (1 byte, ASCII), the sample count (u16), the samples (8-bit unsigned PCM, mono, silence trimmed at both ends).
set -eu
out="$(cd "$(dirname "$0")/../main/resources/io/github/captchasecurity/provider/builtin" && pwd)/speech-clips.bin"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
chars="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
printf 'CSA1' > "$work/all"
printf "$(printf '\\%03o\\%03o\\%03o\\%03o' 31 64 0 ${#chars})" >> "$work/all"
for c in $(echo "$chars" | fold -w1); do
	espeak-ng -v en-us -s 150 -m "<speak><say-as interpret-as=\"characters\">$c</say-as></speak>" -w "$work/raw.wav"
	sox "$work/raw.wav" -r 8000 -c 1 -b 8 -e unsigned-integer -t raw "$work/clip.raw" \
		silence 1 0.02 1% reverse silence 1 0.02 1% reverse
	n=$(wc -c < "$work/clip.raw")
	printf '%s' "$c" >> "$work/all"
	printf "$(printf '\\%03o\\%03o' $((n / 256)) $((n % 256)))" >> "$work/all"
	cat "$work/clip.raw" >> "$work/all"
done
cp "$work/all" "$out"
echo "wrote $out ($(wc -c < "$out") bytes)"
