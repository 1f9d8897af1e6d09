#!/bin/sh
# Regenerates the demo media in demo/ (or the directory given as $1):
# a control panel whose seven-segment display goes from "RUN 1450" to the alarm
# code "E-042" after 10 s, and a machine sound that turns abnormal (bearing
# knocks) at the same moment at the same overall loudness.
# Needs: ImageMagick (convert), fonts-dseg, fonts-dejavu-core, sox, ffmpeg.
# The output is deterministic: the same tools give the same bytes.
set -eu

OUT=${1:-$(dirname "$0")/../demo}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT INT TERM

for tool in convert sox ffmpeg; do
  command -v "$tool" >/dev/null 2>&1 || { echo "make-demo-media: $tool is not installed (apt-get install imagemagick sox ffmpeg)" >&2; exit 2; }
done
find_font() {
  for dir in /usr/share/fonts /usr/local/share/fonts; do
    f=$(find "$dir" -name "$1" 2>/dev/null | head -n 1)
    [ -n "$f" ] && { echo "$f"; return 0; }
  done
  echo "make-demo-media: font $1 not found ($2)" >&2
  exit 2
}
SEG=$(find_font 'DSEG7Classic-Bold.ttf' 'apt-get install fonts-dseg')
SANS=$(find_font 'DejaVuSans-Bold.ttf' 'apt-get install fonts-dejavu-core')

RATE=16000          # audio sample rate
SWITCH=10           # second at which the machine turns abnormal
TOTAL=20            # length of the demo video
FPS=10

# ---- panel images (640x360) -------------------------------------------------
# panel STATUS_TEXT STATUS_BG DISPLAY_TEXT DISPLAY_COLOUR LED_COLOUR FILE
panel() {
  convert -size 640x360 xc:'#3b4046' \
    -fill '#2b2f33' -draw 'rectangle 0,0 640,48' \
    -font "$SANS" -pointsize 22 -fill '#d8dde2' -annotate +20+33 'PRESS 07  SPINDLE DRIVE' \
    -fill "$5" -draw 'circle 600,24 610,24' \
    -fill '#111417' -stroke '#70777e' -strokewidth 4 -draw 'roundrectangle 40,78 600,228 10,10' -stroke none \
    -font "$SEG" -pointsize 96 -fill '#1d2a1d' -annotate +70+200 '88888' \
    -fill "$4" -annotate +70+200 "$3" \
    -font "$SANS" -pointsize 18 -fill '#aeb5bc' -annotate +500+220 'RPM' \
    -fill "$2" -draw 'rectangle 40,252 600,320' \
    -font "$SANS" -pointsize 40 -fill '#ffffff' -gravity North -annotate +0+262 "$1" -gravity NorthWest \
    -strip -define png:exclude-chunks=date,time "$6"
}
panel 'RUN  1450 RPM' '#1f7a35' '!1450' '#5cff6a' '#39d353' "$OUT/panel-normal.png"
panel 'ALARM  E-042' '#c4161c' 'E-042' '#ff3b30' '#ff3b30' "$OUT/panel-alarm.png"

# ---- machine sound -------------------------------------------------------------
# Motor hum: 100 Hz fundamental with harmonics and a little pink noise (sox -R: fixed seed).
hum() { # hum SECONDS FILE
  sox -R -n -r $RATE -c 5 -b 16 "$WORK/hum5.wav" synth "$1" sine 100 sine 200 sine 300 sine 455 pinknoise
  sox -R "$WORK/hum5.wav" -c 1 "$2" remix 1v0.30,2v0.16,3v0.09,4v0.04,5v0.035
}
hum 30 "$WORK/normal-raw.wav"
hum $((TOTAL - SWITCH)) "$WORK/hum-late.wav"

# Bearing knocks: a 20 ms decaying 3.2 kHz burst, 7 per second.
sox -R -n -r $RATE -c 1 -b 16 "$WORK/knock.wav" synth 0.02 sine 3200 fade q 0 0.02 0.019 pad 0 0.122857
sox -R "$WORK/knock.wav" "$WORK/knocks.wav" repeat $((7 * (TOTAL - SWITCH) - 1)) trim 0 $((TOTAL - SWITCH))
sox -R -m "$WORK/hum-late.wav" -v 0.55 "$WORK/knocks.wav" -b 16 "$WORK/abnormal-raw.wav"

# Same overall loudness: scale both to an RMS of -20 dBFS.
rms_db() { sox "$1" -n stats 2>&1 | awk '/^RMS lev dB/ { print $4 }'; }
level() { # level IN OUT
  g=$(awk -v r="$(rms_db "$1")" 'BEGIN { printf "%.3f", -20 - r }')
  sox -R "$1" -b 16 "$2" gain "$g"
}
level "$WORK/normal-raw.wav" "$OUT/normal.wav"
level "$WORK/abnormal-raw.wav" "$OUT/abnormal.wav"
sox -R "$OUT/normal.wav" "$WORK/normal-head.wav" trim 0 $SWITCH
sox -R "$WORK/normal-head.wav" "$OUT/abnormal.wav" "$OUT/machine-alarm.wav"

# ---- video with the sound as its audio track ------------------------------------
ffmpeg -v error -y -fflags +bitexact \
  -loop 1 -framerate $FPS -t $SWITCH -i "$OUT/panel-normal.png" \
  -loop 1 -framerate $FPS -t $((TOTAL - SWITCH)) -i "$OUT/panel-alarm.png" \
  -i "$OUT/machine-alarm.wav" \
  -filter_complex '[0:v][1:v]concat=n=2:v=1:a=0,format=yuv420p[v]' -map '[v]' -map 2:a \
  -c:v libx264 -preset medium -crf 30 -g $FPS -threads 1 -flags:v +bitexact \
  -c:a aac -b:a 48k -ar $RATE -ac 1 -flags:a +bitexact -map_metadata -1 -movflags +faststart \
  -t $TOTAL "$OUT/demo.mp4"

echo "demo media written to $OUT:"
ls -l "$OUT" | awk 'NR > 1 { print "  " $9 " (" $5 " bytes)" }'
