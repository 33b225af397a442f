# Functions for the awk programs that read QEMU's pci_cfg_write trace (its log backend)
# from a VM's console log, "[PID@TIME:]pci_cfg_write NAME BB:SS.F @0xOFF <- 0xVAL": the
# config writes of the kernel under test. Loaded first: awk -f cfg-write-trace.awk -f PROG.

# hex(S): the value of the hexadecimal number S, with or without 0x (mawk has no strtonum)
function hex(s,  i, c, v) {
	s = tolower(s); sub(/^0x/, "", s); v = 0
	for (i = 1; i <= length(s); i++) {
		c = index("0123456789abcdef", substr(s, i, 1)) - 1
		if (c < 0) break
		v = v * 16 + c
	}
	return v
}

# cfg_write(): the current line, a pci_cfg_write trace line, into cw_bdf ("bb:ss.f", as
# the kernel names the device without its domain), cw_off and cw_val
function cfg_write(  i, a) {
	for (i = 1; i <= NF; i++) if ($i ~ /pci_cfg_write$/) break
	split($(i + 2), a, /[:.]/)
	cw_bdf = sprintf("%02x:%02x.%x", hex(a[1]), a[2] + 0, a[3] + 0)
	cw_off = hex(substr($(i + 3), 2))
	cw_val = hex($(i + 5))
}
