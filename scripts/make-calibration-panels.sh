#!/usr/bin/env bash
# Renders a varied set of machine-panel images for INT8/FP16 calibration and the
# accuracy gate of `faultsense models quantize` (and `npm run bench -- precision`).
#
#   scripts/make-calibration-panels.sh [OUT_DIR] [COUNT] [SEED]   (default .tmp/calibration-panels 60 7)
#
# Each image is a camera-like frame (640x360 or 800x450) holding one or two displays
# or labels: seven/fourteen-segment fonts (DSEG) and DejaVu printed text, random
# codes and readings, colours, backgrounds, blur, noise, rotation and lighting.
# OUT_DIR/labels.tsv lists "file<TAB>expected text<TAB>kind" (lines joined by a space).
set -euo pipefail
OUT="${1:-.tmp/calibration-panels}"
COUNT="${2:-60}"
RANDOM="${3:-7}"
mkdir -p "$OUT"
command -v convert >/dev/null || { echo "ImageMagick convert is not installed (apt-get install imagemagick)" >&2; exit 2; }
DSEG=/usr/share/fonts/truetype/dseg
DJ=/usr/share/fonts/truetype/dejavu
FONTS7=("$DSEG/DSEG7Classic-Bold.ttf" "$DSEG/DSEG7Classic-Regular.ttf" "$DSEG/DSEG7Modern-Bold.ttf" "$DSEG/DSEG7Modern-BoldItalic.ttf")
FONTS14=("$DSEG/DSEG14Classic-Bold.ttf" "$DSEG/DSEG14Modern-Regular.ttf" "$DSEG/DSEG14Classic-Regular.ttf")
FONTSP=("$DJ/DejaVuSans.ttf" "$DJ/DejaVuSans-Bold.ttf" "$DJ/DejaVuSansMono.ttf" "$DJ/DejaVuSerif-Bold.ttf" "$DJ/DejaVuSansCondensed.ttf")
for f in "${FONTS7[@]}" "${FONTS14[@]}" "${FONTSP[@]}"; do [ -f "$f" ] || { echo "missing font $f (apt-get install fonts-dseg fonts-dejavu-core)" >&2; exit 2; }; done
FG=('#ff2a1a' '#36ff5a' '#ffb020' '#1c2418' '#40c8ff' '#f0f0f0' '#202020')
BG=('#140404' 'black' '#100800' '#9db38a' '#06121a' '#303840' '#e8e4d0')
WORDS=(ALARM STOP READY RUN OVERLOAD PRESSURE TEMP SPEED FAULT AUTO MANUAL HOLD)
pick() { local -n arr=$1; echo "${arr[$((RANDOM % ${#arr[@]}))]}"; }
code() {
  case $((RANDOM % 5)) in
    0) printf 'E-%03d' $((RANDOM % 1000));;
    1) printf '%d' $((RANDOM % 9000 + 100));;
    2) printf 'A%02d' $((RANDOM % 100));;
    3) printf 'F-%d' $((RANDOM % 900 + 100));;
    *) printf '%d.%d' $((RANDOM % 300)) $((RANDOM % 10));;
  esac
}
LABELS="$OUT/labels.tsv"
: >"$LABELS"
for i in $(seq 1 "$COUNT"); do
  k=$((RANDOM % 3))
  fg=$(pick FG); bg=$(pick BG)
  [ "$fg" = "$bg" ] && fg='#ffffff'
  case $k in
    0) font=$(pick FONTS7); text=$(code); kind=seven-segment;;
    1) font=$(pick FONTS14); text=$(pick WORDS); kind=fourteen-segment;;
    *) font=$(pick FONTSP); text="$(pick WORDS) $(code)"; kind=label;;
  esac
  size=$((40 + RANDOM % 32))
  W=640; H=360; [ $((RANDOM % 2)) = 0 ] && { W=800; H=450; }
  scene=('#5a5f66' '#2b2f33' '#8a8478' '#3d4a3a')
  s=$(pick scene)
  x=$((20 + RANDOM % 160)); y=$((20 + RANDOM % 120))
  rot=$(( (RANDOM % 7) - 3 ))
  effects=()
  case $((RANDOM % 5)) in
    0) effects=(-blur 0x1.2);;
    1) effects=(-seed "$i" -attenuate 0.6 +noise Gaussian);;
    2) effects=(-brightness-contrast -25x-20);;
    3) effects=(-brightness-contrast 20x-10);;
  esac
  file=$(printf 'cal-%03d.png' "$i")
  convert -size "${W}x${H}" "xc:$s" \
    \( -background "$bg" -fill "$fg" -font "$font" -pointsize "$size" "label:$text" -bordercolor "$bg" -border 22x16 -rotate "$rot" -background "$s" \) \
    -geometry "+$x+$y" -composite "${effects[@]}" -strip "PNG24:$OUT/$file"
  printf '%s\t%s\t%s\n' "$file" "$text" "$kind" >>"$LABELS"
done
echo "wrote $COUNT panels to $OUT ($LABELS)" >&2
