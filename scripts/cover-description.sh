#!/usr/bin/env bash
# Print the cover letter text (subject paragraph, then body) of a format-patch cover letter.
set -euo pipefail

cover=$1
awk '
	/^Subject: / { sub(/^Subject: \[PATCH[^]]*\] /, ""); subject = $0; insubj = 1; next }
	insubj == 1 && /^ / { sub(/^ /, ""); subject = subject " " $0; next }
	insubj && /^$/ { insubj = 0; body = 1; print subject; print ""; next }
	# Headers after the subject (To:, Cc: and their continuation lines)
	insubj { insubj = 2; next }
	body && /^[^ ].* \([0-9]+\):$/ { exit }
	body { lines[++n] = $0 }
	END { while (n > 0 && lines[n] == "") n--; for (i = 1; i <= n; i++) print lines[i] }
' "$cover"
