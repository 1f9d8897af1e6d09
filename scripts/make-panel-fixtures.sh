#!/usr/bin/env bash
# Renders the machine-panel images used by the OCR tests and bench/ocr.ts.
#
#   scripts/make-panel-fixtures.sh [OUT_DIR]     (default: test/fixtures/panels)
#
# Each panel is a small PNG: seven-segment (DSEG7) and fourteen-segment (DSEG14)
# LED/LCD displays, printed labels (DejaVu Sans), Chinese labels (Droid Sans
# Fallback, from fonts-droid-fallback), and copies under bad light, blur and
# sensor noise. OUT_DIR/labels.tsv lists "file<TAB>expected text<TAB>kind".
# Needs ImageMagick `convert` and fonts-dseg, fonts-dejavu-core, fonts-droid-fallback.
set -euo pipefail

OUT="${1:-$(dirname "$0")/../test/fixtures/panels}"
mkdir -p "$OUT"
DSEG=/usr/share/fonts/truetype/dseg
SANS=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
SANS_BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
CJK=/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf
for f in "$DSEG/DSEG7Classic-Bold.ttf" "$DSEG/DSEG14Classic-Bold.ttf" "$SANS" "$SANS_BOLD"; do
  [ -f "$f" ] || { echo "missing font $f (apt-get install fonts-dseg fonts-dejavu-core)" >&2; exit 2; }
done
command -v convert >/dev/null || { echo "ImageMagick convert is not installed (apt-get install imagemagick)" >&2; exit 2; }

LABELS="$OUT/labels.tsv"
: >"$LABELS"

# panel FILE TEXT KIND FONT SIZE FG BG [extra convert args applied after rendering...]
panel() {
  local file=$1 text=$2 kind=$3 font=$4 size=$5 fg=$6 bg=$7
  shift 7
  # Render the text, pad it onto a panel with a margin, then apply the effects.
  convert -background "$bg" -fill "$fg" -font "$font" -pointsize "$size" "label:$text" \
    -bordercolor "$bg" -border 24x18 "$@" -strip "PNG24:$OUT/$file"
  printf '%s\t%s\t%s\n' "$file" "$text" "$kind" >>"$LABELS"
}

# A segment display with the unlit segments faintly visible ("ghost" 8s behind the digits).
ghost_panel() {
  local file=$1 text=$2 ghost=$3 kind=$4 font=$5 size=$6 fg=$7 dim=$8 bg=$9
  convert -background "$bg" -font "$font" -pointsize "$size" \
    \( -fill "$dim" "label:$ghost" \) \( -background none -fill "$fg" "label:$text" \) \
    -gravity east -composite -bordercolor "$bg" -border 24x18 -strip "PNG24:$OUT/$file"
  printf '%s\t%s\t%s\n' "$file" "$text" "$kind" >>"$LABELS"
}

D7="$DSEG/DSEG7Classic-Bold.ttf"
D7R="$DSEG/DSEG7Classic-Regular.ttf"
D7I="$DSEG/DSEG7Modern-BoldItalic.ttf"
D14="$DSEG/DSEG14Classic-Bold.ttf"
D14M="$DSEG/DSEG14Modern-Regular.ttf"
LCD_BG='#9db38a'   # backlit reflective LCD
LCD_FG='#1c2418'

# Seven-segment LED / LCD
panel d7-e042-red.png     'E-042' seven-segment "$D7"  56 '#ff2a1a' '#140404' -blur 0x0.8
panel d7-1450-green.png   '1450'  seven-segment "$D7R" 56 '#36ff5a' black -blur 0x0.6
panel d7-a17-amber.png    'A17'   seven-segment "$D7"  56 '#ffb020' '#100800'
panel d7-f101-lcd.png     'F-101' seven-segment "$D7"  52 "$LCD_FG" "$LCD_BG"
panel d7-0375-lcd.png     '0375'  seven-segment "$D7I" 52 "$LCD_FG" '#b8c4b0'
ghost_panel d7-2048-ghost.png '2048' '8888' seven-segment "$D7" 56 '#ff3020' '#3a0c08' '#120303'
# Fourteen-segment
panel d14-err503-red.png  'ERR 503' fourteen-segment "$D14"  48 '#ff3322' black -blur 0x0.7
panel d14-e042-cyan.png   'E-042'   fourteen-segment "$D14"  48 '#40e0ff' '#02080c'
panel d14-alarm-green.png 'ALARM'   fourteen-segment "$D14M" 48 '#50ff60' black
panel d14-stop-lcd.png    'STOP'    fourteen-segment "$D14"  48 "$LCD_FG" "$LCD_BG"
panel d14-a17-lcd.png     'A17'     fourteen-segment "$D14M" 48 "$LCD_FG" "$LCD_BG"
# Printed labels and text LCDs
panel lbl-1450rpm.png     '1450 rpm'         label "$SANS"      40 black white
panel lbl-err503-blue.png 'ERR 503'          label "$SANS_BOLD" 40 white '#1d3f8f'
panel lbl-e042-yellow.png 'E-042'            label "$SANS_BOLD" 44 black '#f4d21f'
panel lbl-pressure.png    'PRESSURE 6.2 bar' label "$SANS"      32 '#202020' '#f2f0ea'
panel lbl-overload.png    'Motor 2 OVERLOAD' label "$SANS_BOLD" 32 white '#b01818'
panel lcd-temp85.png      'TEMP 85C'         lcd   "$SANS_BOLD" 36 "$LCD_FG" "$LCD_BG"
# Chinese labels (Droid Sans Fallback covers CJK)
if [ -f "$CJK" ]; then
  panel zh-overtemp.png     '温度过高'       chinese "$CJK" 44 black white
  # Droid Sans Fallback has no Latin letters: the code is set in DejaVu beside it.
  convert -background '#1d3f8f' -fill white -pointsize 40 \( -font "$CJK" 'label:电机故障' \) \
    \( -font "$SANS" 'label: E-042' \) -gravity center +append -bordercolor '#1d3f8f' -border 24x18 \
    -strip "PNG24:$OUT/zh-motor-e042.png"
  printf '%s\t%s\t%s\n' zh-motor-e042.png '电机故障 E-042' chinese >>"$LABELS"
  panel zh-estop.png        '急停'           chinese "$CJK" 48 '#c00000' '#f4f4f4'
else
  echo "no CJK font at $CJK (apt-get install fonts-droid-fallback): Chinese panels skipped" >&2
fi
# Bad light, blur, noise
panel bad-dark-e042.png     'E-042'    dark    "$D7"        56 '#ff2a1a' '#140404' -evaluate multiply 0.3
panel bad-blown-err503.png  'ERR 503'  blown   "$SANS_BOLD" 40 '#505050' white -level 0%,55%
panel bad-blur-1450rpm.png  '1450 rpm' blur    "$SANS"      40 black white -blur 0x1.6
panel bad-blur-a17.png      'A17'      blur    "$D14"       48 '#ff3322' black -blur 0x1.8
panel bad-noise-f101.png    'F-101'    noise   "$D7"        52 "$LCD_FG" "$LCD_BG" -seed 7 -attenuate 0.6 +noise Gaussian
panel bad-lowcontrast.png   'STOP'     dim-lcd "$D14"       48 '#6f7f66' '#8fa07f'

echo "wrote $(wc -l <"$LABELS") panels to $OUT" >&2
