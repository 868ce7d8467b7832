#!/bin/bash
# tests/tools/report-plots.sh BUILD: the fuzzing report's plots, as a person
# sees them. A synthetic workspace (stats.csv with plausible rows from two
# targets, among them what the sampler used to write: AFL++'s start-up
# figure, repeated unchanged until its first rewrite, and a row of an
# earlier run) goes through tools/fuzz-report; then
#   - each plot's SVG: one line per engine, each of at least two points that
#     are not all the same value (not flat), the stale start-up figure
#     dropped, and the legend above the plot area, outside it;
#   - the page rendered by Debian's Chromium (headless; installed by
#     tools/ensure-packages when missing): the screenshot is not blank, it
#     shows every plot area, and in each both engines' lines span more than
#     a few pixel rows (a flat line covers two or three).
# Prints each check; exits non-zero naming what failed. BUILD is unused (the
# workspace is a temporary directory). About 10 s, most of it Chromium.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
failed=()
pass() { echo "report-plots: ok: $*"; }
fail() { echo "report-plots: FAILED: $*"; failed+=("$*"); }

# The workspace: version has the old sampler's rows (AFL++'s start-up
# exec/s 117 and coverage 223 read again every 10 s for a minute, then
# 5200 read twice), rxtx the new sampler's (AFL++'s start-up row without an
# exec/s, its rows at its own last_update); both have a row from an earlier
# run, which must not show.
ws=$tmp/build/fuzz
mkdir -p "$ws"
R=$(( $(date +%s) - 1000 ))
echo "$R 400 2 ref version rxtx" > "$ws/run.txt"
{
	echo "run $R 400 2"
	echo "target version $R $(( R + 200 )) 1"
	echo "done version $(( R + 202 ))"
	echo "target rxtx $(( R + 205 )) $(( R + 400 )) 2"
	echo "done rxtx $(( R + 402 ))"
	echo "end $(( R + 410 ))"
} > "$ws/run-events.txt"
{
	echo "time,target,engine,execs_per_sec,coverage,corpus,crashes"
	echo "$(( R - 500 )),version,afl,50000,900,900,0"
	for s in 10 20 30 40 50; do
		echo "$(( R + s )),version,libfuzzer,$(( 3000 + s * 20 )),$(( 650 + s * 2 )),$(( 150 + s )),0"
		echo "$(( R + s )),version,afl,117,223,13,0"
	done
	for s in 60 70 80 90 100 110 120 130 140 150 160 170 180 190 200; do
		echo "$(( R + s )),version,libfuzzer,$(( 3000 + s * 20 )),$(( 725 + s / 4 )),$(( 150 + s )),0"
		case $s in
		60 | 70) echo "$(( R + s )),version,afl,5200,342,273,0" ;;
		120) echo "$(( R + s )),version,afl,7100,360,300,0" ;;
		180) echo "$(( R + s )),version,afl,6300,371,320,0" ;;
		esac
	done
	echo "$(( R + 206 )),rxtx,afl,,352,13,0"
	for s in 10 30 50 70 90 110 130 150 170 190; do
		echo "$(( R + 205 + s )),rxtx,libfuzzer,$(( 5000 + s * 30 )),$(( 500 + s / 3 )),$(( 500 + s )),0"
	done
	echo "$(( R + 266 )),rxtx,afl,8800,510,380,0"
	echo "$(( R + 326 )),rxtx,afl,6100,530,395,0"
	echo "$(( R + 386 )),rxtx,afl,9100,545,402,0"
	echo "$(( R + 401 )),rxtx,afl,7000,550,405,0"
} > "$ws/stats.csv"

if (cd "$tmp" && "$root/tools/fuzz-report" "$tmp/build" "$R" version rxtx > "$tmp/report.log" 2>&1) &&
   [ -s "$ws/report.html" ]; then
	pass "tools/fuzz-report wrote report.md and report.html"
else
	fail "tools/fuzz-report on the synthetic workspace: $(tail -3 "$tmp/report.log")"
	exit 1
fi

# The SVGs: one line per engine, not flat; no stale figure; the legend
# outside the plot area.
nplots=0
for svg in "$ws"/plots/{version,rxtx}-{execs,coverage}.svg; do
	name=$(basename "$svg" .svg)
	if [ ! -s "$svg" ]; then fail "$name: no SVG"; continue; fi
	nplots=$(( nplots + 1 ))
	verdict=$(awk '
		match($0, /class="area"[^>]* y="[0-9.]+"/) { a = substr($0, RSTART, RLENGTH); sub(/.* y="/, "", a); top = a + 0 }
		/stroke-width="3"/ { l = $0; sub(/.* y1="/, "", l); legend[++nl] = l + 0 }
		/<polyline/ {
			e = $0; sub(/.*data-engine="/, "", e); sub(/".*/, "", e)
			v = $0; sub(/.*data-values="/, "", v); sub(/".*/, "", v)
			p = $0; sub(/.*points="/, "", p); sub(/".*/, "", p)
			n = split(p, pts, " "); lo = hi = ""
			for (i = 1; i <= n; i++) { split(pts[i], xy, ","); y = xy[2] + 0
				if (lo == "" || y < lo) lo = y; if (hi == "" || y > hi) hi = y }
			printf "%s %d %.1f %s|", e, n, hi - lo, v
			seen[e] = 1
		}
		END {
			for (i = 1; i <= nl; i++) if (legend[i] >= top) printf "LEGEND-INSIDE|"
			if (!nl) printf "NO-LEGEND|"
			if (!seen["libfuzzer"]) printf "NO-libfuzzer|"
			if (!seen["afl"]) printf "NO-afl|"
		}' "$svg")
	ok=1
	IFS='|' read -r -a lines <<< "$verdict"
	for l in "${lines[@]}"; do
		[ -n "$l" ] || continue
		case $l in
		LEGEND-INSIDE) fail "$name: the legend is inside the plot area"; ok=0; continue ;;
		NO-LEGEND) fail "$name: no legend"; ok=0; continue ;;
		NO-*) fail "$name: no ${l#NO-} line"; ok=0; continue ;;
		esac
		read -r engine points span values <<< "$l"
		if [ "$points" -lt 2 ]; then fail "$name: $engine line has $points point(s)"; ok=0
		elif [ "${span%.*}" -lt 10 ]; then fail "$name: $engine line is flat (spans ${span} px: $values)"; ok=0; fi
		# The stale figures: the start-up exec/s (117), and no figure twice in a row.
		case " $values " in *" 117 "* | *" 50000 "* | *" 900 "*)
			fail "$name: $engine plots a stale figure ($values)"; ok=0 ;;
		esac
		if echo "$values" | awk '{ for (i = 2; i <= NF; i++) if ($i == $(i - 1)) exit 0; exit 1 }'; then
			fail "$name: $engine repeats a figure unchanged ($values)"; ok=0
		fi
	done
	[ $ok -eq 1 ] && pass "$name.svg: $(echo "$verdict" | awk -F'|' '{ for (i = 1; i < NF; i++) { split($i, f, " ");
		printf "%s%s %d points over %d px", (i > 1 ? ", " : ""), f[1], f[2], f[3] } }')"
done

# The page in a real browser.
if ! command -v chromium > /dev/null; then
	echo "report-plots: chromium is missing: installing it (tools/ensure-packages chromium)"
	"$root/tools/ensure-packages" chromium || { fail "chromium: not installed and could not be installed"; }
fi
if command -v chromium > /dev/null; then
	flags=(--headless --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$tmp/profile")
	[ "$(id -u)" = 0 ] && flags+=(--no-sandbox)
	timeout 60 chromium "${flags[@]}" --window-size=1000,2400 --screenshot="$tmp/shot.png" \
		"file://$ws/report.html" > "$tmp/chromium.log" 2>&1
	if [ ! -s "$tmp/shot.png" ]; then
		fail "chromium wrote no screenshot: $(grep -v -i dbus "$tmp/chromium.log" | tail -2)"
	else
		# The screenshot, read back by the browser (a data: URL does not taint
		# the canvas): the share of non-white pixels; the plot areas (rows with
		# a run of 60 pixels of their #f7f7f7 background); in each, how many pixel rows
		# show each engine's colour (#1f77b4, #d62728).
		{
			echo '<!doctype html><html><body><img id="shot" src="data:image/png;base64,'
			base64 -w0 "$tmp/shot.png"
			echo '"><script>'
			cat <<-'EOF'
			window.onload = function () {
				var img = document.getElementById('shot'), c = document.createElement('canvas');
				var w = c.width = img.naturalWidth, h = c.height = img.naturalHeight, ctx = c.getContext('2d');
				ctx.drawImage(img, 0, 0);
				var d = ctx.getImageData(0, 0, w, h).data, ink = 0, area = [], out = [];
				function near(i, r, g, b) { return Math.abs(d[i] - r) < 40 && Math.abs(d[i + 1] - g) < 40 && Math.abs(d[i + 2] - b) < 40; }
				for (var y = 0; y < h; y++) {
					var run = 0, best = 0;
					for (var x = 0; x < w; x++) {
						var i = (y * w + x) * 4;
						if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) ink++;
						if (d[i] == 247 && d[i + 1] == 247 && d[i + 2] == 247) { if (++run > best) best = run; } else run = 0;
					}
					area.push(best >= 60);
				}
				out.push('size ' + w + 'x' + h + ' ink ' + (100 * ink / (w * h)).toFixed(2));
				for (var y = 0; y < h; y++) {
					if (!area[y]) continue;
					var top = y, gap = 0;
					while (y < h && (area[y] || gap < 4)) { gap = area[y] ? 0 : gap + 1; y++; }
					var bottom = y - gap;
					if (bottom - top < 100) continue;
					var blue = 0, red = 0;
					for (var yy = top; yy < bottom; yy++) {
						var hb = 0, hr = 0;
						for (var x = 0; x < w; x++) {
							var i = (yy * w + x) * 4;
							if (near(i, 31, 119, 180)) hb = 1;
							if (near(i, 214, 39, 40)) hr = 1;
						}
						blue += hb; red += hr;
					}
					out.push('area ' + top + '-' + bottom + ' libfuzzer ' + blue + ' afl ' + red);
				}
				document.body.textContent = '';
				var pre = document.createElement('pre');
				pre.id = 'out'; pre.textContent = out.join('\n');
				document.body.appendChild(pre);
			};
			EOF
			echo '</script></body></html>'
		} > "$tmp/analyse.html"
		timeout 60 chromium "${flags[@]}" --dump-dom "file://$tmp/analyse.html" > "$tmp/analysis.html" 2> "$tmp/chromium2.log"
		analysis=$(sed -n '/<pre id="out">/,/<\/pre>/p' "$tmp/analysis.html" | sed -e 's/<[^>]*>//g' |
			grep -E '^(size|area) ')
		read -r _ size _ ink <<< "$(echo "$analysis" | grep '^size')"
		if [ -z "${ink:-}" ]; then
			fail "chromium could not read the screenshot back: $(grep -v -i dbus "$tmp/chromium2.log" | tail -2)"
		elif awk -v i="$ink" 'BEGIN { exit !(i < 2) }'; then
			fail "the screenshot ($size) is blank: ${ink}% of its pixels not white"
		else
			pass "the page renders in Chromium: screenshot $size, ${ink}% of its pixels not white"
			areas=$(echo "$analysis" | grep -c '^area')
			if [ "$areas" -ne "$nplots" ]; then
				fail "the screenshot shows $areas plot areas, not $nplots"
			fi
			k=0
			while read -r _ span _ blue _ red; do
				k=$(( k + 1 ))
				if [ "${blue:-0}" -lt 15 ] || [ "${red:-0}" -lt 15 ]; then
					fail "plot $k on screen (rows $span): a line empty or flat (libFuzzer on $blue pixel rows, AFL++ on $red)"
				else
					pass "plot $k on screen (rows $span): libFuzzer's line on $blue pixel rows, AFL++'s on $red"
				fi
			done <<< "$(echo "$analysis" | grep '^area')"
		fi
	fi
fi

if [ ${#failed[@]} -ne 0 ]; then
	echo "report-plots: ${#failed[@]} failed: $(printf '%s; ' "${failed[@]}")"
	exit 1
fi
echo "report-plots: all checks passed"
