#!/usr/bin/env bash
# Print a configuration list without its comments and blank lines.
# Usage: list.sh FILE
set -euo pipefail
sed -e 's/#.*//' -e '/^\s*$/d' "${1:?usage: list.sh FILE}"
